"""Autosave of the article form: stored per user, offered back with a diff, never a revision or public."""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Revision

from articles import workflow
from articles.models import ArticleAutosave
from tests.articles.test_admin import form_data
from tests.factories import ArticleFactory, ColumnFactory, SectionFactory

pytestmark = pytest.mark.django_db

NEW_URL = reverse("admin:articles_article_autosave_new")
ADD_URL = reverse("admin:articles_article_add")
UNSAVED = "未保存的第二段：市民排队参观。"


def autosave_url(article):
    return reverse("admin:articles_article_autosave", args=[article.pk])


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def client_for(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


def payload(article=None, **fields):
    """What autosave.js posts: the form's content fields as typed, and the version it loaded."""
    values = {
        "kicker": "",
        "headline": article.headline if article else "新稿件",
        "subheadline": "",
        "summary": "",
        "body": f"<p>昨日，晋江市举行活动。</p><p>{UNSAVED}</p>",
        "section": str(article.section_id) if article else "",
        "column": "",
        "tags": "",
        "lead_photo": "",
    }
    values.update(fields)
    return {"fields": values, "loaded_version": str(article.version) if article else None}


def post(client, url, data, **extra):
    return client.post(url, json.dumps(data), content_type="application/json", **extra)


@pytest.fixture
def draft(reporter):
    return ArticleFactory(created_by=reporter, updated_by=reporter, headline="晋江举行活动")


def test_autosave_is_stored_for_the_user_without_touching_the_article(reporter, draft):
    before = {f: getattr(draft, f) for f in ("headline", "body", "version", "updated_at", "status")}
    revisions = Revision.objects.count()

    response = post(client_for(reporter), autosave_url(draft), payload(draft, headline="改过的主题"))

    assert response.status_code == 200 and "已自动保存" in response.json()["message"]
    saved = ArticleAutosave.objects.get()
    assert (saved.article, saved.user, saved.loaded_version) == (draft, reporter, draft.version)
    assert saved.data["headline"] == "改过的主题" and UNSAVED in saved.data["body"]
    draft.refresh_from_db()
    assert {f: getattr(draft, f) for f in before} == before
    assert Revision.objects.count() == revisions


def test_a_second_autosave_replaces_the_first(reporter, draft):
    client = client_for(reporter)
    post(client, autosave_url(draft), payload(draft, headline="第一次"))
    post(client, autosave_url(draft), payload(draft, headline="第二次"))
    assert list(ArticleAutosave.objects.values_list("data__headline", flat=True)) == ["第二次"]


def test_each_user_has_his_own_autosave_of_an_article(reporter, editor, draft):
    post(client_for(reporter), autosave_url(draft), payload(draft, headline="记者的"))
    post(client_for(editor), autosave_url(draft), payload(draft, headline="编辑的"))
    assert dict(ArticleAutosave.objects.values_list("user__username", "data__headline")) == {
        "reporter1": "记者的",
        "editor1": "编辑的",
    }


def test_only_content_fields_are_stored_and_the_body_is_sanitized(reporter, draft):
    data = payload(draft, body='<p onclick="steal()">正文</p><script>alert(1)</script>')
    data["fields"].update(status="published", created_by="1", version="99")
    data["status"] = "published"
    post(client_for(reporter), autosave_url(draft), data)
    saved = ArticleAutosave.objects.get()
    assert set(saved.data) == {
        "kicker",
        "headline",
        "subheadline",
        "summary",
        "body",
        "section",
        "column",
        "tags",
        "lead_photo",
    }
    assert saved.data["body"] == "<p>正文</p>"


def test_a_malformed_payload_is_a_400(reporter, draft):
    client = client_for(reporter)
    assert post(client, autosave_url(draft), {"fields": {"headline": ["x"]}}).status_code == 400
    assert post(client, autosave_url(draft), payload(draft, section="要闻")).status_code == 400
    response = client.post(autosave_url(draft), "not json", content_type="application/json")
    assert response.status_code == 400
    assert not ArticleAutosave.objects.exists()


def test_the_add_form_autosaves_without_an_article(reporter):
    response = post(client_for(reporter), NEW_URL, payload(headline="还没保存的新稿"))
    assert response.status_code == 200
    saved = ArticleAutosave.objects.get()
    assert saved.article is None and saved.data["headline"] == "还没保存的新稿"


# --- who may autosave -------------------------------------------------------------------------


def test_a_colleagues_draft_is_a_404(other_reporter, draft):
    response = post(client_for(other_reporter), autosave_url(draft), payload(draft))
    assert response.status_code == 404
    assert not ArticleAutosave.objects.exists()


def test_a_reporter_cannot_autosave_his_story_in_review(reporter):
    article = ArticleFactory(review=True, created_by=reporter)
    response = post(client_for(reporter), autosave_url(article), payload(article))
    assert response.status_code == 403
    assert not ArticleAutosave.objects.exists()
    assert article.events.filter(action="refused").exists()


def test_an_editor_autosaves_any_story(editor, draft):
    assert post(client_for(editor), autosave_url(draft), payload(draft)).status_code == 200


def test_anonymous_users_are_sent_to_the_login(draft):
    response = post(Client(), autosave_url(draft), payload(draft))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not ArticleAutosave.objects.exists()


def test_autosave_needs_the_csrf_token(reporter, draft):
    client = client_for(reporter, enforce_csrf_checks=True)
    assert post(client, autosave_url(draft), payload(draft)).status_code == 403
    assert not ArticleAutosave.objects.exists()
    page = client.get(change_url(draft)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = post(client, autosave_url(draft), payload(draft), HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200


def test_autosave_only_accepts_posts(reporter, draft):
    assert client_for(reporter).get(autosave_url(draft)).status_code == 405


def test_an_oversized_autosave_is_a_413_and_nothing_is_stored(reporter, draft):
    huge = payload(draft, body="<p>" + "字" * (400 * 1024) + "</p>")  # 1.2 MB in UTF-8
    response = post(client_for(reporter), autosave_url(draft), huge)
    assert response.status_code == 413
    assert not ArticleAutosave.objects.exists()


# --- the offer on the change page -----------------------------------------------------------------


def test_reopening_the_article_offers_the_autosave_with_a_diff(reporter, draft):
    client = client_for(reporter)
    post(client, autosave_url(draft), payload(draft, headline="晋江举行大型活动"))
    page = client.get(change_url(draft)).content.decode()
    assert "恢复未保存的内容" in page
    offer = page[page.index('class="autosave-offer"') :]
    assert "<del>晋江举行活动</del>" in offer and "<ins>晋江举行大型活动</ins>" in offer
    assert f"<ins>{UNSAVED}</ins>" in offer
    values = json.loads(
        re.search(r'id="autosave-values" type="application/json">(.*?)</script>', page).group(1)
    )
    assert values["headline"] == "晋江举行大型活动" and UNSAVED in values["body"]
    assert values["section"] == [draft.section_id, draft.section.name]
    discard = reverse("admin:articles_article_autosave_discard", args=[draft.pk])
    assert f'action="{discard}"' in page


def test_the_offer_shows_section_column_and_tags_changes(reporter, draft):
    other = SectionFactory(name="社会")
    column = ColumnFactory(name="晋江观察")
    client = client_for(reporter)
    post(
        client,
        autosave_url(draft),
        payload(draft, section=str(other.pk), column=column.pk, tags="晋江, 活动"),
    )
    offer = client.get(change_url(draft)).content.decode()
    assert (
        "<ins>社会</ins>" in offer
        and "<ins>晋江观察</ins>" in offer
        and f"<ins>{'、'.join(sorted(['晋江', '活动']))}</ins>" in offer
    )


def test_no_offer_to_another_user_or_when_there_is_no_autosave(reporter, editor, draft):
    assert "恢复未保存的内容" not in client_for(reporter).get(change_url(draft)).content.decode()
    post(client_for(editor), autosave_url(draft), payload(draft))
    assert "恢复未保存的内容" not in client_for(reporter).get(change_url(draft)).content.decode()
    assert "恢复未保存的内容" in client_for(editor).get(change_url(draft)).content.decode()


def test_no_offer_when_the_autosave_says_what_the_article_says(reporter, draft):
    client = client_for(reporter)
    post(client, autosave_url(draft), payload(draft, body=draft.body))
    page = client.get(change_url(draft)).content.decode()
    assert "恢复未保存的内容" not in page
    assert 'id="article-autosave"' in page  # the form still autosaves


def test_no_offer_when_the_user_saved_the_article_after_the_autosave(reporter, draft):
    client = client_for(reporter)
    post(client, autosave_url(draft), payload(draft))
    ArticleAutosave.objects.update(saved_at=timezone.now() - timedelta(minutes=5))
    workflow.article_save(article=draft, user=reporter, expected_version=draft.version)
    assert "恢复未保存的内容" not in client.get(change_url(draft)).content.decode()


def test_still_offered_when_someone_else_saved_after_the_autosave(reporter, editor, draft):
    client = client_for(reporter)
    post(client, autosave_url(draft), payload(draft))
    ArticleAutosave.objects.update(saved_at=timezone.now() - timedelta(minutes=5))
    draft.headline = "编辑改过的主题"
    workflow.article_save(article=draft, user=editor, expected_version=draft.version)
    page = client.get(change_url(draft)).content.decode()
    assert "恢复未保存的内容" in page and "<del>编辑改过的主题</del>" in page


def test_the_add_form_offers_the_autosave_of_a_new_story(reporter):
    client = client_for(reporter)
    post(client, NEW_URL, payload(headline="还没保存的新稿"))
    page = client.get(ADD_URL).content.decode()
    assert "恢复未保存的内容" in page and "<ins>还没保存的新稿</ins>" in page
    assert reverse("admin:articles_article_autosave_new_discard") in page


def test_no_offer_and_no_autosave_on_a_read_only_story(reporter):
    article = ArticleFactory(review=True, created_by=reporter)
    ArticleAutosave.objects.create(
        article=article, user=reporter, data=payload(article, headline="X")["fields"]
    )
    page = client_for(reporter).get(change_url(article)).content.decode()
    assert "恢复未保存的内容" not in page and 'id="article-autosave"' not in page


def test_a_redisplayed_form_makes_no_offer(reporter, draft):
    client = client_for(reporter)
    post(client, autosave_url(draft), payload(draft))
    response = client.post(
        change_url(draft), form_data(draft.section, headline="", loaded_version=draft.version)
    )
    assert response.status_code == 200 and "主题不能为空" in response.content.decode()
    assert "恢复未保存的内容" not in response.content.decode()


# --- discarding -------------------------------------------------------------------------------------


def test_discard_deletes_only_the_users_autosave(reporter, editor, draft):
    post(client_for(reporter), autosave_url(draft), payload(draft))
    post(client_for(editor), autosave_url(draft), payload(draft))
    url = reverse("admin:articles_article_autosave_discard", args=[draft.pk])
    response = client_for(reporter).post(url)
    assert response.status_code == 302 and response["Location"] == change_url(draft)
    assert list(ArticleAutosave.objects.values_list("user", flat=True)) == [editor.pk]
    response = client_for(editor).post(url, HTTP_ACCEPT="application/json")
    assert response.json() == {"discarded": True}
    assert not ArticleAutosave.objects.exists()


def test_discard_of_a_colleagues_draft_is_a_404(reporter, other_reporter, draft):
    post(client_for(reporter), autosave_url(draft), payload(draft))
    url = reverse("admin:articles_article_autosave_discard", args=[draft.pk])
    assert client_for(other_reporter).post(url).status_code == 404
    assert ArticleAutosave.objects.count() == 1


def test_a_successful_save_deletes_the_users_autosave(reporter, editor, draft):
    client = client_for(reporter)
    post(client, autosave_url(draft), payload(draft))
    post(client_for(editor), autosave_url(draft), payload(draft))
    data = form_data(draft.section, body=f"<p>{UNSAVED}</p>", loaded_version=draft.version)
    assert client.post(change_url(draft), data).status_code == 302
    assert list(ArticleAutosave.objects.values_list("user", flat=True)) == [editor.pk]


def test_a_refused_save_keeps_the_autosave(reporter, draft):
    client = client_for(reporter)
    post(client, autosave_url(draft), payload(draft))
    data = form_data(draft.section, headline="", loaded_version=draft.version)
    assert client.post(change_url(draft), data).status_code == 200
    assert ArticleAutosave.objects.count() == 1


def test_saving_a_new_story_deletes_the_add_forms_autosave(reporter):
    client = client_for(reporter)
    post(client, NEW_URL, payload(headline="新稿"))
    assert client.post(ADD_URL, form_data(SectionFactory())).status_code == 302
    assert not ArticleAutosave.objects.exists()


def test_a_workflow_move_deletes_the_movers_autosave(reporter, draft, django_capture_on_commit_callbacks):
    post(client_for(reporter), autosave_url(draft), payload(draft))
    with django_capture_on_commit_callbacks(execute=True):
        workflow.article_submit(article=draft, user=reporter)
    assert not ArticleAutosave.objects.exists()


# --- never public -----------------------------------------------------------------------------------


def test_an_autosave_is_never_shown_to_readers(editor):
    article = ArticleFactory(published=True, headline="晋江举行活动")
    post(client_for(editor), autosave_url(article), payload(article, headline="未发布的改稿标题"))
    reader = Client()
    for url in (article.get_absolute_url(), "/"):
        text = reader.get(url).content.decode()
        assert "晋江举行活动" in text
        assert "未发布的改稿标题" not in text and UNSAVED not in text
    # Search echoes the query, so look for the story in the results instead.
    assert article.get_absolute_url() in reader.get("/search/?q=晋江举行活动").content.decode()
    for query in ("市民排队参观", "未发布的改稿标题"):
        assert article.get_absolute_url() not in reader.get(f"/search/?q={query}").content.decode()


def test_autosaving_and_discarding_do_not_purge_the_public_page_cache(reporter, draft):
    from newsroom.cache import generation

    client = client_for(reporter)
    before = generation()
    post(client, autosave_url(draft), payload(draft, headline="第一次"))
    post(client, autosave_url(draft), payload(draft, headline="第二次"))
    client.post(reverse("admin:articles_article_autosave_discard", args=[draft.pk]))
    assert generation() == before
