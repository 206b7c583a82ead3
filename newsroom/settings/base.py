"""Settings shared by every environment; values come from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from newsroom.log import SUSPICIOUS_LOGGERS

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name, default=None):
    """Read a setting from the environment."""
    return os.environ.get(name, default)


def env_bool(name, default=False):
    """Read a boolean from the environment ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    """Read a comma-separated list from the environment."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY", "dev-insecure-newsroom-key-do-not-use-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

NEWSROOM_PAPER_NAME = env("NEWSROOM_PAPER_NAME", "晋江经济报")
# demo_setup refuses to run where this is False (production).
NEWSROOM_DEMO_ALLOWED = True
# Preview links made by editors expire after this many hours.
NEWSROOM_PREVIEW_HOURS = int(env("NEWSROOM_PREVIEW_HOURS", "48"))
# The article form stores the writer's unsaved text on the server this often (and on blur).
NEWSROOM_AUTOSAVE_SECONDS = int(env("NEWSROOM_AUTOSAVE_SECONDS", "30"))
NEWSROOM_AUTOSAVE_MAX_BYTES = int(env("NEWSROOM_AUTOSAVE_MAX_BYTES", str(1024 * 1024)))
# Largest photo or page image accepted, in bytes (refused before it is read into memory).
NEWSROOM_MAX_UPLOAD_BYTES = int(env("NEWSROOM_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
# Largest page text file the importer accepts, in bytes (refused by its size, before it is read).
NEWSROOM_MAX_PAGE_TEXT_BYTES = int(env("NEWSROOM_MAX_PAGE_TEXT_BYTES", str(2 * 1024 * 1024)))
# Pillow's pixel limit (decompression bombs) and the most frames an animated image may have.
NEWSROOM_MAX_IMAGE_PIXELS = int(env("NEWSROOM_MAX_IMAGE_PIXELS", "60000000"))
NEWSROOM_MAX_IMAGE_FRAMES = int(env("NEWSROOM_MAX_IMAGE_FRAMES", "100"))
# Public pages are cached this many seconds for anonymous readers; the workflow purges earlier.
NEWSROOM_PAGE_CACHE_SECONDS = int(env("NEWSROOM_PAGE_CACHE_SECONDS", "300"))
# A cached page tells browsers to keep it this long (a CDN: as long as the page cache, by s-maxage).
NEWSROOM_BROWSER_CACHE_SECONDS = int(env("NEWSROOM_BROWSER_CACHE_SECONDS", "30"))
# Longest article body accepted, in characters of its HTML (a long feature is ~30,000; refused with a message).
NEWSROOM_MAX_BODY_CHARS = int(env("NEWSROOM_MAX_BODY_CHARS", "200000"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "taggit",
    "reversion",
    "django_prose_editor",
    "csp",
    "django_tasks",
    "django_tasks_db",
    # django-axes (login throttling), named in Chinese for the admin.
    "operations.throttle.LoginThrottleConfig",
    "articles",
    "editions",
    "operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # 405 for methods no view takes, 400 for NUL in the address: before anything reads the request.
    "newsroom.middleware.HostileRequestMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous public pages from the cache, before sessions/CSRF/auth/CSP do any work.
    "newsroom.cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "newsroom.middleware.ImportMapCSPMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.paper",
            ],
            # Django finds tag libraries only in <app>/templatetags/; naming this one here lets it live with the
            # rest of the photo code (articles/photos/) instead of behind a re-export module in that folder.
            "libraries": {"photos": "articles.photos.templatetags"},
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite is the embedded first-run database: wait for a busy writer instead of failing.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_redis_url = env("REDIS_URL") or (env("CACHE_URL") if (env("CACHE_URL") or "").startswith("redis") else None)
if _redis_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_url,
            "KEY_PREFIX": "newsroom",
        }
    }
elif env("CACHE_URL", "").startswith("dummy"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))

# Object storage: set NEWSROOM_STORAGE_BACKEND=storages.backends.s3.S3Storage (django-storages)
# and its AWS_* variables; everything in the code goes through the storage API.
STORAGES = {
    "default": {"BACKEND": env("NEWSROOM_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploads larger than this go to a temporary file inside the storage of the OS, not memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o644
# Every upload is counted as it streams in; past NEWSROOM_MAX_UPLOAD_BYTES the rest is dropped unread.
FILE_UPLOAD_HANDLERS = [
    "articles.photos.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

LOGIN_URL = "admin:login"

# Slow work (photo renditions, PDF pages) runs in the background: django-tasks' database backend, worked by
# `manage.py db_worker` (systemd unit deploy/systemd/newsroom-worker.service; `make run` starts one). A task
# is enqueued in the same transaction as the row it works on, so the worker never sees one without the other.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Login throttling (django-axes): a username is locked out from one address after a few wrong passwords,
# for a cool-off; a 值班主任 unlocks early by deleting the attempt in the admin (运维 permissions).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
# The client address: nginx (deploy/nginx) overwrites X-Real-IP with the address it was connected from, so a
# forged X-Forwarded-For or X-Real-IP changes nothing; without the proxy (development) REMOTE_ADDR is used.
# gunicorn listens on loopback only, so nothing but nginx can set the header.
AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_REAL_IP", "REMOTE_ADDR")

TAGGIT_CASE_INSENSITIVE = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "filters": {"refused_request_as_warning": {"()": "newsroom.log.RefusedRequestAsWarning"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "newsroom.security": {"level": "WARNING"},
        "django.security": {"level": "WARNING"},
        # A hostile request Django refused with a 400 is a warning, not an error (newsroom/log.py).
        **{name: {"filters": ["refused_request_as_warning"]} for name in SUSPICIOUS_LOGGERS},
    },
}


def require(name):
    """Return an environment variable, or refuse to start without it."""
    value = env(name)
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in the environment for production.")
    return value
