"""Stories sent back to their reporter (被退回): a draft whose last move was a return (退回)."""

from django.db.models import F, OuterRef, Prefetch, Subquery

from .models import Article, ArticleEvent, Byline


def last_moves():
    """An article's moves, newest first, for a Subquery on ``OuterRef("pk")``.

    A move changes the status; refusals and restored versions are logged with the same status on
    both sides and are not moves, so they neither make nor clear a return.
    """
    return (
        ArticleEvent.objects.filter(article=OuterRef("pk"))
        .exclude(from_status=F("to_status"))
        .order_by("-created_at", "-pk")
    )


def with_last_move(queryset):
    """Annotate each article with ``last_move_action``: one subquery in the list's query, not one per row."""
    return queryset.annotate(last_move_action=Subquery(last_moves().values("action")[:1]))


def returned(queryset):
    """Only the returned stories: drafts whose last move was 退回."""
    return with_last_move(queryset).filter(
        status=Article.Status.DRAFT, last_move_action=ArticleEvent.Action.RETURN
    )


def is_returned(article):
    """Whether an article annotated by ``with_last_move`` is a returned draft."""
    return (
        article.status == Article.Status.DRAFT
        and getattr(article, "last_move_action", None) == ArticleEvent.Action.RETURN
    )


def mine(queryset, user):
    """The stories ``user`` wrote or stands in the byline of (我的稿件).

    One IN over the union of the two small sets of ids (his stories by creator, his bylines): no
    join, so no duplicates and no ``DISTINCT``; no OR, which no index answers, so the planner does
    not walk the whole archive looking for a few hundred stories.
    """
    created = Article.objects.filter(created_by=user).order_by().values("pk")
    bylined = Byline.objects.filter(person__user=user).order_by().values("article_id")
    return queryset.filter(pk__in=created.union(bylined))


def returned_to(user, limit=20):
    """The returned stories of ``user``, newest return first, each with ``return_event`` (note, actor, time).

    Three queries whatever the number: the stories, their return events, and nothing per row.
    """
    ids = mine(returned(Article.objects.all()), user).values("pk")
    returns = ArticleEvent.objects.filter(action=ArticleEvent.Action.RETURN).select_related("actor__person")
    stories = list(
        Article.objects.filter(pk__in=ids)
        .annotate(returned_at=Subquery(last_moves().values("created_at")[:1]))
        .order_by("-returned_at", "-pk")
        .prefetch_related(
            Prefetch("events", queryset=returns.order_by("-created_at", "-pk"), to_attr="returns")
        )[:limit]
    )
    for story in stories:
        story.return_event = story.returns[0] if story.returns else None
    return stories
