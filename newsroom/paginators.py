"""Pagination whose cost does not grow with the table: no full ``COUNT(*)``, pages by their ids.

A list of a million rows is not counted to show "page 3 of 20,000": large sites show an estimate
("约 1,000,000 篇") or a floor ("超过 10,000 篇") and stop offering page links at some depth (date
filters reach older rows). ``CappedPaginator`` does the same:

* the count is exact up to ``count_limit`` (``SELECT COUNT(*) FROM (… LIMIT count_limit + 1)``,
  served by the list's ordering index); past it, an unfiltered table's size is read from the
  planner's statistics (``pg_class.reltuples``: "约"), a filtered list says "超过";
* a page is fetched in two steps: its ids first (``ORDER BY … OFFSET … LIMIT`` over the ordering
  index, index-only when the index holds the filter's columns), then those rows (a deferred join),
  so a deep page does not read and discard the rows before it from the table;
* page links stop at ``max_pages``.
"""

from math import ceil

from django.core.paginator import EmptyPage, Page, Paginator
from django.db import connections
from django.utils.functional import cached_property

# Counted exactly up to here; past it the list says 超过 (or 约, for a whole table).
COUNT_LIMIT = 10_000
# Page links stop here (25,000 rows at 50 a page: an index-only walk of a few ms); deeper rows are
# reached by the list's date filters.
MAX_PAGES = 500


def table_estimate(model, using="default"):
    """The planner's estimate of a model's row count (PostgreSQL ``reltuples``), or None elsewhere.

    None also when the table was never analyzed (``reltuples`` is -1 then): a guess is not shown.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table]
        )
        row = cursor.fetchone()
    if row is None or row[0] < 0:
        return None
    return int(row[0])


def is_unfiltered(queryset):
    """True when the queryset reads its whole table (no WHERE, no join that drops rows)."""
    query = queryset.query
    return not query.where and not query.distinct and not query.combinator and not query.is_sliced


class CappedPaginator(Paginator):
    """A paginator that never counts past ``count_limit`` and fetches a page by its ids."""

    def __init__(
        self, object_list, per_page, *args, count_limit=COUNT_LIMIT, max_pages=MAX_PAGES, unit="条", **kwargs
    ):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.count_limit = count_limit
        self.max_pages = max_pages
        self.unit = unit
        self.count_is_exact = True
        self.count_is_estimate = False

    @cached_property
    def count(self):
        """The exact count up to ``count_limit``; past it the table's estimate, or ``count_limit``."""
        queryset = self.object_list
        if not hasattr(queryset, "query"):
            return len(queryset)
        if is_unfiltered(queryset):
            estimate = table_estimate(queryset.model, queryset.db)
            if estimate is not None and estimate > self.count_limit:
                self.count_is_exact = False
                self.count_is_estimate = True
                return estimate
        # The list's own ordering stays on the capped subquery: the ordering index serves it, so
        # the plan is the page's plan (no sequential scan chosen for a filter most rows pass).
        capped = queryset.values("pk")[: self.count_limit + 1].count()
        if capped > self.count_limit:
            self.count_is_exact = False
            return self.count_limit
        return capped

    @cached_property
    def num_pages(self):
        """Pages up to ``max_pages``: deeper rows are reached by narrowing the list."""
        if self.count == 0 and not self.allow_empty_first_page:
            return 0
        hits = max(1, self.count - self.orphans)
        return min(ceil(hits / self.per_page), self.max_pages)

    @property
    def is_truncated(self):
        """True when the page links stop before the list's end (or its end was not counted)."""
        if self.count_is_estimate:
            return self.num_pages * self.per_page < self.count
        return not self.count_is_exact

    @property
    def count_label(self):
        """The size of the list in words: 共 123 篇, 约 1,000,000 篇, 超过 10,000 篇 (in ``unit``)."""
        if self.count_is_estimate:
            return f"约 {self.count:,} {self.unit}"
        if not self.count_is_exact:
            return f"超过 {self.count:,} {self.unit}"
        return f"共 {self.count:,} {self.unit}"

    def page(self, number):
        """The page's rows: its ids by the list's ordering, then those rows in that order."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if self.count_is_exact and top + self.orphans >= self.count:
            top = self.count
        queryset = self.object_list
        if not hasattr(queryset, "query"):
            return Page(queryset[bottom:top], number, self)
        ids = list(queryset.values_list("pk", flat=True)[bottom:top])
        if not ids and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        # The second query keeps the list's ordering (and its annotations, prefetches) for the rows.
        return Page(queryset.filter(pk__in=ids), number, self)
