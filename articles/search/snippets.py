"""Snippets: an escaped excerpt of a story's original text around the first hit, every hit marked.

Hits are found in the folded text (NFKC, lower case: what the index and the query see), but the
excerpt is cut from the text as written: full-width punctuation, capitals and an ellipsis (……,
which NFKC turns into six dots) stay as the story printed them. ``fold`` keeps, for every folded
character, the index of the character it came from, so a hit maps back to the original.
"""

import html
import re

from django.utils.safestring import mark_safe

from . import index

# Characters NFKC leaves alone and lower() maps one to one: ASCII and the unified ideographs.
_PLAIN = re.compile(r"[\x00-\x7f\u3400-\u4dbf\u4e00-\u9fff]+|.", re.S)


def fold(text):
    """Return (folded, origin): the text as the index folds it, and each folded character's source index."""
    folded, origin = [], []
    for match in _PLAIN.finditer(text):
        piece = match.group()
        start = match.start()
        if len(piece) > 1 or piece.isascii():
            folded.append(piece.lower())
            origin.extend(range(start, start + len(piece)))
        else:
            # One character of any other kind, folded on its own (NFKC may make it longer or empty).
            out = index.normalize(piece)
            folded.append(out)
            origin.extend([start] * len(out))
    return "".join(folded), origin


def _hits(text, parsed):
    """Every hit of every query term as a half-open span of ``text`` (the original), in order."""
    folded, origin = fold(text)
    spans = []
    for term in parsed.terms:
        at = folded.find(term)
        while at >= 0:
            end = at + len(term)
            spans.append((origin[at], origin[end - 1] + 1))
            at = folded.find(term, end)
    return sorted(spans)


def snippet(text, parsed, width=120):
    """Return an escaped excerpt of ``text`` around the first hit, with every hit wrapped in <mark>."""
    text = " ".join((text or "").split())
    spans = _hits(text, parsed)
    start = max(0, spans[0][0] - width // 4) if spans else 0
    end = start + width
    excerpt = text[start:end]
    marks = [False] * len(excerpt)
    for first, last in spans:
        for i in range(max(first, start), min(last, end)):
            marks[i - start] = True
    out = ["…" if start > 0 else ""]
    i = 0
    while i < len(excerpt):
        j = i
        while j < len(excerpt) and marks[j] == marks[i]:
            j += 1
        chunk = html.escape(excerpt[i:j])
        out.append(f"<mark>{chunk}</mark>" if marks[i] else chunk)
        i = j
    if end < len(text):
        out.append("…")
    return mark_safe("".join(out))  # noqa: S308 - every piece of reader or article text is escaped above
