"""Library photos inside an article's body: the editor's picker, the save-time normaliser, the delete guard.

A reporter picks a photo from the library (the photo admin's changelist in a popup) and the editor inserts
``<figure><img data-file="ID"></figure>``: ``data-file`` is the prose editor's own image attribute for a picked
file, the one that survives its HTML round trip. On save, ``normalise_body_photos`` rebuilds every such figure
from the Photo row (src, srcset, width/height, alt, caption and credit), so a stale or hostile src cannot stand,
and drops figures whose photo no longer exists.
"""

from html import escape
from html.parser import HTMLParser

from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied
from django.db.models.deletion import ProtectedError
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django_prose_editor.widgets import AdminProseEditorWidget

from . import renditions
from .models import Photo

# The public story column is at most 42em wide; the same hint the lead photo uses.
BODY_SIZES = "(max-width: 42em) 100vw, 42em"
_VOID = {"img", "br", "hr", "wbr", "source", "input", "meta", "link", "area", "base", "col", "embed", "track"}
_ID_ATTRIBUTES = ("data-photo-id", "data-file")


def caption_text(photo):
    """The printed caption of a body photo: 图说 · 记者 X 摄 (either part may be missing)."""
    parts = [part for part in ((photo.caption or "").strip(), photo.credit_line) if part]
    return " · ".join(parts)


def _picture(photo):
    """The photo's own-shape renditions as the figure will link them; None without a readable original.

    Nothing is made here: the names are fixed by the photo, and the worker makes the files after upload.
    """
    if not photo.image or not photo.width:
        return None
    return renditions.picture(photo, "")


def figure_html(photo):
    """The canonical body figure for ``photo``: every attribute comes from the Photo row, escaped."""
    pic = _picture(photo)
    if pic is None:
        return ""
    caption = caption_text(photo)
    figcaption = f"<figcaption>{escape(caption, quote=False)}</figcaption>" if caption else ""
    return (
        f'<figure data-photo-id="{photo.pk}">'
        f'<img src="{escape(pic.src)}" srcset="{escape(pic.jpeg_srcset)}" sizes="{BODY_SIZES}" '
        f'width="{pic.width}" height="{pic.height}" alt="{escape(photo.alt or "")}" data-file="{photo.pk}">'
        f"{figcaption}</figure>"
    )


def _photo_id(attrs):
    """The library photo id carried by a figure or img, or None."""
    for name in _ID_ATTRIBUTES:
        value = (dict(attrs).get(name) or "").strip()
        if value.isdigit():
            return int(value)
    return None


class _FigureRewriter(HTMLParser):
    """Streams sanitized HTML back out, replacing each library figure (or bare picked img) by a callback."""

    def __init__(self, replace):
        super().__init__(convert_charrefs=False)
        self.replace = replace
        self.out = []
        self.depth = 0  # open non-void elements outside any figure
        self.figure_depth = 0  # nesting of <figure> while inside one
        self.figure_attrs = None
        self.figure_raw = []
        self.figure_id = None

    def _emit(self, text):
        (self.figure_raw if self.figure_depth else self.out).append(text)

    def handle_starttag(self, tag, attrs):
        raw = self.get_starttag_text()
        if tag == "figure":
            if not self.figure_depth:
                self.figure_id, self.figure_raw = _photo_id(attrs), []
            self.figure_depth += 1
            self.figure_raw.append(raw)
            return
        if self.figure_depth:
            if tag == "img" and self.figure_id is None:
                self.figure_id = _photo_id(attrs)
            self.figure_raw.append(raw)
            return
        if tag == "img" and _photo_id(attrs) is not None:
            # A bare picked image: at the top level it becomes a full figure; inside text only the img.
            html = self.replace(_photo_id(attrs))
            if html and self.depth:
                start, end = html.find("<img"), html.find(">", html.find("<img")) + 1
                html = html[start:end]
            self.out.append(html)
            return
        self.out.append(raw)
        if tag not in _VOID:
            self.depth += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if self.figure_depth:
            self.figure_raw.append(f"</{tag}>")
            if tag == "figure":
                self.figure_depth -= 1
                if not self.figure_depth:
                    raw = "".join(self.figure_raw)
                    # A figure without a library id (an image typed by URL) stays as the sanitizer left it.
                    self.out.append(raw if self.figure_id is None else self.replace(self.figure_id))
            return
        self.out.append(f"</{tag}>")
        if tag not in _VOID:
            self.depth = max(0, self.depth - 1)

    def handle_data(self, data):
        self._emit(data)

    def handle_entityref(self, name):
        self._emit(f"&{name};")

    def handle_charref(self, name):
        self._emit(f"&#{name};")

    def close(self):
        super().close()
        if self.figure_depth:
            # An unclosed figure (not from the sanitizer, which closes everything): treat it as closed.
            self.figure_depth = 0
            raw = "".join(self.figure_raw)
            self.out.append(raw if self.figure_id is None else self.replace(self.figure_id))
        return "".join(self.out)


def photo_ids(html):
    """The library photo ids a body's figures and picked images refer to, in order of appearance."""
    found = []
    rewriter = _FigureRewriter(lambda pk: found.append(pk) or "")
    rewriter.feed(html or "")
    rewriter.close()
    return list(dict.fromkeys(found))


def normalise_body_photos(html):
    """Rebuild each library figure of sanitized body HTML from its Photo row; drop those whose photo is gone."""
    if not html or ("data-photo-id" not in html and "data-file" not in html):
        return html
    ids = photo_ids(html)
    photos = Photo.objects.with_credit().in_bulk(ids) if ids else {}
    cache = {}

    def replace(pk):
        if pk not in cache:
            photo = photos.get(pk)
            cache[pk] = figure_html(photo) if photo is not None else ""
        return cache[pk]

    rewriter = _FigureRewriter(replace)
    rewriter.feed(html)
    return rewriter.close().strip()


# --- the delete guard -------------------------------------------------------------------------------------


def articles_using(photo_pks):
    """Articles whose stored body shows one of these photos (bodies are normalised, so the id is exact)."""
    from django.db.models import Q

    from ..models import Article

    query = Q()
    for pk in photo_pks:
        query |= Q(body__contains=f'data-photo-id="{int(pk)}"')
    return Article.objects.filter(query).order_by("pk") if query else Article.objects.none()


def refusal_lines(photo):
    """One Chinese line per article whose body uses ``photo`` (empty when it is free to delete)."""
    return [
        f"稿件“{article.headline}”（编号 {article.pk}）的正文使用了这张图片，请先从正文中删去"
        for article in articles_using([photo.pk])[:20]
    ]


@receiver(pre_delete, sender=Photo, dispatch_uid="articles.photos.body.protect_body_photos")
def _protect_body_photos(sender, instance, **kwargs):
    """Refuse to delete a photo an article body shows, like on_delete=PROTECT would."""
    using = list(articles_using([instance.pk])[:20])
    if using:
        titles = "、".join(f"“{article.headline}”" for article in using)
        raise ProtectedError(f"不能删除这张图片：稿件 {titles} 的正文使用了它，请先从正文中删去。", using)


# --- the editor side --------------------------------------------------------------------------------------


class BodyPhotoProseEditorWidget(AdminProseEditorWidget):
    """The prose editor plus a "从图片库插入图片" link that opens the photo library in a popup."""

    @property
    def media(self):
        from django.forms import Media

        return super().media + Media(
            css={"all": ["admin_newsroom/body_photos.css"]}, js=["admin_newsroom/body_photos.js"]
        )

    def render(self, name, value, attrs=None, renderer=None):
        """The library link and the hidden input the popup writes the id to, above the editor's textarea."""
        editor = super().render(name, value, attrs, renderer)
        textarea_id = (attrs or {}).get("id") or f"id_{name}"
        # body_photos.js opens the link with the admin's showRelatedObjectLookupPopup, which names the popup
        # after ``lookup_<id>``; picking a row writes its pk into the element ``<id>``.
        tools = format_html(
            '<div class="body-photo-tools">'
            '<a href="{}?{}=1" id="lookup_{}_photo" class="body-photo-pick button" data-figure-url="{}" '
            'title="先在正文中点选插入位置，再从图片库选择一张图片">从图片库插入图片</a>'
            '<input type="hidden" id="{}_photo" class="body-photo-chosen" data-editor="{}">'
            '<span class="body-photo-status" role="status" aria-live="polite"></span>'
            "</div>",
            reverse("admin:articles_photo_changelist"),
            IS_POPUP_VAR,
            textarea_id,
            reverse("admin:articles_photo_body_figure", args=[0]),
            textarea_id,
            textarea_id,
        )
        # One flex item for the admin's field row: the tools above the editor, which wraps the textarea.
        return mark_safe(f'<div class="body-photo-field">{tools}{editor}</div>')  # noqa: S308 -- escaped parts


def figure_json(request, photo_id, model_admin):
    """What the editor inserts for a picked photo: id, src, size, alt and caption (admin view)."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    photo = Photo.objects.with_credit().filter(pk=photo_id).first()
    pic = _picture(photo) if photo is not None else None
    if pic is None:
        raise Http404("图片不存在或已被删除。")
    return JsonResponse(
        {
            "id": photo.pk,
            "src": pic.src,
            "width": pic.width,
            "height": pic.height,
            "alt": photo.alt or "",
            "caption": caption_text(photo),
        }
    )
