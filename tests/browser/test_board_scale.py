"""In headless Chromium: an 8-page, 40-story edition planned on the board in at most 60 user actions
(each drag and each click counted), against about 190 with the page forms. The board is then
photographed at 1280 and 1024 px (artifacts/board-1280.png, artifacts/board-1024.png)."""

from datetime import timedelta

import pytest

from editions.models import Page, Placement
from tests.browser.board_helpers import column, drag, open_board, saved
from tests.browser.conftest import admin_login, screenshot
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    EditionFactory,
    PageFactory,
    PersonFactory,
    PlacementFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = ("要闻", "综合", "经济", "社会", "城建", "教育", "文体", "副刊")
SUBJECTS = ("晋江", "陈埭镇", "安海镇", "磁灶镇", "池店镇", "英林镇", "金井镇", "深沪镇")
EVENTS = (
    "召开经济工作会议部署明年任务",
    "新建社区公园今日开放",
    "中学运动会开幕",
    "鞋服企业拓展海外市场",
    "老旧小区改造提速",
    "举办非遗文化展演",
    "志愿者走进养老院",
    "创建文明城市再出发",
    "春季招聘会提供岗位三千个",
    "夜市经济激活消费",
)


class Actions:
    """Counts what the editor does: every drag and every click is one user action."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def drag(self, source, target, **kwargs):
        self.count += 1
        with saved(self.page):
            drag(self.page, source, target, **kwargs)

    def click(self, locator):
        self.count += 1
        with saved(self.page):
            locator.click()


def test_an_eight_page_forty_story_edition_in_at_most_sixty_actions(browser_page, editor):
    sections = [SectionFactory(name=n, slug=f"s{i}") for i, n in enumerate(("要闻", "经济", "社会", "文体"))]
    edition = EditionFactory()
    pages = [
        PageFactory(edition=edition, number=n, name=name, editor=editor) for n, name in enumerate(PAGES, 1)
    ]
    pool = []
    for i in range(45):
        headline = f"{SUBJECTS[i % 8]}{EVENTS[i % 10]}"
        article = ArticleFactory(
            review=i % 3 != 0,
            published=i % 3 == 0,
            headline=headline if i < 10 else f"{headline}（{i}）",
            section=sections[i % 4],
            body="<p>" + "晋江新闻正文。" * (60 + 7 * i) + "</p>",
        )
        BylineFactory(
            article=article, person=PersonFactory(name=f"{'林陈王李张'[i % 5]}{'文武明华强'[i // 9]}")
        )
        pool.append(article)
    yesterday = PageFactory(edition=EditionFactory(date=edition.date - timedelta(days=1)), number=3)
    for position, article in enumerate(
        pool[40:42], 1
    ):  # two leftovers were printed yesterday: the pool says so
        PlacementFactory(page=yesterday, article=article, position=position)

    admin_login(browser_page, "editor1")
    open_board(browser_page, edition)
    act = Actions(browser_page)
    page = browser_page
    # Five stories per page from the pool, each one drag onto the end of its page.
    for index, article in enumerate(pool[:40]):
        number = index // 5 + 1
        act.drag(
            page.locator(f"#pool-list .pool-item[data-article='{article.pk}']"),
            column(page, number).locator(".page-stories"),
            where="bottom",
        )
    # A lead on every page: its third story (the button also puts it first).
    for number in range(1, 9):
        third = column(page, number).locator(".story").nth(2)
        act.click(third.get_by_role("button", name="设为头条", exact=False))
    # Two jumps: page 1's second story continues on page 2, page 3's second on page 8.
    for source, target in ((1, 2), (3, 8)):
        act.drag(column(page, source).locator(".story").nth(1), column(page, target).locator(".jump-zone"))

    assert act.count <= 60, act.count
    for number, page_obj in enumerate(pages, 1):
        placed = list(Placement.objects.filter(page=page_obj).order_by("position"))
        assert {p.article_id for p in placed} == {a.pk for a in pool[5 * (number - 1) : 5 * number]}
        assert len(placed) == 5 and placed[0].is_lead and placed[0].article == pool[5 * (number - 1) + 2]
    jumps = dict(
        Placement.objects.filter(continues_on__isnull=False).values_list(
            "page__number", "continues_on__number"
        )
    )
    assert jumps == {1: 2, 3: 8}
    assert set(Page.objects.filter(edition=edition).values_list("state", flat=True)) == {Page.State.PLANNING}
    print(f"8 pages, 40 stories, 8 leads, 2 jumps: {act.count} user actions")

    # The board as an editor sees it mid-evening: the photographs for the issue.
    page.mouse.move(0, 0)
    page.evaluate("window.scrollTo(0, 0)")
    assert "已见报" in page.inner_text("#pool-list")
    screenshot(page, "board-1280")
    page.set_viewport_size({"width": 1024, "height": 768})
    page.wait_for_timeout(300)
    screenshot(page, "board-1024")
