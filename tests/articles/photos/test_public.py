"""Where photos show: article page, listings, Open Graph, JSON-LD, e-paper; never for unpublished stories."""

import json
import re

import pytest
from django.urls import reverse

from articles.photos import services
from tests.factories import (
    ArticleFactory,
    EditionFactory,
    PageFactory,
    PersonFactory,
    PlacementFactory,
    SectionFactory,
)

from .test_files import jpeg_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(reporter):
    return services.photo_ingest(
        user=reporter,
        upload=upload(jpeg_bytes(2000, 1500, metadata=False)),
        caption="安海镇龙舟赛现场。",
        credit=PersonFactory(name="王摄影"),
        alt_text="龙舟竞渡",
    )


def stem(photo):
    return photo.image.name.rsplit(".", 1)[0]


def test_article_page_shows_lead_photo_with_srcset_size_caption_and_credit(client, photo):
    article = ArticleFactory(published=True, lead_photo=photo)
    html = client.get(article.get_absolute_url()).content.decode()
    picture = re.search(r"<picture>.*?</picture>", html, re.S).group(0)
    assert '<source type="image/webp" srcset="' in picture
    for width in (480, 960, 1600):
        assert f"/orig-{width}.webp {width}w" in picture
        assert f"/orig-{width}.jpg {width}w" in picture
    assert 'width="960" height="720"' in picture
    assert 'sizes="' in picture and 'alt="龙舟竞渡"' in picture
    assert "安海镇龙舟赛现场。" in html
    assert "记者 王摄影 摄" in html


def test_open_graph_and_json_ld_carry_the_lead_image(client, photo):
    article = ArticleFactory(published=True, lead_photo=photo)
    html = client.get(article.get_absolute_url()).content.decode()
    og = re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1)
    assert og == f"http://testserver/media/{stem(photo)}/orig-1600.jpg"
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert og in data["image"]
    assert any("/16x9-" in url for url in data["image"])


def test_listing_shows_16_9_thumbnails(client, photo):
    ArticleFactory(published=True, lead_photo=photo, headline="有图的新闻")
    html = client.get(reverse("articles:home")).content.decode()
    assert f"{stem(photo)}/16x9-f50x50-480.webp 480w" in html
    assert 'width="960" height="540"' in html


def test_listing_with_photos_costs_no_query_per_row(client, reporter):
    section = SectionFactory()
    ArticleFactory(published=True, lead_photo=None, section=section)
    client.get(reverse("articles:home"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("articles:home") + "?x=1")
    for i in range(6):
        ArticleFactory(
            published=True,
            section=section,
            lead_photo=services.photo_ingest(
                user=reporter, upload=upload(jpeg_bytes(300, 200, metadata=False))
            ),
        )
    client.get(reverse("articles:home") + "?warm=1")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("articles:home") + "?y=1")
    assert len(many) <= len(few) + 2, [q["sql"] for q in many]


@pytest.mark.parametrize("state", [{}, {"review": True}, {"scheduled": True}, {"withdrawn": True}])
def test_photo_of_an_unpublished_story_is_linked_from_no_public_page(client, photo, state):
    draft = ArticleFactory(lead_photo=photo, **state)
    ArticleFactory(published=True, section=draft.section, headline="别的已发布新闻")
    page = PageFactory(edition=EditionFactory(released=True), number=1)
    PlacementFactory(page=page, article=draft, position=1)
    urls = [
        reverse("articles:home"),
        draft.section.get_absolute_url(),
        draft.get_absolute_url(),
        page.get_absolute_url(),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert stem(photo) not in response.content.decode(), url


def test_same_photo_shows_with_the_published_story_that_reuses_it(client, photo):
    ArticleFactory(lead_photo=photo, headline="草稿")
    published = ArticleFactory(published=True, lead_photo=photo)
    assert stem(photo) in client.get(published.get_absolute_url()).content.decode()
