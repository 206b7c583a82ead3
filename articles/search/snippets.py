"""Snippets: an escaped excerpt of a story around the first hit, every hit marked."""

import html
import re

from django.utils.safestring import mark_safe

from . import index


def snippet(text, parsed, width=120):
    """Return an escaped excerpt of ``text`` around the first hit, with every hit wrapped in <mark>."""
    text = " ".join((text or "").split())
    folded = index.normalize(text)
    if len(folded) != len(text):
        # NFKC changed the length (ligatures and the like): fall back to the folded text itself.
        text = folded
    start = 0
    positions = [folded.find(term) for term in parsed.terms if folded.find(term) >= 0]
    if positions:
        start = max(0, min(positions) - width // 4)
    excerpt = text[start : start + width]
    folded_excerpt = folded[start : start + width]
    marks = [False] * len(excerpt)
    for term in parsed.terms:
        for match in re.finditer(re.escape(term), folded_excerpt):
            for i in range(match.start(), match.end()):
                marks[i] = True
    out = ["…" if start > 0 else ""]
    i = 0
    while i < len(excerpt):
        j = i
        while j < len(excerpt) and marks[j] == marks[i]:
            j += 1
        chunk = html.escape(excerpt[i:j])
        out.append(f"<mark>{chunk}</mark>" if marks[i] else chunk)
        i = j
    if start + width < len(text):
        out.append("…")
    return mark_safe("".join(out))  # noqa: S308 - every piece of reader or article text is escaped above
