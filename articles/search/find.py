"""Find the published articles matching a query: newest first, capped, on any database.

Recall comes first: a story is found when its text contains every ideograph run of the query
as written and every Latin word of the query (on PostgreSQL as the start of a word). On
PostgreSQL the GIN index over the stored vector ``search_vector`` (the lexemes of
``to_tsvector('simple', search_document)``, kept by a trigger, migration 0008) finds the stories that
hold every bigram of the query (``ab & bc``); a substring test on the stored document
(``"ab bc"``, see ``index``) then keeps those where the bigrams stand in a row, inside one run:
exactly the stories containing the run as written (``postgres`` says how it stays fast). On
SQLite the substring test alone does the work (a scan: fine for a first-run database).
"""

import datetime

from django.db import connection
from django.utils import timezone

from ..models import Article
from . import postgres, query

# Listing and counting stop here (the page says "超过 N 篇"); date filters reach older stories.
COUNT_LIMIT = 500


def matching(parsed, queryset=None):
    """Published articles matching every term of the query (PostgreSQL: GIN, else substring scan)."""
    qs = queryset if queryset is not None else Article.objects.published()
    if parsed.is_empty:
        return qs.none()
    on_postgres = connection.vendor == "postgresql"
    for term in parsed.terms:
        # The substring test is exact for ideograph runs (SQLite: also a Latin word anywhere).
        if query.needs_phrase_check(term) or not on_postgres:
            qs = qs.filter(search_document__contains=query.document_substring(term))
    return postgres.gin_filter(qs, parsed) if on_postgres else qs


def capped_ids(queryset, parsed, *, limit):
    """The first ``limit + 1`` matching ids of ``queryset`` in its order (PostgreSQL: see ``postgres``)."""
    if parsed.is_empty:
        return []
    if connection.vendor == "postgresql":
        return postgres.capped_ids(queryset, parsed, limit=limit)
    ordering = queryset.query.order_by or queryset.model._meta.ordering
    return list(matching(parsed, queryset).order_by(*ordering).values_list("pk", flat=True)[: limit + 1])


def _local_day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def find_ids(parsed, *, section=None, date_from=None, date_to=None, limit=None):
    """Return (ids newest first, more): every published match, up to ``limit`` (COUNT_LIMIT)."""
    limit = limit or COUNT_LIMIT
    if parsed.is_empty:
        return [], False
    since = _local_day_start(date_from) if date_from else None
    until = _local_day_start(date_to + datetime.timedelta(days=1)) if date_to else None
    if connection.vendor == "postgresql":
        return postgres.find_ids(parsed, section=section, since=since, until=until, limit=limit)
    qs = matching(parsed)
    if section is not None:
        qs = qs.filter(section=section)
    if since:
        qs = qs.filter(published_at__gte=since)
    if until:
        qs = qs.filter(published_at__lt=until)
    ids = list(qs.order_by("-published_at", "-pk").values_list("pk", flat=True)[: limit + 1])
    return ids[:limit], len(ids) > limit


def search_articles(parsed, *, section=None, date_from=None, date_to=None):
    """Return (ids, total, more): published matches newest first, the count, whether it was capped."""
    ids, more = find_ids(parsed, section=section, date_from=date_from, date_to=date_to)
    return ids, len(ids), more
