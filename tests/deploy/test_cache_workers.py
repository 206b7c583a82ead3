"""One truth in every worker: a withdrawal made in one process is gone from every other process at once.

Two gunicorn processes (one worker each: two workers that share nothing but the database and the cache) serve
the site on loopback; a third process withdraws a story through the workflow, as an editor's request would.
With Redis as the cache (its own database number, emptied before and after) neither worker shows the story
a moment later. With a cache of their own (local memory: what production now refuses to start with, unless
``NEWSROOM_SINGLE_PROCESS=1``) both keep serving their stale copy: the failure the first case rules out.

Needs Redis on 127.0.0.1:6379 (skipped without it).
"""

import contextlib
import http.client
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.factories import ArticleFactory

ROOT = Path(settings.BASE_DIR)
REDIS_DB = 13
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"

pytestmark = pytest.mark.django_db(transaction=True)


def _redis():
    """A client of the test's Redis database, or None when no Redis answers on loopback."""
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        client.ping()
        return client
    except Exception:
        return None


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url(tmp_path):
    """A URL for the test database that other processes can open (SQLite: a file copy of the in-memory one)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(tmp_path / "db.sqlite3")
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{tmp_path / 'db.sqlite3'}"
    return (
        f"postgres://{urllib.parse.quote(db['USER'] or '')}:{urllib.parse.quote(db['PASSWORD'] or '')}"
        f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def _get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.getheader("X-Page-Cache"), response.read().decode()
    finally:
        conn.close()


def _wait_until_up(port, process):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode()[-3000:]
        with contextlib.suppress(OSError):
            if _get(port, "/healthz")[0] == 200:
                return
        time.sleep(0.3)
    raise AssertionError("gunicorn did not answer /healthz within 60 s")


@contextlib.contextmanager
def _workers(environment, count=2):
    """``count`` gunicorn processes of one worker each; yields their ports."""
    processes, ports = [], []
    try:
        for _ in range(count):
            port = _free_port()
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "newsroom.wsgi:application",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "1",
                        "--timeout",
                        "60",
                        "--log-level",
                        "warning",
                    ],
                    cwd=ROOT,
                    env=environment,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                )  # fmt: skip
            )
            ports.append(port)
        for port, process in zip(ports, processes, strict=True):
            _wait_until_up(port, process)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


# What the chief editor's withdraw button does, in a process of its own.
WITHDRAW = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from articles import workflow
from articles.models import Article
from newsroom import roles
roles.sync_groups()
chief, _ = get_user_model().objects.get_or_create(username="chief-withdraws", defaults={"is_staff": True})
chief.groups.add(Group.objects.get(name=roles.CHIEF_EDITOR))
workflow.article_withdraw(article=Article.objects.get(pk={pk}), user=chief, note="事实有误")
print("withdrawn")
"""


@pytest.mark.parametrize("shared", [True, False], ids=["redis", "per-process-cache"])
def test_a_withdrawal_is_gone_from_every_worker_at_once(shared, tmp_path):
    redis_client = _redis()
    if redis_client is None:
        pytest.skip("no Redis on 127.0.0.1:6379")
    redis_client.flushdb()
    story = ArticleFactory(published=True, headline="晋江迎来大风降温天气")
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "CACHE_URL"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings.test",
        DATABASE_URL=_database_url(tmp_path),
        DB_CONN_MAX_AGE="0",
        LOG_LEVEL="WARNING",
    )
    if shared:
        environment["REDIS_URL"] = REDIS_URL
    paths = ["/", story.get_absolute_url()]
    try:
        with _workers(environment) as (first, second):
            for port in (first, second):
                for path in paths:
                    status, _, body = _get(port, path)
                    assert status == 200 and story.headline in body
                    assert _get(port, path)[1] == "hit"  # now in the cache this worker reads
            if shared:
                # One cache for both: what the first worker stored, the second served (no miss of its own).
                assert redis_client.dbsize() > 0
            result = subprocess.run(
                [sys.executable, "manage.py", "shell", "-c", WITHDRAW.replace("{pk}", str(story.pk))],
                cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120,
            )  # fmt: skip
            assert "withdrawn" in result.stdout, result.stderr[-3000:]
            for port in (first, second):
                home = _get(port, "/")[2]
                detail_status = _get(port, story.get_absolute_url())[0]
                if shared:
                    assert story.headline not in home, port
                    assert detail_status == 404, port
                else:
                    # Each worker still believes its own copy: the stale story stays public.
                    assert story.headline in home, port
                    assert detail_status == 200, port
    finally:
        redis_client.flushdb()
