"""Photo models: news pictures with caption, credit and focal point, and their cached renditions.

Imported at the end of ``articles/models.py`` so Django finds them; their app label is ``articles``.
"""

import uuid

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone

# Extensions we ever store; anything else in a name we are given is replaced by jpg.
STORED_EXTENSIONS = {"jpg", "png", "webp"}


def photo_upload_to(instance, filename):
    """A generated name photos/YYYY/MM/<uuid>.<ext>: the uploaded path never reaches storage."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext not in STORED_EXTENSIONS:
        ext = "jpg"
    return f"photos/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext}"


class PhotoQuerySet(models.QuerySet):
    """Queries over the photo library."""

    def with_credit(self):
        """Join the credited person, so a list costs no query per row."""
        return self.select_related("credit")


class Photo(models.Model):
    """An uploaded news picture: validated, metadata stripped, served through renditions."""

    class Renditions(models.TextChoices):
        """Where the background worker stands with this photo's renditions (articles/photos/tasks.py)."""

        PENDING = "pending", "生成中"
        READY = "ready", "已生成"
        FAILED = "failed", "生成失败"

    image = models.ImageField(
        "图片",
        upload_to=photo_upload_to,
        width_field="width",
        height_field="height",
        max_length=200,
        help_text="JPEG、PNG、WebP 或 GIF；上传后自动去除拍摄位置等元数据。",
    )
    width = models.PositiveIntegerField("宽度", default=0, editable=False)
    height = models.PositiveIntegerField("高度", default=0, editable=False)
    caption = models.TextField("图说", blank=True, help_text="图片说明，显示在图片下方。")
    credit = models.ForeignKey(
        "articles.Person",
        verbose_name="摄影",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="photos",
        help_text="拍摄者，显示为“记者 X 摄”。",
    )
    alt_text = models.CharField(
        "替代文字",
        max_length=200,
        blank=True,
        help_text="为视障读者描述图片内容；不填则使用图说。",
    )
    taken_on = models.DateField("拍摄日期", null=True, blank=True, help_text="不填时取照片自带的拍摄日期。")
    focal_x = models.FloatField(
        "焦点横坐标",
        null=True,
        blank=True,
        help_text="裁切时保留的重点位置：0 为最左，1 为最右，0.5 为正中。",
    )
    focal_y = models.FloatField(
        "焦点纵坐标",
        null=True,
        blank=True,
        help_text="裁切时保留的重点位置：0 为最上，1 为最下，0.5 为正中。",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="photos_uploaded",
    )
    created_at = models.DateTimeField("上传时间", default=timezone.now, editable=False, db_index=True)
    renditions_state = models.CharField(
        "尺寸状态",
        max_length=8,
        choices=Renditions.choices,
        default=Renditions.PENDING,
        editable=False,
        help_text="各尺寸图片在后台生成；生成前页面显示占位框。",
    )
    renditions_error = models.TextField("生成失败原因", blank=True, editable=False)
    renditions_attempts = models.PositiveSmallIntegerField("生成尝试次数", default=0, editable=False)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = "图片"
        verbose_name_plural = "图片库"
        ordering = ("-created_at", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__isnull=True) | (Q(focal_x__gte=0) & Q(focal_x__lte=1)),
                name="photo_focal_x_range",
            ),
            models.CheckConstraint(
                condition=Q(focal_y__isnull=True) | (Q(focal_y__gte=0) & Q(focal_y__lte=1)),
                name="photo_focal_y_range",
            ),
            models.CheckConstraint(
                condition=Q(focal_x__isnull=True, focal_y__isnull=True)
                | Q(focal_x__isnull=False, focal_y__isnull=False),
                name="photo_focal_both_or_none",
            ),
        ]

    def __str__(self):
        text = (self.caption or self.alt_text or "").strip().replace("\n", " ")
        label = text[:30] + ("…" if len(text) > 30 else "") if text else "（无图说）"
        return f"{label}（{self.credit_line or '未署名'}）"

    @property
    def credit_line(self):
        """The printed credit, 记者 X 摄, or an empty string."""
        return f"记者 {self.credit.name} 摄" if self.credit_id else ""

    @property
    def alt(self):
        """Alternative text for readers who cannot see the image."""
        return self.alt_text or self.caption

    @property
    def renditions_ready(self):
        """True once the worker has made the standard renditions: only then do pages link them."""
        return self.renditions_state == self.Renditions.READY

    @property
    def focal_point(self):
        """(x, y) in 0..1; the centre when none is set."""
        if self.focal_x is None or self.focal_y is None:
            return (0.5, 0.5)
        return (self.focal_x, self.focal_y)


class PhotoRendition(models.Model):
    """One cached resized copy of a photo, stored under a deterministic name."""

    class Format(models.TextChoices):
        WEBP = "webp", "WebP"
        JPEG = "jpeg", "JPEG"

    photo = models.ForeignKey(Photo, verbose_name="图片", on_delete=models.CASCADE, related_name="renditions")
    ratio = models.CharField("比例", max_length=12, blank=True, help_text="空为原图比例，如 16x9。")
    format = models.CharField("格式", max_length=4, choices=Format.choices)
    width = models.PositiveIntegerField("宽度")
    height = models.PositiveIntegerField("高度")
    name = models.CharField("存储名", max_length=255, unique=True)
    created_at = models.DateTimeField("生成时间", default=timezone.now)

    class Meta:
        verbose_name = "图片尺寸"
        verbose_name_plural = "图片尺寸"
        ordering = ("photo", "ratio", "format", "width")
        indexes = [models.Index(fields=["photo", "ratio"], name="photorendition_photo_ratio")]

    def __str__(self):
        return self.name


@receiver(pre_delete, sender=Photo)
def _delete_photo_files(sender, instance, **kwargs):
    """Remove the original and every rendition from storage once the deletion is committed."""
    storage = instance.image.storage
    names = list(instance.renditions.values_list("name", flat=True))
    if instance.image:
        names.append(instance.image.name)

    def delete():
        for name in names:
            storage.delete(name)

    # Files go only when the rows are really gone: a rolled-back deletion keeps its files.
    transaction.on_commit(delete)
