"""Listings page by keyset (?before= / ?after=): every story once, in order, at any depth, in the same
number of queries; links both ways; cursors that do not parse are 404."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from articles.models import Byline
from articles.pagination import cursor_of, parse_cursor
from tests.factories import ArticleFactory, BylineFactory, ColumnFactory, PersonFactory, SectionFactory

pytestmark = pytest.mark.django_db

NEXT = re.compile(r'rel="next" href="(\?before=[0-9_-]+)"')
PREV = re.compile(r'rel="prev" href="(\?after=[0-9_-]+)"')
ITEM = re.compile(r'<h3 class="headline"><a href="/articles/(\d+)/">')


@pytest.fixture
def listing(db):
    """47 published stories in one section and column, five of them sharing one publication time,
    plus a draft and a scheduled story that must never show."""
    section = SectionFactory(slug="shehui", name="社会")
    column = ColumnFactory(slug="jinjiang", name="晋江")
    person = PersonFactory(name="王记者")
    base = timezone.now() - timedelta(days=30)
    stories = []
    for i in range(47):
        # Stories 10–14 share a time: the pk decides their order.
        when = base + timedelta(hours=10 if 10 <= i < 15 else i)
        article = ArticleFactory(published=True, published_at=when, section=section, column=column)
        article.tags.add("晋江")
        BylineFactory(article=article, person=person, role=Byline.Role.REPORTER)
        stories.append(article)
    ArticleFactory(section=section, column=column, headline="草稿")
    ArticleFactory(scheduled=True, section=section, column=column, headline="定时稿")
    expected = [a.pk for a in sorted(stories, key=lambda a: (a.published_at, a.pk), reverse=True)]
    return section, column, person, expected


def _walk(client, url):
    """Follow 下一页 from the first page, then 上一页 back; the pages seen each way."""
    forward, pages = [], []
    html = client.get(url).content.decode()
    while True:
        pages.append(ITEM.findall(html))
        forward += pages[-1]
        link = NEXT.search(html)
        if link is None:
            break
        html = client.get(url + link.group(1)).content.decode()
    backward = [ITEM.findall(html)]
    while (link := PREV.search(html)) is not None:
        html = client.get(url + link.group(1)).content.decode()
        backward.append(ITEM.findall(html))
    return [int(pk) for pk in forward], pages, backward[::-1]


@pytest.mark.parametrize("kind", ["section", "column", "person", "tag"])
def test_every_story_once_in_order_and_back_again(client, listing, kind):
    section, column, person, expected = listing
    url = {
        "section": section.get_absolute_url(),
        "column": column.get_absolute_url(),
        "person": person.get_absolute_url(),
        "tag": "/tags/晋江/",
    }[kind]
    forward, pages, backward = _walk(client, url)
    assert forward == expected
    assert [len(p) for p in pages] == [20, 20, 7]
    assert backward == pages  # 上一页 retraces the same pages
    first = client.get(url).content.decode()
    assert PREV.search(first) is None and "最新" not in first.split('class="pagination"')[-1][:200]


def test_person_page_counts_up_to_a_cap(client, listing, monkeypatch):
    from articles import views

    _, _, person, _ = listing
    assert "共 47 篇稿件" in client.get(person.get_absolute_url()).content.decode()
    monkeypatch.setattr(views, "PERSON_COUNT_CAP", 30)
    cache.clear()
    assert "共 30 余篇稿件" in client.get(person.get_absolute_url()).content.decode()


def test_deep_pages_cost_the_same_queries_as_the_first(client, listing, django_assert_max_num_queries):
    section, _, _, expected = listing
    url = section.get_absolute_url()
    client.get(url)  # warm what is loaded once per process
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    deep = expected[40]
    from articles.models import Article

    cursor = cursor_of(Article.objects.get(pk=deep))
    cache.clear()
    with django_assert_max_num_queries(len(first) + 1):  # + whether anything lies before the page
        html = client.get(url + "?before=" + cursor).content.decode()
    assert [int(pk) for pk in ITEM.findall(html)] == expected[41:]


def test_a_cursor_past_the_end_is_an_empty_page_leading_back(client, listing):
    section, _, _, expected = listing
    html = client.get(section.get_absolute_url() + "?before=0_1").content.decode()
    assert ITEM.findall(html) == [] and "暂无稿件" in html
    back = PREV.search(html).group(1)
    assert [
        int(pk) for pk in ITEM.findall(client.get(section.get_absolute_url() + back).content.decode())
    ] == (expected[-20:])


def test_after_the_newest_story_shows_the_first_page(client, listing):
    section, _, _, expected = listing
    html = client.get(section.get_absolute_url() + "?after=" + "9" * 17 + "_1").content.decode()
    assert [int(pk) for pk in ITEM.findall(html)] == expected[:20]


@pytest.mark.parametrize(
    "query",
    ["?before=abc", "?after=1.5_2", "?before=-99999999999999999_1", "?before=1_2&after=1_2", "?before="],
)
def test_malformed_cursors_are_404_on_every_listing(client, listing, query):
    section, column, person, _ = listing
    for url in (
        section.get_absolute_url(),
        column.get_absolute_url(),
        person.get_absolute_url(),
        "/tags/晋江/",
    ):
        assert client.get(url + query).status_code == 404, url + query


def test_cursor_round_trip():
    article = ArticleFactory.build(pk=12, published_at=timezone.now())
    when, pk = parse_cursor(cursor_of(article))
    assert (when, pk) == (article.published_at, 12)
