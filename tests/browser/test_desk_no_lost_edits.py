"""No lost edits, in real Chromium: workflow buttons save first, leaving asks first, the live 字数."""

import pytest
from playwright.sync_api import expect

from articles import workflow
from articles.models import Article
from tests.browser.conftest import admin_login, screenshot
from tests.browser.test_workflow_flow import type_body
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def users():
    from tests.conftest import _user

    return _user("reporter1", "记者"), _user("editor1", "编辑")


def change_url(page, article):
    return f"{page.base}/admin/articles/article/{article.pk}/change/"


def test_reporter_edits_the_lead_paragraph_and_clicks_submit(new_browser_page):
    reporter, _editor = users()
    article = ArticleFactory(created_by=reporter, section=SectionFactory(), body="<p>旧的导语。</p>")
    page = new_browser_page()
    admin_login(page, "reporter1")
    page.goto(change_url(page, article))
    type_body(page, "新华社晋江电 改过的导语。")
    page.click("button[data-move=submit]")
    expect(page.locator(".workflow-panel")).to_contain_text("待审")
    expect(page.locator(".messagelist")).to_contain_text("已送审")
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW
    assert "改过的导语" in article.body and "旧的导语" not in article.body


def test_editor_corrects_the_subheadline_and_publishes_now(new_browser_page):
    reporter, _editor = users()
    article = ArticleFactory(created_by=reporter, section=SectionFactory(), subheadline="错的副题")
    workflow.article_submit(article=article, user=reporter)
    page = new_browser_page()
    admin_login(page, "editor1")
    page.goto(change_url(page, article))
    page.fill("#id_subheadline", "改正后的副题")
    page.click("button[data-move=publish-now]")
    expect(page.locator(".workflow-panel")).to_contain_text("已发布")
    article.refresh_from_db()
    assert article.is_published and article.subheadline == "改正后的副题"
    # Readers see the corrected text.
    reader = new_browser_page()
    reader.goto(reader.base + article.get_absolute_url())
    expect(reader.get_by_text("改正后的副题").first).to_be_visible()


def test_return_without_a_note_keeps_the_editors_edit_on_screen(new_browser_page):
    reporter, _editor = users()
    article = ArticleFactory(created_by=reporter, section=SectionFactory(), headline="原来的主题")
    workflow.article_submit(article=article, user=reporter)
    page = new_browser_page()
    admin_login(page, "editor1")
    page.goto(change_url(page, article))
    page.fill("#id_headline", "编辑改的主题")
    page.click("button[data-move=return]")
    expect(page.locator(".errornote, .errorlist").first).to_be_visible()
    expect(page.get_by_text("退回稿件必须填写退回意见").first).to_be_visible()
    expect(page.locator("#id_headline")).to_have_value("编辑改的主题")
    article.refresh_from_db()
    assert (article.status, article.headline) == (Article.Status.REVIEW, "原来的主题")


def test_enter_in_the_headline_saves_and_does_not_move(new_browser_page):
    reporter, _editor = users()
    article = ArticleFactory(created_by=reporter, section=SectionFactory(), headline="原来的主题")
    page = new_browser_page()
    admin_login(page, "reporter1")
    page.goto(change_url(page, article))
    page.fill("#id_headline", "回车保存的主题")
    page.press("#id_headline", "Enter")
    page.wait_for_url("**/admin/articles/article/")
    article.refresh_from_db()
    assert (article.status, article.headline) == (Article.Status.DRAFT, "回车保存的主题")


def test_leaving_with_unsaved_edits_asks_first_and_saving_does_not(new_browser_page):
    reporter, _editor = users()
    article = ArticleFactory(created_by=reporter, section=SectionFactory(), headline="原来的主题")
    page = new_browser_page()
    admin_login(page, "reporter1")
    url = change_url(page, article)
    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)  # the guard snapshots the form once the editor has started

    dialogs = []

    def dismiss(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # "stay on this page"

    page.on("dialog", dismiss)
    # Unchanged: following a link leaves without asking.
    page.click("#site-name a")
    page.wait_for_url("**/admin/")
    assert dialogs == []

    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)
    type_body(page, "还没保存的正文。")
    # A link: the browser asks, the user stays, the text is still there.
    page.click("#site-name a", no_wait_after=True)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url == url
    expect(page.locator(".ProseMirror[contenteditable=true]")).to_contain_text("还没保存的正文")
    # The back button asks too.
    page.evaluate("history.back()")
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload", "beforeunload"]
    assert page.url == url
    # Closing the tab asks; dismissed, the tab stays open with the text.
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"] * 3
    assert not page.is_closed()
    expect(page.locator(".ProseMirror[contenteditable=true]")).to_contain_text("还没保存的正文")

    # Saving never asks.
    page = new_browser_page()
    admin_login(page, "reporter1")
    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)
    asked = []
    page.on("dialog", lambda d: (asked.append(d.type), d.accept()))
    page.fill("#id_headline", "保存不必确认")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_be_visible()
    assert asked == []
    article.refresh_from_db()
    assert article.headline == "保存不必确认"


def test_live_char_count_under_the_editor(new_browser_page):
    reporter, _editor = users()
    article = ArticleFactory(created_by=reporter, section=SectionFactory(), body="<p>晋江。</p>")
    page = new_browser_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    admin_login(page, "reporter1")
    page.goto(change_url(page, article))
    count = page.locator(".field-body .char-count strong")
    expect(count).to_have_text("2")
    type_body(page, "晋江经济报讯，2024年GDP增长8%。")
    # 晋江经济报讯(6) 2024(4) 年(1) GDP(3) 增长(2) 8(1): punctuation and spaces are not counted.
    expect(count).to_have_text("17")
    screenshot(page, "desk-editor-charcount")
    page.click("input[name=_continue]")
    expect(page.locator(".workflow-chars")).to_contain_text("字数 17")
    article.refresh_from_db()
    assert article.char_count == 17
