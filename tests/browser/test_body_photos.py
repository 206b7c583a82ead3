"""A reporter inserts a library photo into the body in real headless Chromium; the figure is stored and kept."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from articles.photos import services
from tests.articles.photos.test_files import jpeg_bytes, upload
from tests.browser.conftest import admin_login, screenshot
from tests.browser.test_workflow_flow import choose_autocomplete, type_body
from tests.factories import PersonFactory, SectionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def library_photo(user, caption, credit):
    """A photo in the library, ingested the way the upload page does it."""
    return services.photo_ingest(
        user=user,
        upload=upload(jpeg_bytes(1200, 800, metadata=False)),
        caption=caption,
        credit=PersonFactory(name=credit),
        alt_text=caption,
    )


def test_reporter_inserts_a_library_photo_into_the_body(browser_page):
    from tests.conftest import _user

    page = browser_page
    reporter = _user("reporter1", "记者")
    SectionFactory(name="要闻", slug="yaowen")
    library_photo(reporter, "茶园采茶忙。", "李摄影")
    dragon = library_photo(reporter, "安海镇龙舟赛现场。", "王摄影")
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    admin_login(page, "reporter1")
    page.goto(page.base + "/admin/articles/article/add/")
    page.fill("#id_headline", "龙舟赛今日开幕")
    type_body(page, "安海镇龙舟赛今日开幕。")

    # The library opens in a popup: search by caption, pick the row.
    with page.expect_popup() as popup_info:
        page.get_by_role("link", name="从图片库插入图片").click()
    popup = popup_info.value
    popup.wait_for_load_state()
    popup.fill("#searchbar", "龙舟")
    popup.press("#searchbar", "Enter")
    expect(popup.locator("#result_list tbody tr")).to_have_count(1)
    expect(popup.locator("img.photo-thumb")).to_have_count(1)
    with popup.expect_event("close"):
        popup.locator(f'a[data-popup-opener="{dragon.pk}"]').first.click()

    # The editor now shows the figure with the library's caption and credit.
    figure = page.locator(".prose-editor .ProseMirror[contenteditable=true] figure")
    expect(figure).to_have_count(1)
    expect(figure.locator("img")).to_have_attribute("data-file", str(dragon.pk))
    expect(figure.locator("figcaption")).to_have_text("安海镇龙舟赛现场。 · 记者 王摄影 摄")
    expect(page.locator(".body-photo-status")).to_contain_text("已插入图片")
    screenshot(page, "body-photo-1-inserted")

    choose_autocomplete(page, "id_section", "要闻")
    page.click("input[name=_continue]")
    expect(page.locator(".workflow-panel")).to_contain_text("草稿")
    article = Article.objects.get()
    assert "安海镇龙舟赛今日开幕。" in article.body
    assert f'<figure data-photo-id="{dragon.pk}"><img src="/media/' in article.body
    assert "srcset=" in article.body and "记者 王摄影 摄</figcaption>" in article.body

    # Loaded back into the editor, the stored figure survives the editor's parse and a second save.
    expect(page.locator(".prose-editor .ProseMirror[contenteditable=true] figure img")).to_have_attribute(
        "data-file", str(dragon.pk)
    )
    page.locator(".prose-editor .ProseMirror[contenteditable=true] p").first.click()
    page.keyboard.press("End")
    page.keyboard.type("观众逾万人。")
    page.click("input[name=_continue]")
    expect(page.locator(".workflow-panel")).to_contain_text("草稿")
    article.refresh_from_db()
    assert "观众逾万人。" in article.body
    assert article.body.count(f'<figure data-photo-id="{dragon.pk}">') == 1
    screenshot(page, "body-photo-2-saved")
    assert errors == []
