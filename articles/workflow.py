"""The editorial workflow: one state machine, one function per move.

draft → review (submit); review → draft (return, with a note); review → published (publish now
or at a chosen time: a published article whose ``published_at`` lies ahead is *scheduled* and
becomes visible by itself, because visibility is the ``published()`` queryset);
published → withdrawn (with a reason); withdrawn → review (reopen); and review → draft by the
author (unsubmit, 撤回送审) as long as no editor has acted on the story.

Every move checks the user's permission and the allowed move, runs in a transaction, changes
the row with a conditional UPDATE (so two people racing on the same article cannot both move
it), writes an audit event and then sends ``article_transitioned``. Nothing else sets status.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

import reversion
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Article, ArticleEvent
from .signals import article_transitioned

security_log = logging.getLogger("newsroom.security")

Status = Article.Status
Action = ArticleEvent.Action


@dataclass(frozen=True)
class Move:
    """One allowed move: from where to where, who may make it, and what the newsroom calls it."""

    action: str  # the ArticleEvent.Action recorded
    source: str
    target: str
    perm: str  # permission codename needed
    label: str  # the button
    note_label: str = ""  # the label of a required note (return note, withdrawal reason)
    note_message: str = ""  # the refusal when that note is missing


# The one table of moves; the admin's buttons are derived from it (articles/admin/workflow_views.py).
MOVES = {
    "submit": Move(Action.SUBMIT, Status.DRAFT, Status.REVIEW, "articles.submit_article", "送审"),
    "unsubmit": Move(Action.UNSUBMIT, Status.REVIEW, Status.DRAFT, "articles.submit_article", "撤回送审"),
    "return": Move(
        Action.RETURN,
        Status.REVIEW,
        Status.DRAFT,
        "articles.review_article",
        "退回修改",
        note_label="退回意见（必填，记者会看到）",
        note_message="退回稿件必须填写退回意见。",
    ),
    "publish": Move(Action.PUBLISH, Status.REVIEW, Status.PUBLISHED, "articles.publish_article", "发布"),
    "withdraw": Move(
        Action.WITHDRAW,
        Status.PUBLISHED,
        Status.WITHDRAWN,
        "articles.withdraw_article",
        "撤回",
        note_label="撤回原因（必填）",
        note_message="撤回稿件必须填写原因。",
    ),
    "reopen": Move(Action.REOPEN, Status.WITHDRAWN, Status.REVIEW, "articles.withdraw_article", "重新送审"),
    # The page importer's moves, made for the newsroom by the system (check_permission=False): no
    # person's permission is needed, and no button offers them (perm "" is held by nobody).
    "import_review": Move(Action.IMPORT, Status.DRAFT, Status.REVIEW, "", "导入待审"),
    "import_publish": Move(Action.IMPORT, Status.DRAFT, Status.PUBLISHED, "", "导入发布"),
}
SYSTEM_MOVES = frozenset({"import_review", "import_publish"})

# Other apps may say that an editor has acted on a story in review (the printed paper: it is on a page);
# each callable takes the article and returns True. The author can then no longer pull it back.
acted_on_checks = []

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


class EditForbidden(WorkflowError):
    """The user may not change this article's content now."""


class EditConflict(WorkflowError):
    """Someone else saved the article after this user loaded it (optimistic locking)."""

    def __init__(self, message, *, current=None):
        super().__init__(message)
        self.current = current


def content_fields():
    """The fields an edit may change: the editable ones (status and times are editable=False: moves own them)."""
    return [f.name for f in Article._meta.concrete_fields if f.editable and not f.primary_key]


def allowed_moves(user, article):
    """Return the keys of ``MOVES`` this user may make on this article now."""
    return [
        key for key, move in MOVES.items() if article.status == move.source and may_move(user, article, key)
    ]


def editor_acted(article):
    """Whether someone other than the author has touched this story since it was submitted."""
    if article.updated_by_id is not None and article.updated_by_id != article.created_by_id:
        return True
    return any(check(article) for check in acted_on_checks)


def may_move(user, article, key):
    """Whether ``user`` may make move ``key`` on ``article`` (right and ownership, not the state)."""
    move = MOVES[key]
    if key in SYSTEM_MOVES or not (user and user.is_active and user.has_perm(move.perm)):
        return False
    if key == "submit":
        # A reporter submits his own drafts; an editor may submit anyone's.
        return article.created_by_id == user.pk or user.has_perm("articles.edit_any_article")
    if key == "unsubmit":
        # Only the author, and only until an editor has acted on it (edited, placed, returned…).
        return article.created_by_id == user.pk and not editor_acted(article)
    return True


def record_refusal(*, user, article, what):
    """Log a refused attempt to the security log and, for a saved article, to its audit trail."""
    security_log.warning(
        "refused %s of article %s by user %s", what, getattr(article, "pk", None), getattr(user, "pk", None)
    )
    if article is not None and article.pk and Article.objects.filter(pk=article.pk).exists():
        ArticleEvent.objects.create(
            article_id=article.pk,
            actor=user if getattr(user, "pk", None) else None,
            action=Action.REFUSED,
            from_status=article.status,
            to_status=article.status,
            note=f"越权操作被拒绝：{what}",
        )


def store_revision(article, user, comment):
    """Add the article (with its bylines and tags, followed) to the current or a new revision."""
    with reversion.create_revision():
        reversion.add_to_revision(article)
        if getattr(user, "pk", None):
            reversion.set_user(user)
        reversion.set_comment(comment)


def _transition(*, article, user, key, note="", published_at=None, check_permission=True):
    """The one place an article's status changes: the checks, a conditional UPDATE, an event, a revision."""
    move = MOVES[key]
    source = Status(article.status)
    if source != move.source:
        raise IllegalTransition(
            f"稿件当前状态为“{source.label}”，不能{move.label}（需要“{Status(move.source).label}”）。"
        )
    if check_permission and not may_move(user, article, key):
        record_refusal(user=user, article=article, what=f"{key} {source}→{move.target}")
        raise TransitionForbidden("您没有权限执行此操作。")
    # The note is checked only after the right: a refused user learns nothing about the form.
    note = (note or "").strip()
    if move.note_label and not note:
        raise NoteRequired(move.note_message)

    action, target = move.action, move.target
    now = timezone.now()
    changes = {"status": target, **_version_bump(user, now)}
    # Conditional on the state we read: if someone else moved (or, for unsubmit, edited) it meanwhile,
    # nothing changes.
    condition = {"pk": article.pk, "status": source}
    if key == "unsubmit":
        condition["updated_by_id"] = article.updated_by_id
    if target == Status.REVIEW or key in SYSTEM_MOVES:
        changes["submitted_at"] = now
    if target == Status.PUBLISHED:
        changes["published_at"] = published_at or now
        if changes["published_at"] > now:
            action = Action.SCHEDULE
    with transaction.atomic():
        updated = Article.objects.filter(**condition).update(**changes)
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
        store_revision(
            article, user, f"{Action(action).label}：{Status(source).label}→{Status(target).label}"
        )
        transaction.on_commit(
            lambda: article_transitioned.send(sender=Article, article=article, action=action, actor=user)
        )
    return article


def article_submit(*, article, user, note=""):
    """Send a draft to the review queue."""
    return _transition(article=article, user=user, key="submit", note=note)


def article_unsubmit(*, article, user, note=""):
    """Pull back one's own submitted story to draft (撤回送审), until an editor has acted on it."""
    return _transition(article=article, user=user, key="unsubmit", note=note)


def article_return(*, article, user, note):
    """Send an article in review back to its reporter, with a note saying what to fix."""
    return _transition(article=article, user=user, key="return", note=note)


def schedule_time(when, *, now=None, past_message="定时发布时间已过，请选择将来的时间，或直接“立即发布”。"):
    """The time to publish at: ``when`` (aware, not in the past), or now when ``when`` is None.

    A time in the past (beyond a minute's grace) is refused rather than silently back-dated: a past
    time is almost always a typo, and back-dating would reorder the site. Articles and the printed
    paper's release both schedule through here.
    """
    now = now or timezone.now()
    if when is None:
        return now
    if timezone.is_naive(when):
        raise InvalidSchedule("定时发布时间缺少时区。")
    if when < now - SCHEDULE_GRACE:
        raise InvalidSchedule(past_message)
    return max(when, now)


def article_publish(*, article, user, when=None, note=""):
    """Publish an article in review now, or at ``when`` (scheduled; see ``schedule_time``)."""
    now = timezone.now()
    when = schedule_time(when, now=now)
    return _transition(article=article, user=user, key="publish", note=note, published_at=when or now)


def article_withdraw(*, article, user, note):
    """Take a published article off the public site, with a reason."""
    return _transition(article=article, user=user, key="withdraw", note=note)


def article_reopen(*, article, user, note=""):
    """Put a withdrawn article back into the review queue."""
    return _transition(article=article, user=user, key="reopen", note=note)


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


def is_own(user, article):
    """Whether ``user`` wrote this article: its creator or a person in its bylines (as ``visible_to``)."""
    if article.created_by_id == user.pk:
        return True
    return article.pk is not None and article.bylines.filter(person__user=user).exists()


def can_view_history(user, article):
    """Editors see every article's history; a reporter only that of his own articles (creator or byline)."""
    if not (user and user.is_active and user.has_perm("articles.view_article")):
        return False
    return user.has_perm("articles.edit_any_article") or is_own(user, article)


def can_preview(user, article):
    """The author and the editors may preview an unpublished article."""
    if not (user and user.is_active and user.is_staff):
        return False
    if user.has_perm("articles.edit_any_article") or user.has_perm("articles.preview_article"):
        return True
    return is_own(user, article)


@transaction.atomic
def article_create(*, article, user):
    """Save a new article written by ``user`` and start its audit trail."""
    if not can_edit(user, article):
        record_refusal(user=user, article=None, what="create")
        raise EditForbidden("您没有权限新建稿件。")
    article.created_by = user
    article.updated_by = user
    article.status = Status.DRAFT
    article.version = 1
    article.save()
    ArticleEvent.objects.create(
        article=article, actor=user, action=Action.CREATE, from_status="", to_status=Status.DRAFT
    )
    return article


def _version_bump(user, now):
    """The columns every change of an article writes: the one place ``version`` goes up."""
    return {"version": F("version") + 1, "updated_by": user, "updated_at": now}


def claim_version(*, article, user, expected_version, check_permission=True):
    """Atomically take the right to save: bump ``version`` only if it is still ``expected_version``.

    One conditional UPDATE (``WHERE pk=… AND version=…``), not a read-then-write: of two people
    saving the same loaded version, the database lets exactly one through. The row stays locked
    by this UPDATE until the surrounding transaction ends. Raises EditConflict for the other.
    """
    if check_permission and not can_edit(user, article):
        record_refusal(user=user, article=article, what="edit")
        raise EditForbidden("您没有权限修改这篇稿件：记者只能修改自己的草稿。")
    updated = Article.objects.filter(pk=article.pk, version=expected_version).update(
        **_version_bump(user, timezone.now())
    )
    if not updated:
        current = Article.objects.filter(pk=article.pk).first()
        raise EditConflict("保存被拒绝：您打开这篇稿件之后，已有他人保存了新的内容。", current=current)
    article.version = expected_version + 1
    article.updated_by = user
    return article


@transaction.atomic
def article_save(*, article, user, expected_version, fields=None, comment="修改稿件", check_permission=True):
    """Save an edited article if nobody saved it since ``expected_version`` was loaded.

    Writes only content fields (never status or publication times) and stores a revision
    with the bylines and tags. ``check_permission=False`` is the system acting for the newsroom
    (the page importer replacing its own unedited text).
    """
    claim_version(
        article=article, user=user, expected_version=expected_version, check_permission=check_permission
    )
    article.save(update_fields=[*(fields or content_fields()), "version", "updated_by", "updated_at"])
    store_revision(article, user, comment)
    return article


def article_import_state(*, article, user, status, published_at=None, note=""):
    """Move a freshly imported draft to review or published: the page importer acting for the newsroom."""
    return article_import_states(
        articles=[article], user=user, status=status, published_at=published_at, note=note
    )[0]


def _import_move(status, published_at, now):
    """The importer's move to ``status``: (move, action, the columns it sets besides version)."""
    key = {Status.REVIEW: "import_review", Status.PUBLISHED: "import_publish"}.get(status)
    if key is None:
        raise IllegalTransition(
            f"导入的稿件只能从“草稿”改为“待审”或“已发布”，不能改为“{Status(status).label}”。"
        )
    move = MOVES[key]
    action, changes = move.action, {"status": move.target, "submitted_at": now}
    if move.target == Status.PUBLISHED:
        changes["published_at"] = published_at or now
        if changes["published_at"] > now:
            action = Action.SCHEDULE
    return move, action, changes


def _import_moved(articles, *, user, move, action, note, now, made=()):
    """The audit rows (after ``made``, other events, in one insert) and signals of the importer's move."""
    ArticleEvent.objects.bulk_create(
        [
            *made,
            *(
                ArticleEvent(
                    article=article,
                    actor=user,
                    action=action,
                    from_status=move.source,
                    to_status=move.target,
                    note=note,
                    created_at=now,
                )
                for article in articles
            ),
        ]
    )
    for article in articles:
        transaction.on_commit(
            lambda article=article: article_transitioned.send(
                sender=Article, article=article, action=action, actor=user
            )
        )


@transaction.atomic
def article_import_states(*, articles, user, status, published_at=None, note=""):
    """Move imported drafts (already saved) to review or published together: the importer's bulk move.

    The importer runs from the command line, often with no user; whoever may run ``import_pages``
    already holds the keys, so no permission is checked. The move is ``_transition``'s, made for many
    rows in a few statements: one conditional UPDATE (all still drafts, or nothing), an ArticleEvent
    IMPORT per article, each article refreshed in place and added to the revision, the signal each.
    """
    if any(article.status != Status.DRAFT for article in articles):
        raise IllegalTransition("导入的稿件只能从“草稿”改为“待审”或“已发布”。")
    now = timezone.now()
    move, action, changes = _import_move(status, published_at, now)
    pks = [article.pk for article in articles]
    if Article.objects.filter(pk__in=pks, status=move.source).update(
        **changes, **_version_bump(user, now)
    ) != len(pks):
        raise IllegalTransition("稿件已被他人处理，请刷新页面后再试。")
    _import_moved(articles, user=user, move=move, action=action, note=note, now=now)
    fields = ("status", "version", "updated_by_id", "updated_at", "submitted_at", "published_at")
    current = {row["pk"]: row for row in Article.objects.filter(pk__in=pks).values("pk", *fields)}
    with reversion.create_revision():
        for article in articles:
            for name in fields:
                setattr(article, name, current[article.pk][name])
            reversion.add_to_revision(article)
        if getattr(user, "pk", None):
            reversion.set_user(user)
        reversion.set_comment(
            f"{Action(action).label}：{Status(move.source).label}→{Status(move.target).label}"
        )
    return articles


@transaction.atomic(savepoint=False)  # inside the import's transaction: no savepoint per page
def article_import_create(*, articles, user, status, published_at=None, note=""):
    """Insert a page's new imported articles (unsaved) in one statement, already in ``status``.

    What a draft made and then moved by ``article_import_states`` would be, without writing each row
    twice: the IMPORT event of being made (→ draft) and, for review or published, the IMPORT event
    of the move and its signal; ``version`` counts both. The caller adds the articles to its
    revision once their bylines are in.
    """
    now = timezone.now()
    events = [
        ArticleEvent(
            article=article,
            actor=user,
            action=Action.IMPORT,
            from_status="",
            to_status=Status.DRAFT,
            note=note,
        )
        for article in articles
    ]
    for article, event in zip(articles, events, strict=True):
        article.derive_fields()
        article.created_at = event.created_at = now
        article.created_by = article.updated_by = user
        article.status, article.version = Status.DRAFT, 1
    moved = status != Status.DRAFT
    if moved:
        move, action, changes = _import_move(status, published_at, now)
        for article in articles:
            for name, value in changes.items():
                setattr(article, name, value)
            article.version = 2
    Article.objects.bulk_create(articles)
    if moved:
        _import_moved(articles, user=user, move=move, action=action, note=note, now=now, made=events)
    else:
        ArticleEvent.objects.bulk_create(events)
    return articles


def article_publish_in_edition(*, article, user, when, note="印刷版出版"):
    """Publish an article in review at its edition's release time (called by the edition's release).

    Unlike ``article_publish`` it keeps ``when`` exactly, so every story of one edition shares the
    edition's release time; the caller has already refused a release time in the past.
    """
    return _transition(article=article, user=user, key="publish", note=note, published_at=when)


# The function behind each move key (the admin and the edition release call these, never _transition).
MOVE_FUNCTIONS = {
    "submit": article_submit,
    "unsubmit": article_unsubmit,
    "return": article_return,
    "publish": article_publish,
    "withdraw": article_withdraw,
    "reopen": article_reopen,
}
