"""The desk in real Chromium: a returned story on the reporter's dashboard, the body editor in Chinese,
headline inputs that hold a 20-character headline, a readable 稿件日志."""

import re

import pytest
from playwright.sync_api import expect

from articles import workflow
from tests.browser.conftest import admin_login, screenshot
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db(transaction=True)

NOTE = "第三段的比赛成绩与组委会公布的不符，请核实后重新送审。"
HEADLINE_20 = "晋江市第十届龙舟邀请赛在安海镇五里桥畔举行"  # 20 ideographs, a long printed 主题
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def people():
    """A reporter and an editor who go by real names (never shown as reporter1 / editor1)."""
    from tests.conftest import _user

    reporter, editor = _user("reporter1", "记者"), _user("editor1", "编辑")
    for user, name in ((reporter, "林伊婷"), (editor, "陈秋萍")):
        user.person.name = name
        user.person.save()
    return reporter, editor


def test_returned_story_tops_the_reporters_dashboard_with_the_note(new_browser_page, people):
    reporter, _editor = people
    story = ArticleFactory(created_by=reporter, headline="晋江举行龙舟邀请赛", section=SectionFactory())
    workflow.article_submit(article=story, user=reporter)

    # The editor returns it with a note, from the change page.
    editor = new_browser_page()
    admin_login(editor, "editor1")
    editor.goto(editor.base + f"/admin/articles/article/{story.pk}/change/")
    editor.fill(".workflow-move-return textarea", NOTE)
    editor.click("button[data-move=return]")
    expect(editor.locator(".workflow-panel")).to_contain_text("草稿")

    # The reporter logs in: the story is at the top of the dashboard, with the note, who and when.
    page = new_browser_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    admin_login(page, "reporter1")
    returned = page.locator("#returned-stories")
    expect(returned).to_be_visible()
    expect(returned).to_contain_text("晋江举行龙舟邀请赛")
    expect(returned).to_contain_text(NOTE)
    expect(returned).to_contain_text("陈秋萍")
    expect(returned).not_to_contain_text("editor1")
    assert returned.bounding_box()["y"] < page.locator("#newsroom-workbench").bounding_box()["y"]
    assert returned.bounding_box()["y"] < page.locator("#content-main .app-articles").bounding_box()["y"]
    screenshot(page, "desk-returned-dashboard")

    # 我的稿件 → 被退回 lists it, marked.
    page.click("#newsroom-workbench a[href$='?queue=returned']")
    expect(page.locator("h1")).to_have_text("被退回的稿件")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list tbody tr .status-returned")).to_have_text("被退回")

    # And the story itself opens with the editor's note.
    page.click("#result_list tbody tr a")
    expect(page.locator(".return-note")).to_contain_text(NOTE)
    expect(page.locator(".return-note")).to_contain_text("陈秋萍")


def test_body_editor_speaks_chinese_and_headlines_fit(browser_page, people):
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    admin_login(page, "reporter1")
    page.goto(page.base + "/admin/articles/article/add/")
    bold = page.locator(".prose-menubar button[data-name=bold]")
    expect(bold).to_have_attribute("title", "加粗")
    expect(bold).to_have_attribute("aria-label", "加粗")

    # Every tooltip and label on the toolbar is Chinese.
    titles = page.eval_on_selector_all(
        ".prose-menubar [title], .prose-menubar [aria-label]",
        "els => els.flatMap(e => [e.getAttribute('title'), e.getAttribute('aria-label')]).filter(Boolean)",
    )
    assert titles and all(CJK.search(title) for title in titles), titles
    assert {"加粗", "斜体", "撤销", "引文"} <= set(titles)
    expect(page.locator(".prose-menubar__selected button")).to_have_attribute("title", "正文")

    # The block menu: 小标题 and 正文, not "Heading 2" / "Paragraph".
    page.click(".prose-menubar__selected")
    options = page.locator(".prose-menubar__option")
    expect(options.first).to_be_visible()
    assert [t.strip() for t in options.all_inner_texts()] == ["小标题", "次级小标题", "正文"]
    page.fill("#id_headline", HEADLINE_20)
    screenshot(page, "desk-editor-zh")
    page.keyboard.press("Escape")

    # No missing-glyph boxes: the icons come from the shipped icon font, and the block menu's arrow is
    # drawn by CSS instead of the ⏷ character CJK font sets lack.
    assert page.evaluate("document.fonts.check('24px \"Material Icons\"')")
    arrow = page.eval_on_selector(".prose-menubar__selected", "e => getComputedStyle(e, '::after').content")
    assert arrow in ('""', "none", ""), arrow
    toolbar_text = page.eval_on_selector(
        ".prose-menubar",
        "e => [...e.querySelectorAll('button:not(.material-icons)')].map(b => b.innerText).join('')",
    )
    assert "⏷" not in toolbar_text

    # A dialog of the editor (insert an image by address) speaks Chinese too (gettext).
    page.locator(".prose-editor .ProseMirror[contenteditable=true]").click()
    page.click(".prose-menubar button[data-name=figure]")
    dialog = page.locator(".prose-editor-dialog")
    expect(dialog).to_contain_text("图片网址")
    expect(dialog).to_contain_text("取消")
    page.keyboard.press("Escape")

    # Headline inputs hold a 20-character headline at 1280 px without scrolling it.
    for field in ("#id_kicker", "#id_headline", "#id_subheadline"):
        page.fill(field, HEADLINE_20)
        fits = page.eval_on_selector(
            field,
            """input => {
                const style = getComputedStyle(input);
                const ctx = document.createElement('canvas').getContext('2d');
                ctx.font = style.font;
                const text = ctx.measureText(input.value).width;
                const inner = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
                return {text, inner, scroll: input.scrollWidth, client: input.clientWidth};
            }""",
        )
        assert fits["text"] <= fits["inner"] and fits["scroll"] <= fits["client"], (field, fits)


def test_article_log_headline_column_is_readable(browser_page, people):
    reporter, editor = people
    for n in range(3):
        story = ArticleFactory(created_by=reporter, headline=f"{HEADLINE_20}{n}")
        workflow.article_submit(article=story, user=reporter)
        workflow.article_return(article=story, user=editor, note=NOTE * 2)
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    admin_login(page, "editor1")
    page.goto(page.base + "/admin/articles/articleevent/")
    link = page.locator("#result_list td.field-article_link a").first
    expect(link).to_have_text(f"{HEADLINE_20}2")
    box = link.bounding_box()
    line = page.eval_on_selector(
        "#result_list td.field-article_link a", "a => parseFloat(getComputedStyle(a).lineHeight) || 16"
    )
    # Readable: at least ten characters a line, so a 21-character headline takes at most three lines.
    assert box["height"] <= 3.2 * line, (box, line)
    expect(page.locator("#result_list td.field-actor_display").first).to_have_text("陈秋萍")
