"""The import runs in the admin: editors read the list and, on a run, the unassigned text beside the page."""

import datetime as dt

import pytest
from django.urls import reverse

from editions.importer.load import PageInput, load_pages
from editions.importer.structure import BodyBlock, ParsedArticle, ParsedPage
from editions.models import ImportRun

pytestmark = pytest.mark.django_db

LIST_URL = reverse("admin:editions_importrun_changelist")


def import_page(number, *, unassigned=(), source=None):
    source = source or f"page{number}.txt"
    parsed = ParsedPage(
        source=source,
        page_number=number,
        banner=["报眉口号文字"],
        unassigned=list(unassigned),
        articles=[
            ParsedArticle(headline=f"第{number}版头条", body=[BodyBlock("paragraph", "正文。")], is_lead=True)
        ],
    )
    item = PageInput(source, f"{number:064d}", parsed, dt.date(2024, 12, 9), number, "要闻")
    [outcome] = load_pages([item], status="review")
    return outcome.run


def test_editor_lists_import_runs_with_file_encoding_outcome_and_unassigned(editor_client):
    import_page(1, unassigned=["一段<无处>安放的文字"])
    response = editor_client.get(LIST_URL)
    assert response.status_code == 200
    content = response.content.decode()
    for text in ("page1.txt", "utf-8", "已导入", "2024-12-09 第1版"):
        assert text in content
    assert response.context["cl"].result_list[0].unassigned_chars == 11


def test_list_costs_a_fixed_number_of_queries(editor_client, django_assert_max_num_queries):
    for number in range(1, 4):
        import_page(number)
    editor_client.get(LIST_URL)
    for number in range(4, 12):
        import_page(number)
    with django_assert_max_num_queries(12):
        response = editor_client.get(LIST_URL)
    assert "page11.txt" in response.content.decode()


def test_run_detail_shows_unassigned_text_beside_the_page_and_its_articles(editor_client):
    run = import_page(2, unassigned=["一段<无处>安放的文字"])
    response = editor_client.get(reverse("admin:editions_importrun_change", args=[run.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "一段&lt;无处&gt;安放的文字" in content
    assert "第2版头条" in content and "【头条】" in content and "报眉口号文字" in content
    # Read-only: no save button, and a POST changes nothing.
    assert 'name="_save"' not in content
    assert (
        editor_client.post(reverse("admin:editions_importrun_change", args=[run.pk]), {}).status_code == 403
    )


def test_reporters_cannot_see_import_runs(reporter_client):
    import_page(1)
    assert reporter_client.get(LIST_URL).status_code == 403


def test_nobody_adds_or_deletes_runs_by_hand(editor_client):
    run = import_page(1)
    # The add URL is the import screen (tests/editions/test_import_screen.py), not a form for a run.
    assert "pages-0-file" in editor_client.get(reverse("admin:editions_importrun_add")).content.decode()
    assert editor_client.get(reverse("admin:editions_importrun_delete", args=[run.pk])).status_code == 403
    assert ImportRun.objects.count() == 1
