"""Returned stories stand out: the reporter's dashboard, the 被退回 filter of 我的稿件 and the list's mark."""

import re

import pytest
from django.urls import reverse

from articles import versioning, workflow
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")
CHANGELIST = reverse("admin:articles_article_changelist")


@pytest.fixture
def desk(reporter, editor):
    """The editor goes by a real name that shares nothing with the login name."""
    editor.person.name = "陈秋萍"
    editor.person.save()
    return editor


def returned_story(reporter, editor, headline="龙舟赛报道", note="请补充比赛成绩。"):
    story = ArticleFactory(created_by=reporter, headline=headline)
    workflow.article_submit(article=story, user=reporter)
    workflow.article_return(article=story, user=editor, note=note)
    return story


def test_reporter_dashboard_shows_returned_stories_first_with_note_who_and_when(
    reporter_client, reporter, desk
):
    story = returned_story(reporter, desk, note="第三段的成绩与组委会公布的不符，请核实。")
    html = reporter_client.get(INDEX).content.decode()
    section = html[
        html.index('id="returned-stories"') : html.index("</section>", html.index('id="returned-stories"'))
    ]
    assert reverse("admin:articles_article_change", args=[story.pk]) in section
    assert "龙舟赛报道" in section
    assert "第三段的成绩与组委会公布的不符，请核实。" in section
    assert "陈秋萍" in section and "editor1" not in section
    returned_at = story.events.get(action="return").created_at
    from django.utils import timezone

    assert timezone.localtime(returned_at).strftime("%Y-%m-%d %H:%M") in section
    # At the top: before the workbench links and the list of models.
    assert (
        html.index('id="returned-stories"')
        < html.index('id="newsroom-workbench"')
        < html.index("app-articles")
    )


def test_dashboard_lists_only_my_stories_still_waiting_for_my_fix(
    reporter_client, reporter, other_reporter, desk
):
    waiting = returned_story(reporter, desk, headline="待修改的稿")
    resubmitted = returned_story(reporter, desk, headline="已重新送审的稿")
    workflow.article_submit(article=resubmitted, user=reporter)
    returned_story(other_reporter, desk, headline="同事被退回的稿")
    restored = returned_story(reporter, desk, headline="恢复过版本的稿")
    workflow.store_revision(restored, reporter, "保存")
    revision_id = versioning.article_versions(restored)[0].revision_id
    versioning.article_restore(article=restored, user=desk, revision_id=revision_id)  # logged, not a move
    ArticleFactory(created_by=reporter, headline="从未送审的草稿")

    html = reporter_client.get(INDEX).content.decode()
    assert "待修改的稿" in html and "恢复过版本的稿" in html
    assert "已重新送审的稿" not in html
    assert "同事被退回的稿" not in html
    assert "从未送审的草稿" not in html
    assert waiting.title in html


def test_no_returned_section_without_returned_stories(reporter_client, reporter):
    ArticleFactory(created_by=reporter)
    assert 'id="returned-stories"' not in reporter_client.get(INDEX).content.decode()


def test_dashboard_queries_do_not_grow_with_returned_stories(
    reporter_client, reporter, desk, django_assert_max_num_queries
):
    returned_story(reporter, desk)
    with django_assert_max_num_queries(100) as one:
        reporter_client.get(INDEX)
    for n in range(6):
        returned_story(reporter, desk, headline=f"第{n}篇")
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = reporter_client.get(INDEX).content.decode()
    assert html.count('class="returned-story"') == 7


def test_my_articles_filter_has_returned_choice(reporter_client, reporter, other_reporter, desk):
    returned_story(reporter, desk, headline="我被退回的稿")
    submitted = ArticleFactory(created_by=reporter, headline="我待审的稿")
    workflow.article_submit(article=submitted, user=reporter)
    returned_story(other_reporter, desk, headline="同事被退回的稿")
    page = reporter_client.get(CHANGELIST)
    assert "?queue=returned" in page.content.decode()
    html = reporter_client.get(CHANGELIST + "?queue=returned").content.decode()
    rows = re.findall(r"<tr[^>]*>.*?</tr>", html[html.index('id="result_list"') :], re.S)
    assert len(rows) == 2  # the header and one story
    assert "我被退回的稿" in html and "我待审的稿" not in html and "同事被退回的稿" not in html


def test_changelist_marks_returned_drafts_without_a_query_per_row(
    editor_client, reporter, desk, django_assert_max_num_queries
):
    returned_story(reporter, desk, headline="被退回的一篇")
    ArticleFactory(created_by=reporter, headline="普通草稿")
    with django_assert_max_num_queries(100) as few:
        html = editor_client.get(CHANGELIST).content.decode()
    rows = {
        headline: row
        for row in re.findall(r"<tr[^>]*>.*?</tr>", html[html.index('id="result_list"') :], re.S)
        for headline in ("被退回的一篇", "普通草稿")
        if headline in row
    }
    assert "被退回</span>" in rows["被退回的一篇"]
    assert "被退回</span>" not in rows["普通草稿"]
    for n in range(8):
        returned_story(reporter, desk, headline=f"又一篇{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = editor_client.get(CHANGELIST).content.decode()
    assert html.count("status-returned") == 9
