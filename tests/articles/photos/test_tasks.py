"""The photo task path with the real database backend and a real db_worker run.

The upload request stores the checked original and enqueues the renditions; pages show a placeholder until
the worker has made them, never making one themselves; a broken original ends in a failure the admin shows
in Chinese, and retries are bounded.
"""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Photo, PhotoRendition
from articles.photos import renditions, services, tasks
from tests.factories import ArticleFactory

from .test_files import jpeg_bytes, media_files, upload

pytestmark = pytest.mark.django_db(transaction=True)

TASK_PATH = "articles.photos.tasks.make_photo_renditions"


@pytest.fixture(autouse=True)
def database_tasks(settings):
    """The production backend: tasks are rows, done only by a worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_worker():
    """Work the queue as the systemd unit's `manage.py db_worker` does, until nothing is ready, then exit."""
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0", verbosity=0)


def ingest(user, data=None):
    return services.photo_ingest(user=user, upload=upload(data or jpeg_bytes(1800, 1200, metadata=False)))


def upload_url():
    return reverse("admin:articles_photo_upload")


def test_upload_request_stores_the_original_and_enqueues_the_renditions(reporter_client):
    before = media_files()
    response = reporter_client.post(
        upload_url(),
        {"images": upload(jpeg_bytes(2000, 1500, metadata=False), "龙舟.jpg")},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    body = response.json()
    assert body["ok"] and body["photos"][0]["state"] == "生成中"
    photo = Photo.objects.get(pk=body["photos"][0]["id"])
    assert photo.renditions_state == Photo.Renditions.PENDING
    # Only the original was written in the request; the renditions wait for the worker.
    assert media_files() - before == {photo.image.name}
    assert not PhotoRendition.objects.exists()
    # Exactly one task for this photo (read by its arguments: the suite's other tests may leave queue rows).
    queued = [t for t in DBTaskResult.objects.all() if t.args_kwargs.get("args") == [photo.pk]]
    assert [(t.task_path, t.status) for t in queued] == [(TASK_PATH, "READY")]
    assert queued[0].args_kwargs == {"args": [photo.pk], "kwargs": {}}


def test_several_files_in_one_post_each_enqueue_their_own_task(reporter_client):
    files = [upload(jpeg_bytes(900, 600, metadata=False), f"{n}.jpg") for n in range(3)]
    response = reporter_client.post(upload_url(), {"images": files})
    assert response.status_code == 302
    assert Photo.objects.filter(renditions_state=Photo.Renditions.PENDING).count() == 3
    assert DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY").count() == 3
    assert not PhotoRendition.objects.exists()


def test_a_refused_file_answers_json_in_chinese_naming_it_and_keeps_nothing(reporter_client):
    before = media_files()
    response = reporter_client.post(
        upload_url(),
        {"images": upload("纯文本".encode() * 50, "假图.jpg")},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False and "“假图.jpg”" in " ".join(body["errors"])
    assert media_files() == before
    assert not Photo.objects.exists() and not DBTaskResult.objects.exists()


def test_pages_show_a_placeholder_until_the_worker_made_the_renditions(client, reporter):
    photo = ingest(reporter)
    article = ArticleFactory(published=True, lead_photo=photo, headline="龙舟赛开赛")
    stem = photo.image.name.rsplit(".", 1)[0]
    files_before = media_files()

    html = client.get(article.get_absolute_url()).content.decode()
    listing = client.get(reverse("articles:home")).content.decode()
    assert 'aria-label="图片处理中"' in html and "photo-pending" in listing
    assert stem not in html and stem not in listing
    assert "og:image" not in html
    # A reader's request made nothing and asked for nothing.
    assert media_files() == files_before
    assert DBTaskResult.objects.count() == 1

    run_worker()

    photo.refresh_from_db()
    assert photo.renditions_state == Photo.Renditions.READY and photo.renditions_attempts == 1
    assert set(photo.renditions.values_list("ratio", flat=True)) == {"", "16x9"}
    for row in photo.renditions.all():
        assert default_storage.exists(row.name)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    # The photo's save purged the cached pages: readers get the picture at once.
    html = client.get(article.get_absolute_url()).content.decode()
    assert f"{stem}/orig-960.jpg" in html and "图片处理中" not in html
    assert re.search(r'<meta property="og:image" content="[^"]+/orig-1600\.jpg"', html)
    assert f"{stem}/16x9-" in client.get(reverse("articles:home")).content.decode()


def test_admin_library_shows_pending_then_the_thumbnail(editor_client, reporter):
    photo = ingest(reporter)
    changelist = reverse("admin:articles_photo_changelist")
    html = editor_client.get(changelist).content.decode()
    assert "生成中" in html and "photo-thumb" not in html
    run_worker()
    html = editor_client.get(changelist).content.decode()
    assert renditions.picture(Photo.objects.get(pk=photo.pk)).jpeg[0].url in html


def test_a_corrupt_original_fails_at_once_with_a_chinese_reason_in_the_admin(editor_client, reporter):
    photo = ingest(reporter)
    # The stored original is damaged after the upload (a disk fault, a bad copy).
    default_storage.delete(photo.image.name)
    default_storage.save(photo.image.name, ContentFile(b"this is no longer an image" * 100))

    run_worker()

    photo.refresh_from_db()
    assert photo.renditions_state == Photo.Renditions.FAILED
    assert "已损坏" in photo.renditions_error and "重新上传" in photo.renditions_error
    assert photo.renditions_attempts == 1
    # Final: not retried; the queue records the failure too.
    task = DBTaskResult.objects.get()
    assert task.status == "FAILED" and "UnidentifiedImageError" in task.exception_class_path
    assert not PhotoRendition.objects.exists()
    changelist = editor_client.get(reverse("admin:articles_photo_changelist")).content.decode()
    assert "生成失败" in changelist
    change = editor_client.get(reverse("admin:articles_photo_change", args=[photo.pk])).content.decode()
    assert "原图无法解码" in change


def test_a_failing_photo_is_retried_a_bounded_number_of_times(reporter):
    photo = ingest(reporter)
    # A truncated original: Pillow refuses to finish decoding it, an OSError like a passing storage fault.
    with default_storage.open(photo.image.name, "rb") as handle:
        data = handle.read()
    default_storage.delete(photo.image.name)
    default_storage.save(photo.image.name, ContentFile(data[: len(data) // 3]))

    for attempt in range(1, tasks.MAX_ATTEMPTS + 1):
        # Each retry waits (run_after in the future): a batch run leaves it alone until it is due.
        run_worker()
        photo.refresh_from_db()
        assert photo.renditions_attempts == attempt
        waiting = DBTaskResult.objects.filter(status="READY")
        if attempt < tasks.MAX_ATTEMPTS:
            assert photo.renditions_state == Photo.Renditions.PENDING
            assert waiting.count() == 1 and waiting.get().run_after > timezone.now()
            waiting.update(run_after=timezone.now())  # the wait is over
        else:
            assert photo.renditions_state == Photo.Renditions.FAILED
            assert not waiting.exists()
    assert f"已尝试 {tasks.MAX_ATTEMPTS} 次" in photo.renditions_error
    assert DBTaskResult.objects.filter(status="FAILED").count() == tasks.MAX_ATTEMPTS


def test_the_admin_action_enqueues_a_failed_photo_again(editor_client, reporter):
    photo = ingest(reporter)
    Photo.objects.filter(pk=photo.pk).update(
        renditions_state=Photo.Renditions.FAILED, renditions_error="原图无法解码", renditions_attempts=3
    )
    DBTaskResult.objects.all().delete()
    response = editor_client.post(
        reverse("admin:articles_photo_changelist"),
        {"action": "remake_renditions", "_selected_action": [photo.pk]},
    )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert (photo.renditions_state, photo.renditions_error, photo.renditions_attempts) == ("pending", "", 0)
    assert DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY").count() == 1
    run_worker()
    photo.refresh_from_db()
    assert photo.renditions_ready


def test_moving_the_focal_point_has_the_worker_remake_the_crop(editor_client, reporter):
    photo = ingest(reporter)
    run_worker()
    old = {row.name for row in PhotoRendition.objects.filter(photo=photo, ratio="16x9")}
    response = editor_client.post(
        reverse("admin:articles_photo_change", args=[photo.pk]),
        {"caption": "", "credit": "", "alt_text": "", "taken_on": "", "focal_x": "0.2", "focal_y": "0.8"},
    )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.renditions_state == Photo.Renditions.PENDING
    assert not PhotoRendition.objects.filter(photo=photo, ratio="16x9").exists()
    run_worker()
    photo.refresh_from_db()
    new = {row.name for row in PhotoRendition.objects.filter(photo=photo, ratio="16x9")}
    assert photo.renditions_ready and new and not (new & old)
    assert all("-f20x80-" in name for name in new)


def test_upload_page_loads_the_one_file_per_request_script(reporter_client):
    html = reporter_client.get(upload_url()).content.decode()
    assert 'data-one-by-one="1"' in html and "admin_newsroom/photo_upload.js" in html
    assert 'id="photo-upload-progress"' in html
    # Strict CSP: no inline script on the page.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", html)
