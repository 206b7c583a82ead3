"""Project URLs: the admin, the news site (articles) and the e-paper (editions)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from articles.cache import cache_public_page

from . import views

handler404 = "newsroom.views.page_not_found"
handler500 = "newsroom.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("robots.txt", cache_public_page(views.robots_txt), name="robots_txt"),
    path("epaper/", include("editions.urls")),
    path("preview/", include("articles.preview_urls")),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
