"""A reader's query: cleaned, capped and split into terms; the index lookups those terms make.

The tsquery text is built only from tokens made here from a strict alphabet (ideographs,
a–z, 0–9) and passed as a parameter; nothing the reader types is interpolated into SQL.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from . import index

# Longer queries are cut here (and the reader is told): a whole sentence fits, a 1 MB paste does not.
MAX_QUERY_CHARS = 100
# At most this many runs/words are used from a query.
MAX_TERMS = 12

_SAFE_TOKEN = re.compile(r"^[0-9a-z\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+$")


@dataclass
class ParsedQuery:
    """A reader's query after cleaning: the text shown back, and the terms searched for."""

    text: str = ""
    truncated: bool = False
    terms: list = field(default_factory=list)

    @property
    def is_empty(self):
        """True when nothing searchable is left (empty, punctuation only, control characters)."""
        return not self.terms


def parse_query(raw):
    """Clean a raw query: drop control characters, cap the length, split into runs and words."""
    raw = raw or ""
    # Look at a bounded prefix only: a 1 MB query costs no more than a short one.
    raw = raw[: MAX_QUERY_CHARS * 4]
    cleaned = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in raw)
    cleaned = " ".join(cleaned.split())
    truncated = len(cleaned) > MAX_QUERY_CHARS or len(raw) >= MAX_QUERY_CHARS * 4
    cleaned = cleaned[:MAX_QUERY_CHARS]
    terms = []
    for run in index.runs(cleaned):
        if run not in terms and _SAFE_TOKEN.match(run):
            terms.append(run)
    return ParsedQuery(text=cleaned, truncated=truncated, terms=terms[:MAX_TERMS])


def parse_date(value):
    """A YYYY-MM-DD filter value, or None when absent or malformed."""
    try:
        return datetime.date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None


def document_substring(term):
    """The substring the stored document contains wherever the term occurs in the text."""
    return " ".join(index.run_tokens(term))


def needs_phrase_check(term):
    """True for an ideograph run of several bigrams: the bigrams' match must be confirmed in a row."""
    return index.is_cjk(term) and len(term) > 2


def phrase_checks(parsed):
    """The substrings that confirm a bigram match is the query as written (see ``index``)."""
    return [document_substring(term) for term in parsed.terms if needs_phrase_check(term)]


def and_tsquery(parsed):
    """Every bigram of every term AND-ed; a Latin word as a prefix (GIN answers AND without a recheck)."""
    parts = []
    for term in parsed.terms:
        if index.is_cjk(term):
            parts.extend(dict.fromkeys(index.run_tokens(term)))
        else:
            parts.append(f"{term}:*")
    return " & ".join(parts)
