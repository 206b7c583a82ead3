"""The newsroom's admin for articles, people, sections, columns and tags."""

import reversion
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import SEARCH_VAR
from django.db.models import Prefetch
from django.http import Http404
from django.urls import path
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from newsroom.admin_lists import IndexOrderedChangeList, LargeListMixin, YearMonthFilter

from .. import returned, search, workflow
from ..forms import ArticleForm, BylineFormSet
from ..models import Article, Byline, Photo
from ..sanitize import sanitize_body
from . import autosave, workflow_views
from .workflow_views import status_badge_html


class MoveFailed(Exception):
    """A move after an in-form save was refused; raised out of the admin's transaction to roll the save back."""

    def __init__(self, error):
        super().__init__(error.message)
        self.error = error


# Fields no form of ours carries: a POST that sets them is forged, not a mistake.
PROTECTED_FIELDS = ("status", "published_at", "submitted_at", "created_by", "updated_by")
# A searched list keeps this many stories, in its order, and counts to it (超过 N 篇 past it): four
# pages; the filters (status, section, 发布年月) narrow a common word further.
SEARCH_LIMIT = 200


class BylineInline(admin.TabularInline):
    """Ordered bylines, with autocomplete over people."""

    model = Byline
    formset = BylineFormSet
    autocomplete_fields = ("person",)
    fields = ("order", "role", "person")
    extra = 1
    min_num = 0
    ordering = ("order", "pk")


class WorkbenchFilter(admin.SimpleListFilter):
    """The review queue (oldest first), "my articles", my returned ones and the scheduled ones."""

    title = "工作台"
    parameter_name = "queue"
    # The views of the user's own stories (ArticleAdmin.get_queryset narrows to them).
    OWN = ("mine", "returned")
    # The list's title for each view (the changelist's <h1> and <title>).
    TITLES = {
        "review": "审稿队列",
        "mine": "我的稿件",
        "returned": "被退回的稿件",
        "scheduled": "定时发布的稿件",
    }

    def lookups(self, request, model_admin):
        """The four views of the workbench."""
        return (
            ("review", "审稿队列（先送先审）"),
            ("mine", "我的稿件"),
            ("returned", "我的稿件：被退回"),
            ("scheduled", "定时发布"),
        )

    def queryset(self, request, queryset):
        """Narrow the list to the chosen view.

        Every changelist query passes here (chosen or not), so this is also where each row gets its
        last move, in the same query, for the 被退回 mark.
        """
        queryset = returned.with_last_move(queryset)
        if self.value() == "review":
            return queryset.filter(status=Article.Status.REVIEW)
        if self.value() == "mine":
            return queryset  # ArticleAdmin.get_queryset starts from returned.mine for these two
        if self.value() == "returned":
            return returned.returned(queryset)
        if self.value() == "scheduled":
            return queryset.scheduled()
        return queryset


class PublishedMonthFilter(YearMonthFilter):
    """发布年月: the list's way to older stories (page links stop at a depth), an index range."""

    title = "发布年月"
    parameter_name = "published"
    field_name = "published_at"


class SearchedChangeList(IndexOrderedChangeList):
    """Tells the search the list's ordering, so that it keeps the first matches in that order."""

    def get_queryset(self, request, exclude_parameters=None):
        request.search_ordering = self.get_ordering(request, self.root_queryset)
        return super().get_queryset(request, exclude_parameters)


@admin.register(Article)
class ArticleAdmin(LargeListMixin, admin.ModelAdmin):
    """Reporters write here; editors review and publish from here.

    The list stays fast at a million stories (issue 13): never counted whole (``LargeListMixin``:
    约/超过 N 篇), every ordering and filter served by an index of ``Article.Meta.indexes``, the
    search through the public search's index, and no ``date_hierarchy`` (a DISTINCT over every
    row's date): 发布年月 instead.
    """

    form = ArticleForm
    inlines = (BylineInline,)
    fieldsets = (
        (
            "标题",
            {
                "fields": ("kicker", "headline", "subheadline", "loaded_version"),
                "classes": ("headline-stack",),
            },
        ),
        ("内容", {"fields": ("summary", "lead_photo", "body")}),
        ("归类", {"fields": ("section", "column", "tags")}),
    )
    list_display = (
        "headline_display",
        "byline_display",
        "char_count",
        "section",
        "status_badge",
        "submitted_at",
        "updated_at",
    )
    list_filter = (
        WorkbenchFilter,
        "status",
        "section",
        "column",
        PublishedMonthFilter,
        "published_at",
        "created_at",
    )
    # The search runs through the public search's index (get_search_results), over the headline
    # stack, summary and body; the admin's own icontains over these fields is never used.
    search_fields = ("kicker", "headline", "subheadline", "body")
    search_help_text = "按标题、摘要和正文中的字词查找，与网站搜索的结果一致。"
    # Only the columns an index serves can be sorted (Article.Meta.indexes).
    sortable_by = ("submitted_at", "updated_at")
    count_unit = "篇"
    list_select_related = ("section",)
    autocomplete_fields = ("section", "column", "lead_photo")
    list_per_page = 50
    actions = ("submit_selected", "publish_selected")

    class Media:
        css = {
            "all": (
                "admin_newsroom/workflow.css",
                "admin_newsroom/article_form.css",
                "admin_newsroom/autosave.css",
            )
        }
        # prose_editor_zh.js: the body editor's toolbar and dialogs in Chinese (the package has no zh).
        js = (
            "admin_newsroom/article_form.js",
            "admin_newsroom/autosave.js",
            "admin_newsroom/prose_editor_zh.js",
        )

    def get_fieldsets(self, request, obj=None):
        """The form's fieldsets; read-only (a submitted story for its reporter) shows the body formatted."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not obj.pk or workflow.can_edit(request.user, obj):
            return fieldsets
        swap = {"body": "body_formatted"}
        return [
            (
                name,
                {**options, "fields": [swap.get(f, f) for f in options["fields"] if f != "loaded_version"]},
            )
            for name, options in fieldsets
        ]

    @admin.display(description="正文")
    def body_formatted(self, obj):
        """The body as readers see it (paragraphs, subheads, photos), never its HTML source."""
        # Sanitized on every save; sanitized again here so that display never depends on that.
        return mark_safe(f'<div class="body-readonly">{sanitize_body(obj.body)}</div>')

    def get_queryset(self, request):
        """What this user may see (``visible_to``), with bylines and their people in two queries.

        Every list, change page, action and autocomplete (``/admin/autocomplete/`` for any field that
        points at Article) starts here, so a reporter never meets a colleague's unpublished story.
        """
        articles = super().get_queryset(request)
        if request.GET.get(WorkbenchFilter.parameter_name) in WorkbenchFilter.OWN and request.user.is_active:
            # His own stories are a part of what he may see (visible_to's first half): asked alone,
            # the planner starts from his few hundred ids instead of walking every visible story.
            articles = returned.mine(articles, request.user)
        else:
            articles = articles.visible_to(request.user)
        return articles.prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("person").order_by("order", "pk"))
        )

    def get_object(self, request, object_id, from_field=None):
        """The article if this user may see it, else 404: missing and hidden look the same."""
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("没有这篇稿件。")
        return obj

    def get_changelist(self, request, **kwargs):
        """The index-ordered changelist that tells the search its ordering."""
        return SearchedChangeList

    def get_search_results(self, request, queryset, search_term):
        """The first SEARCH_LIMIT + 1 stories containing the words, in the list's order; no duplicates.

        Through the public search's index and recall; never every match (a common word is in a fifth
        of the archive): the list then says 超过 SEARCH_LIMIT 篇 and the filters narrow it.
        """
        if not search_term.strip():
            return queryset, False
        # The autocomplete has no list ordering of its own: fall back on the model's, never on none
        # (order_by() of nothing would leave the capped ids, and their pages, unordered).
        ordering = (
            getattr(request, "search_ordering", None)
            or self.get_ordering(request)
            or self.model._meta.ordering
        )
        found = search.filter_queryset(queryset.order_by(*ordering), search_term, limit=SEARCH_LIMIT)
        return found, False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        """The capped paginator; a searched list counts to SEARCH_LIMIT (the search keeps no more)."""
        paginator = super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)
        if request.GET.get(SEARCH_VAR, "").strip():
            paginator.count_limit = SEARCH_LIMIT
        return paginator

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """The 题图 offered and accepted: only photos of the library this user may see."""
        if db_field.name == "lead_photo":
            kwargs["queryset"] = self.admin_site.get_model_admin(Photo).get_queryset(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_ordering(self, request):
        """The review queue oldest first; otherwise the model's ordering."""
        # The review queue is worked oldest first.
        if request.GET.get("queue") == "review":
            return ("submitted_at", "pk")
        return super().get_ordering(request)

    @admin.display(description="标题", ordering="headline")
    def headline_display(self, obj):
        """The headline stack on one line."""
        return obj.title

    @admin.display(description="署名")
    def byline_display(self, obj):
        """The bylines with their roles."""
        return "、".join(f"{b.person.name}（{b.get_role_display()}）" for b in obj.bylines.all())

    @admin.display(description="状态", ordering="status")
    def status_badge(self, obj):
        """The coloured status; scheduled ones with their time; a returned draft marked 被退回."""
        if returned.is_returned(obj):
            return format_html(
                '{} <span class="status-badge status-returned">被退回</span>', status_badge_html(obj)
            )
        return status_badge_html(obj)

    def has_change_permission(self, request, obj=None):
        """Reporters change their own drafts only; editors any article (workflow.can_edit)."""
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or workflow.can_edit(request.user, obj)

    def has_submit_permission(self, request):
        """Who may use the bulk submit action."""
        return request.user.has_perm("articles.submit_article")

    def has_publish_permission(self, request):
        """Who may use the bulk publish action."""
        return request.user.has_perm("articles.publish_article")

    # --- saving: atomic optimistic locking, a revision per save -------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """Refuse forged posts, save inside one revision, and redisplay the form on an edit conflict.

        A workflow button inside the form (``_move``) saves the form's content and then makes the move,
        in the admin's one transaction: a stale form gets the conflict screen and no move happens; a
        refused move rolls the save back too and redisplays the user's text with the reason.
        """
        move_value = request.POST.get("_move") if request.method == "POST" and object_id else None
        if request.method == "POST":
            forged = sorted(set(PROTECTED_FIELDS) & set(request.POST))
            obj = self.get_object(request, unquote(object_id)) if object_id else None
            if forged:
                workflow.record_refusal(user=request.user, article=obj, what=f"forged fields {forged}")
                return workflow_views.refused(
                    request, "表单中含有不允许直接修改的字段（如状态）：状态只能通过审稿流程改变。"
                )
            if obj is not None and not workflow.can_edit(request.user, obj):
                workflow.record_refusal(user=request.user, article=obj, what="edit")
                return workflow_views.refused(request, "您没有权限修改这篇稿件：记者只能修改自己的草稿。")
            if move_value is not None:
                key = "publish" if move_value == "schedule" else move_value
                if key not in workflow.MOVES:
                    raise Http404("没有这个操作。")
                refusal = workflow_views.refuse_move(request, obj, key)
                if refusal is not None:
                    return refusal
                request.article_move = key
        try:
            with reversion.create_revision():
                reversion.set_user(request.user)
                return super().changeform_view(request, object_id, form_url, extra_context)
        except MoveFailed as failed:
            # Saved and then refused the move: all of it was rolled back. Show the form again with
            # the user's text (the injected error keeps it from saving) and say why.
            if isinstance(failed.error, workflow.TransitionForbidden):
                return workflow_views.refused(request, failed.error.message)
            request.article_move = None
            request.article_move_error = (
                f"{failed.error.message}（操作未执行，您的修改也尚未保存，仍在下面的表单中。）"
            )
            return super().changeform_view(request, object_id, form_url, extra_context)
        except workflow.EditConflict:
            # Lost the race at the conditional UPDATE (everything rolled back): run the form again,
            # whose version check now sees the newer save and redisplays the user's text with the diff.
            try:
                return super().changeform_view(request, object_id, form_url, extra_context)
            except workflow.EditConflict as conflict:
                messages.error(request, conflict.message)
                return workflow_views.redirect_to_change(obj_id=object_id)

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The article form; after a refused move, one that redisplays the user's text with the reason."""
        form = super().get_form(request, obj, change, **kwargs)
        error = getattr(request, "article_move_error", None)
        if error:
            form = type(form.__name__, (form,), {"move_error": error})
        return form

    def response_change(self, request, obj):
        """After a save from a workflow button, make the move in the same transaction."""
        key = getattr(request, "article_move", None)
        if key is None:
            return super().response_change(request, obj)
        try:
            kwargs = workflow_views.move_kwargs(
                request.POST, key=key, article=obj, user=request.user, prefix="_move_"
            )
            workflow.MOVE_FUNCTIONS[key](**kwargs)
        except workflow.WorkflowError as error:
            raise MoveFailed(error) from error
        workflow_views.move_done_message(request, obj, key)
        return workflow_views.redirect_to_change(obj_id=obj.pk)

    def save_model(self, request, obj, form, change):
        """Create through the workflow, or claim the loaded version with a conditional UPDATE and save."""
        if not change:
            workflow.article_create(article=obj, user=request.user)
            autosave.discard_for(article=None, user=request.user)  # saved: nothing left to recover
            return
        workflow.claim_version(
            article=obj, user=request.user, expected_version=form.cleaned_data["loaded_version"]
        )
        fields = [name for name in workflow.content_fields() if name in form.fields]
        obj.save(update_fields=[*fields, "version", "updated_by", "updated_at"])
        autosave.discard_for(article=obj, user=request.user)  # saved: nothing left to recover

    def save_related(self, request, form, formsets, change):
        """Save bylines and tags, then store them with the article in this save's revision."""
        super().save_related(request, form, formsets, change)
        # Bylines and tags are saved by now: store them with the article in this save's revision.
        workflow.store_revision(form.instance, request.user, "修改稿件" if change else "新建稿件")

    # --- the workflow on the change page ------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """Add the workflow panel, the timeline and any edit conflict to the change page."""
        if obj is not None and obj.pk:
            context.update(workflow_views.panel_context(request, obj))
        context.update(autosave.change_form_context(request, obj))
        context["conflict"] = getattr(
            context.get("adminform") and context["adminform"].form, "conflict", None
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        """The move buttons, revision compare and restore, before the admin's own URLs."""
        view = self.admin_site.admin_view
        own = [
            path(
                "<path:object_id>/move/<str:move>/", view(workflow_views.move), name="articles_article_move"
            ),
            path(
                "<path:object_id>/history/compare/",
                view(workflow_views.compare),
                name="articles_article_compare",
            ),
            path(
                "<path:object_id>/history/<int:revision_id>/restore/",
                view(workflow_views.restore),
                name="articles_article_restore",
            ),
        ]
        own += [
            path("autosave/", view(autosave.store), name="articles_article_autosave_new"),
            path("autosave/discard/", view(autosave.discard), name="articles_article_autosave_new_discard"),
            path("<path:object_id>/autosave/", view(autosave.store), name="articles_article_autosave"),
            path(
                "<path:object_id>/autosave/discard/",
                view(autosave.discard),
                name="articles_article_autosave_discard",
            ),
        ]
        return own + super().get_urls()

    def history_view(self, request, object_id, extra_context=None):
        """The revision history (django-reversion) instead of the admin's log entries."""
        return workflow_views.history(request, object_id)

    # --- bulk actions: the same workflow functions, refused with 403 when forged ----------------

    def changelist_view(self, request, extra_context=None):
        """Refuse, with 403, a bulk action this user was not offered."""
        action = request.POST.get("action") if request.method == "POST" else None
        if action and action not in self.get_actions(request):
            workflow.record_refusal(user=request.user, article=None, what=f"admin action {action!r}")
            return workflow_views.refused(request, "您没有权限执行这个批量操作。")
        title = WorkbenchFilter.TITLES.get(request.GET.get(WorkbenchFilter.parameter_name), "稿件")
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    @admin.action(description="送审所选稿件", permissions=("submit",))
    def submit_selected(self, request, queryset):
        """Submit the selected drafts."""
        return workflow_views.bulk_move(request, queryset, workflow.article_submit, "送审")

    @admin.action(description="立即发布所选稿件", permissions=("publish",))
    def publish_selected(self, request, queryset):
        """Publish the selected articles now."""
        return workflow_views.bulk_move(request, queryset, workflow.article_publish, "发布")
