"""The parser's line-level records: a printed :class:`Line` and an :class:`Item`
(a title group, credit, jump, paragraph, banner line or label). See :mod:`.lines`."""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import add

from .bylines import Credit, Dateline, may_be_credit, parse_credit
from .text import ideographs, width

_UNKNOWN: object = object()


@dataclass(slots=True, init=False)
class Line:
    """One printed line; its text never changes (a line with a jump cut off is a new Line)."""

    no: int  # 0-based line number in the input
    text: str  # stripped
    blank_before: bool = False
    closes: bool = False  # ends with a story's end credit: （记者 X）
    width: float = field(init=False, repr=False, compare=False)  # printed width in em
    _credit: object = field(default=_UNKNOWN, init=False, repr=False, compare=False)

    def __init__(self, no: int, text: str, blank_before: bool = False, closes: bool = False) -> None:
        # written out (no generated __init__ and __post_init__): a page has hundreds of lines
        self.no = no
        self.text = text
        self.blank_before = blank_before
        self.closes = closes
        self.width = width(text)
        self._credit = _UNKNOWN

    def no_credit(self) -> None:
        """Record that the line is no credit line (its block has no credit word)."""
        self._credit = None

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
    #: (text, its ideographs, their character pairs in order), for the text it was computed from.
    _bigrams: tuple[str, str, list[str]] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def first_no(self) -> int:
        return self.lines[0].no if self.lines else -1

    def bigrams(self) -> tuple[str, list[str]]:
        """The ideographs of :attr:`text` and their character pairs in order (repeats kept),
        computed once per text and shared by everything that compares texts by content."""
        got = self._bigrams
        text = self.text
        if got is None or got[0] is not text:
            han = ideographs(text)
            got = self._bigrams = (text, han, list(map(add, han, han[1:])))
        return got[1], got[2]
