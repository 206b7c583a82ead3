"""Photos, a subsystem of the articles app: every photo concern lives in this package.

Modules (internal to the package unless exported below):

- ``models``: ``Photo`` and ``PhotoRendition`` (app label ``articles``; ``articles/models.py`` imports them so
  Django finds them), and the deletion of their files once a deletion is committed.
- ``validation``: the checks an uploaded image passes (size, format, pixels, frames, a full decode), metadata
  stripping and encoding.
- ``uploads``: the upload handler that refuses an oversized file while it streams in (FILE_UPLOAD_HANDLERS).
- ``renditions``: resized, focal-point cropped WebP/JPEG copies and the ``<picture>`` description.
- ``sized``: single stored images whose name carries their size, with a WebP twin (the e-paper's page images).
- ``services``: ``photo_ingest``, the one way a photo enters the library.
- ``tasks``: the background work (renditions, WebP twins) run by ``manage.py db_worker``, with bounded retries.
- ``body``: photos inside an article body (figures rebuilt from the Photo row, the delete guard, the editor).
- ``forms`` and ``admin``: the photo library in the admin (registered from ``articles/admin/__init__.py``).
- ``templatetags``: the ``{% load photos %}`` library (named in TEMPLATES ``libraries`` in the settings).

Code outside this package imports only the names below.
"""

from .body import BodyPhotoProseEditorWidget, normalise_body_photos
from .models import Photo, PhotoRendition
from .services import photo_ingest
from .sized import sized_name, webp_name
from .tasks import enqueue_later, make_webp_twin
from .templatetags import photo_jsonld_images
from .validation import check_size, clean_upload, encode, strip_metadata

__all__ = [
    "BodyPhotoProseEditorWidget",
    "Photo",
    "PhotoRendition",
    "check_size",
    "clean_upload",
    "encode",
    "enqueue_later",
    "make_webp_twin",
    "normalise_body_photos",
    "photo_ingest",
    "photo_jsonld_images",
    "sized_name",
    "strip_metadata",
    "webp_name",
]
