"""Page images for the e-paper: an image or a PDF rendered on upload; anything else refused, nothing kept."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import ExifTags, Image

from articles.photos import sized
from editions import page_images
from editions.page_images import PageImageForm
from tests.articles.photos.test_files import (
    SERIAL,
    SVG_WITH_SCRIPT,
    jpeg_bytes,
    media_files,
    pdf_bytes,
    png_header,
    upload,
)
from tests.factories import EditionFactory, PageFactory

pytestmark = pytest.mark.django_db


def form_for(page, data_file, name, user=None):
    data = {
        "edition": page.edition_id,
        "number": page.number,
        "name": page.name,
        "editor": "",
        "unassigned_text": "",
        "banner_text": "",
    }
    return PageImageForm(
        data, {"image": upload(data_file, name, "application/octet-stream")}, instance=page, user=user
    )


def test_pdf_page_is_rendered_to_an_image_on_upload(editor):
    page = PageFactory()
    form = form_for(page, pdf_bytes(size=(842, 1191)), "A01.pdf", editor)
    assert form.is_valid(), form.errors
    page = form.save()
    assert page.image.name.startswith("pages/")
    assert "A01" not in page.image.name
    width, height = sized.size_from_name(page.image.name)
    with default_storage.open(page.image.name, "rb") as handle:
        image = Image.open(handle)
        assert image.format == "JPEG"
        assert image.size == (width, height)
    # 150 dpi on an A3 page (842 pt wide) would be 1754 px; within the 1800 px cap.
    assert 1750 <= width <= 1760 and abs(height / width - 1191 / 842) < 0.01


def test_image_page_is_stripped_resized_and_named_with_its_size(editor):
    page = PageFactory()
    form = form_for(page, jpeg_bytes(2400, 3200), "版面.jpg", editor)
    assert form.is_valid(), form.errors
    page = form.save()
    assert sized.size_from_name(page.image.name) == (1800, 2400)
    with default_storage.open(page.image.name, "rb") as handle:
        data = handle.read()
    assert SERIAL.encode() not in data
    assert not Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (pdf_bytes(pages=30), "book.pdf", "不像是一个版面"),
        (pdf_bytes(size=(252, 144)), "card.pdf", "不像是报纸版面"),
        (pdf_bytes(size=(842, 5000)), "banner.pdf", "不像是报纸版面"),
        (b"%PDF-1.7\n" + b"garbage" * 200, "broken.pdf", "无法打开"),
        ("纯文本".encode() * 100, "page.jpg", "既不是图片也不是 PDF"),
        (jpeg_bytes(metadata=False)[:2000], "cut.jpg", "不完整或已损坏"),
        (png_header(100_000, 100_000), "bomb.png", "像素过多"),
        (SVG_WITH_SCRIPT, "page.svg", "SVG"),
    ],
)
def test_bad_page_files_are_refused_in_chinese_and_leave_nothing(data, name, message):
    page = PageFactory()
    before = media_files()
    form = form_for(page, data, name)
    assert not form.is_valid()
    assert message in " ".join(form.errors["image"])
    assert media_files() == before


def test_oversized_page_file_is_refused_before_reading(settings):
    settings.NEWSROOM_MAX_UPLOAD_BYTES = 10_000
    with pytest.raises(ValidationError) as exc:
        page_images.clean_page_upload(upload(pdf_bytes() + b"\0" * 20_000, "big.pdf"))
    assert "文件太大" in exc.value.messages[0]


def test_epaper_page_shows_the_image_beside_its_stories(client, editor):
    edition = EditionFactory()
    page = PageFactory(edition=edition, number=1)
    form = form_for(page, pdf_bytes(), "A01.pdf", editor)
    assert form.is_valid(), form.errors
    page = form.save()
    # Released afterwards (a released edition's pages take no changes).
    type(edition).objects.filter(pk=edition.pk).update(
        status="published", released_at=timezone.now() - timedelta(hours=1)
    )
    html = client.get(page.get_absolute_url()).content.decode()
    width, height = sized.size_from_name(page.image.name)
    assert page.image.url in html
    assert f'width="{width}" height="{height}"' in html
    assert sized.webp_name(page.image.url) in html
    assert default_storage.exists(sized.webp_name(page.image.name))


def test_page_admin_accepts_a_pdf(editor_client):
    from django.urls import reverse

    page = PageFactory()
    url = reverse("admin:editions_page_change", args=[page.pk])
    form_page = editor_client.get(url)
    assert form_page.status_code == 200
    assert "application/pdf" in form_page.content.decode()


def test_page_admin_upload_of_a_pdf_stores_the_rendered_page(editor_client):
    from django.urls import reverse

    page = PageFactory(name="要闻")
    url = reverse("admin:editions_page_change", args=[page.pk])
    data = {
        "number": page.number,
        "name": page.name,
        "editor": "",
        "image": upload(pdf_bytes(), "A01-要闻.pdf", "application/pdf"),
        "placements-TOTAL_FORMS": "0",
        "placements-INITIAL_FORMS": "0",
        "placements-MIN_NUM_FORMS": "0",
        "placements-MAX_NUM_FORMS": "1000",
    }
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    page.refresh_from_db()
    assert sized.size_from_name(page.image.name) is not None
    assert default_storage.exists(page.image.name)


def test_page_admin_refuses_a_pdf_that_is_not_a_page(editor_client):
    from django.urls import reverse

    page = PageFactory(name="要闻")
    before = media_files()
    url = reverse("admin:editions_page_change", args=[page.pk])
    data = {
        "number": page.number,
        "name": page.name,
        "editor": "",
        "image": upload(pdf_bytes(pages=12), "report.pdf", "application/pdf"),
        "placements-TOTAL_FORMS": "0",
        "placements-INITIAL_FORMS": "0",
        "placements-MIN_NUM_FORMS": "0",
        "placements-MAX_NUM_FORMS": "1000",
    }
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "不像是一个版面" in response.content.decode()
    page.refresh_from_db()
    assert not page.image
    assert media_files() == before
