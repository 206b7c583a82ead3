"""Template tags that bring the printed edition into news-site pages (articles never imports editions)."""

from django import template

from articles.models import Article
from editions.models import Edition, Page, Placement

register = template.Library()


@register.inclusion_tag("includes/article_print.html")
def article_in_print(article):
    """Where a story stood in print: its page, 下转X版 / 上接X版 links, previous and next story."""
    if article is None or not article.pk:
        return {"placement": None}
    placement = (
        Placement.objects.filter(article=article, edition__in=Edition.objects.released())
        .select_related("edition", "page", "continues_on")
        .order_by("-edition__date")
        .first()
    )
    if placement is None:
        return {"placement": None}
    if placement.continues_on is not None and placement.continues_on.is_placeholder:
        placement.continues_on = None  # a 待定 placeholder is never shown to readers
    for page in (placement.page, placement.continues_on):
        if page is not None:
            page.edition = placement.edition
    # The edition's published stories in reading order: page by page, lead first.
    order = list(
        Placement.objects.filter(edition=placement.edition, article__in=Article.objects.published())
        .order_by("page__number", "-is_lead", "position")
        .values_list("article_id", "article__headline")
    )
    ids = [pk for pk, _ in order]
    previous_story = next_story = None
    if article.pk in ids:
        index = ids.index(article.pk)
        if index > 0:
            previous_story = order[index - 1]
        if index + 1 < len(order):
            next_story = order[index + 1]
    return {
        "placement": placement,
        "edition": placement.edition,
        "previous_story": previous_story,
        "next_story": next_story,
    }


@register.inclusion_tag("includes/front_page.html")
def front_page():
    """The current edition's front page and the lead story of each of its pages (the day's leads)."""
    edition = Edition.objects.released().order_by("-date").first()
    if edition is None:
        return {"edition": None}
    leads = list(
        Placement.objects.filter(edition=edition, is_lead=True, article__in=Article.objects.published())
        .exclude(page__name=Page.PLACEHOLDER_NAME)
        .select_related("article", "page")
        .order_by("page__number")
    )
    pages = list(edition.pages.for_readers().order_by("number"))
    for page in pages:
        page.edition = edition
    for placement in leads:
        placement.page.edition = edition
    return {"edition": edition, "leads": leads, "pages": pages, "front": pages[0] if pages else None}
