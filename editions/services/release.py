"""Releasing an edition: what stands in its way, the release by an editor and by the importer, afterwards.

Both releases end in ``_mark_released``, the one place an edition's status becomes published.
"""

from datetime import datetime, time

from django.utils import timezone

from articles import workflow
from articles.models import Article, ArticleEvent

from ..models import Edition, EditionEvent, Page, Placement
from .base import RELEASE_PERM, ReleaseBlocked, _actor, _event, _service, describe
from .signoff import _set_state

# The default scheduled release: six in the morning on the edition's date.
DEFAULT_RELEASE_TIME = time(6, 0)


def article_problem(article):
    """Why this article cannot be published with the edition (Chinese), or ``""`` if it can."""
    if not (article.headline or "").strip():
        return "缺少主题（标题）"
    if article.status == Article.Status.PUBLISHED:
        return ""
    if article.status != Article.Status.REVIEW:
        return f"状态为“{article.get_status_display()}”，须先送审"
    return ""


def _six_in_the_morning(date):
    return timezone.make_aware(datetime.combine(date, DEFAULT_RELEASE_TIME), timezone.get_default_timezone())


def default_release_time(edition):
    """06:00 on the edition's date, in the newsroom's time zone (settings.TIME_ZONE)."""
    return _six_in_the_morning(edition.date)


def imported_release_time(date, now=None):
    """When an edition imported as published becomes visible: 06:00 on its date, or now if earlier.

    A back issue keeps its date; a future date never hides the stories just published.
    """
    return min(_six_in_the_morning(date), now or timezone.now())


def release_problems(edition, *, pages=None, placements=None):
    """Everything that stands in the way of releasing the edition, as (messages, offenders).

    A caller that has the edition's ``pages`` and ``placements`` (with their articles and pages)
    loaded already, such as the edition board, passes them and saves the two queries.
    """
    messages = []
    pages = (
        sorted(pages, key=lambda p: p.number) if pages is not None else list(edition.pages.order_by("number"))
    )
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
    if placements is None:
        placements = (
            Placement.objects.filter(edition=edition)
            .select_related("article", "page")
            .defer("article__body", "article__search_document", "article__summary")  # never needed here
            .order_by("page__number", "position")
        )
    else:
        placements = sorted(placements, key=lambda p: (p.page.number, p.position))
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
    scheduled = released_at > now + workflow.SCHEDULE_GRACE
    stamp = f"{timezone.localtime(released_at):%Y-%m-%d %H:%M}"
    return _mark_released(
        edition,
        user=user,
        released_at=released_at,
        action=EditionEvent.Action.SCHEDULE if scheduled else EditionEvent.Action.RELEASE,
        note=f"定时于{stamp}出版" if scheduled else f"{stamp}出版",
    )


def _mark_released(edition, *, user, released_at, action, note):
    """The one place an edition becomes published: status, release time and who, and the history line.

    The caller holds the edition's row lock and has checked what its release needs.
    """
    now = timezone.now()
    Edition.objects.filter(pk=edition.pk).update(
        status=Edition.Status.PUBLISHED, released_at=released_at, released_by=_actor(user), updated_at=now
    )
    edition.status, edition.released_at, edition.released_by = (
        Edition.Status.PUBLISHED,
        released_at,
        _actor(user),
    )
    edition.updated_at = now
    _event(edition=edition, action=action, user=user, note=note)
    return edition


@_service(RELEASE_PERM, "导入出版")
def edition_release_imported(*, edition, user, released_at):
    """The importer's release (``import_pages --status published``): the edition as printed, all signed.

    Every page is signed off by ``user`` (the account the import runs as); a 待定 placeholder page
    made for a jump to a page this import did not bring is removed and the jump dropped (importing
    that page later joins the story again); the edition is published at ``released_at``. Already
    released editions only get their new pages signed off. The importer calls it with
    ``check_permission=False``, like ``articles.workflow.article_import_state``: whoever may run
    ``import_pages`` holds the keys. Returns notes (Chinese) for the import record.
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
        _mark_released(
            edition,
            user=user,
            released_at=released_at,
            action=EditionEvent.Action.RELEASE,
            note=f"导入时随稿件一并出版（{timezone.localtime(released_at):%Y-%m-%d %H:%M}）",
        )
    return notes


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
