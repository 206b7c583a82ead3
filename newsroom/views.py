"""Project-level views: robots.txt, the health check and the Chinese 404/500 pages."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, HttpResponseNotFound, HttpResponseServerError
from django.template import loader
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@require_safe
def robots_txt(request):
    """robots.txt: the public site is open; the admin and previews are not; where the sitemaps are."""
    base = f"{request.scheme}://{request.get_host()}"
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "Disallow: /search/",
        f"Sitemap: {base}{reverse('sitemap')}",
        f"Sitemap: {base}{reverse('articles:news_sitemap')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def _database_answers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _cache_answers():
    # A write and a read: a shared cache that accepts no writes would serve stale pages after a purge.
    cache.set("healthz", 1, timeout=30)
    return cache.get("healthz") == 1


@require_safe
def healthz(request):
    """For nginx, systemd and monitors: 200 "ok" when the database and the cache answer, else 503 naming which.

    Never cached (not a cache_public_page view, and no-cache headers), no session touched, exempt from the
    HTTPS redirect (SECURE_REDIRECT_EXEMPT in production settings).
    """
    failed = []
    for name, check in (("database", _database_answers), ("cache", _cache_answers)):
        try:
            if not check():
                failed.append(name)
        except Exception:  # whatever the backend raises, the answer is "this part is down"
            logger.warning("healthz: %s check failed", name, exc_info=True)
            failed.append(name)
    if failed:
        response = HttpResponse(f"unavailable: {', '.join(failed)}\n", status=503, content_type="text/plain")
    else:
        response = HttpResponse("ok\n", content_type="text/plain")
    add_never_cache_headers(response)
    return response


def page_not_found(request, exception=None):
    """The Chinese 404 page (the reader's path is escaped by the template)."""
    template = loader.get_template("404.html")
    return HttpResponseNotFound(template.render({"request_path": request.path}, request))


def server_error(request):
    """The Chinese 500 page: a static template with no context processors (they may be what failed)."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"paper_name": settings.NEWSROOM_PAPER_NAME}))
