"""Corrections an editor makes to a parsed page before it is loaded (no Django here).

Each operation takes a :class:`ParsedPage` and returns a corrected copy; the page given is left as it
was. Nothing printed is ever dropped: every operation moves text from one place of the structure to
another (a title pushed out of its slot goes to the unassigned text), so :func:`accounted_text`
holds the same characters before and after.

A place on the page is named by a *ref*: ``u:3`` (the fourth unassigned block), ``b:0`` (the first
banner line), ``a:2:kicker`` / ``a:2:headline`` / ``a:2:subheadline`` (a title of the third
article) and ``a:2:body:5`` (a body block of it).
"""

from __future__ import annotations

import copy

from .bylines import parse_credit
from .structure import (
    BLOCK_PARAGRAPH,
    BLOCK_SUBHEAD,
    BodyBlock,
    BylineEntry,
    ParsedArticle,
    ParsedPage,
)

TITLES = {"kicker": "引题", "headline": "主题", "subheadline": "副题"}
#: What a line can be marked as, with its label on the screen.
KINDS = {
    **TITLES,
    "byline": "署名",
    "paragraph": "正文段落",
    "subhead": "小标题",
    "label": "栏目名（版面文字）",
    "furniture": "版面文字（报眉、版次、责任编辑…）",
}


class CorrectionError(ValueError):
    """The correction cannot be made; ``message`` (Chinese) says why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def page_from_dict(data: dict) -> ParsedPage:
    """Rebuild a ParsedPage from ``ParsedPage.to_dict()`` output (derived counts are ignored)."""
    articles = [
        ParsedArticle(
            kicker=a.get("kicker", ""),
            headline=a.get("headline", ""),
            subheadline=a.get("subheadline", ""),
            dateline=a.get("dateline", ""),
            bylines=[BylineEntry(b["name"], b["role"]) for b in a.get("bylines", [])],
            body=[BodyBlock(b["type"], b["text"]) for b in a.get("body", [])],
            continued_to_page=a.get("continued_to_page"),
            continued_from_page=a.get("continued_from_page"),
            is_lead=bool(a.get("is_lead")),
            credit_text=list(a.get("credit_text", [])),
            jump_text=list(a.get("jump_text", [])),
        )
        for a in data.get("articles", [])
    ]
    return ParsedPage(
        source=data.get("source", ""),
        encoding=data.get("encoding", "utf-8"),
        page_number=data.get("page_number"),
        banner=list(data.get("banner", [])),
        unassigned=list(data.get("unassigned", [])),
        articles=articles,
    )


def _article(page: ParsedPage, index) -> ParsedArticle:
    try:
        index = int(index)
    except (TypeError, ValueError):
        raise CorrectionError("请选择一篇稿件。") from None
    if not 0 <= index < len(page.articles):
        raise CorrectionError(f"没有第{index + 1}篇稿件，请刷新后重试。")
    return page.articles[index]


def _parse_ref(page: ParsedPage, ref: str) -> tuple:
    """The parts of a ref, checked against the page: ("u", i), ("b", i), ("a", k, slot, j)."""
    parts = str(ref).split(":")
    try:
        if parts[0] in ("u", "b") and len(parts) == 2:
            index = int(parts[1])
            items = page.unassigned if parts[0] == "u" else page.banner
            if 0 <= index < len(items):
                return parts[0], index
        elif parts[0] == "a" and len(parts) == 3 and parts[2] in TITLES:
            return "a", int(parts[1]), parts[2], None
        elif parts[0] == "a" and len(parts) == 4 and parts[2] == "body":
            k, j = int(parts[1]), int(parts[3])
            if 0 <= j < len(_article(page, k).body):
                return "a", k, "body", j
    except (ValueError, IndexError):
        pass
    raise CorrectionError("找不到这一行，页面可能已过期，请刷新后重试。")


def text_at(page: ParsedPage, ref: str) -> str:
    """The text a ref names."""
    parsed = _parse_ref(page, ref)
    if parsed[0] == "u":
        return page.unassigned[parsed[1]]
    if parsed[0] == "b":
        return page.banner[parsed[1]]
    _, k, slot, j = parsed
    article = _article(page, k)
    return article.body[j].text if slot == "body" else getattr(article, slot)


def _take(page: ParsedPage, ref: str) -> str:
    """Remove the text a ref names from where it is, and return it."""
    parsed = _parse_ref(page, ref)
    if parsed[0] == "u":
        return page.unassigned.pop(parsed[1])
    if parsed[0] == "b":
        return page.banner.pop(parsed[1])
    _, k, slot, j = parsed
    article = _article(page, k)
    if slot == "body":
        return article.body.pop(j).text
    text = getattr(article, slot)
    setattr(article, slot, "")
    return text


def _one_line(text: str) -> str:
    """Wrapped lines joined the way a body paragraph is (layout line ends dropped)."""
    return "".join(line.strip() for line in text.splitlines())


def mark(page: ParsedPage, ref: str, kind: str, article=None) -> ParsedPage:
    """Mark the line at ``ref`` as ``kind`` (see :data:`KINDS`), in ``article`` or in its own one."""
    if kind not in KINDS:
        raise CorrectionError("请选择要标成什么。")
    page = copy.deepcopy(page)
    text = text_at(page, ref)
    if not text.strip():
        raise CorrectionError("这一行是空的。")
    if kind in ("label", "furniture"):
        page.banner.append(_take(page, ref).strip())
        return page
    parsed = _parse_ref(page, ref)
    if article in (None, "") and parsed[0] == "a":
        article = parsed[1]
    target = _article(page, article)
    if kind == "byline":
        credit = parse_credit(_one_line(text), standalone=True)
        if credit is None:
            raise CorrectionError(f"“{text.strip()}”不像署名（应如：记者 王军 通讯员 李四）。")
        _take(page, ref)
        target.credit_text.append(text.strip())
        known = {(b.name, b.role) for b in target.bylines}
        target.bylines += [e for e in credit.entries if (e.name, e.role) not in known]
        return page
    if (
        kind in ("paragraph", "subhead")
        and parsed[0] == "a"
        and parsed[2] == "body"
        and target is page.articles[parsed[1]]
    ):
        target.body[parsed[3]].type = BLOCK_PARAGRAPH if kind == "paragraph" else BLOCK_SUBHEAD
        return page
    text = _one_line(_take(page, ref))
    if kind in TITLES:
        displaced = getattr(target, kind)
        if displaced:
            page.unassigned.append(displaced)
        setattr(target, kind, text)
    else:
        target.body.append(BodyBlock(BLOCK_PARAGRAPH if kind == "paragraph" else BLOCK_SUBHEAD, text))
    return page


def new_story(page: ParsedPage, ref: str, *, as_headline=False) -> ParsedPage:
    """Make the text at ``ref`` a story of its own (its headline, or its first paragraph), last on the page."""
    page = copy.deepcopy(page)
    text = _one_line(_take(page, ref))
    if not text:
        raise CorrectionError("这一行是空的。")
    story = (
        ParsedArticle(headline=text)
        if as_headline
        else ParsedArticle(body=[BodyBlock(BLOCK_PARAGRAPH, text)])
    )
    page.articles.append(story)
    return page


def split(page: ParsedPage, article, block) -> ParsedPage:
    """Cut the article before body block ``block``: that block and the rest become a new story after it.

    The jump markers stay with the first part; the new story has no title until one is marked.
    """
    page = copy.deepcopy(page)
    first = _article(page, article)
    try:
        block = int(block)
    except (TypeError, ValueError):
        raise CorrectionError("请选择从哪一段拆分。") from None
    if not 1 <= block < len(first.body):
        raise CorrectionError("拆分处须在正文中间：前后两部分都要有正文。")
    second = ParsedArticle(body=first.body[block:])
    first.body = first.body[:block]
    page.articles.insert(int(article) + 1, second)
    return page


def merge(page: ParsedPage, article) -> ParsedPage:
    """Merge the story after ``article`` into it: its titles become subheads, its text follows."""
    page = copy.deepcopy(page)
    first = _article(page, article)
    index = int(article)
    if index + 1 >= len(page.articles):
        raise CorrectionError("这是本版最后一篇稿件，后面没有可合并的稿件。")
    second = page.articles.pop(index + 1)
    titles = [getattr(second, slot) for slot in TITLES if getattr(second, slot)]
    first.body += [BodyBlock(BLOCK_SUBHEAD, t) for t in titles] + second.body
    known = {(b.name, b.role) for b in first.bylines}
    first.bylines += [b for b in second.bylines if (b.name, b.role) not in known]
    first.credit_text += second.credit_text
    first.jump_text += second.jump_text
    first.continued_to_page = second.continued_to_page or first.continued_to_page
    first.continued_from_page = first.continued_from_page or second.continued_from_page
    first.is_lead = first.is_lead or second.is_lead
    first.dateline = first.dateline or second.dateline
    return page
