"""Feeds and discovery: RSS/Atom (latest, section, column), sitemaps, the news sitemap, robots.txt."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "n": "http://www.google.com/schemas/sitemap-news/0.9",
}


def _xml(response):
    assert response.status_code == 200
    return ElementTree.fromstring(response.content)


def test_latest_rss_and_atom(client, world):
    rss = _xml(client.get("/feeds/latest/rss/"))
    titles = [t.text for t in rss.iter("title")]
    assert "冷空气如约而至 晋江迎来大风降温天气 沿海风力达7至8级" in titles
    assert rss.find("channel/item/link").text.startswith("http://testserver/articles/")
    atom = _xml(client.get("/feeds/latest/atom/"))
    assert atom.tag == "{http://www.w3.org/2005/Atom}feed"
    assert "张茂霖" in client.get("/feeds/latest/atom/").content.decode()


def test_section_and_column_feeds(client, world):
    other = ArticleFactory(published=True, headline="其他栏目的稿件")
    section_feed = client.get(f"/sections/{world.section.slug}/rss/").content.decode()
    assert world.lead.headline in section_feed and other.headline not in section_feed
    column_feed = client.get(f"/columns/{world.column.slug}/atom/").content.decode()
    assert world.lead.headline in column_feed and world.second.headline not in column_feed
    assert client.get("/sections/nope/rss/").status_code == 404
    assert client.get("/columns/nope/atom/").status_code == 404


def test_sitemap_index_and_sections(client, world):
    index = _xml(client.get("/sitemap.xml"))
    locations = [loc.text for loc in index.iter(f"{{{NS['s']}}}loc")]
    assert "http://testserver/sitemap-articles.xml" in locations
    assert "http://testserver/sitemap-editions.xml" in locations
    articles = client.get("/sitemap-articles.xml").content.decode()
    assert f"http://testserver{world.lead.get_absolute_url()}" in articles
    editions = client.get("/sitemap-editions.xml").content.decode()
    assert world.edition.get_absolute_url() in editions
    assert client.get("/sitemap-nope.xml").status_code == 404


def test_news_sitemap_has_the_last_two_days_only(client, world):
    old = ArticleFactory(
        published=True, headline="三天前的稿件", published_at=timezone.now() - timedelta(days=3)
    )
    root = _xml(client.get("/sitemap-news.xml"))
    titles = [t.text for t in root.iter(f"{{{NS['n']}}}title")]
    assert world.lead.title in titles and old.title not in titles
    assert root.find("s:url/n:news/n:publication/n:language", NS).text == "zh-cn"


def test_robots_txt_names_the_sitemaps(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Sitemap: http://testserver/sitemap-news.xml" in text
