"""Background tasks for photos: renditions are made by the worker (``manage.py db_worker``), never in a request.

The upload request stores the checked original and enqueues ``make_photo_renditions``; pages show a
placeholder until the photo's ``renditions_state`` is ready. A task that fails is retried a bounded number of
times (a broken or lost original at once is final), and the photo then says why, in Chinese, in the admin.
"""

import logging
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from PIL import Image, UnidentifiedImageError

from . import renditions, sized, validation
from .models import Photo

logger = logging.getLogger(__name__)

# Attempts per enqueue (the first and two retries), and the wait before each retry.
MAX_ATTEMPTS = 3
RETRY_DELAYS = (timedelta(seconds=30), timedelta(minutes=5))
# Errors no retry can mend: the stored file is not a readable image, or it is gone.
FINAL_ERRORS = (UnidentifiedImageError, Image.DecompressionBombError, SyntaxError, FileNotFoundError)


def failure_message(exc, attempts):
    """The Chinese reason an editor reads in the admin."""
    if isinstance(exc, FileNotFoundError):
        return "原图文件丢失，无法生成各尺寸图片：请删除这张图片后重新上传。"
    if isinstance(exc, (UnidentifiedImageError, SyntaxError, Image.DecompressionBombError)):
        return "原图无法解码（文件已损坏），无法生成各尺寸图片：请删除这张图片后重新上传。"
    return (
        f"各尺寸图片生成失败（已尝试 {attempts} 次，{type(exc).__name__}）："
        "可在图片库中选中这张图片，用“重新生成各尺寸图片”再试；仍失败请重新上传。"
    )


def enqueue_later(task_obj, delay, *args):
    """Enqueue ``task_obj`` to run after ``delay`` where the backend can defer, else now."""
    if task_obj.get_backend().supports_defer:
        task_obj = task_obj.using(run_after=timezone.now() + delay)
    return task_obj.enqueue(*args)


def photo_renditions_requested(photo):
    """Mark ``photo`` as waiting for its renditions and enqueue the work (in the caller's transaction)."""
    photo.renditions_state = Photo.Renditions.PENDING
    photo.renditions_error = ""
    photo.renditions_attempts = 0
    if photo.pk:
        photo.save(update_fields=["renditions_state", "renditions_error", "renditions_attempts"])
    # The database backend writes the task row in this transaction: committed together with the photo.
    make_photo_renditions.enqueue(photo.pk)


@task()
def make_photo_renditions(photo_id):
    """Make a photo's standard renditions; record ready, a retry to come, or a failure the admin shows."""
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None:
        return "gone"  # deleted before its turn: nothing to do
    if photo.renditions_state != Photo.Renditions.PENDING:
        return photo.renditions_state
    photo.renditions_attempts += 1
    try:
        written = renditions.make(photo, renditions.STANDARD_RATIOS)
    except Exception as exc:
        final = isinstance(exc, FINAL_ERRORS) or photo.renditions_attempts >= MAX_ATTEMPTS
        if final:
            photo.renditions_state = Photo.Renditions.FAILED
            photo.renditions_error = failure_message(exc, photo.renditions_attempts)
        photo.save(update_fields=["renditions_state", "renditions_error", "renditions_attempts"])
        if not final:
            enqueue_later(make_photo_renditions, RETRY_DELAYS[photo.renditions_attempts - 1], photo_id)
        logger.warning("renditions of photo %s failed (attempt %s)", photo_id, photo.renditions_attempts)
        raise
    photo.renditions_state = Photo.Renditions.READY
    photo.renditions_error = ""
    # A save, not an update: post_save purges the cached pages that showed the placeholder.
    photo.save(update_fields=["renditions_state", "renditions_error", "renditions_attempts"])
    return len(written)


@transaction.atomic
def photo_refocus(photo):
    """After the focal point moved: forget the cropped renditions and have the worker make them again."""
    renditions.drop_cropped(photo)
    photo_renditions_requested(photo)


# --- single sized images (the e-paper's page images) ----------------------------------------------------


@task()
def make_webp_twin(name):
    """Make the WebP twin of a stored sized JPEG (``sized.webp_name``) from the default storage."""
    from django.core.files.storage import default_storage

    target = sized.webp_name(name)
    if default_storage.exists(target):
        return target
    Image.MAX_IMAGE_PIXELS = validation.max_image_pixels()
    with default_storage.open(name, "rb") as handle, Image.open(handle) as image:
        image.load()
        data = validation.encode(image, "WEBP", quality=80)
    saved = default_storage.save(target, ContentFile(data))
    if saved != target:
        default_storage.delete(saved)
    return target
