"""Ingesting photos: generated names, orientation applied, every stored file stripped, renditions cached."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse
from PIL import ExifTags, Image

from articles.models import Photo, PhotoRendition
from articles.photos import renditions, services
from articles.photos.templatetags import photo_picture
from tests.factories import PersonFactory

from .test_files import COMMENT, ICC, SERIAL, jpeg_bytes, media_files, png_bytes, upload, webp_bytes

pytestmark = pytest.mark.django_db

UPLOAD_URL = reverse("admin:articles_photo_upload")
NAME = re.compile(r"^photos/\d{4}/\d{2}/[0-9a-f]{32}\.(jpg|png|webp)$")


def ingest(user, data, name="photo.jpg", **kwargs):
    return services.photo_ingest(user=user, upload=upload(data, name), **kwargs)


def stored_bytes(name):
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def assert_clean(name):
    data = stored_bytes(name)
    for secret in (SERIAL.encode(), COMMENT, b"XMPSECRET", ICC[:20], b"Canon"):
        assert secret not in data, f"{secret!r} survived in {name}"
    image = Image.open(io.BytesIO(data))
    assert not image.getexif(), name
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert not {"exif", "icc_profile", "xmp", "comment", "XML:com.adobe.xmp", "Comment"} & set(image.info)


def test_admin_uploads_several_at_once_with_shared_caption_and_credit(reporter_client, reporter):
    credit = PersonFactory(name="张茂霖")
    response = reporter_client.post(
        UPLOAD_URL,
        {
            "images": [upload(jpeg_bytes(), "IMG_0001 家里/../etc.jpg"), upload(png_bytes(), "b.png")],
            "caption": "晋江市民在公园晨练。",
            "credit": credit.pk,
            "alt_text": "公园晨练",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    photos = list(Photo.objects.order_by("pk"))
    assert len(photos) == 2
    for photo in photos:
        assert NAME.match(photo.image.name), photo.image.name
        assert "IMG_0001" not in photo.image.name
        assert photo.caption == "晋江市民在公园晨练。"
        assert photo.credit_line == "记者 张茂霖 摄"
        assert photo.uploaded_by == reporter
    assert photos[0].image.name.endswith(".jpg") and photos[1].image.name.endswith(".png")
    assert photos[0].taken_on.isoformat() == "2024-05-06"


@pytest.mark.parametrize(
    ("data", "name"), [(jpeg_bytes(), "a.jpg"), (png_bytes(), "b.png"), (webp_bytes(), "c.webp")]
)
def test_every_stored_file_is_stripped_of_metadata(reporter, data, name):
    photo = ingest(reporter, data, name)
    names = [photo.image.name, *photo.renditions.values_list("name", flat=True)]
    assert len(names) > 3
    for stored in names:
        assert_clean(stored)


def test_exif_orientation_is_applied_before_stripping(reporter):
    photo = ingest(reporter, jpeg_bytes(640, 400, orientation=6))
    assert (photo.width, photo.height) == (400, 640)
    with default_storage.open(photo.image.name, "rb") as handle:
        assert Image.open(handle).size == (400, 640)
    # Rotated 90° clockwise, the red left half of the original is now on top.
    with default_storage.open(photo.image.name, "rb") as handle:
        image = Image.open(handle).convert("RGB")
        assert image.getpixel((200, 40))[0] > 200
        assert image.getpixel((200, 600))[0] < 60


def test_renditions_at_three_widths_in_webp_and_jpeg(reporter):
    photo = ingest(reporter, jpeg_bytes(2000, 1200, metadata=False))
    rows = list(photo.renditions.all())
    assert {(r.ratio, r.format, r.width) for r in rows} == {
        (ratio, fmt, w) for ratio in ("", "16x9") for fmt in ("webp", "jpeg") for w in (480, 960, 1600)
    }
    for row in rows:
        with default_storage.open(row.name, "rb") as handle:
            image = Image.open(handle)
            assert image.format == ("WEBP" if row.format == "webp" else "JPEG")
            assert image.size == (row.width, row.height)
        if row.ratio == "16x9":
            assert abs(row.width / row.height - 16 / 9) < 0.01
        else:
            assert abs(row.width / row.height - 2000 / 1200) < 0.01
    picture = renditions.picture(photo, "16:9")
    assert [s.width for s in picture.webp] == [480, 960, 1600]
    assert (picture.width, picture.height) == (960, 540)
    assert picture.src.startswith(settings.MEDIA_URL)


def test_small_photo_is_never_enlarged(reporter):
    photo = ingest(reporter, jpeg_bytes(300, 200, metadata=False))
    assert set(photo.renditions.values_list("width", flat=True)) == {300}


def test_renditions_are_made_once(reporter, monkeypatch):
    photo = ingest(reporter, jpeg_bytes(1000, 800, metadata=False))
    count = PhotoRendition.objects.count()

    def fail(*args, **kwargs):
        raise AssertionError("re-encoded a rendition that already exists")

    monkeypatch.setattr(renditions, "encode", fail)
    assert renditions.make(photo, ("",)) == []
    assert renditions.make(photo, ("16:9",)) == []
    assert renditions.make(photo) == []
    assert PhotoRendition.objects.count() == count


def test_other_ratio_is_made_by_make_from_the_stored_original_and_never_by_a_page(reporter):
    photo = ingest(reporter, jpeg_bytes(1800, 1200, metadata=False))
    before = media_files()
    # A page asking for a ratio the worker does not make gets no picture, and nothing is written.
    assert photo_picture(photo, "1:1") is None
    assert media_files() == before
    renditions.make(photo, ("1:1",))
    made = media_files() - before
    assert len(made) == 4 and all("/1x1-f50x50-" in name for name in made)
    row = photo.renditions.get(ratio="1x1", format="jpeg", width=960)
    with default_storage.open(row.name, "rb") as handle:
        assert Image.open(handle).size == (960, 960)


def halves(top, bottom, size=(1000, 1000)):
    image = Image.new("RGB", size, top)
    image.paste(bottom, (0, size[1] // 2, size[0], size[1]))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_crop_box_keeps_the_focal_point_in_view():
    assert renditions.crop_box(1000, 1000, "16:9", (0.5, 0.0)) == (0, 0, 1000, 562)
    assert renditions.crop_box(1000, 1000, "16:9", (0.5, 1.0)) == (0, 438, 1000, 1000)
    assert renditions.crop_box(1600, 900, "1:1", (0.9, 0.5)) == (700, 0, 1600, 900)
    assert renditions.crop_box(1600, 900, "", (0.9, 0.5)) == (0, 0, 1600, 900)


@pytest.mark.parametrize(("focal", "colour"), [((0.5, 0.05), "red"), ((0.5, 0.95), "blue")])
def test_fixed_ratio_rendition_is_cropped_around_the_focal_point(reporter, focal, colour):
    photo = ingest(reporter, halves((255, 0, 0), (0, 0, 255)), "h.png", focal=focal)
    row = photo.renditions.get(ratio="16x9", format="jpeg", width=960)
    with default_storage.open(row.name, "rb") as handle:
        r, _g, b = Image.open(handle).convert("RGB").resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    assert (r > 3 * b) if colour == "red" else (b > 3 * r)


def test_moving_the_focal_point_in_the_admin_remakes_the_crop(editor_client, reporter):
    photo = ingest(reporter, halves((255, 0, 0), (0, 0, 255)), "h.png", focal=(0.5, 0.05))
    old = renditions.picture(photo, "16:9").src
    url = reverse("admin:articles_photo_change", args=[photo.pk])
    data = {
        "caption": "新图说",
        "credit": "",
        "alt_text": "",
        "taken_on": "",
        "focal_x": "0.5",
        "focal_y": "0.95",
    }
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    photo.refresh_from_db()
    assert not photo.renditions.filter(ratio="16x9", name__contains="f50x5-").exists()
    new = renditions.picture(photo, "16:9").src
    assert new != old
    # The move enqueued the renditions again; the test settings run tasks where they are enqueued.
    assert photo.renditions_state == Photo.Renditions.READY
    with default_storage.open(new.removeprefix(settings.MEDIA_URL), "rb") as handle:
        r, _g, b = Image.open(handle).convert("RGB").resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    assert b > 3 * r


def test_focal_point_is_checked_by_the_database(reporter):
    photo = ingest(reporter, jpeg_bytes(100, 100, metadata=False))
    for fx, fy in ((1.5, 0.5), (0.5, None), (-0.1, 0.2)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Photo.objects.filter(pk=photo.pk).update(focal_x=fx, focal_y=fy)


def test_focal_point_form_wants_both_coordinates(editor_client, reporter):
    photo = ingest(reporter, jpeg_bytes(100, 100, metadata=False))
    url = reverse("admin:articles_photo_change", args=[photo.pk])
    data = {"caption": "", "credit": "", "alt_text": "", "taken_on": "", "focal_x": "0.3", "focal_y": ""}
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "焦点需要同时填写" in response.content.decode()


def test_deleting_a_photo_removes_its_files(reporter, django_capture_on_commit_callbacks):
    before = media_files()
    photo = ingest(reporter, jpeg_bytes(1000, 700, metadata=False))
    assert len(media_files() - before) == 9  # original + (480, 960) × (orig, 16:9) × (webp, jpeg)
    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    assert media_files() == before


def test_stored_files_live_under_media_root(reporter):
    photo = ingest(reporter, jpeg_bytes(600, 400, metadata=False))
    root = Path(settings.MEDIA_ROOT).resolve()
    for name in [photo.image.name, *photo.renditions.values_list("name", flat=True)]:
        assert Path(default_storage.path(name)).resolve().is_relative_to(root)


def test_ingest_needs_permission(django_user_model):
    from django.core.exceptions import PermissionDenied

    user = django_user_model.objects.create_user("nobody", password="pw")
    before = media_files()
    with pytest.raises(PermissionDenied):
        ingest(user, jpeg_bytes(100, 100, metadata=False))
    assert media_files() == before


def test_photo_library_lists_thumbnails_and_searches_caption_and_credit(
    editor_client, reporter, django_assert_max_num_queries
):
    credit = PersonFactory(name="陈摄影")
    for i in range(5):
        ingest(reporter, jpeg_bytes(500, 300, metadata=False), caption=f"第{i}张 龙舟赛", credit=credit)
    ingest(reporter, jpeg_bytes(500, 300, metadata=False), caption="另一张")
    url = reverse("admin:articles_photo_changelist")
    with django_assert_max_num_queries(12):
        html = editor_client.get(url).content.decode()
    assert html.count('class="photo-thumb"') == 6
    assert "上传图片（可多选）" in html
    assert editor_client.get(url, {"q": "龙舟"}).content.decode().count('class="photo-thumb"') == 5
    assert editor_client.get(url, {"q": "陈摄影"}).content.decode().count('class="photo-thumb"') == 5


def test_photo_autocomplete_finds_by_caption(editor_client, reporter):
    ingest(reporter, jpeg_bytes(300, 200, metadata=False), caption="安海龙舟赛")
    ingest(reporter, jpeg_bytes(300, 200, metadata=False), caption="别的新闻")
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"term": "龙舟", "app_label": "articles", "model_name": "article", "field_name": "lead_photo"},
    )
    assert response.status_code == 200, response.content[:500]
    results = response.json()["results"]
    assert len(results) == 1 and "安海龙舟赛" in results[0]["text"]


def test_upload_page_renders(reporter_client):
    html = reporter_client.get(UPLOAD_URL).content.decode()
    assert "multiple" in html and 'enctype="multipart/form-data"' in html
    assert reporter_client.get(reverse("admin:articles_photo_add")).status_code == 302
