"""A reader in headless Chromium: screenshots at 375 px and 1280 px, and a walk through the paper."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from articles.models import Byline
from tests.browser.conftest import screenshot
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ColumnFactory,
    EditionFactory,
    PageFactory,
    PersonFactory,
    PlacementFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

BODY = (
    "<p>昨日，冷空气如约而至，晋江一下从暖意融融的好天气切换成“大风+降温”模式。晋江市气象台昨日9时28分"
    "发布了大风黄色预警信号。据监测，晋江沿海风力达7~8级，午后最高气温也降至17℃上下。</p>"
    "<p>记者从晋江市气象局获悉，预计未来几天，晋江以多云天气为主，阳光再次回归，沿海风力逐渐减弱，"
    "气温也将有所回升，后天，晋江白天的最高气温将重返22℃。</p>"
    "<h2>注意添衣保暖</h2><p>不过，近期夜晨气温依旧较低，大家要注意添衣保暖。</p>"
)


def _paper():
    """A released edition of four pages; the front-page lead continues on page 3."""
    # Transactional tests flush the database; taggit must not use content type ids cached before.
    ContentType.objects.clear_cache()
    sections = [
        SectionFactory(name=name, slug=slug, position=i)
        for i, (name, slug) in enumerate(
            [("要闻", "yaowen"), ("综合", "zonghe"), ("社会", "shehui"), ("文体", "wenti")]
        )
    ]
    column = ColumnFactory(name="晋江经验", slug="jinjiang-jingyan")
    reporter = PersonFactory(name="张茂霖", bio="本报记者，长期关注城市建设与民生。")
    correspondent = PersonFactory(name="林伊婷")
    edition = EditionFactory(released=True, date=timezone.localdate() - timedelta(days=1), number=5321)
    pages = [
        PageFactory(edition=edition, number=n, name=name)
        for n, name in ((1, "要闻"), (2, "综合"), (3, "社会"), (4, "文体"))
    ]
    lead = ArticleFactory(
        published=True,
        kicker="冷空气如约而至",
        headline="晋江迎来大风降温天气 沿海风力达7至8级",
        subheadline="气象台发布大风黄色预警信号，市民出行注意安全",
        summary="昨日，冷空气如约而至，晋江一下从暖意融融的好天气切换成“大风+降温”模式。",
        body=BODY,
        section=sections[0],
        column=column,
    )
    lead.tags.add("天气", "晋江")
    BylineFactory(article=lead, person=reporter, role=Byline.Role.REPORTER, order=1)
    BylineFactory(article=lead, person=correspondent, role=Byline.Role.CORRESPONDENT, order=2)
    PlacementFactory(page=pages[0], article=lead, position=1, is_lead=True, continues_on=pages[2])
    headlines = [
        "安海实验幼儿园举行145周年办学成果展示交流活动",
        "晋江市交通运输局本周轮值接听市长专线",
        "草庵摩尼光佛造像吸引海内外游客",
        "集成电路产业链项目集中签约",
        "社区志愿者走访慰问困难群众",
        "全民健身运动会开幕",
        "中小学生篮球联赛落幕",
    ]
    for i, headline in enumerate(headlines):
        article = ArticleFactory(
            published=True,
            headline=headline,
            summary="据了解，活动吸引了众多市民参与。",
            body="<p>据了解，安海镇各界人士踊跃参与，活动现场气氛热烈。</p>",
            section=sections[(i + 1) % 4],
            published_at=timezone.now() - timedelta(hours=i + 2),
        )
        BylineFactory(article=article, person=reporter if i % 2 else correspondent, order=1)
        page = pages[i % 4]
        PlacementFactory(page=page, article=article, position=10 + i, is_lead=page.number != 1 and i < 4)
    return {"lead": lead, "pages": pages, "reporter": reporter}


@pytest.mark.parametrize("width", [375, 1280])
def test_screenshots_of_home_epaper_page_and_article(browser_page, width):
    paper = _paper()
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    for name, path in [
        ("home", "/"),
        ("epaper-page", paper["pages"][0].get_absolute_url()),
        ("article", paper["lead"].get_absolute_url()),
    ]:
        page.goto(page.base + path)
        assert page.locator("html").get_attribute("lang") == "zh-Hans"
        # Nothing is wider than the screen: the layout works at this width.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (name, width, overflow)
        screenshot(page, f"reader-{name}-{width}")


def test_reader_walks_from_home_through_the_paper_to_a_reporter_and_a_search(browser_page):
    paper = _paper()
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(page.base + "/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="数字报").click()
    page.wait_for_url("**" + paper["pages"][0].get_absolute_url())
    assert page.locator("h1").inner_text() == "第1版 · 要闻"
    page.locator(".page-stories li.lead a.headline").click()
    page.wait_for_url("**" + paper["lead"].get_absolute_url())
    assert "晋江迎来大风降温天气" in page.locator("h1").inner_text()
    page.get_by_role("link", name="下转3版").click()
    page.wait_for_url("**" + paper["pages"][2].get_absolute_url())
    assert page.get_by_role("link", name="（上接1版）").is_visible()
    page.locator(".page-stories li.continued a.headline").click()
    page.wait_for_url("**" + paper["lead"].get_absolute_url())
    page.locator(".byline").get_by_role("link", name="张茂霖").click()
    page.wait_for_url("**" + paper["reporter"].get_absolute_url())
    assert page.locator("h1").inner_text() == "张茂霖"
    assert page.get_by_role("link", name="晋江迎来大风降温天气 沿海风力达7至8级").is_visible()
    page.fill("#site-q", "摩尼")
    page.press("#site-q", "Enter")
    page.wait_for_url("**/search/?q=*")
    results = page.locator(".search-results .article-item")
    assert results.count() == 1
    assert results.locator("mark").first.inner_text() == "摩尼"
    screenshot(page, "reader-search-1280")
