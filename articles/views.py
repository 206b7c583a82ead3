"""Public views of the news site; every one reads ``Article.objects.published()``.

The views are wrapped in ``newsroom.cache.cache_public_page`` in ``articles/urls.py``.
What a story's place in the printed paper adds (下转/上接, previous/next story) is drawn by the
e-paper's own template tags, loaded by the templates: this app depends on nothing printed.
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.http import http_date
from django.views.generic import DetailView, ListView, TemplateView

from .models import Article, Column, Person, Section, Tag
from .search import find, query, rank, snippets

PAGE_SIZE = 20
HOME_PER_SECTION = 6


def public_articles():
    """Published articles with what a listing shows, without a query per row."""
    return Article.objects.published().select_related("section", "column", "lead_photo").with_bylines()


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
        # One small indexed query per section (article_section_pub_idx): bounded by the number of
        # sections, not by the number of stories.
        for section in sections:
            articles = list(
                Article.objects.published()
                .filter(section=section)
                .only("pk", "kicker", "headline", "subheadline", "summary", "published_at", "section_id")
                .order_by("-published_at", "-pk")[:HOME_PER_SECTION]
            )
            for article in articles:
                article.section = section
            if articles:
                by_section.append((section, articles))
        context.update(
            latest=public_articles().order_by("-published_at", "-pk")[:8],
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


class _FilteredListView(ListView):
    template_name = "site/article_list.html"
    context_object_name = "articles"
    paginate_by = PAGE_SIZE
    allow_empty = True
    kind = ""

    def filtered(self, qs):
        return qs

    def get_queryset(self):
        self.object = self.get_object()
        return self.filtered(public_articles()).order_by("-published_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(heading=self.object, listing=self.object, kind=self.kind)
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
        person = get_object_or_404(Person, pk=self.kwargs["pk"])
        if not Article.objects.published().filter(bylines__person=person).exists():
            raise Http404("没有这位作者的已发布稿件。")
        return person

    def filtered(self, qs):
        return qs.filter(pk__in=Article.objects.published().filter(bylines__person=self.object).values("pk"))


class TagView(_FilteredListView):
    """Published stories with one tag; a tag on no published story has no public page."""

    kind = "tag"

    def get_object(self):
        tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        if not self.tagged(Article.objects.published(), tag).exists():
            raise Http404("没有这个标签的已发布稿件。")
        return tag

    @staticmethod
    def tagged(qs, tag):
        return qs.filter(tags=tag)

    def filtered(self, qs):
        return qs.filter(pk__in=self.tagged(Article.objects.published(), self.object).values("pk"))


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
