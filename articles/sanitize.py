"""Server-side HTML sanitizing of article bodies (nh3, an allow-list)."""

import html as html_lib
import re
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "a", "ul", "ol", "li", "blockquote", "figure", "figcaption", "img", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    # srcset/sizes/data-file: body photos rebuilt by photos/body.py (data-file is the editor's id carrier).
    "img": {"src", "alt", "width", "height", "data-photo-id", "srcset", "sizes", "data-file"},
    "figure": {"data-photo-id"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# A sizes hint is media conditions and lengths only: no quotes, no url(), nothing a browser could fetch.
_SIZES = re.compile(r"^[\w\s(),.:%-]{1,200}$")


def _own_media(url):
    """True when an image URL points into our own MEDIA_URL (no foreign hot-links, no data: URLs)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return False
    return parts.path.startswith(settings.MEDIA_URL) and ".." not in parts.path


def _own_srcset(value):
    """True when every candidate of a srcset is one of our media URLs with a width descriptor."""
    candidates = [c.strip() for c in value.split(",") if c.strip()]
    return bool(candidates) and all(
        len(parts := c.split()) == 2 and _own_media(parts[0]) and re.fullmatch(r"\d{1,5}w", parts[1])
        for c in candidates
    )


def _attribute_filter(tag, attribute, value):
    if tag == "img" and attribute == "src":
        return value if _own_media(value) else None
    if tag == "img" and attribute == "srcset":
        return value if _own_srcset(value) else None
    if tag == "img" and attribute == "sizes":
        return value if _SIZES.match(value) and "url" not in value.lower() else None
    if attribute in {"width", "height", "start", "data-photo-id", "data-file"}:
        return value if value.isdigit() else None
    return value


def validate_body_size(html):
    """Refuse a body longer than NEWSROOM_MAX_BODY_CHARS (its HTML), before anything parses it."""
    limit = settings.NEWSROOM_MAX_BODY_CHARS
    if len(html or "") > limit:
        raise ValidationError(
            f"正文过长：共 {len(html):,} 个字符（含排版代码），上限为 {limit:,}。请删减，或分成几篇稿件发表。",
            code="body_too_long",
        )


def sanitize_body(html):
    """Return the body HTML reduced to the allow-list: safe tags, safe links, images from our media."""
    if not html:
        return ""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=_attribute_filter,
        strip_comments=True,
    )
    # An <img> whose src was refused is useless; nh3 keeps the bare tag, so drop it.
    return cleaned.replace("<img>", "").strip()


# plain_text() reads HTML with regular expressions that never scan past the next "<" (nh3 escapes "<" and ">"
# inside attribute values, so in a sanitized body every "<" opens a tag that closes before the next one), and
# decodes character references in one pass with C-level loops: linear in the input, whatever it holds (1 MB of "<" or of
# nested entities: bench/plain_text.py). nh3 itself parses such input in seconds.
_LINE_END = re.compile(r"</(?:p|h[234]|li|blockquote|figcaption)\s*>|<br(?:[\s/][^<>]*)?>")
_TAG = re.compile(r"<[/a-zA-Z][^<>]*>")
# The references nh3 writes in text, "&amp;" last.
_SANITIZER_REFERENCES = (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&nbsp;", "\xa0"), ("&amp;", "&"))
_REFERENCE = re.compile(r"(&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{0,31});)")


def _decode(reference):
    """One character reference decoded; common code points directly, the rest by ``html.unescape``'s rules."""
    if reference[1] == "#":
        number = int(reference[3:-1], 16) if reference[2] in "xX" else int(reference[2:-1])
        # Printable ASCII and the BMP below the surrogates, but the C1 controls html.unescape remaps.
        if 0x20 <= number < 0x7F or 0xA0 <= number < 0xD800:
            return chr(number)
    return html_lib.unescape(reference)


def _unescape(text):
    """``text`` with its character references decoded, each exactly once (as ``html.unescape`` does them)."""
    if "&" not in text:
        return text
    if text.count("&") == sum(text.count(reference) for reference, _ in _SANITIZER_REFERENCES):
        # Only what nh3 writes (the case of every stored body): plain replaces, "&amp;" last so that it
        # cannot make a new reference out of what follows it.
        for reference, character in _SANITIZER_REFERENCES:
            text = text.replace(reference, character)
        return text
    pieces = _REFERENCE.split(text)  # text, reference, text, …
    if len(pieces) == 1:
        return text
    references = pieces[1::2]
    decoded = {reference: _decode(reference) for reference in set(references)}
    if all(value == reference for reference, value in decoded.items()):
        return text  # names that are no references ("&x;"): nothing to decode
    pieces[1::2] = map(decoded.__getitem__, references)
    return "".join(pieces)


def plain_text(html):
    """Return the visible text of sanitized HTML, one line per block (paragraph, subhead, item, line break)."""
    text = _unescape(_TAG.sub("", _LINE_END.sub("\n", html or "")))
    return "\n".join(stripped for line in text.splitlines() if (stripped := line.strip()))


def char_count(text):
    """字数 as Chinese newsrooms count it: ideographs, letters and digits; never spaces, punctuation or bytes.

    ``str.isalnum`` is true for every Unicode letter (CJK ideographs are category Lo) and number;
    the editor's live count (static/admin_newsroom/charcount.js) uses the same classes, /[\\p{L}\\p{N}]/u.
    """
    return sum(1 for c in text or "" if c.isalnum())
