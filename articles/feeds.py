"""RSS and Atom feeds of published stories: latest, per section, per column."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .bylines import byline_line
from .models import Article, Column, Section

FEED_SIZE = 30


def _items(qs):
    return qs.select_related("section").with_bylines().order_by("-published_at", "-pk")[:FEED_SIZE]


class LatestFeed(Feed):
    """The latest published stories (RSS 2.0)."""

    description_template = None

    def title(self):
        return f"{settings.NEWSROOM_PAPER_NAME} · 最新稿件"

    def link(self):
        return reverse("articles:home")

    def description(self):
        return f"{settings.NEWSROOM_PAPER_NAME}最新发布的稿件。"

    def items(self):
        return _items(Article.objects.published())

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or item.body_text()[:200]

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return byline_line(item.bylines.all()) or None

    def item_categories(self, item):
        return [item.section.name]


class LatestAtomFeed(LatestFeed):
    """The latest published stories (Atom)."""

    feed_type = Atom1Feed
    subtitle = LatestFeed.description


class SectionFeed(LatestFeed):
    """The latest published stories of one section (RSS 2.0)."""

    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def title(self, obj):
        return f"{settings.NEWSROOM_PAPER_NAME} · {obj.name}"

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return obj.description or f"{obj.name}栏目的最新稿件。"

    def items(self, obj):
        return _items(Article.objects.published().filter(section=obj))


class SectionAtomFeed(SectionFeed):
    """The latest published stories of one section (Atom)."""

    feed_type = Atom1Feed
    subtitle = SectionFeed.description


class ColumnFeed(SectionFeed):
    """The latest published stories of one column (RSS 2.0)."""

    def get_object(self, request, slug):
        return get_object_or_404(Column, slug=slug)

    def description(self, obj):
        return obj.description or f"{obj.name}专栏的最新稿件。"

    def items(self, obj):
        return _items(Article.objects.published().filter(column=obj))


class ColumnAtomFeed(ColumnFeed):
    """The latest published stories of one column (Atom)."""

    feed_type = Atom1Feed
    subtitle = ColumnFeed.description
