"""The admin for what is printed, one module per concern.

``editions`` (an edition and its pages), ``pages`` (one page: stories, sign-off), ``placements``
(the story list and picker), ``events`` (the editions' history), ``imports`` (the importer's runs);
``common`` holds what they share, among it ``refusal_as_message``.
"""

from . import editions, events, imports, pages, placements  # noqa: F401
