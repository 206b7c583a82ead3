"""Reader search over published articles: parse the query, find, rank, and make snippets.

Recall comes first: a story is found when its text contains every ideograph run of the query
as written and every Latin word of the query (as the start of a word). On PostgreSQL the GIN
index over ``to_tsvector('simple', search_document)`` finds candidates with a phrase query of
the run's bigrams (``ab <-> bc``); a substring test on the stored document then drops the rare
candidate whose bigrams were adjacent only across two runs (see ``articles.search``). On SQLite
the same substring test alone does the work (a scan: fine for a first-run database).

The tsquery text is built only from tokens made here from a strict alphabet (ideographs,
a–z, 0–9) and passed as a parameter; nothing the reader types is interpolated into SQL.
"""

import datetime
import html
import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Case, F, Func, IntegerField, Q, Value, When
from django.utils.safestring import mark_safe

from . import search
from .models import Article

# Longer queries are cut here (and the reader is told): a whole sentence fits, a 1 MB paste does not.
MAX_QUERY_CHARS = 100
# At most this many runs/words are used from a query.
MAX_TERMS = 12
# Ranking (ts_rank, headline hits) is computed over the newest matches up to this many; beyond
# that, results continue in date order. Recomputing ranks over 80,000 hits of a common word would
# cost seconds; readers of a local paper want recent stories first anyway.
RANK_WINDOW = 300
# Counting stops here; the page says "超过 N 条".
COUNT_LIMIT = 1000

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
    for run in search.runs(cleaned):
        if run not in terms and _SAFE_TOKEN.match(run):
            terms.append(run)
    return ParsedQuery(text=cleaned, truncated=truncated, terms=terms[:MAX_TERMS])


def _tsquery_for(term):
    """The tsquery text for one term: its bigrams as a phrase, or a Latin word as a prefix."""
    if search.is_cjk(term):
        return " <-> ".join(search.run_tokens(term))
    return f"{term}:*"


def _document_substring(term):
    """The substring the stored document contains wherever the term occurs in the text."""
    return " ".join(search.run_tokens(term))


class _DocumentVector(Func):
    """``to_tsvector('simple', search_document)``: exactly the expression the GIN index is built on."""

    template = "to_tsvector('simple'::regconfig, %(expressions)s)"
    output_field = SearchVectorField()


def matching(parsed, queryset=None):
    """Published articles matching every term of the query (PostgreSQL: GIN, else substring scan)."""
    qs = queryset if queryset is not None else Article.objects.published()
    if parsed.is_empty:
        return qs.none()
    for term in parsed.terms:
        # The substring test is exact for ideograph runs; for a Latin word it is a cheap superset
        # that the tsquery narrows to word starts on PostgreSQL.
        needs_check = not search.is_cjk(term) or len(term) > 2 or connection.vendor != "postgresql"
        if needs_check:
            qs = qs.filter(search_document__contains=_document_substring(term))
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"({_tsquery_for(term)})" for term in parsed.terms)
        qs = qs.annotate(search_vector=_DocumentVector(F("search_document"))).filter(
            search_vector=SearchQuery(tsquery, search_type="raw", config="simple")
        )
    return qs


def search_articles(parsed, *, section=None, date_from=None, date_to=None):
    """Return (results, total, more): ranked published matches with snippets, the count, count capped."""
    qs = matching(parsed)
    if parsed.is_empty:
        return [], 0, False
    if section is not None:
        qs = qs.filter(section=section)
    if date_from:
        qs = qs.filter(published_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(published_at__date__lte=date_to)
    ids = list(qs.order_by("-published_at", "-pk").values_list("pk", flat=True)[: COUNT_LIMIT + 1])
    more = len(ids) > COUNT_LIMIT
    ids = ids[:COUNT_LIMIT]
    return ids, len(ids), more


def rank_ids(parsed, ids):
    """Order a list of matching ids: headline hits first, then ts_rank (PostgreSQL), then recency."""
    window, rest = ids[:RANK_WINDOW], ids[RANK_WINDOW:]
    if not window:
        return ids
    title_hit = Q()
    for term in parsed.terms:
        title_hit |= Q(headline__icontains=term) | Q(kicker__icontains=term) | Q(subheadline__icontains=term)
    qs = Article.objects.filter(pk__in=window).annotate(
        title_hit=Case(When(title_hit, then=Value(1)), default=Value(0), output_field=IntegerField())
    )
    order = ["-title_hit"]
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"({_tsquery_for(term)})" for term in parsed.terms)
        qs = qs.annotate(
            rank=SearchRank(
                _DocumentVector(F("search_document")),
                SearchQuery(tsquery, search_type="raw", config="simple"),
            )
        )
        order.append("-rank")
    order += ["-published_at", "-pk"]
    return list(qs.order_by(*order).values_list("pk", flat=True)) + rest


def snippet(text, parsed, width=120):
    """Return an escaped excerpt of ``text`` around the first hit, with every hit wrapped in <mark>."""
    text = " ".join((text or "").split())
    folded = search.normalize(text)
    if len(folded) != len(text):
        # NFKC changed the length (ligatures and the like): fall back to the folded text itself.
        text = folded
    start = 0
    positions = [folded.find(term) for term in parsed.terms if folded.find(term) >= 0]
    if positions:
        start = max(0, min(positions) - width // 4)
    excerpt = text[start : start + width]
    folded_excerpt = folded[start : start + width]
    marks = [False] * len(excerpt)
    for term in parsed.terms:
        for match in re.finditer(re.escape(term), folded_excerpt):
            for i in range(match.start(), match.end()):
                marks[i] = True
    out = ["…" if start > 0 else ""]
    i = 0
    while i < len(excerpt):
        j = i
        while j < len(excerpt) and marks[j] == marks[i]:
            j += 1
        chunk = html.escape(excerpt[i:j])
        out.append(f"<mark>{chunk}</mark>" if marks[i] else chunk)
        i = j
    if start + width < len(text):
        out.append("…")
    return mark_safe("".join(out))  # noqa: S308 - every piece of reader or article text is escaped above


def parse_date(value):
    """A YYYY-MM-DD filter value, or None when absent or malformed."""
    try:
        return datetime.date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None
