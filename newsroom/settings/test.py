"""Test settings: fast hashing, local cache, media in a temporary folder."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import CACHES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="newsroom-test-media-"))
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="newsroom-test-static-"))
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if "redis" not in CACHES["default"]["BACKEND"].lower():
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Tasks run inline where they are enqueued; the task path itself is tested with the database backend and a
# real db_worker run (tests/articles/photos/test_tasks.py, tests/editions/test_page_image_tasks.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
