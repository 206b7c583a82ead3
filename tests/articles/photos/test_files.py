"""Real files for the photo tests, made with Pillow and pypdfium2; and checks that they are what they claim."""

import io
import struct
import zlib
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

SERIAL = "SN-CAM-98765"
COMMENT = b"SECRET-COMMENT"
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">XMPSECRET</x:xmpmeta>'
ICC = b"ICCPROFILEDATA" * 10


def gradient(width, height, mode="RGB"):
    """A non-uniform picture (so encoders cannot collapse it), left half red-ish, right half blue-ish."""
    image = Image.linear_gradient("L").resize((width, height))
    red = Image.new("L", (width, height), 0)
    red.paste(255, (0, 0, width // 2, height))
    rgb = Image.merge("RGB", (red, image, Image.new("L", (width, height), 90)))
    return rgb.convert(mode) if mode != "RGB" else rgb


def spy_exif(orientation=None):
    """EXIF with a GPS position, a camera serial number and a capture date."""
    exif = Image.Exif()
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "Canon"
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (24.0, 48.0, 30.0), 3: "E", 4: (118.0, 35.0, 0.0)}
    exif[ExifTags.IFD.Exif] = {0xA431: SERIAL, 0x9003: "2024:05:06 10:00:00"}
    return exif


def jpeg_bytes(width=640, height=400, orientation=None, metadata=True, quality=90):
    """A JPEG; by default carrying GPS, serial number, ICC profile, XMP and a comment."""
    buffer = io.BytesIO()
    options = {"quality": quality}
    if metadata:
        options.update(exif=spy_exif(orientation), icc_profile=ICC, comment=COMMENT, xmp=XMP)
    gradient(width, height).save(buffer, "JPEG", **options)
    return buffer.getvalue()


def png_bytes(width=300, height=200, mode="RGBA", text=True):
    """A PNG, with a text chunk and GPS EXIF by default."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    if text:
        info.add_text("Comment", COMMENT.decode())
    buffer = io.BytesIO()
    gradient(width, height, mode).save(buffer, "PNG", pnginfo=info, exif=spy_exif(), icc_profile=ICC)
    return buffer.getvalue()


def webp_bytes(width=300, height=200):
    """A WebP carrying EXIF with GPS."""
    buffer = io.BytesIO()
    gradient(width, height).save(buffer, "WEBP", exif=spy_exif(), icc_profile=ICC)
    return buffer.getvalue()


def gif_bytes(frames=2, size=(40, 30)):
    """An animated GIF with a comment; alternate colours so Pillow keeps every frame."""
    images = [Image.new("RGB", size, (255, 0, 0) if i % 2 else (0, 0, 255)) for i in range(frames)]
    buffer = io.BytesIO()
    images[0].save(buffer, "GIF", save_all=True, append_images=images[1:], comment=COMMENT, duration=10)
    return buffer.getvalue()


def png_header(width, height):
    """A tiny PNG file whose header claims ``width`` × ``height`` (a decompression bomb's opening)."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>'
)


def pdf_bytes(pages=1, size=(842, 1191)):
    """A PDF of ``pages`` blank pages of ``size`` points (default A3 portrait, a tabloid page)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    for _ in range(pages):
        document.new_page(*size)
    buffer = io.BytesIO()
    document.save(buffer)
    document.close()
    return buffer.getvalue()


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    """Bytes as an uploaded file."""
    return SimpleUploadedFile(name, data, content_type=content_type)


def media_files():
    """Every file under MEDIA_ROOT, relative names."""
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_spy_jpeg_really_carries_gps_serial_and_comments():
    data = jpeg_bytes(orientation=6)
    for secret in (SERIAL.encode(), COMMENT, b"XMPSECRET", ICC[:20]):
        assert secret in data
    image = Image.open(io.BytesIO(data))
    assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)[1] == "N"
    assert image.getexif()[ExifTags.Base.Orientation] == 6


def test_png_header_claims_ten_billion_pixels():
    data = png_header(100_000, 100_000)
    assert len(data) < 200
    assert struct.unpack(">II", data[16:24]) == (100_000, 100_000)


def test_gif_helper_keeps_every_frame():
    assert Image.open(io.BytesIO(gif_bytes(frames=12))).n_frames == 12
