"""Public views of the news site; every one reads ``Article.objects.published()``."""

from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from .models import Article, Column, Person, Section


def public_articles():
    """Published articles with what a listing shows, without a query per row."""
    return Article.objects.published().select_related("section", "column").with_bylines()


class HomeView(ListView):
    """The paper's name and its latest published stories."""

    template_name = "site/home.html"
    context_object_name = "articles"

    def get_queryset(self):
        return public_articles().order_by("-published_at", "-pk")[:20]


class ArticleDetailView(DetailView):
    """One published story."""

    template_name = "site/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return public_articles()


class _FilteredListView(ListView):
    template_name = "site/article_list.html"
    context_object_name = "articles"
    paginate_by = 20
    model_class = None
    lookup = "slug"

    def get_object(self):
        return get_object_or_404(self.model_class, **{self.lookup: self.kwargs[self.lookup]})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = self.object
        return context


class SectionView(_FilteredListView):
    """Published stories of one section."""

    model_class = Section

    def get_queryset(self):
        self.object = self.get_object()
        return public_articles().filter(section=self.object).order_by("-published_at", "-pk")


class ColumnView(_FilteredListView):
    """Published stories of one column."""

    model_class = Column

    def get_queryset(self):
        self.object = self.get_object()
        return public_articles().filter(column=self.object).order_by("-published_at", "-pk")


class PersonView(_FilteredListView):
    """Published stories bylined by one person."""

    model_class = Person
    lookup = "pk"

    def get_queryset(self):
        self.object = self.get_object()
        return (
            public_articles().filter(bylines__person=self.object).distinct().order_by("-published_at", "-pk")
        )
