"""The photo library in the admin: upload several at once, thumbnails, search by caption and credit.

The upload page sends one file per request (static/admin_newsroom/photo_upload.js), so a batch of any total
size passes nginx's per-request limit and no request outlives a worker timeout; renditions are made by the
background worker, and the library shows where each photo stands (生成中 / 生成失败 and why).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.csrf import csrf_protect

from ..models import Article
from . import body, renditions, services, tasks
from .forms import PhotoChangeForm, PhotoUploadForm
from .models import Photo
from .uploads import SizeLimitUploadHandler


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    """The library reporters pick photos from; new photos arrive through the several-at-once upload."""

    form = PhotoChangeForm
    list_display = (
        "thumbnail",
        "caption_display",
        "credit",
        "size_display",
        "renditions_state",
        "taken_on",
        "created_at",
    )
    list_display_links = ("thumbnail", "caption_display")
    list_select_related = ("credit",)
    search_fields = ("caption", "alt_text", "credit__name")
    list_filter = ("renditions_state", "created_at", "taken_on")
    date_hierarchy = "created_at"
    autocomplete_fields = ("credit",)
    readonly_fields = ("preview", "size_display", "renditions_display", "uploaded_by", "created_at")
    fieldsets = (
        (None, {"fields": ("preview", "caption", "credit", "alt_text", "taken_on")}),
        (
            "裁切焦点",
            {
                "fields": ("focal_x", "focal_y"),
                "description": "列表等固定比例（如 16:9）的裁切会尽量保留这个位置；不填则居中裁切。",
            },
        ),
        ("文件", {"fields": ("size_display", "renditions_display", "uploaded_by", "created_at")}),
    )
    list_per_page = 50
    actions = ("remake_renditions",)

    def get_queryset(self, request):
        """The photos this user may see: all for editors; for a reporter, none that betray a hidden story.

        A reporter sees the photos they uploaded, and the photos used (as 题图 or in the body) by a
        story visible to them (``Article.objects.visible_to``: their own, in any state, or a published
        one: those pictures are public already and can be reused). A colleague's photo that only a
        colleague's unpublished story uses, or no story yet, is hidden: its caption is often the
        story itself. Editors and 值班主任 (``edit_any_article``) see the whole library.
        """
        photos = super().get_queryset(request)
        user = request.user
        if user.has_perm("articles.edit_any_article"):
            return photos
        visible = Article.objects.visible_to(user)
        # Bodies are normalised on save, so a body figure carries exactly data-photo-id="<pk>".
        marker = Concat(Value('data-photo-id="'), Cast(OuterRef("pk"), CharField()), Value('"'))
        return photos.filter(
            Q(uploaded_by=user)
            | Exists(visible.filter(lead_photo=OuterRef("pk")))
            | Exists(visible.filter(body__contains=marker))
        )

    def get_object(self, request, object_id, from_field=None):
        """The photo if this user may see it, else 404 (missing and hidden look the same)."""
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("没有这张图片。")
        return obj

    def body_figure_view(self, request, photo_id):
        """The figure JSON for a picked photo, only for a photo this user may see."""
        if not self.get_queryset(request).filter(pk=photo_id).exists():
            raise Http404("图片不存在或已被删除。")
        return body.figure_json(request, photo_id, self)

    @admin.display(description="缩略图")
    def thumbnail(self, obj):
        if not obj.image:
            return "—"
        if not obj.renditions_ready:
            return _state_note(obj)
        small = renditions.picture(obj).jpeg[0]
        return format_html(
            '<img src="{}" width="120" height="{}" alt="" loading="lazy" class="photo-thumb">',
            small.url,
            max(1, round(120 * small.height / small.width)),
        )

    @admin.display(description="预览")
    def preview(self, obj):
        if not obj or not obj.image:
            return "—"
        if not obj.renditions_ready:
            return _state_note(obj)
        pic = renditions.picture(obj)
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="{}" style="max-width:480px;height:auto">',
            pic.jpeg[0].url,
            pic.jpeg[0].width,
            pic.jpeg[0].height,
            obj.alt,
        )

    @admin.display(description="尺寸状态")
    def renditions_display(self, obj):
        if not obj or not obj.pk:
            return "—"
        if obj.renditions_state == Photo.Renditions.FAILED:
            return format_html("{}：{}", obj.get_renditions_state_display(), obj.renditions_error)
        return obj.get_renditions_state_display()

    @admin.action(description="重新生成各尺寸图片", permissions=("change",))
    def remake_renditions(self, request, queryset):
        """Enqueue the renditions again (after a failure the editor has seen to)."""
        count = 0
        with transaction.atomic():
            # The changelist's queryset joins the credit; lock the photo rows alone.
            for photo in Photo.objects.select_for_update().filter(pk__in=queryset.values("pk")):
                tasks.photo_renditions_requested(photo)
                count += 1
        messages.success(request, f"已安排重新生成 {count} 张图片的各尺寸图片，稍后刷新查看。")

    @admin.display(description="图说", ordering="caption")
    def caption_display(self, obj):
        return str(obj).rsplit("（", 1)[0]

    @admin.display(description="尺寸")
    def size_display(self, obj):
        return f"{obj.width} × {obj.height}" if obj and obj.width else "—"

    def add_view(self, request, form_url="", extra_context=None):
        # New photos come in through the upload page (one or many files); keep the popup flag.
        url = reverse("admin:articles_photo_upload")
        if IS_POPUP_VAR in request.GET:
            url += f"?{IS_POPUP_VAR}=1"
        return redirect(url)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"focal_x", "focal_y"} & set(form.changed_data):
            tasks.photo_refocus(obj)

    def get_actions(self, request):
        """Django's bulk delete, named in the library's words (not "删除所选的 图片库")."""
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            func, name, _description = actions["delete_selected"]
            actions["delete_selected"] = (func, name, "删除所选图片")
        return actions

    def get_deleted_objects(self, objs, request):
        """A photo an article body shows is protected, like on_delete=PROTECT: say which stories use it."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for photo in objs:
            protected = [*protected, *body.refusal_lines(photo)]
        return deleted, counts, perms_needed, protected

    def get_urls(self):
        def upload(request):
            # Our size-limit handler must come first, before anything reads request.POST,
            # so CSRF is checked inside, once the handler is in place.
            request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
            return csrf_protect(self.upload_view)(request)

        upload.csrf_exempt = True
        return [
            path("upload/", self.admin_site.admin_view(upload), name="articles_photo_upload"),
            path(
                "<int:photo_id>/body-figure/",
                self.admin_site.admin_view(self.body_figure_view),
                name="articles_photo_body_figure",
            ),
            *super().get_urls(),
        ]

    def upload_view(self, request):
        """Upload photos: one per request from the page's script (JSON answer), or several in one post."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        is_popup = IS_POPUP_VAR in request.GET or IS_POPUP_VAR in request.POST
        wants_json = request.method == "POST" and "application/json" in request.headers.get("Accept", "")
        form = PhotoUploadForm(
            request.POST if request.method == "POST" else None,
            request.FILES if request.method == "POST" else None,
            admin_site=self.admin_site,
        )
        if request.method == "POST" and form.is_valid():
            photos = self._ingest_all(request, form)
            if photos is not None:
                for photo in photos:
                    self.log_addition(request, photo, [{"added": {}}])
                if wants_json:
                    return JsonResponse({"ok": True, "photos": [self._photo_json(photo) for photo in photos]})
                if is_popup and len(photos) == 1:
                    return self.response_add(request, photos[0])
                messages.success(request, f"已上传 {len(photos)} 张图片，各尺寸图片正在后台生成。")
                return redirect("admin:articles_photo_changelist")
        if wants_json:
            errors = [str(message) for messages_ in form.errors.values() for message in messages_]
            return JsonResponse({"ok": False, "errors": errors}, status=400)
        context = {
            **self.admin_site.each_context(request),
            "title": "上传图片",
            "subtitle": None,
            "opts": self.opts,
            "form": form,
            "media": self.media + form.media + forms.Media(js=["admin_newsroom/photo_upload.js"]),
            "is_popup": is_popup,
            "is_popup_var": IS_POPUP_VAR,
            "has_view_permission": self.has_view_permission(request),
        }
        return TemplateResponse(request, "admin/articles/photo/upload.html", context)

    def _photo_json(self, photo):
        return {
            "id": photo.pk,
            "state": photo.get_renditions_state_display(),
            "url": reverse("admin:articles_photo_change", args=[photo.pk]),
        }

    def _ingest_all(self, request, form):
        """Store every file of the batch, or none of them (with the reason shown on the form)."""
        photos = []
        try:
            with transaction.atomic():
                for upload in form.cleaned_data["images"]:
                    try:
                        photos.append(
                            services.photo_ingest(
                                user=request.user,
                                upload=upload,
                                caption=form.cleaned_data["caption"],
                                credit=form.cleaned_data["credit"],
                                alt_text=form.cleaned_data["alt_text"],
                                taken_on=form.cleaned_data["taken_on"],
                            )
                        )
                    except ValidationError as exc:
                        raise ValidationError([f"“{upload.name}”：{m}" for m in exc.messages]) from exc
        except ValidationError as exc:
            for photo in photos:
                _delete_stored_files(photo)
            form.add_error("images", exc)
            return None
        return photos


def _state_note(photo):
    """What stands in the library for a photo without renditions: 生成中, or 生成失败 and why."""
    if photo.renditions_state == Photo.Renditions.FAILED:
        return format_html(
            '<span class="photo-state photo-state-failed" title="{}">生成失败</span>', photo.renditions_error
        )
    return format_html('<span class="photo-state photo-state-pending">{}</span>', "生成中…")


def _delete_stored_files(photo):
    """Remove a photo's files after its rows were rolled back."""
    storage = photo.image.storage
    for fmt in ("webp", "jpeg"):
        for ratio in renditions.STANDARD_RATIOS:
            for width, _height in renditions.sizes_for(photo.width, photo.height, ratio, photo.focal_point):
                storage.delete(renditions.name_for(photo.image.name, ratio, photo.focal_point, width, fmt))
    storage.delete(photo.image.name)
