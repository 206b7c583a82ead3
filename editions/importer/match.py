"""Content matching: which title belongs to which body, which stray frame of
text continues which story. Character bigrams of the Han text, weighted by how
rare they are on the page (IDF), so that 晋江 (everywhere) counts little and
市长专线 (one story) a lot."""

from __future__ import annotations

import math
from collections import Counter

from .text import ideographs


def bigrams(s: str) -> Counter[str]:
    han = ideographs(s)
    return Counter(map(str.__add__, han[:-1], han[1:]))


class Similarity:
    """IDF-weighted bigram similarity among the texts of one page. Bigram counts
    and IDF weights are cached: the parse asks about the same texts many times."""

    def __init__(self, documents: list[str]):
        self._grams: dict[str, Counter[str]] = {}
        self._idf: dict[str, float] = {}
        self.df: Counter[str] = Counter()
        for doc in documents:
            self.df.update(self.grams(doc).keys())
        self.n = max(len(documents), 1)

    def grams(self, text: str) -> Counter[str]:
        got = self._grams.get(text)
        if got is None:
            got = self._grams[text] = bigrams(text)
        return got

    def idf(self, gram: str) -> float:
        w = self._idf.get(gram)
        if w is None:
            w = self._idf[gram] = math.log(1 + self.n / (self.df.get(gram, 0) + 0.5))
        return w

    def title_score(self, title: str, text: str) -> float:
        """Share (IDF-weighted) of the title's bigrams found in ``text``."""
        return self.title_score_in(title, self.grams(text))

    def title_score_in(self, title: str, found) -> float:
        """:meth:`title_score` against a text given by its bigrams (any container)."""
        grams = self.grams(title)
        if not grams:
            return 0.0
        total = sum(self.idf(g) for g in grams)
        return sum(self.idf(g) for g in grams if g in found) / total

    def cosine(self, a: str, b: str) -> float:
        return self.cosine_of(self.grams(a), self.grams(b))

    def cosine_of(self, va: Counter[str], vb: Counter[str]) -> float:
        if not va or not vb:
            return 0.0
        idf = self.idf
        dot = sum(c * vb[g] * idf(g) ** 2 for g, c in va.items() if g in vb)
        na = math.sqrt(sum((c * idf(g)) ** 2 for g, c in va.items()))
        nb = math.sqrt(sum((c * idf(g)) ** 2 for g, c in vb.items()))
        return dot / (na * nb) if na and nb else 0.0
