"""A small printed world for the public-site tests: a released edition with a jump, people, tags."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Byline
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


@dataclass
class World:
    edition: object
    pages: list
    lead: object
    second: object
    third: object
    reporter: object
    correspondent: object
    section: object
    column: object


@pytest.fixture
def world(db):
    """A released edition: page 1 (lead jumps to page 3), page 2, page 3; bylines, a column, tags."""
    section = SectionFactory(name="要闻", slug="yaowen")
    column = ColumnFactory(name="晋江经验", slug="jinjiang-jingyan")
    reporter = PersonFactory(name="张茂霖")
    correspondent = PersonFactory(name="林伊婷")
    edition = EditionFactory(released=True, date=timezone.localdate() - timedelta(days=1), number=5001)
    pages = [
        PageFactory(edition=edition, number=n, name=name)
        for n, name in ((1, "要闻"), (2, "综合"), (3, "社会"))
    ]
    lead = ArticleFactory(
        published=True,
        kicker="冷空气如约而至",
        headline="晋江迎来大风降温天气",
        subheadline="沿海风力达7至8级",
        summary="昨日，冷空气如约而至。",
        body="<p>昨日，冷空气如约而至，晋江一下从暖意融融的好天气切换成大风降温模式。</p>",
        section=section,
        column=column,
    )
    lead.tags.add("天气", "晋江")
    BylineFactory(article=lead, person=reporter, role=Byline.Role.REPORTER, order=1)
    BylineFactory(article=lead, person=correspondent, role=Byline.Role.CORRESPONDENT, order=2)
    second = ArticleFactory(published=True, headline="安海实验幼儿园举行办学成果展示", section=section)
    BylineFactory(article=second, person=reporter, order=1)
    third = ArticleFactory(published=True, headline="社会新闻一则", section=section)
    PlacementFactory(page=pages[0], article=lead, position=1, is_lead=True, continues_on=pages[2])
    PlacementFactory(page=pages[0], article=second, position=2)
    PlacementFactory(page=pages[2], article=third, position=1, is_lead=True)
    return World(edition, pages, lead, second, third, reporter, correspondent, section, column)
