"""Autosave in real headless Chromium: the browser dies mid-edit, the next visit offers the text back."""

import time

import pytest
from playwright.sync_api import expect

from articles.models import Article, ArticleAutosave
from tests.browser.conftest import admin_login, screenshot
from tests.browser.test_workflow_flow import choose_autocomplete, type_body
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db(transaction=True)

HEADLINE = "晋江集成电路产业园正式开园"
BODY = "昨日上午，晋江集成电路产业园举行开园仪式，首批十家企业入驻。"
EDITOR = ".prose-editor .ProseMirror[contenteditable=true]"


def wait_until(check, timeout=15):
    """Poll the database until ``check()`` is true (the browser saves in the background)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting for the autosave")


def autosaved(user, *texts):
    def check():
        saved = ArticleAutosave.objects.filter(user=user).first()
        return saved is not None and all(text in str(saved.data) for text in texts)

    return check


@pytest.fixture
def story():
    from tests.conftest import _user

    reporter = _user("reporter1", "记者")
    article = ArticleFactory(
        created_by=reporter,
        updated_by=reporter,
        headline="晋江集成电路产业园开园",
        body="<p>产业园位于晋江经济开发区。</p>",
        section=SectionFactory(name="要闻", slug="yaowen"),
    )
    return reporter, article


def test_a_killed_browser_loses_nothing(chromium_browser, live_server, new_browser_page, settings, story):
    settings.NEWSROOM_AUTOSAVE_SECONDS = 1
    reporter, article = story
    change = f"{live_server.url}/admin/articles/article/{article.pk}/change/"

    # The reporter types a new headline and a new lead paragraph, and the browser dies before 保存.
    context = chromium_browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base = live_server.url
    admin_login(page, "reporter1")
    page.goto(change)
    type_body(page, BODY)
    page.fill("#id_headline", HEADLINE)
    wait_until(autosaved(reporter, HEADLINE, BODY))
    expect(page.locator(".autosave-status")).to_contain_text("已自动保存")
    context.close()

    article.refresh_from_db()
    assert article.headline == "晋江集成电路产业园开园" and BODY not in article.body
    assert article.version == 1

    # Next morning, a new browser: the story offers what was typed, with the diff.
    page = new_browser_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    admin_login(page, "reporter1")
    page.goto(change)
    offer = page.locator(".autosave-offer")
    expect(offer).to_contain_text("恢复未保存的内容")
    expect(offer.locator(".diff del").first).to_have_text("晋江集成电路产业园开园")
    expect(offer.locator(".diff ins").first).to_have_text(HEADLINE)
    expect(offer.locator(".diff ins", has_text=BODY)).to_have_count(1)
    expect(offer.locator(".diff del", has_text="产业园位于晋江经济开发区。")).to_have_count(1)
    # The form still shows the saved article until the reporter chooses.
    expect(page.locator("#id_headline")).to_have_value("晋江集成电路产业园开园")
    screenshot(page, "desk-autosave-offer")

    page.click("button[data-autosave=restore]")
    expect(offer).to_have_count(0)
    expect(page.locator("#id_headline")).to_have_value(HEADLINE)
    expect(page.locator(EDITOR)).to_have_text(BODY)
    expect(page.locator("#id_section option:checked")).to_have_text("要闻")

    page.click("input[name=_continue]")
    expect(page.locator(".workflow-panel")).to_contain_text("草稿")
    article.refresh_from_db()
    assert article.headline == HEADLINE and BODY in article.body
    assert article.section.name == "要闻"
    assert not ArticleAutosave.objects.exists()

    # Saved: no offer any more.
    page.goto(change)
    expect(page.locator("#id_headline")).to_have_value(HEADLINE)
    expect(page.locator(".autosave-offer")).to_have_count(0)
    assert errors == []


def test_leaving_a_field_autosaves_and_discard_drops_it(new_browser_page, settings, story):
    settings.NEWSROOM_AUTOSAVE_SECONDS = 3600  # only the blur can save here
    reporter, article = story
    page = new_browser_page()
    admin_login(page, "reporter1")
    change = f"{page.base}/admin/articles/article/{article.pk}/change/"
    page.goto(change)
    page.fill("#id_subheadline", "首批十家企业入驻")
    page.locator(EDITOR).click()  # the subheadline loses focus
    wait_until(autosaved(reporter, "首批十家企业入驻"))

    page.goto(change)
    offer = page.locator(".autosave-offer")
    expect(offer.locator(".diff ins")).to_have_text("首批十家企业入驻")
    page.click("button[data-autosave=discard]")
    expect(offer).to_have_count(0)
    expect(page.locator(".autosave-status")).to_contain_text("已放弃")
    wait_until(lambda: not ArticleAutosave.objects.exists())
    page.goto(change)
    expect(page.locator("#id_subheadline")).to_have_value("")
    expect(page.locator(".autosave-offer")).to_have_count(0)
    assert Article.objects.get().subheadline == ""


def test_a_new_story_in_the_add_form_is_recovered_too(new_browser_page, settings, story):
    settings.NEWSROOM_AUTOSAVE_SECONDS = 1
    reporter, _article = story
    page = new_browser_page()
    admin_login(page, "reporter1")
    page.goto(page.base + "/admin/articles/article/add/")
    page.fill("#id_headline", "安海镇龙舟赛今日开幕")
    type_body(page, "安海镇龙舟赛今日开幕，观众逾万人。")
    wait_until(autosaved(reporter, "安海镇龙舟赛今日开幕", "观众逾万人"))
    page.context.close()

    page = new_browser_page()
    admin_login(page, "reporter1")
    page.goto(page.base + "/admin/articles/article/add/")
    expect(page.locator(".autosave-offer .diff ins", has_text="安海镇龙舟赛今日开幕").first).to_be_visible()
    page.click("button[data-autosave=restore]")
    expect(page.locator("#id_headline")).to_have_value("安海镇龙舟赛今日开幕")
    expect(page.locator(EDITOR)).to_have_text("安海镇龙舟赛今日开幕，观众逾万人。")
    choose_autocomplete(page, "id_section", "要闻")
    page.click("input[name=_continue]")
    expect(page.locator(".workflow-panel")).to_contain_text("草稿")
    created = Article.objects.get(headline="安海镇龙舟赛今日开幕")
    assert "观众逾万人" in created.body
    assert not ArticleAutosave.objects.exists()
