"""What the board's browser tests share: a 4-page edition with a pool, dragging, waiting for a save."""

from contextlib import contextmanager

from editions.models import Placement
from tests.factories import ArticleFactory, BylineFactory, EditionFactory, PageFactory, PersonFactory

PAGE_NAMES = ("要闻", "综合", "社会", "文体", "经济", "城建", "教育", "副刊")


def make_edition(pages=4, pool=12, headline="待排稿件{:02d}号晋江新闻"):
    """An edition in planning with ``pages`` empty pages and ``pool`` stories in review, each with a byline."""
    edition = EditionFactory()
    made = [PageFactory(edition=edition, number=n, name=PAGE_NAMES[n - 1]) for n in range(1, pages + 1)]
    stories = []
    for i in range(pool):
        article = ArticleFactory(
            review=True, headline=headline.format(i + 1), body="<p>" + "晋江" * (50 + i) + "</p>"
        )
        BylineFactory(article=article, person=PersonFactory(name=f"记者{i + 1:02d}"))
        stories.append(article)
    return edition, made, stories


def open_board(page, edition, width=1280):
    """Open the board at ``width`` px and wait until its pages and pool are drawn."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page.base + f"/admin/editions/edition/{edition.pk}/board/")
    page.wait_for_selector(".board.board-ready.pool-ready")


def column(page, number):
    """The column of page ``number``."""
    return page.locator(".board-page", has=page.locator(".page-number", has_text=f"第{number}版"))


@contextmanager
def saved(page):
    """Wait for the action the block triggers to be answered and the board drawn again."""
    with page.expect_response(lambda r: "/board/action/" in r.url and r.request.method == "POST"):
        yield
    page.wait_for_selector(".board:not([data-busy])", state="attached")


def drag(page, source, target, *, where="center"):
    """Drag ``source`` onto ``target`` with the mouse (SortableJS's pointer fallback), in small steps.

    ``where`` is the spot on the target: ``top`` (its upper edge: before it), ``center`` or ``bottom``.
    """
    source.scroll_into_view_if_needed()
    box = source.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + min(12, box["height"] / 2)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 8, y + 8, steps=4)
    target.scroll_into_view_if_needed()
    goal = target.bounding_box()
    tx = goal["x"] + goal["width"] / 2
    ty = {
        "top": goal["y"] + 4,
        "center": goal["y"] + goal["height"] / 2,
        "bottom": goal["y"] + goal["height"] - 4,
    }[where]
    page.mouse.move(tx, ty, steps=12)
    # SortableJS's pointer fallback looks where the pointer is every 50 ms: let it see the spot.
    page.wait_for_timeout(120)
    page.mouse.move(tx, ty + 1)
    page.wait_for_timeout(120)
    page.mouse.up()


def story_order(page_obj):
    """The headlines on a page, in order, from the database."""
    return list(
        Placement.objects.filter(page=page_obj)
        .order_by("position")
        .values_list("article__headline", flat=True)
    )
