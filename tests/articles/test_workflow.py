"""The state machine and the admin around it: moves, bad input, queue, badges, return notes, signal."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article, ArticleEvent
from articles.signals import article_transitioned
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

S = Article.Status


def test_full_cycle_and_audit_rows(reporter, editor):
    article = ArticleFactory(created_by=reporter)
    workflow.article_submit(article=article, user=reporter)
    workflow.article_return(article=article, user=editor, note="请核实数据")
    workflow.article_submit(article=article, user=reporter)
    workflow.article_publish(article=article, user=editor)
    workflow.article_withdraw(article=article, user=editor, note="当事人要求更正")
    workflow.article_reopen(article=article, user=editor)
    steps = list(
        article.events.order_by("created_at", "pk").values_list("action", "from_status", "to_status", "note")
    )
    assert steps == [
        ("submit", "draft", "review", ""),
        ("return", "review", "draft", "请核实数据"),
        ("submit", "draft", "review", ""),
        ("publish", "review", "published", ""),
        ("withdraw", "published", "withdrawn", "当事人要求更正"),
        ("reopen", "withdrawn", "review", ""),
    ]
    assert article.status == S.REVIEW
    assert article.version == 7


@pytest.mark.parametrize(
    "func,start,kwargs",
    [
        (workflow.article_return, "review", {"note": "   "}),
        (workflow.article_return, "review", {"note": ""}),
        (workflow.article_withdraw, "published", {"note": ""}),
    ],
)
def test_a_move_without_its_note_is_refused_in_chinese_and_changes_nothing(editor, func, start, kwargs):
    traits = {"review": {"review": True}, "published": {"published": True}}[start]
    article = ArticleFactory(**traits)
    with pytest.raises(workflow.NoteRequired) as refusal:
        func(article=article, user=editor, **kwargs)
    assert "必须填写" in refusal.value.message
    article.refresh_from_db()
    assert article.status == start and article.version == 1
    assert not article.events.exists()


@pytest.mark.parametrize("move", ["return", "withdraw"])
def test_the_admin_button_without_a_note_shows_a_chinese_message(editor_client, move):
    article = ArticleFactory(**({"review": True} if move == "return" else {"published": True}))
    before = article.status
    url = reverse("admin:articles_article_move", args=[article.pk, move])
    response = editor_client.post(url, {"note": ""}, follow=True)
    assert "必须填写" in response.content.decode()
    article.refresh_from_db()
    assert article.status == before


def test_illegal_moves_raise_named_exceptions(editor):
    draft = ArticleFactory()
    with pytest.raises(workflow.IllegalTransition):
        workflow.article_publish(article=draft, user=editor)
    with pytest.raises(workflow.IllegalTransition):
        workflow.article_withdraw(article=draft, user=editor, note="x")
    published = ArticleFactory(published=True)
    with pytest.raises(workflow.IllegalTransition):
        workflow.article_submit(article=published, user=editor)


def test_a_stale_copy_cannot_move_an_article_twice(editor, chief):
    article = ArticleFactory(review=True)
    stale = Article.objects.get(pk=article.pk)
    workflow.article_publish(article=article, user=editor)
    with pytest.raises(workflow.IllegalTransition) as refusal:
        workflow.article_return(article=stale, user=chief, note="退回")
    assert "已被他人处理" in refusal.value.message
    article.refresh_from_db()
    assert article.status == S.PUBLISHED


def test_a_schedule_time_in_the_past_is_refused_in_chinese(editor_client, editor):
    article = ArticleFactory(review=True)
    with pytest.raises(workflow.InvalidSchedule):
        workflow.article_publish(article=article, user=editor, when=timezone.now() - timedelta(hours=2))
    past = (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    url = reverse("admin:articles_article_move", args=[article.pk, "publish"])
    response = editor_client.post(url, {"mode": "schedule", "when": past}, follow=True)
    assert "定时发布时间已过" in response.content.decode()
    article.refresh_from_db()
    assert article.status == S.REVIEW and article.published_at is None


def test_a_time_within_the_grace_minute_publishes_now(editor):
    article = ArticleFactory(review=True)
    workflow.article_publish(article=article, user=editor, when=timezone.now() - timedelta(seconds=20))
    assert article.is_published


def test_schedule_without_a_time_is_a_chinese_message(editor_client):
    article = ArticleFactory(review=True)
    url = reverse("admin:articles_article_move", args=[article.pk, "publish"])
    response = editor_client.post(url, {"mode": "schedule", "when": ""}, follow=True)
    assert "请填写有效的定时发布时间" in response.content.decode()
    article.refresh_from_db()
    assert article.status == S.REVIEW


def test_scheduling_reads_the_time_in_asia_shanghai_and_becomes_visible_by_itself(editor_client):
    article = ArticleFactory(review=True, headline="定时的稿件")
    local = (timezone.localtime() + timedelta(days=1)).replace(hour=7, minute=30, second=0, microsecond=0)
    url = reverse("admin:articles_article_move", args=[article.pk, "publish"])
    response = editor_client.post(
        url, {"mode": "schedule", "when": local.strftime("%Y-%m-%dT%H:%M")}, follow=True
    )
    assert "已设为定时发布" in response.content.decode()
    article.refresh_from_db()
    assert article.status == S.PUBLISHED
    assert timezone.localtime(article.published_at).strftime("%H:%M") == "07:30"
    assert article.published_at.utcoffset() is not None
    assert article.events.get().action == ArticleEvent.Action.SCHEDULE
    assert not Article.objects.published().filter(pk=article.pk).exists()
    # The list badge and the form show the time in Asia/Shanghai.
    listing = editor_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert f"定时发布 {local:%m-%d} 07:30" in listing
    change = editor_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "07:30</strong>（北京时间）" in change
    with time_machine.travel(article.published_at + timedelta(minutes=1)):
        assert Article.objects.published().filter(pk=article.pk).exists()
        assert "定时的稿件" in Client().get("/").content.decode()


def test_transition_signal_is_sent_on_commit(django_capture_on_commit_callbacks, reporter):
    received = []

    def receiver(sender, article, action, actor, **kwargs):
        received.append((article.pk, action, actor))

    article_transitioned.connect(receiver)
    try:
        article = ArticleFactory(created_by=reporter)
        with django_capture_on_commit_callbacks(execute=True):
            workflow.article_submit(article=article, user=reporter)
            assert received == []
        assert received == [(article.pk, ArticleEvent.Action.SUBMIT, reporter)]
    finally:
        article_transitioned.disconnect(receiver)


def test_nothing_outside_the_workflow_sets_status(reporter_client, reporter):
    """status is not a form field; the only writers are the workflow's conditional updates."""
    from articles.forms import ArticleForm

    assert "status" not in ArticleForm.base_fields
    assert "published_at" not in ArticleForm.base_fields


def test_review_queue_is_oldest_first(editor_client):
    now = timezone.now()
    ArticleFactory(review=True, headline="后送的稿", submitted_at=now - timedelta(minutes=5))
    ArticleFactory(review=True, headline="先送的稿", submitted_at=now - timedelta(hours=3))
    ArticleFactory(headline="还是草稿")
    html = editor_client.get(
        reverse("admin:articles_article_changelist"), {"queue": "review"}
    ).content.decode()
    assert html.index("先送的稿") < html.index("后送的稿")
    assert "还是草稿" not in html


def test_my_articles_for_a_reporter(reporter_client, reporter, other_reporter):
    ArticleFactory(created_by=reporter, headline="我写的稿")
    ArticleFactory(created_by=other_reporter, headline="别人的稿")
    html = reporter_client.get(
        reverse("admin:articles_article_changelist"), {"queue": "mine"}
    ).content.decode()
    assert "我写的稿" in html and "别人的稿" not in html
    index = reporter_client.get(reverse("admin:index")).content.decode()
    assert "?queue=mine" in index and "?queue=review" not in index


def test_status_badges_in_list_and_form(editor_client):
    article = ArticleFactory(review=True)
    listing = editor_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert '<span class="status-badge status-review">待审</span>' in listing
    form = editor_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert '<span class="status-badge status-review">待审</span>' in form


def test_return_note_is_shown_prominently_to_the_reporter(reporter_client, reporter, editor):
    article = ArticleFactory(created_by=reporter)
    workflow.article_submit(article=article, user=reporter)
    workflow.article_return(article=article, user=editor, note="第三段数据与统计局不符，请核实。")
    html = reporter_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert 'class="return-note"' in html
    assert html.index("第三段数据与统计局不符") < html.index('id="article_form"')
    # Once resubmitted the note is history (still in the timeline), no longer a banner.
    workflow.article_submit(article=article, user=reporter)
    html = reporter_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert 'class="return-note"' not in html
    assert "第三段数据与统计局不符" in html


def test_reporter_cannot_edit_after_submitting(reporter_client, reporter):
    article = ArticleFactory(created_by=reporter)
    workflow.article_submit(article=article, user=reporter)
    html = reporter_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "您现在不能修改这篇稿件" in html
    assert 'name="_save"' not in html


@pytest.mark.parametrize("rounds", [1, 6])
def test_change_page_query_count_does_not_grow_with_the_timeline(
    editor_client, reporter, editor, django_assert_max_num_queries, rounds
):
    article = ArticleFactory(created_by=reporter)
    for _ in range(rounds):
        workflow.article_submit(article=article, user=reporter)
        workflow.article_return(article=article, user=editor, note="再改改")
    with django_assert_max_num_queries(14):
        response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.content.decode().count('class="event event-') == 2 * rounds


def test_schedule_time_is_the_one_check_for_articles_and_editions():
    now = timezone.now()
    assert workflow.schedule_time(None, now=now) == now
    assert workflow.schedule_time(now - timedelta(seconds=30), now=now) == now  # a moment ago: now
    assert workflow.schedule_time(now + timedelta(hours=2), now=now) == now + timedelta(hours=2)
    with pytest.raises(workflow.InvalidSchedule, match="已过"):
        workflow.schedule_time(now - timedelta(hours=1), now=now)
    with pytest.raises(workflow.InvalidSchedule, match="时区"):
        workflow.schedule_time(timezone.make_naive(now + timedelta(hours=1)), now=now)


def test_system_moves_are_never_offered_and_need_no_permission(editor, chief):
    article = ArticleFactory()
    assert not {"import_review", "import_publish"} & set(workflow.allowed_moves(chief, article))
    workflow.article_import_state(article=article, user=None, status=S.PUBLISHED)
    article.refresh_from_db()
    assert article.is_published and article.version == 2
    assert article.events.get().action == ArticleEvent.Action.IMPORT
