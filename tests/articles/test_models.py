"""The domain model: bylines, tags, constraints."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models.deletion import ProtectedError

from articles.bylines import byline_line
from articles.models import Article, Byline
from editions.models import Placement
from tests.factories import ArticleFactory, BylineFactory, PageFactory, PersonFactory, PlacementFactory

pytestmark = pytest.mark.django_db


def test_chinese_tags_keep_their_characters():
    article = ArticleFactory()
    article.tags.add("集成电路", "晋江经验")
    article.refresh_from_db()
    names = sorted(t.name for t in article.tags.all())
    assert names == ["晋江经验", "集成电路"]
    assert sorted(t.slug for t in article.tags.all()) == ["晋江经验", "集成电路"]


def test_same_person_twice_in_one_role_is_refused_by_the_database():
    byline = BylineFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Byline.objects.create(article=byline.article, person=byline.person, role=byline.role, order=5)


def test_byline_line_is_rendered_from_bylines():
    article = ArticleFactory()
    a, b, c = PersonFactory(name="林伊婷"), PersonFactory(name="秦越"), PersonFactory(name="王通讯")
    BylineFactory(article=article, person=a, order=1)
    BylineFactory(article=article, person=b, order=2)
    assert byline_line(article.bylines.all()) == "本报记者 林伊婷 秦越"
    BylineFactory(article=article, person=c, role=Byline.Role.CORRESPONDENT, order=3)
    assert byline_line(article.bylines.all()) == "记者 林伊婷 秦越 通讯员 王通讯"


def test_placed_article_cannot_be_deleted():
    placement = PlacementFactory()
    with pytest.raises(ProtectedError):
        placement.article.delete()
    assert Article.objects.filter(pk=placement.article.pk).exists()


def test_story_stands_once_per_edition_and_one_lead_per_page():
    placement = PlacementFactory(is_lead=True)
    other_page = PageFactory(edition=placement.page.edition, number=placement.page.number + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(page=other_page, article=placement.article, position=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlacementFactory(page=placement.page, is_lead=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlacementFactory(page=placement.page, position=placement.position)


def test_jump_cannot_point_at_its_own_page():
    placement = PlacementFactory()
    placement.continues_on = placement.page
    with pytest.raises(IntegrityError), transaction.atomic():
        placement.save()


def test_page_numbers_unique_per_edition():
    page = PageFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PageFactory(edition=page.edition, number=page.number)


def test_body_is_sanitized_on_every_save():
    article = ArticleFactory(body='<p onclick="x()">好<script>alert(1)</script></p>')
    assert article.body == "<p>好</p>"
    Article.objects.filter(pk=article.pk)
    article.body = '<a href="javascript:alert(1)">链接</a>'
    article.save(update_fields=["body"])
    article.refresh_from_db()
    assert "javascript" not in article.body
