"""Public URLs of the e-paper; every view is wrapped in the anonymous page cache."""

import datetime

from django.urls import path, register_converter

from newsroom.cache import cache_public_page as cached

from . import views


class IsoDateConverter:
    """A YYYY-MM-DD date in a URL; an impossible date is a 404, not a 500."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(value) from exc

    def to_url(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)


class PageNumberConverter:
    """A page number of at most three digits (pages run 1–999); 10^9 is simply not a page."""

    regex = r"[0-9]{1,3}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IsoDateConverter, "isodate")
register_converter(PageNumberConverter, "pageno")

app_name = "editions"

urlpatterns = [
    path("", views.LatestEditionView.as_view(), name="latest"),
    path("archive/", cached(views.ArchiveView.as_view()), name="archive"),
    path("<int:year>/<int:month>/", cached(views.ArchiveView.as_view()), name="archive_month"),
    path("<isodate:date>/", views.EditionView.as_view(), name="edition"),
    path("<isodate:date>/<pageno:number>/", cached(views.PageView.as_view()), name="page"),
]
