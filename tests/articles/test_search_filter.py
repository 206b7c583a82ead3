"""``articles.search.filter_queryset``: the admin's search, any status, same index and recall as the public one."""

import random

import pytest
from django.db import connection
from django.urls import reverse

from articles import search
from articles.models import Article
from articles.search import find, postgres
from articles.search.query import parse_query
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

WORDS = ["安海镇", "安海", "摩尼光佛", "晋江经验", "海镇", "5G基站", "Newsroom"]
FILLER = "今天天气很好大家都来参加活动镇上有人海边风大"


def _text(article):
    return search.normalize(
        " ".join(
            [article.kicker, article.headline, article.subheadline, article.summary, article.body_text()]
        )
    )


def _corpus():
    rng = random.Random(13)
    traits = [{}, {"review": True}, {"published": True}, {"scheduled": True}, {"withdrawn": True}]
    for i in range(60):
        body = "".join(rng.sample(FILLER, 8))
        if rng.random() < 0.5:
            body += rng.choice(WORDS) + "。" + "".join(rng.sample(FILLER, 5))
        ArticleFactory(headline=f"稿件{i}", body=f"<p>{body}</p>", **traits[i % len(traits)])
    for trait in traits:  # one story per status certainly holds the word
        ArticleFactory(headline="每种状态", body="<p>安海镇的消息。</p>", **trait)


def test_every_status_is_searched_with_substring_recall():
    _corpus()
    articles = list(Article.objects.all())
    for word in [*WORDS, "安", "海", "镇上", "newsr"]:
        expected = {a.pk for a in articles if search.normalize(word) in _text(a)}
        found = set(search.filter_queryset(Article.objects.all(), word).values_list("pk", flat=True))
        if word == "newsr":
            assert found == expected  # a Latin word matches as a word start
        else:
            assert found == expected, word
    statuses = set(search.filter_queryset(Article.objects.all(), "安海").values_list("status", flat=True))
    assert statuses == set(Article.Status.values)


def test_the_callers_filters_and_ordering_are_kept():
    older = ArticleFactory(headline="安海镇旧稿", review=True)
    newer = ArticleFactory(headline="安海镇新稿", review=True)
    ArticleFactory(headline="安海镇已发", published=True)
    ArticleFactory(headline="别的稿件", review=True)
    qs = Article.objects.filter(status=Article.Status.REVIEW).select_related("section").order_by("-pk")
    found = search.filter_queryset(qs, "安海镇")
    assert list(found) == [newer, older]
    assert list(found.order_by("pk")) == [older, newer]
    # The result is still a queryset: it counts, slices and filters further.
    assert found.count() == 2
    assert list(found.filter(headline__contains="旧")) == [older]


def test_blank_query_changes_nothing_and_punctuation_finds_nothing():
    ArticleFactory(headline="安海镇", review=True)
    ArticleFactory(headline="晋江", published=True)
    qs = Article.objects.all()
    assert search.filter_queryset(qs, "") is qs
    assert search.filter_queryset(qs, "   ") is qs
    assert search.filter_queryset(qs, None) is qs
    assert list(search.filter_queryset(qs, "，。！")) == []


def test_query_is_cleaned_like_the_public_search():
    article = ArticleFactory(headline="晋江建成5G基站", body="<p>Newsroom CMS 上线</p>", review=True)
    ArticleFactory(headline="其他新闻", body="<p>news 安海。镇上</p>", review=True)
    assert list(search.filter_queryset(Article.objects.all(), "ＣＭＳ")) == [article]
    assert list(search.filter_queryset(Article.objects.all(), "5g基站")) == [article]
    # A phrase never joins the end of one run to the start of the next.
    assert list(search.filter_queryset(Article.objects.all(), "安海镇")) == []
    # Control characters and an over-long paste are cleaned, not errors.
    assert list(search.filter_queryset(Article.objects.all(), "5G\x00基站" + "x" * 10_000)) == []
    assert list(search.filter_queryset(Article.objects.all(), "\x00基站")) == [article]


# --- the admin's capped search: the first matches in the list's order ------------------------------------

ORDERINGS = [None, ("-pk",), ("updated_at", "pk"), ("-published_at", "-created_at", "-pk")]


def _expected_first(queryset, word, limit):
    """The first limit + 1 stories of ``queryset`` (in its order) whose text holds ``word``: a plain scan."""
    return [a.pk for a in queryset if search.normalize(word) in _text(a)][: limit + 1]


@pytest.fixture(params=["index", "walk"])
def strategy(request, monkeypatch):
    """Both ways to the first matches. The walk is taken on large tables for common words only, by the
    planner's estimate (0 below 1,000 stories): here the table is made to count as large and every
    word as common, and the walk's SQL runs for real."""
    if request.param == "walk":
        if connection.vendor != "postgresql":
            pytest.skip("the walk is PostgreSQL's strategy; SQLite scans")
        monkeypatch.setattr(postgres, "CAPPED_WALK_MIN_STORIES", 0)
        monkeypatch.setattr(postgres, "_share", lambda parsed: 0.5)
        monkeypatch.setattr(postgres, "_stories", lambda: 1_000_000)
    return request.param


@pytest.mark.parametrize("ordering", ORDERINGS)
def test_a_capped_search_keeps_exactly_the_first_matches_in_the_querysets_order(strategy, ordering):
    _corpus()
    base = Article.objects.all() if ordering is None else Article.objects.order_by(*ordering)
    for word in ["安海镇", "安海", "海镇", "摩尼光佛", "5G基站", "Newsroom", "安"]:
        for limit in [0, 3, 1000]:
            found = search.filter_queryset(base, word, limit=limit)
            # The result is the caller's queryset, still in its order: the first matches, one over.
            assert list(found.values_list("pk", flat=True)) == _expected_first(base, word, limit), (
                word,
                limit,
            )


def test_a_capped_search_keeps_the_callers_filters(strategy):
    _corpus()
    drafts = Article.objects.filter(status=Article.Status.DRAFT).order_by("-pk")
    found = search.filter_queryset(drafts, "安海", limit=2)
    assert list(found) == [a for a in drafts if "安海" in _text(a)][:3]
    assert {a.status for a in found} == {Article.Status.DRAFT}


def test_the_admin_lists_the_first_matches_in_its_order_and_says_there_are_more(editor_client, monkeypatch):
    from articles.admin import articles as article_admin

    monkeypatch.setattr(article_admin, "SEARCH_LIMIT", 3)
    stories = [ArticleFactory(headline=f"安海镇消息{i}", review=True) for i in range(6)]
    ArticleFactory(headline="别的消息", review=True)
    url = reverse("admin:articles_article_changelist")
    response = editor_client.get(url, {"q": "安海镇"})
    assert "超过 3 篇" in response.content.decode()
    # Newest first (the list's default): the newest four are kept, one over the limit.
    assert {a.pk for a in response.context["cl"].result_list} == {a.pk for a in stories[-4:]}
    # Sorted by 更新时间 ascending (list_display's 7th column): the oldest updated four.
    column = 1 + list(article_admin.ArticleAdmin.list_display).index("updated_at")
    response = editor_client.get(url, {"q": "安海镇", "o": str(column)})
    assert [a.pk for a in response.context["cl"].result_list] == [a.pk for a in stories[:4]]
    # Fewer matches than the limit: counted exactly.
    response = editor_client.get(url, {"q": "别的"})
    assert "共 1 篇" in response.content.decode()


def test_a_capped_search_for_nothing_searchable_finds_nothing(strategy):
    _corpus()
    assert find.capped_ids(Article.objects.all(), parse_query("，。！"), limit=5) == []
    assert list(search.filter_queryset(Article.objects.all(), "，。！", limit=5)) == []
