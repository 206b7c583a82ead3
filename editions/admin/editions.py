"""Admin for editions and their pages: assembling, signing off and releasing the daily paper.

Every change of state is a button posting to a small view that calls ``editions.services``; the
page screen's story list is saved through ``services.page_save_placements`` so that order, lead
and jumps are written under the page lock.
"""

from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from articles.bylines import byline_line
from articles.models import Article, Byline
from articles.people import display_name

from .. import services
from ..forms import (
    EditionForm,
    EditionReleaseForm,
    PageForm,
    PageInlineFormSet,
    PageReopenForm,
    PlacementForm,
    PlacementInlineFormSet,
)
from ..models import Edition, EditionEvent, Page, Placement
from ..page_images import PageImageField


def _editable(page):
    return page is None or (
        page.state != Page.State.SIGNED_OFF and page.edition.status == Edition.Status.PLANNING
    )


def _people_choices(formfield):
    """Show people in a user select by their real name, never the login name."""
    if formfield is not None and hasattr(formfield, "label_from_instance"):
        formfield.label_from_instance = display_name
    return formfield


def _chars(value):
    return f"{value or 0:,}".replace(",", "")


def _only_post(view):
    def wrapped(request, *args, **kwargs):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return view(request, *args, **kwargs)

    return wrapped


# --- edition screen -------------------------------------------------------------------------------


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
            return _people_choices(super().formfield_for_foreignkey(db_field, request, **kwargs))
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
        return _chars(getattr(obj, "char_total", 0)) if obj.pk else ""

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
    list_display = ("date", "number", "status", "page_progress", "chars", "released_at", "released_by_name")
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
        return _chars(obj.char_total)

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
        try:
            for page in formset.deleted_objects:
                page.delete()
            for page, changed in formset.changed_objects:
                changes = {name: getattr(page, name) for name in changed if name in services.PAGE_FIELDS}
                services.page_update(page=page, user=request.user, changes=changes)
            for page in formset.new_objects:
                page.edition = form.instance
                page.save()
        except services.EditionForbidden:
            raise
        except services.EditionError as exc:
            transaction.set_rollback(True)
            messages.error(request, f"未能保存版面：{exc.message}")

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/copy-plan/",
                wrap(_only_post(self.copy_plan_view)),
                name="editions_edition_copy_plan",
            ),
            path(
                "<path:object_id>/release/",
                wrap(_only_post(self.release_view)),
                name="editions_edition_release",
            ),
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
        try:
            made = services.edition_copy_page_plan(edition=edition, user=request.user)
        except services.EditionForbidden:
            raise
        except services.EditionError as exc:
            messages.error(request, exc.message)
        else:
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
        try:
            edition = services.edition_release(edition=edition, user=request.user, when=form.release_time())
        except services.EditionForbidden:
            raise
        except services.EditionError as exc:
            messages.error(request, f"未能出版：{exc.message}")
            return self._back(edition)
        when = timezone.localtime(edition.released_at)
        if edition.is_released:
            messages.success(request, f"{edition}已出版（{when:%Y-%m-%d %H:%M}）。")
        else:
            messages.success(request, f"{edition}将于{when:%Y-%m-%d %H:%M}定时出版，届时读者可见。")
        return self._back(edition)


# --- page screen ----------------------------------------------------------------------------------


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
        if not _editable(obj):
            return self.read_only_fields
        return self.readonly_fields

    def get_fields(self, request, obj=None):
        if not _editable(obj):
            return self.read_only_fields
        return self.fields

    @admin.display(description="头条")
    def lead(self, obj):
        return "头条" if obj.is_lead else ""

    @admin.display(description="字数")
    def chars(self, obj):
        return _chars(obj.article.char_count) if obj.pk else ""

    @admin.display(description="下转")
    def jump(self, obj):
        return services.jump_to_label(obj) or "—"

    @admin.display(description="调整")
    def move(self, obj):
        if not obj.pk or not _editable(obj.page):
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
        return _editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _editable(obj) and super().has_delete_permission(request, obj)


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
        "state",
        "signer",
        "chars",
        "continued_here",
        "page_version",
        "page_plan",
    )
    readonly_fields = ("state", "signer", "chars", "continued_here")

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is None:
            return [f for f in fields if f not in ("page_version", "page_plan")]
        if not _editable(obj) or not self.has_change_permission(request, obj):
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
            return _people_choices(formfield)
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

    @admin.display(description="字数", ordering="char_total")
    def chars(self, obj):
        if not obj or not obj.pk:
            return ""
        total = getattr(obj, "char_total", None)
        if total is None:
            total = obj.placements.aggregate(total=Sum("article__char_count"))["total"]
        return _chars(total)

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
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _editable(obj) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        """A new page is created as is; changes to a page go through ``services.page_update``."""
        if not change:
            return super().save_model(request, obj, form, change)
        changes = {name: getattr(obj, name) for name in form.changed_data if name in services.PAGE_FIELDS}
        try:
            page = services.page_update(
                page=obj,
                user=request.user,
                changes=changes,
                version=form.cleaned_data.get("page_version"),
                loaded=form.cleaned_data.get("page_plan"),
            )
        except services.EditionForbidden:
            raise
        except services.EditionError as exc:
            # The form's check holds the page lock, so this is rare (SQLite takes no row locks).
            transaction.set_rollback(True)
            messages.error(request, f"未能保存：{exc.message}")
            form.refused = True
            return
        obj.version, obj.state, obj.image = page.version, page.state, page.image

    def save_formset(self, request, form, formset, change):
        if not isinstance(formset, PlacementInlineFormSet):
            return super().save_formset(request, form, formset, change)
        if getattr(form, "refused", False):
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            return
        rows, removed = formset.rows()
        try:
            services.page_save_placements(
                page=form.instance,
                user=request.user,
                rows=rows,
                removed=removed,
                version=form.instance.version if "page_version" in form.cleaned_data else None,
            )
        except services.EditionForbidden:
            raise
        except services.EditionError as exc:
            # Something changed since the screen was checked (a colleague signed the page off):
            # keep nothing of this save and say why.
            transaction.set_rollback(True)
            messages.error(request, f"未能保存：{exc.message}")
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "article-autocomplete/",
                wrap(PlaceableArticleAutocomplete.as_view(admin_site=self.admin_site)),
                name="editions_page_article_autocomplete",
            ),
            path(
                "<path:object_id>/move/<int:placement_id>/<str:direction>/",
                wrap(_only_post(self.move_view)),
                name="editions_page_move",
            ),
            path(
                "<path:object_id>/state/<str:action>/",
                wrap(_only_post(self.state_view)),
                name="editions_page_state",
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
        """Move one story up or down (the ↑/↓ buttons)."""
        page = get_object_or_404(Page.objects.select_related("edition"), pk=object_id)
        placement = get_object_or_404(
            Placement.objects.select_related("page__edition", "article"), pk=placement_id, page=page
        )
        step = {"up": -1, "down": +1}.get(direction)
        if step is None:
            return HttpResponseNotAllowed(["POST"])
        try:
            services.placement_move(placement=placement, user=request.user, step=step)
        except services.EditionForbidden:
            raise
        except services.EditionError as exc:
            messages.error(request, exc.message)
        else:
            word = "上移" if step < 0 else "下移"
            messages.success(
                request, f"已将《{placement.article.headline}》{word}。未保存的其他修改需重新填写。"
            )
        return self._back(page)

    def state_view(self, request, object_id, action):
        """Proofread, sign off or reopen the page."""
        page = get_object_or_404(Page.objects.select_related("edition"), pk=object_id)
        moves = {
            "proofread": (services.page_proofread, "第{}版已校对。"),
            "sign-off": (services.page_sign_off, "第{}版已签发，现为只读。"),
            "reopen": (services.page_reopen, "第{}版已重新打开，可以修改。"),
        }
        if action not in moves:
            return HttpResponseNotAllowed(["POST"])
        service, done = moves[action]
        kwargs = {"page": page, "user": request.user}
        if action == "reopen":
            form = PageReopenForm(request.POST)
            kwargs["note"] = form.cleaned_data["note"] if form.is_valid() else ""
        try:
            service(**kwargs)
        except services.EditionForbidden:
            raise
        except services.EditionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done.format(page.number))
        return self._back(page)


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

    def _to_page(self, object_id):
        placement = get_object_or_404(Placement, pk=object_id)
        return HttpResponseRedirect(reverse("admin:editions_page_change", args=[placement.page_id]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return self._to_page(object_id)

    def delete_view(self, request, object_id, extra_context=None):
        return self._to_page(object_id)

    def changelist_view(self, request, extra_context=None):
        return HttpResponseRedirect(reverse("admin:editions_edition_changelist"))

    def has_add_permission(self, request):
        return False


@admin.register(EditionEvent)
class EditionEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "edition", "page", "action", "actor_name", "note")
    list_filter = ("action", "created_at")
    list_select_related = ("edition", "page", "actor__person")

    @admin.display(description="操作人", ordering="actor")
    def actor_name(self, obj):
        return display_name(obj.actor)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


__all__ = ["EditionAdmin", "PageAdmin", "PlacementAdmin", "EditionEventAdmin", "Edition"]
