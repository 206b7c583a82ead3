"""Benchmark-only settings: production settings with the bench URLconf (``bench/scale_urls.py``).

Used only by ``bench/scale.py`` (``DJANGO_SETTINGS_MODULE=bench.scale_settings``); nothing in the
project imports it, so the bench view never ships in production URLs.
"""

from newsroom.settings.prod import *  # noqa: F403

ROOT_URLCONF = "bench.scale_urls"

# Uncached rows step around the page cache by a header (bench/scale_middleware.py).
MIDDLEWARE = [  # noqa: F405
    "bench.scale_middleware.BenchPageCacheMiddleware" if m == "newsroom.cache.PageCacheMiddleware" else m
    for m in MIDDLEWARE  # noqa: F405
]
