"""稿件日志: the newsroom-wide, read-only log of workflow moves, by real name."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import format_html

from newsroom.admin import ReadOnlyAdminMixin

from ..models import Article, ArticleEvent
from ..people import display_name


class ActorFilter(admin.RelatedOnlyFieldListFilter):
    """稿件日志's 操作人 filter: the people who appear in the log, by real name, never a login name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_value_display = "系统"  # events with no actor: imports from the command line

    def field_choices(self, field, request, model_admin):
        """Everyone with an event in this user's log, by name, in one query."""
        actors = model_admin.get_queryset(request).values("actor")
        users = get_user_model().objects.filter(pk__in=actors).select_related("person")
        return sorted(((user.pk, display_name(user)) for user in users), key=lambda choice: choice[1])


@admin.register(ArticleEvent)
class ArticleEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The newsroom-wide log of workflow moves, filterable by person and date."""

    list_display = (
        "created_at",
        "actor_display",
        "action",
        "article_link",
        "from_status",
        "to_status",
        "note",
    )
    list_filter = (("actor", ActorFilter), "action", "created_at")
    date_hierarchy = "created_at"
    list_select_related = ("actor__person", "article")
    search_fields = (
        "article__headline",
        "note",
        "actor__person__name",
        "actor__last_name",
        "actor__first_name",
    )

    class Media:
        css = {"all": ("admin_newsroom/workflow.css",)}

    @admin.display(description="操作人", ordering="actor")
    def actor_display(self, obj):
        """Who made the move, by real name."""
        return display_name(obj.actor)

    def get_queryset(self, request):
        """Only the events of articles this user may see (``Article.objects.visible_to``)."""
        events = super().get_queryset(request)
        if request.user.has_perm("articles.edit_any_article"):
            return events  # they see every article: spare the long log a subquery over all of them
        return events.filter(article__in=Article.objects.visible_to(request.user).values("pk"))

    @admin.display(description="稿件", ordering="article__headline")
    def article_link(self, obj):
        """A link to the article's change page."""
        url = reverse("admin:articles_article_change", args=[obj.article_id])
        return format_html('<a href="{}">{}</a>', url, obj.article)
