"""Page images for the e-paper: an uploaded image, or a PDF whose first page is rendered with pypdfium2.

The stored image is re-encoded (upright, no metadata, at most MAX_WIDTH wide) under a generated name that
carries its size (pages/2025/06/<uuid>-1800x2500.jpg), so the e-paper can write width/height attributes
without opening the file (articles.photos.sized_name); a WebP twin is made on first view.
"""

import pypdfium2 as pdfium
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image

from articles import photos

from .models import Page

MAX_WIDTH = 1800
# A printed page is one sheet; a spread exported as two pages is tolerated, the first one shown.
MAX_PDF_PAGES = 2
# Page sizes in PostScript points (1/72 inch): from A5 (420 pt) up to a broadsheet with bleed (~1700 pt).
MIN_PAGE_POINTS = 300
MAX_PAGE_POINTS = 2400
MAX_ASPECT = 2.5
PDF_DPI = 150


def _is_pdf(upload):
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    return b"%PDF-" in head


def render_pdf(upload):
    """Render the first page of a PDF upload to a PIL image, refusing anything that is not a page."""
    photos.check_size(upload)
    upload.seek(0)
    data = upload.read()
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ValidationError(
            "PDF 文件无法打开（已损坏或设有密码）：请从排版软件重新导出版面 PDF。", code="pdf_broken"
        ) from exc
    try:
        count = len(document)
        if count < 1 or count > MAX_PDF_PAGES:
            raise ValidationError(
                f"这个 PDF 有 {count} 页，不像是一个版面：请上传单个版面的 PDF（最多 {MAX_PDF_PAGES} 页）。",
                code="pdf_pages",
            )
        page = document[0]
        width_pt, height_pt = page.get_size()
        aspect = max(width_pt, height_pt) / max(1, min(width_pt, height_pt))
        if (
            min(width_pt, height_pt) < MIN_PAGE_POINTS
            or max(width_pt, height_pt) > MAX_PAGE_POINTS
            or aspect > MAX_ASPECT
        ):
            raise ValidationError(
                f"PDF 页面尺寸 {width_pt / 72 * 25.4:.0f}×{height_pt / 72 * 25.4:.0f} 毫米，不像是报纸版面，"
                "请检查是否传错了文件。",
                code="pdf_size",
            )
        scale = min(PDF_DPI / 72, MAX_WIDTH / width_pt)
        bitmap = page.render(scale=scale)
        image = bitmap.to_pil().convert("RGB")
        bitmap.close()
        page.close()
    finally:
        document.close()
    return image


def clean_page_upload(upload):
    """Turn an uploaded page image or PDF into a ContentFile (a generated name with its size) to store."""
    if _is_pdf(upload):
        image = render_pdf(upload)
    else:
        try:
            clean = photos.clean_upload(upload)
        except ValidationError as exc:
            if exc.code == "not_image":
                raise ValidationError(
                    "文件内容既不是图片也不是 PDF：版面请上传 PDF，或 JPEG、PNG、WebP 图片。", code="not_page"
                ) from exc
            raise
        image = clean.image
    try:
        image = photos.strip_metadata(image)
        if image.width > MAX_WIDTH:
            height = max(1, round(image.height * MAX_WIDTH / image.width))
            resized = image.resize((MAX_WIDTH, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
            image.close()
            image = resized
        data = photos.encode(image, "JPEG", quality=85)
        name = photos.sized_name(image.width, image.height)
    finally:
        image.close()
    return ContentFile(data, name=name)


class PageImageField(forms.FileField):
    """The page form's upload: an image or a PDF, checked and converted before anything is stored."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "版面图")
        kwargs.setdefault(
            "help_text", "上传印刷版面的 PDF（自动转换为图片）或 JPEG、PNG、WebP 图片；自动去除元数据。"
        )
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}),
        )
        super().__init__(**kwargs)

    def to_python(self, data):
        """Check and convert a new upload; leave "no file" and "keep the current file" alone."""
        upload = super().to_python(data)
        if upload is None or not hasattr(upload, "seek"):
            return upload
        return clean_page_upload(upload)


class PageImageForm(forms.ModelForm):
    """A page form whose image field accepts a PDF and is checked like photos; saved through the services.

    ``user`` is who uploads: the change goes through ``services.page_update`` (page lock, a signed-off
    page refused, a proofread page back to 编排中).
    """

    image = PageImageField()

    class Meta:
        model = Page
        fields = ("edition", "number", "name", "editor", "image", "unassigned_text", "banner_text")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def save(self, commit=True):
        """Write the changed fields through ``services.page_update`` (a new page is created as is)."""
        from . import services

        if not self.instance.pk:
            return super().save(commit=commit)
        changes = {
            name: getattr(self.instance, name) for name in self.changed_data if name in services.PAGE_FIELDS
        }
        return services.page_update(page=self.instance, user=self.user, changes=changes)


__all__ = ["PageImageField", "PageImageForm", "clean_page_upload"]
