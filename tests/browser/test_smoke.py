"""The browser harness itself: Chromium renders the home page and the admin login."""

import pytest

from tests.browser.conftest import admin_login

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_renders_in_chromium(browser_page, settings):
    browser_page.goto(browser_page.base + "/")
    assert settings.NEWSROOM_PAPER_NAME in browser_page.title()
    assert browser_page.locator("html").get_attribute("lang") == "zh-Hans"


def test_admin_login_in_chromium(browser_page, editor):
    admin_login(browser_page, "editor1")
    assert "采编工作台" in browser_page.content()
