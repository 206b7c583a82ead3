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

from articles.models import Article
from editions.models import Edition, Page, Placement

register = template.Library()


# What a placement row needs of its article to show it and to tell whether readers may see it.
ARTICLE_FIELDS = ("article__status", "article__published_at", "article__headline")


@register.inclusion_tag("includes/article_print.html")
def article_in_print(article):
    """Where a story stood in print: its page, 下转X版 / 上接X版 links, previous and next story.

    One query: the placements of the newest released edition the story stands in, in reading order
    (page by page, lead first), as plain rows (an edition has dozens: no model instance per row).
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
        .order_by("page__number", "-is_lead", "position")
        .values_list(
            "article_id", "article__headline", "article__status", "article__published_at",
            "edition_id", "edition__date", "edition__number",
            "page_id", "page__number", "page__name",
            "continues_on_id", "continues_on__number", "continues_on__name",
        )
    )  # fmt: skip
    # The row-wise twin of Article.objects.published() (Article.is_published).
    visible = [r for r in rows if r[2] == Article.Status.PUBLISHED and r[3] is not None and r[3] <= now]
    mine = next((r for r in rows if r[0] == article.pk), None)
    if mine is None:
        return {"placement": None}
    edition = Edition(pk=mine[4], date=mine[5], number=mine[6])
    page = Page(pk=mine[7], edition=edition, number=mine[8], name=mine[9])
    jump = None
    if mine[10] is not None and mine[12] != Page.PLACEHOLDER_NAME:  # a 待定 placeholder is never shown
        jump = Page(pk=mine[10], edition=edition, number=mine[11], name=mine[12])
    placement = Placement(article_id=article.pk, page=page, continues_on=jump, edition=edition)
    position = next((i for i, r in enumerate(visible) if r[0] == article.pk), None)

    def story(i):
        if position is None or not 0 <= i < len(visible):
            return None
        return (visible[i][0], visible[i][1])

    return {
        "placement": placement,
        "edition": edition,
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
