"""Page images for the e-paper: an uploaded image, or a PDF whose first page is rendered with pypdfium2.

The stored image is re-encoded (upright, no metadata, at most MAX_WIDTH wide) under a generated name that
carries its size (pages/2025/06/<uuid>-1800x2500.jpg), so the e-paper can write width/height attributes
without opening the file (articles.photos.sized_name). Rendering a PDF takes seconds: the upload request
only checks it (it opens, one or two pages of a newspaper's size) and stores it as the page's
``image_source``; the background worker renders it (``render_page_image``), and the page keeps its previous
image, or shows a placeholder, until then. The WebP twin of every page image is made by the worker too.
"""

import logging
import uuid
from datetime import timedelta

import pypdfium2 as pdfium
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django_tasks import task
from PIL import Image

from articles import photos

from .models import Page

logger = logging.getLogger(__name__)

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


def _open_pdf(upload):
    """Open a PDF upload and check that it is a newspaper page; return the document and its first page."""
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
            page.close()
            raise ValidationError(
                f"PDF 页面尺寸 {width_pt / 72 * 25.4:.0f}×{height_pt / 72 * 25.4:.0f} 毫米，不像是报纸版面，"
                "请检查是否传错了文件。",
                code="pdf_size",
            )
    except BaseException:
        document.close()
        raise
    return document, page, data


def check_pdf(upload):
    """Check a PDF upload without rendering it; return its bytes as a ContentFile named <uuid>.pdf."""
    document, page, data = _open_pdf(upload)
    page.close()
    document.close()
    return ContentFile(data, name=f"{uuid.uuid4().hex}.pdf")


def is_page_source(name):
    """True for a stored page file the worker still has to render (a PDF)."""
    return (name or "").lower().endswith(".pdf")


def render_pdf(upload):
    """Render the first page of a PDF upload to a PIL image, refusing anything that is not a page."""
    document, page, _data = _open_pdf(upload)
    try:
        width_pt, _height_pt = page.get_size()
        scale = min(PDF_DPI / 72, MAX_WIDTH / width_pt)
        bitmap = page.render(scale=scale)
        image = bitmap.to_pil().convert("RGB")
        bitmap.close()
        page.close()
    finally:
        document.close()
    return image


def _page_jpeg(image):
    """Strip, bound to MAX_WIDTH and encode a page image; return a ContentFile under a sized name."""
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


def clean_page_upload(upload):
    """Check an uploaded page file: an image is converted at once, a PDF is kept for the worker to render.

    Returns a ContentFile to store as the page's image: a JPEG under a sized name, or the PDF itself
    (``is_page_source``), which ``Page.save`` hands to the worker.
    """
    if _is_pdf(upload):
        return check_pdf(upload)
    try:
        clean = photos.clean_upload(upload)
    except ValidationError as exc:
        if exc.code == "not_image":
            raise ValidationError(
                "文件内容既不是图片也不是 PDF：版面请上传 PDF，或 JPEG、PNG、WebP 图片。", code="not_page"
            ) from exc
        raise
    return _page_jpeg(clean.image)


def page_image_stored(page):
    """A new page image was stored: have the worker make its WebP twin (in the caller's transaction)."""
    photos.make_webp_twin.enqueue(page.image.name)


# Attempts at rendering one uploaded PDF, and the wait before each retry.
MAX_ATTEMPTS = 3
RETRY_DELAYS = (timedelta(seconds=30), timedelta(minutes=5))


def _fail(page_id, source_name, message):
    """Record why the page file could not be rendered (shown on the page's admin screen)."""
    page = Page.objects.filter(pk=page_id, image_source=source_name).first()
    if page is not None:
        page.image_state, page.image_error = Page.ImageState.FAILED, message
        page.save(update_fields=["image_state", "image_error"])


@task()
def render_page_image(page_id, source_name, attempt=1):
    """Render an uploaded page PDF into the page's image and its WebP twin; a newer upload supersedes it."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None or page.image_source.name != source_name or page.image_state != Page.ImageState.PENDING:
        return "superseded"
    try:
        with page.image_source.open("rb") as handle:
            content = _page_jpeg(render_pdf(handle))
    except ValidationError as exc:
        _fail(page_id, source_name, "版面 PDF 无法转换：" + " ".join(exc.messages))
        raise
    except FileNotFoundError:
        _fail(page_id, source_name, "上传的版面文件已丢失：请重新上传版面 PDF。")
        raise
    except Exception as exc:
        logger.warning("page %s: rendering %s failed (attempt %s)", page_id, source_name, attempt)
        if attempt >= MAX_ATTEMPTS:
            _fail(
                page_id,
                source_name,
                f"版面图生成失败（已尝试 {attempt} 次，{type(exc).__name__}）：请重新上传版面 PDF，仍失败请联系技术人员。",
            )
        else:
            photos.enqueue_later(
                render_page_image, RETRY_DELAYS[attempt - 1], page_id, source_name, attempt + 1
            )
        raise
    storage = page.image.storage
    name = storage.save(Page._meta.get_field("image").generate_filename(page, content.name), content)
    photos.make_webp_twin.call(name)
    with transaction.atomic():
        locked = Page.objects.select_for_update().filter(pk=page_id).first()
        if locked is None or locked.image_source.name != source_name:
            # Replaced or deleted while rendering: the rendered files belong to nobody.
            transaction.on_commit(lambda: [storage.delete(n) for n in (name, photos.webp_name(name))])
            return "superseded"
        locked.image = name
        locked.image_state, locked.image_error = Page.ImageState.READY, ""
        # A save, not an update: post_save purges the cached e-paper pages.
        locked.save(update_fields=["image", "image_state", "image_error", "updated_at"])
    return name


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
