"""Every change to an edition goes through here: assembly, page sign-off, release, later consistency.

Each function takes keyword-only arguments, checks the user's permission, runs in a transaction,
locks the row it changes (the page for placements, the edition for release) and writes an
``EditionEvent`` where the newsroom needs to see who did it. A refusal raises an ``EditionError``
whose ``message`` is shown to the editor as is (Chinese, saying what to fix).
"""

import functools
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max
from django.utils import timezone

from articles import workflow
from articles.models import Article, ArticleEvent

from . import plans
from .models import Edition, EditionEvent, Page, Placement

security_log = logging.getLogger("newsroom.security")

SIGNOFF_PERM = "editions.signoff_page"
RELEASE_PERM = "editions.release_edition"
ASSEMBLE_PERM = "editions.change_placement"
# Stories an editor may place: in review (published by the release) or already on the website.
PLACEABLE = (Article.Status.REVIEW, Article.Status.PUBLISHED)
# The default scheduled release: six in the morning on the edition's date.
DEFAULT_RELEASE_TIME = time(6, 0)


class EditionError(Exception):
    """Base of the refusals; ``message`` is shown to the editor (Chinese)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class EditionForbidden(EditionError, PermissionDenied):
    """The user lacks the right for this change (the admin answers 403)."""


class PageLocked(EditionError):
    """The page is signed off (read-only) or its edition is already released."""


class PageConflict(EditionError):
    """Someone changed the page since this screen was loaded; ``message`` says who, when and what."""


class InvalidPlacement(EditionError):
    """A story cannot stand where it was put (wrong state, placed twice, jump to a wrong page)."""


class ReleaseBlocked(EditionError):
    """The edition cannot be released yet; ``offenders`` lists the stories that cannot be published."""

    def __init__(self, message, offenders=()):
        super().__init__(message)
        self.offenders = list(offenders)


# --- helpers -------------------------------------------------------------------------------------


def _require(user, perm, what, edition=None, page=None):
    if user and user.is_active and user.has_perm(perm):
        return
    security_log.warning("refused %s by user %s", what, getattr(user, "pk", None))
    if edition is not None and edition.pk:
        EditionEvent.objects.create(
            edition=edition,
            page=page,
            actor=user if getattr(user, "pk", None) else None,
            action=EditionEvent.Action.REFUSED,
            note=f"越权操作被拒绝：{what}",
        )
    raise EditionForbidden("您没有权限执行此操作。")


def _subject(kwargs):
    placement = kwargs.get("placement")
    page = kwargs.get("page") or (placement.page if placement is not None else None)
    edition = kwargs.get("edition") or (page.edition if page is not None else None)
    return edition, page


def _service(perm, what):
    """Check ``perm`` before the transaction opens, then run the change atomically.

    The check comes first so that a refusal is recorded in the edition's history (REFUSED)
    while the change itself never starts.
    """

    def decorate(fn):
        atomic_fn = transaction.atomic(fn)

        @functools.wraps(fn)
        def wrapper(**kwargs):
            edition, page = _subject(kwargs)
            _require(kwargs.get("user"), perm, what, edition=edition, page=page)
            return atomic_fn(**kwargs)

        return wrapper

    return decorate


def _event(*, edition, action, user, page=None, article=None, note=""):
    return EditionEvent.objects.create(
        edition=edition,
        page=page,
        article=article,
        actor=user if getattr(user, "pk", None) else None,
        action=action,
        note=note,
    )


def _locked_page(page):
    """Lock the page row (others changing the same page wait) and return it fresh."""
    return Page.objects.select_for_update(of=("self",)).select_related("edition").get(pk=page.pk)


def _check_editable(page):
    if page.edition.status == Edition.Status.PUBLISHED:
        raise PageLocked(f"{page.edition}已出版，版面不能再改动；撤下稿件请在稿件中“撤回”。")
    if page.state == Page.State.SIGNED_OFF:
        raise PageLocked(f"第{page.number}版已签发，不能修改；如需修改，请先“重新打开”本版。")


def _check_version(page, version, loaded):
    if version is not None and page.version != version:
        raise PageConflict(
            plans.conflict_message(page, plans.loads(loaded) if isinstance(loaded, str) else loaded)
        )


@contextmanager
def _changing(page, user, *, version=None, loaded=None):
    """Lock the page and refuse it if read-only or changed since ``version``; after the change, record it.

    Every service that changes a page runs inside this. If the page really changed (its fields or
    its stories, compared before and after), its version goes up, and a proofread page goes back
    to 编排中 with an event saying what changed: proofreading covers the page as it was.
    """
    page = _locked_page(page)
    _check_editable(page)
    _check_version(page, version, loaded)
    before = plans.snapshot(page)
    yield page
    after = plans.snapshot(page)
    if after == before:
        return
    now = timezone.now()
    update = {"version": F("version") + 1, "changed_by": user, "updated_at": now}
    replanned = page.state == Page.State.PROOFREAD
    if replanned:
        update["state"] = Page.State.PLANNING
    Page.objects.filter(pk=page.pk).update(**update)
    page.refresh_from_db()
    if replanned:
        _event(
            edition=page.edition,
            page=page,
            action=EditionEvent.Action.REPLAN,
            user=user,
            note=f"第{page.number}版：已校对 → 编排中（校对后又有改动：{'、'.join(plans.changes(before, after))}），"
            "需重新校对",
        )


def page_check_fresh(*, page, version, loaded=None):
    """Refuse a page screen loaded before someone else's change (PageConflict) or a page now locked.

    Called while the form is checked, inside the request's transaction: the page row stays locked
    until the save is done, so two saves of one page never interleave.
    """
    page = (
        _locked_page(page)
        if connection.in_atomic_block
        else Page.objects.select_related("edition").get(pk=page.pk)
    )
    _check_editable(page)
    _check_version(page, version, loaded)
    return page


def _renumber(page, ordered):
    """Give ``ordered`` (this page's placements) positions 1..n.

    UniqueConstraint(page, position) is not deferrable (and SQLite cannot defer it), so the rows
    first move past every position in use, then to their final places: no moment has two rows
    on one position. The caller holds the page lock.
    """
    if not ordered:
        return
    top = Placement.objects.filter(page=page).aggregate(m=Max("position"))["m"] or 0
    for index, placement in enumerate(ordered, start=1):
        placement.position = top + index
    Placement.objects.bulk_update(ordered, ["position"])
    for index, placement in enumerate(ordered, start=1):
        placement.position = index
    Placement.objects.bulk_update(ordered, ["position"])


def _page_placements(page):
    return list(Placement.objects.filter(page=page).order_by("position", "pk"))


def article_problem(article):
    """Why this article cannot be published with the edition (Chinese), or ``""`` if it can."""
    if not (article.headline or "").strip():
        return "缺少主题（标题）"
    if article.status == Article.Status.PUBLISHED:
        return ""
    if article.status != Article.Status.REVIEW:
        return f"状态为“{article.get_status_display()}”，须先送审"
    return ""


def describe(article):
    """An article as the editor knows it: 《headline》, or its id when the headline is missing."""
    return (
        f"《{article.headline}》" if (article.headline or "").strip() else f"《（无标题，编号{article.pk}）》"
    )


# --- editions ------------------------------------------------------------------------------------


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
def edition_create(*, user, date, number=None, edition=None):
    """Create an edition (number proposed as the next in sequence when not given), audited."""
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
    _event(edition=edition, action=EditionEvent.Action.CREATE, user=user, note=f"第{number}期")
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


# --- placements ----------------------------------------------------------------------------------


@dataclass
class Row:
    """One story as the page screen submits it: an existing placement (or None) and its wishes."""

    placement: Placement | None
    article: Article
    is_lead: bool = False
    continues_on: Page | None = None
    position: int | None = None


def placement_problems(*, page, rows, removed=()):
    """Check the page's wanted stories; return Chinese messages (empty when all is well)."""
    problems = []
    removed_ids = {p.pk for p in removed if p.pk}
    kept_ids = {r.placement.pk for r in rows if r.placement is not None and r.placement.pk}
    seen = {}
    for row in rows:
        article = row.article
        changed = row.placement is None or row.placement.article_id != article.pk
        if changed and article.status not in PLACEABLE:
            problems.append(
                f"{describe(article)}状态为“{article.get_status_display()}”，只能编排待审或已发布的稿件。"
            )
        if article.pk in seen:
            problems.append(f"{describe(article)}在本版出现了两次，请删去其中一条。")
        seen[article.pk] = row
        if row.continues_on is not None:
            target = row.continues_on
            if target.pk == page.pk:
                problems.append(f"{describe(article)}不能“下转”本版，请选择本期的另一个版面。")
            elif target.edition_id != page.edition_id:
                problems.append(f"{describe(article)}的下转版面不属于本期，请选择本期的版面。")
    elsewhere = (
        Placement.objects.filter(edition_id=page.edition_id, article_id__in=list(seen))
        .exclude(pk__in=kept_ids | removed_ids)
        .select_related("page")
    )
    for other in elsewhere:
        problems.append(
            f"{describe(seen[other.article_id].article)}已在第{other.page.number}版，"
            "一篇稿件在一期中只能见报一次（续文请用“下转”）。"
        )
    leads = [r for r in rows if r.is_lead]
    if len(leads) > 1:
        problems.append("每版只能有一篇头条，请只勾选一篇。")
    return problems


@_service(ASSEMBLE_PERM, "编排版面")
def page_save_placements(*, page, user, rows, removed=(), version=None, loaded=None):
    """Make the page's story list ``rows``, in their order (the admin's page screen saves here).

    Locks the page, refuses a signed-off page, and with ``version`` (the page's version when the
    screen was loaded) refuses a page someone changed since with PageConflict naming the change
    (``loaded``, the screen's snapshot, tells what). Then checks the rows, deletes ``removed``, and
    writes positions in two phases and the lead last, so no constraint ever sees a half-made page.
    """
    with _changing(page, user, version=version, loaded=loaded) as page:
        return _save_placements(page, rows, removed)


def _save_placements(page, rows, removed):
    problems = placement_problems(page=page, rows=rows, removed=removed)
    if problems:
        raise InvalidPlacement(" ".join(problems))
    Placement.objects.filter(page=page, pk__in=[p.pk for p in removed if p.pk]).delete()
    Placement.objects.filter(page=page, is_lead=True).update(is_lead=False)
    # Rows in the order the editor wants (by position, ties by screen order).
    ordered = [
        r
        for _i, r in sorted(
            enumerate(rows), key=lambda ir: (ir[1].position is None, ir[1].position or 0, ir[0])
        )
    ]
    # Phase one: every row goes above all positions in use, so no two rows ever share one.
    base = (Placement.objects.filter(page=page).aggregate(m=Max("position"))["m"] or 0) + 1
    final = []
    for offset, row in enumerate(ordered):
        placement = row.placement if row.placement is not None and row.placement.pk else Placement()
        placement.page = page
        placement.article = row.article
        placement.continues_on = row.continues_on
        placement.is_lead = False
        placement.position = base + offset
        placement.save()
        final.append(placement)
    # Stories a colleague added before this screen was loaded stay, after the editor's.
    known = {p.pk for p in final}
    _renumber(page, final + [p for p in _page_placements(page) if p.pk not in known])
    lead = next((p for r, p in zip(ordered, final, strict=True) if r.is_lead), None)
    if lead is not None:
        Placement.objects.filter(pk=lead.pk).update(is_lead=True)
        lead.is_lead = True
    return final


@_service(ASSEMBLE_PERM, "编排版面")
def placement_add(*, page, article, user, is_lead=False, continues_on=None):
    """Put a story at the end of a page (optionally as its lead, optionally continued elsewhere)."""
    with _changing(page, user) as page:
        current = _page_placements(page)
        rows = [
            Row(
                placement=p, article=p.article, is_lead=p.is_lead and not is_lead, continues_on=p.continues_on
            )
            for p in Placement.objects.filter(page=page)
            .select_related("article", "continues_on")
            .order_by("position", "pk")
        ]
        rows.append(Row(placement=None, article=article, is_lead=is_lead, continues_on=continues_on))
        problems = placement_problems(page=page, rows=rows)
        if problems:
            raise InvalidPlacement(" ".join(problems))
        top = max((p.position for p in current), default=0)
        if is_lead:
            Placement.objects.filter(page=page, is_lead=True).update(is_lead=False)
        return Placement.objects.create(
            page=page, article=article, position=top + 1, is_lead=is_lead, continues_on=continues_on
        )


@_service(ASSEMBLE_PERM, "调整顺序")
def placement_move(*, placement, user, step):
    """Move a story ``step`` places up (negative) or down (positive) on its page, renumbering 1..n."""
    page = placement.page
    with _changing(page, user) as page:
        ordered = _page_placements(page)
        index = next((i for i, p in enumerate(ordered) if p.pk == placement.pk), None)
        if index is None:
            raise InvalidPlacement("这篇稿件已不在本版，请刷新页面。")
        moved = ordered.pop(index)
        ordered.insert(max(0, min(len(ordered), index + step)), moved)
        _renumber(page, ordered)
        return ordered


@_service(ASSEMBLE_PERM, "调整顺序")
def page_reorder(*, page, user, order):
    """Put the page's stories in the order of ``order`` (placement ids); unknown ones go last."""
    with _changing(page, user) as page:
        current = _page_placements(page)
        rank = {pk: i for i, pk in enumerate(order)}
        ordered = sorted(current, key=lambda p: (rank.get(p.pk, len(rank)), p.position, p.pk))
        _renumber(page, ordered)
        return ordered


@_service("editions.delete_placement", "撤下版面稿件")
def placement_remove(*, placement, user):
    """Take a story off its page and close the gap."""
    page = placement.page
    with _changing(page, user) as page:
        Placement.objects.filter(pk=placement.pk, page=page).delete()
        _renumber(page, _page_placements(page))


@_service(ASSEMBLE_PERM, "设置头条")
def placement_mark_lead(*, placement, user):
    """Make this story its page's lead (the former lead stays, as an ordinary story) and put it first."""
    page = placement.page
    with _changing(page, user) as page:
        Placement.objects.filter(page=page, is_lead=True).update(is_lead=False)
        Placement.objects.filter(pk=placement.pk, page=page).update(is_lead=True)
        ordered = _page_placements(page)
        ordered.sort(key=lambda p: p.pk != placement.pk)
        _renumber(page, ordered)
        placement.refresh_from_db()
        return placement


@_service(ASSEMBLE_PERM, "设置下转")
def placement_set_jump(*, placement, user, continues_on):
    """Set (or clear, with None) the page where this story continues (下转X版)."""
    page = placement.page
    with _changing(page, user) as page:
        if continues_on is not None:
            if continues_on.pk == page.pk:
                raise InvalidPlacement(
                    f"{describe(placement.article)}不能“下转”本版，请选择本期的另一个版面。"
                )
            if continues_on.edition_id != page.edition_id:
                raise InvalidPlacement(
                    f"{describe(placement.article)}的下转版面不属于本期，请选择本期的版面。"
                )
        Placement.objects.filter(pk=placement.pk).update(continues_on=continues_on)
        placement.continues_on = continues_on
        return placement


def jump_choices(page):
    """Pages a story on ``page`` may continue on: the other pages of the same edition."""
    return Page.objects.filter(edition_id=page.edition_id).exclude(pk=page.pk).order_by("number")


# --- jumps both ways -----------------------------------------------------------------------------


def continued_from(page, *, published_only=True):
    """Placements on other pages that continue on ``page`` (their 上接X版 here), in page order.

    With ``published_only`` (the public e-paper), a withdrawn story's jump disappears together with
    the story, so neither end of the link points at something a reader cannot see.
    """
    qs = Placement.objects.filter(continues_on=page).select_related("page", "article")
    if published_only:
        qs = qs.filter(article__in=Article.objects.published())
    return qs.order_by("page__number", "position")


def jump_to_label(placement):
    """下转X版 for a story that continues elsewhere, else ``""``."""
    return f"下转{placement.continues_on.number}版" if placement.continues_on_id else ""


def jump_from_label(placement):
    """上接X版, shown on the continuation page for a story that began on ``placement.page``."""
    return f"上接{placement.page.number}版"


# --- sign-off ------------------------------------------------------------------------------------


@_service(SIGNOFF_PERM, "校对版面")
def page_proofread(*, page, user):
    """Mark a page in planning as proofread (已校对)."""
    page = _locked_page(page)
    _check_editable(page)
    if page.state != Page.State.PLANNING:
        raise PageLocked(f"第{page.number}版当前为“{page.get_state_display()}”，只有编排中的版面可以校对。")
    return _set_state(page, user, Page.State.PROOFREAD, EditionEvent.Action.PROOFREAD)


@_service(SIGNOFF_PERM, "签发版面")
def page_sign_off(*, page, user):
    """Sign off a proofread page (已签发): it becomes read-only until reopened."""
    page = _locked_page(page)
    _check_editable(page)
    if page.state != Page.State.PROOFREAD:
        raise PageLocked(f"第{page.number}版当前为“{page.get_state_display()}”，请先校对再签发。")
    if not page.placements.exists():
        raise PageLocked(f"第{page.number}版还没有稿件，不能签发。")
    return _set_state(page, user, Page.State.SIGNED_OFF, EditionEvent.Action.SIGN_OFF)


@_service(SIGNOFF_PERM, "重新打开版面")
def page_reopen(*, page, user, note=""):
    """Reopen a proofread or signed-off page for changes (audited, with the reason given)."""
    page = _locked_page(page)
    if page.edition.status == Edition.Status.PUBLISHED:
        raise PageLocked(f"{page.edition}已出版，版面不能重新打开；撤下稿件请在稿件中“撤回”。")
    if page.state == Page.State.PLANNING:
        raise PageLocked(f"第{page.number}版本来就在编排中，无需重新打开。")
    return _set_state(page, user, Page.State.PLANNING, EditionEvent.Action.REOPEN, note=note)


def _set_state(page, user, state, action, note=""):
    source = page.get_state_display()
    now = timezone.now()
    signed = state == Page.State.SIGNED_OFF
    Page.objects.filter(pk=page.pk).update(
        state=state,
        editor=page.editor or user,
        signed_off_by=user if signed else None,
        signed_off_at=now if signed else None,
        updated_at=now,
    )
    page.refresh_from_db()
    _event(
        edition=page.edition,
        page=page,
        action=action,
        user=user,
        note=f"第{page.number}版：{source} → {page.get_state_display()}"
        + (f"；{note.strip()}" if note.strip() else ""),
    )
    return page


# --- release -------------------------------------------------------------------------------------


def default_release_time(edition):
    """06:00 on the edition's date, in the newsroom's time zone."""
    return timezone.make_aware(datetime.combine(edition.date, DEFAULT_RELEASE_TIME))


def release_problems(edition):
    """Everything that stands in the way of releasing the edition, as (messages, offenders)."""
    messages = []
    pages = list(edition.pages.order_by("number"))
    if not pages:
        messages.append("这一期还没有版面，请先添加版面。")
    for p in pages:
        if p.is_placeholder:
            messages.append(
                f"第{p.number}版是导入时为“下转”临时建立的“待定”版面：请导入或编排该版并填写版名，"
                "或改掉指向它的下转后删除该版。"
            )
    unsigned = [p for p in pages if p.state != Page.State.SIGNED_OFF]
    if unsigned:
        names = "、".join(f"第{p.number}版（{p.get_state_display()}）" for p in unsigned)
        messages.append(f"以下版面尚未签发：{names}。请先校对并签发这些版面。")
    offenders = []
    placements = (
        Placement.objects.filter(edition=edition)
        .select_related("article", "page")
        .order_by("page__number", "position")
    )
    for placement in placements:
        problem = article_problem(placement.article)
        if problem:
            offenders.append((placement, problem))
    if offenders:
        names = "；".join(f"第{p.page.number}版{describe(p.article)}：{why}" for p, why in offenders)
        messages.append(f"以下稿件无法发布：{names}。请处理后（重新打开版面）再签发出版。")
    return messages, offenders


@_service(RELEASE_PERM, "签发出版")
def edition_release(*, edition, user, when=None):
    """Release the edition: publish every placed story at the edition's release time, all or nothing.

    ``when`` None means now; a future time schedules the edition (and its stories) like a scheduled
    article. Stories already published keep their earlier ``published_at``: the website carried
    them first, and rewriting that time would misstate when readers could see them.
    """
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.status == Edition.Status.PUBLISHED:
        raise ReleaseBlocked(f"{edition}已经出版，不能重复签发。")
    now = timezone.now()
    try:
        released_at = workflow.schedule_time(
            when, now=now, past_message="定时出版时间已过，请选择将来的时间，或选择“立即出版”。"
        )
    except workflow.InvalidSchedule as error:
        raise ReleaseBlocked(error.message) from error
    # Lock the pages so nobody reopens one while the edition goes out.
    list(Page.objects.select_for_update().filter(edition=edition))
    messages, offenders = release_problems(edition)
    if messages:
        raise ReleaseBlocked(" ".join(messages), [p for p, _why in offenders])
    placements = Placement.objects.filter(edition=edition).select_related("article", "page")
    for placement in placements:
        article = placement.article
        if article.status == Article.Status.REVIEW:
            try:
                workflow.article_publish_in_edition(article=article, user=user, when=released_at)
            except workflow.WorkflowError as exc:
                # The outer transaction rolls everything back: nothing half-released.
                raise ReleaseBlocked(
                    f"第{placement.page.number}版{describe(article)}：{exc.message}"
                ) from exc
    Edition.objects.filter(pk=edition.pk).update(
        status=Edition.Status.PUBLISHED, released_at=released_at, released_by=user, updated_at=now
    )
    edition.refresh_from_db()
    scheduled = released_at > now + workflow.SCHEDULE_GRACE
    _event(
        edition=edition,
        action=EditionEvent.Action.SCHEDULE if scheduled else EditionEvent.Action.RELEASE,
        user=user,
        note=(
            f"定时于{timezone.localtime(released_at):%Y-%m-%d %H:%M}出版"
            if scheduled
            else f"{timezone.localtime(released_at):%Y-%m-%d %H:%M}出版"
        ),
    )
    return edition


def edition_release_imported(*, edition, user, released_at):
    """The importer's release (``import_pages --status published``): the edition as printed, all signed.

    Every page is signed off by ``user`` (the account the import runs as); a 待定 placeholder page
    made for a jump to a page this import did not bring is removed and the jump dropped (importing
    that page later joins the story again); the edition is published at ``released_at``. Already
    released editions only get their new pages signed off. No permission check, like
    ``articles.workflow.article_import_state``: whoever may run ``import_pages`` holds the keys.
    Returns notes (Chinese) for the import record.
    """
    notes = []
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    for page in Page.objects.select_for_update().filter(edition=edition).order_by("number"):
        if page.is_placeholder and not page.placements.exists():
            jumps = list(Placement.objects.filter(continues_on=page).select_related("article", "page"))
            Placement.objects.filter(pk__in=[p.pk for p in jumps]).update(continues_on=None)
            page.delete()
            note = f"第{page.number}版未导入，删去“待定”占位版面" + (
                "；"
                + "、".join(f"第{p.page.number}版{describe(p.article)}" for p in jumps)
                + "的“下转”已取消，"
                f"导入第{page.number}版时会重新接上"
                if jumps
                else ""
            )
            _event(edition=edition, action=EditionEvent.Action.IMPORT, user=user, note=note)
            notes.append(note + "。")
            continue
        if page.state != Page.State.SIGNED_OFF:
            page.edition = edition
            _set_state(page, user, Page.State.SIGNED_OFF, EditionEvent.Action.SIGN_OFF, note="导入时签发")
    if edition.status != Edition.Status.PUBLISHED:
        Edition.objects.filter(pk=edition.pk).update(
            status=Edition.Status.PUBLISHED,
            released_at=released_at,
            released_by=user if getattr(user, "pk", None) else None,
            updated_at=timezone.now(),
        )
        _event(
            edition=edition,
            action=EditionEvent.Action.RELEASE,
            user=user,
            note=f"导入时随稿件一并出版（{timezone.localtime(released_at):%Y-%m-%d %H:%M}）",
        )
    return notes


# --- consistency afterwards ----------------------------------------------------------------------


def record_withdrawal(*, article, actor):
    """Write WITHDRAW_STORY into the history of every released edition the article stands in."""
    placements = Placement.objects.filter(
        article=article, edition__status=Edition.Status.PUBLISHED
    ).select_related("edition", "page")
    if not placements:
        return []
    last = (
        ArticleEvent.objects.filter(article=article, action=ArticleEvent.Action.WITHDRAW)
        .order_by("-created_at", "-pk")
        .first()
    )
    reason = last.note if last else ""
    return [
        _event(
            edition=p.edition,
            page=p.page,
            article=article,
            action=EditionEvent.Action.WITHDRAW_STORY,
            user=actor,
            note=f"第{p.page.number}版{describe(article)}已撤回：{reason}",
        )
        for p in placements
    ]
