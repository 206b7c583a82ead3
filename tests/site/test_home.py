"""The minimal public home page."""

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_home_shows_paper_name_and_only_published_stories(client, settings):
    ArticleFactory(published=True, headline="已发布的新闻")
    ArticleFactory(headline="草稿新闻")
    ArticleFactory(review=True, headline="待审新闻")
    ArticleFactory(scheduled=True, headline="定时新闻")
    html = client.get(reverse("articles:home")).content.decode()
    assert settings.NEWSROOM_PAPER_NAME in html
    assert 'lang="zh-Hans"' in html
    assert "已发布的新闻" in html
    for hidden in ("草稿新闻", "待审新闻", "定时新闻"):
        assert hidden not in html
