"""Renditions: each photo at a few widths, WebP with a JPEG fallback, cropped around the focal point.

Names are deterministic (derived from the original's name, the ratio, the focal point and the width), so a
page can compute every URL and its width/height without touching storage. Files are made once with Pillow by
the background worker (``tasks``), written through the storage API, and recorded as PhotoRendition rows; a
page links them once the photo says they are ready, and shows a placeholder before.
"""

import math
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image

from .models import PhotoRendition
from .validation import encode

WIDTHS = (480, 960, 1600)
# Ratios a template may ask for; "" keeps the photo's own shape.
RATIOS = {"": None, "16x9": (16, 9), "4x3": (4, 3), "3x2": (3, 2), "1x1": (1, 1)}
# Made by the worker after upload, because the article page and the listings use them; the only ratios pages ask.
STANDARD_RATIOS = ("", "16x9")
FORMATS = (("webp", "WEBP", {"quality": 80}), ("jpeg", "JPEG", {"quality": 82}))


def normalize_ratio(ratio):
    """Accept "16:9", "16x9" or "" and return the key used in names ("16x9" or "")."""
    key = (ratio or "").strip().lower().replace(":", "x").replace("/", "x")
    if key not in RATIOS:
        raise ValueError(f"unknown rendition ratio {ratio!r}; use one of {sorted(RATIOS)}")
    return key


def _quantized_focal(focal):
    # Names carry the focal point to 1 %, and the crop uses exactly that value, so a name fixes its pixels.
    return tuple(min(100, max(0, round(v * 100))) / 100 for v in (focal or (0.5, 0.5)))


def crop_box(width, height, ratio, focal=None):
    """The box (left, top, right, bottom) of the largest ``ratio`` crop keeping the focal point in view."""
    shape = RATIOS[normalize_ratio(ratio)]
    if shape is None:
        return (0, 0, width, height)
    fx, fy = _quantized_focal(focal)
    target = shape[0] / shape[1]
    if width / height > target:
        crop_w, crop_h = max(1, round(height * target)), height
    else:
        crop_w, crop_h = width, max(1, round(width / target))
    left = min(max(0, round(fx * width - crop_w / 2)), width - crop_w)
    top = min(max(0, round(fy * height - crop_h / 2)), height - crop_h)
    return (left, top, left + crop_w, top + crop_h)


def sizes_for(width, height, ratio, focal=None):
    """The (width, height) of each rendition: the standard widths that fit, never enlarged."""
    left, top, right, bottom = crop_box(width, height, ratio, focal)
    crop_w, crop_h = right - left, bottom - top
    widths = [w for w in WIDTHS if w <= crop_w] or [crop_w]
    return [(w, max(1, round(w * crop_h / crop_w))) for w in widths]


def name_for(image_name, ratio, focal, width, fmt):
    """The storage name of one rendition, next to the original: photos/2025/06/<uuid>/16x9-f50x40-960.webp."""
    stem = image_name.rsplit(".", 1)[0]
    key = normalize_ratio(ratio)
    if key:
        fx, fy = _quantized_focal(focal)
        tag = f"{key}-f{round(fx * 100)}x{round(fy * 100)}"
    else:
        tag = "orig"
    return f"{stem}/{tag}-{width}.{'webp' if fmt == 'webp' else 'jpg'}"


@dataclass(frozen=True)
class Source:
    """One rendition as a template needs it."""

    url: str
    width: int
    height: int


@dataclass(frozen=True)
class Picture:
    """Everything a <picture> element needs: both srcsets, the fallback src and its size."""

    webp: tuple
    jpeg: tuple

    @property
    def webp_srcset(self):
        """srcset for the WebP <source>."""
        return ", ".join(f"{s.url} {s.width}w" for s in self.webp)

    @property
    def jpeg_srcset(self):
        """srcset for the JPEG <img>."""
        return ", ".join(f"{s.url} {s.width}w" for s in self.jpeg)

    @property
    def fallback(self):
        """The middle JPEG: what a browser without srcset shows; its size goes in width/height."""
        return self.jpeg[min(1, len(self.jpeg) - 1)]

    @property
    def largest(self):
        """The widest JPEG, for Open Graph and JSON-LD."""
        return self.jpeg[-1]

    @property
    def src(self):
        """URL of the fallback JPEG."""
        return self.fallback.url

    @property
    def width(self):
        """Width attribute of the <img>."""
        return self.fallback.width

    @property
    def height(self):
        """Height attribute of the <img>."""
        return self.fallback.height


def _focal(photo):
    return photo.focal_point


def picture(photo, ratio=""):
    """Describe a photo's renditions for a template, computed from its fields alone (no I/O)."""
    storage = photo.image.storage
    sizes = sizes_for(photo.width, photo.height, ratio, _focal(photo))
    by_format = {}
    for fmt, _pil, _opts in FORMATS:
        by_format[fmt] = tuple(
            Source(storage.url(name_for(photo.image.name, ratio, _focal(photo), w, fmt)), w, h)
            for w, h in sizes
        )
    return Picture(webp=by_format["webp"], jpeg=by_format["jpeg"])


def _render(image, box, sizes):
    """Yield (width, height, image) from the widest down, each made from the previous one."""
    source, source_box = image, box
    for w, h in sorted(sizes, reverse=True):
        resized = source.resize((w, h), Image.Resampling.LANCZOS, box=source_box, reducing_gap=3.0)
        yield w, h, resized
        if source is not image:
            source.close()
        source, source_box = resized, (0, 0, w, h)
    if source is not image:
        source.close()


def make(photo, ratios=STANDARD_RATIOS, image=None):
    """Make and store the missing renditions of ``photo`` for ``ratios``; return the names written."""
    storage = photo.image.storage
    focal = _focal(photo)
    done = set(photo.renditions.values_list("name", flat=True)) if photo.pk else set()
    written, rows = [], []
    opened = None
    try:
        for ratio in ratios:
            key = normalize_ratio(ratio)
            sizes = sizes_for(photo.width, photo.height, key, focal)
            wanted = [
                (w, h, fmt) for w, h in sizes for fmt, _p, _o in FORMATS
                if name_for(photo.image.name, key, focal, w, fmt) not in done
            ]  # fmt: skip
            if not wanted:
                continue
            if image is None and opened is None:
                opened = _open_original(photo, max(w for w, _h, _f in wanted), key)
            source = image if image is not None else opened
            scale = source.size[0] / photo.width
            box = tuple(v * scale for v in crop_box(photo.width, photo.height, key, focal))
            wanted_widths = {w for w, _h, _f in wanted}
            for w, h, resized in _render(source, box, [s for s in sizes if s[0] in wanted_widths]):
                for fmt, pil_format, options in FORMATS:
                    name = name_for(photo.image.name, key, focal, w, fmt)
                    if name in done:
                        continue
                    _save_exact(storage, name, encode(resized, pil_format, **options))
                    written.append(name)
                    rows.append(
                        PhotoRendition(photo=photo, ratio=key, format=fmt, width=w, height=h, name=name)
                    )
    except BaseException:
        # A half-made set is not kept: the caller sees the error, storage sees no stray files.
        for name in written:
            storage.delete(name)
        raise
    finally:
        if opened is not None:
            opened.close()
    PhotoRendition.objects.bulk_create(rows, ignore_conflicts=True)
    return written


def _save_exact(storage, name, data):
    """Write ``data`` under exactly ``name``: an existing file of that name already holds these pixels."""
    if storage.exists(name):
        return
    saved = storage.save(name, ContentFile(data))
    if saved != name:
        # Another process wrote the same rendition meanwhile; keep theirs, drop our renamed copy.
        storage.delete(saved)


def _open_original(photo, widest, ratio):
    """Open the stored original, decoding a JPEG at a reduced scale when the renditions allow it."""
    from .validation import max_image_pixels

    Image.MAX_IMAGE_PIXELS = max_image_pixels()
    with photo.image.open("rb") as handle:
        image = Image.open(handle)
        left, top, right, bottom = crop_box(photo.width, photo.height, ratio, _focal(photo))
        factor = widest / max(1, right - left)
        if image.format == "JPEG" and factor < 1:
            image.draft("RGB", (math.ceil(photo.width * factor), math.ceil(photo.height * factor)))
        image.load()
    return image


def ready(photo, ratio=""):
    """True when a page may link ``photo``'s renditions for ``ratio``: the worker has made them.

    Only the standard ratios are made; a page never makes one itself (no image work in a reader's request).
    """
    if not photo or not photo.image or not photo.width or not photo.renditions_ready:
        return False
    return normalize_ratio(ratio) in STANDARD_RATIOS


def drop_cropped(photo):
    """Forget the cropped renditions (after the focal point moved); original-shape ones stay valid."""
    storage = photo.image.storage
    stale = photo.renditions.exclude(ratio="")
    names = list(stale.values_list("name", flat=True))
    stale.delete()
    # Files go only once the change is committed; a rolled-back edit still finds its files.
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
