"""Two editors on one board: each sees the other's changes within seconds, and an action on a page the
other just changed is refused, said, and offered again rather than lost."""

import pytest

from editions.models import Placement
from newsroom import roles
from tests.browser.board_helpers import column, make_edition, open_board, saved
from tests.browser.conftest import admin_login
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def place_with_buttons(page, article, number):
    item = page.locator(f"#pool-list .pool-item[data-article='{article.pk}']")
    item.locator("select").select_option(
        label=next(
            o for o in item.locator("select option").all_inner_texts() if o.startswith(f"第{number}版")
        )
    )
    item.get_by_role("button", name="放入").click()


def test_two_editors_see_each_other_and_a_conflict_is_said_and_can_be_redone(new_browser_page, editor):
    second = UserFactory(username="editor2", group=roles.EDITOR)
    PersonFactory(name="王编辑", user=second)
    edition, pages, pool = make_edition(pages=2, pool=4)
    x, y, z = pool[:3]

    a = new_browser_page()
    admin_login(a, "editor1")
    open_board(a, edition)
    b = new_browser_page()
    admin_login(b, "editor2")
    b.clock.install()
    open_board(b, edition)
    b.clock.pause_at(b.evaluate("Date.now()") + 1000)  # B's poll is held: its board goes stale

    with saved(a):
        place_with_buttons(a, x, 1)
    assert b.locator(f".story[data-article='{x.pk}']").count() == 0

    # B, unaware, puts Y on page 1: refused, told who changed what, its column reloaded, Y offered again.
    with saved(b):
        place_with_buttons(b, y, 1)
    alert = b.locator("#board-alert")
    alert.wait_for()
    text = alert.inner_text()
    assert "第1版已被" in text and f"新增《{x.headline}》" in text
    assert f"您的操作“把《{y.headline}》放到第1版”未执行" in text
    assert column(b, 1).locator(f".story[data-article='{x.pk}']").count() == 1
    assert "conflicted" in column(b, 1).get_attribute("class")
    assert not Placement.objects.filter(article=y).exists()
    with saved(b):
        b.click("#board-retry")
    assert list(
        Placement.objects.filter(page=pages[0]).order_by("position").values_list("article", flat=True)
    ) == [
        x.pk,
        y.pk,
    ]
    assert b.locator("#board-alert").is_hidden()

    # A's board shows B's story by itself (polling), and B's shows A's next change once its clock runs.
    a.locator(f".board-page .story[data-article='{y.pk}']").wait_for(timeout=10_000)
    with saved(a):
        place_with_buttons(a, z, 2)
    b.clock.resume()
    b.locator(f".board-page .story[data-article='{z.pk}']").wait_for(timeout=10_000)
    assert "第2版已由他人更新" in b.inner_text("#board-status")
    assert b.locator(f"#pool-list .pool-item[data-article='{z.pk}']").count() == 0
