"""The newsroom's admin for articles, people, sections, columns and tags."""

from django.contrib import admin
from django.db.models import Prefetch
from django.utils.html import format_html

from .. import workflow
from ..forms import ArticleForm, BylineFormSet
from ..models import Article, ArticleEvent, Byline, Column, Person, Section, Tag

admin.site.site_header = "Newsroom 采编系统"
admin.site.site_title = "Newsroom 采编系统"
admin.site.index_title = "采编工作台"


class BylineInline(admin.TabularInline):
    """Ordered bylines, with autocomplete over people."""

    model = Byline
    formset = BylineFormSet
    autocomplete_fields = ("person",)
    fields = ("order", "role", "person")
    extra = 1
    min_num = 0
    ordering = ("order", "pk")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """Reporters write here; editors review and publish from here."""

    form = ArticleForm
    inlines = (BylineInline,)
    fieldsets = (
        ("标题", {"fields": ("kicker", "headline", "subheadline"), "classes": ("headline-stack",)}),
        ("内容", {"fields": ("summary", "body")}),
        ("归类", {"fields": ("section", "column", "tags")}),
    )
    list_display = ("headline_display", "byline_display", "section", "status_badge", "updated_at")
    list_filter = ("status", "section", "column", "published_at", "created_at")
    search_fields = ("kicker", "headline", "subheadline", "body")
    date_hierarchy = "created_at"
    list_select_related = ("section",)
    autocomplete_fields = ("section", "column")
    list_per_page = 50

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("bylines", queryset=Byline.objects.select_related("person").order_by("order", "pk"))
            )
        )

    @admin.display(description="标题", ordering="headline")
    def headline_display(self, obj):
        return obj.title

    @admin.display(description="署名")
    def byline_display(self, obj):
        return "、".join(f"{b.person.name}（{b.role}）" for b in obj.bylines.all())

    @admin.display(description="状态", ordering="status")
    def status_badge(self, obj):
        label = obj.get_status_display()
        if obj.is_scheduled:
            label = f"定时 {obj.published_at:%m-%d %H:%M}"
        return format_html('<span class="status-badge status-{}">{}</span>', obj.status, label)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or workflow.can_edit(request.user, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


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


@admin.register(ArticleEvent)
class ArticleEventAdmin(admin.ModelAdmin):
    """The newsroom-wide log of workflow moves, filterable by person and date."""

    list_display = ("created_at", "actor", "action", "article", "from_status", "to_status", "note")
    list_filter = ("action", "actor", "created_at")
    date_hierarchy = "created_at"
    list_select_related = ("actor", "article")
    search_fields = ("article__headline", "note")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
