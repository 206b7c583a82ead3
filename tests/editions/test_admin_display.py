"""What the edition admin shows: 字数 per page and edition, real names, Beijing time, a quiet lead column;
and a 待定 placeholder page never reaches readers."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from editions import services
from editions.models import EditionEvent, ImportRun, Page
from tests.factories import ArticleFactory, EditionFactory, PageFactory, PlacementFactory

pytestmark = pytest.mark.django_db


def story(chars, **kwargs):
    return ArticleFactory(published=True, body=f"<p>{'字' * chars}</p>", **kwargs)


@pytest.fixture
def edition(db):
    edition = EditionFactory()
    one = PageFactory(edition=edition, number=1, name="要闻")
    two = PageFactory(edition=edition, number=2, name="综合")
    PlacementFactory(page=one, article=story(120), position=1, is_lead=True)
    PlacementFactory(page=one, article=story(30), position=2)
    PlacementFactory(page=two, article=story(7), position=1)
    return edition


def cell(html, name):
    """The texts of the inline cells of one column (whitespace dropped)."""
    import re

    return [
        re.sub(r"<[^>]+>|\s", "", c) for c in re.findall(rf'<td class="field-{name}">(.*?)</td>', html, re.S)
    ]


def test_char_counts_per_page_and_edition_in_the_edition_screens(editor_client, edition):
    one = edition.pages.get(number=1)
    html = editor_client.get(reverse("admin:editions_edition_change", args=[edition.pk])).content.decode()
    assert cell(html, "chars")[:2] == ["150", "7"]
    assert "本期见报稿件共 <strong>157</strong> 字" in html
    html = editor_client.get(reverse("admin:editions_page_change", args=[one.pk])).content.decode()
    assert '本版字数：<span id="page-chars">150</span>' in html
    assert cell(html, "chars")[:2] == ["120", "30"]  # each story's 字数
    html = editor_client.get(reverse("admin:editions_edition_changelist")).content.decode()
    assert cell(html, "chars") == ["157"]


def test_edition_changelist_counts_without_a_query_per_row(editor_client, edition):
    url = reverse("admin:editions_edition_changelist")
    editor_client.get(url)
    with CaptureQueriesContext(connection) as few:
        editor_client.get(url)
    for n in range(5):
        other = EditionFactory()
        PlacementFactory(page=PageFactory(edition=other, number=1), article=story(n + 1))
    with CaptureQueriesContext(connection) as many:
        editor_client.get(url)
    assert len(many) == len(few)


def test_people_are_shown_by_their_real_names(editor_client, editor, chief, edition):
    one = edition.pages.get(number=1)
    Page.objects.filter(pk=one.pk).update(editor=editor)
    services.page_proofread(page=one, user=chief)
    services.page_sign_off(page=one, user=chief)
    edition_html = editor_client.get(
        reverse("admin:editions_edition_change", args=[edition.pk])
    ).content.decode()
    page_html = editor_client.get(reverse("admin:editions_page_change", args=[one.pk])).content.decode()
    page_list = editor_client.get(reverse("admin:editions_page_changelist")).content.decode()
    events = editor_client.get(reverse("admin:editions_editionevent_changelist")).content.decode()
    assert f"<td>{chief.person.name}</td>" in edition_html  # history
    assert f'<option value="{editor.pk}" selected>{editor.person.name}</option>' in edition_html
    assert f"责任编辑：{editor.person.name}" in page_html and f"签发人：{chief.person.name}" in page_html
    assert editor.person.name in page_list and chief.person.name in events
    for html in (edition_html, page_html, page_list, events):
        for login in ("editor1", "chief1"):
            for around in (f">{login}<", f"：{login}<", f"<td>{login}</td>", f">{login}</a>"):
                assert around not in html, (around, html[html.find(around) - 300 : html.find(around) + 50])


def test_released_edition_names_its_signer(editor_client, chief):
    edition = EditionFactory(released=True, released_by=chief)
    html = editor_client.get(reverse("admin:editions_edition_change", args=[edition.pk])).content.decode()
    assert f"签发人：{chief.person.name}。" in html
    html = editor_client.get(reverse("admin:editions_edition_changelist")).content.decode()
    assert chief.person.name in html


def test_signed_off_page_shows_the_lead_as_text_and_nothing_for_other_stories(editor_client, editor, edition):
    one = edition.pages.get(number=1)
    services.page_proofread(page=one, user=editor)
    services.page_sign_off(page=one, user=editor)
    html = editor_client.get(reverse("admin:editions_page_change", args=[one.pk])).content.decode()
    assert cell(html, "lead") == ["头条", ""]
    assert "icon-no" not in html and "icon-yes" not in html


def test_import_record_shows_beijing_time(editor_client, editor):
    when = dt.datetime(2024, 12, 8, 23, 30, tzinfo=dt.UTC)  # 07:30 on the 9th in Beijing
    run = ImportRun.objects.create(
        source="a.txt", sha256="0" * 64, outcome="imported", created_at=when, user=editor
    )
    assert str(run) == "a.txt（2024-12-09 07:30）"
    html = editor_client.get(reverse("admin:editions_importrun_change", args=[run.pk])).content.decode()
    assert "2024-12-09 07:30" in html or "2024年12月9日 07:30" in html
    assert "23:30" not in html
    assert editor.person.name in html


# --- a 待定 placeholder page is never shown to readers ---------------------------------------------


def test_placeholder_page_is_hidden_from_readers(client):
    edition = EditionFactory(released=True, date=timezone.localdate() - dt.timedelta(days=1))
    one = PageFactory(edition=edition, number=1, name="要闻")
    placeholder = PageFactory(edition=edition, number=2, name=Page.PLACEHOLDER_NAME)
    three = PageFactory(edition=edition, number=3, name="文体")
    lead = PlacementFactory(page=one, position=1, is_lead=True, continues_on=placeholder)
    PlacementFactory(page=three, position=1)
    html = client.get(one.get_absolute_url()).content.decode()
    assert "待定" not in html and "下转2版" not in html
    assert three.get_absolute_url() in html
    assert client.get(placeholder.get_absolute_url()).status_code == 404
    article_html = client.get(lead.article.get_absolute_url()).content.decode()
    assert "待定" not in article_html and "下转2版" not in article_html
    home = client.get("/").content.decode()
    assert "待定" not in home


def test_placeholder_page_blocks_a_release_from_the_admin(chief):
    edition = EditionFactory()
    PageFactory(edition=edition, number=2, name=Page.PLACEHOLDER_NAME)
    messages, _ = services.release_problems(edition)
    assert any("“待定”版面" in m for m in messages)


def test_import_release_records_the_signer_event_for_each_page(chief):
    from editions.importer.load import PageInput, load_pages
    from editions.importer.parse import parse_page

    text = "本报记者 张三\n晋江举行测试大会\n正文第一段。"
    parsed = parse_page(text, source="p3.txt", encoding="utf-8", page_number=3)
    load_pages(
        [PageInput("p3.txt", "1" * 64, parsed, dt.date(2024, 12, 9), 3, "文体")],
        status="published",
        user=chief,
    )
    page = Page.objects.get(number=3)
    assert page.state == Page.State.SIGNED_OFF and page.signed_off_by == chief
    assert EditionEvent.objects.filter(page=page, action=EditionEvent.Action.SIGN_OFF, actor=chief).exists()
