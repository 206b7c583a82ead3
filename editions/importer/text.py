"""Character-level helpers for the parser: character classes, printed widths,
layout-space removal and joining wrapped lines."""

from __future__ import annotations

import re

# Sentence-final punctuation: a paragraph can end after one of these.
SENTENCE_FINAL = frozenset("。！？!?…")
# Closing marks that may follow a sentence-final mark (。” ！） …）.
CLOSERS = frozenset("”’）)」』》】〕")
# Punctuation that never appears in a title line (titles use 、 “” 《》 —— only).
SENTENCE_PUNCT = frozenset("，。；：？！,;:?!…")

_QUOTES = frozenset("“”‘’")


def is_ideograph(ch: str) -> bool:
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x3FFFF
        or ch in "〇々〆"
    )


def is_cjk(ch: str) -> bool:
    """Ideographs and the punctuation/symbols typeset with them (full-width forms,
    CJK punctuation, curly quotes, dashes, ℃ …)."""
    if is_ideograph(ch):
        return True
    o = ord(ch)
    return (
        0x3000 < o <= 0x303F  # 、。「」…  (not U+3000 itself: that is a space)
        or 0xFF01 <= o <= 0xFFEF  # full-width forms
        or 0x2010 <= o <= 0x2027  # ‘’“” — …
        or 0x2030 <= o <= 0x205E  # ‰ ※
        or 0x2100 <= o <= 0x218F  # ℃ № Ⅻ
        or 0x2190 <= o <= 0x27BF  # arrows, ①, box drawing, □■★
        or 0x3200 <= o <= 0x33FF  # ㈠ ㎡
        or ch in "·×÷°"
    )


def _is_numberish(ch: str) -> bool:
    """ASCII digits and the ASCII signs that go with numbers (94.31 22.79% 7~8 +)."""
    return ch.isascii() and (ch.isdigit() or ch in "%.~+-/:,#$&*=<>@^_|")


def char_width(ch: str) -> float:
    """Printed width in em: ASCII is half width, curly quotes are set half width in
    these PDFs, layout spaces don't count, everything else is one em."""
    if ch.isspace():
        return 0.0
    if ch.isascii() or ch in _QUOTES:
        return 0.5
    return 1.0


_SPACE_OR_HALF_WIDTH = re.compile("[\\s\x00-\x7f“”‘’]")  # one class: no alternation to try per character
_SPACE = re.compile("\\s")


def width(s: str) -> float:
    """Printed width of ``s`` in em (the sum of :func:`char_width`): spaces count
    nothing, half-width characters half."""
    found = _SPACE_OR_HALF_WIDTH.findall(s)  # most lines of a Chinese page: none
    if not found:
        return float(len(s))
    spaces = len(_SPACE.findall(s))  # every space is among ``found`` (the first alternative)
    return (len(s) - spaces) - 0.5 * (len(found) - spaces)


_SPACE_RUN = re.compile(r"[ \t\u00a0\u3000\u2000-\u200b\u202f\u205f]+")


def remove_layout_spaces(s: str) -> str:
    """Drop spaces a justified line puts between characters.

    A run of spaces is dropped when one neighbour is a CJK character or CJK
    punctuation and the other is CJK or a number (成 交 94.31 万 → 成交94.31万,
    昨日 9时 → 昨日9时). Spaces next to Latin letters are kept (人工智能 cAITM,
    城市 IP, Hello World), as are spaces between two numbers.
    """

    def repl(m: re.Match[str]) -> str:
        start, end = m.start(), m.end()
        if start == 0 or end == len(s):
            return ""
        a, b = s[start - 1], s[end]
        if (is_cjk(a) and (is_cjk(b) or _is_numberish(b))) or (is_cjk(b) and _is_numberish(a)):
            return ""
        return " "

    return _SPACE_RUN.sub(repl, s).strip()


def join_wrapped(lines: list[str]) -> str:
    """Join the wrapped lines of one paragraph (already stripped).

    Chinese text wraps anywhere, so lines are simply concatenated; only when
    a Latin word is wrapped (letter at the end and letter at the start) a space
    is put back.
    """
    out = ""
    for line in lines:
        if not line:
            continue
        if out and out[-1].isascii() and out[-1].isalpha() and line[0].isascii() and line[0].isalpha():
            out += " "
        out += line
    return remove_layout_spaces(out)


def ends_sentence(s: str) -> bool:
    """True when ``s`` ends with sentence-final punctuation (optionally followed
    by closing quotes/brackets): 。 ！ ？ … 。” ！）."""
    s = s.rstrip()
    last = s[-1:]
    if last in SENTENCE_FINAL:  # the common cases first: "。" and no closing mark, or none of either
        return bool(last)
    if last not in CLOSERS:
        return False
    i = len(s)
    while i > 0 and s[i - 1] in CLOSERS:
        i -= 1
    return i > 0 and s[i - 1] in SENTENCE_FINAL


def has_sentence_punct(s: str) -> bool:
    return _SENTENCE_PUNCT_RE.search(s) is not None


_NOT_IDEOGRAPH = re.compile("[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff〇々〆]+")
_SENTENCE_PUNCT_RE = re.compile("[" + re.escape("".join(sorted(SENTENCE_PUNCT))) + "]")


def ideographs(s: str) -> str:
    """The ideographs of ``s`` (see :func:`is_ideograph`), in order."""
    return _NOT_IDEOGRAPH.sub("", s)


def non_space(s: str) -> str:
    return "".join(s.split())
