"""Pass 2 of the parse (see :mod:`.parse`): items → stories and frames, by
position: anchors, title groups, subheads, end credits and photo credits."""

from __future__ import annotations

import statistics

from .furniture import is_briefs_label, is_commentary_label
from .lines import Item
from .stories import Frame, Story
from .titles import split_title


def _title_text(item: Item) -> str:
    return "".join(ln.text for ln in item.lines)


def _is_headline_stack(item: Item) -> bool:
    """A title with a 引题 or 副题 is a story's headline, never a subhead."""
    kicker, _, sub = split_title([ln.text for ln in item.lines])
    return bool(kicker or sub)


def _column_width(paras: list[Item], *, last: bool) -> float | None:
    """Median width of the full lines (all but each paragraph's last) of some paragraphs."""
    widths: list[float] = []
    for para in paras:
        widths += [ln.width for ln in para.lines[:-1]]
    if not widths:
        return None
    widths = widths[-6:] if last else widths[:6]
    return statistics.median(widths)


def _same_column(before: list[Item], after: list[Item]) -> bool:
    wa = _column_width(before, last=True)
    wb = _column_width(after, last=False)
    if wa is None or wb is None:
        return True
    return abs(wa - wb) <= max(2.0, 0.15 * max(wa, wb))


def _is_anchor(item: Item | None) -> bool:
    if item is None:
        return False
    if item.kind == "credit":
        return item.credit is not None and not item.credit.is_photo and not item.end
    if item.kind == "para":
        return item.dateline is not None
    return item.kind == "jump" and item.jump_dir == "from"


class Builder:
    def __init__(self, items: list[Item]):
        self.items = items
        self.index = {id(it): k for k, it in enumerate(items)}
        self.articles: list[Story] = []
        self.frames: list[Frame] = []
        self.stray_titles: list[tuple[int, Item]] = []
        self.loose: list[str] = []  # texts that belong nowhere (photo credits without story …)
        self.banner: list[str] = []  # furniture and column labels, wherever printed
        self.page_top_titles: set[int] = set()  # ids of title items before any text
        self.cur: Frame | None = None
        self.commentary = False  # under a commentary label (今日快评, 岚溪观察 …)
        self.briefs = False  # under a label of briefs (简讯, 乡镇传真 …)

    def new_frame(self, index: int, owner: Story | None, lead: Item | None = None) -> Frame:
        frame = Frame(owner=owner, lead_title=lead, start=index, end=index)
        self.frames.append(frame)
        if owner is not None:
            owner.frames.append(frame)
            owner.primary = owner.primary or frame
        self.cur = frame
        return frame

    def build(self) -> None:
        items = self.items
        n = len(items)
        seen_text = False
        header: Story | None = None  # article whose title was just read, anchor pending
        i = 0
        while i < n:
            it = items[i]
            if it.kind in ("banner", "label"):
                self.banner.append(it.text)
                if it.kind == "label":
                    # A column label opens a new column: what follows is a new story.
                    self.cur = None
                    self.commentary = is_commentary_label(it.text)
                    self.briefs = is_briefs_label(it.text)
                i += 1
                continue
            if it.kind == "title":
                j = i
                while j < n and items[j].kind == "title":
                    if not seen_text:
                        self.page_top_titles.add(id(items[j]))
                    items[j].text = _title_text(items[j])
                    j += 1
                group = items[i:j]
                nxt = items[j] if j < n else None
                if _is_anchor(nxt):
                    # Several headlines printed together over a story: collected away
                    # from their bodies, matched by content later.
                    top = [t for t in group[:-1] if id(t) in self.page_top_titles]
                    cluster = len(group) - len(top) >= 2
                    self.stray_titles += [(i + k, t) for k, t in enumerate(group[:-1])]
                    if cluster:
                        self.stray_titles.append((j - 1, group[-1]))
                    header = Story(title=None if cluster else group[-1], header_start=j - 1)
                    if _is_headline_stack(group[-1]):
                        self.briefs = False  # a story with a full stack: the column of briefs is over
                    self.articles.append(header)
                    self.cur = None
                    i = j
                    continue
                if (
                    nxt is not None
                    and nxt.kind == "para"
                    and (len(group) == 1 or all(id(t) in self.page_top_titles for t in group[:-1]))
                ):
                    # A title heads the text under it. Several titles printed together are
                    # headlines collected away from their bodies (matched by content later),
                    # unless those before it are the page's top furniture (slogans).
                    self.stray_titles += [(i + k, t) for k, t in enumerate(group[:-1])]
                    title = group[-1]
                    cur = self.cur
                    if (
                        cur is not None
                        and cur.owner is not None
                        and cur.owner.title is None
                        and not cur.items
                        and any(jmp.jump_dir == "from" for jmp in cur.jumps)
                    ):
                        cur.owner.title = title  # the headline repeated after （上接1版）
                        cur.owner.header_start = j - 1
                    elif (
                        cur is not None
                        and len(group) == 1
                        and not self.briefs
                        and not _is_headline_stack(title)
                        and (
                            (cur.owner is not None and not cur.items)
                            or _same_column(cur.paras, self._paras_from(j))
                        )
                    ):
                        cur.items.append(title)  # a subhead
                        cur.end = j - 1
                    else:
                        self.new_frame(j - 1, None, lead=title)
                    i = j
                    continue
                self.stray_titles += [(i + k, t) for k, t in enumerate(group)]
                self.cur = None
                i = j
                continue

            seen_text = True
            if it.kind == "credit":
                assert it.credit is not None
                if it.credit.is_photo:
                    i = self.photo_credit(i, header)
                    header = None
                    continue
                if it.end:
                    self.end_credit(i, it)
                    header = None
                else:
                    art = header or Story(header_start=i)
                    if header is None:
                        self.articles.append(art)
                    header = None
                    art.credits.append(it)
                    self.new_frame(i + 1, art)
            elif it.kind == "para":
                if it.dateline is not None:
                    art = header or Story(header_start=i)
                    if header is None:
                        self.articles.append(art)
                    header = None
                    art.credits.append(it)
                    self.new_frame(i, art)
                elif self.cur is None:
                    self.new_frame(i, None)
                assert self.cur is not None
                self.cur.items.append(it)
                self.cur.end = i
            elif it.kind == "jump":
                if it.jump_dir == "from":
                    # （上接1版）: the rest of a story begun on another page.
                    art = header or Story(header_start=i)
                    if header is None:
                        self.articles.append(art)
                    header = None
                    if art.primary is None:
                        self.new_frame(i, art)
                    else:
                        self.new_frame(i, None)
                    assert self.cur is not None
                    self.cur.jumps.append(it)
                else:
                    target = self.cur or (self.frames[-1] if self.frames else None)
                    if target is None:
                        self.loose.append(it.raw)
                    else:
                        target.jumps.append(it)
                        target.end = max(target.end, i)
                    self.cur = None
            i += 1

    def photo_credit(self, i: int, header: Story | None) -> int:
        """記者 X 摄 under a caption: the photo is a story of its own (caption, credit,
        the headline printed above the caption or right under the credit). A photo
        credit set apart from the text by a blank line credits the story above."""
        it = self.items[i]
        cur = self.cur
        owner = cur.owner if cur is not None else None
        art: Story | None = None
        if header is not None:
            art = header  # 标题 / 记者 X 摄 / caption: the photo's headline over its credit
            art.is_photo = True
            art.credits.append(it)
            self.new_frame(i + 1, art)
            return i + 1
        if cur is not None and cur.items and not it.blank_before:
            caption = self._caption(cur)
            if owner is None and len(caption) == len(cur.items):
                art = Story(title=cur.lead_title, header_start=cur.start, is_photo=True)
                cur.lead_title = None
                cur.owner = art
                art.frames.append(cur)
                art.primary = cur
                self.articles.append(art)
            elif caption and (owner is None or owner.has_body() and len(caption) < len(cur.items)):
                first = self.index[id(caption[0])]
                art = Story(header_start=first, is_photo=True)
                frame = Frame(owner=art, items=caption, start=first, end=cur.end)
                del cur.items[-len(caption) :]
                self.frames.append(frame)
                art.frames.append(frame)
                art.primary = frame
                self.articles.append(art)
                if art.title is None and caption and caption[0].kind == "title":
                    art.title = caption.pop(0)
        if art is None:
            owner = owner or (self.articles[-1] if self.articles else None)
            if owner is None:
                self.loose.append(it.raw)
                self.cur = None
                return i + 1
            art = owner
        art.credits.append(it)
        self.cur = None
        nxt = self.items[i + 1] if i + 1 < len(self.items) else None
        if (
            art.is_photo
            and art.title is None
            and nxt is not None
            and nxt.kind == "title"
            and not nxt.blank_before
        ):
            nxt.text = _title_text(nxt)
            art.title = nxt  # the photo's headline printed right under its credit
            return i + 2
        return i + 1

    @staticmethod
    def _caption(frame: Frame) -> list[Item]:
        """The frame's last items printed in one block (no blank line): a caption."""
        out: list[Item] = []
        for item in reversed(frame.items):
            out.insert(0, item)
            if item.kind == "title" or item.blank_before:
                break
        return out

    def end_credit(self, i: int, it: Item) -> None:
        """（记者 X） after a brief: it closes the story whose text is above it."""
        cur = self.cur or (self.frames[-1] if self.frames else None)
        self.cur = None
        if cur is None:
            self.loose.append(it.raw)
            return
        owner = cur.owner
        if owner is None:
            art = Story(title=cur.lead_title, header_start=cur.start)
            cur.lead_title = None
            cur.owner = art
            art.frames.append(cur)
            art.primary = cur
            art.credits.append(it)
            self.articles.append(art)
            return
        if not owner.has_names():
            owner.credits.append(it)
            return
        # The story above already has its people: the credit closes a story that
        # began inside this frame, at its last headline if it has one.
        heads = [k for k, x in enumerate(cur.items) if x.kind == "title" and k + 1 < len(cur.items)]
        art = Story(header_start=i)
        art.credits.append(it)
        self.articles.append(art)
        if heads:
            k = heads[-1]
            frame = Frame(
                owner=art, items=cur.items[k + 1 :], start=self.index[id(cur.items[k + 1])], end=cur.end
            )
            art.title = cur.items[k]
            art.header_start = self.index[id(cur.items[k])]
            del cur.items[k:]
            self.frames.append(frame)
            art.frames.append(frame)
            art.primary = frame
        else:
            art.split_from = cur

    def _paras_from(self, j: int) -> list[Item]:
        out = []
        while j < len(self.items) and self.items[j].kind == "para" and self.items[j].dateline is None:
            out.append(self.items[j])
            j += 1
        return out
