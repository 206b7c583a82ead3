"""In headless Chromium: an editor imports a training page, fixes a line the parser left unplaced, confirms."""

from pathlib import Path

import pytest

from articles.models import Article
from editions.models import Edition, ImportRun
from tests.browser.conftest import admin_login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

TRAINING_PAGE = Path(__file__).resolve().parents[2] / "fixtures" / "pages" / "01_briefs.txt"
# A credit line for the page's photos, printed at the foot: the parser cannot place it.
STRAY = "本版图片均由县融媒体中心提供"


def test_editor_imports_a_page_marks_a_stray_line_as_furniture_and_confirms(
    new_browser_page, editor, tmp_path
):
    upload = tmp_path / "01_briefs.txt"
    upload.write_bytes(TRAINING_PAGE.read_bytes() + f"\n\n{STRAY}\n".encode())

    ed = new_browser_page()
    admin_login(ed, "editor1")
    ed.goto(ed.base + "/admin/editions/importrun/")
    ed.click("#import-pages")
    ed.fill("#id_date", "2025-03-18")
    ed.set_input_files("#id_pages-0-file", str(upload))
    ed.fill("#id_pages-0-page_number", "3")
    ed.fill("#id_pages-0-page_name", "综合新闻")
    ed.click("#import-preview")

    # The dry run beside the text: the stray line is highlighted on both sides; nothing is written yet.
    ed.wait_for_selector("#page-text")
    assert ed.locator("#page-text li.unassigned", has_text=STRAY).count() == 1
    assert STRAY in ed.inner_text("#unassigned")
    assert "上官青禾" in ed.inner_text("#article-0") and "孔洁" in ed.inner_text("#article-0")
    assert not ImportRun.objects.exists() and not Edition.objects.exists()

    block = ed.locator("#u-0")
    block.locator("select[name=kind]").select_option("furniture")
    block.locator("button", has_text="标为").click()
    ed.wait_for_selector(".messagelist")
    assert ed.locator("#unassigned").count() == 0
    assert STRAY in ed.inner_text("#banner")
    assert ed.inner_text("#unassigned-chars") == "0"
    screenshot(ed, "import-screen")

    ed.select_option("#id_status", "review")
    ed.click("#import-confirm button[value=confirm]")
    ed.wait_for_selector("#import-review")
    run = ImportRun.objects.get()
    assert f"/admin/editions/importrun/{run.pk}/change/" in ed.url
    assert run.unassigned_chars == 0 and run.user == editor
    page = Edition.objects.get(date="2025-03-18").pages.get(number=3)
    assert STRAY in page.banner_text and page.name == "综合新闻"
    assert Article.objects.filter(status="review").count() == 7
    assert "溪口镇建成全县首个" in ed.inner_text("#page-articles")
