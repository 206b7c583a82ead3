"""Sitemaps of the news site: published articles, sections, columns; a Google News sitemap.

The sitemap index (newsroom/urls.py) joins these with the other apps' sitemaps.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.template.response import TemplateResponse
from django.utils import timezone

from .models import Article, Column, Section

NEWS_SITEMAP_LIMIT = 1000


class ArticleSitemap(Sitemap):
    """Every published article at its canonical URL (the index lists one sitemap page per 5,000)."""

    changefreq = "weekly"
    priority = 0.8
    # Pages of 5,000 URLs keep each sitemap response cheap to render at 100,000+ stories.
    limit = 5000

    def items(self):
        return Article.objects.published().only("pk", "updated_at").order_by("-pk")

    def lastmod(self, item):
        return item.updated_at


class SectionSitemap(Sitemap):
    """Section listings."""

    changefreq = "hourly"
    priority = 0.6

    def items(self):
        return Section.objects.order_by("position", "pk")


class ColumnSitemap(Sitemap):
    """Column listings of active columns."""

    changefreq = "daily"
    priority = 0.5

    def items(self):
        return Column.objects.filter(is_active=True).order_by("pk")


SITEMAPS = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "columns": ColumnSitemap,
}


def news_sitemap(request):
    """A Google News sitemap of the stories published in the last two days."""
    since = timezone.now() - timedelta(days=2)
    articles = (
        Article.objects.published()
        .filter(published_at__gte=since)
        .only("pk", "kicker", "headline", "subheadline", "published_at")
        .order_by("-published_at", "-pk")[:NEWS_SITEMAP_LIMIT]
    )
    base = f"{request.scheme}://{request.get_host()}"
    return TemplateResponse(
        request,
        "site/news_sitemap.xml",
        {"articles": articles, "base": base, "publication_name": settings.NEWSROOM_PAPER_NAME},
        content_type="application/xml; charset=utf-8",
    )
