"""The production URLs plus one bench-only page: the floor an uncached article page is compared with.

``/bench/plain/<pk>/`` renders the same published article from the same table with a plain Django
view and a ten-line template: one query (the article and its section), no bylines, placements,
navigation or photos. ``bench/scale.py`` measures it beside ``/articles/<pk>/`` in the same gunicorn.
"""

from django.http import Http404, HttpResponse
from django.template import engines
from django.urls import path

from articles.models import Article
from newsroom.urls import handler404, handler500  # noqa: F401
from newsroom.urls import urlpatterns as site_urlpatterns

PLAIN = engines["django"].from_string(
    """<!doctype html>
<html lang="zh-hans"><head><meta charset="utf-8"><title>{{ article.headline }}</title></head>
<body><article>
{% if article.kicker %}<p>{{ article.kicker }}</p>{% endif %}
<h1>{{ article.headline }}</h1>
{% if article.subheadline %}<p>{{ article.subheadline }}</p>{% endif %}
<p>{{ article.section.name }} {{ article.published_at|date:"Y-m-d H:i" }}</p>
{{ article.body|safe }}
</article></body></html>"""
)


def plain_article(request, pk):
    """The article, read and rendered the plainest way Django allows."""
    article = (
        Article.objects.published()
        .select_related("section")
        .only("kicker", "headline", "subheadline", "body", "published_at", "section__name")
        .filter(pk=pk)
        .first()
    )
    if article is None:
        raise Http404
    return HttpResponse(PLAIN.render({"article": article}, request))


urlpatterns = [path("bench/plain/<int:pk>/", plain_article), *site_urlpatterns]
