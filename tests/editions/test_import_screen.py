"""The import screen: upload → dry run beside the text → corrections → confirm runs the load."""

import logging
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article
from editions.admin.import_screen import SESSION_KEY
from editions.importer import corrections
from editions.importer.structure import BodyBlock, ParsedArticle, ParsedPage, accounted_text
from editions.models import Edition, ImportRun

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:editions_importrun_add")
PAGE_TEXT = (Path(__file__).resolve().parents[2] / "fixtures" / "pages" / "01_briefs.txt").read_bytes()


def upload(client, *files, date="2025-03-18"):
    data = {"date": date, "pages-TOTAL_FORMS": "3", "pages-INITIAL_FORMS": "0"}
    for i, (name, content, number) in enumerate(files):
        data[f"pages-{i}-file"] = SimpleUploadedFile(name, content, "text/plain")
        data[f"pages-{i}-page_number"] = str(number)
        data[f"pages-{i}-page_name"] = "综合新闻"
    return client.post(ADD_URL, data)


def preview_url(response):
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def stored(client):
    [run] = client.session[SESSION_KEY].values()
    return corrections.page_from_dict(run["pages"][0]["parsed"])


def test_reporter_gets_403_logged(reporter_client, caplog):
    with caplog.at_level(logging.WARNING, logger="newsroom.security"):
        assert reporter_client.get(ADD_URL).status_code == 403
    assert any(r.name == "newsroom.security" for r in caplog.records)


@pytest.mark.parametrize("who", ["editor_client", "chief_client"])
def test_editor_and_chief_see_the_upload_form(request, who):
    response = request.getfixturevalue(who).get(ADD_URL)
    assert response.status_code == 200
    assert 'name="pages-0-file"' in response.content.decode()


def test_upload_shows_the_dry_run_beside_the_text_and_writes_nothing(editor_client):
    url = preview_url(upload(editor_client, ("01_briefs.txt", PAGE_TEXT, 3)))
    response = editor_client.get(url)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="page-text"' in content and "溪口镇建成全县首个" in content
    assert "上官青禾" in content and "通讯员 孔洁" in content  # bylines with roles
    assert "责任编辑" in content  # a banner line
    assert "试运行" in content
    assert not Edition.objects.exists() and not ImportRun.objects.exists() and not Article.objects.exists()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "空"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "NUL"),
        ("只有几个字".encode(), "汉字"),
        (b"\xff\xfe\xfa" * 40, "编码"),
        (b"x" * (1024 * 1024 + 1), "文件过大"),
    ],
)
def test_bad_files_are_refused_naming_the_file_and_nothing_is_stored(editor_client, content, reason):
    response = upload(editor_client, ("bad.txt", content, 3))
    assert response.status_code == 200
    text = response.content.decode()
    assert "bad.txt" in text and reason in text
    assert SESSION_KEY not in editor_client.session
    assert not ImportRun.objects.exists()


def test_no_file_at_all_is_refused(editor_client):
    response = editor_client.post(
        ADD_URL, {"date": "2025-03-18", "pages-TOTAL_FORMS": "3", "pages-INITIAL_FORMS": "0"}
    )
    assert "请至少选择一个版面文字文件" in response.content.decode()


def test_several_files_each_with_its_page_number(editor_client):
    url = preview_url(upload(editor_client, ("a.txt", PAGE_TEXT, 3), ("b.txt", PAGE_TEXT, 4)))
    [run] = editor_client.session[SESSION_KEY].values()
    assert [p["page_number"] for p in run["pages"]] == [3, 4]
    assert "b.txt" in editor_client.get(url + "?p=1").content.decode()


def fix(client, url, **data):
    response = client.post(url, {"p": "0", **data})
    assert response.status_code == 302
    return stored(client)


def test_each_correction_is_a_post_on_the_held_structure(editor_client):
    url = preview_url(upload(editor_client, ("01_briefs.txt", PAGE_TEXT, 3)))
    page = stored(editor_client)
    before = sorted("".join(accounted_text(page).split()))
    first_body = page.articles[0].body[0].text

    page = fix(editor_client, url, action="mark", ref="a:0:body:0", kind="furniture")
    assert first_body in page.banner
    page = fix(editor_client, url, action="new_story", ref=f"b:{len(page.banner) - 1}", as_headline="1")
    assert page.articles[-1].headline == first_body
    count = len(page.articles)
    kept = len(page.articles[count - 2].body)
    page = fix(editor_client, url, action="merge", article=str(count - 2))
    assert len(page.articles) == count - 1
    assert (page.articles[-1].body[kept].type, page.articles[-1].body[kept].text) == ("subhead", first_body)
    page = fix(editor_client, url, action="split", article=str(count - 2), block=str(kept))
    assert len(page.articles) == count and page.articles[-1].headline == ""
    page = fix(editor_client, url, action="mark", ref=f"a:{count - 1}:body:0", kind="headline")
    assert page.articles[-1].headline == first_body
    assert sorted("".join(accounted_text(page).split())) == before  # nothing lost

    response = editor_client.post(url, {"p": "0", "action": "mark", "ref": "a:0:body:0", "kind": "byline"})
    assert "不像署名" in editor_client.get(response["Location"]).content.decode()
    page = fix(editor_client, url, action="reset")
    assert first_body == page.articles[0].body[0].text


def test_unassigned_block_goes_into_a_story_or_becomes_one():
    page = ParsedPage(
        unassigned=["一段没有\n归属的文字", "记者 王　军"],
        articles=[ParsedArticle(headline="主题", body=[BodyBlock("paragraph", "正文。")])],
    )
    moved = corrections.mark(page, "u:0", "paragraph", 0)
    assert moved.articles[0].body[-1].text == "一段没有归属的文字" and page.unassigned[0].startswith("一段")
    credited = corrections.mark(moved, "u:0", "byline", "0")
    assert [(b.name, b.role) for b in credited.articles[0].bylines] == [("王军", "记者")]
    assert credited.unassigned == []
    story = corrections.new_story(page, "u:0")
    assert story.articles[1].body[0].text == "一段没有归属的文字"
    with pytest.raises(corrections.CorrectionError):
        corrections.mark(page, "u:0", "headline")  # no story chosen
    with pytest.raises(corrections.CorrectionError):
        corrections.merge(page, 0)  # nothing after it


def test_confirm_loads_the_corrected_page_and_shows_the_run(editor_client):
    url = preview_url(upload(editor_client, ("01_briefs.txt", PAGE_TEXT, 3)))
    page = fix(editor_client, url, action="mark", ref="a:0:body:0", kind="furniture")
    response = editor_client.post(url, {"p": "0", "action": "confirm", "status": "review"})
    run = ImportRun.objects.get()
    assert response["Location"] == reverse("admin:editions_importrun_change", args=[run.pk])
    assert run.user.username == "editor1" and run.outcome == ImportRun.Outcome.IMPORTED
    edition = Edition.objects.get(date="2025-03-18")
    assert edition.pages.get(number=3).name == "综合新闻"
    assert Article.objects.count() == len(page.articles)
    assert set(Article.objects.values_list("status", flat=True)) == {"review"}
    assert page.banner[-1] in edition.pages.get(number=3).banner_text
    assert SESSION_KEY not in editor_client.session or not editor_client.session[SESSION_KEY]
    assert "已导入" in editor_client.get(response["Location"]).content.decode()


def test_only_the_publish_and_release_right_imports_as_published(editor_client, chief, client):
    url = preview_url(upload(editor_client, ("01_briefs.txt", PAGE_TEXT, 3)))
    response = editor_client.post(url, {"p": "0", "action": "confirm", "status": "published"})
    assert response.status_code == 200 and not ImportRun.objects.exists()
    assert "须有发布稿件和签发整期的权限" in response.content.decode()
    client.force_login(chief)
    url = preview_url(upload(client, ("01_briefs.txt", PAGE_TEXT, 3)))
    client.post(url, {"p": "0", "action": "confirm", "status": "published"})
    assert set(Article.objects.values_list("status", flat=True)) == {"published"}
    assert Edition.objects.get().status == "published"


def test_refused_load_writes_nothing_and_says_why(editor_client):
    url = preview_url(upload(editor_client, ("01_briefs.txt", PAGE_TEXT, 3)))
    editor_client.post(url, {"p": "0", "action": "confirm", "status": "review"})
    url = preview_url(upload(editor_client, ("other.txt", PAGE_TEXT, 3)))
    fix(editor_client, url, action="mark", ref="a:0:body:0", kind="furniture")  # not the same content
    response = editor_client.post(url, {"p": "0", "action": "confirm", "status": "review"}, follow=True)
    assert "导入被拒绝，未写入任何内容" in response.content.decode()
    assert ImportRun.objects.count() == 1


def test_import_log_links_to_the_import_screen_for_editors_only(editor_client, django_user_model):
    assert (
        'id="import-pages"'
        in editor_client.get(reverse("admin:editions_importrun_changelist")).content.decode()
    )
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(*Permission.objects.filter(codename="view_importrun"))
    editor_client.force_login(viewer)
    page = editor_client.get(reverse("admin:editions_importrun_changelist"))
    assert page.status_code == 200 and 'id="import-pages"' not in page.content.decode()


def test_unassigned_text_is_highlighted_in_the_page_text_and_the_parse(editor_client):
    stray = "本版图片均由县融媒体中心提供"
    url = preview_url(upload(editor_client, ("01_briefs.txt", PAGE_TEXT + f"\n\n{stray}\n".encode(), 3)))
    content = editor_client.get(url).content.decode()
    assert f'class="unassigned">{stray}</li>' in content
    assert 'id="u-0"' in content and stray in content.split('id="unassigned"')[1]
    page = fix(editor_client, url, action="assign", ref="u:0", article="6")
    assert page.unassigned == [] and page.articles[6].body[-1].text == stray


def test_a_gb18030_page_is_read_and_its_encoding_shown(editor_client):
    gb = PAGE_TEXT.decode("utf-8").encode("gb18030")
    url = preview_url(upload(editor_client, ("gb.txt", gb, 3)))
    content = editor_client.get(url).content.decode()
    assert "编码 gb18030" in content and "上官青禾" in content
