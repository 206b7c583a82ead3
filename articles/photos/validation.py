"""Upload checks for photos and page images: size, real format, pixel and frame limits, integrity.

Every refusal is a ``ValidationError`` with a message an editor can act on, in Chinese. Nothing here
writes anywhere: a refused upload leaves no trace in storage.
"""

import datetime
import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

# The real format decides, never the file name. SVG is not a raster format and may carry script.
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
# What each accepted format is stored as: a GIF keeps its first frame, as PNG.
STORED_FORMAT = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "GIF": "PNG"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}

# A truncated file must be refused, not silently padded with grey.
ImageFile.LOAD_TRUNCATED_IMAGES = False


def max_upload_bytes():
    """Largest accepted upload, in bytes (settings.NEWSROOM_MAX_UPLOAD_BYTES)."""
    return int(getattr(settings, "NEWSROOM_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))


def max_image_pixels():
    """Largest accepted image, in pixels (settings.NEWSROOM_MAX_IMAGE_PIXELS, default 60 MP)."""
    return int(getattr(settings, "NEWSROOM_MAX_IMAGE_PIXELS", 60_000_000))


def max_image_frames():
    """Most frames accepted in an animated image (settings.NEWSROOM_MAX_IMAGE_FRAMES)."""
    return int(getattr(settings, "NEWSROOM_MAX_IMAGE_FRAMES", 100))


def _mb(size):
    return f"{size / 1024 / 1024:.1f} MB"


def check_size(upload):
    """Refuse a file over the limit using the size the upload handler counted, before reading it."""
    limit = max_upload_bytes()
    size = getattr(upload, "size", None)
    if size is None or size > limit:
        shown = _mb(size) if size is not None else "未知大小"
        raise ValidationError(
            f"文件太大（{shown}）：单个文件不能超过 {_mb(limit)}，请压缩后再上传。", code="too_large"
        )
    if size == 0:
        raise ValidationError("文件是空的，请重新选择。", code="empty")


def _looks_like_markup(head):
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<?xml", b"<svg", b"<!doctype", b"<html")) or b"<svg" in text


class _Unclosable:
    """A view of an upload that Pillow may close: multi-frame plugins close the file they were given."""

    def __init__(self, file):
        self._file = file

    def read(self, *args):
        """Read from the upload."""
        return self._file.read(*args)

    def seek(self, *args):
        """Seek in the upload."""
        return self._file.seek(*args)

    def tell(self):
        """Position in the upload."""
        return self._file.tell()

    def close(self):
        """Leave the upload open for the next step."""


def open_image(upload):
    """Open an upload with Pillow after the size check; refuse what is not an allowed raster image."""
    check_size(upload)
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if _looks_like_markup(head):
        raise ValidationError(
            "不接受 SVG 或网页文件：矢量图可能夹带脚本，请导出为 JPEG 或 PNG 后上传。", code="svg"
        )
    Image.MAX_IMAGE_PIXELS = max_image_pixels()
    try:
        with warnings.catch_warnings():
            # Past the limit Pillow only warns; past twice the limit it raises. Both are refusals here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(_Unclosable(upload), formats=ALLOWED_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels() from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ValidationError(
            "文件内容不是可识别的图片：只接受 JPEG、PNG、WebP 或 GIF 格式（与文件扩展名无关）。",
            code="not_image",
        ) from exc
    if image.format not in ALLOWED_FORMATS:
        image.close()
        raise ValidationError(
            f"不支持的图片格式 {image.format}：只接受 JPEG、PNG、WebP 或 GIF。", code="format"
        )
    width, height = image.size
    if width < 1 or height < 1 or width * height > max_image_pixels():
        image.close()
        raise _too_many_pixels(width, height)
    return image


def _too_many_pixels(width=None, height=None):
    size = f"（{width}×{height}）" if width else ""
    return ValidationError(
        f"图片像素过多{size}：不能超过 {max_image_pixels() // 1_000_000} 百万像素，请缩小后再上传。",
        code="too_many_pixels",
    )


def _broken():
    return ValidationError("图片文件不完整或已损坏，请重新导出后上传。", code="broken")


@dataclass(frozen=True)
class ImageInfo:
    """What the checks learned about an accepted upload."""

    format: str
    width: int
    height: int
    frames: int


def inspect_upload(upload):
    """Run every check on an upload (size, format, pixels, frames, integrity) and describe it."""
    image = open_image(upload)
    try:
        fmt, (width, height) = image.format, image.size
        try:
            frames = int(getattr(image, "n_frames", 1))
        except (OSError, ValueError, EOFError, SyntaxError) as exc:
            raise _broken() from exc
        if frames > max_image_frames() or width * height * frames > max_image_pixels() * 2:
            raise ValidationError(
                f"动图帧数过多（{frames} 帧）：不能超过 {max_image_frames()} 帧。", code="too_many_frames"
            )
        try:
            image.verify()
        except Exception as exc:  # verify() raises whatever the plugin's parser trips over
            raise _broken() from exc
    finally:
        image.close()
    # verify() leaves the image unusable: reopen and decode to catch truncated data.
    image = open_image(upload)
    try:
        if fmt == "JPEG":
            # A reduced-scale decode still reads every byte of the stream, at an eighth of the memory.
            image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
        image.load()
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _broken() from exc
    finally:
        image.close()
    upload.seek(0)
    return ImageInfo(fmt, width, height, frames)


def _exif_date(image):
    """The date the picture was taken, from EXIF, if present and sane."""
    try:
        exif = image.getexif()
        value = exif.get_ifd(0x8769).get(36867) or exif.get(306)
        if not value:
            return None
        return datetime.datetime.strptime(str(value).strip()[:10], "%Y:%m:%d").date()
    except Exception:  # a malformed EXIF block is no reason to refuse a photo
        return None


@dataclass
class CleanImage:
    """A decoded, upright image with every piece of metadata dropped, ready to encode."""

    image: Image.Image
    format: str
    taken_on: datetime.date | None

    @property
    def extension(self):
        """File extension of the stored format."""
        return EXTENSIONS[self.format]

    @property
    def size(self):
        """(width, height) after orientation was applied."""
        return self.image.size

    def close(self):
        """Free the pixels."""
        self.image.close()


def strip_metadata(image):
    """Return an image in a plain mode with no metadata at all (EXIF, ICC, XMP, comments, text)."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    if image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGBA" if has_alpha else "RGB")
    # Encoders fall back to image.info for ICC profiles, comments and text chunks: empty it.
    image.info = {}
    return image


def clean_upload(upload):
    """Check an upload, then decode it upright (EXIF orientation applied) and stripped of metadata."""
    info = inspect_upload(upload)
    image = open_image(upload)
    taken_on = _exif_date(image)
    try:
        image.load()
        ImageOps.exif_transpose(image, in_place=True)
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        image.close()
        raise _broken() from exc
    return CleanImage(strip_metadata(image), STORED_FORMAT[info.format], taken_on)


def encode(image, fmt, **options):
    """Encode an image to bytes with no metadata; JPEG gets a white background for transparency."""
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", image.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        rgba.close()
        image = flat
    defaults = {
        "JPEG": {"quality": 85, "optimize": True, "progressive": True},
        "WEBP": {"quality": 80, "method": 4},
        "PNG": {"optimize": False},
    }[fmt]
    buffer = io.BytesIO()
    image.save(buffer, fmt, **{**defaults, **options})
    return buffer.getvalue()
