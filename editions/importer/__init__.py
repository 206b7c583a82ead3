"""The page-text importer: decode → parse → load (see DESIGN.md).

This package's decode and parse steps are pure Python (no Django); the load
step and the management command build on the API re-exported here.
"""

from .decode import DecodedText, DecodeError, decode_bytes
from .parse import parse_page
from .structure import (
    BodyBlock,
    BylineEntry,
    ParsedArticle,
    ParsedPage,
    accounted_text,
)

__all__ = [
    "BodyBlock",
    "BylineEntry",
    "DecodeError",
    "DecodedText",
    "ParsedArticle",
    "ParsedPage",
    "accounted_text",
    "decode_bytes",
    "parse_page",
]
