"""Project-level views: robots.txt and the Chinese 404/500 pages."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotFound, HttpResponseServerError
from django.template import loader
from django.urls import reverse
from django.views.decorators.http import require_GET


@require_GET
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


def page_not_found(request, exception=None):
    """The Chinese 404 page (the reader's path is escaped by the template)."""
    template = loader.get_template("404.html")
    return HttpResponseNotFound(template.render({"request_path": request.path}, request))


def server_error(request):
    """The Chinese 500 page: a static template with no context processors (they may be what failed)."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"paper_name": settings.NEWSROOM_PAPER_NAME}))
