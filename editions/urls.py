"""Public URLs of the e-paper."""

from django.urls import path, register_converter

from . import views


class IsoDateConverter:
    """A YYYY-MM-DD date in a URL; an impossible date is a 404, not a 500."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        import datetime

        try:
            return datetime.date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(value) from exc

    def to_url(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)


register_converter(IsoDateConverter, "isodate")

app_name = "editions"

urlpatterns = [
    path("", views.LatestEditionView.as_view(), name="latest"),
    path("<isodate:date>/", views.EditionView.as_view(), name="edition"),
    path("<isodate:date>/<int:number>/", views.PageView.as_view(), name="page"),
]
