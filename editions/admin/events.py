"""Admin for the editions' history (``EditionEvent``): a read-only log written by the services."""

from django.contrib import admin

from articles.people import display_name
from newsroom.admin import ReadOnlyAdminMixin

from ..models import EditionEvent


@admin.register(EditionEvent)
class EditionEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The history of every edition and page: who planned, signed off, released, withdrew what."""

    list_display = ("created_at", "edition", "page", "action", "actor_name", "note")
    list_filter = ("action", "created_at")
    list_select_related = ("edition", "page", "actor__person")

    @admin.display(description="操作人", ordering="actor")
    def actor_name(self, obj):
        return display_name(obj.actor)
