"""The admin for what stories are filed under and by: people, sections, columns, tags."""

from django.contrib import admin

from ..models import Column, Person, Section, Tag


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """People who can stand in a byline; correspondents need no account."""

    list_display = ("name", "user", "created_at")
    search_fields = ("name",)
    autocomplete_fields = ("user",)
    fields = ("name", "user", "bio")


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position")
    list_editable = ("position",)
    search_fields = ("name", "slug")


@admin.register(Column)
class ColumnAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "section", "is_active")
    list_filter = ("is_active", "section")
    search_fields = ("name", "slug")
    autocomplete_fields = ("writers",)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
