"""Feeds and discovery: RSS/Atom (latest, section, column), sitemaps, the news sitemap, robots.txt."""

from datetime import datetime, timedelta
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


def _month_url(article):
    return f"http://testserver/sitemap-articles-{timezone.localtime(article.published_at):%Y-%m}.xml"


def test_sitemap_index_and_sections(client, world):
    index = _xml(client.get("/sitemap.xml"))
    locations = [loc.text for loc in index.iter(f"{{{NS['s']}}}loc")]
    assert _month_url(world.lead) in locations
    assert "http://testserver/sitemap-editions.xml" in locations
    assert "http://testserver/sitemap-sections.xml" in locations
    articles = client.get(_month_url(world.lead)).content.decode()
    assert f"http://testserver{world.lead.get_absolute_url()}" in articles
    editions = client.get("/sitemap-editions.xml").content.decode()
    assert world.edition.get_absolute_url() in editions
    assert client.get("/sitemap-nope.xml").status_code == 404
    assert client.get("/sitemap-articles.xml").status_code == 404  # one sitemap per month now


def test_article_sitemaps_are_split_by_month_in_local_time(client, db, django_assert_max_num_queries):
    shanghai = timezone.get_current_timezone()
    # 2024-10-31 23:30 in Shanghai is still October there (15:30 UTC).
    october = ArticleFactory(published=True, published_at=datetime(2024, 10, 31, 23, 30, tzinfo=shanghai))
    november = ArticleFactory(published=True, published_at=datetime(2024, 11, 1, 0, 30, tzinfo=shanghai))
    january = ArticleFactory(published=True, published_at=datetime(2025, 1, 15, 9, 0, tzinfo=shanghai))
    draft = ArticleFactory(headline="草稿")
    # Sections, columns, editions (their page counts); the oldest and the newest story; the page
    # cache's look for the next scheduled release (2): whatever the number of months.
    with django_assert_max_num_queries(7):
        index = _xml(client.get("/sitemap.xml"))
    months = [loc.text for loc in index.iter(f"{{{NS['s']}}}loc") if "sitemap-articles-" in loc.text]
    # Newest first, every month between the first and the last story (December has none: empty).
    assert months == [
        f"http://testserver/sitemap-articles-{m}.xml" for m in ("2025-01", "2024-12", "2024-11", "2024-10")
    ]

    def urls(month):
        root = _xml(client.get(f"/sitemap-articles-{month}.xml"))
        return [loc.text for loc in root.iter(f"{{{NS['s']}}}loc")]

    assert urls("2024-10") == [f"http://testserver{october.get_absolute_url()}"]
    assert urls("2024-11") == [f"http://testserver{november.get_absolute_url()}"]
    assert urls("2024-12") == []
    assert urls("2025-01") == [f"http://testserver{january.get_absolute_url()}"]
    assert all(draft.get_absolute_url() not in u for m in ("2024-10", "2024-11", "2025-01") for u in urls(m))
    for bad in ("2024-13", "2024-00", "2024-1", "1800-01", "3000-01"):
        assert client.get(f"/sitemap-articles-{bad}.xml").status_code == 404, bad


def test_sitemap_index_with_no_stories(client, db):
    index = _xml(client.get("/sitemap.xml"))
    assert not [loc.text for loc in index.iter(f"{{{NS['s']}}}loc") if "sitemap-articles-" in loc.text]


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
