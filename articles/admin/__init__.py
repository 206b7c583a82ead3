"""The admin for what is written, one module per concern; the photo library's lives in articles/photos/."""

from ..photos import admin as photo_admin  # noqa: F401
from . import articles, catalogue, log  # noqa: F401
