"""Assembling pages: placing stories, order, lead, jumps, and the refusals of bad input."""

from datetime import timedelta

import pytest
from django.utils import timezone

from editions import services
from editions.models import Edition, EditionEvent, Page, Placement
from tests.factories import ArticleFactory, EditionFactory, PageFactory, PlacementFactory

pytestmark = pytest.mark.django_db


def positions(page):
    return list(
        Placement.objects.filter(page=page).order_by("position").values_list("article__headline", "position")
    )


@pytest.fixture
def page(db):
    edition = EditionFactory()
    return PageFactory(edition=edition, number=1, name="要闻")


def test_propose_next_edition_follows_latest():
    EditionFactory(date=timezone.localdate() + timedelta(days=3), number=41)
    EditionFactory(date=timezone.localdate() - timedelta(days=3), number=37)
    date, number = services.propose_next_edition()
    assert date == timezone.localdate() + timedelta(days=4)
    assert number == 42


def test_propose_first_edition_is_tomorrow_number_one():
    assert services.propose_next_edition() == (timezone.localdate() + timedelta(days=1), 1)


def test_create_edition_audited_and_proposes_number(editor):
    EditionFactory(number=7)
    edition = services.edition_create(user=editor, date=timezone.localdate() + timedelta(days=5))
    assert edition.number == 8
    assert edition.events.get().action == EditionEvent.Action.CREATE


def test_two_editions_on_one_date_refused_in_chinese(editor):
    existing = EditionFactory(number=5)
    with pytest.raises(services.EditionError) as err:
        services.edition_create(user=editor, date=existing.date, number=6)
    assert "已有一期报纸" in err.value.message and "请改选日期" in err.value.message
    assert Edition.objects.count() == 1


def test_edition_number_used_twice_refused(editor):
    EditionFactory(number=5)
    with pytest.raises(services.EditionError) as err:
        services.edition_create(user=editor, date=timezone.localdate() + timedelta(days=9), number=5)
    assert "第5期已被" in err.value.message
    assert Edition.objects.count() == 1


def test_reporter_cannot_create_edition(reporter):
    with pytest.raises(services.EditionForbidden):
        services.edition_create(user=reporter, date=timezone.localdate(), number=1)
    assert not Edition.objects.exists()


def test_a_missing_right_is_a_permission_denied_not_a_refusal_to_show(reporter):
    """EditionForbidden is answered 403 by the admin; only EditionErrors become messages."""
    from django.core.exceptions import PermissionDenied

    assert issubclass(services.EditionForbidden, PermissionDenied)
    assert not issubclass(services.EditionForbidden, services.EditionError)
    with pytest.raises(PermissionDenied) as refused:
        services.edition_create(user=reporter, date=timezone.localdate(), number=1)
    assert refused.value.message == "您没有权限执行此操作。"


def test_the_system_creates_an_edition_without_a_right_the_same_way(reporter):
    """check_permission=False (the importer acting for the newsroom): next number, audited with its note."""
    EditionFactory(date=timezone.localdate(), number=41)
    edition = services.edition_create(
        user=None, date=timezone.localdate() + timedelta(days=1), note="导入时创建", check_permission=False
    )
    assert edition.number == 42
    assert list(edition.events.values_list("action", "actor", "note")) == [
        (EditionEvent.Action.CREATE, None, "导入时创建")
    ]
    with pytest.raises(services.EditionError, match="已有一期报纸"):
        services.edition_create(user=None, date=edition.date, check_permission=False)


def test_copy_page_plan_of_previous_edition(editor):
    old = EditionFactory(date=timezone.localdate(), number=1)
    for number, name in [(1, "要闻"), (2, "综合"), (3, "社会")]:
        PageFactory(edition=old, number=number, name=name, editor=editor)
    new = EditionFactory(date=timezone.localdate() + timedelta(days=1), number=2)
    PageFactory(edition=new, number=2, name="专版")
    made = services.edition_copy_page_plan(edition=new, user=editor)
    assert [p.number for p in made] == [1, 3]
    assert list(new.pages.order_by("number").values_list("number", "name", "editor")) == [
        (1, "要闻", editor.pk),
        (2, "专版", None),
        (3, "社会", editor.pk),
    ]
    assert all(p.state == Page.State.PLANNING for p in new.pages.all())


def test_copy_page_plan_without_previous_edition_says_so(editor, page):
    with pytest.raises(services.EditionError, match="没有更早的一期"):
        services.edition_copy_page_plan(edition=page.edition, user=editor)


def test_page_number_used_twice_refused(editor, page):
    with pytest.raises(services.EditionError, match="第1版已存在"):
        services.page_add(edition=page.edition, user=editor, number=1, name="综合")
    assert page.edition.pages.count() == 1


def test_add_review_and_published_stories_in_order(editor, page):
    a = services.placement_add(page=page, user=editor, article=ArticleFactory(review=True, headline="甲"))
    b = services.placement_add(page=page, user=editor, article=ArticleFactory(published=True, headline="乙"))
    assert (a.position, b.position) == (1, 2)
    assert b.edition_id == page.edition_id


@pytest.mark.parametrize("state", ["draft", "withdrawn"])
def test_draft_or_withdrawn_story_cannot_be_placed(editor, page, state):
    article = ArticleFactory(**({state: True} if state != "draft" else {}), headline="草稿稿件")
    with pytest.raises(services.InvalidPlacement, match="只能编排待审或已发布的稿件"):
        services.placement_add(page=page, user=editor, article=article)
    assert not Placement.objects.exists()


def test_story_placed_twice_in_one_edition_refused(editor, page):
    other = PageFactory(edition=page.edition, number=2)
    article = ArticleFactory(review=True, headline="重复稿")
    services.placement_add(page=page, user=editor, article=article)
    with pytest.raises(services.InvalidPlacement, match="已在第1版"):
        services.placement_add(page=other, user=editor, article=article)
    with pytest.raises(services.InvalidPlacement):
        services.placement_add(page=page, user=editor, article=article)
    assert Placement.objects.count() == 1


def test_jump_to_other_edition_or_same_page_refused(editor, page):
    foreign = PageFactory(number=2)  # another edition
    placement = services.placement_add(page=page, user=editor, article=ArticleFactory(review=True))
    with pytest.raises(services.InvalidPlacement, match="不属于本期"):
        services.placement_set_jump(placement=placement, user=editor, continues_on=foreign)
    with pytest.raises(services.InvalidPlacement, match="不能“下转”本版"):
        services.placement_set_jump(placement=placement, user=editor, continues_on=page)
    placement.refresh_from_db()
    assert placement.continues_on is None


def test_jumps_both_ways(editor, page):
    second = PageFactory(edition=page.edition, number=2, name="综合")
    placement = services.placement_add(page=page, user=editor, article=ArticleFactory(published=True))
    services.placement_set_jump(placement=placement, user=editor, continues_on=second)
    placement.refresh_from_db()
    assert services.jump_to_label(placement) == "下转2版"
    came = list(services.continued_from(second))
    assert came == [placement]
    assert services.jump_from_label(came[0]) == "上接1版"
    assert list(services.continued_from(page)) == []
    assert [p.number for p in services.jump_choices(page)] == [2]


def test_move_up_and_down_renumbers(editor, page):
    a, b, c = (
        PlacementFactory(page=page, position=p, article__headline=h)
        for p, h in [(3, "甲"), (7, "乙"), (9, "丙")]
    )
    services.placement_move(placement=c, user=editor, step=-1)
    assert positions(page) == [("甲", 1), ("丙", 2), ("乙", 3)]
    services.placement_move(placement=a, user=editor, step=+5)
    assert positions(page) == [("丙", 1), ("乙", 2), ("甲", 3)]


def test_remove_closes_gap(editor, page):
    a, b, c = (
        PlacementFactory(page=page, position=p, article__headline=h)
        for p, h in [(1, "甲"), (2, "乙"), (3, "丙")]
    )
    services.placement_remove(placement=b, user=editor)
    assert positions(page) == [("甲", 1), ("丙", 2)]
    assert b.article.__class__.objects.filter(pk=b.article_id).exists()


def test_mark_lead_moves_story_first_and_keeps_one_lead(editor, page):
    a = PlacementFactory(page=page, position=1, is_lead=True, article__headline="甲")
    b = PlacementFactory(page=page, position=2, article__headline="乙")
    services.placement_mark_lead(placement=b, user=editor)
    assert positions(page) == [("乙", 1), ("甲", 2)]
    assert list(Placement.objects.filter(page=page, is_lead=True)) == [b]
    a.refresh_from_db()
    assert not a.is_lead


def test_save_placements_swaps_positions_and_lead_without_constraint_errors(editor, page):
    a = PlacementFactory(page=page, position=1, is_lead=True, article__headline="甲")
    b = PlacementFactory(page=page, position=2, article__headline="乙")
    new = ArticleFactory(review=True, headline="丙")
    rows = [
        services.Row(placement=a, article=a.article, position=2),
        services.Row(placement=b, article=b.article, position=1, is_lead=True),
        services.Row(placement=None, article=new, position=3),
    ]
    services.page_save_placements(page=page, user=editor, rows=rows)
    assert positions(page) == [("乙", 1), ("甲", 2), ("丙", 3)]
    assert Placement.objects.get(is_lead=True).article.headline == "乙"


def test_save_placements_refuses_two_leads_and_changes_nothing(editor, page):
    a = PlacementFactory(page=page, position=1, article__headline="甲")
    b = PlacementFactory(page=page, position=2, article__headline="乙")
    rows = [
        services.Row(placement=a, article=a.article, position=2, is_lead=True),
        services.Row(placement=b, article=b.article, position=1, is_lead=True),
    ]
    with pytest.raises(services.InvalidPlacement, match="只能有一篇头条"):
        services.page_save_placements(page=page, user=editor, rows=rows, removed=[])
    assert positions(page) == [("甲", 1), ("乙", 2)]


def test_reporter_cannot_assemble_and_refusal_is_recorded(reporter, page):
    with pytest.raises(services.EditionForbidden):
        services.placement_add(page=page, user=reporter, article=ArticleFactory(review=True))
    assert not Placement.objects.exists()
    assert page.edition.events.get().action == EditionEvent.Action.REFUSED
