"""Admin forms for articles and their bylines."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from . import versioning
from .models import Article, Byline
from .people import display_name
from .photos import BodyPhotoProseEditorWidget
from .sanitize import plain_text, validate_body_size

# What the editor toolbar offers; the server-side allow-list (sanitize.py) is the real guard.
PROSE_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "History": True,
    "Typographic": True,
    # Library photos in the body (photos/body.py): without these the editor drops <figure> when it parses.
    "Figure": True,
    "Image": True,
    "Caption": True,
}


class ArticleForm(forms.ModelForm):
    """The reporter's article form: a printed headline stack, a rich-text body."""

    class Meta:
        model = Article
        fields = (
            "kicker",
            "headline",
            "subheadline",
            "summary",
            "lead_photo",
            "body",
            "section",
            "column",
            "tags",
        )
        widgets = {
            "kicker": forms.TextInput(attrs={"class": "vTextField headline-kicker"}),
            "headline": forms.TextInput(attrs={"class": "vTextField headline-main"}),
            "subheadline": forms.TextInput(attrs={"class": "vTextField headline-sub"}),
            "summary": forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
            "body": BodyPhotoProseEditorWidget(
                config={"extensions": PROSE_EXTENSIONS}, preset="configurable"
            ),
        }
        error_messages = {"headline": {"required": "主题不能为空：请填写标题的主题。"}}

    # The version the user loaded; the save is refused if someone saved since (optimistic locking).
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if self.instance.pk and not self.is_bound:
            self.fields["loaded_version"].initial = self.instance.version

    # Set (by ArticleAdmin.get_form) when a workflow move after this form's save was refused.
    move_error = None

    def clean_body(self):
        body = self.cleaned_data.get("body") or ""
        validate_body_size(body)
        return body

    def clean(self):
        cleaned = super().clean()
        if self.move_error:
            raise ValidationError(self.move_error)
        if self.instance.pk:
            # A friendly early check; the authoritative one is the conditional UPDATE at save time.
            loaded = cleaned.get("loaded_version")
            if loaded is None:
                raise ValidationError("表单缺少版本号，请刷新页面后重新编辑。")
            if loaded != self.instance.version:
                self._report_conflict(loaded)
        return cleaned

    def _report_conflict(self, loaded):
        """Refuse the save, keep the user's text, and say what the other person changed."""
        current = self.instance  # still the saved row: construct_instance runs after clean()
        before = _loaded_snapshot(current, loaded)
        if before is None:
            # No stored revision for the loaded version: compare the user's text with the saved one.
            before = {
                key: (self.cleaned_data.get(key) or "")
                for key in ("kicker", "headline", "subheadline", "summary")
            }
            before["body"] = plain_text(self.cleaned_data.get("body") or "")
            compared = {"kicker", "headline", "subheadline", "summary", "body"}
        else:
            compared = None
        now = versioning.current_snapshot(current)
        changes = [
            row
            for row in versioning.diff(before, now)
            if row["changed"] and (compared is None or row["key"] in compared)
        ]
        who = display_name(current.updated_by, default="他人")
        when = timezone.localtime(current.updated_at)
        self.conflict = {"who": who, "when": when, "changes": changes, "loaded": loaded}
        # Let the next save go through: the user has now seen the other person's changes.
        data = self.data.copy()
        data[self.add_prefix("loaded_version")] = str(current.version)
        self.data = data
        fields = "、".join(row["label"] for row in changes) or "无文字改动"
        raise ValidationError(
            f"保存被拒绝：您打开这篇稿件之后，{who} 于 {when:%Y-%m-%d %H:%M} 保存了新的内容（改动：{fields}）。"
            "您的修改仍在下面的表单中，没有丢失；请对照页首列出的改动合并后再次保存。"
        )

    def clean_headline(self):
        headline = (self.cleaned_data.get("headline") or "").strip()
        if not headline:
            raise ValidationError("主题不能为空：请填写标题的主题。")
        return headline


def _loaded_snapshot(article, loaded):
    """The article as it stood at version ``loaded``, from its revision history (or None)."""
    for stored in versioning.article_versions(article)[:100]:
        if stored.field_dict.get("version") == loaded:
            return versioning.snapshot(stored.revision, article.pk)
    return None


class BylineFormSet(forms.BaseInlineFormSet):
    """Bylines: every row needs a person; one person appears once per role."""

    def clean(self):
        # Our own checks first: they name the person and say what to do, in Chinese.
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            person, role = form.cleaned_data.get("person"), form.cleaned_data.get("role")
            if person is None:
                form.add_error("person", "请为这条署名选择作者。")
                continue
            if (person.pk, role) in seen:
                raise ValidationError(
                    f"“{person}”以“{Byline.Role(role).label}”身份重复署名，请删除重复的一行。"
                )
            seen.add((person.pk, role))
        super().clean()
