"""Forms of the edition screens: their checks say in Chinese what to fix; the changes go through services."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from . import services
from .models import Edition, Page, Placement
from .services import plans


class EditionForm(forms.ModelForm):
    """Date and number of an edition, refused with a helpful message when already taken."""

    class Meta:
        model = Edition
        fields = ("date", "number")

    def validate_unique(self):
        # Our own messages below replace Django's generic "already exists".
        return

    def clean(self):
        cleaned = super().clean()
        problems = services.edition_problems(
            date=cleaned.get("date"), number=cleaned.get("number"), exclude_pk=self.instance.pk
        )
        for field, message in problems.items():
            self.add_error(field, message)
        return cleaned


class PageInlineFormSet(BaseInlineFormSet):
    """An edition's pages: numbers used once, signed-off pages untouched, jump targets kept."""

    def validate_unique(self):
        # Replaced by clean(), which names the duplicate page number.
        return

    def clean(self):
        super().clean()
        numbers = {}
        # Errors on a form marked for deletion are ignored by Django: those go to the formset.
        refusals = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            page = form.instance
            deleting = self.can_delete and self._should_delete_form(form)
            if page.pk and page.state == Page.State.SIGNED_OFF and (form.has_changed() or deleting):
                refusals.append(f"第{page.number}版已签发，不能修改或删除；请先在版面页面“重新打开”。")
            if deleting:
                jumps = Placement.objects.filter(continues_on=page).exclude(page=page).select_related("page")
                sources = "、".join(sorted({f"第{p.page.number}版" for p in jumps})) if page.pk else ""
                if sources:
                    refusals.append(f"{sources}有稿件“下转”第{page.number}版，请先改掉这些下转再删除本版。")
                continue
            number = form.cleaned_data.get("number")
            if number is None:
                continue
            if number in numbers:
                form.add_error("number", f"第{number}版重复了：同一期的版次只能用一次，请改用其他版次。")
            numbers[number] = form
        if refusals:
            raise ValidationError(refusals)


class PageForm(forms.ModelForm):
    """A page on its own screen: its number used once in the edition, and saved only if still current.

    ``page_version`` and ``page_plan`` carry the page as it was loaded; when someone changed the page
    since, the save is refused naming who changed what, and the submitted form is shown again with
    the current version, so saving once more (after checking) applies it.
    """

    page_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    page_plan = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Page
        fields = ("edition", "number", "name", "editor")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["page_version"].initial = self.instance.version
            self.fields["page_plan"].initial = plans.dumps(plans.snapshot(self.instance))

    def validate_unique(self):
        # clean() names the duplicate page number instead of Django's generic message.
        return

    def check_current(self):
        """Lock the page (for the rest of the request's transaction) and refuse a stale form."""
        version = self.cleaned_data.get("page_version")
        if not self.instance.pk or version is None:
            return
        try:
            services.page_check_fresh(
                page=self.instance, version=version, loaded=self.cleaned_data.get("page_plan")
            )
        except services.PageConflict as conflict:
            # Shown again with the current version: the editor checks, then saves on purpose.
            page = Page.objects.get(pk=self.instance.pk)
            self.data = self.data.copy()
            self.data[self.add_prefix("page_version")] = str(page.version)
            self.data[self.add_prefix("page_plan")] = plans.dumps(plans.snapshot(page))
            raise ValidationError(
                f"{conflict.message}您提交的内容尚未保存，已保留在下方：请核对后再次保存（将以您的内容为准）。",
                code="conflict",
            ) from None
        except services.EditionError as exc:
            raise ValidationError(exc.message) from None

    def clean(self):
        cleaned = super().clean()
        self.check_current()
        edition = cleaned.get("edition") or (self.instance.edition if self.instance.edition_id else None)
        number = cleaned.get("number")
        if edition is not None and number is not None:
            problem = services.page_number_problem(
                edition=edition, number=number, exclude_pk=self.instance.pk
            )
            if problem:
                self.add_error("number", problem)
        return cleaned


class EditionReleaseForm(forms.Form):
    """Release now, or at a chosen time (06:00 on the edition's date by default)."""

    MODE_NOW = "now"
    MODE_SCHEDULED = "scheduled"

    mode = forms.ChoiceField(
        label="出版方式",
        choices=[(MODE_NOW, "立即出版"), (MODE_SCHEDULED, "定时出版")],
        widget=forms.RadioSelect,
        initial=MODE_SCHEDULED,
    )
    when = forms.DateTimeField(
        label="定时出版时间",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="定时出版时，报纸和其中的稿件到这一时间才对读者可见。",
    )

    def __init__(self, *args, edition=None, **kwargs):
        super().__init__(*args, **kwargs)
        if edition is not None and not self.is_bound:
            default = timezone.localtime(services.default_release_time(edition))
            if default <= timezone.localtime():
                self.fields["mode"].initial = self.MODE_NOW
            self.fields["when"].initial = default

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("mode") == self.MODE_SCHEDULED and not cleaned.get("when"):
            self.add_error("when", "选择了定时出版，请填写出版时间。")
        return cleaned

    def release_time(self):
        """The chosen time, or None for now."""
        return self.cleaned_data["when"] if self.cleaned_data["mode"] == self.MODE_SCHEDULED else None


class PageReopenForm(forms.Form):
    """Why a signed-off page is opened again (kept in the edition's history)."""

    note = forms.CharField(label="重新打开的原因", max_length=500, required=False)


class PlacedArticleInput(forms.HiddenInput):
    """A placed story: its id kept in a hidden input, its title shown in the same table cell."""

    def __init__(self, *, label="", url="", attrs=None):
        super().__init__(attrs)
        self.label, self.url = label, url

    @property
    def is_hidden(self):
        # Rendered in its own column of the tabular inline, so the columns stay aligned.
        return False

    def render(self, name, value, attrs=None, renderer=None):
        hidden = super().render(name, value, attrs, renderer)
        return format_html('{}<a href="{}">{}</a>', hidden, self.url, self.label)


class PlacementForm(forms.ModelForm):
    """One story on a page. Position may stay empty for a new story: it then goes last."""

    class Meta:
        model = Placement
        fields = ("position", "article", "is_lead", "continues_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "position" in self.fields:
            self.fields["position"].required = False
            self.fields["position"].widget.attrs.update({"min": 1, "style": "width: 4em"})
        if "continues_on" in self.fields:
            self.fields["continues_on"].error_messages["invalid_choice"] = (
                "所选的下转版面不存在，请从本期的其他版面中选择，或选“不下转”。"
            )
        if "article" in self.fields:
            self.fields["article"].error_messages["invalid_choice"] = (
                "所选稿件不存在（可能已被删除），请重新选择。"
            )
        if self.instance.pk and "article" in self.fields:
            # A placed story is not swapped for another (remove it and add the new one); a hidden
            # input also spares the autocomplete widget's query per row.
            article = self.instance.article
            self.fields["article"].widget = PlacedArticleInput(
                label=article.title, url=reverse("admin:articles_article_change", args=[article.pk])
            )
            self.fields["article"].disabled = True


class PlacementInlineFormSet(BaseInlineFormSet):
    """A page's stories: checked together (placed twice, one lead, jump targets) before saving."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and self.instance is not None and self.instance.pk:
            self._forget_vanished_rows()

    def _posted_pk(self, index):
        try:
            return int(self.data.get(f"{self.add_prefix(index)}-id") or "")
        except ValueError:
            return None

    def _forget_vanished_rows(self):
        """A row whose story a colleague took off meanwhile stays on screen as a story to add.

        The editor's form (shown again after a conflict) keeps what they submitted; saving it once
        more puts the story back, unless they tick 删除.
        """
        posted = {self._posted_pk(i) for i in range(self.initial_form_count())} - {None}
        present = set(
            Placement.objects.filter(page=self.instance, pk__in=posted).values_list("pk", flat=True)
        )
        vanished = posted - present
        if vanished:
            self.data = self.data.copy()
            for i in range(self.initial_form_count()):
                if self._posted_pk(i) in vanished:
                    self.data[f"{self.add_prefix(i)}-id"] = ""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if self.is_bound and i < self.initial_form_count() and not self.data.get(f"{self.add_prefix(i)}-id"):
            # A vanished story's row (see _forget_vanished_rows) is saved as a new one.
            form.fields["id"].required = False
        return form

    def _stand_in(self, index):
        """An unsaved placement for a row whose story was taken off: the story the editor submitted."""
        from articles.models import Article

        raw = self.data.get(f"{self.add_prefix(index)}-article") or ""
        article = Article.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
        return Placement(page=self.instance, article=article or Article(headline="（已撤下）"))

    def get_queryset(self):
        """Bound, the placements in the order of the submitted rows (so each row shows its own story)."""
        qs = super().get_queryset()
        if not self.is_bound or self.instance is None or not self.instance.pk:
            return qs
        if not hasattr(self, "_posted_rows"):
            by_pk = {p.pk: p for p in qs}
            self._posted_rows = [
                by_pk.get(self._posted_pk(i)) or self._stand_in(i) for i in range(self.initial_form_count())
            ]
        return self._posted_rows

    def jump_choices(self):
        """The jump select's options, computed once for every row (not one query per row)."""
        if not hasattr(self, "_jump_choices"):
            page = self.instance
            if page is not None and page.pk:
                self._jump_choices = [("", "—— 不下转 ——")] + [
                    (p.pk, f"下转{p.number}版（{p.name}）") for p in services.jump_choices(page)
                ]
            else:
                self._jump_choices = [("", "—— 保存版面后再设下转 ——")]
        return self._jump_choices

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "continues_on" in form.fields:
            form.fields["continues_on"].choices = self.jump_choices()

    def validate_unique(self):
        # Positions are renumbered on save; the other rules are checked in clean() with clear messages.
        return

    def rows(self):
        """The wanted stories as service rows, and the placements to remove."""
        rows, removed = [], []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data:
                continue
            if self.can_delete and self._should_delete_form(form):
                if form.instance.pk:
                    removed.append(form.instance)
                continue
            if data.get("article") is None:
                continue
            rows.append(
                services.Row(
                    placement=form.instance if form.instance.pk else None,
                    article=data["article"],
                    is_lead=bool(data.get("is_lead")),
                    continues_on=data.get("continues_on"),
                    position=data.get("position"),
                )
            )
        return rows, removed

    def clean(self):
        if any(form.errors for form in self.forms):
            return
        page = self.instance
        if page is None or not page.pk:
            return
        rows, removed = self.rows()
        problems = services.placement_problems(page=page, rows=rows, removed=removed)
        if problems:
            raise ValidationError(problems)
