"""The e-paper: released editions, page by page."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import TemplateView

from articles.models import Article

from .models import Edition, Page, Placement


class LatestEditionView(View):
    """Redirect to the latest released edition's front page."""

    def get(self, request):
        edition = Edition.objects.released().order_by("-date").first()
        if edition is None:
            raise Http404("还没有出版的报纸。")
        return redirect("editions:page", date=edition.date, number=1)


class EditionView(View):
    """An edition's address leads to its first page."""

    def get(self, request, date):
        edition = get_object_or_404(Edition.objects.released(), date=date)
        first = edition.pages.order_by("number").first()
        if first is None:
            raise Http404("这一期没有版面。")
        return redirect("editions:page", date=edition.date, number=first.number)


class PageView(TemplateView):
    """One page of a released edition: its stories in order, the lead first."""

    template_name = "epaper/page.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        edition = get_object_or_404(Edition.objects.released(), date=self.kwargs["date"])
        pages = list(edition.pages.order_by("number"))
        page = next((p for p in pages if p.number == self.kwargs["number"]), None)
        if page is None:
            raise Http404("没有这一版。")
        placements = (
            Placement.objects.filter(page=page, article__in=Article.objects.published())
            .select_related("article", "continues_on")
            .order_by("-is_lead", "position")
        )
        index = pages.index(page)
        context.update(
            edition=edition,
            page=page,
            pages=pages,
            placements=placements,
            previous_page=pages[index - 1] if index > 0 else None,
            next_page=pages[index + 1] if index + 1 < len(pages) else None,
        )
        return context


__all__ = ["LatestEditionView", "EditionView", "PageView", "Page"]
