"""The edition and page screens in the admin: assembling, sign-off buttons, release, refusals."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
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


def page_url(page):
    return reverse("admin:editions_page_change", args=[page.pk])


def edition_url(edition):
    return reverse("admin:editions_edition_change", args=[edition.pk])


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def formset_data(page, rows, extra=()):
    """POST data for the page screen: ``rows`` are dicts for existing placements, ``extra`` new ones."""
    data = {
        "number": page.number,
        "name": page.name,
        "editor": page.editor_id or "",
        "placements-TOTAL_FORMS": len(rows) + len(extra),
        "placements-INITIAL_FORMS": len(rows),
        "placements-MIN_NUM_FORMS": 0,
        "placements-MAX_NUM_FORMS": 1000,
    }
    for i, row in enumerate([*rows, *extra]):
        for key, value in row.items():
            if value is True:
                value = "on"
            if value is False or value is None:
                continue
            data[f"placements-{i}-{key}"] = value
        data[f"placements-{i}-page"] = page.pk
    return data


def existing(p, **changes):
    row = {"id": p.pk, "position": p.position, "article": p.article_id, "is_lead": p.is_lead}
    row["continues_on"] = p.continues_on_id or ""
    row.update(changes)
    return row


# --- edition screen --------------------------------------------------------------------------------


def test_add_edition_proposes_next_number_and_date(editor_client):
    EditionFactory(date=timezone.localdate(), number=88)
    response = editor_client.get(reverse("admin:editions_edition_add"))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.initial["number"] == 89
    assert form.initial["date"] == timezone.localdate() + timedelta(days=1)


def test_add_edition_creates_and_audits(editor_client, editor):
    date = timezone.localdate() + timedelta(days=1)
    response = editor_client.post(
        reverse("admin:editions_edition_add"),
        {
            "date": date.isoformat(),
            "number": 9,
            "pages-TOTAL_FORMS": 0,
            "pages-INITIAL_FORMS": 0,
            "pages-MIN_NUM_FORMS": 0,
            "pages-MAX_NUM_FORMS": 1000,
        },
    )
    assert response.status_code == 302
    edition = Edition.objects.get(date=date)
    assert edition.events.get().action == EditionEvent.Action.CREATE and edition.events.get().actor == editor


def test_two_editions_on_one_date_refused_on_screen(editor_client):
    existing_edition = EditionFactory(number=3)
    response = editor_client.post(
        reverse("admin:editions_edition_add"),
        {
            "date": existing_edition.date.isoformat(),
            "number": 4,
            "pages-TOTAL_FORMS": 0,
            "pages-INITIAL_FORMS": 0,
            "pages-MIN_NUM_FORMS": 0,
            "pages-MAX_NUM_FORMS": 1000,
        },
    )
    assert response.status_code == 200
    assert "已有一期报纸（第3期），请改选日期" in response.content.decode()
    assert Edition.objects.count() == 1


def test_page_number_used_twice_refused_on_edition_screen(editor_client):
    edition = EditionFactory()
    PageFactory(edition=edition, number=1, name="要闻")
    page = edition.pages.get()
    data = {
        "date": edition.date.isoformat(),
        "number": edition.number,
        "pages-TOTAL_FORMS": 2,
        "pages-INITIAL_FORMS": 1,
        "pages-MIN_NUM_FORMS": 0,
        "pages-MAX_NUM_FORMS": 1000,
        "pages-0-id": page.pk,
        "pages-0-edition": edition.pk,
        "pages-0-number": 1,
        "pages-0-name": "要闻",
        "pages-1-edition": edition.pk,
        "pages-1-number": 1,
        "pages-1-name": "综合",
    }
    response = editor_client.post(edition_url(edition), data)
    assert response.status_code == 200
    assert "第1版重复了" in response.content.decode()
    assert edition.pages.count() == 1


def test_page_number_used_twice_refused_on_page_screen(editor_client):
    page = PageFactory(number=1)
    response = editor_client.post(
        reverse("admin:editions_page_add"),
        {
            "edition": page.edition_id,
            "number": 1,
            "name": "综合",
        },
    )
    assert response.status_code == 200
    assert "第1版已存在，同一期的版次不能重复" in response.content.decode()
    assert Page.objects.count() == 1


def test_copy_page_plan_button(editor_client, editor):
    old = EditionFactory(date=timezone.localdate(), number=1)
    PageFactory(edition=old, number=1, name="要闻", editor=editor)
    PageFactory(edition=old, number=2, name="综合")
    new = EditionFactory(date=timezone.localdate() + timedelta(days=1), number=2)
    screen = editor_client.get(edition_url(new)).content.decode()
    assert "复制上一期版面计划" in screen
    response = editor_client.post(reverse("admin:editions_edition_copy_plan", args=[new.pk]), follow=True)
    assert "新增2个版面" in " ".join(messages_of(response))
    assert list(new.pages.values_list("number", "name")) == [(1, "要闻"), (2, "综合")]


def test_copy_plan_refuses_get(editor_client):
    edition = EditionFactory()
    assert (
        editor_client.get(reverse("admin:editions_edition_copy_plan", args=[edition.pk])).status_code == 405
    )


# --- page screen -------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 30])
def test_page_screen_shows_status_and_bylines_without_query_per_row(
    editor_client, django_assert_max_num_queries, count
):
    edition = EditionFactory()
    page = PageFactory(edition=edition, number=1)
    PageFactory(edition=edition, number=2, name="综合")
    section = SectionFactory(name="要闻", slug="yaowen")
    for i in range(count):
        article = ArticleFactory(
            review=(i % 2 == 0), published=(i % 2 == 1), section=section, headline=f"稿件{i}"
        )
        BylineFactory(article=article, person=PersonFactory(name=f"记者甲{i}"), order=0)
        BylineFactory(article=article, person=PersonFactory(name=f"记者乙{i}"), order=1)
        PlacementFactory(page=page, article=article, position=i + 1)
    with django_assert_max_num_queries(14):
        response = editor_client.get(page_url(page))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"稿件{count - 1}" in html and f"本报记者 记者甲{count - 1} 记者乙{count - 1}" in html
    assert "待审" in html and "已发布" in html
    assert "下转2版（综合）" in html


def test_page_screen_adds_reorders_marks_lead_and_jumps(editor_client):
    edition = EditionFactory()
    page = PageFactory(edition=edition, number=1)
    second = PageFactory(edition=edition, number=2, name="综合")
    a = PlacementFactory(page=page, position=1, article__headline="甲")
    b = PlacementFactory(page=page, position=2, article__headline="乙")
    new = ArticleFactory(review=True, headline="丙")
    data = formset_data(
        page,
        [existing(a, position=2), existing(b, position=1, is_lead=True, continues_on=second.pk)],
        extra=[{"article": new.pk, "position": ""}],
    )
    response = editor_client.post(page_url(page), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    rows = list(page.placements.order_by("position").values_list("article__headline", "position", "is_lead"))
    assert rows == [("乙", 1, True), ("甲", 2, False), ("丙", 3, False)]
    assert Placement.objects.get(article__headline="乙").continues_on == second


def test_page_screen_removes_a_story(editor_client):
    page = PageFactory(number=1)
    a = PlacementFactory(page=page, position=1)
    b = PlacementFactory(page=page, position=2)
    response = editor_client.post(page_url(page), formset_data(page, [existing(a, DELETE=True), existing(b)]))
    assert response.status_code == 302
    assert list(page.placements.values_list("pk", "position")) == [(b.pk, 1)]
    assert Article.objects.filter(pk=a.article_id).exists()


def test_story_placed_twice_refused_on_screen(editor_client):
    edition = EditionFactory()
    page = PageFactory(edition=edition, number=1)
    other = PageFactory(edition=edition, number=2)
    story = PlacementFactory(page=other, position=1, article__headline="已在二版")
    response = editor_client.post(
        page_url(page), formset_data(page, [], extra=[{"article": story.article_id}])
    )
    assert response.status_code == 200
    assert "《已在二版》已在第2版，一篇稿件在一期中只能见报一次" in response.content.decode()
    assert page.placements.count() == 0


def test_jump_to_page_of_another_edition_refused_on_screen(editor_client):
    page = PageFactory(number=1)
    foreign = PageFactory(number=2)
    a = PlacementFactory(page=page, position=1, article__headline="外跳")
    response = editor_client.post(page_url(page), formset_data(page, [existing(a, continues_on=foreign.pk)]))
    assert response.status_code == 200
    assert "《外跳》的下转版面不属于本期" in response.content.decode()
    a.refresh_from_db()
    assert a.continues_on is None


def test_jump_to_missing_page_refused_on_screen(editor_client):
    page = PageFactory(number=1)
    a = PlacementFactory(page=page, position=1)
    response = editor_client.post(page_url(page), formset_data(page, [existing(a, continues_on=999999)]))
    assert response.status_code == 200
    assert "所选的下转版面不存在，请从本期的其他版面中选择" in response.content.decode()
    a.refresh_from_db()
    assert a.continues_on is None


def test_draft_cannot_be_added_on_screen(editor_client):
    page = PageFactory(number=1)
    draft = ArticleFactory(headline="未送审")
    response = editor_client.post(page_url(page), formset_data(page, [], extra=[{"article": draft.pk}]))
    assert "《未送审》状态为“草稿”，只能编排待审或已发布的稿件" in response.content.decode()
    assert not Placement.objects.exists()


def test_up_down_buttons(editor_client):
    page = PageFactory(number=1)
    a = PlacementFactory(page=page, position=1)
    b = PlacementFactory(page=page, position=2)
    editor_client.post(reverse("admin:editions_page_move", args=[page.pk, b.pk, "up"]))
    assert list(page.placements.order_by("position").values_list("pk", flat=True)) == [b.pk, a.pk]
    editor_client.post(reverse("admin:editions_page_move", args=[page.pk, b.pk, "down"]))
    assert list(page.placements.order_by("position").values_list("pk", flat=True)) == [a.pk, b.pk]


def test_autocomplete_offers_only_review_and_published_by_title_byline_section(editor_client):
    section = SectionFactory(name="文体", slug="wenti")
    review = ArticleFactory(review=True, headline="篮球联赛开幕", section=section)
    BylineFactory(article=review, person=PersonFactory(name="王小明"))
    ArticleFactory(published=True, headline="篮球场翻新")
    ArticleFactory(headline="篮球草稿")
    ArticleFactory(withdrawn=True, headline="篮球撤稿")
    url = reverse("admin:editions_page_article_autocomplete")
    params = {"app_label": "editions", "model_name": "placement", "field_name": "article"}

    def titles(term):
        response = editor_client.get(url, {**params, "term": term})
        assert response.status_code == 200
        return sorted(r["text"].split("（")[0] for r in response.json()["results"])

    assert titles("篮球") == ["篮球场翻新", "篮球联赛开幕"]
    assert titles("王小明") == ["篮球联赛开幕"]
    assert titles("文体") == ["篮球联赛开幕"]


# --- sign-off and read-only ----------------------------------------------------------------------------


def test_sign_off_buttons_and_read_only_page(editor_client, editor):
    page = PageFactory(number=1)
    a = PlacementFactory(page=page, position=1)
    b = PlacementFactory(page=page, position=2)
    assert "校对完成" in editor_client.get(page_url(page)).content.decode()
    editor_client.post(reverse("admin:editions_page_state", args=[page.pk, "proofread"]))
    editor_client.post(reverse("admin:editions_page_state", args=[page.pk, "sign-off"]))
    page.refresh_from_db()
    assert page.state == Page.State.SIGNED_OFF
    html = editor_client.get(page_url(page)).content.decode()
    assert "已签发，只读" in html and 'name="_save"' not in html and "重新打开" in html
    # Forged changes on a signed-off page: refused, nothing moves.
    response = editor_client.post(
        page_url(page), formset_data(page, [existing(a, position=2), existing(b, position=1)])
    )
    assert response.status_code == 403
    response = editor_client.post(
        reverse("admin:editions_page_move", args=[page.pk, b.pk, "up"]), follow=True
    )
    assert "已签发，不能修改" in " ".join(messages_of(response))
    assert list(page.placements.order_by("position").values_list("pk", flat=True)) == [a.pk, b.pk]
    # Reopening is audited with its reason.
    editor_client.post(reverse("admin:editions_page_state", args=[page.pk, "reopen"]), {"note": "改头条"})
    page.refresh_from_db()
    assert page.state == Page.State.PLANNING
    assert "改头条" in page.edition.events.get(action=EditionEvent.Action.REOPEN).note


def test_an_unknown_move_or_page_action_is_no_page(editor_client):
    page = PageFactory(number=1)
    a = PlacementFactory(page=page, position=1)
    b = PlacementFactory(page=page, position=2)
    move = reverse("admin:editions_page_move", args=[page.pk, b.pk, "up"]).replace("/up/", "/sideways/")
    state = reverse("admin:editions_page_state", args=[page.pk, "proofread"]).replace("proofread", "publish")
    assert editor_client.post(move).status_code == 404
    assert editor_client.post(state).status_code == 404
    # A GET of a real one is still refused as a method (405), and nothing changed.
    assert (
        editor_client.get(reverse("admin:editions_page_move", args=[page.pk, b.pk, "up"])).status_code == 405
    )
    page.refresh_from_db()
    assert page.state == Page.State.PLANNING
    assert list(page.placements.order_by("position").values_list("pk", flat=True)) == [a.pk, b.pk]


def test_a_refused_page_action_is_a_message_and_a_missing_right_a_403(editor_client, reporter):
    from django.test import Client

    page = PageFactory(number=1)
    response = editor_client.post(
        reverse("admin:editions_page_state", args=[page.pk, "sign-off"]), follow=True
    )
    assert response.status_code == 200
    assert "请先校对再签发" in " ".join(messages_of(response))
    reporter_client = Client()
    reporter_client.force_login(reporter)
    copy_plan = reverse("admin:editions_edition_copy_plan", args=[page.edition_id])
    assert reporter_client.post(copy_plan).status_code == 403
    assert list(page.edition.events.values_list("action", flat=True)) == [EditionEvent.Action.REFUSED]


def test_reporter_cannot_sign_off_pages(reporter_client):
    page = PageFactory(number=1)
    PlacementFactory(page=page)
    response = reporter_client.post(reverse("admin:editions_page_state", args=[page.pk, "proofread"]))
    assert response.status_code == 403
    page.refresh_from_db()
    assert page.state == Page.State.PLANNING


# --- release -------------------------------------------------------------------------------------------


def ready_edition():
    edition = EditionFactory(date=timezone.localdate() + timedelta(days=1))
    for number in (1, 2):
        page = PageFactory(edition=edition, number=number, state=Page.State.SIGNED_OFF)
        PlacementFactory(page=page, position=1, article=ArticleFactory(review=True))
    return edition


def test_chief_releases_now(chief_client):
    edition = ready_edition()
    assert "签发出版" in chief_client.get(edition_url(edition)).content.decode()
    response = chief_client.post(
        reverse("admin:editions_edition_release", args=[edition.pk]), {"mode": "now"}, follow=True
    )
    assert "已出版" in " ".join(messages_of(response))
    edition.refresh_from_db()
    assert edition.is_released
    assert Article.objects.published().count() == 2


def test_chief_schedules_release_for_six_in_the_morning(chief_client):
    edition = ready_edition()
    when = f"{edition.date.isoformat()}T06:00"
    chief_client.post(
        reverse("admin:editions_edition_release", args=[edition.pk]), {"mode": "scheduled", "when": when}
    )
    edition.refresh_from_db()
    assert timezone.localtime(edition.released_at).strftime("%Y-%m-%d %H:%M") == f"{edition.date} 06:00"
    assert not Edition.objects.released().exists()
    assert Article.objects.scheduled().count() == 2


def test_release_with_unsigned_page_names_it_and_changes_nothing(chief_client):
    edition = ready_edition()
    edition.pages.filter(number=2).update(state=Page.State.PROOFREAD)
    response = chief_client.post(
        reverse("admin:editions_edition_release", args=[edition.pk]), {"mode": "now"}, follow=True
    )
    assert "第2版（已校对）" in " ".join(messages_of(response))
    edition.refresh_from_db()
    assert edition.status == Edition.Status.PLANNING
    assert not Article.objects.published().exists()


def test_release_with_unpublishable_story_names_it(chief_client):
    edition = ready_edition()
    draft = ArticleFactory(headline="还是草稿")
    PlacementFactory(page=edition.pages.get(number=2), position=2, article=draft)
    screen = chief_client.get(edition_url(edition)).content.decode()
    assert "第2版《还是草稿》" in screen
    response = chief_client.post(
        reverse("admin:editions_edition_release", args=[edition.pk]), {"mode": "now"}, follow=True
    )
    assert "未能出版" in " ".join(messages_of(response)) and "《还是草稿》" in " ".join(messages_of(response))
    assert not Article.objects.published().exists()


@pytest.mark.parametrize("who", ["editor_client", "reporter_client"])
def test_forged_release_by_editor_or_reporter_is_403(request, who):
    client = request.getfixturevalue(who)
    edition = ready_edition()
    if who == "editor_client":
        assert "只有值班主任可以签发出版" in client.get(edition_url(edition)).content.decode()
    response = client.post(reverse("admin:editions_edition_release", args=[edition.pk]), {"mode": "now"})
    assert response.status_code == 403
    edition.refresh_from_db()
    assert edition.status == Edition.Status.PLANNING
    assert not Article.objects.published().exists()


def test_released_edition_is_read_only(chief_client, chief):
    edition = ready_edition()
    from editions import services

    services.edition_release(edition=edition, user=chief)
    html = chief_client.get(edition_url(edition)).content.decode()
    assert 'name="_save"' not in html and "签发出版" in html and "本期已于" in html
    page = edition.pages.get(number=1)
    response = chief_client.post(page_url(page), formset_data(page, []))
    assert response.status_code == 403


# --- deleting a placed article ------------------------------------------------------------------------


def test_deleting_a_placed_article_is_refused_with_a_clear_message(chief_client):
    placement = PlacementFactory(article__headline="见报稿", page__number=3, page__name="社会")
    url = reverse("admin:articles_article_delete", args=[placement.article_id])
    html = chief_client.get(url).content.decode()
    assert "无法删除" in html and "第3版 社会：见报稿" in html
    assert reverse("admin:editions_placement_change", args=[placement.pk]) in html
    response = chief_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert Article.objects.filter(pk=placement.article_id).exists()
    # The link in the refusal leads to the page where the story stands.
    follow = chief_client.get(reverse("admin:editions_placement_change", args=[placement.pk]))
    assert follow.url == page_url(placement.page)


def edition_data(edition, pages):
    data = {
        "date": edition.date.isoformat(),
        "number": edition.number,
        "pages-TOTAL_FORMS": len(pages),
        "pages-INITIAL_FORMS": len(pages),
        "pages-MIN_NUM_FORMS": 0,
        "pages-MAX_NUM_FORMS": 1000,
    }
    for i, (page, changes) in enumerate(pages):
        row = {"id": page.pk, "edition": edition.pk, "number": page.number, "name": page.name, **changes}
        data.update({f"pages-{i}-{k}": v for k, v in row.items()})
    return data


def test_signed_off_page_cannot_be_renamed_from_the_edition_screen(editor_client):
    page = PageFactory(number=1, name="要闻", state=Page.State.SIGNED_OFF)
    response = editor_client.post(
        edition_url(page.edition), edition_data(page.edition, [(page, {"name": "改名"})])
    )
    assert response.status_code == 200
    assert "第1版已签发，不能修改或删除" in response.content.decode()
    page.refresh_from_db()
    assert page.name == "要闻"


def test_page_that_stories_jump_to_cannot_be_deleted(editor_client):
    edition = EditionFactory()
    first = PageFactory(edition=edition, number=1)
    second = PageFactory(edition=edition, number=2)
    PlacementFactory(page=first, position=1, continues_on=second)
    data = edition_data(edition, [(first, {}), (second, {"DELETE": "on"})])
    response = editor_client.post(edition_url(edition), data)
    assert response.status_code == 200
    assert "第1版有稿件“下转”第2版，请先改掉这些下转再删除本版" in response.content.decode()
    assert edition.pages.count() == 2
