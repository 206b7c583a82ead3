"""A proofread page that changes goes back to 编排中 (with a history line); a stale page screen is refused."""

import pytest
from django.urls import reverse

from editions import page_images, services
from editions.models import EditionEvent, Page, Placement
from editions.services import plans
from tests.articles.photos.test_files import jpeg_bytes, upload
from tests.factories import ArticleFactory, PageFactory, PlacementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(db):
    page = PageFactory(number=2, name="综合")
    first = PlacementFactory(page=page, position=1, article=ArticleFactory(published=True, headline="第一篇"))
    PlacementFactory(page=page, position=2, article=ArticleFactory(published=True, headline="第二篇"))
    page.first = first
    return page


def proofread(page, user):
    return services.page_proofread(page=page, user=user)


def replans(page):
    return list(page.edition.events.filter(action=EditionEvent.Action.REPLAN).order_by("pk"))


def placements(page):
    return list(Placement.objects.filter(page=page).order_by("position"))


CHANGES = {
    "add": (
        lambda page, user: services.placement_add(
            page=page, user=user, article=ArticleFactory(review=True, headline="新来的稿")
        ),
        "新增《新来的稿》",
    ),
    "remove": (
        lambda page, user: services.placement_remove(placement=placements(page)[0], user=user),
        "撤下《第一篇》",
    ),
    "move": (
        lambda page, user: services.placement_move(placement=placements(page)[0], user=user, step=1),
        "调整了稿件顺序",
    ),
    "reorder": (
        lambda page, user: services.page_reorder(
            page=page, user=user, order=[p.pk for p in reversed(placements(page))]
        ),
        "调整了稿件顺序",
    ),
    "lead": (
        lambda page, user: services.placement_mark_lead(placement=placements(page)[1], user=user),
        "头条改为《第二篇》",
    ),
    "jump": (
        lambda page, user: services.placement_set_jump(
            placement=placements(page)[0], user=user, continues_on=PageFactory(edition=page.edition, number=3)
        ),
        "《第一篇》下转改为第3版",
    ),
    "save": (
        lambda page, user: services.page_save_placements(
            page=page,
            user=user,
            rows=[
                services.Row(placement=p, article=p.article, is_lead=i == 1, continues_on=None)
                for i, p in enumerate(placements(page))
            ],
        ),
        "头条改为《第二篇》",
    ),
    "rename": (
        lambda page, user: services.page_update(page=page, user=user, changes={"name": "社会"}),
        "版名改为“社会”",
    ),
    "image": (
        lambda page, user: services.page_update(
            page=page,
            user=user,
            changes={"image": page_images.clean_page_upload(upload(jpeg_bytes(600, 800), "p.jpg"))},
        ),
        "更换了版面图",
    ),
}


@pytest.mark.parametrize("kind", sorted(CHANGES))
def test_any_change_to_a_proofread_page_sends_it_back_to_planning(editor, page, kind):
    change, said = CHANGES[kind]
    proofread(page, editor)
    version = Page.objects.get(pk=page.pk).version
    change(page, editor)
    page.refresh_from_db()
    assert page.state == Page.State.PLANNING
    assert page.version == version + 1 and page.changed_by == editor
    (event,) = replans(page)
    assert event.actor == editor and event.page == page
    assert "已校对 → 编排中" in event.note and said in event.note, event.note


@pytest.mark.parametrize("kind", sorted(CHANGES))
def test_a_change_to_a_planning_page_writes_no_history_line(editor, page, kind):
    change, _said = CHANGES[kind]
    change(page, editor)
    page.refresh_from_db()
    assert page.state == Page.State.PLANNING and replans(page) == []


def test_a_change_that_changes_nothing_keeps_the_page_proofread(editor, page):
    proofread(page, editor)
    services.placement_move(placement=placements(page)[0], user=editor, step=-1)  # already first
    services.page_update(page=page, user=editor, changes={"name": page.name})
    page.refresh_from_db()
    assert page.state == Page.State.PROOFREAD and replans(page) == []


def test_a_page_image_uploaded_through_the_form_sends_a_proofread_page_back(editor, page):
    proofread(page, editor)
    data = {"edition": page.edition_id, "number": page.number, "name": page.name, "editor": ""}
    data.update(unassigned_text="", banner_text="")
    form = page_images.PageImageForm(
        data, {"image": upload(jpeg_bytes(600, 800), "p.jpg")}, instance=page, user=editor
    )
    assert form.is_valid(), form.errors
    form.save()
    page.refresh_from_db()
    assert page.image and page.state == Page.State.PLANNING
    assert "更换了版面图" in replans(page)[0].note


def test_a_signed_off_page_refuses_an_image_or_a_rename(editor, page):
    proofread(page, editor)
    services.page_sign_off(page=page, user=editor)
    for changes in (
        {"name": "社会"},
        {"image": page_images.clean_page_upload(upload(jpeg_bytes(), "p.jpg"))},
    ):
        with pytest.raises(services.PageLocked, match="已签发，不能修改"):
            services.page_update(page=page, user=editor, changes=changes)
    page.refresh_from_db()
    assert page.name == "综合" and not page.image and page.state == Page.State.SIGNED_OFF


def test_sign_off_records_the_signer_and_reopen_clears_it(editor, chief, page):
    proofread(page, editor)
    page = services.page_sign_off(page=page, user=chief)
    assert page.signed_off_by == chief and page.signed_off_at is not None
    page = services.page_reopen(page=page, user=chief)
    assert page.signed_off_by is None and page.signed_off_at is None


# --- the page screen -----------------------------------------------------------------------------


def page_url(page):
    return reverse("admin:editions_page_change", args=[page.pk])


def form_data(response):
    """The page screen's form as the browser would submit it (inputs and selected options)."""
    import re

    html = response.content.decode()
    data = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'\sname="([^"]+)"', tag)
        if not name or 'type="submit"' in tag or 'type="file"' in tag:
            continue
        if 'type="checkbox"' in tag and "checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = value.group(1) if value else ("on" if 'type="checkbox"' in tag else "")
    for name, body in re.findall(r'<select[^>]*\sname="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        selected = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = selected.group(1) if selected else ""
    import html as htmllib

    return {k: htmllib.unescape(v) for k, v in data.items() if "__prefix__" not in k}


def test_page_screen_refuses_a_stale_save_naming_who_changed_what_and_keeps_the_form(
    editor_client, editor, page
):
    from tests.conftest import _user

    colleague = _user("editor2", "编辑")
    colleague.person.name = "林编辑"
    colleague.person.save()
    loaded = form_data(editor_client.get(page_url(page)))
    assert loaded["page_version"] == "1"

    # A colleague adds a story and takes the second one off meanwhile.
    services.placement_add(
        page=page, user=colleague, article=ArticleFactory(review=True, headline="同事加的稿")
    )
    services.placement_remove(placement=placements(page)[1], user=colleague)

    mine = dict(loaded, name="我改的版名", **{"placements-0-is_lead": "on"})
    response = editor_client.post(page_url(page), mine)
    assert response.status_code == 200
    html = response.content.decode()
    assert "第2版已被 林编辑 于" in html
    assert "新增《同事加的稿》、撤下《第二篇》" in html
    assert 'value="我改的版名"' in html  # the editor's own input is shown again
    page.refresh_from_db()
    assert page.name == "综合" and not Placement.objects.filter(page=page, is_lead=True).exists()

    # Saved again on purpose (the form now carries the current version), it goes through.
    again = form_data(response)
    assert again["page_version"] == str(page.version)
    response = editor_client.post(page_url(page), dict(again, _continue="1"))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.name == "我改的版名"
    # The editor's version wins, as the message said: their lead, and the story taken off is back.
    assert [(p.article.headline, p.is_lead) for p in placements(page)] == [
        ("第一篇", True),
        ("第二篇", False),
        ("同事加的稿", False),
    ]


def test_page_screen_saves_normally_when_nobody_else_changed_the_page(editor_client, editor, page):
    loaded = form_data(editor_client.get(page_url(page)))
    response = editor_client.post(page_url(page), dict(loaded, name="社会"))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.name == "社会" and page.version == 2


def test_proofread_page_saved_from_its_screen_goes_back_to_planning(editor_client, editor, page):
    proofread(page, editor)
    loaded = form_data(editor_client.get(page_url(page)))
    loaded["placements-1-is_lead"] = "on"
    assert editor_client.post(page_url(page), loaded).status_code == 302
    page.refresh_from_db()
    assert page.state == Page.State.PLANNING
    assert "头条改为《第二篇》" in replans(page)[0].note


def test_the_conflict_message_names_every_kind_of_change(editor, page):
    before = plans.snapshot(page)
    other = PageFactory(edition=page.edition, number=5)
    services.placement_set_jump(placement=placements(page)[0], user=editor, continues_on=other)
    services.placement_mark_lead(placement=placements(page)[1], user=editor)
    services.page_update(page=page, user=editor, changes={"name": "文体", "editor": editor})
    page.refresh_from_db()
    message = plans.conflict_message(page, before)
    assert message.startswith(f"第2版已被 {editor.person.name} 于 ")
    for said in (
        "版名改为“文体”",
        f"责任编辑改为{editor.person.name}",
        "头条改为《第二篇》",
        "《第一篇》下转改为第5版",
    ):
        assert said in message
