"""Admin forms for articles and their bylines."""

from django import forms
from django.core.exceptions import ValidationError
from django_prose_editor.widgets import AdminProseEditorWidget

from .models import Article

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
}


class ArticleForm(forms.ModelForm):
    """The reporter's article form: a printed headline stack, a rich-text body."""

    class Meta:
        model = Article
        fields = ("kicker", "headline", "subheadline", "summary", "body", "section", "column", "tags")
        widgets = {
            "kicker": forms.TextInput(attrs={"class": "vTextField headline-kicker"}),
            "headline": forms.TextInput(attrs={"class": "vTextField headline-main"}),
            "subheadline": forms.TextInput(attrs={"class": "vTextField headline-sub"}),
            "summary": forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
            "body": AdminProseEditorWidget(config={"extensions": PROSE_EXTENSIONS}, preset="configurable"),
        }
        error_messages = {"headline": {"required": "主题不能为空：请填写标题的主题。"}}

    def clean_headline(self):
        headline = (self.cleaned_data.get("headline") or "").strip()
        if not headline:
            raise ValidationError("主题不能为空：请填写标题的主题。")
        return headline


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
                raise ValidationError(f"“{person}”以“{role}”身份重复署名，请删除重复的一行。")
            seen.add((person.pk, role))
        super().clean()
