"""Body lines → paragraphs: where a paragraph breaks (sentence ends, short lines,
indents), datelines split off and end credits in brackets taken out. See :mod:`.lines`."""

from __future__ import annotations

import re

from .bylines import Credit, join_name_break, parse_credit, split_dateline, starts_with_dateline
from .items import Item, Line
from .text import char_width, ends_sentence, join_wrapped


def _reference_width(widths: list[float], i: int) -> float:
    """The column width around line i: the second widest line of the neighbourhood
    (the widest may be a line with uncompressed punctuation), or the widest when
    the neighbourhood is too small to have two full lines."""
    window = sorted(widths[max(0, i - 4) : i + 6], reverse=True)
    if len(window) >= 6:
        return window[1]
    return window[0] if window else 0.0


_HANGING = frozenset("，。、；：？！”’）")


def _set_width(line: Line) -> float:
    """A line's width in the column: a closing mark at its end may hang in the
    margin (kinsoku), so a full line with one is as wide as a full line without."""
    w = line.width
    text = line.text
    if text and text[-1] in _HANGING:
        w -= char_width(text[-1])
    return w


def paragraph_breaks(lines: list[Line]) -> list[bool]:
    """For each line after the first: does a new paragraph start there?

    PDF extraction loses indentation, and a blank line may be a column break in
    mid-sentence, so a blank line alone means nothing. A paragraph ends at a line
    that ends a sentence (。！？… optionally followed by ”’）) *and* either that
    line is short (at least 1.5 em narrower than the column) or the next line is
    indented (1.5–4 em narrower than the column: the two-character indent of a
    first line). Where a blank line separates the two lines, 1 em is enough:
    in this extraction a paragraph break nearly always comes with a blank line,
    so only a full line followed by a full line is taken for a column break in
    mid-paragraph (…造芯片？” / blank / “做芯片可比…). A line opening with a
    dateline (本报讯…) always starts a paragraph.
    """
    widths = [ln.width for ln in lines]
    set_widths = [_set_width(ln) for ln in lines]
    breaks: list[bool] = []
    for k in range(1, len(lines)):
        a, b = lines[k - 1], lines[k]
        if a.closes or starts_with_dateline(b.text):
            breaks.append(True)
            continue
        if not ends_sentence(a.text):
            breaks.append(False)
            continue
        ref = _reference_width(set_widths, k)
        margin = 1.0 if b.blank_before else 1.5
        a_short = ref - widths[k - 1] >= margin
        b_indented = margin <= ref - widths[k] <= 4
        breaks.append(a_short or b_indented)
    return breaks


def build_paragraphs(items: list[Item | Line]) -> list[Item]:
    """Merge consecutive body lines into "para" items (and split datelines off)."""
    out: list[Item] = []
    run: list[Line] = []

    def flush() -> None:
        if not run:
            return
        breaks = paragraph_breaks(run)
        start = 0
        for k in range(1, len(run) + 1):
            if k == len(run) or breaks[k - 1]:
                out.extend(_make_para(run[start:k]))
                start = k
        run.clear()

    for item in items:
        if type(item) is Line:
            run.append(item)
        else:
            flush()
            out.append(item)
    flush()
    return out


_TRAILING_CREDIT = re.compile(r"[（(](?P<inner>[^（()）]{2,60})[）)]\s*$")


def trailing_credit(raw: str) -> tuple[str, Credit, str] | None:
    """A credit in brackets closing a paragraph (…增收。（记者 黄佳琪）, wrapped or not):
    (text before it, the credit, the credit as printed)."""
    m = _TRAILING_CREDIT.search(raw)
    if m is None:
        return None
    pieces = m.group("inner").split("\n")
    joined = pieces[0]
    for piece in pieces[1:]:
        joined = join_name_break(joined, piece)
    credit = parse_credit("（" + joined.strip() + "）", standalone=True)
    if credit is None:
        return None
    printed = raw[m.start() : m.end()].strip()
    printed = printed.replace(m.group("inner"), joined)
    return raw[: m.start()], credit, printed


def _make_para(lines: list[Line]) -> list[Item]:
    """One paragraph (and the end credit printed at its end, if any)."""
    raw = "\n".join(ln.text for ln in lines)
    dateline = split_dateline(raw) if starts_with_dateline(lines[0].text) else None
    body = dateline.rest if dateline else raw
    out: list[Item] = []
    trailing = trailing_credit(body)
    if trailing is not None:
        body, credit, printed = trailing
        last = [ln for ln in lines if ln.text and ln.text[-1] in "）)"][-1:] or lines[-1:]
        out.append(Item(kind="credit", lines=last, credit=credit, raw=printed, end=True))
    text = join_wrapped([s.strip() for s in body.split("\n")])
    para = Item(kind="para", lines=lines, dateline=dateline, text=text, blank_before=lines[0].blank_before)
    return [para, *out]
