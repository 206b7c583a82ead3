"""Admin for the page importer's runs: a read-only log, the unassigned text next to the page, and the
import screen (``import_screen``) as the add view."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from articles.people import display_name
from newsroom.admin import ReadOnlyAdminMixin

from ..models import ImportRun, Placement
from .import_screen import ImportScreenMixin


@admin.register(ImportRun)
class ImportRunAdmin(ImportScreenMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """What each import read and made, and the text it could not place (runs are history: never changed).

    Adding one is importing pages through the import screen (``ImportScreenMixin``).
    """

    list_display = (
        "created_at",
        "source",
        "edition_page",
        "user_name",
        "encoding",
        "outcome",
        "articles_created",
        "unassigned_chars",
    )
    list_filter = ("outcome", "encoding", "created_at")
    list_select_related = ("user__person", "edition", "page")
    search_fields = ("source", "sha256")
    date_hierarchy = "created_at"
    fields = (
        "source",
        "created_at",
        "user_name",
        "encoding",
        "outcome",
        "edition",
        "page_link",
        "articles_created",
        "unassigned_chars",
        "message",
        "sha256",
    )
    readonly_fields = fields

    @admin.display(description="操作人", ordering="user")
    def user_name(self, run):
        return display_name(run.user)

    @admin.display(description="期次／版面", ordering="edition__date")
    def edition_page(self, run):
        if run.edition is None:
            return "—"
        number = run.page.number if run.page else run.page_number
        return f"{run.edition.date:%Y-%m-%d} 第{number}版"

    @admin.display(description="版面")
    def page_link(self, run):
        if run.page is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:editions_page_change", args=[run.page.pk]), run.page
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The run, with the page's banner and articles beside the text the parser could not place."""
        run = self.get_object(request, object_id)
        extra_context = dict(extra_context or {})
        if run is not None:
            placements = []
            if run.page is not None:
                placements = list(
                    Placement.objects.filter(page=run.page)
                    .select_related("article", "continues_on")
                    .order_by("-is_lead", "position")
                )
            extra_context.update(
                run=run,
                unassigned_lines=[line for line in run.unassigned_text.splitlines() if line.strip()],
                placements=placements,
            )
        return super().change_view(request, object_id, form_url, extra_context)
