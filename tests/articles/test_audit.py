"""The audit trail: a timeline on the article, a newsroom-wide log filterable by person and date."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import ArticleEvent
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

LOG = reverse("admin:articles_articleevent_changelist")


def test_timeline_on_the_change_page_in_order(editor_client, reporter, editor):
    article = ArticleFactory(created_by=reporter)
    workflow.article_submit(article=article, user=reporter)
    workflow.article_return(article=article, user=editor, note="标题太长")
    workflow.article_submit(article=article, user=reporter)
    html = editor_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    timeline = html[html.index('class="audit-timeline"') :]
    assert timeline.count('class="event event-') == 3
    assert timeline.index("event-submit") < timeline.index("event-return") < timeline.rindex("event-submit")
    assert "标题太长" in timeline and "editor1" in timeline and "reporter1" in timeline


def test_every_event_records_actor_from_to_note_and_time(reporter, editor):
    article = ArticleFactory(created_by=reporter)
    before = timezone.now()
    workflow.article_submit(article=article, user=reporter)
    workflow.article_return(article=article, user=editor, note="补充采访")
    event = ArticleEvent.objects.get(action="return")
    assert (event.actor, event.from_status, event.to_status, event.note) == (
        editor,
        "review",
        "draft",
        "补充采访",
    )
    assert before <= event.created_at <= timezone.now()


def test_newsroom_log_filters_by_person(editor_client, reporter, other_reporter, editor):
    a = ArticleFactory(created_by=reporter, headline="甲稿")
    b = ArticleFactory(created_by=other_reporter, headline="乙稿")
    workflow.article_submit(article=a, user=reporter)
    workflow.article_submit(article=b, user=other_reporter)
    html = editor_client.get(LOG, {"actor__id__exact": reporter.pk}).content.decode()
    assert "甲稿" in html and "乙稿" not in html


def test_newsroom_log_filters_by_date(editor_client, reporter, editor):
    old = ArticleFactory(created_by=reporter, headline="旧稿")
    new = ArticleFactory(created_by=reporter, headline="新稿")
    workflow.article_submit(article=old, user=reporter)
    ArticleEvent.objects.filter(article=old).update(created_at=timezone.now() - timedelta(days=40))
    workflow.article_submit(article=new, user=reporter)
    since = (timezone.localtime() - timedelta(days=7)).isoformat()
    html = editor_client.get(LOG, {"created_at__gte": since}).content.decode()
    assert "新稿" in html and "旧稿" not in html


def test_reporters_cannot_read_the_newsroom_log(reporter_client):
    assert reporter_client.get(LOG).status_code == 403


def test_the_log_cannot_be_edited(editor_client, reporter):
    article = ArticleFactory(created_by=reporter)
    workflow.article_submit(article=article, user=reporter)
    event = ArticleEvent.objects.get()
    url = reverse("admin:articles_articleevent_change", args=[event.pk])
    editor_client.post(url, {"note": "改写历史"})
    event.refresh_from_db()
    assert event.note == ""
