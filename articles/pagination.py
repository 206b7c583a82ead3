"""Keyset pagination of published stories, newest first: every page costs the same at any depth.

A listing is ordered by (``published_at``, ``pk``) descending, which the (section | column | status,
``published_at``) indexes serve. A page is addressed by the story it continues from, not by a number:
``?before=<cursor>`` (older: 下一页) or ``?after=<cursor>`` (newer: 上一页), where a cursor is
``<published_at in microseconds since the epoch>_<pk>``. No page needs to count the listing, so a
million stories cost what a hundred do; a cursor that does not parse is a 404.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404

_CURSOR = re.compile(r"(-?\d{1,17})_(\d{1,18})")
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def cursor_of(article):
    """The cursor naming ``article``'s place in a newest-first listing."""
    delta = article.published_at - _EPOCH
    micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return f"{micros}_{article.pk}"


def parse_cursor(value):
    """(published_at, pk) from a cursor; Http404 for anything else."""
    match = _CURSOR.fullmatch(value or "")
    if match is None:
        raise Http404("分页参数无效。")
    try:
        when = _EPOCH + datetime.timedelta(microseconds=int(match.group(1)))
    except OverflowError as exc:
        raise Http404("分页参数无效。") from exc
    return when, int(match.group(2))


def older_than(when, pk):
    """Stories after (``when``, ``pk``) in newest-first order; the ``lte`` bound is the index range."""
    return Q(published_at__lte=when) & (Q(published_at__lt=when) | Q(pk__lt=pk))


def newer_than(when, pk):
    """Stories before (``when``, ``pk``) in newest-first order."""
    return Q(published_at__gte=when) & (Q(published_at__gt=when) | Q(pk__gt=pk))


@dataclass
class KeysetPage:
    """One page of a listing and the cursors of its neighbours (None at either end)."""

    object_list: list = field(default_factory=list)
    previous_cursor: str | None = None
    next_cursor: str | None = None

    @property
    def has_previous(self):
        return self.previous_cursor is not None

    @property
    def has_next(self):
        return self.next_cursor is not None

    @property
    def has_other_pages(self):
        return self.has_previous or self.has_next

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


def keyset_page(queryset, params, size):
    """The page of ``queryset`` (published stories) that ``params`` (``request.GET``) asks for.

    At most two queries: the page itself (one row more than shown tells whether there is a next
    one) and, for a page reached by a cursor, whether anything lies on the other side.
    """
    before, after = params.get("before"), params.get("after")
    if before is not None and after is not None:
        raise Http404("分页参数无效。")
    newest_first = queryset.order_by("-published_at", "-pk")
    if after is not None:
        when, pk = parse_cursor(after)
        rows = list(queryset.filter(newer_than(when, pk)).order_by("published_at", "pk")[: size + 1])
        if len(rows) <= size:
            # Back at the top (or nothing newer any more): show the first page as it is now.
            return keyset_page(queryset, {}, size)
        rows = rows[:size][::-1]
        return KeysetPage(rows, previous_cursor=cursor_of(rows[0]), next_cursor=cursor_of(rows[-1]))
    if before is not None:
        when, pk = parse_cursor(before)
        rows = list(newest_first.filter(older_than(when, pk))[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        page = KeysetPage(rows, next_cursor=cursor_of(rows[-1]) if more else None)
        # 上一页 continues from this page's first story (or, on an empty page, from the cursor itself).
        edge = cursor_of(rows[0]) if rows else before
        # Ordered, not .exists() (which drops the order): the LIMIT 1 then reads the listing's index
        # upwards from the cursor instead of scanning the table (rows are stored oldest first, so a
        # scan meets every older story before the first newer one).
        newer = queryset.filter(newer_than(*parse_cursor(edge))).order_by("published_at", "pk")
        if newer.values_list("pk", flat=True)[:1]:
            page.previous_cursor = edge
        return page
    rows = list(newest_first[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return KeysetPage(rows, next_cursor=cursor_of(rows[-1]) if more else None)
