"""Admin for one page: its stories in order (saved through ``services.page_save_placements`` under the
page lock), its responsible editor and image, proofreading, sign-off and reopening.
"""

from django.contrib import admin, messages
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html_join

from articles.people import display_name

from .. import services
from ..forms import PageForm, PageReopenForm, PlacementInlineFormSet
from ..models import Edition, Page, Placement
from ..page_images import PageImageField
from .common import button_urls, editable, format_chars, people_choices, refusal_as_message
from .placements import PlaceableArticleAutocomplete, PlacementInline

# The ↑/↓ buttons: the step on the page and the word the message uses.
MOVE_STEPS = {"up": (-1, "上移"), "down": (+1, "下移")}
# The page's state buttons: the service and the message when done.
STATE_MOVES = {
    "proofread": (services.page_proofread, "第{}版已校对。"),
    "sign-off": (services.page_sign_off, "第{}版已签发，现为只读。"),
    "reopen": (services.page_reopen, "第{}版已重新打开，可以修改。"),
}


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    """One page: its stories in order, its responsible editor, proofreading and sign-off."""

    form = PageForm
    change_form_template = "admin/editions/page/change_form.html"
    list_display = ("__str__", "edition", "state", "editor_name", "chars")
    list_filter = ("state",)
    list_select_related = ("edition", "editor__person")
    search_fields = ("name",)
    inlines = (PlacementInline,)
    fields = (
        "edition",
        "number",
        "name",
        "editor",
        "image",
        "image_status",
        "state",
        "signer",
        "chars",
        "continued_here",
        "page_version",
        "page_plan",
    )
    readonly_fields = ("image_status", "state", "signer", "chars", "continued_here")

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is None:
            return [f for f in fields if f not in ("page_version", "page_plan")]
        if not editable(obj) or not self.has_change_permission(request, obj):
            # Read-only: the version token is moot, and the editor is shown by name, not as a login link.
            fields = [
                "editor_name" if f == "editor" else f
                for f in fields
                if f not in ("page_version", "page_plan")
            ]
        return fields

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ("edition", *self.readonly_fields, "editor_name")
        return self.readonly_fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "editor":
            formfield.queryset = formfield.queryset.select_related("person")
            return people_choices(formfield)
        return formfield

    @admin.display(description="责任编辑", ordering="editor")
    def editor_name(self, obj):
        return display_name(obj.editor) if obj.editor_id else "—"

    @admin.display(description="签发人")
    def signer(self, obj):
        if not obj or not obj.signed_off_by_id:
            return "—"
        when = timezone.localtime(obj.signed_off_at) if obj.signed_off_at else None
        return f"{display_name(obj.signed_off_by)}" + (f"（{when:%Y-%m-%d %H:%M}）" if when else "")

    @admin.display(description="版面图状态")
    def image_status(self, obj):
        """Where the background worker stands with the last uploaded page file (a PDF is rendered there)."""
        if not obj or not obj.image_state:
            return "—"
        if obj.image_state == Page.ImageState.FAILED:
            return f"{obj.get_image_state_display()}：{obj.image_error}"
        if obj.image_state == Page.ImageState.PENDING:
            return "生成中：上传的版面 PDF 正在后台转换为版面图，稍后刷新查看。"
        return obj.get_image_state_display()

    @admin.display(description="字数", ordering="char_total")
    def chars(self, obj):
        if not obj or not obj.pk:
            return ""
        total = getattr(obj, "char_total", None)
        if total is None:
            total = obj.placements.aggregate(total=Sum("article__char_count"))["total"]
        return format_chars(total)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # The page image is checked like photos, and a PDF is rendered to an image (page_images.py).
        if db_field.name == "image":
            return PageImageField()
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("edition", "editor__person", "signed_off_by__person")
            .annotate(char_total=Coalesce(Sum("placements__article__char_count"), 0))
        )

    def get_inlines(self, request, obj):
        # Stories are placed once the page exists (its jump choices depend on its edition).
        return self.inlines if obj is not None else ()

    @admin.display(description="上接")
    def continued_here(self, obj):
        if not obj or not obj.pk:
            return ""
        rows = [
            (services.jump_from_label(p), p.article.title)
            for p in services.continued_from(obj, published_only=False)
        ]
        if not rows:
            return "—"
        return format_html_join("", "<div>{}：{}</div>", rows)

    def has_change_permission(self, request, obj=None):
        return editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return editable(obj) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        """A new page is created as is; changes to a page go through ``services.page_update``."""
        if not change:
            return super().save_model(request, obj, form, change)
        changes = {name: getattr(obj, name) for name in form.changed_data if name in services.PAGE_FIELDS}
        # The form's check holds the page lock, so a refusal here is rare (SQLite takes no row locks).
        with refusal_as_message(request, "未能保存：", rollback=True) as refusal:
            page = services.page_update(
                page=obj,
                user=request.user,
                changes=changes,
                version=form.cleaned_data.get("page_version"),
                loaded=form.cleaned_data.get("page_plan"),
            )
            obj.version, obj.state, obj.image = page.version, page.state, page.image
        form.refused = refusal.error is not None

    def save_formset(self, request, form, formset, change):
        if not isinstance(formset, PlacementInlineFormSet):
            return super().save_formset(request, form, formset, change)
        if getattr(form, "refused", False):
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            return
        rows, removed = formset.rows()
        # Refused when something changed since the screen was checked (a colleague signed the page
        # off): nothing of this save is kept, and the message says why.
        with refusal_as_message(request, "未能保存：", rollback=True):
            services.page_save_placements(
                page=form.instance,
                user=request.user,
                rows=rows,
                removed=removed,
                version=form.instance.version if "page_version" in form.cleaned_data else None,
            )
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "article-autocomplete/",
                wrap(PlaceableArticleAutocomplete.as_view(admin_site=self.admin_site)),
                name="editions_page_article_autocomplete",
            ),
            *button_urls(
                self,
                (
                    "<path:object_id>/move/<int:placement_id>/<str:direction>/",
                    self.move_view,
                    "editions_page_move",
                ),
                ("<path:object_id>/state/<str:action>/", self.state_view, "editions_page_state"),
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        page = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if page is not None:
            editing = page.edition.status == Edition.Status.PLANNING
            may = request.user.has_perm(services.SIGNOFF_PERM) and editing
            extra.update(
                page_obj=page,
                can_proofread=may and page.state == Page.State.PLANNING,
                can_sign_off=may and page.state == Page.State.PROOFREAD,
                can_reopen=may and page.state != Page.State.PLANNING,
                reopen_form=PageReopenForm(),
                edition_url=reverse("admin:editions_edition_change", args=[page.edition_id]),
            )
        return super().change_view(request, object_id, form_url, extra)

    def _back(self, page):
        return HttpResponseRedirect(reverse("admin:editions_page_change", args=[page.pk]))

    def move_view(self, request, object_id, placement_id, direction):
        """Move one story up or down (the ↑/↓ buttons); another direction is no page (404)."""
        if direction not in MOVE_STEPS:
            raise Http404("没有这种调整方式。")
        step, word = MOVE_STEPS[direction]
        page = get_object_or_404(Page.objects.select_related("edition"), pk=object_id)
        placement = get_object_or_404(
            Placement.objects.select_related("page__edition", "article"), pk=placement_id, page=page
        )
        with refusal_as_message(request):
            services.placement_move(placement=placement, user=request.user, step=step)
            messages.success(
                request, f"已将《{placement.article.headline}》{word}。未保存的其他修改需重新填写。"
            )
        return self._back(page)

    def state_view(self, request, object_id, action):
        """Proofread, sign off or reopen the page; another action is no page (404)."""
        if action not in STATE_MOVES:
            raise Http404("没有这种版面操作。")
        service, done = STATE_MOVES[action]
        page = get_object_or_404(Page.objects.select_related("edition"), pk=object_id)
        kwargs = {"page": page, "user": request.user}
        if action == "reopen":
            form = PageReopenForm(request.POST)
            kwargs["note"] = form.cleaned_data["note"] if form.is_valid() else ""
        with refusal_as_message(request):
            service(**kwargs)
            messages.success(request, done.format(page.number))
        return self._back(page)
