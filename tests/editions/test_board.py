"""The edition board (版面计划) on the server: who sees it, what its data says, its pool, its actions
through the services (versions, conflicts, CSRF), and a data endpoint whose queries do not grow."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from editions import services
from editions.models import Edition, EditionEvent, Page, Placement
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    EditionFactory,
    PageFactory,
    PersonFactory,
    PlacementFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def url(name, edition):
    return reverse(f"admin:editions_edition_board{name}", args=[edition.pk])


@pytest.fixture
def edition(db):
    edition = EditionFactory()
    one = PageFactory(edition=edition, number=1, name="要闻")
    two = PageFactory(edition=edition, number=2, name="综合")
    lead = PlacementFactory(page=one, position=1, is_lead=True, article__headline="头条稿", continues_on=two)
    BylineFactory(article=lead.article, person=PersonFactory(name="林记者"))
    PlacementFactory(page=one, position=2, article__headline="二条稿")
    return edition


def post(client, edition, **fields):
    response = client.post(url("_action", edition), fields)
    return response, response.json()


def test_reporters_cannot_open_the_board_or_act_on_it(reporter_client, edition):
    for name in ("", "_data", "_pool"):
        assert reporter_client.get(url(name, edition)).status_code == 403
    page = edition.pages.get(number=2)
    article = ArticleFactory(review=True)
    response = reporter_client.post(
        url("_action", edition), {"action": "place", "page": page.pk, "article": article.pk}
    )
    assert response.status_code == 403
    assert not Placement.objects.filter(article=article).exists()


def test_the_screen_loads_its_script_from_static_and_keeps_the_csp(editor_client, edition):
    response = editor_client.get(url("", edition))
    html = response.content.decode()
    assert response.status_code == 200
    assert "vendor/sortablejs/Sortable.min.js" in html and "admin_newsroom/board.js" in html
    assert "<script>" not in html and " style=" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    assert 'name="csrfmiddlewaretoken"' in html


def test_the_edition_list_and_page_link_to_the_board(editor_client, edition):
    board = url("", edition)
    assert board in editor_client.get(reverse("admin:editions_edition_changelist")).content.decode()
    assert (
        board
        in editor_client.get(reverse("admin:editions_edition_change", args=[edition.pk])).content.decode()
    )


def test_data_has_every_page_its_stories_lead_jumps_and_counts(editor_client, edition):
    data = editor_client.get(url("_data", edition)).json()
    one, two = data["pages"]
    assert (one["number"], one["name"], one["state_label"], one["editable"]) == (1, "要闻", "编排中", True)
    assert [s["headline"] for s in one["stories"]] == ["头条稿", "二条稿"]
    first = one["stories"][0]
    assert first["lead"] and first["jump_to"] == 2 and first["bylines"] == "本报记者 林记者"
    assert one["chars"] == sum(s["chars"] for s in one["stories"]) > 0
    assert two["continued_here"] == [
        {"id": first["id"], "headline": "头条稿", "from": 1, "from_page": one["id"]}
    ]
    assert any("尚未签发" in p for p in data["release"]["problems"])
    assert data["release"]["allowed"] is False  # an editor is no 值班主任
    assert data["edition"]["stories"] == 2


def test_the_plan_the_board_sends_back_is_the_services_snapshot(editor_client, edition):
    pages = editor_client.get(url("_data", edition)).json()["pages"]
    for page, data in zip(edition.pages.order_by("number"), pages, strict=True):
        assert data["plan"] == services.plans.dumps(services.plans.snapshot(page))


def test_a_poll_with_the_current_stamp_gets_only_unchanged(editor_client, editor, edition):
    stamp = editor_client.get(url("_data", edition)).json()["stamp"]
    assert editor_client.get(url("_data", edition), {"stamp": stamp}).json() == {
        "unchanged": True,
        "stamp": stamp,
    }
    services.placement_add(page=edition.pages.get(number=2), article=ArticleFactory(review=True), user=editor)
    fresh = editor_client.get(url("_data", edition), {"stamp": stamp}).json()
    assert "unchanged" not in fresh and fresh["stamp"] != stamp
    assert len(fresh["pages"][1]["stories"]) == 1


def build(pages, stories_per_page):
    edition = EditionFactory()
    for number in range(1, pages + 1):
        page = PageFactory(edition=edition, number=number)
        for position in range(1, stories_per_page + 1):
            placement = PlacementFactory(page=page, position=position, is_lead=position == 1)
            BylineFactory(article=placement.article)
    return edition


def test_the_data_endpoint_costs_the_same_queries_for_4_stories_or_64(
    editor_client, django_assert_max_num_queries
):
    small, large = build(2, 2), build(8, 8)
    editor_client.get(url("_data", small))  # session and permission caches warm
    counts = []
    for edition in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(url("_data", edition)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(12):
        editor_client.get(url("_data", large))


def test_the_pool_costs_the_same_queries_for_any_number_of_stories(editor_client, edition):
    for _ in range(3):
        BylineFactory(article=ArticleFactory(review=True))
    with CaptureQueriesContext(connection) as few:
        editor_client.get(url("_pool", edition))
    for _ in range(20):
        BylineFactory(article=ArticleFactory(review=True))
    with CaptureQueriesContext(connection) as many:
        assert len(editor_client.get(url("_pool", edition)).json()["stories"]) == 23
    assert len(few) == len(many)


def test_the_pool_lists_stories_to_place_marks_those_printed_before_and_filters(editor_client, edition):
    sports = SectionFactory(name="文体", slug="sports")
    review = ArticleFactory(review=True, headline="待审新稿", section=sports)
    published = ArticleFactory(published=True, headline="网站已发稿")
    ArticleFactory(headline="草稿不上版")
    printed = ArticleFactory(published=True, headline="昨天见报稿")
    earlier = EditionFactory(date=edition.date - timedelta(days=3), number=1)
    PlacementFactory(page=PageFactory(edition=earlier, number=3), article=printed, position=1)
    data = editor_client.get(url("_pool", edition)).json()
    headlines = {s["headline"]: s for s in data["stories"]}
    assert {"待审新稿", "网站已发稿", "昨天见报稿"} <= set(headlines)
    assert "草稿不上版" not in headlines and "头条稿" not in headlines  # drafts and this edition's stories
    assert (
        headlines["昨天见报稿"]["printed"].startswith("已见报：")
        and "第3版" in headlines["昨天见报稿"]["printed"]
    )
    assert headlines["待审新稿"]["printed"] == ""
    only_sports = editor_client.get(url("_pool", edition), {"section": sports.pk}).json()["stories"]
    assert [s["article"] for s in only_sports] == [review.pk]
    found = editor_client.get(url("_pool", edition), {"q": "网站已发"}).json()["stories"]
    assert [s["article"] for s in found] == [published.pk]
    assert "文体" in [s["name"] for s in data["sections"]]


def test_place_move_lead_jump_and_remove_go_through_the_services(editor_client, editor, edition):
    one, two = edition.pages.order_by("number")
    article = ArticleFactory(review=True, headline="新稿")
    response, data = post(
        editor_client, edition, action="place", page=two.pk, article=article.pk, version=two.version
    )
    assert response.status_code == 200 and data["message"] == "已将《新稿》放到第2版第1条。"
    placed = Placement.objects.get(article=article)
    two.refresh_from_db()
    assert (placed.page, two.version, two.changed_by) == (two, 2, editor)
    second = Placement.objects.get(article__headline="二条稿")
    response, data = post(
        editor_client,
        edition,
        action="move",
        placement=second.pk,
        page=two.pk,
        position=1,
        version=one.version,
        target_version=two.version,
    )
    assert response.status_code == 200
    assert [s["headline"] for s in data["board"]["pages"][1]["stories"]] == ["二条稿", "新稿"]
    post(editor_client, edition, action="lead", placement=placed.pk, version=two.version + 1)
    assert Placement.objects.get(pk=placed.pk).is_lead
    _r, data = post(
        editor_client, edition, action="jump", placement=placed.pk, page=one.pk, version=two.version + 2
    )
    assert data["board"]["pages"][1]["stories"][0]["jump_to"] == 1
    _r, data = post(editor_client, edition, action="remove", placement=placed.pk, version=two.version + 3)
    assert not Placement.objects.filter(article=article).exists() and data["ok"]


def test_a_stale_version_is_a_409_naming_the_change_with_the_fresh_board(editor_client, chief, edition):
    two = edition.pages.get(number=2)
    seen = two.version
    plan = editor_client.get(url("_data", edition)).json()["pages"][1]["plan"]
    services.placement_add(page=two, article=ArticleFactory(review=True, headline="同事先放"), user=chief)
    response, data = post(
        editor_client,
        edition,
        action="place",
        page=two.pk,
        article=ArticleFactory(review=True).pk,
        version=seen,
        version_page=two.pk,
        loaded=plan,
    )
    assert response.status_code == 409 and data["conflict"]
    assert "第2版已被" in data["error"] and "新增《同事先放》" in data["error"]
    assert [s["headline"] for s in data["board"]["pages"][1]["stories"]] == ["同事先放"]


def test_a_story_someone_removed_meanwhile_is_a_conflict_not_an_error_page(editor_client, editor, edition):
    placement = Placement.objects.get(article__headline="二条稿")
    services.placement_remove(placement=placement, user=editor)
    response, data = post(editor_client, edition, action="lead", placement=placement.pk)
    assert response.status_code == 409 and "已被他人移动或撤下" in data["error"]


def test_sign_off_on_the_board_locks_the_page_and_a_drop_on_it_is_refused(editor_client, edition):
    one, two = edition.pages.order_by("number")
    post(editor_client, edition, action="proofread", page=one.pk, version=one.version)
    response, data = post(editor_client, edition, action="sign-off", page=one.pk, version=one.version)
    assert response.status_code == 200
    page = data["board"]["pages"][0]
    assert (page["state"], page["editable"], page["can_reopen"]) == ("signed_off", False, True)
    response, data = post(
        editor_client,
        edition,
        action="place",
        page=one.pk,
        article=ArticleFactory(review=True).pk,
        version=one.version,
    )
    assert response.status_code == 400 and "已签发，不能修改" in data["error"]
    response, data = post(editor_client, edition, action="reopen", page=one.pk, note="补一篇")
    assert Page.objects.get(pk=one.pk).state == Page.State.PLANNING
    assert edition.events.filter(action=EditionEvent.Action.REOPEN, note__contains="补一篇").exists()


def test_only_the_chief_editor_releases_from_the_board(editor_client, chief, edition):
    for page in edition.pages.all():
        services.page_proofread(page=page, user=chief)
    PlacementFactory(page=edition.pages.get(number=2), position=1, article=ArticleFactory(review=True))
    for page in edition.pages.all():
        if page.state != Page.State.PROOFREAD:
            services.page_proofread(page=page, user=chief)
        services.page_sign_off(page=page, user=chief)
    response, _data = post(editor_client, edition, action="release", mode="now")
    assert response.status_code == 403
    assert edition.events.filter(action=EditionEvent.Action.REFUSED).exists()
    chief_client = Client()
    chief_client.force_login(chief)
    assert chief_client.get(url("_data", edition)).json()["release"] == {"problems": [], "allowed": True}
    response, data = post(chief_client, edition, action="release", mode="now")
    assert response.status_code == 200 and data["board"]["edition"]["status"] == "published"
    edition.refresh_from_db()
    assert edition.status == Edition.Status.PUBLISHED
    assert not Article.objects.filter(placements__edition=edition).exclude(status="published").exists()


def test_every_post_needs_the_csrf_token(editor, edition):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    page = edition.pages.get(number=2)
    response = client.post(
        url("_action", edition),
        {"action": "place", "page": page.pk, "article": ArticleFactory(review=True).pk},
    )
    assert response.status_code == 403
    assert not page.placements.exists()


def test_an_unknown_action_or_a_page_of_another_edition_is_refused(editor_client, edition):
    response, data = post(editor_client, edition, action="explode")
    assert response.status_code == 400 and data["error"] == "没有这种版面操作。"
    foreign = PageFactory(number=5)
    response, data = post(
        editor_client, edition, action="place", page=foreign.pk, article=ArticleFactory(review=True).pk
    )
    assert response.status_code == 409 and not foreign.placements.exists()
    assert json.dumps(data, ensure_ascii=False).count("这个版面已不存在") == 1
