"""The admin for what is printed, one module per concern."""

from . import editions, imports  # noqa: F401
