"""Planning an edition: creating it, its pages (copied from the previous edition or added), their fields."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from ..models import Edition, EditionEvent, Page
from .base import EditionError, PageLocked, _changing, _event, _service


def propose_next_edition():
    """The date and number a new edition most likely has: the day after the latest, next number."""
    latest = Edition.objects.order_by("-date").first()
    tomorrow = timezone.localdate() + timedelta(days=1)
    if latest is None:
        return tomorrow, 1
    top = Edition.objects.aggregate(m=Max("number"))["m"] or 0
    return max(tomorrow, latest.date + timedelta(days=1)), top + 1


def edition_problems(*, date, number, exclude_pk=None):
    """What is wrong with this date and number (Chinese messages by field), for forms and services."""
    problems = {}
    others = Edition.objects.exclude(pk=exclude_pk) if exclude_pk else Edition.objects.all()
    if date is not None:
        clash = others.filter(date=date).first()
        if clash is not None:
            problems["date"] = (
                f"{date:%Y年%m月%d日}已有一期报纸（第{clash.number}期），请改选日期，或打开那一期继续编排。"
            )
    if number is not None:
        clash = others.filter(number=number).first()
        if clash is not None:
            _date, proposed = propose_next_edition()
            problems["number"] = (
                f"第{number}期已被{clash.date:%Y年%m月%d日}那一期使用，请改用其他期号（建议第{proposed}期）。"
            )
        elif number < 1:
            problems["number"] = "期号必须是正整数。"
    return problems


@_service("editions.add_edition", "创建期次")
def edition_create(*, user, date, number=None, edition=None, note=None):
    """Create an edition (number proposed as the next in sequence when not given), audited.

    ``note`` is the history line (default: 第N期); the importer says the edition came with an import.
    """
    if number is None:
        number = propose_next_edition()[1]
    problems = edition_problems(date=date, number=number)
    if problems:
        raise EditionError(" ".join(problems.values()))
    edition = edition or Edition()
    edition.date, edition.number = date, number
    try:
        with transaction.atomic():
            edition.save()
    except IntegrityError as exc:
        # Someone created the same date or number a moment ago.
        raise EditionError("这一日期或期号刚被他人使用，请刷新后重试。") from exc
    _event(edition=edition, action=EditionEvent.Action.CREATE, user=user, note=note or f"第{number}期")
    return edition


def previous_edition(edition):
    """The latest edition before this one (by date), whose page plan can be copied."""
    return Edition.objects.filter(date__lt=edition.date).order_by("-date").first()


@_service("editions.add_page", "复制版面计划")
def edition_copy_page_plan(*, edition, user):
    """Copy page numbers, names and responsible editors of the previous edition; return pages made.

    Pages this edition already has (by number) are kept as they are.
    """
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.status == Edition.Status.PUBLISHED:
        raise PageLocked(f"{edition}已出版，不能再增加版面。")
    source = previous_edition(edition)
    if source is None:
        raise EditionError("没有更早的一期可供复制，请手工添加版面。")
    have = set(edition.pages.values_list("number", flat=True))
    made = [
        Page(edition=edition, number=p.number, name=p.name, editor_id=p.editor_id)
        for p in source.pages.order_by("number")
        if p.number not in have
    ]
    Page.objects.bulk_create(made)
    _event(
        edition=edition,
        action=EditionEvent.Action.CREATE,
        user=user,
        note=f"复制{source}的版面计划，新增{len(made)}个版面",
    )
    return made


def page_number_problem(*, edition, number, exclude_pk=None):
    """A Chinese message if this page number is taken in the edition, else ``""``."""
    taken = Page.objects.filter(edition=edition, number=number)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        return f"第{number}版已存在，同一期的版次不能重复，请改用其他版次。"
    return ""


@_service("editions.add_page", "增加版面")
def page_add(*, edition, user, number, name, editor=None):
    """Add a page to an edition in planning."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.status == Edition.Status.PUBLISHED:
        raise PageLocked(f"{edition}已出版，不能再增加版面。")
    problem = page_number_problem(edition=edition, number=number)
    if problem:
        raise EditionError(problem)
    return Page.objects.create(edition=edition, number=number, name=name, editor=editor)


# Page fields an editor changes on the page screen (or a page-image upload).
PAGE_FIELDS = ("number", "name", "editor", "image", "banner_text", "unassigned_text")


@_service("editions.change_page", "修改版面")
def page_update(*, page, user, changes, version=None, loaded=None):
    """Change the page's own fields (``changes``: name → value, e.g. a new page image), under the page lock.

    Like every page change, a proofread page goes back to 编排中 and a signed-off one refuses; with
    ``version`` a page changed by someone since the screen was loaded is refused (PageConflict).
    """
    unknown = set(changes) - set(PAGE_FIELDS)
    if unknown:
        raise ValueError(f"not page fields: {sorted(unknown)}")
    with _changing(page, user, version=version, loaded=loaded) as locked:
        if "number" in changes:
            problem = page_number_problem(
                edition=locked.edition, number=changes["number"], exclude_pk=locked.pk
            )
            if problem:
                raise EditionError(problem)
        for name, value in changes.items():
            if name == "image":
                # A new upload arrives as an uncommitted FieldFile of the form's instance: store its
                # file on this (locked) instance; False or "" clears the image.
                value = getattr(value, "file", value) if not getattr(value, "_committed", True) else value
                value = value or ""
            setattr(locked, name, value)
        if changes:
            locked.save(update_fields=[*changes, "updated_at"])
    return locked
