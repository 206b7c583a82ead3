"""Plain data structures produced by the parse step (no Django here).

The parse step turns the text of one printed page into a :class:`ParsedPage`.
Everything printed on the page ends up somewhere in this structure: in an
article (titles, credits, body, jump markers), in the page's ``banner`` or, when
the parser cannot place it, in ``unassigned`` for an editor to sort out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BLOCK_PARAGRAPH = "paragraph"
BLOCK_SUBHEAD = "subhead"

#: Roles a :class:`BylineEntry` may carry.
ROLES = ("记者", "通讯员", "实习生", "摄影", "评论员", "编辑")


@dataclass
class BodyBlock:
    """One block of an article body: a paragraph or a subhead (小标题)."""

    type: str  # "paragraph" | "subhead"
    text: str

    def to_dict(self) -> dict:
        return {"type": self.type, "text": self.text}


@dataclass
class BylineEntry:
    """One credited person: ``name`` with ``role`` (one of :data:`ROLES`)."""

    name: str
    role: str

    def to_dict(self) -> dict:
        return {"name": self.name, "role": self.role}


@dataclass
class ParsedArticle:
    kicker: str = ""  # 引题
    headline: str = ""  # 主题
    subheadline: str = ""  # 副题
    #: The label the byline came with: "本报讯", "本报记者", "本报评论员" … ("" if none).
    dateline: str = ""
    bylines: list[BylineEntry] = field(default_factory=list)
    body: list[BodyBlock] = field(default_factory=list)
    continued_to_page: int | None = None  # （下转X版）
    continued_from_page: int | None = None  # （上接X版）
    is_lead: bool = False
    #: The credit lines exactly as printed ("本报记者 柯国笠 许春",
    #: "本报讯（记者 林伊婷 秦越）", "记者 王五 摄" …), kept so nothing is lost.
    credit_text: list[str] = field(default_factory=list)
    #: The jump markers exactly as printed ("（下转2版）" …).
    jump_text: list[str] = field(default_factory=list)

    @property
    def body_chars(self) -> int:
        return sum(len(b.text) for b in self.body)

    def to_dict(self) -> dict:
        return {
            "kicker": self.kicker,
            "headline": self.headline,
            "subheadline": self.subheadline,
            "dateline": self.dateline,
            "bylines": [b.to_dict() for b in self.bylines],
            "body": [b.to_dict() for b in self.body],
            "continued_to_page": self.continued_to_page,
            "continued_from_page": self.continued_from_page,
            "is_lead": self.is_lead,
            "credit_text": list(self.credit_text),
            "jump_text": list(self.jump_text),
        }


@dataclass
class ParsedPage:
    source: str = ""
    encoding: str = "utf-8"
    page_number: int | None = None
    #: Page furniture that belongs to no article (slogans, award badges …).
    banner: list[str] = field(default_factory=list)
    #: Text the parser could not place, kept verbatim for an editor.
    unassigned: list[str] = field(default_factory=list)
    articles: list[ParsedArticle] = field(default_factory=list)

    @property
    def unassigned_chars(self) -> int:
        """Number of non-whitespace characters left unassigned."""
        return sum(len("".join(s.split())) for s in self.unassigned)

    @property
    def lead(self) -> ParsedArticle | None:
        for article in self.articles:
            if article.is_lead:
                return article
        return None

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "encoding": self.encoding,
            "page_number": self.page_number,
            "banner": list(self.banner),
            "unassigned": list(self.unassigned),
            "unassigned_chars": self.unassigned_chars,
            "articles": [a.to_dict() for a in self.articles],
        }


def accounted_text(page: ParsedPage) -> str:
    """Everything the parse placed somewhere, as one string.

    Its non-whitespace characters are, as a multiset, exactly the non-whitespace
    characters of the parsed input: this is how "nothing is lost" is checked.
    """
    parts: list[str] = list(page.banner)
    for article in page.articles:
        parts += [article.kicker, article.headline, article.subheadline]
        parts += article.credit_text
        parts += [b.text for b in article.body]
        parts += article.jump_text
    parts += page.unassigned
    return "\n".join(parts)
