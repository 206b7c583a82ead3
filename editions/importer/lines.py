"""Line level of the parser: classify the lines of a page and assemble body
lines into paragraphs (:mod:`.paragraphs`; tables in :mod:`.tables`, the
records in :mod:`.items`).

The output is a flat list of :class:`Item` in input order: title groups
(one to four short lines without sentence punctuation), credit lines, jump
markers and paragraphs.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .bylines import (
    Credit,
    join_name_break,
    may_have_credit,
    parse_credit,
    starts_with_dateline,
)
from .furniture import furniture_kind, is_column_label, may_be_furniture, may_be_page_name
from .items import Item, Line
from .match import bigram_set
from .paragraphs import build_paragraphs, trailing_credit
from .tables import TABLE_GAP, TABLE_NOTE, table_item, table_rows
from .text import ends_sentence, has_sentence_punct, width
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
        joined = "\n".join([ln.text for ln in block])
        # a block without a digit, colon or date word has no furniture line
        furniture = _furniture_lines(block) if may_be_furniture(joined) else set()
        # a table row sets its cells apart by wide gaps: a block without one has no table
        gapped = TABLE_GAP.search(joined) is not None
        if not may_have_credit(joined):
            # no credit word in the block: no line of it is a credit (known without a test per line)
            for ln in block:
                ln.no_credit()
        while i < n:
            line = block[i]
            nxt = block[i + 1] if i + 1 < n else None
            # A line with sentence punctuation is never a column label, a jump line on its
            # own, a table caption or the start of a title (the common case: a body line).
            punct = has_sentence_punct(line.text)
            # every jump marker has 转 or 接 (下转, 上接, 转, 接)
            jumpy = "转" in line.text or "接" in line.text
            if i in furniture or (not punct and is_column_label(line.text)):
                kind = "banner" if i in furniture else "label"
                items.append(Item(kind=kind, lines=[line], text=line.text, blank_before=line.blank_before))
                prev_is_body = False
                after_close = kind == "label" or after_close
                i += 1
                continue
            m = _JUMP_LINE.match(line.text) if jumpy and not punct else None
            if m:
                items.append(_jump_item(m, line))
                last_body = []
                prev_is_body = False
                i += 1
                continue
            rows = table_rows(block, i) if gapped else 0
            caption = (
                0
                if rows or not gapped
                else (1 if not punct and _title_like(line.text) and table_rows(block, i + 1) else 0)
            )
            if caption or rows:
                if caption:
                    items.append(table_item(line, row=False))
                    rows = table_rows(block, i + 1)
                for k in range(i + caption, i + caption + rows):
                    items.append(table_item(block[k], row=True))
                i += caption + rows
                if i < n and TABLE_NOTE.match(block[i].text):
                    items.append(table_item(block[i], row=False))
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
                not punct
                and j < n
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
            head = _JUMP_HEAD.match(text) if jumpy else None
            if head and head.end() < len(text):
                items.append(_jump_item(head, line))
                text = text[head.end() :].strip()
            tail = _JUMP_TAIL.search(text) if jumpy else None
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
                if trailing_credit("\n".join([*recent, text])) is not None:
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


def page_items(text: str) -> list[Item]:
    return build_paragraphs(classify(split_lines(text)))
