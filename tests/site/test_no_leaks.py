"""Drafts never leak: every public URL pattern, crawled with odd query strings, anonymous and logged in.

The URL patterns are read from ``newsroom.urls`` so that a pattern added later is crawled too.
"""

import itertools
import re
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from articles.models import Article, Byline, Tag
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ColumnFactory,
    EditionFactory,
    PageFactory,
    PersonFactory,
    PlacementFactory,
)

pytestmark = pytest.mark.django_db

MARKER = "泄密甲乙丙丁"
ODD_QUERIES = [
    "",
    "?page=2",
    "?q=泄密",
    "?q=甲乙丙&section=yaowen&from=2000-01-01&to=2999-01-01",
    "?q=%00%1b%ff&page=-1",
    "?preview=1&format=json&status=draft&all=1",
    "?page=999999999999",
]
SKIP_NAMESPACES = {"admin"}
_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def _patterns(resolvers, prefix="", namespace=None):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIP_NAMESPACES:
                continue
            yield from _patterns(
                entry.url_patterns, prefix + str(entry.pattern), entry.namespace or namespace
            )
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


@pytest.fixture
def hidden(world, reporter):
    """Four unpublished stories holding the marker, placed in print, tagged, bylined."""
    person = PersonFactory(name="只署名草稿的人")
    column = ColumnFactory(name="草稿专栏", slug="draft-column")
    planning = EditionFactory(date=timezone.localdate() + timedelta(days=2), number=9100)
    planning_page = PageFactory(edition=planning, number=1, name="要闻")
    stories = []
    for i, trait in enumerate(({}, {"review": True}, {"scheduled": True}, {"withdrawn": True})):
        article = ArticleFactory(
            kicker=f"{MARKER}引题",
            headline=f"{MARKER}主题{i}",
            subheadline=f"{MARKER}副题",
            summary=f"{MARKER}摘要",
            body=f"<p>正文{MARKER}正文</p>",
            section=world.section,
            column=column,
            created_by=reporter,
            **trait,
        )
        article.tags.add(f"{MARKER}标签", "晋江")
        BylineFactory(article=article, person=person, role=Byline.Role.REPORTER)
        BylineFactory(article=article, person=reporter.person, role=Byline.Role.CORRESPONDENT)
        # On a page of the released edition (with a jump) and on the planning edition.
        PlacementFactory(page=world.pages[1], article=article, position=10 + i, continues_on=world.pages[2])
        PlacementFactory(page=planning_page, article=article, position=10 + i, is_lead=i == 0)
        stories.append(article)
    return {"stories": stories, "person": person, "planning": planning, "column": column}


def _candidates(world, hidden):
    stories = hidden["stories"]
    dates = [world.edition.date, hidden["planning"].date]
    tags = list(Tag.objects.values_list("slug", flat=True))
    ints = sorted(
        {a.pk for a in stories}
        | {world.lead.pk, hidden["person"].pk, world.reporter.pk}
        | {1, 2, 3}
        | {d.year for d in dates}
        | {d.month for d in dates}
    )
    return {
        "int": ints,
        "pageno": [1, 2, 3],
        "isodate": [d.isoformat() for d in dates],
        "slug": [world.section.slug, world.column.slug, hidden["column"].slug, *tags],
        "str": [world.section.slug, hidden["column"].slug, "articles", "editions", "news", *tags],
        "path": ["x"],
    }


def _urls(world, hidden):
    values = _candidates(world, hidden)
    urls = []
    for route, _pattern in _patterns(get_resolver().url_patterns):
        route = route.lstrip("^").rstrip("$").replace("\\Z", "")
        params = list(_PARAM.finditer(route))
        choices = [values.get(m.group("conv") or "str", ["1"]) for m in params]
        for combo in itertools.islice(itertools.product(*choices), 300):
            url = route
            for match, value in zip(params, combo, strict=True):
                url = url.replace(match.group(0), str(value), 1)
            urls.append("/" + url)
    return urls


def _visible_text(html):
    return re.sub(r"<[^>]+>", "", html)


def _assert_clean(client, urls, hidden):
    pks = [a.pk for a in hidden["stories"]]
    planning_url = f"/epaper/{hidden['planning'].date.isoformat()}/"
    fetched = 0
    for base in urls:
        queries = ODD_QUERIES if base.count("/") <= 3 or base.endswith(("/1/", "/2/")) else ODD_QUERIES[:3]
        for query in queries:
            response = client.get(base + query, follow=True)
            assert response.status_code in (200, 400, 403, 404, 410), (base + query, response.status_code)
            body = b"".join(response) if response.streaming else response.content
            html = body.decode("utf-8", "replace")
            assert MARKER not in html and MARKER not in _visible_text(html), base + query
            for pk in pks:
                for end in ('/"', "/<", "/ "):
                    assert f"/articles/{pk}{end}" not in html, (base + query, pk)
            assert planning_url not in html, base + query
            assert hidden["person"].get_absolute_url() + '"' not in html, base + query
            fetched += response.status_code == 200
    return fetched


def test_crawl_covers_every_public_pattern(world, hidden):
    routes = [route for route, _ in _patterns(get_resolver().url_patterns)]
    for expected in (
        "articles/<int:pk>/",
        "search/",
        "sitemap.xml",
        "epaper/<isodate:date>/<pageno:number>/",
        "robots.txt",
    ):
        assert any(route.endswith(expected) for route in routes), expected
    assert not any(route.startswith("admin/") for route in routes)


def test_marker_is_nowhere_anonymous(client, world, hidden):
    assert Article.objects.published().count() == 3
    fetched = _assert_clean(client, _urls(world, hidden), hidden)
    assert fetched > 50


def test_marker_is_nowhere_for_a_logged_in_reporter(client, world, hidden, reporter):
    """Public pages only: /preview/ is the author's own, permission-checked preview of his drafts
    (crawled anonymously above, where it must refuse)."""
    client.force_login(reporter)
    urls = [url for url in _urls(world, hidden) if not url.startswith("/preview/")]
    fetched = _assert_clean(client, urls, hidden)
    assert fetched > 50


def test_crawl_would_catch_a_leak(client, world, hidden):
    """The check can fail: once a hidden story is published, the crawl sees the marker."""
    story = hidden["stories"][1]
    Article.objects.filter(pk=story.pk).update(status=Article.Status.PUBLISHED, published_at=timezone.now())
    with pytest.raises(AssertionError):
        _assert_clean(client, ["/", f"/articles/{story.pk}/"], hidden)
