"""What every edition service shares: the refusals, the rights, the audit event and the page lock.

Each service takes keyword-only arguments, checks the user's permission (``_service``), runs in a
transaction, locks the row it changes (the page for placements, the edition for release) and writes
an ``EditionEvent`` where the newsroom needs to see who did it. A refusal raises an ``EditionError``
whose ``message`` is shown to the editor as is (Chinese, saying what to fix); a missing right raises
``EditionForbidden``, a ``PermissionDenied`` (the admin answers 403).
"""

import functools
import logging
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from ..models import Edition, EditionEvent, Page
from . import plans

security_log = logging.getLogger("newsroom.security")

SIGNOFF_PERM = "editions.signoff_page"
RELEASE_PERM = "editions.release_edition"
ASSEMBLE_PERM = "editions.change_placement"


class EditionError(Exception):
    """Base of the refusals; ``message`` is shown to the editor (Chinese)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class EditionForbidden(PermissionDenied):
    """The user lacks the right for this change: a PermissionDenied (the admin answers 403), no EditionError."""

    def __init__(self, message="您没有权限执行此操作。"):
        super().__init__(message)
        self.message = message


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


def _require(user, perm, what, edition=None, page=None):
    if user and user.is_active and user.has_perm(perm):
        return
    security_log.warning("refused %s by user %s", what, getattr(user, "pk", None))
    if edition is not None and edition.pk:
        _event(
            edition=edition,
            page=page,
            action=EditionEvent.Action.REFUSED,
            user=user,
            note=f"越权操作被拒绝：{what}",
        )
    raise EditionForbidden()


def _subject(kwargs):
    placement = kwargs.get("placement")
    page = kwargs.get("page") or (placement.page if placement is not None else None)
    edition = kwargs.get("edition") or (page.edition if page is not None else None)
    return edition, page


def _service(perm, what):
    """Check ``perm`` before the transaction opens, then run the change atomically.

    The check comes first so that a refusal is recorded in the edition's history (REFUSED)
    while the change itself never starts. ``check_permission=False`` is the system acting for the
    newsroom (the page importer, often with no person behind it): the change and its events are
    the same, only no one's right is checked.
    """

    def decorate(fn):
        atomic_fn = transaction.atomic(fn)

        @functools.wraps(fn)
        def wrapper(*, check_permission=True, **kwargs):
            if check_permission:
                edition, page = _subject(kwargs)
                _require(kwargs.get("user"), perm, what, edition=edition, page=page)
            return atomic_fn(**kwargs)

        return wrapper

    return decorate


def _actor(user):
    """The user as recorded on a row: None for an anonymous or unsaved one."""
    return user if getattr(user, "pk", None) else None


def _event(*, edition, action, user, page=None, article=None, note=""):
    """Write one line of the edition's history."""
    return EditionEvent.objects.create(
        edition=edition, page=page, article=article, actor=_actor(user), action=action, note=note
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


def describe(article):
    """An article as the editor knows it: 《headline》, or its id when the headline is missing."""
    return (
        f"《{article.headline}》" if (article.headline or "").strip() else f"《（无标题，编号{article.pk}）》"
    )
