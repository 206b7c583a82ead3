"""Template tags that bring the printed edition into news-site pages (articles never imports editions).

Whether a placed story is visible is read from its row, joined on the article's primary key with no
condition on the article (``placement.article.is_published``, the instance twin of
``Article.objects.published()``). Any condition on the article side, ``article_id IN (SELECT …
published)`` or an ``EXISTS`` (which PostgreSQL may hash), lets a planner without statistics start
from "every published story" (seconds at scale); a plain primary-key join from an edition's few dozen
placements stays a nested loop over the primary key index.
"""

from django import template
from django.db.models import Subquery
from django.utils import timezone

from editions.models import Edition, Placement

register = template.Library()


# What a placement row needs of its article to show it and to tell whether readers may see it.
ARTICLE_FIELDS = ("article__status", "article__published_at", "article__headline")


@register.inclusion_tag("includes/article_print.html")
def article_in_print(article):
    """Where a story stood in print: its page, 下转X版 / 上接X版 links, previous and next story.

    One query: the published placements of the newest released edition the story stands in, in
    reading order (page by page, lead first), with their pages and the story's headline.
    """
    if article is None or not article.pk:
        return {"placement": None}
    now = timezone.now()
    newest = (
        Placement.objects.filter(article_id=article.pk, edition__in=Edition.objects.released(now))
        .order_by("-edition__date")
        .values("edition_id")[:1]
    )
    rows = list(
        Placement.objects.filter(edition_id=Subquery(newest))
        .select_related("edition", "page", "continues_on", "article")
        .only(
            "pk", "edition_id", "page_id", "article_id", "position", "is_lead", "continues_on_id",
            "edition__date", "edition__number", "page__number", "page__name", "page__edition_id",
            "continues_on__number", "continues_on__name", "continues_on__edition_id", *ARTICLE_FIELDS,
        )
        .order_by("page__number", "-is_lead", "position")
    )  # fmt: skip
    for row in rows:
        row.visible = row.article.is_published
    order = [p for p in rows if p.visible or p.article_id == article.pk]
    index = next((i for i, p in enumerate(order) if p.article_id == article.pk), None)
    if index is None:
        return {"placement": None}
    placement = order[index]
    if placement.continues_on is not None and placement.continues_on.is_placeholder:
        placement.continues_on = None  # a 待定 placeholder is never shown to readers
    for page in (placement.page, placement.continues_on):
        if page is not None:
            page.edition = placement.edition
    visible = [p for p in order if p.visible]
    position = next((i for i, p in enumerate(visible) if p.article_id == article.pk), None)

    def story(i):
        if position is None or not 0 <= i < len(visible):
            return None
        return (visible[i].article_id, visible[i].article.headline)

    return {
        "placement": placement,
        "edition": placement.edition,
        "previous_story": story(position - 1) if position is not None else None,
        "next_story": story(position + 1) if position is not None else None,
    }


@register.inclusion_tag("includes/front_page.html")
def front_page():
    """The current edition's front page and the lead story of each of its pages (the day's leads).

    Two queries: the edition's pages for readers, and the leads (published stories only).
    """
    now = timezone.now()
    edition = Edition.objects.released(now).order_by("-date").first()
    if edition is None:
        return {"edition": None}
    pages = list(edition.pages.for_readers().only("pk", "edition_id", "number", "name").order_by("number"))
    by_pk = {page.pk: page for page in pages}
    leads = [
        placement
        for placement in Placement.objects.filter(edition=edition, is_lead=True)
        .select_related("article")
        .only("pk", "page_id", "article_id", "article__kicker", "article__summary", *ARTICLE_FIELDS)
        .order_by()
        if placement.article.is_published and placement.page_id in by_pk
    ]
    for page in pages:
        page.edition = edition
    for placement in leads:
        placement.page = by_pk[placement.page_id]
    leads.sort(key=lambda p: p.page.number)
    return {"edition": edition, "leads": leads, "pages": pages, "front": pages[0] if pages else None}
