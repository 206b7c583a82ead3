"""The sitemap index of the whole site: the small sitemaps of both apps, then one per month of stories.

Django's own index asks every sitemap for its page count, which for the articles would count the
whole archive; here the articles are split by month (``articles.sitemaps.ArticleMonthSitemap``) and
the months come from two index reads, so the index costs the same at a thousand stories and at a
million.
"""

from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sites.shortcuts import get_current_site
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from articles.sitemaps import SITEMAPS as ARTICLE_SITEMAPS
from articles.sitemaps import ArticleMonthSitemap, article_months
from editions.sitemaps import SITEMAPS as EDITION_SITEMAPS

# Sections, columns, editions: one sitemap each at /sitemap-<name>.xml (tables of hundreds or a few
# thousand rows).
SITEMAPS = {**ARTICLE_SITEMAPS, **EDITION_SITEMAPS}


@sitemap_views.x_robots_tag
def index(request):
    """/sitemap.xml: the small sitemaps (with their extra pages, if any), then the months, newest first."""
    base = f"{request.scheme}://{get_current_site(request).domain}"
    entries = []
    for name, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = base + reverse("sitemap_section", kwargs={"section": name})
        entries.append(sitemap_views.SitemapIndexItem(location, None))
        entries += [
            sitemap_views.SitemapIndexItem(f"{location}?p={page}", None)
            for page in range(2, sitemap.paginator.num_pages + 1)
        ]
    for year, month in article_months():
        location = reverse("sitemap_articles_month", kwargs={"year": year, "month": month})
        entries.append(sitemap_views.SitemapIndexItem(base + location, None))
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


def articles_month(request, year, month):
    """/sitemap-articles-YYYY-MM.xml: the stories published in that month.

    Written out directly rather than through Django's sitemap template: a month of a daily is a few
    thousand URLs, which the template renders in hundreds of milliseconds and a join in a few.
    """
    if not 1900 <= year <= 2999:
        raise Http404("没有这个月份。")
    sitemap = ArticleMonthSitemap(year, month)
    base = f"{request.scheme}://{get_current_site(request).domain}"
    sample = reverse("articles:detail", kwargs={"pk": 0})  # /articles/0/: the pk is its last part
    prefix, suffix = (
        escape(part) for part in (base + sample[: sample.rindex("0")], sample[sample.rindex("0") + 1 :])
    )
    tail = f"</lastmod><changefreq>{sitemap.changefreq}</changefreq><priority>{sitemap.priority}</priority></url>\n"
    rows = sitemap.items().values_list("pk", "updated_at")[: sitemap.limit]
    body = "".join(
        f"<url><loc>{prefix}{pk}{suffix}</loc><lastmod>{timezone.localdate(updated):%Y-%m-%d}{tail}"
        for pk, updated in rows
    )
    response = HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + body + "</urlset>\n",
        content_type="application/xml",
    )
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response
