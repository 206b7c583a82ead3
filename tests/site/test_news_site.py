"""The news site: home, article pages, listings with pagination, 404/500 in Chinese, escaping."""

import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.urls import reverse

from articles.models import Byline
from tests.factories import ArticleFactory, BylineFactory, PersonFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_home_has_day_leads_latest_by_section_and_front_page(client, world):
    other = SectionFactory(name="文体", slug="wenti")
    ArticleFactory(published=True, headline="文体栏目新闻", section=other)
    html = client.get("/").content.decode()
    assert "今日报纸" in html
    assert world.lead.headline in html and world.third.headline in html  # leads of pages 1 and 3
    assert world.pages[0].get_absolute_url() in html
    assert '<a href="/sections/wenti/">文体</a>' in html and "文体栏目新闻" in html


def test_article_page_prints_headline_stack_byline_time_section_column_tags(client, world):
    html = client.get(world.lead.get_absolute_url()).content.decode()
    assert '<p class="kicker">冷空气如约而至</p>' in html
    assert '<h1 class="headline">晋江迎来大风降温天气</h1>' in html
    assert '<p class="subheadline">沿海风力达7至8级</p>' in html
    reporter_link = f'<a href="{world.reporter.get_absolute_url()}" rel="author">张茂霖</a>'
    correspondent_link = f'<a href="{world.correspondent.get_absolute_url()}" rel="author">林伊婷</a>'
    assert f"记者 {reporter_link} 通讯员 {correspondent_link}" in html
    local = world.lead.published_at.astimezone(ZoneInfo("Asia/Shanghai"))
    assert f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}" in html
    assert world.section.get_absolute_url() in html and world.column.get_absolute_url() in html
    assert 'rel="tag">天气</a>' in html
    assert f'rel="next" href="{world.second.get_absolute_url()}"' in html


def test_single_reporter_byline_is_printed_as_benbao(client, world):
    html = client.get(world.second.get_absolute_url()).content.decode()
    assert f'本报记者 <a href="{world.reporter.get_absolute_url()}" rel="author">张茂霖</a>' in html


def test_article_time_is_shown_in_shanghai(client, db):
    when = datetime(2024, 1, 1, 20, 30, tzinfo=ZoneInfo("UTC"))  # 2024-01-02 04:30 in Shanghai
    article = ArticleFactory(published=True, published_at=when)
    assert "2024年1月2日 04:30" in client.get(article.get_absolute_url()).content.decode()


def test_canonical_open_graph_and_json_ld_name_every_author(client, world):
    html = client.get(world.lead.get_absolute_url()).content.decode()
    assert f'<link rel="canonical" href="http://testserver{world.lead.get_absolute_url()}">' in html
    assert '<meta property="og:title" content="晋江迎来大风降温天气">' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "NewsArticle"
    assert [a["name"] for a in data["author"]] == ["张茂霖", "林伊婷"]


def test_json_ld_and_meta_cannot_be_broken_out_of(client, db):
    evil = '</script><script>alert(1)</script>"><b>'
    article = ArticleFactory(published=True, headline=evil, summary=evil)
    BylineFactory(article=article, person=PersonFactory(name="</script>x"), role=Byline.Role.REPORTER)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert html.count("</script>") == 1  # only the JSON-LD block's own end tag
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["headline"] == evil


def test_unpublished_article_is_404(client, db):
    for trait in ("review", "scheduled", "withdrawn"):
        article = ArticleFactory(**{trait: True})
        assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get(ArticleFactory().get_absolute_url()).status_code == 404


def test_article_detail_template_renders_from_article_alone_for_previews(rf, db):
    from django.template.loader import render_to_string

    article = ArticleFactory(headline="预览中的草稿")
    html = render_to_string(
        "site/article_detail.html", {"article": article, "preview": True}, request=rf.get("/")
    )
    assert "预览中的草稿" in html and "预览" in html and 'rel="canonical"' not in html


def test_section_listing_paginates(client, db):
    """Twenty stories a page, then 下一页 by cursor (tests/site/test_pagination.py goes further)."""
    section = SectionFactory(slug="shehui", name="社会")
    for i in range(25):
        ArticleFactory(published=True, section=section, headline=f"社会稿件{i:02d}")
    url = reverse("articles:section", kwargs={"slug": "shehui"})
    first = client.get(url).content.decode()
    assert first.count('class="article-item"') == 20
    link = re.search(r'rel="next" href="\?before=([0-9_-]+)"', first)
    second = client.get(url + "?before=" + link.group(1)).content.decode()
    assert second.count('class="article-item"') == 5 and 'rel="next"' not in second


@pytest.mark.parametrize("cursor", ["0", "-1", "abc", "1e9", "%00", "1_", "_1", "1_2_3", "9" * 30 + "_1"])
def test_bad_cursors_are_404(client, world, cursor):
    # A NUL is refused before any view (newsroom.middleware.HostileRequestMiddleware): 400.
    expected = 400 if cursor == "%00" else 404
    for name in ("before", "after"):
        url = reverse("articles:section", kwargs={"slug": "yaowen"}) + f"?{name}=" + cursor
        assert client.get(url).status_code == expected, url


def test_column_person_and_tag_listings(client, world):
    assert world.lead.headline in client.get(world.column.get_absolute_url()).content.decode()
    person_html = client.get(world.reporter.get_absolute_url()).content.decode()
    assert world.lead.headline in person_html and world.second.headline in person_html
    tag_html = client.get(reverse("articles:tag", kwargs={"slug": "天气"})).content.decode()
    assert world.lead.headline in tag_html and world.second.headline not in tag_html


def test_person_and_tag_without_published_stories_are_404(client, db):
    person = PersonFactory(name="只有草稿的记者")
    draft = ArticleFactory(headline="草稿")
    BylineFactory(article=draft, person=person)
    draft.tags.add("草稿标签")
    assert client.get(person.get_absolute_url()).status_code == 404
    assert client.get(reverse("articles:tag", kwargs={"slug": "草稿标签"})).status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/sections/nope/", "/columns/nope/", "/people/999999/", "/tags/nope/", "/articles/999999/", "/x/"],
)
def test_unknown_slugs_are_chinese_404(client, db, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_404_page_escapes_what_the_reader_typed(client, db):
    response = client.get("/<script>alert(1)</script>/")
    assert response.status_code == 404
    assert "<script>alert(1)" not in response.content.decode()


@override_settings(DEBUG=False)
def test_500_page_is_chinese(db):
    from django.test import Client

    from newsroom import views

    response = views.server_error(Client().get("/").wsgi_request)
    assert response.status_code == 500
    assert "服务器出错了" in response.content.decode()
