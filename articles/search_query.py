"""Reader search over published articles: parse the query, find, rank, and make snippets.

Recall comes first: a story is found when its text contains every ideograph run of the query
as written and every Latin word of the query (on PostgreSQL as the start of a word). On
PostgreSQL the GIN index over ``to_tsvector('simple', search_document)`` finds the stories that
hold every bigram of the query (``ab & bc``); a substring test on the stored document
(``"ab bc"``, see ``articles.search``) then keeps those where the bigrams stand in a row, inside
one run: exactly the stories containing the run as written. On SQLite the substring test alone
does the work (a scan: fine for a first-run database).

The tsquery text is built only from tokens made here from a strict alphabet (ideographs,
a–z, 0–9) and passed as a parameter; nothing the reader types is interpolated into SQL.
"""

import datetime
import html
import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection, transaction
from django.db.models import F, Func
from django.utils import timezone
from django.utils.safestring import mark_safe

from . import search
from .models import Article

# Longer queries are cut here (and the reader is told): a whole sentence fits, a 1 MB paste does not.
MAX_QUERY_CHARS = 100
# At most this many runs/words are used from a query.
MAX_TERMS = 12
# Ranking (hits in the headline stack, then the summary) reorders the newest matches up to this
# many; beyond that, results continue in date order: readers of a local paper want recent stories.
RANK_WINDOW = 200
# Listing and counting stop here (the page says "超过 N 篇"); date filters reach older stories.
COUNT_LIMIT = 500

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
        # The substring test is exact for ideograph runs (SQLite: also a Latin word anywhere).
        needs_check = (search.is_cjk(term) and len(term) > 2) or connection.vendor != "postgresql"
        if needs_check:
            qs = qs.filter(search_document__contains=_document_substring(term))
    if connection.vendor == "postgresql":
        tsquery = _and_tsquery(parsed)
        qs = qs.annotate(search_vector=_DocumentVector(F("search_document"))).filter(
            search_vector=SearchQuery(tsquery, search_type="raw", config="simple")
        )
    return qs


def _phrase_checks(parsed):
    """The terms whose GIN match must be confirmed by a substring test (multi-bigram ideograph runs)."""
    return [_document_substring(term) for term in parsed.terms if search.is_cjk(term) and len(term) > 2]


def _and_tsquery(parsed):
    """Every bigram of every term AND-ed (GIN answers AND without rechecking the row; see find_ids)."""
    parts = []
    for term in parsed.terms:
        if search.is_cjk(term):
            parts.extend(dict.fromkeys(search.run_tokens(term)))
        else:
            parts.append(f"{term}:*")
    return " & ".join(parts)


_CANDIDATES_SQL = """
SELECT id FROM articles_article
WHERE to_tsvector('simple'::regconfig, search_document) @@ to_tsquery('simple'::regconfig, %s)
  AND (status || '') = %s
  AND (published_at + interval '0 seconds') <= %s
  {extra}
ORDER BY published_at DESC, id DESC
LIMIT %s
"""


def _filter_sql(*, section, since, until, hide_from_btree=False):
    """The section and date filters as fixed SQL fragments and their parameters.

    With ``hide_from_btree`` the columns are wrapped (``+ 0``) so that no btree index can match
    them and drive a scan that the GIN index should drive (see ``_postgres_candidates``).
    """
    section_col = "(section_id + 0)" if hide_from_btree else "section_id"
    date_col = "(published_at + interval '0 seconds')" if hide_from_btree else "published_at"
    extra, params = [], []
    if section is not None:
        extra.append(f"AND {section_col} = %s")
        params.append(section.pk)
    if since is not None:
        extra.append(f"AND {date_col} >= %s")
        params.append(since)
    if until is not None:
        extra.append(f"AND {date_col} < %s")
        params.append(until)
    return " ".join(extra), params


def _postgres_candidates(parsed, *, section, since, until, limit, upper=None):
    """Newest ids whose document holds every bigram, driven by the GIN index alone.

    Two costs shape this query. GIN keeps no positions, so a phrase query (``<->``) makes
    PostgreSQL re-parse every candidate's 10 KB document (about 0.5 ms a row: seconds for a common
    word); an AND of the bigrams is answered by the index without that recheck, and the substring
    test in ``find_ids`` restores the phrase. And a btree index (status, section, date) must never
    drive the scan, or ``to_tsvector`` runs as a filter on every row it yields: the other
    conditions are written so no index matches them (``status || ''``), and sequential scans are
    off for this one transaction. All values are parameters; the tsquery holds only tokens made
    here from the strict alphabet.
    """
    extra, filter_params = _filter_sql(section=section, since=since, until=until, hide_from_btree=True)
    params = [_and_tsquery(parsed), Article.Status.PUBLISHED, upper or timezone.now(), *filter_params, limit]
    sql = _CANDIDATES_SQL.format(extra=extra)  # only fixed fragments above, never input
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        # Parallel workers cost more to start than they save on a few thousand heap rows.
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


# A query the planner expects in at least this share of all stories is answered newest-first.
COMMON_SHARE = 0.2

# The newest-first walk reads at most this many stories before giving up on it.
RECENT_WALK = 20000

# The inner LIMIT subquery is planned on its own, so it always walks article_status_pub_idx
# newest first; the outer filter stops pulling rows as soon as enough documents matched.
_RECENT_FIRST_SQL = """
SELECT id, published_at FROM (
  SELECT id, published_at, search_document FROM articles_article
  WHERE status = %s AND published_at <= %s {extra}
  ORDER BY published_at DESC
  LIMIT %s
) recent
WHERE {likes}
LIMIT %s
"""


def _is_common(parsed):
    """True when PostgreSQL's statistics put the query in COMMON_SHARE or more of all stories."""
    return _share(parsed) >= COMMON_SHARE


def _share(parsed):
    """The share of all stories PostgreSQL's statistics expect to hold every bigram (0 when tiny).

    ANALYZE keeps lexeme frequencies for the indexed expression, so the planner's row estimate
    for the GIN condition is close for one bigram (99,527 estimated, 99,534 found for 晋江).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN (FORMAT JSON) SELECT 1 FROM articles_article WHERE "
            "to_tsvector('simple'::regconfig, search_document) @@ to_tsquery('simple'::regconfig, %s)",
            [_and_tsquery(parsed)],
        )
        plan = cursor.fetchone()[0]
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'articles_article'")
        total = cursor.fetchone()[0]
    if isinstance(plan, str):
        import json

        plan = json.loads(plan)
    estimate = plan[0]["Plan"]["Plan Rows"]
    return estimate / total if total > 1000 else 0.0


def _postgres_recent_first(parsed, *, section, since, until, limit):
    """For a common word: walk published stories newest first, testing the stored document.

    A word in a fifth or more of the stories is met within a few thousand rows, so reading the
    (status, published_at) index backwards and testing each document with LIKE (about 20 µs)
    beats visiting every one of the GIN index's matches to sort them. Returns None when the walk
    ends (RECENT_WALK rows) before ``limit`` matches: the caller then uses the GIN index. The
    patterns come from the strict alphabet (no ``%`` or ``_``); all values are parameters.
    """
    extra, filter_params = _filter_sql(section=section, since=since, until=until)
    params = [Article.Status.PUBLISHED, timezone.now(), *filter_params, RECENT_WALK]
    likes = []
    for term in parsed.terms:
        if search.is_cjk(term):
            likes.append("search_document LIKE %s")
            params.append(f"%{_document_substring(term)}%")
        else:
            likes.append("(search_document LIKE %s OR search_document LIKE %s)")
            params += [f"{term}%", f"% {term}%"]
    params.append(limit)
    # Only fixed fragments above are formatted in, never input.
    sql = _RECENT_FIRST_SQL.format(extra=extra, likes=" AND ".join(likes))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if len(rows) < limit:
        return None
    rows.sort(key=lambda row: (row[1], row[0]), reverse=True)
    return [row[0] for row in rows]


def _local_day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def find_ids(parsed, *, section=None, date_from=None, date_to=None, limit=None):
    """Return (ids newest first, more): every published match, up to ``limit`` (COUNT_LIMIT)."""
    limit = limit or COUNT_LIMIT
    if parsed.is_empty:
        return [], False
    since = _local_day_start(date_from) if date_from else None
    until = _local_day_start(date_to + datetime.timedelta(days=1)) if date_to else None
    if connection.vendor != "postgresql":
        qs = matching(parsed)
        if section is not None:
            qs = qs.filter(section=section)
        if since:
            qs = qs.filter(published_at__gte=since)
        if until:
            qs = qs.filter(published_at__lt=until)
        ids = list(qs.order_by("-published_at", "-pk").values_list("pk", flat=True)[: limit + 1])
        return ids[:limit], len(ids) > limit
    share = _share(parsed)
    if share >= COMMON_SHARE:
        ids = _postgres_recent_first(parsed, section=section, since=since, until=until, limit=limit + 1)
        if ids is not None:
            return ids[:limit], True
    checks = _phrase_checks(parsed)
    filters = {"section": section, "since": since, "until": until}
    found, upper = [], None
    if share >= WINDOW_SHARE:
        # Expect the first window to hold about twice the matches a full list needs.
        rows = max(WINDOW_FIRST, int(2 * (limit + 1) / share))
        found, upper = _postgres_windows(parsed, checks, limit=limit, rows=rows, **filters)
    if len(found) > limit:
        return found[:limit], True
    rest, more = _postgres_rest(parsed, checks, limit=limit - len(found), upper=upper, **filters)
    return found + rest, more


def _postgres_rest(parsed, checks, *, section, since, until, limit, upper):
    """Matches published at or before ``upper``, newest first, from the GIN index alone."""
    # Bigram AND matches are nearly always true matches; fetch a margin, then confirm in batches
    # (the substring test reads the stored document, about 20 µs a row).
    filters = {"section": section, "since": since, "until": until, "upper": upper}
    fetch = limit + 1 + (limit // 5 if checks else 0)
    candidates = _postgres_candidates(parsed, limit=fetch, **filters)
    if not checks:
        return candidates[:limit], len(candidates) > limit
    confirmed = _confirm(candidates, checks, limit)
    if len(confirmed) <= limit and len(candidates) == fetch:
        # Unusually many bigram matches were not the phrase: look further back once.
        fetch = limit * 8 + 1
        candidates = _postgres_candidates(parsed, limit=fetch, **filters)
        confirmed = _confirm(candidates, checks, limit)
    more = len(confirmed) > limit or len(candidates) == fetch
    return confirmed[:limit], more


# Queries the planner expects in at least this share of stories are looked up in windows of the
# newest stories (below it, the GIN index alone visits few rows). The first window spans enough
# stories for about two full lists, at least WINDOW_FIRST; each next one WINDOW_GROWTH times more,
# up to WINDOW_STEPS windows, after which the GIN index alone takes the rest.
WINDOW_SHARE = 0.02
WINDOW_FIRST = 4000
WINDOW_GROWTH = 4
WINDOW_STEPS = 2

_FLOOR_SQL = """
SELECT published_at FROM articles_article
WHERE status = %s AND published_at <= %s {extra}
ORDER BY published_at DESC
OFFSET %s LIMIT 1
"""

_WINDOW_SQL = """
SELECT id FROM articles_article
WHERE to_tsvector('simple'::regconfig, search_document) @@ to_tsquery('simple'::regconfig, %s)
  AND status = %s AND published_at <= %s AND published_at > %s {extra}
ORDER BY published_at DESC, id DESC
"""


def _filters_row_by_row(plan):
    """True when a plan node tests the document's tsvector as a row filter (about 0.5 ms a row)."""
    if "to_tsvector" in plan.get("Filter", ""):
        return True
    return any(_filters_row_by_row(child) for child in plan.get("Plans", []))


def _postgres_windows(parsed, checks, *, section, since, until, limit, rows):
    """Confirmed matches from the newest stories, window by window; return (ids, upper).

    Sorting every GIN match by date means visiting each matching row (44,000 rows, 60 ms for
    集成电路产业 at 100,000 stories). A window of the newest stories — bounded by the
    (status, published_at) index — lets PostgreSQL AND the two index bitmaps and visit only the
    rows inside the window. Windows are half-open, (floor, upper], so stories sharing a
    timestamp are neither lost nor repeated. Stops when more than ``limit`` matches are confirmed
    (the ids hold them), or returns the matches so far with the ``upper`` bound (inclusive) of
    what is left for the GIN index alone. A window whose plan would test the tsvector row by row
    (the planner's choice when it thinks the query is common) is not run.
    """
    extra, extra_params = _filter_sql(section=section, since=since, until=until)
    upper = timezone.now()
    found = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        for _step in range(WINDOW_STEPS):
            # Only fixed fragments are formatted in, never input; all values are parameters.
            cursor.execute(
                _FLOOR_SQL.format(extra=extra), [Article.Status.PUBLISHED, upper, *extra_params, rows]
            )
            row = cursor.fetchone()
            if row is None:
                break
            floor = row[0]
            sql = _WINDOW_SQL.format(extra=extra)
            params = [_and_tsquery(parsed), Article.Status.PUBLISHED, upper, floor, *extra_params]
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
            if isinstance(plan, str):
                import json

                plan = json.loads(plan)
            if _filters_row_by_row(plan[0]["Plan"]):
                break
            cursor.execute(sql, params)
            candidates = [r[0] for r in cursor.fetchall()]
            found += _confirm(candidates, checks, limit - len(found)) if checks else candidates
            upper = floor
            if len(found) > limit:
                break
            rows *= WINDOW_GROWTH
    return found, upper


def _confirm(candidates, checks, limit):
    """Keep the candidates whose stored document holds every phrase, in order, up to limit + 1."""
    confirmed = []
    for start in range(0, len(candidates), 400):
        batch = candidates[start : start + 400]
        qs = Article.objects.filter(pk__in=batch)
        for check in checks:
            qs = qs.filter(search_document__contains=check)
        good = set(qs.values_list("pk", flat=True))
        confirmed.extend(pk for pk in batch if pk in good)
        if len(confirmed) > limit:
            break
    return confirmed


def search_articles(parsed, *, section=None, date_from=None, date_to=None):
    """Return (ids, total, more): published matches newest first, the count, whether it was capped."""
    ids, more = find_ids(parsed, section=section, date_from=date_from, date_to=date_to)
    return ids, len(ids), more


def rank_ids(parsed, ids):
    """Order matches: hits in the headline stack first, then in the summary, then newest first.

    Ranked in Python over the newest RANK_WINDOW matches. PostgreSQL's ts_rank would have to
    re-parse each stored document (there is no stored tsvector column), about 0.5 ms a row.
    """
    window, rest = ids[:RANK_WINDOW], ids[RANK_WINDOW:]
    if not window:
        return ids
    rows = Article.objects.filter(pk__in=window).values_list(
        "pk", "kicker", "headline", "subheadline", "summary"
    )
    score = {}
    for pk, kicker, headline, subheadline, summary in rows:
        titles = search.normalize(f"{kicker} {headline} {subheadline}")
        lead = search.normalize(summary)
        score[pk] = sum(4 * titles.count(term) + lead.count(term) for term in parsed.terms)
    position = {pk: i for i, pk in enumerate(window)}
    window.sort(key=lambda pk: (-score.get(pk, 0), position[pk]))
    return window + rest


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
