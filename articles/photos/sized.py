"""Single stored images whose generated name carries their size (e-paper page images), with a WebP twin.

The twin is made by the background worker; pages link it once it exists.

Generic over any FieldFile, so the e-paper can use it without ``articles`` knowing about pages.
"""

import logging
import re
import uuid

from django.core.cache import cache

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


def webp_url(fieldfile):
    """The URL of the WebP twin of a stored JPEG, or "" while it is not made (then the worker is asked to).

    The twin is made by the background worker (``tasks.make_webp_twin``), never in a reader's request; its
    existence is looked up once and remembered.
    """
    storage = fieldfile.storage
    name = webp_name(fieldfile.name)
    key = f"webp-twin:{name}"
    if cache.get(key):
        return storage.url(name)
    try:
        exists = storage.exists(name)
    except OSError:
        logger.exception("WebP twin of %s could not be looked up", fieldfile.name)
        return ""
    if exists:
        cache.set(key, True, 24 * 3600)
        return storage.url(name)
    # An older page image without its twin: ask the worker once a day at most.
    if cache.add(f"webp-twin-asked:{name}", True, 24 * 3600):
        from .tasks import make_webp_twin

        make_webp_twin.enqueue(fieldfile.name)
    return ""
