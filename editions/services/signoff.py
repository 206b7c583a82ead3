"""Sign-off of a page: proofread (已校对), signed off (已签发, read-only), reopened with a reason."""

from django.utils import timezone

from ..models import Edition, EditionEvent, Page
from .base import SIGNOFF_PERM, PageLocked, _check_editable, _check_version, _event, _locked_page, _service


@_service(SIGNOFF_PERM, "校对版面")
def page_proofread(*, page, user, version=None):
    """Mark a page in planning as proofread (已校对); with ``version``, only the page as it was seen."""
    page = _locked_page(page)
    _check_editable(page)
    _check_version(page, version, None)
    if page.state != Page.State.PLANNING:
        raise PageLocked(f"第{page.number}版当前为“{page.get_state_display()}”，只有编排中的版面可以校对。")
    return _set_state(page, user, Page.State.PROOFREAD, EditionEvent.Action.PROOFREAD)


@_service(SIGNOFF_PERM, "签发版面")
def page_sign_off(*, page, user, version=None):
    """Sign off a proofread page (已签发): read-only until reopened; with ``version``, only the page as seen."""
    page = _locked_page(page)
    _check_editable(page)
    _check_version(page, version, None)
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
