"""Admin for the page importer's runs."""

from django.contrib import admin

from ..models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """What each import read and made, and the text it could not place."""

    list_display = ("created_at", "source", "user", "encoding", "outcome", "articles_created", "unassigned_chars")
    list_filter = ("outcome", "created_at")
    list_select_related = ("user",)
    search_fields = ("source",)

    def has_add_permission(self, request):
        return False
