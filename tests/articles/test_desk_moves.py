"""No lost edits: a workflow button on the change form saves the form's content, then moves, in one transaction.

Also: 撤回送审 (the author pulls back a submitted story), 字数, and the read-only view of a story.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import workflow
from articles.models import Article, ArticleEvent
from articles.sanitize import char_count
from tests.articles.test_admin import form_data
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

S = Article.Status


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def post_move(client, article, move, *, version=None, **fields):
    """POST the change form as the browser does when a workflow button inside it is clicked."""
    values = {"headline": article.headline, "body": article.body, **fields}
    data = form_data(
        article.section,
        loaded_version=str(version if version is not None else article.version),
        _move=move,
        **values,
    )
    return client.post(change_url(article), data)


# --- 1. every move saves the form first ------------------------------------------------------------


def test_submit_saves_the_reporters_unsaved_lead_paragraph_then_submits(reporter_client, reporter):
    article = ArticleFactory(created_by=reporter, body="<p>旧的导语。</p>")
    response = post_move(reporter_client, article, "submit", body="<p>改过的导语。</p>")
    assert response.status_code == 302 and response.url == change_url(article)
    article.refresh_from_db()
    assert article.status == S.REVIEW
    assert "改过的导语" in article.body
    assert list(article.events.values_list("action", flat=True)) == ["submit"]
    # One save (version 2) and one move (version 3), both in the story's history.
    assert article.version == 3


def test_publish_now_goes_live_with_the_editors_corrected_subheadline(editor_client):
    article = ArticleFactory(review=True, subheadline="错的副题")
    response = post_move(editor_client, article, "publish", subheadline="改正的副题")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_published and article.subheadline == "改正的副题"
    # The revision stored with the move holds the corrected text.
    latest = Version.objects.get_for_object(article).first()
    assert latest.field_dict["subheadline"] == "改正的副题"
    assert latest.field_dict["status"] == S.PUBLISHED


def test_schedule_saves_then_schedules_at_the_chosen_beijing_time(editor_client):
    article = ArticleFactory(review=True)
    when = timezone.localtime() + timedelta(days=1)
    response = post_move(
        editor_client,
        article,
        "schedule",
        headline="定时稿主题",
        _move_when=when.strftime("%Y-%m-%dT%H:%M"),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_scheduled and article.headline == "定时稿主题"
    assert abs(article.published_at - when) < timedelta(minutes=1)


@pytest.mark.parametrize(
    "start,move,note,target",
    [
        ("review", "return", "请补充数据", S.DRAFT),
        ("published", "withdraw", "当事人要求更正", S.WITHDRAWN),
        ("withdrawn", "reopen", "", S.REVIEW),
    ],
)
def test_every_editor_move_saves_the_form_first(editor_client, start, move, note, target):
    article = ArticleFactory(**{start: True})
    response = post_move(editor_client, article, move, headline="编辑改过的主题", _move_note=note)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == target and article.headline == "编辑改过的主题"
    event = article.events.get()
    assert event.action == move and event.note == note


def test_a_stale_form_gets_the_conflict_screen_and_no_move(editor_client, chief, reporter):
    article = ArticleFactory(review=True, headline="原主题")
    workflow.store_revision(article, reporter, "送审")
    loaded = article.version
    workflow.article_save(article=article, user=chief, expected_version=loaded, fields=["headline"])
    response = post_move(editor_client, article, "publish", version=loaded, headline="编辑的主题")
    assert response.status_code == 200
    html = response.content.decode()
    assert "保存被拒绝" in html
    assert 'value="编辑的主题"' in html  # the user's text is kept
    article.refresh_from_db()
    assert article.status == S.REVIEW  # no move happened
    assert not article.events.exists()


def test_a_refused_move_rolls_the_save_back_and_keeps_the_users_text(editor_client):
    article = ArticleFactory(review=True, headline="原主题")
    response = post_move(editor_client, article, "return", headline="新主题", _move_note="  ")
    assert response.status_code == 200
    html = response.content.decode()
    assert "退回稿件必须填写退回意见" in html and "尚未保存" in html
    assert 'value="新主题"' in html
    article.refresh_from_db()
    assert (article.status, article.headline, article.version) == (S.REVIEW, "原主题", 1)
    assert not Version.objects.get_for_object(article).exists()
    # Filling the note and clicking again goes through.
    response = post_move(editor_client, article, "return", headline="新主题", _move_note="请补充")
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.status, article.headline) == (S.DRAFT, "新主题")


def test_a_schedule_time_in_the_past_saves_nothing(editor_client):
    article = ArticleFactory(review=True, headline="原主题")
    past = timezone.localtime() - timedelta(days=1)
    response = post_move(
        editor_client, article, "schedule", headline="新主题", _move_when=past.strftime("%Y-%m-%dT%H:%M")
    )
    assert response.status_code == 200 and "定时发布时间已过" in response.content.decode()
    article.refresh_from_db()
    assert (article.status, article.headline) == (S.REVIEW, "原主题")


def test_a_forged_move_is_refused_before_anything_is_saved(reporter_client, reporter):
    article = ArticleFactory(created_by=reporter, headline="原主题")
    response = post_move(reporter_client, article, "publish", headline="记者想直接发布")
    assert response.status_code == 403
    article.refresh_from_db()
    assert (article.status, article.headline) == (S.DRAFT, "原主题")
    assert article.events.get().action == ArticleEvent.Action.REFUSED


def test_an_unknown_move_is_a_404_and_saves_nothing(editor_client):
    article = ArticleFactory(review=True, headline="原主题")
    assert post_move(editor_client, article, "explode", headline="新主题").status_code == 404
    article.refresh_from_db()
    assert article.headline == "原主题"


def test_the_buttons_submit_the_article_form_and_enter_saves(editor_client):
    article = ArticleFactory(review=True)
    html = editor_client.get(change_url(article)).content.decode()
    assert 'form="article_form" name="_move" value="publish"' in html
    assert 'form="article_form" name="_move" value="return"' in html
    # The first submit control for the form (Enter in a field) is a plain save, not a move.
    first = html.index('form="article_form"')
    assert html.index('name="_save" class="implicit-save"') < first + 200
    assert html.index("implicit-save") < html.index('name="_move"')


def test_without_the_right_to_edit_the_buttons_are_forms_of_their_own(reporter_client, reporter):
    article = ArticleFactory(review=True, created_by=reporter, updated_by=reporter)
    html = reporter_client.get(change_url(article)).content.decode()
    assert 'name="_move"' not in html
    assert reverse("admin:articles_article_move", args=[article.pk, "unsubmit"]) in html


# --- 4. 撤回送审 ------------------------------------------------------------------------------------


def test_the_author_pulls_back_a_submitted_story(reporter_client, reporter):
    article = ArticleFactory(created_by=reporter)
    workflow.article_submit(article=article, user=reporter)
    url = reverse("admin:articles_article_move", args=[article.pk, "unsubmit"])
    response = reporter_client.post(url)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == S.DRAFT
    assert list(article.events.order_by("pk").values_list("action", "from_status", "to_status")) == [
        ("submit", "draft", "review"),
        ("unsubmit", "review", "draft"),
    ]


def test_no_pull_back_once_an_editor_has_edited_it(reporter, editor):
    article = ArticleFactory(created_by=reporter)
    workflow.article_submit(article=article, user=reporter)
    workflow.article_save(article=article, user=editor, expected_version=article.version, fields=["headline"])
    assert "unsubmit" not in workflow.allowed_moves(reporter, article)
    with pytest.raises(workflow.TransitionForbidden):
        workflow.article_unsubmit(article=article, user=reporter)
    article.refresh_from_db()
    assert article.status == S.REVIEW


def test_no_pull_back_when_another_app_says_an_editor_acted(reporter, monkeypatch):
    article = ArticleFactory(created_by=reporter)
    workflow.article_submit(article=article, user=reporter)
    monkeypatch.setattr(workflow, "acted_on_checks", [lambda a: a.pk == article.pk])
    assert "unsubmit" not in workflow.allowed_moves(reporter, article)


def test_an_editors_save_between_read_and_pull_back_wins(reporter, editor):
    article = ArticleFactory(created_by=reporter)
    workflow.article_submit(article=article, user=reporter)
    stale = Article.objects.get(pk=article.pk)  # the reporter's page, loaded before the editor's save
    workflow.article_save(article=article, user=editor, expected_version=article.version, fields=["headline"])
    with pytest.raises(workflow.IllegalTransition):
        workflow.article_unsubmit(article=stale, user=reporter)
    article.refresh_from_db()
    assert article.status == S.REVIEW


def test_only_the_author_pulls_back(reporter, other_reporter, editor):
    article = ArticleFactory(created_by=reporter)
    workflow.article_submit(article=article, user=reporter)
    assert "unsubmit" not in workflow.allowed_moves(other_reporter, article)
    assert "unsubmit" not in workflow.allowed_moves(editor, article)  # editors return, with a note
    with pytest.raises(workflow.TransitionForbidden):
        workflow.article_unsubmit(article=article, user=editor)


# --- 5. 字数 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,count",
    [
        ("晋江市举行活动。", 7),
        ("GDP增长8.5%，达到3000亿元！", 15),
        ("  \n\t，。、“”（）——", 0),
        ("ＡＢＣ１２３", 6),  # full-width letters and digits count
        ("", 0),
    ],
)
def test_char_count_counts_ideographs_letters_and_digits(text, count):
    assert char_count(text) == count


def test_an_articles_char_count_follows_its_body():
    article = ArticleFactory(body="<h3>小标题</h3><p>晋江<strong>经济</strong>报，2024年。</p>")
    assert article.char_count == 3 + 5 + 5
    article.body = "<p>短。</p>"
    article.save(update_fields=["body"])
    assert Article.objects.get(pk=article.pk).char_count == 1


def test_the_article_list_shows_char_count(editor_client):
    ArticleFactory(body="<p>一二三四五六七八九十</p>")
    html = editor_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "字数" in html and 'class="field-char_count">10<' in html


# --- 7. the read-only view renders the body ---------------------------------------------------------


def test_a_submitted_story_is_shown_to_its_reporter_as_formatted_text(reporter_client, reporter):
    article = ArticleFactory(
        created_by=reporter, body="<h3>一、开园</h3><p>第一段<strong>加粗</strong>。</p><p>第二段。</p>"
    )
    workflow.article_submit(article=article, user=reporter)
    html = reporter_client.get(change_url(article)).content.decode()
    assert '<div class="body-readonly"><h3>一、开园</h3><p>第一段<strong>加粗</strong>。</p>' in html
    assert "&lt;p&gt;" not in html and "&lt;h3&gt;" not in html


def test_the_read_only_body_is_sanitized_again_on_display(reporter_client, reporter):
    article = ArticleFactory(created_by=reporter, review=True)
    # Written behind the model's back (as a raw SQL fix might): display must not trust it.
    Article.objects.filter(pk=article.pk).update(
        body="<p>正文</p><script>alert(1)</script><img src=x onerror=alert(1)>"
    )
    html = Client().get(change_url(article))  # anonymous: redirected to login, nothing shown
    assert html.status_code == 302
    html = reporter_client.get(change_url(article)).content.decode()
    assert "<script>alert(1)" not in html and "onerror" not in html


def test_no_pull_back_once_the_story_is_placed_on_a_page(reporter, editor):
    from tests.factories import PageFactory, PlacementFactory

    article = ArticleFactory(created_by=reporter)
    workflow.article_submit(article=article, user=reporter)
    assert "unsubmit" in workflow.allowed_moves(reporter, article)
    PlacementFactory(page=PageFactory(), article=article)
    assert "unsubmit" not in workflow.allowed_moves(reporter, article)
