"""The admin for what is written, one module per concern."""

from . import articles, photos  # noqa: F401
