"""Photo services: ingest an upload (check, strip, store; renditions are enqueued for the worker)."""

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction

from . import tasks, validation
from .models import Photo


@transaction.atomic
def photo_ingest(*, user, upload, caption="", credit=None, alt_text="", taken_on=None, focal=None):
    """Check an uploaded file, store it stripped of metadata under a generated name, enqueue its renditions.

    The renditions take seconds for a large photo: the background worker makes them (``tasks``), so a batch
    of fifty never holds a request that long; pages show a placeholder meanwhile.
    """
    if user is not None and not user.has_perm("articles.add_photo"):
        raise PermissionDenied("没有上传图片的权限。")
    clean = validation.clean_upload(upload)
    photo = Photo(
        caption=caption.strip(),
        credit=credit,
        alt_text=alt_text.strip(),
        taken_on=taken_on or clean.taken_on,
        uploaded_by=user,
    )
    if focal is not None:
        photo.focal_x, photo.focal_y = focal
    storage_names = []
    try:
        data = validation.encode(clean.image, clean.format)
        # The name handed over only carries the extension; upload_to generates the real one.
        photo.image.save(f"upload.{clean.extension}", ContentFile(data), save=False)
        del data
        storage_names.append(photo.image.name)
        photo.width, photo.height = clean.size
        photo.renditions_state = Photo.Renditions.PENDING
        photo.save()
        # The database backend writes the task row in this transaction: committed together with the photo.
        tasks.make_photo_renditions.enqueue(photo.pk)
        # A backend that runs the task at once (tests) has moved the state on already.
        photo.refresh_from_db(fields=["renditions_state", "renditions_error", "renditions_attempts"])
    except BaseException:
        for name in storage_names:
            photo.image.storage.delete(name)
        raise
    finally:
        clean.close()
    return photo
