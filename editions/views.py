"""The e-paper: released editions, page by page, and the back-issue calendar (往期回顾)."""

import calendar
import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import http_date
from django.views import View
from django.views.generic import TemplateView

from .models import Edition, Placement
from .services import continued_from
from .templatetags.epaper import ARTICLE_FIELDS


def latest_edition():
    """The newest released edition, or None."""
    return Edition.objects.released().order_by("-date").first()


class LatestEditionView(View):
    """Redirect to the latest released edition's front page."""

    def get(self, request):
        edition = latest_edition()
        if edition is None:
            raise Http404("还没有出版的报纸。")
        return redirect("editions:edition", date=edition.date)


class EditionView(View):
    """An edition's address leads to its first page."""

    def get(self, request, date):
        edition = get_object_or_404(Edition.objects.released(), date=date)
        first = edition.pages.for_readers().order_by("number").first()
        if first is None:
            raise Http404("这一期没有版面。")
        return redirect("editions:page", date=edition.date, number=first.number)


def published_placements():
    """Placements with what the e-paper page shows of their article, and whether readers may see it.

    Joined on the article's primary key with no condition on the article: callers keep the rows
    whose ``article.is_published`` (see ``editions.templatetags.epaper`` for why not a subquery).
    """
    return (
        Placement.objects.select_related("article", "continues_on", "page")
        .only(
            "pk", "edition_id", "page_id", "article_id", "position", "is_lead", "continues_on_id",
            "article__kicker", "article__subheadline", "article__summary", *ARTICLE_FIELDS,
            "page__number", "page__name", "page__edition_id",
            "continues_on__number", "continues_on__name", "continues_on__edition_id",
        )
    )  # fmt: skip


class PageView(TemplateView):
    """One page of a released edition: its stories in order (lead first), 版面导航, 上一版/下一版."""

    template_name = "epaper/page.html"

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        response = self.render_to_response(context)
        stamps = [context["edition"].updated_at, *(p.updated_at for p in context["pages"])]
        response["Last-Modified"] = http_date(max(stamps).timestamp())
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        edition = get_object_or_404(Edition.objects.released(), date=self.kwargs["date"])
        # A 待定 placeholder (a jump target never imported) is no page for readers: not in the
        # navigation, not at its address, and no 下转/上接 points at it.
        pages = list(edition.pages.for_readers().order_by("number"))
        page = next((p for p in pages if p.number == self.kwargs["number"]), None)
        if page is None:
            raise Http404("没有这一版。")
        for p in pages:
            p.edition = edition  # get_absolute_url needs the date, without a query per page
        placements = [
            p
            for p in published_placements().filter(page=page).order_by("-is_lead", "position")
            if p.article.is_published
        ]
        # Stories from earlier pages that continue here (上接X版): the same per-row visibility test.
        continued_here = [p for p in continued_from(page, published_only=False) if p.article.is_published]
        by_pk = {p.pk: p for p in pages}
        continued_here = [p for p in continued_here if p.page_id in by_pk]
        for placement in placements + continued_here:
            placement.page = by_pk.get(placement.page_id, placement.page)
            if placement.continues_on_id:
                placement.continues_on = by_pk.get(placement.continues_on_id)
        index = pages.index(page)
        context.update(
            edition=edition,
            page=page,
            pages=pages,
            placements=placements,
            continued_here=continued_here,
            previous_page=pages[index - 1] if index > 0 else None,
            next_page=pages[index + 1] if index + 1 < len(pages) else None,
        )
        return context


class ArchiveView(TemplateView):
    """往期回顾: a month's calendar of released editions; /epaper/archive/ shows the latest month."""

    template_name = "epaper/archive.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year, month = self.kwargs.get("year"), self.kwargs.get("month")
        released = Edition.objects.released()
        if year is None:
            newest = released.order_by("-date").values_list("date", flat=True).first()
            if newest is None:
                today = datetime.date.today()
                year, month = today.year, today.month
            else:
                year, month = newest.year, newest.month
        if not (1900 <= year <= 2999 and 1 <= month <= 12):
            raise Http404("没有这个月份。")
        first = datetime.date(year, month, 1)
        last = datetime.date(year, month, calendar.monthrange(year, month)[1])
        editions = {
            e.date: e
            for e in released.filter(date__gte=first, date__lte=last).only("pk", "date", "number", "status")
        }
        weeks = [
            [(day, editions.get(day) if day.month == month else None, day.month == month) for day in week]
            for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
        ]
        earlier = released.filter(date__lt=first).order_by("-date").values_list("date", flat=True).first()
        later = released.filter(date__gt=last).order_by("date").values_list("date", flat=True).first()
        years = [d.year for d in released.dates("date", "year")]
        context.update(
            year=year,
            month=month,
            weeks=weeks,
            editions=sorted(editions.values(), key=lambda e: e.date),
            earlier=earlier,
            later=later,
            years=years,
            weekdays="一二三四五六日",
        )
        return context
