"""No leftover Django wording or branding anywhere in the admin, for any role: crawled page by page."""

import re

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import override_settings
from django.urls import reverse

from articles import workflow
from articles.models import Article
from tests.factories import (
    ArticleFactory,
    ColumnFactory,
    PersonFactory,
    PlacementFactory,
    SectionFactory,
)

from .photos.test_body import make_photo

pytestmark = pytest.mark.django_db

# What Django's own templates say when a project leaves them as they are (zh-hans):
# "Django 管理", "Django 站点管理员", "无可选的" (empty recent actions), "选择 稿件 来修改" (changelist title),
# "删除所选的 图片库" (the bulk delete action).
LEFTOVERS = ("Django", "无可选的", "选择 ", " 来修改", "Newsroom 采编系统", "删除所选的 ")


@pytest.fixture
def newsroom(reporter, editor, chief):
    """One of everything the admin lists, so every changelist and change page has a row to show."""
    section = SectionFactory(name="要闻", slug="yaowen")
    ColumnFactory(name="刺桐评论", section=section)
    PersonFactory(name="王通讯员")
    story = ArticleFactory(headline="晋江举行龙舟赛", section=section, created_by=reporter)
    workflow.article_submit(article=story, user=reporter)
    workflow.article_return(article=story, user=editor, note="请补充比赛成绩。")
    story.tags.add("龙舟")
    PlacementFactory(article=ArticleFactory(published=True, section=section))
    make_photo(reporter)
    return story


def _admin_urls():
    """Every page an admin user can reach from the index: each model's changelist, add and change page."""
    urls = [reverse("admin:index"), reverse("admin:password_change")]
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:app_list", args=[info[0]]))
        urls.append(reverse(f"admin:{info[0]}_{info[1]}_changelist"))
        urls.append(reverse(f"admin:{info[0]}_{info[1]}_add"))
        for obj in model._default_manager.all()[:2]:
            urls.append(reverse(f"admin:{info[0]}_{info[1]}_change", args=[obj.pk]))
            urls.append(reverse(f"admin:{info[0]}_{info[1]}_history", args=[obj.pk]))
    urls.append(reverse("admin:articles_photo_upload"))
    return list(dict.fromkeys(urls))


def _leftovers(html):
    return [word for word in LEFTOVERS if word in html]


@pytest.mark.parametrize("role", ["reporter", "editor", "chief"])
def test_no_django_wording_on_any_admin_page(client, newsroom, request, role):
    client.force_login(request.getfixturevalue(role))
    seen = 0
    found = {}
    for url in _admin_urls():
        response = client.get(url, follow=True)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue  # 403/404 for what this role may not see: Django's wording is not on those
        seen += 1
        html = response.content.decode()
        if words := _leftovers(html):
            found[url] = words
    assert seen >= 20, seen
    assert found == {}


def test_login_and_logout_pages_carry_the_paper_name(client, reporter):
    login = client.get(reverse("admin:login")).content.decode()
    assert _leftovers(login) == []
    title = re.search(r"<title>(.*?)</title>", login, re.S).group(1)
    assert f"{settings.NEWSROOM_PAPER_NAME} 采编系统" in title
    client.force_login(reporter)
    logout = client.post(reverse("admin:logout")).content.decode()
    assert _leftovers(logout) == []
    assert f"{settings.NEWSROOM_PAPER_NAME} 采编系统" in re.search(
        r"<title>(.*?)</title>", logout, re.S
    ).group(1)


@override_settings(NEWSROOM_PAPER_NAME="石狮日报")
def test_header_and_title_follow_the_paper_name_setting(editor_client):
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert '<div id="site-name"><a href="/admin/">石狮日报 采编系统</a></div>' in html
    assert re.search(r"<title>[^<]*石狮日报 采编系统</title>", html)


def test_changelist_titles_name_the_list(editor_client, newsroom):
    def h1(url):
        return re.search(r"<h1>(.*?)</h1>", editor_client.get(url).content.decode(), re.S).group(1).strip()

    changelist = reverse("admin:articles_article_changelist")
    assert h1(changelist) == "稿件"
    assert h1(changelist + "?queue=mine") == "我的稿件"
    assert h1(changelist + "?queue=review") == "审稿队列"
    assert h1(changelist + "?queue=returned") == "被退回的稿件"
    assert h1(reverse("admin:articles_photo_changelist")) == "图片库"
    assert h1(reverse("admin:articles_articleevent_changelist")) == "稿件日志"


def test_photo_library_counts_in_chinese(editor_client, newsroom):
    html = editor_client.get(reverse("admin:articles_photo_changelist")).content.decode()
    assert "1 图片" not in html
    assert "共 1 条" in html
    html = editor_client.get(reverse("admin:articles_photo_changelist") + "?q=没有这张").content.decode()
    assert "0 图片库" not in html


def test_photo_bulk_delete_is_worded_for_photos(chief_client, newsroom):
    html = chief_client.get(reverse("admin:articles_photo_changelist")).content.decode()
    assert '<option value="delete_selected">删除所选图片</option>' in html


# --- real names: never a login name such as "editor1" wherever a person is shown ---------------------


@pytest.fixture
def named(reporter, editor):
    """Reporter and editor with real names that share nothing with their login names."""
    reporter.person.name = "林伊婷"
    reporter.person.save()
    editor.person.delete()  # an account without a Person: its full name, family name first
    editor.refresh_from_db()
    editor.last_name, editor.first_name = "陈", "秋萍"
    editor.save()
    return reporter, editor


def _returned(reporter, editor):
    story = ArticleFactory(created_by=reporter, headline="龙舟赛报道")
    workflow.store_revision(story, reporter, "新建稿件")
    workflow.article_submit(article=story, user=reporter)
    workflow.article_return(article=story, user=editor, note="请补充比赛成绩。")
    return story


def test_change_page_timeline_and_return_note_show_real_names(client, named):
    reporter, editor = named
    story = _returned(reporter, editor)
    client.force_login(reporter)
    html = client.get(reverse("admin:articles_article_change", args=[story.pk])).content.decode()
    note = html[html.index('class="return-note"') : html.index("</div>", html.index('class="return-note"'))]
    assert "陈秋萍" in note
    timeline = html[html.index('class="audit-timeline"') :]
    assert "陈秋萍" in timeline and "林伊婷" in timeline
    assert "editor1" not in html and "reporter1" not in html  # the welcome line says 林伊婷 too


def test_history_and_compare_show_real_names(client, named):
    reporter, editor = named
    story = _returned(reporter, editor)
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_history", args=[story.pk])).content.decode()
    history = html[html.index('class="article-history"') :]
    table = history[: history.index("</table>")]
    assert "林伊婷" in table and "陈秋萍" in table
    assert "reporter1" not in table and "editor1" not in table
    revisions = [int(r) for r in re.findall(r'name="b" value="(\d+)"', table)]
    compare = client.get(
        reverse("admin:articles_article_compare", args=[story.pk]),
        {"a": min(revisions), "b": max(revisions)},
    ).content.decode()
    intro = compare[compare.index('class="article-compare"') :][:600]
    assert "林伊婷" in intro and "陈秋萍" in intro and "reporter1" not in intro and "editor1" not in intro


def test_article_log_shows_and_filters_by_real_names(client, named, chief):
    reporter, editor = named
    _returned(reporter, editor)
    client.force_login(chief)
    html = client.get(reverse("admin:articles_articleevent_changelist")).content.decode()
    results = html[html.index('id="result_list"') : html.index("</table>", html.index('id="result_list"'))]
    assert "陈秋萍" in results and "林伊婷" in results
    assert "editor1" not in results and "reporter1" not in results
    filters = html[html.index('id="changelist-filter"') :]
    actor_filter = filters[: filters.index("</ul>")]
    assert "陈秋萍" in actor_filter and "林伊婷" in actor_filter
    assert "editor1" not in actor_filter and "reporter1" not in actor_filter
    only = client.get(
        reverse("admin:articles_articleevent_changelist"), {"actor__id__exact": editor.pk}
    ).content.decode()
    assert only.count('class="field-actor_display"') == 1


def test_edit_conflict_names_the_other_person(client, named):
    reporter, editor = named
    from articles.forms import ArticleForm

    story = ArticleFactory(created_by=reporter, headline="旧主题")
    form = ArticleForm(instance=story)
    loaded = form["loaded_version"].value()
    story.headline = "编辑改的主题"
    story.updated_by = editor
    story.version += 1
    story.save()
    data = {
        "headline": "我改的主题",
        "body": "<p>正文。</p>",
        "section": story.section_id,
        "loaded_version": loaded,
    }
    form = ArticleForm(data, instance=Article.objects.get(pk=story.pk))
    assert not form.is_valid()
    assert form.conflict["who"] == "陈秋萍"
    assert "陈秋萍" in " ".join(form.non_field_errors()) and "editor1" not in " ".join(
        form.non_field_errors()
    )
