"""Line level of the parser: classify the lines of a page and assemble body
lines into paragraphs.

The output is a flat list of :class:`Item` in input order: title groups
(one to four short lines without sentence punctuation), credit lines, jump
markers and paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .bylines import (
    Credit,
    Dateline,
    join_name_break,
    may_be_credit,
    parse_credit,
    split_dateline,
    starts_with_dateline,
)
from .furniture import furniture_kind, is_column_label, may_be_page_name
from .match import bigram_set
from .text import char_width, ends_sentence, has_sentence_punct, join_wrapped, remove_layout_spaces, width
from .titles import split_title

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_JUMP_BODY = r"[（(]\s*(?P<dir>下转|上接|转|接)\s*(?:第\s*)?(?P<page>[0-9０-９]{1,3}|[一二三四五六七八九十]{1,3})\s*(?:版|面)\s*[）)]"
_JUMP_BARE = (
    r"(?P<bdir>下转|上接)\s*(?:第\s*)?(?P<bpage>[0-9０-９]{1,3}|[一二三四五六七八九十]{1,3})\s*(?:版|面)"
)
# A jump on its own line, in brackets or bare (下转第3版).
_JUMP_LINE = re.compile(rf"^(?:{_JUMP_BODY}|{_JUMP_BARE})$")
_JUMP_TAIL = re.compile(rf"{_JUMP_BODY}\s*$")
_JUMP_HEAD = re.compile(rf"^{_JUMP_BODY}")


def _page_number(s: str) -> int:
    s = s.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if s.isdigit():
        return int(s)
    if len(s) == 1:
        return _CN_DIGITS[s]
    if s[0] == "十":  # 十二
        return 10 + _CN_DIGITS.get(s[1], 0)
    tens = _CN_DIGITS[s[0]] * 10  # 二十, 二十一
    return tens + (_CN_DIGITS.get(s[2], 0) if len(s) > 2 else 0)


_UNKNOWN: object = object()


@dataclass(slots=True)
class Line:
    """One printed line; its text never changes (a line with a jump cut off is a new Line)."""

    no: int  # 0-based line number in the input
    text: str  # stripped
    blank_before: bool = False
    closes: bool = False  # ends with a story's end credit: （记者 X）
    width: float = field(init=False, repr=False, compare=False)  # printed width in em
    _credit: object = field(default=_UNKNOWN, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.width = width(self.text)

    @property
    def credit(self) -> Credit | None:
        """The line read as a credit line on its own (``parse_credit(text, standalone=True)``), once."""
        if self._credit is _UNKNOWN:
            text = self.text  # stripped
            self._credit = parse_credit(text, standalone=True) if may_be_credit(text) else None
        return self._credit  # type: ignore[return-value]


@dataclass(slots=True)
class Item:
    """One element of the page in input order.

    kind: "title" (lines = a title group), "credit" (a byline line), "jump"
    (a jump marker), "para" (a paragraph; ``dateline`` set when it opened with one;
    a table's caption, rows and source note are one "para" each, ``table`` set),
    "banner" (page furniture) and "label" (a column label).
    """

    kind: str
    lines: list[Line] = field(default_factory=list)
    credit: Credit | None = None
    raw: str = ""  # credit / jump text as printed
    jump_dir: str = ""  # "to" | "from"
    jump_page: int | None = None
    dateline: Dateline | None = None
    text: str = ""  # paragraph text (spaces removed) or title text
    blank_before: bool = False
    #: A credit that closes the story before it (a brief's （记者 X）, a photo's X 摄)
    #: rather than opening the one after it.
    end: bool = False
    table: bool = False

    @property
    def first_no(self) -> int:
        return self.lines[0].no if self.lines else -1


def _jump_item(m: re.Match[str], line: Line) -> Item:
    groups = m.groupdict()
    word = groups.get("dir") or groups.get("bdir") or ""
    direction = "to" if word in ("下转", "转") else "from"
    return Item(
        kind="jump",
        lines=[line],
        raw=m.group(0).strip(),
        jump_dir=direction,
        jump_page=_page_number(groups.get("page") or groups.get("bpage") or ""),
        blank_before=line.blank_before,
    )


def _balanced(text: str) -> bool:
    """Quotes and brackets closed within the line. A title line is complete in
    itself; a line opening a quotation it does not close (“在小区的管理品质提升过程)
    is the first line of a paragraph."""
    return all(
        text.count(o) == text.count(c) for o, c in ("“”", "‘’", "（）", "()", "《》", "「」", "『』", "【】")
    )


@lru_cache(maxsize=8192)
def _title_like(text: str) -> bool:
    """A line that could belong to a title: no sentence punctuation, quotes and
    brackets balanced, not a dateline, jump marker or page furniture."""
    return (
        not has_sentence_punct(text)
        and _balanced(text)
        and not starts_with_dateline(text)
        and width(text) <= 40
        and not _JUMP_HEAD.match(text)
        and not _JUMP_LINE.match(text)
        and not furniture_kind(text)
        and not is_column_label(text)
    )


def split_lines(text: str) -> list[list[Line]]:
    """Non-blank lines (stripped), grouped into blocks separated by blank lines."""
    blocks: list[list[Line]] = []
    current: list[Line] = []
    blank = False
    for no, raw in enumerate(text.split("\n")):
        stripped = raw.strip()
        if not stripped:
            if current:
                blocks.append(current)
                current = []
            blank = True
            continue
        current.append(Line(no=no, text=stripped, blank_before=blank or not blocks and not current))
        blank = False
    if current:
        blocks.append(current)
    return blocks


def _credit_of(line: Line, following: Line | None) -> tuple[Credit, str, bool] | None:
    """A credit line, possibly wrapped onto the next line of its block.
    Returns (credit, raw text, used_following)."""
    credit = line.credit
    if credit is None:
        return None
    if following is not None and not following.blank_before and len(following.text) <= 12:
        joined = join_name_break(line.text, following.text)
        longer = parse_credit(joined, standalone=True)
        if longer is not None and len(longer.entries) >= len(credit.entries):
            return longer, joined, True
    return credit, line.text, False


_TABLE_GAP = re.compile(r"[ \t\u3000]{2,}")
_TABLE_NOTE = re.compile(r"^[（(]?\s*(?:数据|资料|信息)?来源[：:]|^[（(]?\s*注[：:]|^[（(]?\s*制表[：:]")
_NUMERIC_CELL = re.compile(r"^[-+－＋]?[0-9０-９][0-9０-９.．,，%％]*$")


def _table_cells(text: str) -> list[str] | None:
    """The cells of a table row (cells set apart by wide gaps), or None."""
    if _TABLE_GAP.search(text) is None:
        return None
    cells = [c for c in _TABLE_GAP.split(text.strip()) if c]
    if len(cells) < 2 or any(width(c) > 16 or has_sentence_punct(c.replace("%", "")) for c in cells):
        return None
    return cells


def _table_rows(block: list[Line], i: int) -> int:
    """How many table rows start at block[i]: at least two rows of the same
    number of cells, and some cell a figure."""
    first = _table_cells(block[i].text) if i < len(block) else None
    if first is None:
        return 0
    j = i + 1
    numeric = any(_NUMERIC_CELL.match(c) for c in first)
    while j < len(block) and not furniture_kind(block[j].text):
        cells = _table_cells(block[j].text)
        if cells is None or len(cells) != len(first):
            break
        numeric = numeric or any(_NUMERIC_CELL.match(c) for c in cells)
        j += 1
    return j - i if j - i >= 2 and numeric else 0


def _table_item(line: Line, *, row: bool) -> Item:
    if row:
        text = " ".join(remove_layout_spaces(c) for c in _TABLE_GAP.split(line.text.strip()) if c)
    else:
        text = remove_layout_spaces(line.text)
    return Item(kind="para", lines=[line], text=text, blank_before=line.blank_before, table=True)


def _announces(run: list[Line], following: list[Line]) -> bool:
    """A headline says what the story says: most of its character pairs come
    back in the first lines of the text under it (岚溪一中学子获省青少年科技创新
    大赛一等奖 / 在日前揭晓的…全省青少年科技创新大赛上，岚溪一中…)."""
    grams = bigram_set("".join(ln.text for ln in run))
    if len(grams) < 4:
        return False
    found = bigram_set("".join(ln.text for ln in following))
    return len(grams & found) >= 0.5 * len(grams)


def _is_stack(run: list[Line]) -> bool:
    """Two or three lines that read as a headline with its 副题 or 引题."""
    if not 2 <= len(run) <= 3:
        return False
    kicker, _, sub = split_title([ln.text for ln in run])
    return bool(kicker or sub)


def _furniture_lines(block: list[Line]) -> set[int]:
    """Indexes of the block's page-furniture lines: staff, date, page number and
    issue lines, and a 版名 printed right next to a date or page number line."""
    kinds = [furniture_kind(ln.text) for ln in block]
    out = {k for k, kind in enumerate(kinds) if kind}
    if "date" not in kinds and "page" not in kinds:
        return out
    for k, ln in enumerate(block):
        if k in out or not may_be_page_name(ln.text):
            continue
        near = [kinds[m] for m in (k - 1, k + 1) if 0 <= m < len(block)]
        if any(kind in ("date", "page") for kind in near):
            out.add(k)
    return out


def classify(blocks: list[list[Line]]) -> list[Item | Line]:
    """Turn blocks of lines into items: furniture, labels, titles, credits, jumps,
    table rows and raw body lines (body lines come out as they are, each a
    :class:`Line`; see :func:`build_paragraphs`)."""
    items: list[Item | Line] = []
    last_body: list[Line] = []  # recent body lines, to tell a wrapped fragment from a title
    for b, block in enumerate(blocks):
        i = 0
        n = len(block)
        next_block = blocks[b + 1] if b + 1 < len(blocks) else []
        prev_is_body = False
        after_close = False  # a story was just closed (end credit) or a column opened (label)
        furniture = _furniture_lines(block)
        # a table row sets its cells apart by wide gaps: a block without one has no table
        gapped = any(_TABLE_GAP.search(ln.text) for ln in block)
        while i < n:
            line = block[i]
            nxt = block[i + 1] if i + 1 < n else None
            if i in furniture or is_column_label(line.text):
                kind = "banner" if i in furniture else "label"
                items.append(Item(kind=kind, lines=[line], text=line.text, blank_before=line.blank_before))
                prev_is_body = False
                after_close = kind == "label" or after_close
                i += 1
                continue
            m = _JUMP_LINE.match(line.text)
            if m:
                items.append(_jump_item(m, line))
                last_body = []
                prev_is_body = False
                i += 1
                continue
            rows = _table_rows(block, i) if gapped else 0
            caption = (
                0
                if rows or not gapped
                else (1 if _title_like(line.text) and _table_rows(block, i + 1) else 0)
            )
            if caption or rows:
                if caption:
                    items.append(_table_item(line, row=False))
                    rows = _table_rows(block, i + 1)
                for k in range(i + caption, i + caption + rows):
                    items.append(_table_item(block[k], row=True))
                i += caption + rows
                if i < n and _TABLE_NOTE.match(block[i].text):
                    items.append(_table_item(block[i], row=False))
                    i += 1
                last_body = []
                prev_is_body = False
                continue
            got = _credit_of(line, nxt)
            if got is not None:
                credit, raw, used = got
                lines = [line, nxt] if used and nxt is not None else [line]
                # Printed in brackets, as a photo credit, or right under the last line of a
                # story's text: the credit closes that story (a brief's end credit).
                end = (
                    credit.bracketed or credit.is_photo or (prev_is_body and ends_sentence(block[i - 1].text))
                )
                items.append(
                    Item(
                        kind="credit",
                        lines=lines,
                        credit=credit,
                        raw=raw,
                        blank_before=line.blank_before,
                        end=end,
                    )
                )
                last_body = []
                prev_is_body = False
                after_close = end
                i += 2 if used else 1
                continue
            # A run of title-like lines at this point of the block?
            j = i
            while (
                j < n
                and j - i < 4
                and j not in furniture
                and _title_like(block[j].text)
                and block[j].credit is None
            ):
                j += 1
            found = j > i and _is_title_run(block, i, j, last_body, prev_is_body, after_close, next_block)
            while not found and j - 1 > i:
                # the run may have taken in the first line of the text under a headline
                j -= 1
                found = _is_title_run(
                    block, i, j, last_body, prev_is_body, after_close, next_block, content_only=True
                )
            if found:
                title_lines = block[i:j]
                items.append(Item(kind="title", lines=title_lines, blank_before=line.blank_before))
                last_body = []
                prev_is_body = False
                after_close = False
                i = j
                continue
            # A body line, possibly carrying a jump marker at its start or end.
            text = line.text
            head = _JUMP_HEAD.match(text)
            if head and head.end() < len(text):
                items.append(_jump_item(head, line))
                text = text[head.end() :].strip()
            tail = _JUMP_TAIL.search(text)
            jump_after = None
            if tail and tail.start() > 0:
                jump_after = _jump_item(tail, line)
                text = text[: tail.start()].rstrip()
            # the line itself when nothing was cut off it (its width is known already)
            body_line = (
                line if text == line.text else Line(no=line.no, text=text, blank_before=line.blank_before)
            )
            if text.endswith(("）", ")")) and jump_after is None:
                recent = [ln.text for ln in last_body[-1:]] if prev_is_body else []
                if _trailing_credit("\n".join([*recent, text])) is not None:
                    body_line.closes = True  # a brief ends here; the next line may head the next
            items.append(body_line)
            last_body = (last_body + [body_line])[-4:]
            prev_is_body = not body_line.closes
            after_close = body_line.closes
            if jump_after is not None:
                items.append(jump_after)
                last_body = []
                prev_is_body = False
            i += 1
    return items


_CONTINUATION_MARKS = frozenset("，。、；：？！…”’）》」』,.;:?!)")


def _is_title_run(
    block: list[Line],
    i: int,
    j: int,
    last_body: list[Line],
    prev_is_body: bool,
    after_close: bool = False,
    next_block: list[Line] | None = None,
    content_only: bool = False,
) -> bool:
    """Decide whether the title-like lines block[i:j] are a title group.

    * Followed by body lines in the same block, the run must be clearly
      narrower (≤ 3/4) or wider (≥ 1.3×, +4 em) than that body: a heading over a
      paragraph ("再起“核”动能" over a 16 em column). A line about as wide as the
      body after it is the first line of a paragraph without punctuation.
    * Preceded by body lines in the same block, the text before must end a
      sentence and the run must again be clearly narrower or wider.
    * A lone line about as wide as the text before it, where that text ended
      mid-sentence, is a wrapped fragment of that text (a column break).
    * Where widths cannot tell (a column of briefs set in one width), a run
      right after a story was closed (its end credit) or a column label opened,
      a run whose words come back in the first lines of the text under it, or a
      run that reads as a 主题 with its 副题 or 引题, is a headline.
      (``content_only``: only these last two rules, for a shorter run.)
    """
    n = len(block)
    run = block[i:j]

    def distinct_from(ref: float) -> bool:
        return all(ln.width <= 0.75 * ref or ln.width >= max(1.3 * ref, ref + 4) for ln in run)

    under = block[j : j + 3] if j < n else (next_block or [])[:3]
    known: list[bool] = []

    def announces() -> bool:
        if not known:  # computed only when widths cannot tell
            known.append(_announces(run, under) or _is_stack(run))
        return known[0]

    if content_only and not announces():
        return False
    if prev_is_body:
        before = block[max(0, i - 3) : i]
        if not ends_sentence(block[i - 1].text):
            return False
        if not distinct_from(max(ln.width for ln in before)) and not announces():
            return False
    if j < n:
        rest = block[j]
        if not (_JUMP_LINE.match(rest.text) or rest.credit is not None):
            if furniture_kind(rest.text) or is_column_label(rest.text):
                return True  # the run ends at page furniture, not at text
            if starts_with_dateline(rest.text):
                return True  # what stands right over a dateline (本报讯…) is its headline
            if rest.text[0] in _CONTINUATION_MARKS:
                return False  # the next line goes on with the sentence: "，彼时，…"
            if after_close or announces():
                return True
            return distinct_from(max(ln.width for ln in block[j : j + 3]))
    if len(run) == 1 and i == 0 and last_body:
        prev = last_body[-1]
        if (
            not ends_sentence(prev.text)
            and not prev.closes
            and run[0].width >= 0.75 * max(ln.width for ln in last_body)
        ):
            return False
    return True


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


def _trailing_credit(raw: str) -> tuple[str, Credit, str] | None:
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
    trailing = _trailing_credit(body)
    if trailing is not None:
        body, credit, printed = trailing
        last = [ln for ln in lines if ln.text and ln.text[-1] in "）)"][-1:] or lines[-1:]
        out.append(Item(kind="credit", lines=last, credit=credit, raw=printed, end=True))
    text = join_wrapped([s.strip() for s in body.split("\n")])
    para = Item(kind="para", lines=lines, dateline=dateline, text=text, blank_before=lines[0].blank_before)
    return [para, *out]


def page_items(text: str) -> list[Item]:
    return build_paragraphs(classify(split_lines(text)))
