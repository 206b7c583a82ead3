"""No 500s from hostile addresses: every URL pattern, public and admin, anonymous and logged in as an editor.

The patterns are enumerated from the URL resolver (nothing to keep in step by hand); each path converter is
filled with hostile values (NUL, invalid UTF-8, overlong, negative and huge numbers, SQL and tsquery syntax),
each address is also asked with hostile values for the query parameters views read (the admin's list filters
included), and every admin autocomplete with a hostile ``term``. No answer may be a 500 and nothing may be
logged at ERROR. Methods a view does not support (TRACE) are a 405.
"""

import logging
import re
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.contrib.admin import SimpleListFilter
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from articles.models import Byline
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ColumnFactory,
    EditionFactory,
    PageFactory,
    PersonFactory,
    PlacementFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

# What goes into a path segment, already percent-encoded as a client would send it.
HOSTILE_SEGMENTS = (
    "a%00b",
    "%ff%fe",  # not UTF-8
    "%c0%af",  # an overlong UTF-8 slash
    "x" * 3000,
    "-1",
    "9" * 30,
    "9223372036854775808",
    "a%20%26%20%7C%20%21(",  # tsquery: a & | !(
    "%27%20OR%201%3D1--",
    "..%2F..%2Fetc%2Fpasswd",
)
HOSTILE_VALUES = ("a\x00b", "-1", "9" * 30, "a & | !( ' OR 1=1--", "")
# Query parameters the site's views read; the admin's list filters are added from the admin registry.
COMMON_PARAMS = (
    "q", "status", "page", "p", "o", "before", "after", "term", "e", "section", "from", "to", "_changelist_filters",
    "all", "_popup", "_to_field", "month", "published", "queue", "date", "number", "version", "a", "b",
)  # fmt: skip
TRACE_ALLOWED = {405, 400, 404}


def _patterns(resolver=None, prefix=""):
    """(route text, pattern) for every URL pattern, nested includes flattened."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


_CONVERTER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


def _fill(route, values):
    """The path of ``route`` with its parameters taken from ``values`` (a name → text mapping or one text)."""

    def value(match):
        name = match.group("name")
        return values.get(name, "1") if isinstance(values, dict) else values

    path = _REGEX_GROUP.sub(value, route).replace("^", "").replace("$", "")
    return "/" + _CONVERTER.sub(value, path)


def _admin_filter_params():
    """Every query parameter the registered admins' list filters read."""
    names = set()
    for model_admin in admin.site._registry.values():
        for entry in model_admin.list_filter:
            if isinstance(entry, (tuple, list)):
                entry = entry[0]
            if isinstance(entry, type) and issubclass(entry, SimpleListFilter):
                names.add(entry.parameter_name)
            elif isinstance(entry, str):
                names.update(
                    (entry, f"{entry}__exact", f"{entry}__id__exact", f"{entry}__gte", f"{entry}__lt")
                )
                names.update((f"{entry}__isnull", f"{entry}__in"))
    return sorted(names)


def _autocomplete_addresses():
    """One admin autocomplete address per autocomplete field (model admins and their inlines)."""
    addresses = []
    for model, model_admin in admin.site._registry.items():
        sources = [(model, model_admin.autocomplete_fields)]
        sources += [(inline.model, inline.autocomplete_fields) for inline in model_admin.inlines]
        for source, fields in sources:
            for field in fields:
                addresses.append(
                    {
                        "app_label": source._meta.app_label,
                        "model_name": source._meta.model_name,
                        "field_name": field,
                    }
                )
    assert addresses, "the admin declares autocomplete fields: the walk must find them"
    return addresses


@pytest.fixture
def printed_world(db):
    """Something behind every kind of address: a story with a byline and a tag in a released edition."""
    section = SectionFactory(name="要闻", slug="yaowen")
    column = ColumnFactory(name="晋江经验", slug="jinjiang")
    person = PersonFactory(name="张茂霖")
    article = ArticleFactory(published=True, headline="晋江迎来大风降温天气", section=section, column=column)
    article.tags.add("天气")
    BylineFactory(article=article, person=person, role=Byline.Role.REPORTER, order=1)
    edition = EditionFactory(released=True, date=timezone.localdate(), number=6001)
    page = PageFactory(edition=edition, number=1, name="要闻")
    PlacementFactory(page=page, article=article, is_lead=True)
    return {
        "pk": str(article.pk),
        "object_id": str(article.pk),
        "slug": section.slug,
        "person": str(person.pk),
        "date": edition.date.isoformat(),
        "number": "1",
        "year": str(edition.date.year),
        "month": f"{edition.date.month:02d}",
        "section": "sections",
        "token": "x",
    }


def _walk(client, neutral):
    """Every hostile request; returns the failures as readable lines."""
    failures = []

    def ask(path, method="GET"):
        response = client.generic(method, path)
        refused = response.status_code in TRACE_ALLOWED
        if response.status_code >= 500 or (method == "TRACE" and not refused):
            failures.append(f"{method} {_short(path)} → {response.status_code}")

    params = sorted(set(COMMON_PARAMS) | set(_admin_filter_params()))
    for route, _pattern in _patterns():
        for segment in HOSTILE_SEGMENTS:
            ask(_fill(route, segment))
        base = _fill(route, neutral)
        for value in HOSTILE_VALUES:
            ask(base + "?" + urlencode({name: value for name in params}))
        ask(base + "?%ff%fe=%ff%fe&q=%c0%af")  # invalid UTF-8 in names and values
        ask(base + "?q=" + "%E6%99%8B" * 450)  # long, but within the request line nginx and gunicorn take
        ask(base, method="TRACE")
    for address in _autocomplete_addresses():
        for value in HOSTILE_VALUES:
            ask("/admin/autocomplete/?" + urlencode({**address, "term": value}))
    ask("/admin/autocomplete/?app_label=%00&model_name=%00&field_name=%00&term=%00")
    return failures


def _short(path):
    return path if len(path) < 200 else f"{path[:100]}…{path[-100:]}"


def _errors(caplog):
    return [f"{r.name}: {r.getMessage()[:200]}" for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_no_hostile_address_answers_500_or_logs_an_error(who, printed_world, editor, caplog):
    client = Client(raise_request_exception=False)
    if who == "editor":
        client.force_login(editor)
    caplog.set_level(logging.ERROR)
    failures = _walk(client, printed_world)
    assert not failures, "\n".join(failures)
    assert not _errors(caplog), "\n".join(_errors(caplog))


def test_the_known_cases(client, printed_world, editor):
    """The failures issue 14 named, asked one by one."""
    assert client.get("/tags/%00/").status_code == 400
    assert client.get("/search/?q=%00").status_code == 400
    assert client.generic("TRACE", "/feeds/latest/rss/").status_code == 405
    assert client.generic("TRACE", "/sitemap.xml").status_code == 405
    client.force_login(editor)
    term = urlencode(
        {"app_label": "articles", "model_name": "article", "field_name": "section", "term": "\x00"}
    )
    assert client.get(f"/admin/autocomplete/?{term}").status_code == 400
    assert client.get("/admin/articles/article/?status=%00").status_code == 400


def test_walk_covers_public_and_admin_patterns():
    """The walk is not vacuous: it reaches the public site, the e-paper and the admin's object pages."""
    routes = [route for route, _ in _patterns()]
    assert "tags/<str:slug>/" in routes
    assert "epaper/<isodate:date>/<pageno:number>/" in routes
    assert any(r.startswith("admin/articles/article/<path:object_id>/") for r in routes)
    assert _fill("tags/<str:slug>/", "%00") == "/tags/%00/"


# --- the body: bounded, and turned into text in linear time --------------------------------------------------

MB = 1_000_000


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<" * MB, "<" * MB),
        ("&amp;amp;amp;" * (MB // 13), "&amp;amp;" * (MB // 13)),  # one level decoded, as html.unescape does
        ("<p>字</p>" * (MB // 8), "\n".join(["字"] * (MB // 8))),
        ("<b>" * (MB // 3), ""),
        ("<p" * (MB // 2), "<p" * (MB // 2)),  # no tag ever closes: all of it is text
        ("&x;" * (MB // 3), "&x;" * (MB // 3)),  # not a reference: kept as written
    ],
    ids=["lt", "nested-entities", "paragraphs", "open-tags", "unclosed", "unknown-names"],
)
def test_plain_text_of_the_worst_bodies_completes_and_is_right(body, expected):
    """Speed is measured in bench/plain_text.py; here, that 1 MB of hostile HTML gives the right text."""
    from articles.sanitize import plain_text

    assert plain_text(body) == expected


def test_plain_text_of_sanitized_bodies_is_what_a_browser_shows():
    import html

    from articles.sanitize import plain_text, sanitize_body

    body = sanitize_body(
        "<p>晋江&amp;石狮 &lt;b&gt; &nbsp;“引号” &#x6C5F;</p><h2>小标题</h2><p>第一行<br>第二行</p>"
        "<ul><li>一</li><li>二</li></ul><blockquote>引文</blockquote>"
        '<p><a href="https://example.com/?a=1&amp;b=2" title="a&lt;b">链接</a> &amp;lt;</p><p> </p>'
    )
    assert plain_text(body) == "\n".join(
        ["晋江&石狮 <b> \xa0“引号” 江", "小标题", "第一行", "第二行", "一", "二", "引文", "链接 &lt;"]
    )
    numeric = "".join(f"&#{n};" for n in (38, 60, 128, 0, 0x110000, 0xD800, 0x6C5F)) + "&#x26;lt;"
    assert plain_text(numeric) == html.unescape(numeric)


def test_a_body_over_the_limit_is_refused_with_a_clear_message(settings, reporter, db):
    from articles.forms import ArticleForm

    settings.NEWSROOM_MAX_BODY_CHARS = 1000
    section = SectionFactory()
    data = {"headline": "超长稿件", "section": section.pk, "body": "<p>" + "字" * 1000 + "</p>"}
    form = ArticleForm(data=data)
    assert not form.is_valid()
    assert form.errors["body"] == [
        "正文过长：共 1,007 个字符（含排版代码），上限为 1,000。请删减，或分成几篇稿件发表。"
    ]
    data["body"] = "<p>" + "字" * 900 + "</p>"
    assert "body" not in ArticleForm(data=data).errors
