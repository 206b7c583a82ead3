"""What is written: people, sections, columns, articles and their bylines, photos, the audit trail."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import GenericTaggedItemBase, TagBase

from . import search
from .sanitize import char_count, plain_text, sanitize_body


class Person(models.Model):
    """A name that can stand in a byline; optionally a login account."""

    name = models.CharField("姓名", max_length=50, db_index=True, help_text="署名时显示的姓名，如：张茂霖。")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        help_text="记者、编辑的登录账号；通讯员可不设。",
    )
    bio = models.TextField("简介", blank=True, help_text="显示在作者页面上的简短介绍。")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "作者"
        verbose_name_plural = "作者"
        ordering = ("name", "pk")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        """Public page listing this person's published stories."""
        return reverse("articles:person", kwargs={"pk": self.pk})


class Section(models.Model):
    """A section of the website (要闻, 综合, 社会, 文体 …)."""

    name = models.CharField("栏目名称", max_length=30, unique=True, help_text="如：要闻、综合、社会、文体。")
    slug = models.SlugField(
        "网址标识", max_length=40, unique=True, help_text="用于网址的英文或拼音，如 yaowen。"
    )
    position = models.PositiveSmallIntegerField("排序", default=0, help_text="数字越小越靠前。")
    description = models.TextField("说明", blank=True, help_text="栏目页顶部显示的说明。")

    class Meta:
        verbose_name = "栏目"
        verbose_name_plural = "栏目"
        ordering = ("position", "name")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        """Public listing of this section."""
        return reverse("articles:section", kwargs={"slug": self.slug})


class Column(models.Model):
    """A recurring named feature (专栏) with its own page and regular writers."""

    name = models.CharField("专栏名称", max_length=50, unique=True, help_text="如：晋江经验、民生观察。")
    slug = models.SlugField("网址标识", max_length=60, unique=True, help_text="用于网址的英文或拼音。")
    description = models.TextField("专栏介绍", blank=True, help_text="专栏页顶部显示的介绍。")
    section = models.ForeignKey(
        Section,
        verbose_name="所属栏目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="columns",
        help_text="专栏通常归属的栏目（可不填）。",
    )
    writers = models.ManyToManyField(
        Person, verbose_name="固定作者", blank=True, related_name="columns", help_text="专栏的固定撰稿人。"
    )
    is_active = models.BooleanField("在办", default=True, help_text="停办的专栏不再出现在导航中。")

    class Meta:
        verbose_name = "专栏"
        verbose_name_plural = "专栏"
        ordering = ("name",)

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        """Public listing of this column."""
        return reverse("articles:column", kwargs={"slug": self.slug})


class Tag(TagBase):
    """A tag; Chinese names keep their characters (the slug is unicode)."""

    class Meta:
        verbose_name = "标签"
        verbose_name_plural = "标签"

    def slugify(self, tag, i=None):
        """Keep Chinese characters in the slug."""
        from django.utils.text import slugify

        slug = slugify(tag, allow_unicode=True) or "tag"
        return f"{slug}_{i}" if i else slug


class TaggedArticle(GenericTaggedItemBase):
    """The link between a tag and an article."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_items")

    class Meta:
        verbose_name = "文章标签"
        verbose_name_plural = "文章标签"
        indexes = [models.Index(fields=["content_type", "object_id"])]


class ArticleQuerySet(models.QuerySet):
    """Queries over articles; ``published()`` is the one definition of what readers may see."""

    def with_status(self, status):
        """Articles in the given workflow state."""
        return self.filter(status=status)

    def released_by(self, when):
        """Articles whose publication time has come by ``when``."""
        return self.filter(published_at__lte=when)

    @staticmethod
    def published_condition(when=None):
        """The test ``published()`` applies, as a ``Q`` that other conditions can be OR-ed with."""
        return Q(status=ArticleStatus.PUBLISHED, published_at__lte=when or timezone.now())

    def published(self, when=None):
        """What readers may see: status published and publication time reached."""
        return self.filter(self.published_condition(when))

    def scheduled(self, when=None):
        """Published articles whose publication time still lies ahead."""
        return self.with_status(Article.Status.PUBLISHED).filter(published_at__gt=when or timezone.now())

    def visible_to(self, user):
        """What ``user`` may see in the admin: all for editors, else their own stories plus published ones.

        Editors and 值班主任 (``edit_any_article``) see every article. Anyone else sees the stories they
        created or stand in a byline of, in any state, plus what readers see (``published()``): a
        colleague's draft, review, scheduled or withdrawn story is not there at all (the admin answers
        404, so its existence is not confirmed). No join, so no duplicates and no ``distinct()``.
        """
        if user is None or not user.is_active:  # anonymous and disabled accounts see nothing here
            return self.none()
        if user.has_perm("articles.edit_any_article"):
            return self.all()
        # The user's bylines as an uncorrelated IN (one hashed set, built once) and publication tested
        # on the row itself: the list's ordering index then serves the whole test at any size.
        own = Q(created_by=user) | Q(pk__in=Byline.objects.filter(person__user=user).values("article_id"))
        return self.filter(own | self.published_condition())

    def with_bylines(self):
        """Prefetch bylines and their people, in order, so a list costs no query per row."""
        return self.prefetch_related(
            models.Prefetch(
                "bylines", queryset=Byline.objects.select_related("person").order_by("order", "pk")
            )
        )


class ArticleStatus(models.TextChoices):
    """The workflow states (``Article.Status``); at module level so the constraints can name its values."""

    DRAFT = "draft", "草稿"
    REVIEW = "review", "待审"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


class Article(models.Model):
    """A story: its printed headline stack, body, bylines, place on the website and workflow state."""

    Status = ArticleStatus

    kicker = models.CharField("引题", max_length=200, blank=True, help_text="主题上方的引题（肩题），可空。")
    headline = models.CharField("主题", max_length=200, help_text="标题的主题，必填。")
    subheadline = models.CharField("副题", max_length=200, blank=True, help_text="主题下方的副题，可空。")
    summary = models.TextField("摘要", blank=True, help_text="一两句话的内容提要，用于列表和分享。")
    body = models.TextField(
        "正文", blank=True, help_text="正文：段落、小标题、加粗、链接、列表、引文和图片。"
    )
    section = models.ForeignKey(
        Section,
        verbose_name="栏目",
        on_delete=models.PROTECT,
        related_name="articles",
        help_text="文章在网站上归属的栏目。",
    )
    column = models.ForeignKey(
        Column,
        verbose_name="专栏",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        help_text="属于某个专栏时选择（可不填）。",
    )
    tags = TaggableManager(
        "标签", through=TaggedArticle, blank=True, help_text="以逗号分隔的标签，如：集成电路,晋江。"
    )
    lead_photo = models.ForeignKey(
        "articles.Photo",
        verbose_name="题图",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lead_of",
        help_text="显示在文章顶部、列表和分享卡片上的图片；输入图说或摄影者查找。",
    )
    # The tag links themselves, so revision history (django-reversion) can follow and restore them.
    tagged_items = GenericRelation(TaggedArticle)
    status = models.CharField(
        "状态",
        max_length=12,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        editable=False,
        help_text="稿件状态，只能通过审稿流程改变。",
    )
    published_at = models.DateTimeField(
        "发布时间",
        null=True,
        blank=True,
        editable=False,
        help_text="发布时间；晚于现在即为定时发布。",
    )
    submitted_at = models.DateTimeField("送审时间", null=True, blank=True, editable=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False, help_text="用于防止编辑冲突。")
    search_document = models.TextField("检索文本", blank=True, editable=False)
    char_count = models.PositiveIntegerField(
        "字数", default=0, editable=False, help_text="正文的字数：汉字、字母和数字，不计标点与空格。"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="articles_created",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="最后修改人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="articles_updated",
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "稿件"
        verbose_name_plural = "稿件"
        ordering = ("-published_at", "-created_at", "-pk")
        permissions = [
            ("submit_article", "可以送审稿件"),
            ("review_article", "可以退回稿件"),
            ("publish_article", "可以发布稿件"),
            ("withdraw_article", "可以撤回稿件"),
            ("edit_any_article", "可以编辑他人稿件"),
            ("preview_article", "可以生成预览链接"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ArticleStatus.values),
                name="article_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | ~Q(headline=""),
                name="article_published_has_headline",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="article_version_positive"),
        ]
        indexes = [
            # The public listings' order (newest first, the pk breaking ties: articles/pagination.py),
            # whole, so that no plan sorts, whatever the planner's statistics say.
            models.Index(fields=["status", "-published_at", "-id"], name="article_status_pub_idx"),
            models.Index(
                fields=["section", "status", "-published_at", "-id"], name="article_section_pub_idx"
            ),
            models.Index(fields=["column", "status", "-published_at", "-id"], name="article_column_pub_idx"),
            # The admin's list (articles/admin/articles.py): its default ordering, with the columns a
            # reporter's list tests (status, created_by) after it, so that test reads no table row.
            models.Index(
                fields=["-published_at", "-created_at", "-id", "status", "created_by"],
                name="article_admin_order_idx",
            ),
            # The same ordering within a status, a section, a column (the list's filters), again with
            # what a reporter's list tests after it.
            models.Index(
                fields=["status", "-published_at", "-created_at", "-id", "created_by"],
                name="article_admin_status_idx",
            ),
            models.Index(
                fields=["section", "-published_at", "-created_at", "-id", "status", "created_by"],
                name="article_admin_section_idx",
            ),
            models.Index(
                fields=["column", "-published_at", "-created_at", "-id", "status", "created_by"],
                name="article_admin_column_idx",
            ),
            # The sortable columns, each with its tie-breaker.
            models.Index(fields=["-updated_at", "-id"], name="article_admin_updated_idx"),
            models.Index(fields=["-submitted_at", "-id"], name="article_admin_submitted_idx"),
            # The review queue, oldest first: only the stories in review.
            models.Index(
                fields=["submitted_at", "id"],
                condition=Q(status="review"),
                name="article_review_queue_idx",
            ),
        ]

    def __str__(self):
        return self.headline or "（无标题）"

    def save(self, *args, **kwargs):
        """Sanitize the body and rebuild the search document before writing."""
        self.derive_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "body", "search_document", "char_count"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The article's canonical public URL."""
        return reverse("articles:detail", kwargs={"pk": self.pk})

    def derive_fields(self):
        """Sanitize the body, strip the titles, count 字数 and build the search document (``save`` and bulk inserts)."""
        from .photos import normalise_body_photos  # the photos package imports the Photo model

        self.body = normalise_body_photos(sanitize_body(self.body))
        for field in ("kicker", "headline", "subheadline"):
            setattr(self, field, (getattr(self, field) or "").strip())
        body_text = self.body_text()
        self.char_count = char_count(body_text)
        self.search_document = search.document(
            self.kicker, self.headline, self.subheadline, self.summary, body_text
        )
        return self

    @property
    def is_published(self):
        """Same test as ``Article.objects.published()``, for one instance."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        """Published, with a publication time still ahead."""
        return (
            self.status == self.Status.PUBLISHED and self.published_at is not None and not self.is_published
        )

    @property
    def title(self):
        """The headline stack on one line, for lists and the browser's title bar."""
        return " ".join(part for part in (self.kicker, self.headline, self.subheadline) if part)

    def body_text(self):
        """The body as plain text."""
        return plain_text(self.body)


class BylineRole(models.TextChoices):
    """A byline's role (``Byline.Role``): stored in English like every other choice, labelled as printed."""

    REPORTER = "reporter", "记者"
    CORRESPONDENT = "correspondent", "通讯员"
    INTERN = "intern", "实习生"
    PHOTOGRAPHER = "photographer", "摄影"
    COMMENTATOR = "commentator", "评论员"
    EDITOR = "editor", "编辑"

    @classmethod
    def from_label(cls, label):
        """The role printed as ``label`` (记者 → REPORTER), as the page importer reads it."""
        return {str(role.label): role for role in cls}[label]


class Byline(models.Model):
    """One person's credit on an article, with a role, in printed order."""

    Role = BylineRole

    article = models.ForeignKey(
        Article, verbose_name="稿件", on_delete=models.CASCADE, related_name="bylines"
    )
    person = models.ForeignKey(
        Person,
        verbose_name="作者",
        on_delete=models.PROTECT,
        related_name="bylines",
        help_text="输入姓名查找；新通讯员可点“+”添加。",
    )
    role = models.CharField(
        "身份", max_length=16, choices=Role.choices, default=Role.REPORTER, help_text="署名身份。"
    )
    order = models.PositiveSmallIntegerField("顺序", default=0, help_text="署名先后，数字越小越靠前。")

    class Meta:
        verbose_name = "署名"
        verbose_name_plural = "署名"
        ordering = ("order", "pk")
        constraints = [
            models.UniqueConstraint(fields=["article", "person", "role"], name="byline_unique_person_role"),
            models.CheckConstraint(
                condition=Q(
                    role__in=["reporter", "correspondent", "intern", "photographer", "commentator", "editor"]
                ),
                name="byline_role_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.person}"


class ArticleEvent(models.Model):
    """One line of an article's audit trail: who moved it where, when, and why."""

    class Action(models.TextChoices):
        CREATE = "create", "创建"
        SUBMIT = "submit", "送审"
        UNSUBMIT = "unsubmit", "撤回送审"
        RETURN = "return", "退回"
        PUBLISH = "publish", "发布"
        SCHEDULE = "schedule", "定时发布"
        WITHDRAW = "withdraw", "撤回"
        REOPEN = "reopen", "重新送审"
        RESTORE = "restore", "恢复版本"
        IMPORT = "import", "导入"
        REFUSED = "refused", "越权被拒"

    article = models.ForeignKey(Article, verbose_name="稿件", on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="article_events",
    )
    action = models.CharField("操作", max_length=12, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=12, choices=Article.Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=12, choices=Article.Status.choices, blank=True)
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "稿件日志"
        verbose_name_plural = "稿件日志"
        ordering = ("-created_at", "-pk")
        indexes = [
            models.Index(fields=["actor", "-created_at"], name="articleevent_actor_idx"),
            # The log's list (articles/admin/log.py): newest first, and per action.
            models.Index(fields=["-created_at", "-id"], name="articleevent_log_idx"),
            models.Index(fields=["action", "-created_at", "-id"], name="articleevent_action_idx"),
        ]

    def __str__(self):
        return f"{self.get_action_display()}：{self.article}"


class ArticleAutosave(models.Model):
    """One user's unsaved form content for one article, kept on the server while they type.

    Never a revision, never read by a public page, never written into the article: it only lets
    the same user recover what a crash or a closed tab lost (the change page offers it with a diff).
    ``article`` is empty for a story still being written in the add form.
    """

    article = models.ForeignKey(
        Article,
        verbose_name="稿件",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="autosaves",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="article_autosaves",
    )
    data = models.JSONField("未保存的内容", default=dict)
    loaded_version = models.PositiveIntegerField("基于的版本", null=True, blank=True)
    saved_at = models.DateTimeField("自动保存时间", default=timezone.now)

    class Meta:
        verbose_name = "自动保存"
        verbose_name_plural = "自动保存"
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="autosave_one_per_user_article"),
            models.UniqueConstraint(
                fields=["user"], condition=Q(article__isnull=True), name="autosave_one_new_per_user"
            ),
        ]

    def __str__(self):
        return f"{self.user}：{self.article or '新稿件'}"


from .photos.models import Photo, PhotoRendition  # noqa: E402,F401
