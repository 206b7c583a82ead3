"""Admin for editions, pages, placements and import runs."""

from django.contrib import admin

from ..models import Edition, EditionEvent, Page, Placement


class PageInline(admin.TabularInline):
    model = Page
    fields = ("number", "name", "editor", "state")
    readonly_fields = ("state",)
    extra = 0


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ("date", "number", "status", "released_at")
    list_filter = ("status",)
    date_hierarchy = "date"
    search_fields = ("number",)
    inlines = (PageInline,)


class PlacementInline(admin.TabularInline):
    model = Placement
    fk_name = "page"
    fields = ("position", "article", "is_lead", "continues_on")
    autocomplete_fields = ("article",)
    extra = 0


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ("__str__", "edition", "state", "editor")
    list_filter = ("state",)
    list_select_related = ("edition", "editor")
    search_fields = ("name",)
    inlines = (PlacementInline,)


@admin.register(EditionEvent)
class EditionEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "edition", "page", "action", "actor", "note")
    list_filter = ("action", "created_at")
    list_select_related = ("edition", "page", "actor")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
