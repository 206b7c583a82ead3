"""In headless Chromium: an editor plans a 4-page edition from a pool of 12 on the board by drag and drop
(placing, between stories, reordering, page to page, lead, a jump), signs off every page; the 值班主任
releases it from the board. Screenshots of the board at 1280 and 1024 px."""

import pytest

from articles.models import Article
from editions.models import Edition, Page, Placement
from tests.browser.board_helpers import column, drag, make_edition, open_board, saved, story_order
from tests.browser.conftest import admin_login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def pool_item(page, article):
    return page.locator(f"#pool-list .pool-item[data-article='{article.pk}']")


def story(page, article):
    return page.locator(f".board-page .story[data-article='{article.pk}']")


def test_plan_a_four_page_edition_by_drag_and_drop_sign_off_and_release(new_browser_page, editor, chief):
    edition, pages, pool = make_edition(pages=4, pool=12)
    ed = new_browser_page()
    errors = []
    ed.on("pageerror", lambda e: errors.append(str(e)))
    # A CSP refusal (an inline script or style the policy blocks) is reported on the console.
    ed.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    admin_login(ed, "editor1")
    open_board(ed, edition)
    assert ed.locator("#pool-list .pool-item").count() == 12
    assert "共4版，已签发 0/4" in ed.inner_text("#board-summary")

    # Three stories per page from the pool: the first into the empty page, the next onto the page's
    # list below it (the end), the third dropped onto the second story (between the two).
    for index, target in enumerate(pages):
        a, b, c = pool[3 * index : 3 * index + 3]
        with saved(ed):
            drag(ed, pool_item(ed, a), column(ed, target.number).locator(".page-stories"))
        story(ed, a).wait_for()
        with saved(ed):
            drag(ed, pool_item(ed, b), column(ed, target.number).locator(".page-stories"), where="bottom")
        story(ed, b).wait_for()
        with saved(ed):
            drag(ed, pool_item(ed, c), story(ed, b), where="top")
        story(ed, c).wait_for()
        assert story_order(target) == [a.headline, c.headline, b.headline]
    assert ed.locator("#pool-list .pool-item").count() == 0
    assert "没有待排的稿件" in ed.inner_text("#pool-count")

    # Reorder on page 2: its last story dragged onto its first.
    p2 = [Placement.objects.get(article=x).article for x in pool[3:6]]
    last = Article.objects.get(headline=story_order(pages[1])[-1])
    first = Article.objects.get(headline=story_order(pages[1])[0])
    with saved(ed):
        drag(ed, story(ed, last), story(ed, first), where="top")
    assert story_order(pages[1])[0] == last.headline
    assert sorted(story_order(pages[1])) == sorted(x.headline for x in p2)

    # Page to page: page 3's last story dragged onto page 4's list.
    moved = Article.objects.get(headline=story_order(pages[2])[-1])
    with saved(ed):
        drag(ed, story(ed, moved), column(ed, 4).locator(".page-stories"), where="bottom")
    assert story_order(pages[3])[-1] == moved.headline and len(story_order(pages[2])) == 2

    # The lead of each page: its first story, by its button.
    for target in pages:
        lead = Article.objects.get(headline=story_order(target)[0])
        with saved(ed):
            story(ed, lead).get_by_role("button", name=f"设为头条 《{lead.headline}》").click()
        story(ed, lead).locator(".lead-mark").wait_for()
        assert Placement.objects.get(article=lead).is_lead

    # A jump: page 1's second story dropped on page 3's 下转 zone continues on page 3 (上接1版 there).
    jumper = Article.objects.get(headline=story_order(pages[0])[1])
    with saved(ed):
        drag(ed, story(ed, jumper), column(ed, 3).locator(".jump-zone"))
    assert Placement.objects.get(article=jumper).continues_on == pages[2]
    assert Placement.objects.get(article=jumper).page == pages[0]
    assert "下转3版" in story(ed, jumper).inner_text()
    assert f"上接1版 《{jumper.headline}》" in column(ed, 3).locator(".continued-here").inner_text()

    ed.mouse.move(0, 0)
    screenshot(ed, "board-4pages-1280")
    ed.set_viewport_size({"width": 1024, "height": 768})
    ed.wait_for_timeout(200)
    screenshot(ed, "board-4pages-1024")
    ed.set_viewport_size({"width": 1280, "height": 900})

    # Sign off every page on the board; a signed page is visibly locked.
    for target in pages:
        col = column(ed, target.number)
        with saved(ed):
            col.get_by_role("button", name=f"第{target.number}版校对完成").click()
        with saved(ed):
            column(ed, target.number).get_by_role("button", name=f"签发第{target.number}版").click()
        locked = column(ed, target.number)
        locked.locator(".page-lock").wait_for()
        assert "locked" in locked.get_attribute("class")
        assert locked.locator(".story-tools").count() == 0
    assert set(Page.objects.filter(edition=edition).values_list("state", flat=True)) == {
        Page.State.SIGNED_OFF
    }
    # The editor is no 值班主任: the board says so instead of offering the release.
    assert ed.locator("#release-not-allowed").is_visible() and not ed.locator("#release-form").is_visible()

    # The 值班主任 opens the same board: nothing blocks the release, and releases it now.
    boss = new_browser_page()
    admin_login(boss, "chief1")
    open_board(boss, edition)
    assert "所有版面均已签发" in boss.inner_text("#release-state")
    boss.check("input[name=mode][value=now]")
    assert boss.locator("#release-edition").is_enabled()
    with saved(boss):
        boss.click("#release-edition")
    boss.wait_for_selector("#release-state .released")
    edition.refresh_from_db()
    assert edition.status == Edition.Status.PUBLISHED
    assert set(Article.objects.filter(placements__edition=edition).values_list("status", flat=True)) == {
        Article.Status.PUBLISHED
    }
    assert not errors


def test_the_release_button_shows_what_blocks_it(browser_page, chief):
    edition, pages, _pool = make_edition(pages=2, pool=1)
    admin_login(browser_page, "chief1")
    open_board(browser_page, edition)
    button = browser_page.locator("#release-edition")
    assert not button.is_enabled()
    assert "尚有" in button.inner_text()
    problems = browser_page.inner_text("#release-problems")
    assert "第1版（编排中）" in problems and "第2版（编排中）" in problems
