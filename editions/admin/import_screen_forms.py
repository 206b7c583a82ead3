"""Forms of the import screen: the upload (date, and per file its page number and name) and the confirm."""

import hashlib

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory

from ..importer.decode import DecodeError, decode_bytes
from ..importer.service import MAX_BYTES

# The screen keeps the pages between requests (in the session): a page text is a few tens of kilobytes.
MAX_PAGE_BYTES = min(MAX_BYTES, 1024 * 1024)
MAX_FILES = 8
STATUS_CHOICES = (("draft", "草稿"), ("review", "待审"), ("published", "发布（并签发整期）"))
PUBLISH_PERMS = ("articles.publish_article", "editions.release_edition")


class ImportEditionForm(forms.Form):
    """The edition every uploaded page belongs to."""

    date = forms.DateField(
        label="出版日期",
        help_text="格式 YYYY-MM-DD，如 2024-12-09。",
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ImportPageForm(forms.Form):
    """One page file: the text extracted from the page's PDF, its page number and name."""

    file = forms.FileField(
        label="版面文字文件",
        required=False,
        allow_empty_file=True,  # refused below, naming the file
        help_text="从版面 PDF 提取的文字（UTF-8 或 GB18030）。",
    )
    page_number = forms.IntegerField(label="版次", min_value=1, max_value=999, required=False)
    page_name = forms.CharField(label="版名", max_length=30, required=False, help_text="如：要闻、综合。")

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None:
            if cleaned.get("page_number") or cleaned.get("page_name"):
                self.add_error("file", "请选择这一版的文字文件。")
            return cleaned
        name = upload.name
        if cleaned.get("page_number") is None and "page_number" not in self.errors:
            self.add_error("page_number", f"{name}：请填写版次。")
        # The size as uploaded, before the content is read.
        if upload.size > MAX_PAGE_BYTES:
            raise ValidationError(
                f"{name}：文件过大（{upload.size} 字节，上限 {MAX_PAGE_BYTES} 字节），不像一版的文字。"
            )
        data = upload.read()
        try:
            decoded = decode_bytes(data, source=name)
        except DecodeError as error:
            line = f"第{error.line}行：" if error.line else ""
            raise ValidationError(f"{name}：{line}无法作为版面文字读取（{error.reason}）。") from None
        cleaned.update(source=name, text=decoded.text, encoding=decoded.encoding)
        cleaned["sha256"] = hashlib.sha256(data).hexdigest()
        return cleaned


class BaseImportPageFormSet(forms.BaseFormSet):
    """At least one file; each page number once."""

    def clean(self):
        if any(form.errors for form in self.forms):
            return
        pages = [form.cleaned_data for form in self.forms if form.cleaned_data.get("file")]
        if not pages:
            raise ValidationError("请至少选择一个版面文字文件。")
        numbers = {}
        for page in pages:
            number = page["page_number"]
            if number in numbers:
                raise ValidationError(f"{page['source']}：第{number}版已由 {numbers[number]} 占用。")
            numbers[number] = page["source"]


ImportPageFormSet = formset_factory(
    ImportPageForm, formset=BaseImportPageFormSet, extra=3, max_num=MAX_FILES, validate_max=True
)


class ImportConfirmForm(forms.Form):
    """The status the stories are imported with; publishing needs the publish and release rights."""

    status = forms.ChoiceField(
        label="稿件状态",
        choices=STATUS_CHOICES,
        initial="review",
        error_messages={
            "invalid_choice": "按“发布”导入须有发布稿件和签发整期的权限（值班主任）；请选择草稿或待审。"
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.has_perms(PUBLISH_PERMS):
            self.fields["status"].choices = STATUS_CHOICES[:2]
