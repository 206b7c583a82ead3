"""Step 2 of the importer: page text → :class:`ParsedPage`.

The text comes from a printed page's PDF, whose text frames come out in an
order that is not the reading order. The parse works in three passes:

1. **Lines → items** (:mod:`.lines`): title groups, credit lines, jump markers
   and paragraphs (wrapped lines re-joined, layout spaces removed, datelines
   split off).
2. **Items → articles and frames.** An *anchor* (a byline line, a paragraph
   opening with a dateline, a （上接X版） marker) starts an article; the title
   group just before it is its title. The paragraphs after an anchor form the
   article's first *frame*. A frame ends at the next anchor, at （下转X版）, at a
   run of two or more title groups (headlines collected away from their
   bodies) or at a title followed by text in a different column width. A lone
   title inside a frame, with text of the same column width on both sides, is
   a subhead. Text not under an anchor forms *stray frames*; titles not bound
   to an anchor are *stray titles*.
3. **Matching by content** (:mod:`.match`): stray frames are attached to the
   article they share most (rare) character bigrams with — strongly preferring an
   article that has no body yet and one whose title comes right after the frame
   (a body printed before its headline). Stray titles then become the headlines
   of articles that have none, again by content. A stray frame that fits no
   article becomes an article of its own if it starts with a title, and what
   still fits nowhere is kept as ``unassigned``. Titles at the top of the page
   that are page furniture (slogans, award badges) go to ``banner``.

Articles are listed in reading order (first appearance of their body text);
the one with the most body text is the lead.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain

from .furniture import is_briefs_label, is_commentary_label
from .lines import Item, page_items
from .match import Similarity, bigram_list
from .structure import BLOCK_PARAGRAPH, BLOCK_SUBHEAD, BodyBlock, BylineEntry, ParsedArticle, ParsedPage
from .titles import split_title, subhead_text

__all__ = ["parse_page"]

# Frame → article: minimum score to attach a stray frame to an article (higher
# for a frame that opens with a title: that may be a story of its own).
FRAME_MATCH = 0.35
FRAME_MATCH_TITLED = 0.45
# Stray title → article: minimum share of the title's (weighted) bigrams found in the body.
TITLE_MATCH = 0.15
# A top-of-page title bound to a byline whose body shares less than this with it is page furniture.
BANNER_MATCH = 0.12
_BANNER_WORDS = re.compile(
    r"名栏目|名专栏|好新闻|新闻奖|星期[一二三四五六日天]|第\s*\S{1,3}\s*版|责任编辑|责编|美编|校对|邮发代号|刊号|"
    r"\d{4}年\d{1,2}月\d{1,2}日"
)


@dataclass
class _Frame:
    items: list[Item] = field(default_factory=list)  # "para" and "title" (subhead) items
    lead_title: Item | None = None  # a title opening a stray frame
    owner: _Article | None = None
    jumps: list[Item] = field(default_factory=list)
    start: int = 0  # item index of the first element
    end: int = 0  # item index of the last element

    @property
    def paras(self) -> list[Item]:
        return [it for it in self.items if it.kind == "para"]

    def text(self) -> str:
        parts = [self.lead_title.text] if self.lead_title else []
        return "\n".join(parts + [it.text for it in self.items])

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
class _Article:
    title: Item | None = None
    header_start: int = 0  # item index of the title (or anchor)
    credits: list[Item] = field(default_factory=list)  # credit items and dateline paragraphs
    primary: _Frame | None = None
    frames: list[_Frame] = field(default_factory=list)
    is_photo: bool = False
    #: A story closed by its end credit while its text still sits in this frame of
    #: the story before it (no headline, no dateline between them): split by content.
    split_from: _Frame | None = None

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


class _Builder:
    def __init__(self, items: list[Item]):
        self.items = items
        self.index = {id(it): k for k, it in enumerate(items)}
        self.articles: list[_Article] = []
        self.frames: list[_Frame] = []
        self.stray_titles: list[tuple[int, Item]] = []
        self.loose: list[str] = []  # texts that belong nowhere (photo credits without story …)
        self.banner: list[str] = []  # furniture and column labels, wherever printed
        self.page_top_titles: set[int] = set()  # ids of title items before any text
        self.cur: _Frame | None = None
        self.commentary = False  # under a commentary label (今日快评, 岚溪观察 …)
        self.briefs = False  # under a label of briefs (简讯, 乡镇传真 …)

    def new_frame(self, index: int, owner: _Article | None, lead: Item | None = None) -> _Frame:
        frame = _Frame(owner=owner, lead_title=lead, start=index, end=index)
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
        header: _Article | None = None  # article whose title was just read, anchor pending
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
                    header = _Article(title=None if cluster else group[-1], header_start=j - 1)
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
                    art = header or _Article(header_start=i)
                    if header is None:
                        self.articles.append(art)
                    header = None
                    art.credits.append(it)
                    self.new_frame(i + 1, art)
            elif it.kind == "para":
                if it.dateline is not None:
                    art = header or _Article(header_start=i)
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
                    art = header or _Article(header_start=i)
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

    def photo_credit(self, i: int, header: _Article | None) -> int:
        """記者 X 摄 under a caption: the photo is a story of its own (caption, credit,
        the headline printed above the caption or right under the credit). A photo
        credit set apart from the text by a blank line credits the story above."""
        it = self.items[i]
        cur = self.cur
        owner = cur.owner if cur is not None else None
        art: _Article | None = None
        if header is not None:
            art = header  # 标题 / 记者 X 摄 / caption: the photo's headline over its credit
            art.is_photo = True
            art.credits.append(it)
            self.new_frame(i + 1, art)
            return i + 1
        if cur is not None and cur.items and not it.blank_before:
            caption = self._caption(cur)
            if owner is None and len(caption) == len(cur.items):
                art = _Article(title=cur.lead_title, header_start=cur.start, is_photo=True)
                cur.lead_title = None
                cur.owner = art
                art.frames.append(cur)
                art.primary = cur
                self.articles.append(art)
            elif caption and (owner is None or owner.has_body() and len(caption) < len(cur.items)):
                first = self.index[id(caption[0])]
                art = _Article(header_start=first, is_photo=True)
                frame = _Frame(owner=art, items=caption, start=first, end=cur.end)
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
    def _caption(frame: _Frame) -> list[Item]:
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
            art = _Article(title=cur.lead_title, header_start=cur.start)
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
        art = _Article(header_start=i)
        art.credits.append(it)
        self.articles.append(art)
        if heads:
            k = heads[-1]
            frame = _Frame(
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


def _frame_score(sim: Similarity, frame: _Frame, art: _Article, items: list[Item]) -> float:
    """How well a stray frame fits an article: the share of the article's title
    found in the frame plus the similarity of the frame to the article's body,
    plus a bonus when the article has no body yet, and another when the frame
    stands right before the article's title (a body printed before its headline)."""
    text = frame.text()
    score = sim.cosine(text, art.body_text()) if art.has_body() else 0.0
    if art.title is not None:
        score += sim.title_score(art.title.text, text)
    if not art.has_body():
        score += 0.15
        between = items[frame.end + 1 : art.header_start]
        if frame.end < art.header_start and all(it.kind == "jump" for it in between):
            score += 0.2
    return score


def _resolve(b: _Builder, items: list[Item]) -> tuple[list[_Article], list[str], list[str]]:
    """Match stray frames and titles; return (articles, banner, unassigned)."""
    banner: list[str] = list(b.banner)
    unassigned: list[str] = []
    docs = [f.text() for f in b.frames] + [t.text for _, t in b.stray_titles]
    docs += [a.title.text for a in b.articles if a.title is not None]
    sim = Similarity(docs)

    # Titles at the top of the page bound to the first story by position only:
    # page furniture if they say so (名栏目, 星期一 …), or if they have nothing to
    # do with the story while a stray title fits it.
    for art in b.articles:
        if art.title is not None and id(art.title) in b.page_top_titles:
            furniture = any(_BANNER_WORDS.search(ln.text) for ln in art.title.lines)
            if not furniture and art.has_body():
                body = art.body_text()
                own = sim.title_score(art.title.text, body)
                better = max((sim.title_score(t.text, body) for _, t in b.stray_titles), default=0.0)
                furniture = own < BANNER_MATCH and better >= TITLE_MATCH
            if furniture:
                banner += [ln.text for ln in art.title.lines]
                art.title = None
    stray_titles = []
    for pos, t in b.stray_titles:
        if id(t) in b.page_top_titles and any(_BANNER_WORDS.search(ln.text) for ln in t.lines):
            banner += [ln.text for ln in t.lines]
        else:
            stray_titles.append((pos, t))

    # Stories closed by an end credit inside the text of the story before them.
    for art in b.articles:
        if art.split_from is not None:
            _split_frame(sim, art, art.split_from, [t for _, t in stray_titles], b.index)
            art.split_from = None

    # Stray frames → articles, best pair first.
    stray = [f for f in b.frames if f.owner is None]
    while stray and b.articles:
        scored = [
            (score, -k, f, a)
            for k, f in enumerate(stray)
            for a in b.articles
            if (score := _frame_score(sim, f, a, items))
            >= (FRAME_MATCH_TITLED if f.lead_title is not None else FRAME_MATCH)
        ]
        if not scored:
            break
        _, _, frame, art = max(scored, key=lambda t: (t[0], t[1]))
        frame.owner = art
        art.frames.append(frame)
        stray.remove(frame)

    # Stray titles → articles without a title, best pair first.
    def take_titles(candidates: list[_Article]) -> None:
        while stray_titles and candidates:
            scored = [
                (
                    0.5 * sim.title_score(t.text, a.lead_text())
                    + 0.5 * sim.title_score(t.text, a.body_text()),
                    -pos,
                    k,
                    a,
                )
                for k, (pos, t) in enumerate(stray_titles)
                for a in candidates
            ]
            score, _, k, art = max(scored, key=lambda t: (t[0], t[1]))
            if score < TITLE_MATCH:
                break
            art.title = stray_titles.pop(k)[1]
            candidates.remove(art)

    take_titles([a for a in b.articles if a.title is None and a.has_body()])

    # A headline left over whose story runs on, without dateline, from the body of
    # the story before it: that story ends where the headline's story begins.
    cut_cache: dict = {}
    while stray_titles:
        best = _headline_cut(sim, b.frames, stray_titles, cut_cache)
        if best is None:
            break
        k_title, frame, k = best
        title = stray_titles.pop(k_title)[1]
        art = _Article(title=title, header_start=b.index[id(frame.items[k])])
        b.articles.append(art)
        _cut_frame(art, frame, k, b.index)

    # Frames that fit no article: an article of their own, or unassigned.
    orphans: list[_Article] = []
    for frame in stray:
        if frame.lead_title is not None:
            art = _Article(title=frame.lead_title, header_start=frame.start)
            frame.lead_title = None
        else:
            art = _Article(header_start=frame.start)
        frame.owner = art
        art.frames.append(frame)
        art.primary = frame
        orphans.append(art)
    take_titles([a for a in orphans if a.title is None])
    for art in orphans:
        if art.title is None:
            for frame in art.frames:
                unassigned += [it.text for it in frame.items] + [j.raw for j in frame.jumps]
        else:
            b.articles.append(art)
    for _, t in stray_titles:
        lines = [ln.text for ln in t.lines]
        (banner if id(t) in b.page_top_titles else unassigned).extend(lines)
    unassigned += b.loose
    return b.articles, banner, unassigned


# A leftover headline cuts a story's frame when it fits the text after the cut this
# much, and this much better than the text before it.
CUT_MATCH = 0.35
CUT_MARGIN = 0.25


def _headline_cut(
    sim: Similarity, frames: list[_Frame], titles: list[tuple[int, Item]], cache: dict | None = None
) -> tuple[int, _Frame, int] | None:
    """The best (title, frame, cut) for a leftover headline, if any: a cut before a
    paragraph that starts a block, after which the text is the headline's story
    (the headline fits the text after the cut, and much better than the text
    before it), where the two sides say different things and the headline sums
    up the paragraph right under it."""
    cache = {} if cache is None else cache  # per frame: its bigrams, first and last occurrences
    idf = sim.weights
    weighted = []  # (index, title, [(gram, idf)], total idf)
    for n, (_, t) in enumerate(titles):
        grams = [(g, idf[g]) for g in sim.grams(t.text)]
        total = sum(w for _, w in grams)
        if total:
            weighted.append((n, t, grams, total))
    # Every cut a headline may make, with the most its value can be (gain + lead:
    # the two sides sharing nothing); in the order the cuts are read (ties go first).
    candidates: list[tuple[float, int, float, int, _Frame, int, tuple]] = []
    for f in frames:
        if f.owner is None:
            continue
        cuts = [
            k
            for k in range(1, len(f.items))
            if f.items[k].kind == "para" and not f.items[k].table and f.items[k].blank_before
        ]
        if not cuts:
            continue
        # The frame's text as one holds every bigram of its paragraphs (and those across
        # their joins): a headline that does not fit that fits no part of the frame.
        whole = sim.grams(f.text())
        if not any(sum([w for g, w in x[2] if g in whole]) / x[3] >= CUT_MATCH for x in weighted):
            continue
        got = _frame_grams(f, cache)
        _, _, first, last, _ = got

        def share(tgrams, total, k: int, *, after: bool, first=first, last=last) -> float:
            """Weighted share of a headline's bigrams in the text after (before) cut k."""
            if after:
                return sum([w for g, w in tgrams if last.get(g, -1) >= k]) / total
            return sum([w for g, w in tgrams if first.get(g, 1 << 30) < k]) / total

        # a headline that does not fit the whole frame fits no part of it
        fitting = [x for x in weighted if share(x[2], x[3], 0, after=True) >= CUT_MATCH]
        if not fitting:
            continue
        own = None
        if f.owner.title is not None:
            tg = [(g, idf[g]) for g in sim.grams(f.owner.title.text)]
            own = (tg, sum(w for _, w in tg)) if tg else None
        for k in cuts:
            if own and share(*own, k, after=True) > share(*own, k, after=False):
                continue
            for n, t, tgrams, total in fitting:
                fit = share(tgrams, total, k, after=True)
                gain = fit - share(tgrams, total, k, after=False)
                if fit < CUT_MATCH or gain < CUT_MARGIN:
                    continue
                lead = sim.title_score_in(t.text, sim.grams(f.items[k].text))
                candidates.append((gain + lead, len(candidates), gain, lead, n, f, k, got))
    # The best value, the first cut of equal value: candidates by their bound, each
    # valued (two sides compared) only while its bound can still beat the best one.
    candidates.sort(key=lambda c: (-c[0], c[1]))
    best: tuple[float, int, int, _Frame, int] | None = None
    for bound, seq, gain, lead, n, f, k, got in candidates:
        if best is not None and bound < best[0]:
            break
        apart = got[4].get(k)
        if apart is None:
            apart = got[4][k] = _apart(sim, got[1], k)
        value = gain + lead - 0.5 * apart
        if best is None or value > best[0] or (value == best[0] and seq < best[1]):
            best = (value, seq, n, f, k)
    return None if best is None else (best[2], best[3], best[4])


def _frame_grams(f: _Frame, cache: dict) -> tuple:
    """(item count, each item's bigrams in order, first and last item of each bigram,
    cut → apart), cached per frame until its items change."""
    got = cache.get(id(f))
    if got is None or got[0] != len(f.items):
        grams = [bigram_list(x.text) for x in f.items]
        first: dict[str, int] = {}
        last: dict[str, int] = {}
        for k, g in enumerate(grams):
            last.update(dict.fromkeys(g, k))
        for k in range(len(grams) - 1, -1, -1):
            first.update(dict.fromkeys(grams[k], k))
        got = cache[id(f)] = (len(f.items), grams, first, last, {})
    return got


def _apart(sim: Similarity, grams: list[list[str]], k: int) -> float:
    """How much the text before cut k and the text after it say the same (cosine)."""
    return sim.cosine_of(Counter(chain.from_iterable(grams[:k])), Counter(chain.from_iterable(grams[k:])))


def _cut_frame(art: _Article, frame: _Frame, k: int, index: dict[int, int]) -> None:
    """Move ``frame.items[k:]`` (and the jump after them) to ``art``."""
    items = frame.items
    tail = _Frame(owner=art, items=items[k:], start=index[id(items[k])], end=frame.end)
    tail.jumps = [j for j in frame.jumps if j.jump_dir == "to"]
    frame.jumps = [j for j in frame.jumps if j.jump_dir != "to"]
    del frame.items[k:]
    art.frames.append(tail)
    art.primary = tail


def _split_frame(
    sim: Similarity, art: _Article, frame: _Frame, titles: list[Item], index: dict[int, int]
) -> None:
    """Give ``art`` (closed by an end credit) the tail of ``frame`` where its own
    story begins: the cut that best separates two stories, by what they say and
    by the headlines waiting for a story."""
    items = frame.items
    cuts = [k for k in range(1, len(items)) if items[k].kind == "para"]
    if not cuts:
        return
    own = frame.owner.title.text if frame.owner is not None and frame.owner.title is not None else ""

    def score(k: int) -> float:
        before = "\n".join(it.text for it in items[:k])
        after = "\n".join(it.text for it in items[k:])
        value = -sim.cosine(before, after)
        if titles:
            value += max(sim.title_score(t.text, after) - sim.title_score(t.text, before) for t in titles)
        if own:
            value += sim.title_score(own, before) - sim.title_score(own, after)
        return value

    _cut_frame(art, frame, max(cuts, key=score), index)


def _to_parsed(art: _Article) -> ParsedArticle:
    out = ParsedArticle()
    if art.title is not None:
        out.kicker, out.headline, out.subheadline = split_title([ln.text for ln in art.title.lines])
    for credit in art.credits:
        if credit.kind == "credit":
            assert credit.credit is not None
            out.credit_text.append(credit.raw)
            out.bylines += [BylineEntry(e.name, e.role) for e in credit.credit.entries]
            if not out.dateline and credit.credit.label:
                out.dateline = credit.credit.label
        elif credit.dateline is not None:
            out.credit_text.append(credit.dateline.raw)
            out.bylines += [BylineEntry(e.name, e.role) for e in credit.dateline.entries]
            out.dateline = out.dateline or credit.dateline.label
    frames = sorted(art.frames, key=lambda f: (f is not art.primary, f.start))
    for frame in frames:
        if frame.lead_title is not None:
            out.body.append(
                BodyBlock(BLOCK_SUBHEAD, subhead_text([ln.text for ln in frame.lead_title.lines]))
            )
        for it in frame.items:
            if it.kind == "title":
                out.body.append(BodyBlock(BLOCK_SUBHEAD, subhead_text([ln.text for ln in it.lines])))
            elif it.text:
                out.body.append(BodyBlock(BLOCK_PARAGRAPH, it.text))
        for jump in frame.jumps:
            out.jump_text.append(jump.raw)
            if jump.jump_dir == "to":
                out.continued_to_page = jump.jump_page
            else:
                out.continued_from_page = jump.jump_page
    return out


def _reading_position(art: _Article) -> int:
    firsts = [f.first_line() for f in art.frames if f.items]
    if firsts:
        return min(firsts)
    return art.title.first_no if art.title is not None else 1 << 30


def parse_page(
    text: str, *, source: str = "", encoding: str = "utf-8", page_number: int | None = None
) -> ParsedPage:
    """Parse the text of one printed page (already decoded, "\\n" line ends)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    items = page_items(text)
    builder = _Builder(items)
    builder.build()
    articles, banner, unassigned = _resolve(builder, items)
    articles = sorted(articles, key=_reading_position)
    parsed = [_to_parsed(a) for a in articles]
    if parsed:
        lead = max(range(len(parsed)), key=lambda k: (parsed[k].body_chars, -k))
        if parsed[lead].body_chars:
            parsed[lead].is_lead = True
    return ParsedPage(
        source=source,
        encoding=encoding,
        page_number=page_number,
        banner=banner,
        unassigned=unassigned,
        articles=parsed,
    )
