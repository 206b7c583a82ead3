"""Server-side HTML sanitizing of article bodies (nh3, an allow-list)."""

import html as html_lib
import re
from urllib.parse import urlsplit

import nh3
from django.conf import settings

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


def plain_text(html):
    """Return the visible text of sanitized HTML, one line per block."""
    text = nh3.clean(html or "", tags={"p", "h2", "h3", "h4", "li", "blockquote", "figcaption", "br"})
    for tag in ("</p>", "</h2>", "</h3>", "</h4>", "</li>", "</blockquote>", "</figcaption>", "<br>"):
        text = text.replace(tag, "\n")
    text = nh3.clean(text, tags=set())
    return "\n".join(line.strip() for line in html_lib.unescape(text).splitlines() if line.strip())


def char_count(text):
    """字数 as Chinese newsrooms count it: ideographs, letters and digits; never spaces, punctuation or bytes.

    ``str.isalnum`` is true for every Unicode letter (CJK ideographs are category Lo) and number;
    the editor's live count (static/admin_newsroom/charcount.js) uses the same classes, /[\\p{L}\\p{N}]/u.
    """
    return sum(1 for c in text or "" if c.isalnum())
