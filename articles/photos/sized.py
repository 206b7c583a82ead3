"""Single stored images whose generated name carries their size (e-paper page images), with a WebP twin.

Generic over any FieldFile, so the e-paper can use it without ``articles`` knowing about pages.
"""

import logging
import re
import uuid

from django.core.cache import cache
from django.core.files.base import ContentFile
from PIL import Image

from . import validation

logger = logging.getLogger(__name__)
_SIZE_IN_NAME = re.compile(r"-(\d+)x(\d+)\.jpg$")


def sized_name(width, height):
    """A generated file name that records the image's size: <uuid>-<w>x<h>.jpg."""
    return f"{uuid.uuid4().hex}-{width}x{height}.jpg"


def size_from_name(name):
    """(width, height) read from a generated name, or None for any other name."""
    match = _SIZE_IN_NAME.search(name or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def webp_name(name):
    """The storage name of the WebP twin of a stored JPEG."""
    return name.rsplit(".", 1)[0] + ".webp"


def ensure_webp(fieldfile):
    """Make the WebP twin of a stored JPEG once (found again by its name); return its URL or ""."""
    storage = fieldfile.storage
    name = webp_name(fieldfile.name)
    key = f"webp-twin:{name}"
    if cache.get(key):
        return storage.url(name)
    try:
        if not storage.exists(name):
            Image.MAX_IMAGE_PIXELS = validation.max_image_pixels()
            with fieldfile.open("rb") as handle, Image.open(handle) as image:
                image.load()
                data = validation.encode(image, "WEBP", quality=80)
            saved = storage.save(name, ContentFile(data))
            if saved != name:
                storage.delete(saved)
    except OSError:
        logger.exception("WebP twin of %s could not be made", fieldfile.name)
        return ""
    cache.set(key, True, 24 * 3600)
    return storage.url(name)
