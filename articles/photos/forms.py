"""Forms for the photo library: several files at once, and a photo's details."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget, AutocompleteSelect
from django.core.exceptions import ValidationError

from ..models import Person
from . import validation
from .models import Photo


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that lets the browser pick several files."""

    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several images; each is checked on its own and refused with its file name in the message."""

    widget = MultipleFileInput

    def __init__(self, *args, max_files=50, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"})
        )
        self.max_files = max_files
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        """Return the list of uploads; every failing file is named in the errors."""
        uploads = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if not uploads:
            raise ValidationError("请至少选择一张图片。", code="required")
        if len(uploads) > self.max_files:
            raise ValidationError(f"一次最多上传 {self.max_files} 张图片。", code="too_many_files")
        errors = []
        for upload in uploads:
            try:
                validation.inspect_upload(upload)
            except ValidationError as exc:
                errors.extend(f"“{upload.name}”：{message}" for message in exc.messages)
        if errors:
            raise ValidationError(errors)
        return uploads


class FocalPointMixin:
    """Both focal coordinates, or neither, each within 0..1."""

    def clean(self):
        """Check the focal point as a pair."""
        cleaned = super().clean()
        fx, fy = cleaned.get("focal_x"), cleaned.get("focal_y")
        if (fx is None) != (fy is None):
            raise ValidationError("焦点需要同时填写横坐标和纵坐标，或都不填。")
        for name, value in (("focal_x", fx), ("focal_y", fy)):
            if value is not None and not 0 <= value <= 1:
                self.add_error(name, "焦点坐标须在 0 到 1 之间。")
        return cleaned


class PhotoUploadForm(forms.Form):
    """Upload several photos at once; the caption and credit given apply to each of them."""

    images = MultipleImageField(
        label="图片",
        help_text="可一次选择多张：JPEG、PNG、WebP 或 GIF，每张不超过上传上限；自动去除拍摄位置等元数据。",
    )
    caption = forms.CharField(
        label="图说", required=False, widget=forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"})
    )
    credit = forms.ModelChoiceField(
        label="摄影",
        queryset=Person.objects.all(),
        required=False,
        help_text="拍摄者，显示为“记者 X 摄”。",
    )
    alt_text = forms.CharField(
        label="替代文字",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "vTextField"}),
    )
    taken_on = forms.DateField(label="拍摄日期", required=False, widget=AdminDateWidget)

    def __init__(self, *args, admin_site=None, **kwargs):
        super().__init__(*args, **kwargs)
        credit = self.fields["credit"]
        credit.widget = AutocompleteSelect(Photo._meta.get_field("credit"), admin_site or admin.site)
        credit.widget.choices = credit.choices


class PhotoChangeForm(FocalPointMixin, forms.ModelForm):
    """A photo's details; the image itself is replaced by uploading a new photo."""

    class Meta:
        model = Photo
        fields = ("caption", "credit", "alt_text", "taken_on", "focal_x", "focal_y")
        widgets = {
            "caption": forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
            "focal_x": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "1"}),
            "focal_y": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "1"}),
        }
