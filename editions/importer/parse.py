"""Step 2 of the importer: page text → :class:`ParsedPage`.

The text comes from a printed page's PDF, whose text frames come out in an
order that is not the reading order. The parse works in three passes:

1. **Lines → items** (:mod:`.lines`): title groups, credit lines, jump markers
   and paragraphs (wrapped lines re-joined, layout spaces removed, datelines
   split off).
2. **Items → articles and frames** (:mod:`.builder`, pieces in :mod:`.stories`). An *anchor* (a byline line, a paragraph
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
   that are page furniture (slogans, award badges) go to ``banner``. Where a
   story runs on without dateline from the text of the one before it, the
   frame is cut where the other story begins (:mod:`.cuts`).

Articles are listed in reading order (first appearance of their body text);
the one with the most body text is the lead.
"""

from __future__ import annotations

import re

from .builder import Builder
from .cuts import cut_frame, headline_cut, split_frame
from .lines import Item, page_items
from .match import Similarity
from .stories import Frame, Story
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


def _frame_score(sim: Similarity, frame: Frame, art: Story, items: list[Item]) -> float:
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


def _resolve(b: Builder, items: list[Item]) -> tuple[list[Story], list[str], list[str]]:
    """Match stray frames and titles; return (articles, banner, unassigned)."""
    banner: list[str] = list(b.banner)
    unassigned: list[str] = []
    frame_texts = [f.text() for f in b.frames]
    docs = frame_texts + [t.text for _, t in b.stray_titles]
    docs += [a.title.text for a in b.articles if a.title is not None]
    # the frames' bigrams from their items' (each item's counted once, shared with the cut search)
    sim = Similarity(docs, known=zip(frame_texts, [f.bigram_list() for f in b.frames], strict=True))

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
            split_frame(sim, art, art.split_from, [t for _, t in stray_titles], b.index)
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
    def take_titles(candidates: list[Story]) -> None:
        # A pair's score does not change while titles are taken: each is computed once.
        texts = {id(a): (a.lead_text(), a.body_text()) for a in candidates}
        scores: dict[tuple[int, int], float] = {}

        def pair_score(t: Item, a: Story) -> float:
            key = (id(t), id(a))
            got = scores.get(key)
            if got is None:
                lead, body = texts[id(a)]
                got = scores[key] = 0.5 * sim.title_score(t.text, lead) + 0.5 * sim.title_score(t.text, body)
            return got

        while stray_titles and candidates:
            scored = [
                (pair_score(t, a), -pos, k, a) for k, (pos, t) in enumerate(stray_titles) for a in candidates
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
        best = headline_cut(sim, b.frames, stray_titles, cut_cache)
        if best is None:
            break
        k_title, frame, k = best
        title = stray_titles.pop(k_title)[1]
        art = Story(title=title, header_start=b.index[id(frame.items[k])])
        b.articles.append(art)
        cut_frame(art, frame, k, b.index)

    # Frames that fit no article: an article of their own, or unassigned.
    orphans: list[Story] = []
    for frame in stray:
        if frame.lead_title is not None:
            art = Story(title=frame.lead_title, header_start=frame.start)
            frame.lead_title = None
        else:
            art = Story(header_start=frame.start)
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


def _to_parsed(art: Story) -> ParsedArticle:
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


def _reading_position(art: Story) -> int:
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
    builder = Builder(items)
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
