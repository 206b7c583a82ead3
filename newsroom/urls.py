"""Project URLs: the admin, the news site (articles), the e-paper (editions) and the sitemaps of both."""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin import actions as admin_actions
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, register_converter
from django.utils.functional import lazy

from . import sitemaps, views
from .cache import cache_public_page


def desk_name():
    """The admin's name: the paper's (``NEWSROOM_PAPER_NAME``) followed by 采编系统."""
    return f"{settings.NEWSROOM_PAPER_NAME} 采编系统"


# One place for the admin's branding: header, every page's <title> (login and logout included, through
# templates/admin/base_site.html) carry the paper's name, read when a page is drawn.
admin.site.site_header = admin.site.site_title = lazy(desk_name, str)()
admin.site.index_title = "采编工作台"


@admin.action(permissions=["delete"], description="删除所选%(verbose_name_plural)s")
def delete_selected(modeladmin, request, queryset):
    """Django's bulk delete, worded without the space Django puts inside "删除所选的 稿件"."""
    return admin_actions.delete_selected(modeladmin, request, queryset)


admin.site.add_action(delete_selected)


class MonthConverter:
    """A two-digit month in a sitemap's name (01–12); anything else is not a sitemap."""

    regex = r"0[1-9]|1[0-2]"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{value:02d}"


register_converter(MonthConverter, "month")

handler404 = "newsroom.views.page_not_found"
handler500 = "newsroom.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("robots.txt", cache_public_page(views.robots_txt), name="robots_txt"),
    path("healthz", views.healthz, name="healthz"),
    path("epaper/", include("editions.urls")),
    path("preview/", include("articles.preview_urls")),
    path("", include("articles.urls")),
    # After the news site's URLs, so that its /sitemap-news.xml is not taken for a section here.
    # /sitemap.xml indexes /sitemap-sections.xml, /sitemap-columns.xml, /sitemap-editions.xml and one
    # /sitemap-articles-YYYY-MM.xml per month of stories (newsroom/sitemaps.py).
    path("sitemap.xml", cache_public_page(sitemaps.index), name="sitemap"),
    path(
        "sitemap-articles-<int:year>-<month:month>.xml",
        cache_public_page(sitemaps.articles_month),
        name="sitemap_articles_month",
    ),
    path(
        "sitemap-<str:section>.xml",
        cache_public_page(sitemap_views.sitemap, query=("p",)),
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap_section",
    ),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
