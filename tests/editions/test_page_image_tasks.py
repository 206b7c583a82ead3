"""The page-image task path with the real database backend and a real db_worker run.

Uploading a page PDF only checks and stores it; the worker renders it into the page image and its WebP twin.
The e-paper shows a placeholder (or the page's previous image) until then and never renders anything itself;
a PDF that cannot be rendered leaves a Chinese reason on the page's admin screen.
"""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.photos import sized
from editions.models import Edition, Page
from tests.articles.photos.test_files import jpeg_bytes, media_files, pdf_bytes, upload
from tests.factories import EditionFactory, PageFactory

pytestmark = pytest.mark.django_db(transaction=True)

RENDER = "editions.page_images.render_page_image"
TWIN = "articles.photos.tasks.make_webp_twin"


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_worker():
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0", verbosity=0)


def released_page(**kwargs):
    edition = EditionFactory()
    page = PageFactory(edition=edition, number=1, name="要闻", **kwargs)
    return page


def release(page):
    Edition.objects.filter(pk=page.edition_id).update(
        status="published", released_at=timezone.now() - timedelta(hours=1)
    )


def post_page_file(client, page, data, name):
    return client.post(
        reverse("admin:editions_page_change", args=[page.pk]),
        {
            "number": page.number,
            "name": page.name,
            "editor": "",
            "image": upload(data, name, "application/pdf"),
            "placements-TOTAL_FORMS": "0",
            "placements-INITIAL_FORMS": "0",
            "placements-MIN_NUM_FORMS": "0",
            "placements-MAX_NUM_FORMS": "1000",
        },
    )


def test_pdf_upload_is_stored_and_enqueued_not_rendered(editor_client):
    page = released_page()
    before = media_files()
    response = post_page_file(editor_client, page, pdf_bytes(), "A01-要闻.pdf")
    assert response.status_code == 302, response.content.decode()[:3000]
    page.refresh_from_db()
    assert not page.image
    assert page.image_state == Page.ImageState.PENDING
    assert page.image_source.name.startswith("pages/sources/") and page.image_source.name.endswith(".pdf")
    assert "A01" not in page.image_source.name
    # The request wrote the PDF and nothing else.
    assert media_files() - before == {page.image_source.name}
    queued = DBTaskResult.objects.get()
    assert (queued.task_path, queued.status) == (RENDER, "READY")
    screen = editor_client.get(reverse("admin:editions_page_change", args=[page.pk])).content.decode()
    assert "正在后台转换为版面图" in screen


def test_epaper_shows_a_placeholder_then_the_rendered_page(client, editor_client):
    page = released_page()
    post_page_file(editor_client, page, pdf_bytes(size=(842, 1191)), "A01.pdf")
    release(page)
    files = media_files()
    html = client.get(page.get_absolute_url()).content.decode()
    assert "版面图生成中" in html and "<picture>" not in html
    assert media_files() == files  # the reader's request rendered nothing

    run_worker()

    page.refresh_from_db()
    assert page.image_state == Page.ImageState.READY and page.image_error == ""
    width, height = sized.size_from_name(page.image.name)
    assert 1750 <= width <= 1760 and abs(height / width - 1191 / 842) < 0.01
    assert default_storage.exists(page.image.name)
    assert default_storage.exists(sized.webp_name(page.image.name))
    assert DBTaskResult.objects.get(task_path=RENDER).status == "SUCCESSFUL"
    # The page's save purged the cached e-paper page.
    html = client.get(page.get_absolute_url()).content.decode()
    assert "版面图生成中" not in html
    assert page.image.url in html and sized.webp_name(page.image.url) in html
    assert f'width="{width}" height="{height}"' in html


def test_a_page_keeps_its_previous_image_while_the_new_pdf_renders(client, editor_client):
    page = released_page()
    post_page_file(editor_client, page, pdf_bytes(), "A01.pdf")
    run_worker()
    page.refresh_from_db()
    old = page.image.name
    post_page_file(editor_client, page, pdf_bytes(size=(900, 1300)), "A01-v2.pdf")
    page.refresh_from_db()
    assert page.image.name == old and page.image_state == Page.ImageState.PENDING
    release(page)
    html = client.get(page.get_absolute_url()).content.decode()
    assert page.image.url in html and "版面图生成中" not in html
    run_worker()
    page.refresh_from_db()
    assert page.image.name != old and page.image_state == Page.ImageState.READY


def test_a_pdf_that_cannot_be_rendered_leaves_a_chinese_reason_on_the_admin_screen(client, editor_client):
    page = released_page()
    post_page_file(editor_client, page, pdf_bytes(), "A01.pdf")
    page.refresh_from_db()
    # The stored PDF is damaged after the upload (a disk fault, a bad copy).
    default_storage.delete(page.image_source.name)
    default_storage.save(page.image_source.name, ContentFile(b"%PDF-1.7\n" + b"garbage" * 200))

    run_worker()

    page.refresh_from_db()
    assert page.image_state == Page.ImageState.FAILED and not page.image
    assert "无法打开" in page.image_error
    # Final: the queue holds one failed task and no retry.
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED"]
    screen = editor_client.get(reverse("admin:editions_page_change", args=[page.pk])).content.decode()
    assert "生成失败" in screen and "无法打开" in screen
    release(page)
    html = client.get(page.get_absolute_url()).content.decode()
    assert "版面图生成中" not in html and "<picture>" not in html


def test_an_image_upload_gets_its_webp_twin_from_the_worker(client, editor_client):
    page = released_page()
    response = post_page_file(editor_client, page, jpeg_bytes(1200, 1700, metadata=False), "A01.jpg")
    assert response.status_code == 302
    page.refresh_from_db()
    assert sized.size_from_name(page.image.name) == (1200, 1700)
    twin = sized.webp_name(page.image.name)
    assert not default_storage.exists(twin)
    assert DBTaskResult.objects.get().task_path == TWIN
    release(page)
    html = client.get(page.get_absolute_url()).content.decode()
    # Before the twin exists the JPEG alone is linked; the request did not make the twin.
    assert page.image.url in html and sized.webp_name(page.image.url) not in html
    assert not default_storage.exists(twin)
    run_worker()
    assert default_storage.exists(twin)


def test_a_new_page_created_with_a_pdf_is_rendered_by_the_worker(editor):
    from editions.page_images import PageImageForm

    edition = EditionFactory()
    form = PageImageForm(
        {
            "edition": edition.pk,
            "number": 2,
            "name": "综合",
            "editor": "",
            "unassigned_text": "",
            "banner_text": "",
        },
        {"image": upload(pdf_bytes(), "A02.pdf", "application/pdf")},
        user=editor,
    )
    assert form.is_valid(), form.errors
    page = form.save()
    assert page.pk and not page.image and page.image_state == Page.ImageState.PENDING
    run_worker()
    page.refresh_from_db()
    assert page.image_state == Page.ImageState.READY
    assert sized.size_from_name(page.image.name) is not None
