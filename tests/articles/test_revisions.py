"""Revision history: every save stores bylines and tags; compare any two; restore, permission-checked."""

import pytest
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles import versioning, workflow
from articles.models import Article, Byline
from tests.articles.test_admin import form_data, with_bylines
from tests.factories import ArticleFactory, PersonFactory, SectionFactory

pytestmark = pytest.mark.django_db


def admin_edit(client, article, **changes):
    """Post the change form as a person would: the current text with some fields changed."""
    article.refresh_from_db()
    bylines = list(article.bylines.order_by("order", "pk"))
    data = form_data(
        article.section,
        kicker=article.kicker,
        headline=article.headline,
        subheadline=article.subheadline,
        body=article.body,
        tags=", ".join(article.tags.names()),
        loaded_version=str(article.version),
    )
    data["bylines-TOTAL_FORMS"] = str(len(bylines))
    data["bylines-INITIAL_FORMS"] = str(len(bylines))
    for i, b in enumerate(bylines):
        data.update(
            {
                f"bylines-{i}-id": b.pk,
                f"bylines-{i}-article": article.pk,
                f"bylines-{i}-order": b.order,
                f"bylines-{i}-role": b.role,
                f"bylines-{i}-person": b.person_id,
            }
        )
    data.update(changes)
    return client.post(reverse("admin:articles_article_change", args=[article.pk]), data)


@pytest.fixture
def written(reporter):
    """A draft made through the admin with two bylines and Chinese tags, then edited once."""
    reporter_client = Client()
    reporter_client.force_login(reporter)
    a, b = PersonFactory(name="林伊婷"), PersonFactory(name="秦越")
    data = with_bylines(
        form_data(
            SectionFactory(),
            headline="晋江初稿标题",
            body="<p>第一段。</p><p>第二段。</p>",
            tags="集成电路, 晋江",
        ),
        (a, "记者"),
        (b, "通讯员"),
    )
    assert reporter_client.post(reverse("admin:articles_article_add"), data).status_code == 302
    article = Article.objects.get()
    response = admin_edit(
        reporter_client,
        article,
        headline="晋江修改后标题",
        body="<p>第一段。</p><p>第二段改了。</p>",
        tags="晋江",
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    article.refresh_from_db()
    return article


def test_every_admin_save_stores_a_revision_with_bylines_and_tags(written):
    versions = list(versioning.article_versions(written))
    assert len(versions) == 2
    first, second = (versioning.snapshot(v.revision, written.pk) for v in reversed(versions))
    assert first["headline"] == "晋江初稿标题" and second["headline"] == "晋江修改后标题"
    assert first["bylines"] == "记者 林伊婷\n通讯员 秦越" == second["bylines"]
    assert first["tags"] == "晋江、集成电路" and second["tags"] == "晋江"
    assert versions[0].revision.user.username == "reporter1"


def test_every_workflow_move_stores_a_revision(written, reporter, editor):
    workflow.article_submit(article=written, user=reporter)
    workflow.article_publish(article=written, user=editor)
    versions = list(versioning.article_versions(written))
    assert len(versions) == 4
    assert versions[0].field_dict["status"] == "published"
    assert "发布" in versions[0].revision.comment
    assert versioning.snapshot(versions[0].revision, written.pk)["bylines"] == "记者 林伊婷\n通讯员 秦越"


def test_compare_two_revisions_shows_a_readable_diff(editor_client, written):
    new, old = (v.revision_id for v in versioning.article_versions(written))
    url = reverse("admin:articles_article_compare", args=[written.pk])
    html = editor_client.get(url, {"a": old, "b": new}).content.decode()
    assert "<del>晋江初稿标题</del>" in html and "<ins>晋江修改后标题</ins>" in html
    assert "<del>第二段。</del>" in html and "<ins>第二段改了。</ins>" in html
    assert "<del>晋江、集成电路</del>" in html
    assert "副题（无改动）" in html


def test_history_page_lists_revisions_with_compare_and_restore(editor_client, written):
    html = editor_client.get(reverse("admin:articles_article_history", args=[written.pk])).content.decode()
    assert html.count('name="a"') == 2
    assert "恢复此版本" in html


def test_restore_brings_back_text_bylines_and_tags_as_a_new_revision(editor_client, editor, written):
    # Change the bylines too, so the restore has something to put back.
    written.bylines.filter(role=Byline.Role.CORRESPONDENT).delete()
    old = list(versioning.article_versions(written))[-1].revision_id
    url = reverse("admin:articles_article_restore", args=[written.pk, old])
    response = editor_client.post(url)
    assert response.status_code == 302
    written.refresh_from_db()
    assert written.headline == "晋江初稿标题"
    assert "第二段。" in written.body
    assert [(b.person.name, b.get_role_display()) for b in written.bylines.order_by("order")] == [
        ("林伊婷", "记者"),
        ("秦越", "通讯员"),
    ]
    assert sorted(written.tags.names()) == ["晋江", "集成电路"]
    assert written.status == "draft" and written.version == 3
    versions = list(versioning.article_versions(written))
    assert len(versions) == 3 and "恢复" in versions[0].revision.comment
    assert list(written.events.filter(action="restore").values_list("actor__username", flat=True)) == [
        "editor1"
    ]


def test_restore_keeps_the_status(editor, reporter, written):
    workflow.article_submit(article=written, user=reporter)
    workflow.article_publish(article=written, user=editor)
    old = list(versioning.article_versions(written))[-1].revision_id
    versioning.article_restore(article=written, user=editor, revision_id=old)
    written.refresh_from_db()
    assert written.status == "published" and written.headline == "晋江初稿标题"


def test_restore_of_a_revision_of_another_article_is_refused_in_chinese(editor_client, written, editor):
    other = ArticleFactory(headline="另一篇")
    workflow.article_save(article=other, user=editor, expected_version=1)
    foreign = versioning.article_versions(other)[0].revision_id
    before = (written.headline, written.version, Version.objects.count())
    url = reverse("admin:articles_article_restore", args=[written.pk, foreign])
    response = editor_client.post(url, follow=True)
    assert "这个历史版本不属于这篇稿件" in response.content.decode()
    written.refresh_from_db()
    assert (written.headline, written.version, Version.objects.count()) == before


def test_restore_of_a_missing_revision_is_a_chinese_message(editor, written):
    with pytest.raises(versioning.RestoreError, match="找不到"):
        versioning.article_restore(article=written, user=editor, revision_id=999999)


def test_restore_is_permission_checked(client, other_reporter, reporter, written):
    old = list(versioning.article_versions(written))[-1].revision_id
    url = reverse("admin:articles_article_restore", args=[written.pk, old])
    client.force_login(other_reporter)
    assert client.post(url).status_code == 404  # a colleague's draft does not exist for him
    workflow.article_submit(article=written, user=reporter)
    client.force_login(reporter)  # his own, but in review: no longer his to change
    assert client.post(url).status_code == 403
    written.refresh_from_db()
    assert written.headline == "晋江修改后标题"


def test_reporter_sees_the_history_of_his_own_articles_only(client, reporter, other_reporter, written):
    urls = [
        reverse("admin:articles_article_history", args=[written.pk]),
        reverse("admin:articles_article_compare", args=[written.pk]) + "?a=1&b=2",
    ]
    client.force_login(reporter)
    assert client.get(urls[0]).status_code == 200
    client.force_login(other_reporter)
    for url in urls:
        assert client.get(url).status_code == 404  # a colleague's draft does not exist for him


def test_compare_refuses_revisions_of_another_article(editor_client, editor, written):
    other = ArticleFactory()
    workflow.article_save(article=other, user=editor, expected_version=1)
    foreign = versioning.article_versions(other)[0].revision_id
    mine = versioning.article_versions(written)[0].revision_id
    url = reverse("admin:articles_article_compare", args=[written.pk])
    html = editor_client.get(url, {"a": foreign, "b": mine}, follow=True).content.decode()
    assert "不属于这篇稿件" in html


def test_byline_rows_are_stored_with_each_revision(written):
    assert Byline.objects.filter(article=written).count() == 2
    latest = versioning.article_versions(written)[0].revision
    assert latest.version_set.filter(content_type__model="byline").count() == 2
    assert latest.version_set.filter(content_type__model="taggedarticle").count() == 1


def test_revisions_from_before_english_roles_still_show_and_restore(editor, reporter):
    """Revisions stored before migration 0006 hold the printed word (记者); they read and restore as values."""
    from articles.versioning import _role

    assert _role("记者") == Byline.Role.REPORTER and _role("photographer") == Byline.Role.PHOTOGRAPHER
    with pytest.raises(KeyError):
        _role("主编")
