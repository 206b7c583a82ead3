"""Admin lists that stay fast at a million rows: no full count, index-backed ordering, cheap dates.

Django's changelist counts the filtered list (the paginator) and, with ``show_full_result_count``,
the whole table again; its ``date_hierarchy`` runs a ``DISTINCT`` over every row's date, and its
facets count every filter choice. ``LargeListMixin`` turns all of that off or makes it cheap:
``CappedPaginator`` (``newsroom/paginators.py``) counts at most ``count_limit`` rows and fetches a
page by its ids; ``YearMonthFilter`` offers years from the index's first and last dates.
"""

import datetime

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import Max, Min
from django.utils import timezone

from .paginators import COUNT_LIMIT, MAX_PAGES, CappedPaginator


class IndexOrderedChangeList(ChangeList):
    """A changelist whose tie-breaking ``pk`` follows the sort's direction.

    Django appends ``-pk`` to any ordering without a unique field, so "updated_at ascending" becomes
    ``updated_at ASC, id DESC``, which no (updated_at, id) index serves in one scan; ``pk`` in the
    first field's direction makes it a plain forward (or backward) walk of that index.
    """

    def _get_deterministic_ordering(self, ordering):
        given = list(ordering)
        result = super()._get_deterministic_ordering(given)
        if len(result) == len(given) + 1 and result[-1] == "-pk" and given:
            first = given[0]
            if isinstance(first, str) and not first.startswith("-"):
                result[-1] = "pk"
        return result


class LargeListMixin:
    """For a ModelAdmin whose table grows without bound: capped counts, pages by ids, no facets."""

    paginator = CappedPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    # The word the list counts in (篇 for stories, 条 for log lines).
    count_unit = "条"
    count_limit = COUNT_LIMIT
    max_pages = MAX_PAGES

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        """The capped paginator, with this list's limits and unit."""
        return self.paginator(
            queryset,
            per_page,
            orphans,
            allow_empty_first_page,
            count_limit=self.count_limit,
            max_pages=self.max_pages,
            unit=self.count_unit,
        )

    def get_changelist(self, request, **kwargs):
        """The changelist whose orderings walk an index."""
        return IndexOrderedChangeList


class YearMonthFilter(admin.SimpleListFilter):
    """A cheap stand-in for ``date_hierarchy``: years, then the chosen year's months.

    The years come from the first and last date (one query, both ends read from the field's
    index), never from a ``DISTINCT`` over every row; a chosen year or month is a range the same
    index serves. Subclasses set ``field_name``, ``title`` and ``parameter_name``.
    """

    field_name = None

    def lookups(self, request, model_admin):
        """Every year between the first and last date, newest first; the chosen year's months too."""
        bounds = model_admin.model._default_manager.aggregate(
            first=Min(self.field_name), last=Max(self.field_name)
        )
        if bounds["first"] is None:
            return ()
        first, last = (timezone.localtime(bounds[key]).year for key in ("first", "last"))
        choices = []
        chosen = self._parse(self.value())
        for year in range(last, first - 1, -1):
            choices.append((str(year), f"{year} 年"))
            if chosen and chosen[0] == year:
                choices.extend(
                    (f"{year}-{month:02d}", f"　{year} 年 {month} 月") for month in range(12, 0, -1)
                )
        return choices

    @staticmethod
    def _parse(value):
        """(year, month or None) from "2024" or "2024-05"; None when malformed."""
        try:
            if value and len(value) == 4:
                return int(value), None
            if value and len(value) == 7 and value[4] == "-":
                year, month = int(value[:4]), int(value[5:])
                if 1 <= month <= 12:
                    return year, month
        except ValueError:
            pass
        return None

    def queryset(self, request, queryset):
        """The chosen year or month, as a half-open range on the field (index range, no function)."""
        chosen = self._parse(self.value())
        if chosen is None or not 1 <= chosen[0] <= 9998:
            return queryset
        year, month = chosen
        if month is None:
            start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
        else:
            start = datetime.date(year, month, 1)
            end = datetime.date(year + (month == 12), month % 12 + 1, 1)
        tz = timezone.get_current_timezone()
        since = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min), tz)
        until = timezone.make_aware(datetime.datetime.combine(end, datetime.time.min), tz)
        return queryset.filter(**{f"{self.field_name}__gte": since, f"{self.field_name}__lt": until})
