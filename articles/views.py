"""Public views of the news site; every one reads ``Article.objects.published()``.

The views are wrapped in ``newsroom.cache.cache_public_page`` in ``articles/urls.py``.
What a story's place in the printed paper adds (下转/上接, previous/next story) is drawn by the
e-paper's own template tags, loaded by the templates: this app depends on nothing printed.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import http_date
from django.views.generic import DetailView, TemplateView

from .models import Article, Byline, Column, Person, Section, Tag, TaggedArticle
from .pagination import keyset_page
from .search import find, query, rank, snippets

PAGE_SIZE = 20
HOME_PER_SECTION = 6


# What a listing row shows (templates/includes/article_item.html): never the body.
LIST_FIELDS = (
    "kicker", "headline", "subheadline", "summary", "published_at",
    "section", "lead_photo", "section__name", "section__slug",
)  # fmt: skip
# A person's page says how many stories they have up to this many, then "more than".
PERSON_COUNT_CAP = 1000


def public_articles():
    """Published articles with what a listing shows, without a query per row."""
    return Article.objects.published().select_related("section", "column", "lead_photo").with_bylines()


def listed_articles():
    """Published articles with a listing row's fields only (no body, no bylines: rows show neither)."""
    return Article.objects.published().select_related("section", "lead_photo").only(*LIST_FIELDS)


class LastModifiedMixin:
    """Add a Last-Modified header from ``last_modified()`` so conditional GETs can answer 304."""

    def last_modified(self):
        return None

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        stamp = self.last_modified()
        if stamp is not None:
            response["Last-Modified"] = http_date(stamp.timestamp())
        return response


class HomeView(TemplateView):
    """The day's lead stories, the latest stories by section, the current edition's front page."""

    template_name = "site/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sections = list(Section.objects.all())
        by_section = []
        now = timezone.now()
        # One small indexed query per section (article_section_pub_idx): bounded by the number of
        # sections, not by the number of stories.
        for section in sections:
            articles = list(
                Article.objects.published(now)
                .filter(section=section)
                .only("pk", "headline", "published_at", "section_id")
                .order_by("-published_at", "-pk")[:HOME_PER_SECTION]
            )
            for article in articles:
                article.section = section
            if articles:
                by_section.append((section, articles))
        context.update(
            latest=listed_articles().order_by("-published_at", "-pk")[:8],
            by_section=by_section,
            sections=sections,
        )
        return context


class ArticleDetailView(LastModifiedMixin, DetailView):
    """One published story at its canonical URL /articles/<pk>/."""

    template_name = "site/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return public_articles().prefetch_related("tags")

    def last_modified(self):
        return max(self.object.updated_at, self.object.published_at)


class _FilteredListView(TemplateView):
    """A newest-first listing of published stories, paged by keyset (``?before=`` / ``?after=``)."""

    template_name = "site/article_list.html"
    kind = ""

    def get_object(self):
        raise NotImplementedError

    def filtered(self, qs):
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.object = self.get_object()
        page = keyset_page(self.filtered(listed_articles()), self.request.GET, PAGE_SIZE)
        context.update(
            heading=self.object,
            listing=self.object,
            kind=self.kind,
            articles=page.object_list,
            page_obj=page,
        )
        return context


class SectionView(_FilteredListView):
    """Published stories of one section (栏目)."""

    kind = "section"

    def get_object(self):
        return get_object_or_404(Section, slug=self.kwargs["slug"])

    def filtered(self, qs):
        return qs.filter(section=self.object)


class ColumnView(_FilteredListView):
    """Published stories of one column (专栏)."""

    kind = "column"

    def get_object(self):
        return get_object_or_404(Column, slug=self.kwargs["slug"])

    def filtered(self, qs):
        return qs.filter(column=self.object)


class PersonView(_FilteredListView):
    """Published stories bylined by one person; a person with none has no public page."""

    kind = "person"
    template_name = "site/person.html"

    def get_object(self):
        return get_object_or_404(Person, pk=self.kwargs["pk"])

    def filtered(self, qs):
        # EXISTS on the story's primary key: no duplicate when one person signs twice (记者 and 摄影).
        return qs.filter(Exists(Byline.objects.filter(article=OuterRef("pk"), person=self.object)))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not context["articles"] and not context["page_obj"].has_previous:
            raise Http404("没有这位作者的已发布稿件。")
        # A capped count: reads at most PERSON_COUNT_CAP + 1 index entries, never the whole archive.
        stories = self.filtered(Article.objects.published()).values("pk")[: PERSON_COUNT_CAP + 1]
        count = stories.count()
        context.update(story_count=min(count, PERSON_COUNT_CAP), more_stories=count > PERSON_COUNT_CAP)
        return context


class TagView(_FilteredListView):
    """Published stories with one tag; a tag on no published story has no public page."""

    kind = "tag"

    def get_object(self):
        return get_object_or_404(Tag, slug=self.kwargs["slug"])

    def filtered(self, qs):
        links = TaggedArticle.objects.filter(
            tag=self.object,
            object_id=OuterRef("pk"),
            content_type=ContentType.objects.get_for_model(Article),
        )
        return qs.filter(Exists(links))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not context["articles"] and not context["page_obj"].has_previous:
            raise Http404("没有这个标签的已发布稿件。")
        return context


class SearchView(TemplateView):
    """Search over published stories: substring recall, ranked, with snippets and filters."""

    template_name = "site/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        parsed = query.parse_query(params.get("q", ""))
        parsed.truncated = parsed.truncated or getattr(self.request, "query_string_truncated", False)
        section = None
        section_slug = (params.get("section") or "")[:40]
        sections = list(Section.objects.all())
        if section_slug:
            section = next((s for s in sections if s.slug == section_slug), None)
        date_from = query.parse_date(params.get("from"))
        date_to = query.parse_date(params.get("to"))
        context.update(
            query=parsed,
            q=parsed.text,
            max_query_chars=query.MAX_QUERY_CHARS,
            sections=sections,
            section=section,
            date_from=date_from,
            date_to=date_to,
            results=[],
            total=0,
            more=False,
        )
        if parsed.is_empty:
            return context
        ids, total, more = find.search_articles(parsed, section=section, date_from=date_from, date_to=date_to)
        ordered = rank.rank_ids(parsed, ids)
        paginator = Paginator(ordered, PAGE_SIZE)
        page_obj = paginator.get_page(params.get("page"))
        page_ids = list(page_obj.object_list)
        articles = {a.pk: a for a in public_articles().filter(pk__in=page_ids)}
        results = []
        for pk in page_ids:
            article = articles.get(pk)
            if article is None:
                continue
            text = article.summary + " " + article.body_text()
            results.append(
                (
                    article,
                    snippets.snippet(article.headline, parsed, width=200),
                    snippets.snippet(text, parsed),
                )
            )
        context.update(results=results, total=total, more=more, page_obj=page_obj, paginator=paginator)
        return context
