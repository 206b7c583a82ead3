"""Page sign-off: 编排中 → 已校对 → 已签发, read-only once signed off, reopening audited."""

import pytest

from editions import services
from editions.models import EditionEvent, Page, Placement
from tests.factories import ArticleFactory, PageFactory, PlacementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(db):
    page = PageFactory(number=1)
    PlacementFactory(page=page, position=1)
    return page


def sign_off(page, user):
    services.page_proofread(page=page, user=user)
    return services.page_sign_off(page=page, user=user)


def test_states_in_order_and_audited(editor, page):
    assert services.page_proofread(page=page, user=editor).state == Page.State.PROOFREAD
    page = services.page_sign_off(page=page, user=editor)
    assert page.state == Page.State.SIGNED_OFF
    assert page.editor == editor  # whoever signs an unassigned page becomes its 责任编辑
    actions = list(page.edition.events.order_by("pk").values_list("action", "actor"))
    assert actions == [(EditionEvent.Action.PROOFREAD, editor.pk), (EditionEvent.Action.SIGN_OFF, editor.pk)]


def test_sign_off_needs_proofreading_first(editor, page):
    with pytest.raises(services.PageLocked, match="请先校对再签发"):
        services.page_sign_off(page=page, user=editor)
    page.refresh_from_db()
    assert page.state == Page.State.PLANNING


def test_empty_page_cannot_be_signed_off(editor):
    page = PageFactory(number=1)
    services.page_proofread(page=page, user=editor)
    with pytest.raises(services.PageLocked, match="还没有稿件"):
        services.page_sign_off(page=page, user=editor)


def test_signed_off_page_is_read_only_in_services(editor, page):
    sign_off(page, editor)
    placement = page.placements.get()
    other = PageFactory(edition=page.edition, number=2)
    attempts = [
        lambda: services.placement_add(page=page, user=editor, article=ArticleFactory(review=True)),
        lambda: services.placement_move(placement=placement, user=editor, step=1),
        lambda: services.placement_remove(placement=placement, user=editor),
        lambda: services.placement_mark_lead(placement=placement, user=editor),
        lambda: services.placement_set_jump(placement=placement, user=editor, continues_on=other),
        lambda: services.page_reorder(page=page, user=editor, order=[placement.pk]),
    ]
    for attempt in attempts:
        with pytest.raises(services.PageLocked, match="已签发，不能修改"):
            attempt()
    placement.refresh_from_db()
    assert (placement.position, placement.is_lead, placement.continues_on) == (1, False, None)
    assert Placement.objects.count() == 1


def test_reopen_makes_page_editable_again_and_is_audited(editor, page):
    sign_off(page, editor)
    page = services.page_reopen(page=page, user=editor, note="头条标题有误")
    assert page.state == Page.State.PLANNING
    event = page.edition.events.filter(action=EditionEvent.Action.REOPEN).get()
    assert event.actor == editor and "头条标题有误" in event.note and event.page == page
    services.placement_add(page=page, user=editor, article=ArticleFactory(review=True))
    assert page.placements.count() == 2


def test_reporter_cannot_sign_off_or_reopen(reporter, editor, page):
    with pytest.raises(services.EditionForbidden):
        services.page_proofread(page=page, user=reporter)
    sign_off(page, editor)
    with pytest.raises(services.EditionForbidden):
        services.page_reopen(page=page, user=reporter)
    page.refresh_from_db()
    assert page.state == Page.State.SIGNED_OFF
