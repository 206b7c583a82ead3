"""import_pages via call_command: dry-run JSON, the summary, the manifest, and refusals of bad input."""

import codecs
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Person
from editions.models import Edition, ImportRun, Page

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seeds" / "000_0566e1bba8b8effc.txt"

PAGE = """本报记者 王小明

昨日，晋江市举行冬季运动会，来自全市的两千多名
运动员参加比赛。

冬季运动会开幕
"""


def run(*args):
    out = StringIO()
    call_command("import_pages", *[str(a) for a in args], stdout=out)
    return out.getvalue()


@pytest.fixture
def page_file(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text(PAGE, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_dry_run_json_prints_the_parse_and_touches_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        output = run(SEED, "--dry-run", "--json", "--page", "3")
    data = json.loads(output)
    assert list(data) == ["pages"]
    [page] = data["pages"]
    assert page["source"] == SEED.name and page["encoding"] == "utf-8" and page["page_number"] == 3
    for key in ("banner", "unassigned", "articles"):
        assert key in page
    lead = next(a for a in page["articles"] if a["headline"] == "“芯”晋江“核”动能")
    assert lead["continued_to_page"] == 2 and lead["continued_from_page"] is None
    assert {"name": "柯国笠", "role": "记者"} in lead["bylines"]
    assert {"type": "subhead", "text": "百亿“芯”曲线"} in lead["body"]


def test_dry_run_without_json_needs_no_database_at_all(page_file):
    # No django_db mark: pytest-django makes any database access here an error.
    output = run(page_file, "--dry-run")
    assert "page.txt" in output and "编码 utf-8" in output and "未归属" in output and "试运行" in output


@pytest.mark.django_db
def test_import_names_encoding_articles_unassigned_and_outcome(page_file):
    output = run(page_file, "--date", "2024-12-10", "--page", "2", "--page-name", "综合")
    assert "page.txt（第2版）" in output and "编码 utf-8" in output
    assert "稿件 1 篇" in output and "未归属 0 字" in output and "已导入" in output
    article = Article.objects.get()
    assert article.headline == "冬季运动会开幕" and article.status == Article.Status.REVIEW
    assert Page.objects.get().name == "综合"
    assert "未变化" in run(page_file, "--date", "2024-12-10", "--page", "2")


@pytest.mark.django_db
def test_several_files_are_consecutive_pages_with_the_user_recorded(tmp_path, editor):
    files = []
    for n in range(3):
        path = tmp_path / f"p{n}.txt"
        path.write_text(PAGE.replace("冬季运动会开幕", f"第{n}条新闻标题"), encoding="utf-8")
        files.append(path)
    run(*files, "--date", "2024-12-10", "--page", "4", "--status", "draft", "--user", editor.username)
    assert list(Page.objects.values_list("number", flat=True)) == [4, 5, 6]
    assert set(ImportRun.objects.values_list("user__username", flat=True)) == {editor.username}
    assert Person.objects.filter(name="王小明").count() == 1


@pytest.mark.django_db
def test_gb18030_and_bom_are_recognised_and_reported(tmp_path):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(PAGE.replace("\n", "\r\n").encode("gb18030"))
    bom = tmp_path / "bom.txt"
    bom.write_bytes(
        codecs.BOM_UTF8 + PAGE.replace("冬季运动会开幕", "另一条标题新闻").replace("\n", "\r").encode()
    )
    output = run(gbk, bom, "--date", "2024-12-10")
    assert "gbk.txt（第1版）：编码 gb18030" in output
    assert "bom.txt（第2版）：编码 utf-8-sig" in output
    assert Article.objects.filter(headline="冬季运动会开幕").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "文件是空的"),
        (b"   \n\n", "文件是空的"),
        ("标题\n正文\x00更多".encode(), "第2行"),
        (bytes(range(256)) * 8, "NUL"),
        (bytes(range(1, 256)) * 8, "bad.txt"),
        (b"\xff\xfe\x00\x00\x80\x81\x82", "NUL"),
        ("乱码".encode() + b"\n\x80\xfe\xff\xfe\x80", "GB18030"),
    ],
)
def test_bad_files_are_refused_naming_the_file_and_nothing_is_written(tmp_path, page_file, content, expected):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    with pytest.raises(CommandError) as refused:
        run(page_file, bad, "--date", "2024-12-10")
    message = str(refused.value)
    assert "bad.txt" in message and expected in message and "未写入任何内容" in message
    assert not Edition.objects.exists() and not Article.objects.exists() and not ImportRun.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--date", "2024-13-01"], "2024-13-01"),
        (["--date", "9.12.2024"], "YYYY-MM-DD"),
        ([], "--date"),
        (["--date", "2024-12-10", "--page", "0"], "版次"),
        (["--date", "2024-12-10", "--page", "-3"], "版次"),
        (["--date", "2024-12-10", "--page", "1000"], "版次"),
        (["--date", "2024-12-10", "--user", "nobody"], "nobody"),
    ],
)
def test_bad_arguments_are_refused(page_file, args, expected):
    with pytest.raises(CommandError, match=expected):
        run(page_file, *args)
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_missing_file_is_refused_and_the_good_one_not_written(tmp_path, page_file):
    with pytest.raises(CommandError, match="missing.txt：找不到文件"):
        run(page_file, tmp_path / "missing.txt", "--date", "2024-12-10")
    assert not Edition.objects.exists()


@pytest.mark.django_db
def test_the_last_of_several_files_may_not_pass_page_999(tmp_path, page_file):
    with pytest.raises(CommandError, match="1000"):
        run(page_file, page_file, "--date", "2024-12-10", "--page", "999")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("manifest", "expected"),
    [
        ("{not json", "第1行"),
        ('{"paper": "晋江经济报"}', "pages"),
        ('{"pages": [{"file": "page.txt", "page": 1}]}', "缺少 date"),
        ('{"pages": [{"file": "page.txt", "date": "2024-12-10", "page": "一"}]}', "版次"),
        ('{"pages": [{"file": "nope.txt", "date": "2024-12-10", "page": 1}]}', "找不到文件"),
    ],
)
def test_bad_manifests_are_refused(tmp_path, page_file, manifest, expected):
    path = tmp_path / "manifest.json"
    path.write_text(manifest, encoding="utf-8")
    with pytest.raises(CommandError, match=expected):
        run("--manifest", path)
    assert not Edition.objects.exists()


@pytest.mark.django_db
def test_refusal_of_edited_articles_names_them_and_force_overrides(tmp_path, page_file):
    run(page_file, "--date", "2024-12-10")
    Article.objects.update(version=9)
    page_file.write_text(PAGE.replace("两千多名", "三千多名"), encoding="utf-8")
    with pytest.raises(CommandError, match="《冬季运动会开幕》"):
        run(page_file, "--date", "2024-12-10")
    assert "两千" in Article.objects.get().body
    assert "已替换" in run(page_file, "--date", "2024-12-10", "--force")
    assert "三千" in Article.objects.get().body
