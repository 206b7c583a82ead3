"""Admin for an edition: its pages, the copy of the previous page plan, release and history.

Every change of state is a button posting to a small view that calls ``editions.services``; a
refusal of the services becomes a message (``common.refusal_as_message``), a missing right a 403.
"""

from django.contrib import admin, messages
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from articles.people import display_name

from .. import services
from ..forms import EditionForm, EditionReleaseForm, PageInlineFormSet
from ..models import Edition, Page, Placement
from .board import board_urls
from .common import button_urls, format_chars, people_choices, refusal_as_message


class PageInline(admin.TabularInline):
    """The edition's pages: number, name, responsible editor; the stories are set on each page's screen."""

    model = Page
    formset = PageInlineFormSet
    fields = ("number", "name", "editor", "state", "stories", "chars", "open_link")
    readonly_fields = ("state", "stories", "chars", "open_link")
    extra = 0
    show_change_link = False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("edition", "editor__person")
            .annotate(story_count=Count("placements"), char_total=Sum("placements__article__char_count"))
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "editor":
            from django.contrib.auth import get_user_model

            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(
                    Q(groups__permissions__codename="signoff_page") | Q(is_superuser=True), is_active=True
                )
                .distinct()
                .select_related("person")
            )
            return people_choices(super().formfield_for_foreignkey(db_field, request, **kwargs))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is not None and obj.status == Edition.Status.PUBLISHED:
            return ("number", "name", "editor_name", "state", "stories", "chars", "open_link")
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "editor_name")

    @admin.display(description="责任编辑")
    def editor_name(self, obj):
        return display_name(obj.editor) if obj.editor_id else "—"

    @admin.display(description="稿件数")
    def stories(self, obj):
        return getattr(obj, "story_count", 0) if obj.pk else ""

    @admin.display(description="字数")
    def chars(self, obj):
        return format_chars(getattr(obj, "char_total", 0)) if obj.pk else ""

    @admin.display(description="编排")
    def open_link(self, obj):
        if not obj.pk:
            return "保存后可编排"
        url = reverse("admin:editions_page_change", args=[obj.pk])
        return format_html('<a class="button" href="{}">编排第{}版</a>', url, obj.number)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status == Edition.Status.PUBLISHED:
            return False
        return super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        if obj is not None and obj.status == Edition.Status.PUBLISHED:
            return False
        return super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status == Edition.Status.PUBLISHED:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    """One day's paper: its pages, the copy of yesterday's page plan, release and history."""

    form = EditionForm
    change_form_template = "admin/editions/edition/change_form.html"
    list_display = (
        "date",
        "number",
        "status",
        "page_progress",
        "chars",
        "released_at",
        "released_by_name",
        "board_link",
    )
    list_filter = ("status",)
    date_hierarchy = "date"
    search_fields = ("number",)
    inlines = (PageInline,)
    fields = ("date", "number")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                page_count=Count("pages", distinct=True),
                signed_count=Count("pages", filter=Q(pages__state=Page.State.SIGNED_OFF), distinct=True),
                # A subquery, not a second join: joined beside the pages the sum would be multiplied.
                char_total=Coalesce(
                    Subquery(
                        Placement.objects.filter(edition=OuterRef("pk"))
                        .order_by()
                        .values("edition")
                        .annotate(total=Sum("article__char_count"))
                        .values("total"),
                        output_field=IntegerField(),
                    ),
                    0,
                ),
            )
            .select_related("released_by__person")
        )

    @admin.display(description="版面签发")
    def page_progress(self, obj):
        return f"{obj.signed_count}/{obj.page_count}"

    @admin.display(description="字数", ordering="char_total")
    def chars(self, obj):
        return format_chars(obj.char_total)

    @admin.display(description="版面计划")
    def board_link(self, obj):
        url = reverse("admin:editions_edition_board", args=[obj.pk])
        return format_html('<a class="button board-link" href="{}">打开版面计划</a>', url)

    @admin.display(description="签发人", ordering="released_by")
    def released_by_name(self, obj):
        return display_name(obj.released_by) if obj.released_by_id else "—"

    def get_changeform_initial_data(self, request):
        date, number = services.propose_next_edition()
        return {"date": date, "number": number, **super().get_changeform_initial_data(request)}

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status == Edition.Status.PUBLISHED:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status == Edition.Status.PUBLISHED:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            services.edition_create(user=request.user, date=obj.date, number=obj.number, edition=obj)

    def save_formset(self, request, form, formset, change):
        """The edition's pages: changes to an existing page go through ``services.page_update``.

        So renaming or renumbering a proofread page sends it back to 编排中 like any other change.
        """
        if not isinstance(formset, PageInlineFormSet):
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        with refusal_as_message(request, "未能保存版面：", rollback=True):
            for page in formset.deleted_objects:
                page.delete()
            for page, changed in formset.changed_objects:
                changes = {name: getattr(page, name) for name in changed if name in services.PAGE_FIELDS}
                services.page_update(page=page, user=request.user, changes=changes)
            for page in formset.new_objects:
                page.edition = form.instance
                page.save()

    def get_urls(self):
        return [
            *button_urls(
                self,
                ("<path:object_id>/copy-plan/", self.copy_plan_view, "editions_edition_copy_plan"),
                ("<path:object_id>/release/", self.release_view, "editions_edition_release"),
            ),
            *board_urls(self),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        edition = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if edition is not None:
            problems, _offenders = services.release_problems(edition)
            extra.update(
                edition_obj=edition,
                previous_edition=services.previous_edition(edition),
                can_copy_plan=edition.status == Edition.Status.PLANNING
                and request.user.has_perm("editions.add_page"),
                can_release=edition.status == Edition.Status.PLANNING
                and request.user.has_perm(services.RELEASE_PERM),
                release_problems=problems,
                release_form=EditionReleaseForm(edition=edition),
                history=edition.events.select_related("actor__person", "page").order_by("-created_at", "-pk")[
                    :50
                ],
                char_total=Placement.objects.filter(edition=edition).aggregate(
                    total=Coalesce(Sum("article__char_count"), 0)
                )["total"],
            )
        return super().change_view(request, object_id, form_url, extra)

    def _back(self, edition):
        return HttpResponseRedirect(reverse("admin:editions_edition_change", args=[edition.pk]))

    def copy_plan_view(self, request, object_id):
        """Copy the previous edition's page plan into this one."""
        edition = get_object_or_404(Edition, pk=object_id)
        with refusal_as_message(request):
            made = services.edition_copy_page_plan(edition=edition, user=request.user)
            messages.success(request, f"已复制上一期的版面计划，新增{len(made)}个版面。")
        return self._back(edition)

    def release_view(self, request, object_id):
        """Release (or schedule) the edition; only 值班主任 gets past the service's permission check."""
        edition = get_object_or_404(Edition, pk=object_id)
        form = EditionReleaseForm(request.POST, edition=edition)
        if not request.user.has_perm(services.RELEASE_PERM):
            # The service records the refusal and raises EditionForbidden (a PermissionDenied: 403).
            services.edition_release(edition=edition, user=request.user)
        if not form.is_valid():
            messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
            return self._back(edition)
        with refusal_as_message(request, "未能出版："):
            edition = services.edition_release(edition=edition, user=request.user, when=form.release_time())
            when = timezone.localtime(edition.released_at)
            if edition.is_released:
                messages.success(request, f"{edition}已出版（{when:%Y-%m-%d %H:%M}）。")
            else:
                messages.success(request, f"{edition}将于{when:%Y-%m-%d %H:%M}定时出版，届时读者可见。")
        return self._back(edition)
