"""The services the edition board adds: insert at a place, move between pages, clear a lead, and the
page version every board action carries (a page changed meanwhile is refused, nothing half-done)."""

import pytest

from editions import services
from editions.models import EditionEvent, Page, Placement
from tests.factories import ArticleFactory, EditionFactory, PageFactory, PlacementFactory

pytestmark = pytest.mark.django_db


def headlines(page):
    return list(
        Placement.objects.filter(page=page).order_by("position").values_list("article__headline", flat=True)
    )


def positions(page):
    return list(Placement.objects.filter(page=page).order_by("position").values_list("position", flat=True))


@pytest.fixture
def pages(db):
    edition = EditionFactory()
    one = PageFactory(edition=edition, number=1, name="要闻")
    two = PageFactory(edition=edition, number=2, name="综合")
    for position, headline in enumerate(("甲", "乙", "丙"), start=1):
        PlacementFactory(page=one, position=position, article__headline=headline)
    PlacementFactory(page=two, position=1, article__headline="丁")
    return one, two


def test_add_at_a_position_puts_the_story_between_others(editor, pages):
    one, _two = pages
    services.placement_add(
        page=one, user=editor, article=ArticleFactory(review=True, headline="新"), position=2
    )
    assert headlines(one) == ["甲", "新", "乙", "丙"]
    assert positions(one) == [1, 2, 3, 4]
    services.placement_add(
        page=one, user=editor, article=ArticleFactory(review=True, headline="末"), position=99
    )
    assert headlines(one)[-1] == "末"


def test_add_with_a_stale_version_is_refused_and_names_the_change(editor, chief, pages):
    one, _two = pages
    seen = Page.objects.get(pk=one.pk).version
    services.placement_add(page=one, user=chief, article=ArticleFactory(review=True, headline="先到"))
    with pytest.raises(services.PageConflict, match="第1版已被"):
        services.placement_add(
            page=one, user=editor, article=ArticleFactory(review=True, headline="后到"), version=seen
        )
    assert headlines(one) == ["甲", "乙", "丙", "先到"]


def test_transfer_moves_a_story_to_another_page_at_its_place_and_renumbers_both(editor, pages):
    one, two = pages
    second = Placement.objects.get(article__headline="乙")
    services.placement_transfer(placement=second, user=editor, page=two, position=1)
    assert headlines(one) == ["甲", "丙"] and positions(one) == [1, 2]
    assert headlines(two) == ["乙", "丁"] and positions(two) == [1, 2]
    moved = Placement.objects.get(pk=second.pk)
    assert moved.page == two and moved.edition_id == two.edition_id
    one.refresh_from_db(), two.refresh_from_db()
    assert (one.version, two.version) == (2, 2) and one.changed_by == editor == two.changed_by


def test_transfer_drops_the_lead_and_a_jump_to_the_page_it_lands_on(editor, pages):
    one, two = pages
    PlacementFactory(page=two, position=2, is_lead=True, article__headline="二版头条")
    first = Placement.objects.get(article__headline="甲")
    Placement.objects.filter(pk=first.pk).update(is_lead=True, continues_on=two)
    services.placement_transfer(placement=first, user=editor, page=two)
    moved = Placement.objects.get(pk=first.pk)
    assert (moved.is_lead, moved.continues_on, moved.position) == (False, None, 3)
    assert Placement.objects.get(page=two, is_lead=True).article.headline == "二版头条"


def test_transfer_onto_its_own_page_reorders(editor, pages):
    one, _two = pages
    third = Placement.objects.get(article__headline="丙")
    services.placement_transfer(placement=third, user=editor, page=one, position=1)
    assert headlines(one) == ["丙", "甲", "乙"]


def test_transfer_refuses_a_signed_off_target_or_a_stale_version_and_changes_nothing(editor, pages):
    one, two = pages
    first = Placement.objects.get(article__headline="甲")
    services.page_proofread(page=two, user=editor)
    services.page_sign_off(page=two, user=editor)
    with pytest.raises(services.PageLocked, match="第2版已签发"):
        services.placement_transfer(placement=first, user=editor, page=two)
    services.page_reopen(page=two, user=editor)
    two.refresh_from_db()
    with pytest.raises(services.PageConflict, match="第2版已被"):
        services.placement_transfer(
            placement=first, user=editor, page=two, version=1, target_version=two.version - 1
        )
    assert headlines(one) == ["甲", "乙", "丙"] and headlines(two) == ["丁"]


def test_transfer_to_another_edition_is_refused(editor, pages):
    one, _two = pages
    foreign = PageFactory(number=1)
    with pytest.raises(services.InvalidPlacement, match="只能移到本期"):
        services.placement_transfer(placement=one.placements.first(), user=editor, page=foreign)
    assert headlines(one) == ["甲", "乙", "丙"]


def test_transfer_of_a_proofread_page_story_sends_both_pages_back_to_planning(editor, pages):
    one, two = pages
    for page in (one, two):
        services.page_proofread(page=page, user=editor)
    services.placement_transfer(placement=one.placements.first(), user=editor, page=two)
    assert set(Page.objects.values_list("state", flat=True)) == {Page.State.PLANNING}
    assert one.edition.events.filter(action=EditionEvent.Action.REPLAN).count() == 2


def test_reporter_cannot_transfer_and_the_refusal_is_recorded(reporter, pages):
    one, two = pages
    with pytest.raises(services.EditionForbidden):
        services.placement_transfer(placement=one.placements.first(), user=reporter, page=two)
    assert headlines(two) == ["丁"]
    assert one.edition.events.get().action == EditionEvent.Action.REFUSED


def test_clear_lead_keeps_the_story_in_its_place(editor, pages):
    one, _two = pages
    second = Placement.objects.get(article__headline="乙")
    services.placement_mark_lead(placement=second, user=editor)
    services.placement_clear_lead(placement=second, user=editor)
    assert not Placement.objects.filter(page=one, is_lead=True).exists()
    assert headlines(one) == ["乙", "甲", "丙"]


@pytest.mark.parametrize(
    "act",
    [
        lambda p, u, v: services.placement_move(placement=p, user=u, step=1, version=v),
        lambda p, u, v: services.page_reorder(page=p.page, user=u, order=[], version=v),
        lambda p, u, v: services.placement_mark_lead(placement=p, user=u, version=v),
        lambda p, u, v: services.placement_clear_lead(placement=p, user=u, version=v),
        lambda p, u, v: services.placement_set_jump(placement=p, user=u, continues_on=None, version=v),
        lambda p, u, v: services.placement_remove(placement=p, user=u, version=v),
        lambda p, u, v: services.page_proofread(page=p.page, user=u, version=v),
    ],
    ids=["move", "reorder", "lead", "clear-lead", "jump", "remove", "proofread"],
)
def test_every_board_action_refuses_a_page_changed_since_it_was_seen(editor, pages, act):
    one, _two = pages
    first = Placement.objects.get(article__headline="甲")
    stale = one.version
    services.placement_move(placement=Placement.objects.get(article__headline="丙"), user=editor, step=-1)
    with pytest.raises(services.PageConflict, match="第1版已被"):
        act(first, editor, stale)
    assert headlines(one) == ["甲", "丙", "乙"]
    assert Page.objects.get(pk=one.pk).state == Page.State.PLANNING


def test_sign_off_refuses_a_page_changed_since_it_was_seen(editor, pages):
    one, _two = pages
    services.page_proofread(page=one, user=editor)
    seen = Page.objects.get(pk=one.pk).version
    Page.objects.filter(pk=one.pk).update(version=seen + 1)
    with pytest.raises(services.PageConflict):
        services.page_sign_off(page=one, user=editor, version=seen)
    assert Page.objects.get(pk=one.pk).state == Page.State.PROOFREAD
    assert services.page_sign_off(page=one, user=editor, version=seen + 1).state == Page.State.SIGNED_OFF


def test_release_problems_from_rows_the_caller_loaded_say_the_same(editor, pages):
    one, _two = pages
    Placement.objects.filter(page=one, position=2).update(article=ArticleFactory(headline="", review=True))
    edition = one.edition
    loaded = list(Placement.objects.filter(edition=edition).select_related("article", "page"))
    assert services.release_problems(edition, pages=list(edition.pages.all()), placements=loaded) == (
        services.release_problems(edition)
    )
    messages, offenders = services.release_problems(edition)
    assert any("缺少主题" in m for m in messages) and len(offenders) == 1
