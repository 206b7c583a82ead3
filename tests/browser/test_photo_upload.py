"""The photo library's upload page in real headless Chromium: one file per request, each with its own result.

nginx refuses a request over NEWSROOM_MAX_UPLOAD_BYTES (client_max_body_size), so a batch is sent a file at a
time: here three photos whose total passes the limit all arrive, a refused file says why in Chinese, and
the renditions wait for the worker.
"""

import pytest
from playwright.sync_api import expect

from articles.models import Photo
from tests.articles.photos.test_files import jpeg_bytes
from tests.browser.conftest import admin_login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_batch_is_sent_one_file_per_request_with_a_result_for_each(browser_page, settings):
    from tests.conftest import _user

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    photos = [jpeg_bytes(1600, 1200, metadata=False) for _ in range(3)]
    # Each photo fits under the per-request limit; the three together do not.
    settings.NEWSROOM_MAX_UPLOAD_BYTES = max(len(p) for p in photos) + 64 * 1024
    assert sum(len(p) for p in photos) > settings.NEWSROOM_MAX_UPLOAD_BYTES

    page = browser_page
    _user("reporter1", "记者")
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # A refused file is a 400 the browser logs as a failed load; any other console error is a script's.
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    posts = []
    page.on(
        "request", lambda r: posts.append(r) if r.method == "POST" and "/photo/upload/" in r.url else None
    )

    admin_login(page, "reporter1")
    page.goto(page.base + "/admin/articles/photo/upload/")
    files = [
        {"name": f"龙舟{n}.jpg", "mimeType": "image/jpeg", "buffer": data} for n, data in enumerate(photos, 1)
    ]
    files.append({"name": "说明.jpg", "mimeType": "image/jpeg", "buffer": "不是图片".encode() * 100})
    page.set_input_files("input[name=images]", files)
    page.fill("#id_caption", "安海镇龙舟赛。")
    page.click("input[type=submit]")

    rows = page.locator("#photo-upload-progress li")
    expect(rows).to_have_count(4)
    expect(page.locator("#photo-upload-summary")).to_contain_text("已上传 3 张，1 张未上传")
    for n in range(3):
        expect(rows.nth(n)).to_contain_text("已上传，各尺寸图片正在后台生成")
    expect(rows.nth(3)).to_contain_text("“说明.jpg”")
    screenshot(page, "photo-upload-one-by-one")

    assert len(posts) == 4
    sizes = [int(r.all_headers()["content-length"]) for r in posts]
    assert all(size < settings.NEWSROOM_MAX_UPLOAD_BYTES for size in sizes), sizes
    assert Photo.objects.count() == 3
    assert set(Photo.objects.values_list("caption", "renditions_state")) == {("安海镇龙舟赛。", "pending")}
    assert not errors, errors

    # The library lists them as being made, with no broken thumbnails.
    page.get_by_role("link", name="返回图片库").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(3)
    expect(page.locator("#result_list .photo-state-pending")).to_have_count(3)
