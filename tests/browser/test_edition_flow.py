"""In headless Chromium: an editor assembles a two-page edition, signs it off, the chief editor releases it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from editions.models import Edition, Page
from tests.browser.conftest import admin_login, screenshot
from tests.factories import ArticleFactory, BylineFactory, EditionFactory, PageFactory, PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


def place(page, headline):
    """Pick a story in the page screen's empty row through the autocomplete, then save."""
    page.locator("tr.form-row:not(.has_original):not(.empty-form) .select2-selection").first.click()
    page.locator(".select2-search__field").fill(headline[:4])
    page.locator(".select2-results__option", has_text=headline).click()
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")


def test_editor_assembles_and_signs_off_chief_releases_reporter_cannot(
    new_browser_page, editor, chief, reporter
):
    yesterday = EditionFactory(date=timezone.localdate(), number=500)
    PageFactory(edition=yesterday, number=1, name="要闻")
    PageFactory(edition=yesterday, number=2, name="综合")
    stories = []
    for headline in ("晋江召开经济工作会议", "陈埭镇新建社区公园", "安海中学运动会开幕"):
        article = ArticleFactory(review=True, headline=headline)
        BylineFactory(article=article, person=PersonFactory(name="林记者"))
        stories.append(article)

    # The editor creates tomorrow's edition with the proposed number and copies yesterday's page plan.
    ed = new_browser_page()
    admin_login(ed, "editor1")
    ed.goto(ed.base + "/admin/editions/edition/add/")
    assert ed.input_value("#id_number") == "501"
    ed.click("input[name=_continue]")
    edition = Edition.objects.get(number=501)
    assert edition.date == timezone.localdate() + timedelta(days=1)
    ed.click("#copy-plan")
    ed.wait_for_selector("text=新增2个版面")

    # Page 1: two stories, the second made the lead by the ↑ button and the lead box; it continues on page 2.
    page1, page2 = edition.pages.get(number=1), edition.pages.get(number=2)
    ed.goto(ed.base + f"/admin/editions/page/{page1.pk}/change/")
    place(ed, stories[0].headline)
    place(ed, stories[1].headline)
    ed.locator(f"button[aria-label='上移 {stories[1].headline}']").click()
    ed.wait_for_selector(".messagelist")
    first_row = ed.locator("tr.form-row.has_original").first
    assert stories[1].headline in first_row.inner_text()
    first_row.locator("input[name$=is_lead]").check()
    first_row.locator("select[name$=continues_on]").select_option(label="下转2版（综合）")
    ed.click("input[name=_continue]")
    ed.wait_for_selector(".messagelist")
    assert "本报记者 林记者" in ed.content() and "待审" in ed.content()
    screenshot(ed, "edition-flow-page1")
    lead = page1.placements.get(is_lead=True)
    assert (lead.article, lead.position, lead.continues_on) == (stories[1], 1, page2)

    page1_chars = stories[0].char_count + stories[1].char_count
    assert ed.inner_text("#page-chars") == str(page1_chars)

    # Page 2 shows where the jump comes from. Proofread while still empty, a story placed on it sends it
    # back to 编排中 (named in the edition's history); then both pages are proofread and signed off.
    ed.goto(ed.base + f"/admin/editions/page/{page2.pk}/change/")
    assert "上接1版" in ed.content()
    ed.click("#page-proofread")
    ed.wait_for_selector("text=已校对；再做任何改动")
    place(ed, stories[2].headline)
    assert "版面状态：编排中" in ed.inner_text("#page-state")
    assert ed.inner_text("#page-chars") == str(stories[2].char_count)
    for page in (page1, page2):
        ed.goto(ed.base + f"/admin/editions/page/{page.pk}/change/")
        ed.click("#page-proofread")
        ed.click("#page-sign-off")
        ed.wait_for_selector("text=已签发，只读")
    assert set(edition.pages.values_list("state", flat=True)) == {Page.State.SIGNED_OFF}
    ed.goto(ed.base + f"/admin/editions/edition/{edition.pk}/change/")
    assert "只有值班主任可以签发出版" in ed.content()
    total = page1_chars + stories[2].char_count
    assert f"本期见报稿件共 {total} 字" in ed.inner_text("#edition-chars")
    history = ed.inner_text(".edition-history")
    assert "改动后退回编排" in history and f"新增《{stories[2].headline}》" in history
    assert "editor1的署名" in history and "\teditor1\t" not in history
    assert ed.locator("#release-edition").count() == 0
    screenshot(ed, "edition-flow-editor")

    # A reporter sees no release button and a forged POST is refused.
    rep = new_browser_page()
    admin_login(rep, "reporter1")
    response = rep.goto(rep.base + f"/admin/editions/edition/{edition.pk}/change/")
    assert response.status == 403
    token = next(c["value"] for c in rep.context.cookies() if c["name"] == "csrftoken")
    forged = rep.request.post(
        rep.base + f"/admin/editions/edition/{edition.pk}/release/",
        form={"mode": "now", "csrfmiddlewaretoken": token},
        headers={"X-CSRFToken": token, "Referer": rep.base + "/admin/"},
    )
    assert forged.status == 403
    edition.refresh_from_db()
    assert edition.status == Edition.Status.PLANNING
    assert not Article.objects.published().exists()

    # The chief editor releases it now.
    boss = new_browser_page()
    admin_login(boss, "chief1")
    boss.goto(boss.base + f"/admin/editions/edition/{edition.pk}/change/")
    assert "所有版面均已签发" in boss.content()
    boss.check("input[name=mode][value=now]")
    boss.click("#release-edition")
    boss.wait_for_selector("text=已出版")
    screenshot(boss, "edition-flow-released")
    edition.refresh_from_db()
    assert edition.is_released
    assert Article.objects.published().count() == 3
    assert {a.published_at for a in Article.objects.all()} == {edition.released_at}
