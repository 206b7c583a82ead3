"""Sitemap of the e-paper: the front page of each released edition (joined in newsroom/urls.py)."""

from django.contrib.sitemaps import Sitemap

from .models import Edition


class EditionSitemap(Sitemap):
    """The e-paper front page of each released edition."""

    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Edition.objects.released().order_by("-date")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {"editions": EditionSitemap}
