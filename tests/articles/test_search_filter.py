"""``articles.search.filter_queryset``: the admin's search, any status, same index and recall as the public one."""

import random

import pytest

from articles import search
from articles.models import Article
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
