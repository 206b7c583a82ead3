"""The editorial workflow end to end in real headless Chromium: write, submit, return, fix, publish."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.conftest import admin_login, screenshot
from tests.factories import PersonFactory, SectionFactory

pytestmark = pytest.mark.django_db(transaction=True)

HEADLINE = "晋江集成电路产业园开园"
FIXED = "晋江集成电路产业园正式开园"


def choose_autocomplete(page, select_id, text):
    """Pick ``text`` in a select2 autocomplete the way a person does: open, type, click the match."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    search = page.locator(".select2-container--open .select2-search__field")
    search.fill(text)
    option = page.locator(".select2-container--open .select2-results__option", has_text=text).first
    option.wait_for()
    option.click()
    expect(page.locator(f"#{select_id}")).to_have_value(re.compile(r"^\d+$"))


def type_body(page, text):
    """Type into the ProseMirror editor (the body field is a contenteditable, not a textarea)."""
    # The contenteditable one: the toolbar's block-type menu reuses the class for its dropdown.
    editor = page.locator(".prose-editor .ProseMirror[contenteditable=true]")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


def test_reporter_and_editor_take_a_story_from_draft_to_the_home_page(new_browser_page):
    SectionFactory(name="要闻", slug="yaowen")
    PersonFactory(name="林伊婷")
    PersonFactory(name="秦越")
    reporter = new_browser_page()
    editor = new_browser_page()
    from django.contrib.auth import get_user_model

    from tests.conftest import _user

    _user("reporter1", "记者")
    _user("editor1", "编辑")
    assert get_user_model().objects.count() == 2

    # The reporter writes the story: headline, body in the editor, section, two bylines, a Chinese tag.
    admin_login(reporter, "reporter1")
    reporter.goto(reporter.base + "/admin/articles/article/add/")
    reporter.fill("#id_headline", HEADLINE)
    type_body(reporter, "昨日，晋江集成电路产业园举行开园仪式。")
    choose_autocomplete(reporter, "id_section", "要闻")
    reporter.fill("#id_tags", "集成电路, 晋江")
    choose_autocomplete(reporter, "id_bylines-0-person", "林伊婷")
    reporter.select_option("#id_bylines-0-role", "记者")
    reporter.fill("#id_bylines-0-order", "0")
    reporter.locator(".add-row a").click()
    choose_autocomplete(reporter, "id_bylines-1-person", "秦越")
    reporter.select_option("#id_bylines-1-role", "通讯员")
    reporter.fill("#id_bylines-1-order", "1")
    reporter.click("input[name=_continue]")
    expect(reporter.locator(".workflow-panel")).to_contain_text("草稿")
    article = Article.objects.get()
    assert "开园仪式" in article.body
    assert [(b.person.name, b.get_role_display()) for b in article.bylines.order_by("order")] == [
        ("林伊婷", "记者"),
        ("秦越", "通讯员"),
    ]
    assert sorted(article.tags.names()) == ["晋江", "集成电路"]
    screenshot(reporter, "workflow-1-draft")
    reporter.click("button[data-move=submit]")
    expect(reporter.locator(".workflow-panel")).to_contain_text("待审")

    # The editor finds it in the review queue and returns it with a note.
    admin_login(editor, "editor1")
    editor.goto(editor.base + "/admin/articles/article/?queue=review")
    editor.get_by_role("link", name=HEADLINE).click()
    editor.fill(".workflow-move-return textarea", "标题请写明“正式开园”。")
    editor.click("button[data-move=return]")
    expect(editor.locator(".workflow-panel")).to_contain_text("草稿")

    # The reporter sees the note, fixes the headline and resubmits.
    reporter.reload()
    expect(reporter.locator(".return-note")).to_contain_text("标题请写明“正式开园”。")
    screenshot(reporter, "workflow-2-returned")
    reporter.fill("#id_headline", FIXED)
    reporter.click("input[name=_continue]")
    expect(reporter.locator("#id_headline")).to_have_value(FIXED)
    reporter.click("button[data-move=submit]")
    expect(reporter.locator(".workflow-panel")).to_contain_text("待审")

    # The editor publishes it now.
    editor.reload()
    expect(editor.locator("#id_headline")).to_have_value(FIXED)
    editor.click("button[data-move=publish-now]")
    expect(editor.locator(".workflow-panel")).to_contain_text("已发布")
    screenshot(editor, "workflow-3-published")

    # It is on the public home page.
    reader = new_browser_page()
    reader.goto(reader.base + "/")
    expect(reader.get_by_text(FIXED).first).to_be_visible()

    # The reporter can no longer edit it.
    reporter.reload()
    expect(reporter.locator(".readonly-note")).to_contain_text("您现在不能修改这篇稿件")
    assert reporter.locator("input[name=_save]").count() == 0
    assert reporter.locator("#id_headline").count() == 0
    article.refresh_from_db()
    assert article.status == "published" and article.is_published
    assert list(article.events.order_by("created_at", "pk").values_list("action", flat=True)) == [
        "create",
        "submit",
        "return",
        "submit",
        "publish",
    ]
