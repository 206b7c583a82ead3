"""One definition of visible: Article.objects.published() and Article.is_published agree."""

from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("traits", "visible"),
    [
        ({}, False),
        ({"review": True}, False),
        ({"scheduled": True}, False),
        ({"published": True}, True),
        ({"withdrawn": True}, False),
    ],
    ids=["draft", "review", "future", "past", "withdrawn"],
)
def test_published_queryset_and_instance_agree(traits, visible):
    article = ArticleFactory(**traits)
    assert (article in Article.objects.published()) is visible
    assert article.is_published is visible


def test_scheduled_article_becomes_visible_by_itself():
    when = timezone.now() + timedelta(hours=2)
    article = ArticleFactory(status=Article.Status.PUBLISHED, published_at=when)
    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert article.is_scheduled
    with time_machine.travel(when + timedelta(seconds=1)):
        assert Article.objects.published().filter(pk=article.pk).exists()
        assert article.is_published


def test_database_refuses_published_without_time():
    with pytest.raises(IntegrityError):
        ArticleFactory(status=Article.Status.PUBLISHED, published_at=None)


def test_database_refuses_unknown_status():
    article = ArticleFactory()
    with pytest.raises(IntegrityError):
        Article.objects.filter(pk=article.pk).update(status="live")


def test_database_refuses_published_without_headline():
    with pytest.raises(IntegrityError):
        ArticleFactory(published=True, headline="")


def test_status_values_are_stored_exactly():
    assert [value for value, _ in Article.Status.choices] == ["draft", "review", "published", "withdrawn"]
