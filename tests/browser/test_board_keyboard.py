"""In headless Chromium at tablet width (1024 px): the same 4-page edition planned with the keyboard only.

Nothing is clicked or dragged: focus moves with Tab / Shift+Tab, selects change with the arrow keys,
buttons and menus open with Enter or Space, as a keyboard user works the board. The chief editor then
releases it the same way.
"""

import pytest

from articles.models import Article
from editions.models import Edition, Page, Placement
from tests.browser.board_helpers import make_edition, open_board, story_order
from tests.browser.conftest import admin_login

pytestmark = pytest.mark.django_db(transaction=True)

IS_FOCUSED = "(css) => !!document.activeElement && document.activeElement.matches(css)"
TARGET_BEFORE = """(css) => {
  const target = document.querySelector(css), active = document.activeElement;
  if (!target || !active || active === document.body) return false;
  return !!(target.compareDocumentPosition(active) & Node.DOCUMENT_POSITION_FOLLOWING);
}"""


class Keyboard:
    """Moves focus by Tab / Shift+Tab only, counting the key presses."""

    def __init__(self, page):
        self.page = page
        self.presses = 0

    def tab_to(self, css, limit=250):
        for _ in range(limit):
            if self.page.evaluate(IS_FOCUSED, css):
                return
            backwards = self.page.evaluate(TARGET_BEFORE, css)
            self.press("Shift+Tab" if backwards else "Tab")
        raise AssertionError(f"{css} cannot be reached with Tab")

    def press(self, key, times=1):
        for _ in range(times):
            self.page.keyboard.press(key)
            self.presses += 1

    def act(self, key="Enter"):
        """Press ``key`` on the focused control and wait until the board has saved and drawn again."""
        with self.page.expect_response(lambda r: "/board/action/" in r.url):
            self.press(key)
        self.page.wait_for_selector(".board:not([data-busy])", state="attached")


def test_plan_sign_off_and_release_with_the_keyboard_only_at_tablet_width(new_browser_page, editor, chief):
    edition, pages, pool = make_edition(pages=4, pool=12)
    ed = new_browser_page()
    admin_login(ed, "editor1")
    open_board(ed, edition, width=1024)
    keys = Keyboard(ed)

    # Place every pool story: its page chosen in its select with ↓, then 放入 with Enter. The board
    # puts the focus on the story just placed.
    for index, article in enumerate(pool):
        number = index // 3 + 1
        item = f"#pool-list .pool-item[data-article='{article.pk}']"
        keys.tab_to(f"{item} select")
        keys.press("ArrowDown", number - 1)
        assert ed.eval_on_selector(f"{item} select", "s => s.selectedOptions[0].textContent").startswith(
            f"第{number}版"
        )
        keys.tab_to(f"{item} button[data-act=place]")
        keys.act()
        assert ed.evaluate(IS_FOCUSED, f".story[data-article='{article.pk}']")
    for number, page in enumerate(pages, start=1):
        assert story_order(page) == [a.headline for a in pool[3 * (number - 1) : 3 * number]]

    # Reorder: page 2's last story up twice with its ↑ button (the focus stays on the button).
    last = Placement.objects.get(article=pool[5])
    keys.tab_to(f".story[data-placement='{last.pk}'] button[data-act=up]")
    keys.act()
    keys.act()
    assert story_order(pages[1])[0] == pool[5].headline

    # The lead of each page: its first story's 设为头条.
    for page in pages:
        first = Placement.objects.filter(page=page).order_by("position").first()
        keys.tab_to(f".story[data-placement='{first.pk}'] button[data-act=lead]")
        keys.act()
        assert Placement.objects.get(pk=first.pk).is_lead

    # A jump through the 更多 menu: page 1's second story continues on page 3.
    second = Placement.objects.filter(page=pages[0]).order_by("position")[1]
    card = f".story[data-placement='{second.pk}']"
    keys.tab_to(f"{card} summary")
    keys.press("Enter")
    keys.tab_to(f"{card} select[data-role=jump-target]")
    keys.press("ArrowDown", 2)
    assert ed.eval_on_selector(f"{card} select[data-role=jump-target]", "s => s.value") == str(pages[2].pk)
    keys.tab_to(f"{card} button[data-act=jump]")
    keys.act()
    assert Placement.objects.get(pk=second.pk).continues_on == pages[2]
    assert "上接1版" in ed.inner_text(f".board-page[data-page='{pages[2].pk}'] .continued-here")

    # And one story moved to another page through the same menu: page 4's last to page 3.
    mover = Placement.objects.filter(page=pages[3]).order_by("position").last()
    card = f".story[data-placement='{mover.pk}']"
    keys.tab_to(f"{card} summary")
    keys.press("Enter")
    keys.tab_to(f"{card} select[data-role=move-target]")
    keys.press("ArrowDown", 2)  # pages 1, 2, 3 are offered: the third
    keys.tab_to(f"{card} button[data-act=move]")
    keys.act()
    assert Placement.objects.get(pk=mover.pk).page == pages[2]

    # Sign off every page: 校对完成, then the focus is on 签发本版.
    for page in pages:
        keys.tab_to(f".board-page[data-page='{page.pk}'] button[data-act=proofread]")
        keys.act()
        assert ed.evaluate(IS_FOCUSED, f".board-page[data-page='{page.pk}'] button[data-act=sign-off]")
        keys.act()
    assert set(Page.objects.filter(edition=edition).values_list("state", flat=True)) == {
        Page.State.SIGNED_OFF
    }

    # The chief editor releases it now, with the keyboard.
    boss = new_browser_page()
    admin_login(boss, "chief1")
    open_board(boss, edition, width=1024)
    chief_keys = Keyboard(boss)
    # Only the chosen radio of a group is in the tab order; 立即出版 comes first in it.
    chief_keys.tab_to("input[name=mode]:checked")
    if not boss.is_checked("input[name=mode][value=now]"):
        chief_keys.press("ArrowUp")
    assert boss.is_checked("input[name=mode][value=now]")
    chief_keys.tab_to("#release-edition")
    chief_keys.act()
    boss.wait_for_selector("#release-state .released")
    edition.refresh_from_db()
    assert edition.status == Edition.Status.PUBLISHED
    assert not Article.objects.filter(placements__edition=edition).exclude(status="published").exists()
    print(f"keyboard: {keys.presses} key presses for the editor, {chief_keys.presses} for the chief")
