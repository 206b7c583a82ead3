"""Safe uploads: allow-listed real formats, size and pixel limits, and nothing left behind when refused."""

import io
import warnings

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image

from articles.models import Photo
from articles.photos import validation
from articles.photos.uploads import OversizedUpload, SizeLimitUploadHandler

from .test_files import (
    SVG_WITH_SCRIPT,
    gif_bytes,
    jpeg_bytes,
    media_files,
    png_bytes,
    png_header,
    upload,
    webp_bytes,
)

UPLOAD_URL = reverse("admin:articles_photo_upload")


def refused(data, name="photo.jpg"):
    """The Chinese message a bad file gets from the checks."""
    with pytest.raises(ValidationError) as exc:
        validation.inspect_upload(upload(data, name))
    return " ".join(exc.value.messages)


@pytest.mark.parametrize(
    ("data", "fmt"),
    [(jpeg_bytes(), "JPEG"), (png_bytes(), "PNG"), (webp_bytes(), "WEBP"), (gif_bytes(), "GIF")],
)
def test_allowed_formats_pass_whatever_their_name(data, fmt):
    info = validation.inspect_upload(upload(data, "whatever.txt"))
    assert info.format == fmt


def test_text_renamed_jpg_is_refused_in_chinese():
    message = refused("这不是图片，只是一段文字。\n".encode() * 20)
    assert "不是可识别的图片" in message


def test_truncated_jpeg_is_refused():
    data = jpeg_bytes(800, 600, metadata=False)
    assert "不完整或已损坏" in refused(data[: len(data) // 2])


def test_hundred_thousand_square_png_header_is_refused_without_decoding():
    assert "像素过多" in refused(png_header(100_000, 100_000), "bomb.png")


def test_image_just_past_the_pixel_limit_is_a_form_error_not_a_warning(settings):
    settings.NEWSROOM_MAX_IMAGE_PIXELS = 200 * 100
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert "像素过多" in refused(jpeg_bytes(201, 100, metadata=False))


def test_pixel_limit_is_set_on_pillow(settings):
    settings.NEWSROOM_MAX_IMAGE_PIXELS = 12_345_678
    validation.inspect_upload(upload(jpeg_bytes(metadata=False)))
    assert Image.MAX_IMAGE_PIXELS == 12_345_678


def test_gif_of_thousands_of_frames_is_refused():
    assert "帧数过多" in refused(gif_bytes(frames=2000, size=(8, 8)), "anim.gif")


def test_svg_with_script_is_refused_even_named_jpg():
    assert "SVG" in refused(SVG_WITH_SCRIPT, "cute.jpg")


def test_svg_without_xml_prolog_is_refused():
    assert "SVG" in refused(b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>', "x.png")


def test_other_real_formats_are_not_allowed():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20)).save(buffer, "BMP")
    assert "不是可识别的图片" in refused(buffer.getvalue(), "x.jpg")


def test_size_limit_is_checked_before_reading(settings):
    settings.NEWSROOM_MAX_UPLOAD_BYTES = 1000

    class Unreadable:
        name, size = "big.jpg", 5000

        def read(self, *args):
            raise AssertionError("the file was read")

        seek = read

    with pytest.raises(ValidationError) as exc:
        validation.inspect_upload(Unreadable())
    assert "文件太大" in exc.value.messages[0]


def test_size_limit_handler_keeps_nothing_past_the_limit(settings, rf):
    settings.NEWSROOM_MAX_UPLOAD_BYTES = 100
    handler = SizeLimitUploadHandler(rf.post("/"))
    handler.new_file("images", "big.jpg", "image/jpeg", None)
    assert handler.receive_data_chunk(b"x" * 80, 0) == b"x" * 80
    assert handler.receive_data_chunk(b"x" * 80, 80) is None
    assert handler.receive_data_chunk(b"x" * 80, 160) is None
    stand_in = handler.file_complete(240)
    assert isinstance(stand_in, OversizedUpload)
    assert stand_in.size == 240
    assert stand_in.read() == b""
    handler.new_file("images", "small.jpg", "image/jpeg", None)
    assert handler.receive_data_chunk(b"y" * 50, 0) == b"y" * 50
    assert handler.file_complete(50) is None


@pytest.mark.django_db
def test_21_megabyte_upload_is_refused_and_not_kept(reporter_client):
    before = media_files()
    big = jpeg_bytes(64, 64, metadata=False) + b"\0" * (21 * 1024 * 1024)
    response = reporter_client.post(UPLOAD_URL, {"images": upload(big, "huge.jpg")})
    assert response.status_code == 200
    html = response.content.decode()
    assert "文件太大" in html and "huge.jpg" in html
    assert not Photo.objects.exists()
    assert media_files() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        ("纯文本".encode() * 100, "text.jpg", "不是可识别的图片"),
        (jpeg_bytes(metadata=False)[:3000], "cut.jpg", "不完整或已损坏"),
        (png_header(100_000, 100_000), "bomb.png", "像素过多"),
        (SVG_WITH_SCRIPT, "logo.svg", "SVG"),
        (gif_bytes(frames=1500, size=(8, 8)), "anim.gif", "帧数过多"),
    ],
)
def test_bad_input_in_a_batch_refuses_the_batch_and_leaves_nothing(reporter_client, data, name, message):
    before = media_files()
    good = upload(jpeg_bytes(), "good.jpg")
    response = reporter_client.post(UPLOAD_URL, {"images": [good, upload(data, name)], "caption": "图说"})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and name in html
    assert "本批图片都没有保存" in html
    assert not Photo.objects.exists()
    assert media_files() == before


@pytest.mark.django_db
def test_upload_requires_permission(client, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="pw", is_staff=True)
    client.force_login(user)
    response = client.post(UPLOAD_URL, {"images": upload(jpeg_bytes())})
    assert response.status_code == 403
    assert not Photo.objects.exists()
