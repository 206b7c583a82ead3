"""The editorial workflow: one state machine, one function per move.

draft → review (submit); review → draft (return, with a note); review → published (publish now
or at a chosen time: a published article whose ``published_at`` lies ahead is *scheduled* and
becomes visible by itself, because visibility is the ``published()`` queryset);
published → withdrawn (with a reason); withdrawn → review (reopen).

Every move checks the user's permission and the allowed move, runs in a transaction, changes
the row with a conditional UPDATE (so two people racing on the same article cannot both move
it), writes an audit event and then sends ``article_transitioned``. Nothing else sets status.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Article, ArticleEvent
from .signals import article_transitioned

security_log = logging.getLogger("newsroom.security")

Status = Article.Status
Action = ArticleEvent.Action

# (from, to) → (action, permission codename needed)
TRANSITIONS = {
    (Status.DRAFT, Status.REVIEW): (Action.SUBMIT, "articles.submit_article"),
    (Status.REVIEW, Status.DRAFT): (Action.RETURN, "articles.review_article"),
    (Status.REVIEW, Status.PUBLISHED): (Action.PUBLISH, "articles.publish_article"),
    (Status.PUBLISHED, Status.WITHDRAWN): (Action.WITHDRAW, "articles.withdraw_article"),
    (Status.WITHDRAWN, Status.REVIEW): (Action.REOPEN, "articles.withdraw_article"),
}

# A schedule time this far in the past is taken as a slip of the hand ("now").
SCHEDULE_GRACE = timedelta(minutes=1)


class WorkflowError(Exception):
    """Base of the workflow's refusals; ``message`` is shown to the user (Chinese)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class IllegalTransition(WorkflowError):
    """The article is not in a state from which this move is allowed."""


class TransitionForbidden(WorkflowError):
    """The user lacks the right to make this move on this article."""


class NoteRequired(WorkflowError):
    """The move needs a note (a return note, a withdrawal reason)."""


class InvalidSchedule(WorkflowError):
    """The chosen publication time cannot be used."""


def allowed_moves(user, article):
    """Return the targets this user may move this article to now."""
    return [
        target
        for (source, target), (_action, perm) in TRANSITIONS.items()
        if article.status == source and _may(user, article, source, target, perm)
    ]


def _may(user, article, source, target, perm):
    if not (user and user.is_active and user.has_perm(perm)):
        return False
    if (source, target) == (Status.DRAFT, Status.REVIEW):
        # A reporter submits his own drafts; an editor may submit anyone's.
        return article.created_by_id == user.pk or user.has_perm("articles.edit_any_article")
    return True


def _transition(*, article, user, target, note="", published_at=None):
    source = Status(article.status)
    move = TRANSITIONS.get((source, target))
    if move is None:
        raise IllegalTransition(f"稿件当前状态为“{source.label}”，不能改为“{Status(target).label}”。")
    action, perm = move
    if not _may(user, article, source, target, perm):
        security_log.warning(
            "refused transition %s→%s of article %s by user %s", source, target, article.pk, user and user.pk
        )
        raise TransitionForbidden("您没有权限执行此操作。")

    now = timezone.now()
    changes = {"status": target, "version": F("version") + 1, "updated_by": user, "updated_at": now}
    if target == Status.REVIEW:
        changes["submitted_at"] = now
    if target == Status.PUBLISHED:
        changes["published_at"] = published_at or now
    with transaction.atomic():
        # Conditional on the state we read: if someone else moved it meanwhile, nothing changes.
        updated = Article.objects.filter(pk=article.pk, status=source).update(**changes)
        if not updated:
            raise IllegalTransition("稿件已被他人处理，请刷新页面后再试。")
        ArticleEvent.objects.create(
            article=article,
            actor=user,
            action=action,
            from_status=source,
            to_status=target,
            note=note,
            created_at=now,
        )
        article.refresh_from_db()
        transaction.on_commit(
            lambda: article_transitioned.send(sender=Article, article=article, action=action, actor=user)
        )
    return article


def _require_note(note, message):
    note = (note or "").strip()
    if not note:
        raise NoteRequired(message)
    return note


def article_submit(*, article, user, note=""):
    """Send a draft to the review queue."""
    return _transition(article=article, user=user, target=Status.REVIEW, note=note)


def article_return(*, article, user, note):
    """Send an article in review back to its reporter, with a note saying what to fix."""
    note = _require_note(note, "退回稿件必须填写退回意见。")
    return _transition(article=article, user=user, target=Status.DRAFT, note=note)


def article_publish(*, article, user, when=None, note=""):
    """Publish an article in review now, or at ``when`` (scheduled).

    A time in the past (beyond a minute's grace) is refused rather than silently back-dated:
    a past time is almost always a typo, and back-dating would reorder the site.
    """
    now = timezone.now()
    if when is not None:
        if timezone.is_naive(when):
            raise InvalidSchedule("定时发布时间缺少时区。")
        if when < now - SCHEDULE_GRACE:
            raise InvalidSchedule("定时发布时间已过，请选择将来的时间，或直接“立即发布”。")
        when = max(when, now)
    return _transition(
        article=article, user=user, target=Status.PUBLISHED, note=note, published_at=when or now
    )


def article_withdraw(*, article, user, note):
    """Take a published article off the public site, with a reason."""
    note = _require_note(note, "撤回稿件必须填写原因。")
    return _transition(article=article, user=user, target=Status.WITHDRAWN, note=note)


def article_reopen(*, article, user, note=""):
    """Put a withdrawn article back into the review queue."""
    return _transition(article=article, user=user, target=Status.REVIEW, note=note)


def can_edit(user, article):
    """Whether the user may change this article's content now.

    Reporters edit their own drafts only; editors (edit_any_article) edit any article, in any state.
    """
    if not (user and user.is_active and user.has_perm("articles.change_article")):
        return False
    if article.pk is None:
        return user.has_perm("articles.add_article")
    if user.has_perm("articles.edit_any_article"):
        return True
    return article.status == Status.DRAFT and article.created_by_id == user.pk
