"""The parser's working pieces: a *frame* (a run of paragraphs printed together)
and a *story* being assembled (its title, credits and frames). See :mod:`.parse`."""

from __future__ import annotations

from dataclasses import dataclass, field

from .lines import Item


@dataclass
class Frame:
    items: list[Item] = field(default_factory=list)  # "para" and "title" (subhead) items
    lead_title: Item | None = None  # a title opening a stray frame
    owner: Story | None = None
    jumps: list[Item] = field(default_factory=list)
    start: int = 0  # item index of the first element
    end: int = 0  # item index of the last element

    @property
    def paras(self) -> list[Item]:
        return [it for it in self.items if it.kind == "para"]

    def text(self) -> str:
        parts = [self.lead_title.text] if self.lead_title else []
        return "\n".join(parts + [it.text for it in self.items])

    def bigram_list(self) -> list[str]:
        """The character pairs of :meth:`text`'s ideographs in order: each item's own and
        those across the joins (the same list as ``match.bigram_list(self.text())``)."""
        out: list[str] = []
        last = ""
        for it in [self.lead_title, *self.items] if self.lead_title else self.items:
            han, grams = it.bigrams()
            if han:
                if last:
                    out.append(last + han[0])
                out += grams
                last = han[-1]
        return out

    def first_line(self) -> int:
        for it in self.items:
            if it.kind == "para":
                return it.first_no
        return (
            self.lead_title.first_no
            if self.lead_title
            else (self.jumps[0].first_no if self.jumps else 1 << 30)
        )


@dataclass
class Story:
    title: Item | None = None
    header_start: int = 0  # item index of the title (or anchor)
    credits: list[Item] = field(default_factory=list)  # credit items and dateline paragraphs
    primary: Frame | None = None
    frames: list[Frame] = field(default_factory=list)
    is_photo: bool = False
    #: A story closed by its end credit while its text still sits in this frame of
    #: the story before it (no headline, no dateline between them): split by content.
    split_from: Frame | None = None

    def body_text(self) -> str:
        return "\n".join(f.text() for f in self.frames)

    def lead_text(self) -> str:
        """The first paragraphs of the story, which its headline sums up."""
        frame = self.primary or (self.frames[0] if self.frames else None)
        if frame is None:
            return ""
        return "\n".join(it.text for it in frame.paras[:2])

    def all_text(self) -> str:
        return ((self.title.text + "\n") if self.title else "") + self.body_text()

    def has_body(self) -> bool:
        return any(f.items for f in self.frames)

    def has_names(self) -> bool:
        """Whether a credit already names the story's people."""
        for c in self.credits:
            if c.kind == "credit" and c.credit is not None and c.credit.entries and not c.credit.is_photo:
                return True
            if c.kind == "para" and c.dateline is not None and c.dateline.entries:
                return True
        return False
