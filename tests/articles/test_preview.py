"""Previews: author and editors in session; signed, expiring links for anyone; never cached or indexed."""

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse

from articles import preview
from tests.factories import ArticleFactory, BylineFactory

pytestmark = pytest.mark.django_db


def assert_private(response):
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


@pytest.fixture
def draft(reporter):
    article = ArticleFactory(created_by=reporter, headline="尚未发布的稿件", body="<p>核对引语的正文。</p>")
    BylineFactory(article=article, person__name="林伊婷")
    return article


@pytest.mark.parametrize(
    "who,allowed", [("reporter", True), ("other_reporter", None), ("editor", True), ("chief", True)]
)
def test_author_and_editors_preview_an_unpublished_article(request, client, draft, who, allowed):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("preview:article", args=[draft.pk]))
    assert_private(response)
    html = response.content.decode()
    if allowed:
        assert response.status_code == 200
        # The public article template, with a banner.
        assert '<h1 class="headline">尚未发布的稿件</h1>' in html
        assert "核对引语的正文" in html and "林伊婷" in html
        assert 'class="preview-banner"' in html
        assert '<meta name="robots" content="noindex' in html
    else:
        # A colleague's unpublished story does not exist for another reporter.
        assert response.status_code == 404
        assert "尚未发布的稿件" not in html and "核对引语" not in html
    # Readers still see nothing.
    assert Client().get(draft.get_absolute_url()).status_code == 404


def test_anonymous_in_session_preview_goes_to_login(draft):
    response = Client().get(reverse("preview:article", args=[draft.pk]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert_private(response)


def test_editor_makes_a_signed_link_that_works_without_an_account(editor_client, draft, settings):
    response = editor_client.post(reverse("preview:make_link", args=[draft.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{settings.NEWSROOM_PREVIEW_HOURS} 小时后失效" in html
    url = html.split('id="preview-url"')[0].rsplit('value="', 1)[1].split('"')[0]
    anonymous = Client().get(url)
    assert anonymous.status_code == 200
    assert "尚未发布的稿件" in anonymous.content.decode()
    assert_private(anonymous)


def test_a_reporter_cannot_make_a_signed_link(reporter_client, draft):
    assert reporter_client.post(reverse("preview:make_link", args=[draft.pk])).status_code == 403


def test_the_link_expires_after_the_configured_hours(draft, settings):
    settings.NEWSROOM_PREVIEW_HOURS = 48
    url = reverse("preview:signed", args=[preview.make_token(draft)])
    with time_machine.travel(timedelta(hours=47), tick=False):
        assert Client().get(url).status_code == 200
    with time_machine.travel(timedelta(hours=49), tick=False):
        response = Client().get(url)
    assert response.status_code == 403
    assert "这个预览链接已过期" in response.content.decode()
    assert_private(response)


@pytest.mark.parametrize("tamper", ["flip", "truncate", "other_salt", "garbage"])
def test_an_altered_link_gets_a_clear_403(draft, tamper):
    token = preview.make_token(draft)
    bad = {
        "flip": token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        "truncate": token[: len(token) // 2],
        "other_salt": signing.dumps({"article": draft.pk}, salt="something-else"),
        "garbage": "not-a-token",
    }[tamper]
    response = Client().get(reverse("preview:signed", args=[bad]))
    assert response.status_code == 403
    html = response.content.decode()
    assert "这个预览链接无效" in html and "尚未发布的稿件" not in html
    assert_private(response)


def test_a_link_for_a_deleted_article_says_so(draft):
    url = reverse("preview:signed", args=[preview.make_token(draft)])
    draft.delete()
    response = Client().get(url)
    assert response.status_code == 410
    assert "这篇稿件已被删除" in response.content.decode()
    assert_private(response)


def test_a_token_names_only_its_article(draft):
    other = ArticleFactory(headline="另一篇草稿")
    html = Client().get(reverse("preview:signed", args=[preview.make_token(draft)])).content.decode()
    assert "尚未发布的稿件" in html and "另一篇草稿" not in html
    assert preview.read_token(preview.make_token(other)) == other.pk


def test_change_page_offers_preview_and_link_to_editors_only(editor_client, reporter, draft):
    html = editor_client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()
    assert reverse("preview:article", args=[draft.pk]) in html
    assert reverse("preview:make_link", args=[draft.pk]) in html
    mine = Client()
    mine.force_login(reporter)
    html = mine.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()
    assert reverse("preview:article", args=[draft.pk]) in html
    assert reverse("preview:make_link", args=[draft.pk]) not in html
