"""Sitemaps of the news site: published articles by month, sections, columns; a Google News sitemap.

The sitemap index (newsroom/sitemaps.py) joins these with the other apps' sitemaps.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.template.response import TemplateResponse
from django.utils import timezone

from .models import Article, Column, Section

NEWS_SITEMAP_LIMIT = 1000


class ArticleMonthSitemap(Sitemap):
    """The published articles of one calendar month (local time), oldest first.

    The sitemap index lists one of these per month from the first story to the last
    (``article_months``) without counting anything; a month is read through the (status,
    ``published_at``) index range. A county daily prints ~1,500 stories a month, far below the
    50,000 URLs a sitemap may hold.
    """

    changefreq = "weekly"
    priority = 0.8
    limit = 50_000

    def __init__(self, year, month):
        self.year, self.month = year, month

    def items(self):
        start, end = month_bounds(self.year, self.month)
        return (
            Article.objects.published()
            .filter(published_at__gte=start, published_at__lt=end)
            .only("pk", "updated_at")
            .order_by("published_at", "pk")
        )

    def lastmod(self, item):
        return item.updated_at


def month_bounds(year, month):
    """The first instant of a month and of the next one, in the site's time zone."""
    start = timezone.make_aware(datetime(year, month, 1))
    end = timezone.make_aware(datetime(year + month // 12, month % 12 + 1, 1))
    return start, end


def article_months():
    """(year, month) of every month from the first published story to the last, newest first.

    Two index reads (the oldest and the newest story), never a scan or a GROUP BY of the archive:
    a month without stories simply has an empty sitemap.
    """
    published = Article.objects.published().order_by()
    oldest = published.order_by("published_at").values_list("published_at", flat=True).first()
    newest = published.order_by("-published_at").values_list("published_at", flat=True).first()
    if oldest is None:
        return []
    oldest, newest = timezone.localtime(oldest), timezone.localtime(newest)
    months = []
    year, month = newest.year, newest.month
    while (year, month) >= (oldest.year, oldest.month):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


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


# Small tables, one sitemap each; the articles' sitemaps are per month (ArticleMonthSitemap).
SITEMAPS = {
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
