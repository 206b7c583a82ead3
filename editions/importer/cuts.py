"""Where a story begins inside the text of the story before it (no dateline, no
headline in place): the cut a leftover headline makes, and the cut that splits a
frame closed by an end credit. See :mod:`.parse`."""

from __future__ import annotations

import math
from collections import Counter
from itertools import accumulate, chain, repeat
from operator import mul, sub

from .lines import Item
from .match import Similarity, _Weights
from .stories import Frame, Story

# A leftover headline cuts a story's frame when it fits the text after the cut this
# much, and this much better than the text before it.
CUT_MATCH = 0.35
CUT_MARGIN = 0.25


def headline_cut(
    sim: Similarity, frames: list[Frame], titles: list[tuple[int, Item]], cache: dict | None = None
) -> tuple[int, Frame, int] | None:
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
    candidates: list[tuple[float, int, float, int, Frame, int, tuple]] = []
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
        whole = sim.gram_set(f.text())
        if not any(sum([w for g, w in x[2] if g in whole]) / x[3] >= CUT_MATCH for x in weighted):
            continue
        got = _frame_grams(f, cache)
        first, last = got.first, got.last

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
                lead = sim.title_score_in(t.text, sim.gram_set(f.items[k].text))
                candidates.append((gain + lead, len(candidates), gain, lead, n, f, k, got))
    # The best value, the first cut of equal value: candidates by their bound, each
    # valued (two sides compared) only while its bound can still beat the best one.
    candidates.sort(key=lambda c: (-c[0], c[1]))
    best: tuple[float, int, int, Frame, int] | None = None
    for bound, seq, gain, lead, n, f, k, got in candidates:
        if best is not None and bound < best[0]:
            break
        apart = got.apart.get(k)
        if apart is None:
            apart = got.apart[k] = got.cosine(idf, k)
        value = gain + lead - 0.5 * apart
        if best is None or value > best[0] or (value == best[0] and seq < best[1]):
            best = (value, seq, n, f, k)
    return None if best is None else (best[2], best[3], best[4])


class _FrameGrams:
    """A frame's bigrams for the cut search, cached per frame until its items change: each
    item's bigrams in order, the first and last item of each bigram, and what the text
    before each cut shares with the text after it."""

    __slots__ = ("count", "grams", "flat", "first", "last", "apart", "_sides")

    def __init__(self, f: Frame):
        self.count = len(f.items)
        self.grams = grams = [x.bigrams()[1] for x in f.items]  # shared with the items: not changed here
        self.flat = flat = list(chain.from_iterable(grams))
        where = list(chain.from_iterable(map(repeat, range(len(grams)), map(len, grams))))  # item of each
        self.last: dict[str, int] = dict(
            zip(flat, where, strict=True)
        )  # a later item overwrites an earlier one
        self.first: dict[str, int] = dict(zip(reversed(flat), reversed(where), strict=True))
        self.apart: dict[int, float] = {}  # cut → cosine of the two sides
        self._sides: tuple | None = None

    def cosine(self, idf: _Weights, k: int) -> float:
        """How much the text before cut k and the text after it say the same: the cosine of
        their IDF-weighted bigram counts, summed term for term as :meth:`Similarity.cosine_of`
        sums them (the same value) but from per-frame lists instead of lookups."""
        if self._sides is None:
            # The frame's distinct bigrams in order of first occurrence: the text before a
            # cut has the first m of them, in that order; their counts, weights and squares.
            total = Counter(self.flat)
            idf.fill(total)
            w = list(map(idf.__getitem__, total))
            self._sides = (
                list(accumulate(map(len, self.grams), initial=0)),  # cut → position in flat
                list(total.values()),
                w,
                list(map(pow, w, repeat(2))),
            )
        starts, counts, w, w2 = self._sides
        p = starts[k]
        va = Counter(self.flat[:p])
        vb = Counter(self.flat[p:])
        if not va or not vb:
            return 0.0
        m = len(va)
        # Σ c·c'·w² over the shared bigrams (an unshared one adds c·0·w² = 0.0, which
        # changes no sum), Σ (c·w)² over each side.
        before = va.values()
        dot = sum(map(mul, map(mul, before, map(sub, counts[:m], before)), w2[:m]))
        na = math.sqrt(sum(map(pow, map(mul, before, w[:m]), repeat(2))))
        nb = math.sqrt(sum(map(pow, map(mul, vb.values(), map(idf.__getitem__, vb)), repeat(2))))
        return dot / (na * nb) if na and nb else 0.0


def _frame_grams(f: Frame, cache: dict) -> _FrameGrams:
    """The frame's :class:`_FrameGrams`, cached until its items change."""
    got = cache.get(id(f))
    if got is None or got.count != len(f.items):
        got = cache[id(f)] = _FrameGrams(f)
    return got


def cut_frame(art: Story, frame: Frame, k: int, index: dict[int, int]) -> None:
    """Move ``frame.items[k:]`` (and the jump after them) to ``art``."""
    items = frame.items
    tail = Frame(owner=art, items=items[k:], start=index[id(items[k])], end=frame.end)
    tail.jumps = [j for j in frame.jumps if j.jump_dir == "to"]
    frame.jumps = [j for j in frame.jumps if j.jump_dir != "to"]
    del frame.items[k:]
    art.frames.append(tail)
    art.primary = tail


def split_frame(sim: Similarity, art: Story, frame: Frame, titles: list[Item], index: dict[int, int]) -> None:
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

    cut_frame(art, frame, max(cuts, key=score), index)
