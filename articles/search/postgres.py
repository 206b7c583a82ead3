"""How PostgreSQL finds a query's newest matches fast: the GIN index, walks and windows.

The GIN index ``article_search_gin`` is built on the stored column ``search_vector`` (migration
0008: lexemes only, kept by a trigger from ``search_document``), so a row the index yields, or a row
an ordering index yields and the vector then tests, costs a read of the stored vector and never a
re-parse of the document. Three strategies, chosen by how common PostgreSQL's statistics say the
query is (``_share``) on a table large enough for them (``_stories``):
a common word is met within a few thousand of the newest stories (``_recent_first``); a fairly
common one is looked up in windows of the newest stories (``_windows``); the rest, and whatever
the first two leave, comes from the GIN index alone (``_rest``). Every bigram match is confirmed
by the substring test (``_confirm``) when the query holds a phrase. The admin's search
(``capped_ids``) keeps the first matches in the caller's own order: a walk of that order's index
for a common query, else the GIN matches in order, confirmed in chunks until enough.

All values are parameters; the SQL is formatted only with fixed fragments written here, and the
tsquery holds only tokens made by ``query`` from its strict alphabet.
"""

import json
import time

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection, transaction
from django.db.models import Expression
from django.utils import timezone

from ..models import Article
from . import index
from .query import and_tsquery, document_substring, phrase_checks

# A query expected in at least this share of all stories may be answered newest-first (the walk),
# when the walk's document reads cost less than the windows' reads of the GIN posting lists
# (``_walk_pays``).
COMMON_SHARE = 0.1

# A document read and test costs about as much as reading this many GIN posting entries (measured
# at 200,000 stories under load: ~30 µs a document; 26 ms for the 150,000 entries of 安海镇's two
# bigrams, 58 ms for the 730,000 of 集成电路产业's five). The posting lists grow with the archive,
# the walk does not: at 200,000 stories 安海镇 (21 %) is cheaper in windows, at a million walked.
WALK_DOC_POSTINGS = 250

# The newest-first walk reads at most this many stories before giving up on it. It is used only on
# a table of WALK_MIN_STORIES or more, where reading RECENT_WALK rows down the (status, published_at)
# index is always cheaper than sorting the table, so its plan does not depend on the estimate.
RECENT_WALK = 20000
WALK_MIN_STORIES = 10 * RECENT_WALK

# Queries the planner expects in at least this share of stories are looked up in windows of the
# newest stories (below it, the GIN index alone visits few rows). The first window spans enough
# stories for about two full lists, at least WINDOW_FIRST; each next one WINDOW_GROWTH times more,
# up to WINDOW_STEPS windows, after which the GIN index alone takes the rest.
WINDOW_SHARE = 0.02
WINDOW_FIRST = 4000
WINDOW_GROWTH = 4
WINDOW_STEPS = 2


class _StoredVector(Expression):
    """The stored column ``search_vector`` (migration 0008), which the GIN index is built on.

    The column is PostgreSQL's alone (a trigger keeps it from ``search_document``), so the model does
    not declare it; this names it on the query's base table, whatever alias that table has.
    """

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.{VECTOR_COLUMN}", []


VECTOR_COLUMN = "search_vector"


def gin_filter(qs, parsed):
    """Filter a queryset to the stories holding every bigram of the query, through the GIN index."""
    # alias(), not annotate(): the vector is a condition, never a selected column.
    return qs.alias(search_match=_StoredVector()).filter(
        search_match=SearchQuery(and_tsquery(parsed), search_type="raw", config="simple")
    )


def find_ids(parsed, *, section, since, until, limit):
    """Return (ids newest first, more): published matches up to ``limit``, by the cheapest strategy."""
    share = _share(parsed)
    stories = _stories()
    if share >= COMMON_SHARE and stories >= WALK_MIN_STORIES and _walk_pays(parsed, share, stories, limit):
        ids = _recent_first(parsed, section=section, since=since, until=until, limit=limit + 1)
        if ids is not None:
            return ids[:limit], True
    checks = phrase_checks(parsed)
    filters = {"section": section, "since": since, "until": until}
    found, upper = [], None
    # Expect the first window to hold about twice the matches a full list needs.
    rows = max(WINDOW_FIRST, int(2 * (limit + 1) / share)) if share else 0
    if share >= WINDOW_SHARE and rows * 2 <= stories:
        found, upper = _windows(parsed, checks, limit=limit, rows=rows, **filters)
    if len(found) > limit:
        return found[:limit], True
    rest, more = _rest(parsed, checks, limit=limit - len(found), upper=upper, **filters)
    return found + rest, more


def _explain(cursor, sql, params):
    """The plan PostgreSQL would run for ``sql`` (EXPLAIN's JSON, parsed when the driver does not)."""
    cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
    plan = cursor.fetchone()[0]
    return json.loads(plan) if isinstance(plan, str) else plan


# The statistics change only with ANALYZE: a query's share and the table's size are asked at most
# once a minute per process (each costs a round trip, the share a planning of the query too).
STATISTICS_TTL = 60.0
_STATISTICS_CACHE_SIZE = 512
_statistics = {}


def _cached(key, compute):
    """``compute()``, remembered for STATISTICS_TTL seconds per database and key."""
    key = (connection.alias, connection.settings_dict["NAME"], *key)
    now = time.monotonic()
    hit = _statistics.get(key)
    if hit is not None and now - hit[0] < STATISTICS_TTL:
        return hit[1]
    value = compute()
    if len(_statistics) >= _STATISTICS_CACHE_SIZE:
        _statistics.clear()
    _statistics[key] = (now, value)
    return value


def _walk_pays(parsed, share, stories, limit):
    """True when walking newest first costs less than reading the query's GIN posting lists.

    The walk reads about (limit + 1) / share documents, the windows (limit + 1) documents to confirm
    plus every posting entry of every lexeme (its frequency × the stories).
    """
    freqs = _element_freqs()
    postings = sum(freqs.get(lexeme, share) for lexeme in _lexemes(parsed)) * stories
    return (limit + 1) * (1 / share - 1) * WALK_DOC_POSTINGS <= postings


def _lexemes(parsed):
    """The query's lexemes as the index stores them (bigrams, lone ideographs); a Latin word as is."""
    return [token for term in parsed.terms for token in dict.fromkeys(index.run_tokens(term))]


def _element_freqs():
    """{lexeme: share of stories holding it} for the commonest lexemes, from ANALYZE (pg_stats)."""

    def read():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
                "WHERE schemaname = current_schema() AND tablename = 'articles_article' "
                "AND attname = %s",
                [VECTOR_COLUMN],
            )
            row = cursor.fetchone()
        if not row or not row[0]:
            return {}
        # The frequencies end with three summary numbers (minimum, maximum, nulls): zip drops them.
        return dict(zip(row[0], row[1], strict=False))

    return _cached(("elements",), read)


def _share(parsed):
    """The share of all stories expected to hold the query (0 when the table is tiny).

    ANALYZE keeps lexeme frequencies for the tsvector column, so the planner's row estimate
    for the GIN condition is close for one bigram (99,527 estimated, 99,534 found for 晋江). For
    several bigrams it multiplies their frequencies as if independent, while a word's bigrams come
    together: 安海镇 is in 21 % of the demo archive, estimated 12 %; 集成电路产业 in 43 %,
    estimated 17 %. When every bigram is among ANALYZE's commonest lexemes, the rarest one's
    frequency (an upper bound, close for a real word) is taken if higher; the terms of a query of
    several words are taken as independent (their product).
    """
    tsquery = and_tsquery(parsed)
    freqs = _element_freqs()
    # Each term's rarest bigram; separate terms (words apart in the query) taken as independent.
    common = 1.0 if parsed.terms else 0.0
    for term in parsed.terms:
        lexemes = index.run_tokens(term) if index.is_cjk(term) else []
        if not lexemes or any(lexeme not in freqs for lexeme in lexemes):
            common = 0.0
            break
        common *= min(freqs[lexeme] for lexeme in lexemes)

    def estimate():
        with connection.cursor() as cursor:
            plan = _explain(
                cursor,
                "SELECT 1 FROM articles_article WHERE search_vector @@ to_tsquery('simple'::regconfig, %s)",
                [tsquery],
            )
        return plan[0]["Plan"]["Plan Rows"]

    total = _stories()
    if total <= 1000:
        return 0.0
    return max(_cached(("share", tsquery), estimate) / total, common)


def _stories():
    """How many stories the statistics say the table holds (pg_class.reltuples; 0 before ANALYZE)."""

    def reltuples():
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'articles_article'")
            row = cursor.fetchone()
        return max(row[0], 0) if row else 0

    return _cached(("stories",), reltuples)


def _filter_sql(*, section, since, until, hide_from_btree=False):
    """The section and date filters as fixed SQL fragments and their parameters.

    With ``hide_from_btree`` the columns are wrapped (``+ 0``) so that no btree index can match
    them and drive a scan that the GIN index should drive (see ``_candidates``).
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


def _recent_first(parsed, *, section, since, until, limit):
    """For a common word: walk published stories newest first, testing the stored document.

    A word in a fifth or more of the stories is met within a few thousand rows, so reading the
    (status, published_at) index backwards and testing each document with strpos (about 30 µs)
    beats visiting every one of the GIN index's matches to sort them. Returns None when the walk
    ends (RECENT_WALK rows) before ``limit`` matches: the caller then uses the GIN index. The
    patterns come from the strict alphabet (no ``%`` or ``_``).
    """
    extra, filter_params = _filter_sql(section=section, since=since, until=until)
    likes, like_params = _substring_conditions(parsed, "search_document")
    params = [Article.Status.PUBLISHED, timezone.now(), *filter_params, RECENT_WALK, *like_params, limit]
    sql = _RECENT_FIRST_SQL.format(extra=extra, likes=likes)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if len(rows) < limit:
        return None
    rows.sort(key=lambda row: (row[1], row[0]), reverse=True)
    return [row[0] for row in rows]


_FLOOR_SQL = """
SELECT published_at FROM articles_article
WHERE status = %s AND published_at <= %s {extra}
ORDER BY published_at DESC
OFFSET %s LIMIT 1
"""

_WINDOW_SQL = """
SELECT id FROM articles_article
WHERE search_vector @@ to_tsquery('simple'::regconfig, %s)
  AND status = %s AND published_at <= %s AND published_at > %s {extra}
ORDER BY published_at DESC, id DESC
"""


def _filters_row_by_row(plan):
    """True when a plan node tests the stored vector as a row filter (a heap and TOAST read a row)."""
    if VECTOR_COLUMN in plan.get("Filter", ""):
        return True
    return any(_filters_row_by_row(child) for child in plan.get("Plans", []))


def _windows(parsed, checks, *, section, since, until, limit, rows):
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
            cursor.execute(
                _FLOOR_SQL.format(extra=extra), [Article.Status.PUBLISHED, upper, *extra_params, rows]
            )
            row = cursor.fetchone()
            if row is None:
                break
            floor = row[0]
            sql = _WINDOW_SQL.format(extra=extra)
            params = [and_tsquery(parsed), Article.Status.PUBLISHED, upper, floor, *extra_params]
            if _filters_row_by_row(_explain(cursor, sql, params)[0]["Plan"]):
                break
            cursor.execute(sql, params)
            candidates = [r[0] for r in cursor.fetchall()]
            found += _confirm(candidates, checks, limit - len(found)) if checks else candidates
            upper = floor
            if len(found) > limit:
                break
            rows *= WINDOW_GROWTH
    return found, upper


_CANDIDATES_SQL = """
SELECT id FROM articles_article
WHERE search_vector @@ to_tsquery('simple'::regconfig, %s)
  AND (status || '') = %s
  AND (published_at + interval '0 seconds') <= %s
  {extra}
ORDER BY published_at DESC, id DESC
LIMIT %s
"""


def _candidates(parsed, *, section, since, until, limit, upper=None):
    """Newest ids whose document holds every bigram, driven by the GIN index alone.

    Two costs shape this query. The stored vector keeps no positions, so the query is an AND of the
    bigrams, which the index answers exactly (no recheck), and the substring test in ``_confirm``
    restores the phrase. And a btree index (status, section, date) must never drive the scan, or the
    vector is read and tested on every row it yields: the other
    conditions are written so no index matches them (``status || ''``), and sequential scans are
    off for this one transaction.
    """
    extra, filter_params = _filter_sql(section=section, since=since, until=until, hide_from_btree=True)
    params = [and_tsquery(parsed), Article.Status.PUBLISHED, upper or timezone.now(), *filter_params, limit]
    sql = _CANDIDATES_SQL.format(extra=extra)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        # Parallel workers cost more to start than they save on a few thousand heap rows.
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _rest(parsed, checks, *, section, since, until, limit, upper):
    """Matches published at or before ``upper``, newest first, from the GIN index alone."""
    # Bigram AND matches are nearly always true matches; fetch a margin, then confirm in batches
    # (the substring test reads the stored document, about 20 µs a row).
    filters = {"section": section, "since": since, "until": until, "upper": upper}
    fetch = limit + 1 + (limit // 5 if checks else 0)
    candidates = _candidates(parsed, limit=fetch, **filters)
    if not checks:
        return candidates[:limit], len(candidates) > limit
    confirmed = _confirm(candidates, checks, limit)
    if len(confirmed) <= limit and len(candidates) == fetch:
        # Unusually many bigram matches were not the phrase: look further back once.
        fetch = limit * 8 + 1
        candidates = _candidates(parsed, limit=fetch, **filters)
        confirmed = _confirm(candidates, checks, limit)
    more = len(confirmed) > limit or len(candidates) == fetch
    return confirmed[:limit], more


# Candidates are confirmed this many at a time, in order (a chunk's documents are read together).
CONFIRM_CHUNK = 400

_CONFIRM_SQL = "SELECT id FROM articles_article WHERE id = ANY(%s) AND {tests}"


def _confirm(candidates, checks, limit):
    """Keep the candidates whose stored document holds every phrase, in order, up to limit + 1."""
    confirmed = []
    tests = " AND ".join(["strpos(search_document, %s) > 0"] * len(checks))
    sql = _CONFIRM_SQL.format(tests=tests)
    with connection.cursor() as cursor:
        for start in range(0, len(candidates), CONFIRM_CHUNK):
            batch = candidates[start : start + CONFIRM_CHUNK]
            cursor.execute(sql, [batch, *checks])
            good = {row[0] for row in cursor.fetchall()}
            confirmed.extend(pk for pk in batch if pk in good)
            if len(confirmed) > limit:
                break
    return confirmed


# --- the admin's capped search: the first matches in the caller's order ---------------------------------

# A common query is met by walking the caller's ordering index and testing each row's document: its
# first ``limit`` matches lie within about limit / share rows. The GIN index instead visits every
# match (share × stories heap rows) to sort them. A document test costs about WALK_ROW_COST heap
# visits (measured at 200,000 stories: ~60 µs against ~15 µs under load), so the walk is taken when
# (limit + 1) / share × WALK_ROW_COST ≤ share × stories: from a share of 6 % at 200,000 stories, 3 %
# at a million (limit 200). The walk reads at most CAPPED_WALK rows (four times the expected number)
# and only on a table of CAPPED_WALK_MIN_STORIES or more; when it ends short, the GIN index answers.
WALK_ROW_COST = 4
CAPPED_WALK = 20000
CAPPED_WALK_MIN_STORIES = 20000

_CAPPED_WALK_SQL = "SELECT walked.pk FROM ({inner}) walked WHERE {likes} LIMIT %s"


def _substring_conditions(parsed, column):
    """(SQL, params): the substring tests that are exactly the query's terms on the stored document.

    An ideograph run is the substring ``document_substring`` makes (bigrams in a row, one run); a
    Latin word is a word start (the document's tokens are separated by spaces), as the GIN index's
    prefix match. All values are parameters.
    """
    likes, params = [], []
    for term in parsed.terms:
        # strpos, not LIKE '%…%': the same test, about a third cheaper on a 5 KB UTF-8 document.
        if index.is_cjk(term):
            likes.append(f"strpos({column}, %s) > 0")
            params.append(document_substring(term))
        else:
            likes.append(f"(starts_with({column}, %s) OR strpos({column}, %s) > 0)")
            params += [term, f" {term}"]
    return " AND ".join(likes), params


def capped_ids(queryset, parsed, *, limit):
    """The first ``limit + 1`` matching ids of ``queryset`` in its own ordering (all when fewer).

    ``queryset`` is ordered (the caller's order, else the model's); the ids returned are exactly the
    first matches in that order, whatever the strategy:

    * a common query walks the ordering's index and tests each row's stored document (strpos, the
      same test as the substring check), stopping at ``limit + 1`` matches: about (limit + 1) / share
      rows, never every match;
    * the others take the GIN index's matches in the caller's order (``LIMIT``, no document read) and
      confirm the phrase on those rows only, in order, in chunks, fetching further back only when
      too few were confirmed.
    """
    if parsed.is_empty:
        return []
    ordering = queryset.query.order_by or queryset.model._meta.ordering
    queryset = queryset.order_by(*ordering)
    stories = _stories()
    if stories >= CAPPED_WALK_MIN_STORIES:
        share = _share(parsed)
        if share and (limit + 1) / share * WALK_ROW_COST <= share * stories:
            walk = min(CAPPED_WALK, int(4 * (limit + 1) / share))
            ids = _capped_walk(queryset, parsed, limit=limit, walk=walk)
            if ids is not None:
                return ids
    return _capped_gin(queryset, parsed, limit=limit)


def _capped_walk(queryset, parsed, *, limit, walk):
    """The first ``limit + 1`` matches among the ``walk`` first rows, or None when fewer are there."""
    inner, inner_params = queryset.values_list("pk", "search_document")[:walk].query.sql_with_params()
    likes, like_params = _substring_conditions(parsed, "walked.search_document")
    sql = _CAPPED_WALK_SQL.format(inner=inner, likes=likes)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*inner_params, *like_params, limit + 1])
        ids = [row[0] for row in cursor.fetchall()]
    return ids if len(ids) > limit else None


def _capped_gin(queryset, parsed, *, limit):
    """The first ``limit + 1`` matches through the GIN index, the phrase confirmed on those rows only."""
    checks = phrase_checks(parsed)
    candidates_qs = gin_filter(queryset, parsed).values_list("pk", flat=True)
    fetch = limit + 1 + (limit // 5 if checks else 0)
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            # Parallel workers cost more to start than they save on a few thousand heap rows.
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            candidates = list(candidates_qs[:fetch])
        confirmed = _confirm(candidates, checks, limit) if checks else candidates
        if len(confirmed) > limit or len(candidates) < fetch:
            return confirmed[: limit + 1]
        # Unusually many bigram matches were not the phrase: look further back.
        fetch *= 8
