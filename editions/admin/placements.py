"""Admin for the stories on a page: the page screen's story list, the story picker, and the placement
links Django shows when a placed article's deletion is refused.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from articles.bylines import byline_line
from articles.models import Article, Byline

from .. import services
from ..forms import PlacementForm, PlacementInlineFormSet
from ..models import Placement
from .common import editable, format_chars


class PlaceableArticleAutocomplete(AutocompleteJsonView):
    """Autocomplete for stories to place: in review or published, by title, byline or section."""

    def get_queryset(self):
        qs = (
            Article.objects.visible_to(self.request.user)
            .filter(status__in=services.PLACEABLE)
            .select_related("section")
            .with_bylines()
            .order_by("-updated_at", "-pk")
        )
        term = (self.term or "").strip()
        if term:
            qs = qs.filter(
                Q(headline__icontains=term)
                | Q(kicker__icontains=term)
                | Q(subheadline__icontains=term)
                | Q(bylines__person__name__icontains=term)
                | Q(section__name__icontains=term)
            ).distinct()
        return qs

    def serialize_result(self, obj, to_field_name):
        byline = byline_line(obj.bylines.all())
        text = f"{obj.title}（{obj.get_status_display()}·{obj.section.name}）"
        return {"id": str(obj.pk), "text": f"{text} {byline}".strip()}


class PlaceableArticleSelect(AutocompleteSelect):
    """Select2 autocomplete pointing at ``PlaceableArticleAutocomplete``."""

    def get_url(self):
        return reverse("admin:editions_page_article_autocomplete")


class PlacementInline(admin.TabularInline):
    """The page's stories in order, with status and bylines (prefetched, no query per row)."""

    model = Placement
    fk_name = "page"
    form = PlacementForm
    formset = PlacementInlineFormSet
    fields = ("position", "move", "article", "status", "bylines", "chars", "is_lead", "continues_on")
    readonly_fields = ("move", "status", "bylines", "chars")
    extra = 1

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("article__section", "continues_on", "page__edition")
            .prefetch_related(
                Prefetch(
                    "article__bylines",
                    queryset=Byline.objects.select_related("person").order_by("order", "pk"),
                )
            )
            .order_by("position", "pk")
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            kwargs["widget"] = PlaceableArticleSelect(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("article", "continues_on") and formfield is not None:
            # Articles are written on their own screen and pages on the edition's: no +/✎/× here.
            for attr in ("can_add_related", "can_change_related", "can_delete_related", "can_view_related"):
                setattr(formfield.widget, attr, False)
        return formfield

    # A signed-off page shows its stories read-only; the lead column says 头条 or nothing.
    read_only_fields = ("position", "story", "status", "bylines", "chars", "lead", "jump")

    def get_readonly_fields(self, request, obj=None):
        if not editable(obj):
            return self.read_only_fields
        return self.readonly_fields

    def get_fields(self, request, obj=None):
        if not editable(obj):
            return self.read_only_fields
        return self.fields

    @admin.display(description="头条")
    def lead(self, obj):
        return "头条" if obj.is_lead else ""

    @admin.display(description="字数")
    def chars(self, obj):
        return format_chars(obj.article.char_count) if obj.pk else ""

    @admin.display(description="下转")
    def jump(self, obj):
        return services.jump_to_label(obj) or "—"

    @admin.display(description="调整")
    def move(self, obj):
        if not obj.pk or not editable(obj.page):
            return ""
        up = reverse("admin:editions_page_move", args=[obj.page_id, obj.pk, "up"])
        down = reverse("admin:editions_page_move", args=[obj.page_id, obj.pk, "down"])
        return format_html(
            '<button type="submit" formaction="{}" title="上移" aria-label="上移 {}">↑</button> '
            '<button type="submit" formaction="{}" title="下移" aria-label="下移 {}">↓</button>',
            up,
            obj.article.headline,
            down,
            obj.article.headline,
        )

    @admin.display(description="稿件")
    def story(self, obj):
        if not obj.pk:
            return ""
        url = reverse("admin:articles_article_change", args=[obj.article_id])
        jump = services.jump_to_label(obj)
        return format_html('<a href="{}">{}</a>{}', url, obj.article.title, f"（{jump}）" if jump else "")

    @admin.display(description="状态")
    def status(self, obj):
        if not obj.pk:
            return ""
        article = obj.article
        label = article.get_status_display()
        if article.is_scheduled:
            label = f"定时 {timezone.localtime(article.published_at):%m-%d %H:%M}"
        return format_html('<span class="status-badge status-{}">{}</span>', article.status, label)

    @admin.display(description="署名")
    def bylines(self, obj):
        return byline_line(obj.article.bylines.all()) if obj.pk else ""

    def has_add_permission(self, request, obj=None):
        return editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return editable(obj) and super().has_delete_permission(request, obj)


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    """Not in the menu: gives protected-object lists (refused deletions) a link to the page screen.

    Django lists a placed article's placements when its deletion is refused; each links here and
    lands on the page screen, where stories are removed through the services (page lock, sign-off).
    The delete permission stays the default so that refusal page names the protection, not a
    missing permission.
    """

    def get_model_perms(self, request):
        return {}

    def _to_page(self, request, object_id):
        # get_object() validates the id (a hostile /placement/abc/change/ is a 404, not a ValueError).
        placement = self.get_object(request, unquote(object_id))
        if placement is None:
            raise Http404("没有这个版面安排。")
        return HttpResponseRedirect(reverse("admin:editions_page_change", args=[placement.page_id]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return self._to_page(request, object_id)

    def delete_view(self, request, object_id, extra_context=None):
        return self._to_page(request, object_id)

    def changelist_view(self, request, extra_context=None):
        return HttpResponseRedirect(reverse("admin:editions_edition_changelist"))

    def has_add_permission(self, request):
        return False
