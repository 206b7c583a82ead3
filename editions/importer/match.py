"""Content matching: which title belongs to which body, which stray frame of
text continues which story. Character bigrams of the Han text, weighted by how
rare they are on the page (IDF), so that 晋江 (everywhere) counts little and
市长专线 (one story) a lot."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from itertools import repeat
from operator import add, mul

from .text import ideographs


def bigram_list(s: str) -> list[str]:
    """The character pairs of the ideographs of ``s``, in order, repeats kept."""
    han = ideographs(s)
    return list(map(add, han, han[1:]))


def bigrams(s: str) -> Counter[str]:
    han = ideographs(s)
    return Counter(map(add, han, han[1:]))


def bigram_set(s: str) -> set[str]:
    """The distinct character pairs of the ideographs of ``s``."""
    han = ideographs(s)
    return set(map(add, han, han[1:]))


class Similarity:
    """IDF-weighted bigram similarity among the texts of one page. Bigram counts
    and IDF weights are cached: the parse asks about the same texts many times."""

    def __init__(self, documents: list[str], known: Iterable[tuple[str, list[str]]] = ()):
        """``known``: (text, :func:`bigram_list` of the text) pairs already computed."""
        self._grams: dict[str, Counter[str]] = {}
        self._sets: dict[str, set[str]] = {text: set(grams) for text, grams in known}
        self.df: Counter[str] = Counter()
        for doc in documents:
            self.df.update(self.gram_set(doc))
        self.n = max(len(documents), 1)
        #: gram → IDF weight, computed on first lookup (``weights[g]``, no call).
        self.weights = _Weights(self.n, self.df)

    def grams(self, text: str) -> Counter[str]:
        """The bigrams of ``text`` with their counts, in order of first occurrence."""
        got = self._grams.get(text)
        if got is None:
            got = self._grams[text] = bigrams(text)
        return got

    def gram_set(self, text: str):
        """The distinct bigrams of ``text`` (for membership: cheaper than :meth:`grams`)."""
        got = self._sets.get(text)
        if got is None:
            counted = self._grams.get(text)
            got = self._sets[text] = counted.keys() if counted is not None else bigram_set(text)
        return got

    def idf(self, gram: str) -> float:
        return self.weights[gram]

    def title_score(self, title: str, text: str) -> float:
        """Share (IDF-weighted) of the title's bigrams found in ``text``."""
        return self.title_score_in(title, self.gram_set(text))

    def title_score_in(self, title: str, found) -> float:
        """:meth:`title_score` against a text given by its bigrams (any container)."""
        grams = self.grams(title)
        if not grams:
            return 0.0
        idf = self.weights.__getitem__  # the same sums, in the same order, looped in C
        total = sum(map(idf, grams))
        return sum(map(idf, filter(found.__contains__, grams))) / total

    def cosine(self, a: str, b: str) -> float:
        return self.cosine_of(self.grams(a), self.grams(b))

    def cosine_of(self, va: Counter[str], vb: Counter[str]) -> float:
        if not va or not vb:
            return 0.0
        # Σ c·c'·w² over the shared bigrams and Σ (c·w)² over each side, in the
        # order of the counts (``map`` keeps the sums in C, term for term the same).
        w = self.weights.__getitem__
        common = list(filter(vb.__contains__, va))
        shared = map(mul, map(va.__getitem__, common), map(vb.__getitem__, common))
        dot = sum(map(mul, shared, map(pow, map(w, common), repeat(2))))
        na = math.sqrt(sum(map(pow, map(mul, va.values(), map(w, va)), repeat(2))))
        nb = math.sqrt(sum(map(pow, map(mul, vb.values(), map(w, vb)), repeat(2))))
        return dot / (na * nb) if na and nb else 0.0


class _Weights(dict):
    """IDF weights of one page's bigrams, each computed when first looked up."""

    def __init__(self, n: int, df: Counter[str]):
        super().__init__()
        self.n = n
        self.df = df

    def __missing__(self, gram: str) -> float:
        w = self[gram] = math.log(1 + self.n / (self.df.get(gram, 0) + 0.5))
        return w

    def fill(self, grams: dict) -> None:
        """Compute the weights of the keys of ``grams`` not looked up yet, in one go (the same values)."""
        missing = grams.keys() - self.keys()
        if missing:
            n, df, log = self.n, self.df, math.log
            self.update({g: log(1 + n / (df.get(g, 0) + 0.5)) for g in missing})
