"""No lost updates: the save is a conditional UPDATE on ``version``; the loser keeps his text."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from articles import workflow
from articles.models import Article
from tests.articles.test_admin import form_data
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def loaded_form(client, article):
    """GET the form as a browser would and return the version it carries."""
    html = client.get(change_url(article)).content.decode()
    marker = 'name="loaded_version" value="'
    start = html.index(marker) + len(marker)
    return int(html[start : html.index('"', start)])


def post(client, article, version, **fields):
    data = form_data(article.section, loaded_version=str(version), **fields)
    return client.post(change_url(article), data)


@pytest.fixture
def two_editors(editor, chief):
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(chief)
    return first, second


def test_second_save_of_the_same_version_is_refused_with_a_diff_and_text_kept(two_editors, reporter):
    article = ArticleFactory(review=True, headline="原来的主题", body="<p>原来的第一段。</p>")
    workflow.store_revision(article, reporter, "送审时的版本")  # as every admin save does
    first, second = two_editors
    v1, v2 = loaded_form(first, article), loaded_form(second, article)
    assert v1 == v2 == 1
    assert (
        post(first, article, v1, headline="编辑甲改的主题", body="<p>原来的第一段。</p>").status_code == 302
    )
    response = post(second, article, v2, headline="主任乙改的主题", body="<p>主任乙重写的正文。</p>")
    assert response.status_code == 200
    html = response.content.decode()
    assert "保存被拒绝" in html and "editor1" in html
    # What the other person changed is shown …
    assert "<del>原来的主题</del>" in html and "<ins>编辑甲改的主题</ins>" in html
    # … and the second person's own text is still in the form.
    assert 'value="主任乙改的主题"' in html
    assert "主任乙重写的正文" in html
    article.refresh_from_db()
    assert article.headline == "编辑甲改的主题" and article.version == 2
    # Having seen the changes, saving again (the form now carries version 2) goes through.
    assert 'name="loaded_version" value="2"' in html
    assert post(second, article, 2, headline="合并后的主题", body="<p>合并。</p>").status_code == 302
    article.refresh_from_db()
    assert article.headline == "合并后的主题" and article.version == 3


def test_without_a_stored_revision_the_diff_is_against_the_current_saved_text(two_editors):
    article = ArticleFactory(review=True, headline="原来的主题")
    first, second = two_editors
    assert post(first, article, 1, headline="编辑甲改的主题").status_code == 302
    html = post(second, article, 1, headline="主任乙改的主题").content.decode()
    assert "<del>主任乙改的主题</del>" in html and "<ins>编辑甲改的主题</ins>" in html
    assert 'value="主任乙改的主题"' in html


def test_losing_at_the_update_reruns_the_form(two_editors, monkeypatch):
    """The early check passed but the conditional UPDATE refused: all is rolled back, the form runs again."""
    article = ArticleFactory(review=True, headline="原来的主题")
    _first, second = two_editors
    real_claim, calls = workflow.claim_version, []

    def lose_once(**kwargs):
        calls.append(kwargs["expected_version"])
        if len(calls) == 1:
            raise workflow.EditConflict("保存被拒绝")
        return real_claim(**kwargs)

    monkeypatch.setattr(workflow, "claim_version", lose_once)
    assert post(second, article, 1, headline="后到的主题").status_code == 302
    assert calls == [1, 1]
    article.refresh_from_db()
    assert article.headline == "后到的主题" and article.version == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_save_that_loses_the_race_at_the_update_is_redisplayed_not_lost(editor, chief, monkeypatch):
    """Someone commits between our form check and our UPDATE (another connection): the UPDATE decides."""
    article = ArticleFactory(review=True, headline="原来的主题")
    second = Client()
    second.force_login(chief)
    real_claim = workflow.claim_version

    def someone_commits_first(**kwargs):
        def other():
            Article.objects.filter(pk=article.pk).update(headline="抢先保存的主题", version=2)
            connection.close()

        thread = threading.Thread(target=other)
        thread.start()
        thread.join(timeout=10)
        monkeypatch.setattr(workflow, "claim_version", real_claim)
        return real_claim(**kwargs)

    monkeypatch.setattr(workflow, "claim_version", someone_commits_first)
    response = post(second, article, 1, headline="后到的主题")
    assert response.status_code == 200
    html = response.content.decode()
    assert "保存被拒绝" in html and 'value="后到的主题"' in html
    article.refresh_from_db()
    assert article.headline == "抢先保存的主题" and article.version == 2


def test_claim_version_is_conditional(editor):
    article = ArticleFactory(review=True)
    workflow.claim_version(article=Article.objects.get(pk=article.pk), user=editor, expected_version=1)
    with pytest.raises(workflow.EditConflict) as conflict:
        workflow.claim_version(article=Article.objects.get(pk=article.pk), user=editor, expected_version=1)
    assert "保存被拒绝" in conflict.value.message
    assert Article.objects.get(pk=article.pk).version == 2


def test_the_save_does_not_write_status(editor, chief):
    article = ArticleFactory(review=True)
    stale = Article.objects.get(pk=article.pk)
    workflow.article_publish(article=article, user=chief)
    stale.headline = "旧副本"
    with pytest.raises(workflow.EditConflict):
        workflow.article_save(article=stale, user=editor, expected_version=1)
    article.refresh_from_db()
    assert article.status == "published" and article.headline != "旧副本"


def test_a_missing_version_in_the_post_is_a_chinese_error(editor_client):
    article = ArticleFactory(review=True, headline="原来的主题")
    data = form_data(article.section, headline="没有版本号")
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 200
    assert "表单缺少版本号" in response.content.decode()
    article.refresh_from_db()
    assert article.headline == "原来的主题"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_threads_saving_the_same_version_exactly_one_wins(editor, chief):
    article = ArticleFactory(review=True, headline="原来的主题")
    barrier = threading.Barrier(2)
    results = {}

    def save(user, headline):
        try:
            copy = Article.objects.get(pk=article.pk)
            copy.headline = headline
            barrier.wait(timeout=10)
            workflow.article_save(article=copy, user=user, expected_version=1)
            results[headline] = "saved"
        except workflow.EditConflict:
            results[headline] = "conflict"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(editor, "甲的主题")),
        threading.Thread(target=save, args=(chief, "乙的主题")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results.values()) == ["conflict", "saved"]
    winner = next(h for h, r in results.items() if r == "saved")
    article.refresh_from_db()
    assert article.headline == winner and article.version == 2


def test_every_model_field_of_the_form_is_saved_by_the_locked_save():
    """A field added to the form later is written by the conditional save too (not silently dropped)."""
    from articles.forms import ArticleForm

    concrete = {f.name for f in Article._meta.concrete_fields}
    form_model_fields = {name for name in ArticleForm._meta.fields if name in concrete}
    assert form_model_fields <= set(workflow.content_fields())
    assert not {"status", "published_at", "version", "created_by"} & set(workflow.content_fields())
