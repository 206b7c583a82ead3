"""The e-paper: latest, edition, page (版面导航, 上一版/下一版, lead first, jumps), back issues, bad input."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.factories import ArticleFactory, EditionFactory, PageFactory, PlacementFactory

pytestmark = pytest.mark.django_db


def test_latest_leads_to_the_newest_released_edition_front_page(client, world):
    EditionFactory(date=timezone.localdate(), number=6000)  # planning: not the latest for readers
    response = client.get(reverse("editions:latest"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == world.pages[0].get_absolute_url()


def test_latest_without_any_edition_is_404(client, db):
    assert client.get(reverse("editions:latest")).status_code == 404


def test_edition_address_redirects_to_page_one(client, world):
    response = client.get(reverse("editions:edition", kwargs={"date": world.edition.date}))
    assert response.status_code == 302
    assert response["Location"] == world.pages[0].get_absolute_url()


def test_page_lists_every_page_prev_next_and_stories_lead_first(client, world):
    # A later story placed at a smaller position must still follow the lead.
    early = ArticleFactory(published=True, headline="排在前面的非头条")
    world.lead.placements.update(position=5)
    PlacementFactory(page=world.pages[0], article=early, position=1)
    html = client.get(world.pages[0].get_absolute_url()).content.decode()
    assert "版面导航" in html
    for page in world.pages:
        assert f'href="{page.get_absolute_url()}"' in html
    assert "下一版" in html and 'rel="next" href="/epaper/' in html
    assert 'rel="prev"' not in html.split("版面导航")[0]  # page 1 has no 上一版 link
    assert (
        html.index(world.lead.headline) < html.index("排在前面的非头条") < html.index(world.second.headline)
    )
    assert f'<a class="jump" href="{world.pages[2].get_absolute_url()}">（下转3版）</a>' in html


def test_continuation_page_shows_shang_jie_link_back(client, world):
    html = client.get(world.pages[2].get_absolute_url()).content.decode()
    assert world.lead.headline in html
    assert f'<a class="jump" href="{world.pages[0].get_absolute_url()}">（上接1版）</a>' in html
    assert 'rel="prev"' in html and "已是最后一版" in html


def test_article_reached_from_epaper_shows_xia_zhuan_and_shang_jie(client, world):
    html = client.get(world.lead.get_absolute_url()).content.decode()
    assert f'<a class="jump" href="{world.pages[2].get_absolute_url()}">下转3版</a>' in html
    assert f'<a class="jump-back" href="{world.pages[0].get_absolute_url()}">上接1版</a>' in html


def test_page_image_is_shown_when_set(client, world, settings):
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (20, 30), "white").save(buffer, "PNG")
    page = world.pages[1]
    page.image = SimpleUploadedFile("p2.png", buffer.getvalue(), content_type="image/png")
    page.save()
    html = client.get(page.get_absolute_url()).content.decode()
    assert f'<img src="{page.image.url}"' in html
    assert "第2版 综合 版面图" in html


def test_archive_calendar_links_released_editions_only(client, world):
    planning = EditionFactory(date=world.edition.date - timedelta(days=1), number=6001)
    url = reverse(
        "editions:archive_month", kwargs={"year": world.edition.date.year, "month": world.edition.date.month}
    )
    html = client.get(url).content.decode()
    assert "往期回顾" in html
    assert f'href="{world.edition.get_absolute_url()}"' in html
    assert planning.get_absolute_url() not in html
    assert client.get(reverse("editions:archive")).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/epaper/1999-01-01/",
        "/epaper/1999-01-01/1/",
        "/epaper/2024-13-45/",
        "/epaper/2024-02-30/1/",
        "/epaper/not-a-date/",
        "/epaper/2024-1-1/",
        "/epaper/{date}/1000000000/",
        "/epaper/{date}/-1/",
        "/epaper/{date}/0/",
        "/epaper/{date}/9/",
        "/epaper/{date}/abc/",
        "/epaper/2024/13/",
        "/epaper/99999999999/1/",
        "/epaper/0/1/",
    ],
)
def test_bad_epaper_addresses_are_404(client, world, path):
    response = client.get(path.format(date=world.edition.date.isoformat()))
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_planning_edition_is_not_public(client, world):
    edition = EditionFactory(date=timezone.localdate() + timedelta(days=3), number=7000)
    page = PageFactory(edition=edition, number=1)
    assert client.get(reverse("editions:edition", kwargs={"date": edition.date})).status_code == 404
    assert client.get(page.get_absolute_url()).status_code == 404
