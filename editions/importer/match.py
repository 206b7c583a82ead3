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
    return Counter(han[k : k + 2] for k in range(len(han) - 1))


class Similarity:
    def __init__(self, documents: list[str]):
        self.df: Counter[str] = Counter()
        for doc in documents:
            self.df.update(set(bigrams(doc)))
        self.n = max(len(documents), 1)

    def idf(self, gram: str) -> float:
        return math.log(1 + self.n / (self.df.get(gram, 0) + 0.5))

    def title_score(self, title: str, text: str) -> float:
        """Share (IDF-weighted) of the title's bigrams found in ``text``."""
        grams = set(bigrams(title))
        if not grams:
            return 0.0
        found = set(bigrams(text))
        total = sum(self.idf(g) for g in grams)
        return sum(self.idf(g) for g in grams if g in found) / total

    def cosine(self, a: str, b: str) -> float:
        va, vb = bigrams(a), bigrams(b)
        if not va or not vb:
            return 0.0
        wa = {g: c * self.idf(g) for g, c in va.items()}
        wb = {g: c * self.idf(g) for g, c in vb.items()}
        dot = sum(w * wb.get(g, 0.0) for g, w in wa.items())
        na = math.sqrt(sum(w * w for w in wa.values()))
        nb = math.sqrt(sum(w * w for w in wb.values()))
        return dot / (na * nb) if na and nb else 0.0
