"""What is printed: editions, their pages, the stories placed on each page, and their history."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from articles.models import Article


class EditionQuerySet(models.QuerySet):
    """Queries over editions; ``released()`` is what readers may see."""

    def released(self, when=None):
        """Editions published with their release time reached."""
        return self.filter(status=Edition.Status.PUBLISHED, released_at__lte=when or timezone.now())


class Edition(models.Model):
    """One day's paper."""

    class Status(models.TextChoices):
        PLANNING = "planning", "编排中"
        PUBLISHED = "published", "已出版"

    date = models.DateField("出版日期", unique=True, help_text="这一期报纸的出版日期，每天一期。")
    number = models.PositiveIntegerField("期号", unique=True, help_text="总期号，按出版顺序递增。")
    status = models.CharField(
        "状态",
        max_length=12,
        choices=Status.choices,
        default=Status.PLANNING,
        editable=False,
        db_index=True,
        help_text="由值班主任签发后变为“已出版”。",
    )
    released_at = models.DateTimeField(
        "出版时间", null=True, blank=True, editable=False, help_text="对读者可见的时间；可定时。"
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签发人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        verbose_name = "期次"
        verbose_name_plural = "期次"
        ordering = ("-date",)
        permissions = [("release_edition", "可以签发整期报纸")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["planning", "published"]), name="edition_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(released_at__isnull=False),
                name="edition_published_has_time",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="edition_number_positive"),
        ]

    def __str__(self):
        return f"{self.date:%Y年%m月%d日} 第{self.number}期"

    def get_absolute_url(self):
        """The e-paper front page of this edition."""
        return reverse("editions:edition", kwargs={"date": self.date})

    @property
    def is_released(self):
        """Same test as ``Edition.objects.released()``."""
        return (
            self.status == self.Status.PUBLISHED
            and self.released_at is not None
            and self.released_at <= timezone.now()
        )


class PageQuerySet(models.QuerySet):
    """Queries over pages; ``for_readers()`` leaves out placeholders readers must never see."""

    def for_readers(self):
        """Pages a reader may see: not the 待定 placeholder the importer makes for a jump target."""
        return self.exclude(name=Page.PLACEHOLDER_NAME)


class Page(models.Model):
    """A numbered page (版) of an edition."""

    # The name of a page the importer created only because a story jumps to it (下转N版) before
    # page N itself was imported: never shown to readers, and it blocks a release from the admin.
    PLACEHOLDER_NAME = "待定"

    class State(models.TextChoices):
        PLANNING = "planning", "编排中"
        PROOFREAD = "proofread", "已校对"
        SIGNED_OFF = "signed_off", "已签发"

    class ImageState(models.TextChoices):
        """Where the background worker stands with the last uploaded page file."""

        NONE = "", "—"
        PENDING = "pending", "生成中"
        READY = "ready", "已生成"
        FAILED = "failed", "生成失败"

    edition = models.ForeignKey(Edition, verbose_name="期次", on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveSmallIntegerField("版次", help_text="第几版，从1开始。")
    name = models.CharField("版名", max_length=30, help_text="如：要闻、综合、社会、文体。")
    state = models.CharField(
        "版面状态",
        max_length=12,
        choices=State.choices,
        default=State.PLANNING,
        editable=False,
        help_text="编排中 → 已校对 → 已签发；签发后只读，需重新打开才能修改。",
    )
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任编辑",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pages_edited",
        help_text="对本版负责的编辑。",
    )
    image = models.ImageField(
        "版面图", upload_to="pages/%Y/%m/", blank=True, help_text="印刷版面的图片（JPEG、PNG、WebP）。"
    )
    # The uploaded page PDF, checked in the request and kept until the background worker has rendered it into
    # ``image`` (editions/page_images.py); the page shows its previous image meanwhile.
    image_source = models.FileField(
        "版面原件", upload_to="pages/sources/%Y/%m/", blank=True, editable=False, max_length=200
    )
    image_state = models.CharField(
        "版面图状态",
        max_length=8,
        choices=ImageState.choices,
        blank=True,
        default=ImageState.NONE,
        editable=False,
        help_text="上传的版面 PDF 在后台转换为版面图。",
    )
    image_error = models.TextField("版面图失败原因", blank=True, editable=False)
    unassigned_text = models.TextField(
        "未归属文字", blank=True, help_text="导入时未能归入任何稿件的文字，供编辑核对。"
    )
    banner_text = models.TextField("版面文字", blank=True, help_text="不属于任何稿件的版面文字，如报眉口号。")
    version = models.PositiveIntegerField(
        "版本", default=1, editable=False, help_text="每次改动版面加一，用于发现两人同时编排同一版。"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="最后修改人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签发人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="签发本版的人；重新打开后清空。",
    )
    signed_off_at = models.DateTimeField("签发时间", null=True, blank=True, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        verbose_name = "版面"
        verbose_name_plural = "版面"
        ordering = ("edition", "number")
        permissions = [
            ("signoff_page", "可以校对、签发和重新打开版面"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="page_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1) & Q(number__lte=999), name="page_number_range"),
            models.CheckConstraint(
                condition=Q(state__in=["planning", "proofread", "signed_off"]), name="page_state_valid"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="page_version_positive"),
        ]

    def __str__(self):
        return f"第{self.number}版 {self.name}"

    def save(self, *args, **kwargs):
        """Hand a newly uploaded page file to the background worker (``page_images``), whatever saved it.

        A PDF is kept as ``image_source`` and rendered by the worker into ``image`` (the page keeps its
        previous image meanwhile); an image, already converted in the request, gets its WebP twin there.
        """
        from . import page_images  # page_images imports this module

        update_fields = kwargs.get("update_fields")
        uploaded = self.image if self.image and not self.image._committed else None
        pdf = uploaded is not None and page_images.is_page_source(uploaded.name)
        if pdf:
            self.image_source = uploaded.file
            self.image = (
                Page.objects.filter(pk=self.pk).values_list("image", flat=True).first() or ""
                if self.pk
                else ""
            )
            self.image_state, self.image_error = self.ImageState.PENDING, ""
            if update_fields is not None and "image" in update_fields:
                kwargs["update_fields"] = {*update_fields, "image_source", "image_state", "image_error"}
        super().save(*args, **kwargs)
        if pdf:
            page_images.render_page_image.enqueue(self.pk, self.image_source.name)
        elif uploaded is not None:
            page_images.page_image_stored(self)

    def get_absolute_url(self):
        """The e-paper view of this page."""
        return reverse("editions:page", kwargs={"date": self.edition.date, "number": self.number})

    @property
    def is_placeholder(self):
        """Same test as ``Page.objects.for_readers()`` (excluded there)."""
        return self.name == self.PLACEHOLDER_NAME


class Placement(models.Model):
    """A story standing on a page, in order; optionally continued on another page (下转X版)."""

    edition = models.ForeignKey(
        Edition, verbose_name="期次", on_delete=models.CASCADE, related_name="placements", editable=False
    )
    page = models.ForeignKey(Page, verbose_name="版面", on_delete=models.CASCADE, related_name="placements")
    article = models.ForeignKey(
        Article,
        verbose_name="稿件",
        on_delete=models.PROTECT,
        related_name="placements",
        help_text="见报的稿件；已见报的稿件不能删除。",
    )
    position = models.PositiveSmallIntegerField("顺序", help_text="在本版中的先后，数字越小越靠前。")
    is_lead = models.BooleanField("头条", default=False, help_text="本版的头条稿件，每版一篇。")
    continues_on = models.ForeignKey(
        Page,
        verbose_name="下转版面",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="continued_placements",
        help_text="稿件在哪一版继续（下转X版）；接续版会自动显示“上接X版”。",
    )

    class Meta:
        verbose_name = "见报稿件"
        verbose_name_plural = "见报稿件"
        ordering = ("page", "-is_lead", "position")
        constraints = [
            models.UniqueConstraint(fields=["page", "position"], name="placement_unique_position"),
            # A story stands once in an edition; its jump is its only second appearance.
            models.UniqueConstraint(fields=["edition", "article"], name="placement_unique_article"),
            models.UniqueConstraint(
                fields=["page"], condition=Q(is_lead=True), name="placement_one_lead_per_page"
            ),
            models.CheckConstraint(
                condition=Q(continues_on__isnull=True) | ~Q(continues_on=F("page")),
                name="placement_jump_elsewhere",
            ),
        ]

    def __str__(self):
        return f"{self.page}：{self.article}"

    def save(self, *args, **kwargs):
        """Keep the edition in step with the page (it backs the one-appearance constraint)."""
        self.edition_id = self.page.edition_id
        super().save(*args, **kwargs)


class EditionEvent(models.Model):
    """One line of an edition's history: sign-offs, reopenings, release, later withdrawals."""

    class Action(models.TextChoices):
        CREATE = "create", "创建"
        PROOFREAD = "proofread", "校对"
        SIGN_OFF = "sign_off", "签发版面"
        REOPEN = "reopen", "重新打开"
        REPLAN = "replan", "改动后退回编排"
        RELEASE = "release", "出版"
        SCHEDULE = "schedule", "定时出版"
        WITHDRAW_STORY = "withdraw_story", "撤回稿件"
        IMPORT = "import", "导入"
        REFUSED = "refused", "越权被拒"

    edition = models.ForeignKey(Edition, verbose_name="期次", on_delete=models.CASCADE, related_name="events")
    page = models.ForeignKey(
        Page, verbose_name="版面", null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    article = models.ForeignKey(
        Article, verbose_name="稿件", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField("操作", max_length=16, choices=Action.choices)
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "期次日志"
        verbose_name_plural = "期次日志"
        ordering = ("-created_at", "-pk")

    def __str__(self):
        return f"{self.edition}：{self.get_action_display()}"


class ImportRun(models.Model):
    """One run of the page importer over one file: what it read and what it made."""

    class Outcome(models.TextChoices):
        IMPORTED = "imported", "已导入"
        UNCHANGED = "unchanged", "未变化"
        REPLACED = "replaced", "已替换"
        REFUSED = "refused", "被拒绝"

    source = models.CharField("文件", max_length=255, help_text="导入的文件名。")
    sha256 = models.CharField("内容摘要", max_length=64, db_index=True)
    encoding = models.CharField("编码", max_length=20, blank=True)
    edition = models.ForeignKey(
        Edition, verbose_name="期次", null=True, blank=True, on_delete=models.SET_NULL, related_name="imports"
    )
    page = models.ForeignKey(
        Page, verbose_name="版面", null=True, blank=True, on_delete=models.SET_NULL, related_name="imports"
    )
    page_number = models.PositiveSmallIntegerField("版次", null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.CharField("结果", max_length=12, choices=Outcome.choices)
    articles_created = models.PositiveIntegerField("新建稿件数", default=0)
    unassigned_text = models.TextField("未归属文字", blank=True)
    unassigned_chars = models.PositiveIntegerField("未归属字数", default=0)
    message = models.TextField("说明", blank=True)
    parsed = models.JSONField("解析结果", default=dict, blank=True)
    created_at = models.DateTimeField("导入时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "导入记录"
        verbose_name_plural = "导入记录"
        ordering = ("-created_at", "-pk")

    def __str__(self):
        return f"{self.source}（{timezone.localtime(self.created_at):%Y-%m-%d %H:%M}）"
