"""Project URLs: the admin, the news site (articles), the e-paper (editions) and the sitemaps of both."""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin import actions as admin_actions
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.utils.functional import lazy

from articles.sitemaps import SITEMAPS as ARTICLE_SITEMAPS
from editions.sitemaps import SITEMAPS as EDITION_SITEMAPS

from . import views
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

# /sitemap.xml indexes the sections of both apps: /sitemap-articles.xml … /sitemap-editions.xml.
SITEMAPS = {**ARTICLE_SITEMAPS, **EDITION_SITEMAPS}

handler404 = "newsroom.views.page_not_found"
handler500 = "newsroom.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("robots.txt", cache_public_page(views.robots_txt), name="robots_txt"),
    path("epaper/", include("editions.urls")),
    path("preview/", include("articles.preview_urls")),
    path("", include("articles.urls")),
    # After the news site's URLs, so that its /sitemap-news.xml is not taken for a section here.
    path(
        "sitemap.xml",
        cache_public_page(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<str:section>.xml",
        cache_public_page(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
