"""稿件日志: the newsroom-wide, read-only log of workflow moves, by real name."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.html import format_html

from newsroom.admin import ReadOnlyAdminMixin
from newsroom.admin_lists import LargeListMixin, YearMonthFilter

from .. import search
from ..models import Article, ArticleEvent
from ..people import display_name


class ActorFilter(admin.RelatedOnlyFieldListFilter):
    """稿件日志's 操作人 filter: the people who appear in the log, by real name, never a login name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_value_display = "系统"  # events with no actor: imports from the command line

    def field_choices(self, field, request, model_admin):
        """Everyone with an event in this user's log, by name, in one query.

        Asked per account (a short table), each an index probe of the log by actor: never a pass
        over every event to collect their actors.
        """
        events = model_admin.get_queryset(request).filter(actor=OuterRef("pk"))
        users = get_user_model().objects.filter(Exists(events)).select_related("person")
        return sorted(((user.pk, display_name(user)) for user in users), key=lambda choice: choice[1])


class EventMonthFilter(YearMonthFilter):
    """时间 by year and month: the log's way to older lines (no date_hierarchy DISTINCT)."""

    title = "年月"
    parameter_name = "month"
    field_name = "created_at"


@admin.register(ArticleEvent)
class ArticleEventAdmin(LargeListMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The newsroom-wide log of workflow moves, filterable by person and date.

    Several lines per story: at a million stories, millions of lines. Never counted whole
    (``LargeListMixin``), sorted by time only (an index), searched through the stories' search
    index and the people's names, never by ``icontains`` over every line.
    """

    list_display = (
        "created_at",
        "actor_display",
        "action",
        "article_link",
        "from_status",
        "to_status",
        "note",
    )
    list_filter = (("actor", ActorFilter), "action", EventMonthFilter, "created_at")
    list_select_related = ("actor__person", "article")
    # Searched by get_search_results: the stories' text through the search index, people by name.
    search_fields = ("article__headline", "actor__person__name")
    search_help_text = "按稿件的标题和正文中的字词，或操作人的姓名查找。"
    sortable_by = ("created_at",)

    class Media:
        css = {"all": ("admin_newsroom/workflow.css",)}

    def get_search_results(self, request, queryset, search_term):
        """Lines of the stories containing the words (the search index) or by people of that name."""
        term = search_term.strip()
        if not term:
            return queryset, False
        stories = search.filter_queryset(Article.objects.all(), term).values("pk")
        people = get_user_model().objects.filter(
            Q(person__name__icontains=term) | Q(first_name__icontains=term) | Q(last_name__icontains=term)
        )
        return queryset.filter(Q(article__in=stories) | Q(actor__in=people.values("pk"))), False

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
