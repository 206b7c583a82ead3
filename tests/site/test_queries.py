"""Every public page answers in a bounded number of queries, whatever the number of stories shown."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from articles.models import Byline
from tests.factories import ArticleFactory, BylineFactory, PersonFactory, PlacementFactory

pytestmark = pytest.mark.django_db


def _grow(world, n, start=0):
    """Add n published stories with two bylines and tags each, placed on pages 2 and 3."""
    for i in range(start, start + n):
        article = ArticleFactory(
            published=True, headline=f"晋江新闻{i}", section=world.section, column=world.column
        )
        article.tags.add("晋江", f"标签{i}")
        BylineFactory(article=article, person=world.reporter, role=Byline.Role.REPORTER, order=1)
        BylineFactory(article=article, person=PersonFactory(), role=Byline.Role.CORRESPONDENT, order=2)
        PlacementFactory(page=world.pages[1 + i % 2], article=article, position=100 + i, continues_on=None)


def _urls(world):
    return [
        "/",
        world.lead.get_absolute_url(),
        world.section.get_absolute_url(),
        world.column.get_absolute_url(),
        world.reporter.get_absolute_url(),
        "/tags/晋江/",
        "/search/?q=晋江",
        "/search/?q=新闻&section=yaowen",
        world.pages[0].get_absolute_url(),
        world.pages[1].get_absolute_url(),
        world.pages[2].get_absolute_url(),
        "/epaper/archive/",
        "/feeds/latest/rss/",
        f"/sections/{world.section.slug}/atom/",
        f"/columns/{world.column.slug}/rss/",
        "/sitemap.xml",
        f"/sitemap-articles-{timezone.localtime(world.lead.published_at):%Y-%m}.xml",
        "/sitemap-news.xml",
        "/robots.txt",
    ]


def _counts(client, world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for url in _urls(world):
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200, url
        counts[url] = len(ctx)
    return counts


def test_query_counts_do_not_grow_with_the_number_of_stories(client, world, django_assert_max_num_queries):
    _grow(world, 2)
    few = _counts(client, world, django_assert_max_num_queries)
    _grow(world, 40, start=2)
    many = _counts(client, world, django_assert_max_num_queries)
    for url in few:
        # The same bound holds with 5 stories and with 45 (20 on a listing page, 40 in search).
        with django_assert_max_num_queries(few[url]):
            cache.clear()
            client.get(url)
        assert many[url] <= few[url], (url, few[url], many[url])
    # Search on PostgreSQL adds its planner probe and SET LOCAL statements: still a fixed number.
    assert max(many.values()) <= 15, many


# What a page costs when the page cache misses, besides the cache's own look for the next scheduled
# story or edition (2 queries, memoised per site generation). Search is budgeted in test_search.py.
BUDGETS = {
    "home": 7,  # sections, their latest (one each: 1 here), latest, nav, edition, its pages, leads
    "article": 5,  # article (+section, column, photo), bylines, tags, nav, the edition's placements
    "section": 3,  # section, the page (+1 row), nav
    "section, deep": 4,  # + whether anything lies before the page
    "column": 3,
    "person": 4,  # person, page, capped count, nav
    "tag": 3,
    "epaper page": 5,  # edition, pages, placements, continued here, nav
    "feed": 3,
    "sitemap index": 5,  # sections, columns, editions (page counts), oldest and newest story
    "sitemap month": 2,
}
NEXT_RELEASE = 2


def _budgeted(world):
    from articles.pagination import cursor_of

    month = f"{timezone.localtime(world.lead.published_at):%Y-%m}"
    return {
        "home": "/",
        "article": world.lead.get_absolute_url(),
        "section": world.section.get_absolute_url(),
        "section, deep": world.section.get_absolute_url() + "?before=" + cursor_of(world.lead),
        "column": world.column.get_absolute_url(),
        "person": world.reporter.get_absolute_url(),
        "tag": "/tags/晋江/",
        "epaper page": world.pages[0].get_absolute_url(),
        "feed": f"/sections/{world.section.slug}/rss/",
        "sitemap index": "/sitemap.xml",
        "sitemap month": f"/sitemap-articles-{month}.xml",
    }


@pytest.mark.parametrize("grow", [0, 30])
def test_each_page_within_its_budget(client, world, django_assert_max_num_queries, grow):
    _grow(world, grow)
    for name, url in _budgeted(world).items():
        cache.clear()
        with django_assert_max_num_queries(BUDGETS[name] + NEXT_RELEASE, info=name):
            assert client.get(url).status_code == 200, url
