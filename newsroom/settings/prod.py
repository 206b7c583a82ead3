"""Production settings: refuse to start without what they need; HTTPS everywhere."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CACHES, env, env_bool, env_list, require

DEBUG = False
SECRET_KEY = require("SECRET_KEY")
require("ALLOWED_HOSTS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
NEWSROOM_DEMO_ALLOWED = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# One truth in every worker: the page cache's purge counter (and everything else cached) must be shared,
# or a withdrawn story stays public in the other gunicorn workers until their copies expire.
if "redis" not in CACHES["default"]["BACKEND"].lower() and not env_bool("NEWSROOM_SINGLE_PROCESS", False):
    raise ImproperlyConfigured(
        "REDIS_URL must be set in the environment for production: every worker must share one cache, or a "
        "withdrawn story stays public in the others. A deployment that runs exactly one process (one gunicorn "
        "worker, no other) may set NEWSROOM_SINGLE_PROCESS=1 instead."
    )

# /healthz is asked by nginx and systemd over plain HTTP on loopback: never redirected to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
