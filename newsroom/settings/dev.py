"""Development settings: the default for manage.py (make run)."""

import hashlib
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, CACHES, env_bool

DEBUG = env_bool("DEBUG", True)

# `make run` starts the background worker as a second process and sets NEWSROOM_SHARED_DEV_CACHE: without Redis,
# a cache shared through files lets the worker's purge (a photo's renditions are ready) reach the pages the
# development server has cached. Scripts that use these settings alone (bench/) keep the in-memory cache.
if env_bool("NEWSROOM_SHARED_DEV_CACHE", False) and CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(
                Path(tempfile.gettempdir())
                / f"newsroom-dev-cache-{hashlib.sha256(bytes(BASE_DIR)).hexdigest()[:12]}"
            ),
        }
    }
