"""Production settings, in a process of their own: security headers, the HTTPS redirect, /healthz.

Each test runs ``manage.py shell`` under ``newsroom.settings.prod`` (the suite's own settings are the test
settings) and asks Django's test client for a few addresses as nginx would pass them on; the answers come
back as JSON. The database is an empty SQLite file: none of these addresses reads a table. The static files
are collected once (the production storage reads their manifest).
"""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent.parent

ASK = r"""
import json
from django.test import Client

client = Client(HTTP_HOST="news.example.com", raise_request_exception=False)
answers = {}
for name, method, path, secure in REQUESTS:
    response = client.generic(method, path, secure=secure)
    answers[name] = {
        "status": response.status_code,
        "headers": dict(response.items()),
        "cookies": sorted(response.cookies),
        "body": response.content.decode("utf-8", "replace")[:300],
    }
print("ANSWERS" + json.dumps(answers))
"""


def _closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _production_environment(tmp_path, **env):
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_URL", "CACHE_URL"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings.prod",
        SECRET_KEY="headers-test-" + "k" * 50,
        ALLOWED_HOSTS="news.example.com",
        NEWSROOM_SINGLE_PROCESS="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        LOG_LEVEL="CRITICAL",
    )
    environment.update(env)
    return environment


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    environment = _production_environment(root, STATIC_ROOT=str(root))
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT, env=environment, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return root


def ask_production(tmp_path, requests, static_root, **env):
    """Run ``requests`` [(name, method, path, secure)] under production settings; their answers by name."""
    environment = _production_environment(tmp_path, STATIC_ROOT=str(static_root), **env)
    script = f"REQUESTS = {requests!r}\n{ASK}"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(line for line in result.stdout.splitlines() if line.startswith("ANSWERS"))
    return json.loads(line.removeprefix("ANSWERS"))


def test_security_headers_under_production_settings(tmp_path, static_root):
    answers = ask_production(
        tmp_path,
        [
            ("login", "GET", "/admin/login/", True),
            ("not_found", "GET", "/no-such-page/", True),
            ("nul", "GET", "/tags/%00/", True),
            ("trace", "TRACE", "/", True),
        ],
        static_root,
    )
    login = answers["login"]
    assert login["status"] == 200
    for name in ("login", "not_found", "nul", "trace"):
        headers = answers[name]["headers"]
        assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload", name
        assert headers["X-Content-Type-Options"] == "nosniff", name
        assert headers["Referrer-Policy"] == "same-origin", name
    headers = login["headers"]
    assert headers["X-Frame-Options"] == "DENY"
    csp = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";"))
    assert csp["default-src"] == "'self'"
    assert csp["script-src"].startswith("'self'") and "unsafe-inline" not in csp["script-src"]
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert answers["nul"]["status"] == 400
    assert answers["trace"]["status"] == 405


def test_plain_http_is_sent_to_https_but_healthz_is_not(tmp_path, static_root):
    answers = ask_production(
        tmp_path,
        [("page", "GET", "/admin/login/", False), ("health", "GET", "/healthz", False)],
        static_root,
    )
    assert answers["page"]["status"] == 301
    assert answers["page"]["headers"]["Location"] == "https://news.example.com/admin/login/"
    health = answers["health"]
    assert health["status"] == 200 and health["body"] == "ok\n"
    assert health["cookies"] == []  # no session, no CSRF cookie
    assert (
        "no-cache" in health["headers"]["Cache-Control"] and "max-age=0" in health["headers"]["Cache-Control"]
    )
    assert "X-Page-Cache" not in health["headers"]


def test_healthz_names_the_database_when_it_is_down(tmp_path, static_root):
    answers = ask_production(
        tmp_path,
        [("health", "GET", "/healthz", True)],
        static_root,
        DATABASE_URL=f"postgres://nobody@127.0.0.1:{_closed_port()}/nothing",
    )
    assert answers["health"]["status"] == 503
    assert answers["health"]["body"] == "unavailable: database\n"


def test_production_refuses_to_start_without_a_shared_cache(tmp_path):
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_URL", "CACHE_URL"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings.prod",
        SECRET_KEY="headers-test-" + "k" * 50,
        ALLOWED_HOSTS="news.example.com",
        NEWSROOM_SINGLE_PROCESS="0",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "REDIS_URL must be set" in result.stderr and "NEWSROOM_SINGLE_PROCESS=1" in result.stderr
    # The deployer's explicit word for one process is enough.
    environment["NEWSROOM_SINGLE_PROCESS"] = "1"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.mark.django_db
def test_healthz_answers_ok_and_is_never_cached(client):
    for _ in range(2):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.content == b"ok\n"
        assert "X-Page-Cache" not in response
        assert not response.cookies
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_healthz_names_the_cache_when_it_is_down(client):
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    with override_settings(CACHES=unreachable):  # the cache handler is reset on both edges
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"unavailable: cache\n"
