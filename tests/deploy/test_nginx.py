"""The shipped nginx site (deploy/nginx/newsroom.conf.template) in front of gunicorn with the production settings,
both started on 127.0.0.1: slow clients never reach gunicorn, a large photo passes, static files are cached for a
year, and a forged client address changes nothing for the login throttle.

Runs where Debian's nginx is installed (``.ci/run`` installs it); nginx runs as the current user with its own
prefix, pid and logs in a temporary folder. The site file is rendered exactly as a deployer renders it (envsubst
of its documented variables), with test ports, paths and a throw-away certificate.
"""

import http.client
import io
import os
import re
import shutil
import socket
import sqlite3
import ssl
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from newsroom import roles
from tests.factories import UserFactory

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
TEMPLATE = Path(settings.BASE_DIR) / "deploy" / "nginx" / "newsroom.conf.template"

pytestmark = [
    pytest.mark.nginx,
    # The test database is made (and the user below written to it, committed) for gunicorn to use.
    pytest.mark.django_db,
    pytest.mark.skipif(
        NGINX is None, reason="nginx is not installed (apt-get install nginx; CI installs it)"
    ),
    pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl makes the test certificate"),
]

EDITOR = "nginx-editor"
PASSWORD = "a-long-test-password-1"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _render(template, values):
    """Replace exactly the documented ${NEWSROOM_…} variables, as envsubst with the variable list does."""
    documented = set(re.findall(r"^#\s*- \$(NEWSROOM_[A-Z_]+)", template, flags=re.M))
    assert documented == set(values), "the test fills every documented variable and no other"
    rendered = re.sub(r"\$\{(NEWSROOM_[A-Z_]+)\}", lambda m: str(values[m.group(1)]), template)
    assert "${" not in rendered.replace("$host", "")
    return rendered


def _wait_until(probe, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if probe():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{what} did not come up in {seconds} s")


class Stack:
    """nginx on an HTTPS loopback port in front of gunicorn on another."""

    def __init__(self, root, https_port, http_port, database_url):
        self.root, self.https_port, self.http_port = root, https_port, http_port
        self.database_url = database_url
        self.tls = ssl.create_default_context()
        self.tls.check_hostname = False
        self.tls.verify_mode = ssl.CERT_NONE

    def connect(self, timeout=10):
        return http.client.HTTPSConnection("localhost", self.https_port, context=self.tls, timeout=timeout)

    def sql(self, query, params=()):
        """Run SQL, committed at once, on the database gunicorn uses (outside the test's own transaction)."""
        if self.database_url.startswith("sqlite:"):
            with sqlite3.connect(self.database_url.removeprefix("sqlite:///")) as db:
                return db.execute(query.replace("%s", "?"), params).fetchall()
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as db:
            cursor = db.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    def request(self, method, path, body=None, headers=None, timeout=10):
        """One request on a new connection: (status, headers, body)."""
        conn = self.connect(timeout)
        try:
            conn.request(method, path, body=body, headers={"Host": "localhost", **(headers or {})})
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()


def _start(command, env, log):
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


@pytest.fixture(scope="module")
def stack(tmp_path_factory, django_db_setup, django_db_blocker):
    root = tmp_path_factory.mktemp("nginx")
    for folder in ("media", "static", "logs", "temp"):
        (root / folder).mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-keyout", root / "key.pem", "-out", root / "cert.pem"],
        check=True, capture_output=True,
    )  # fmt: skip

    with django_db_blocker.unblock():
        roles.sync_groups()
        user = UserFactory(username=EDITOR, group=roles.EDITOR)
        # A hash the production hashers read (the test settings hash with MD5, which production refuses).
        user.password = PBKDF2PasswordHasher().encode(PASSWORD, "nginxtestsalt", iterations=1000)
        user.save()
        db = connection.settings_dict
        if connection.vendor == "sqlite":
            # The test database lives in memory: gunicorn gets a copy of it in a file.
            connection.ensure_connection()
            target = sqlite3.connect(root / "db.sqlite3")
            connection.connection.backup(target)
            target.close()
            database_url = f"sqlite:///{root / 'db.sqlite3'}"
        else:
            database_url = (
                f"postgres://{urllib.parse.quote(db['USER'] or '')}:{urllib.parse.quote(db['PASSWORD'] or '')}"
                f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
            )

    app_port, https_port, http_port = _free_port(), _free_port(), _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))},
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.prod",
        "SECRET_KEY": "nginx-test-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": database_url,
        "DB_CONN_MAX_AGE": "0",
        "STATIC_ROOT": str(root / "static"),
        "MEDIA_ROOT": str(root / "media"),
        "GUNICORN_BIND": f"127.0.0.1:{app_port}",
        "GUNICORN_WORKERS": "2",
        # Production settings want the shared cache (REDIS_URL); this test is about nginx in front of gunicorn,
        # not a purge reaching every worker (tests/deploy/test_cache_workers.py), and runs where no Redis is
        # (CI): each worker keeps the local cache it always used here, by the deployer's explicit opt-out.
        "NEWSROOM_SINGLE_PROCESS": "1",
        "LOG_LEVEL": "WARNING",
    }
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=settings.BASE_DIR, env=env, check=True, capture_output=True,
    )  # fmt: skip

    site = _render(
        TEMPLATE.read_text(encoding="utf-8"),
        {
            "NEWSROOM_SERVER_NAME": "localhost",
            "NEWSROOM_HTTP_LISTEN": f"127.0.0.1:{http_port}",
            "NEWSROOM_HTTPS_LISTEN": f"127.0.0.1:{https_port}",
            "NEWSROOM_TLS_CERT": root / "cert.pem",
            "NEWSROOM_TLS_KEY": root / "key.pem",
            "NEWSROOM_UPSTREAM": f"127.0.0.1:{app_port}",
            "NEWSROOM_STATIC_ROOT": root / "static",
            "NEWSROOM_MEDIA_ROOT": root / "media",
            "NEWSROOM_MAX_UPLOAD_BYTES": settings.NEWSROOM_MAX_UPLOAD_BYTES,
        },
    )
    (root / "newsroom.conf").write_text(site, encoding="utf-8")
    temp = root / "temp"
    # What /etc/nginx/nginx.conf provides on a server, pointed at the temporary folder (whose owner the workers
    # must run as: as root, nginx would otherwise switch them to nobody).
    (root / "nginx.conf").write_text(
        f"""
        {"user root;" if os.geteuid() == 0 else ""}
        worker_processes 1;
        pid {root / "nginx.pid"};
        error_log {root / "logs" / "error.log"} warn;
        events {{ worker_connections 1024; }}
        http {{
            include /etc/nginx/mime.types;
            default_type application/octet-stream;
            access_log {root / "logs" / "access.log"};
            client_body_temp_path {temp / "body"};
            proxy_temp_path {temp / "proxy"};
            fastcgi_temp_path {temp / "fastcgi"};
            uwsgi_temp_path {temp / "uwsgi"};
            scgi_temp_path {temp / "scgi"};
            include {root / "newsroom.conf"};
        }}
        """,
        encoding="utf-8",
    )
    nginx_cmd = [
        NGINX,
        "-p",
        str(root),
        "-e",
        str(root / "logs" / "error.log"),
        "-c",
        str(root / "nginx.conf"),
    ]
    checked = subprocess.run([*nginx_cmd, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr

    log = open(root / "logs" / "gunicorn.log", "wb")  # noqa: SIM115
    processes = [
        _start([bin_dir / "gunicorn", "-c", "newsroom/gunicorn.conf.py", "newsroom.wsgi"], env, log),
        _start([*nginx_cmd, "-g", "daemon off;"], env, log),
    ]
    stack = Stack(root, https_port, http_port, database_url)
    try:
        _wait_until(lambda: stack.request("GET", "/")[0] == 200, 30, "the site through nginx")
        yield stack
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()
        with django_db_blocker.unblock():
            from axes.models import AccessAttempt, AccessFailureLog, AccessLog

            from articles.models import Photo

            for model in (AccessAttempt, AccessFailureLog, AccessLog):
                model.objects.all().delete()
            for photo in Photo.objects.filter(caption="大图"):
                photo.delete()
            get_user_model().objects.filter(username=EDITOR).delete()


def _slowloris(stack, stop, opened):
    """Keep one connection sending a header line every 5 s, never finishing the request; reconnect if dropped."""
    while not stop.is_set():
        try:
            raw = socket.create_connection(("127.0.0.1", stack.https_port), timeout=10)
        except OSError:
            continue
        try:
            with stack.tls.wrap_socket(raw, server_hostname="localhost") as sock:
                sock.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
                opened.append(1)
                while not stop.wait(5):
                    sock.sendall(f"X-Slow-{time.monotonic_ns()}: 1\r\n".encode())
        except OSError:
            pass  # nginx closed it (client_header_timeout): open another
        finally:
            raw.close()


def test_a_slowloris_of_fifty_connections_does_not_slow_the_site(stack):
    stop, opened = threading.Event(), []
    attackers = [
        threading.Thread(target=_slowloris, args=(stack, stop, opened), daemon=True) for _ in range(50)
    ]
    for thread in attackers:
        thread.start()
    probes = []
    try:
        end = time.monotonic() + 30
        while time.monotonic() < end:
            started = time.monotonic()
            status, _, body = stack.request("GET", "/", timeout=5)
            probes.append((status, time.monotonic() - started))
            time.sleep(0.5)
    finally:
        stop.set()
        for thread in attackers:
            thread.join(10)
    assert len(opened) >= 50, "every attacker connected"
    assert len(probes) >= 20
    assert all(status == 200 for status, _ in probes), probes
    slowest = max(seconds for _, seconds in probes)
    assert slowest < 1, f"a probe of / took {slowest:.2f} s during the slowloris"


def _login(stack, username, password, headers=None):
    """Log in to the admin through nginx; return (status, cookies)."""
    status, got, body = stack.request("GET", "/admin/login/")
    assert status == 200
    cookies = dict(re.findall(r"(csrftoken)=([^;]+)", "\n".join(got.get_all("Set-Cookie") or [])))
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token, "next": "/admin/"}
    )
    status, got, _ = stack.request(
        "POST",
        "/admin/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "Referer": "https://localhost/admin/login/",
            **(headers or {}),
        },
    )
    cookies.update(re.findall(r"(sessionid|csrftoken)=([^;]+)", "\n".join(got.get_all("Set-Cookie") or [])))
    return status, cookies


def test_a_fifteen_megabyte_photo_uploads_through_nginx(stack):
    from PIL import Image

    status, cookies = _login(stack, EDITOR, PASSWORD)
    assert status == 302 and "sessionid" in cookies
    image = Image.frombytes("RGB", (4000, 3000), os.urandom(4000 * 3000 * 3))
    jpeg = io.BytesIO()
    image.save(jpeg, "JPEG", quality=97)
    data = jpeg.getvalue()
    assert 15_000_000 <= len(data) < settings.NEWSROOM_MAX_UPLOAD_BYTES

    boundary = "----newsroom-nginx-test"
    body = b"".join(
        [
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f"{cookies['csrftoken']}\r\n".encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="caption"\r\n\r\n大图\r\n'.encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="images"; filename="big.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n".encode(),
            data,
            f"\r\n--{boundary}--\r\n".encode(),
        ]
    )
    status, _, answer = stack.request(
        "POST",
        "/admin/articles/photo/upload/",
        body=body,
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "Referer": "https://localhost/admin/articles/photo/upload/",
        },
        timeout=60,
    )
    assert status == 302, answer[:2000]  # stored, back to the library (nginx did not answer 413)
    [(original,)] = stack.sql("SELECT image FROM articles_photo WHERE caption = %s", ["大图"])
    assert (stack.root / "media" / original).stat().st_size > 1_000_000

    # One byte over the limit is refused by nginx itself, before gunicorn reads anything.
    status, _, _ = stack.request(
        "POST",
        "/admin/articles/photo/upload/",
        body=b"x" * (settings.NEWSROOM_MAX_UPLOAD_BYTES + 1),
        headers={"Content-Type": "application/octet-stream"},
        timeout=60,
    )
    assert status == 413


def test_static_files_are_cached_for_a_year_by_nginx(stack):
    manifest = (stack.root / "static" / "staticfiles.json").read_text(encoding="utf-8")
    hashed = re.search(r'"(css/[^"]+\.[0-9a-f]{12}\.css)"', manifest).group(1)
    status, headers, body = stack.request("GET", f"/static/{hashed}")
    assert status == 200 and body
    assert "max-age=31536000" in headers["Cache-Control"] and "immutable" in headers["Cache-Control"]
    assert len(headers.get_all("Cache-Control")) == 1
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "gunicorn" not in (headers.get("Server") or "")
    # Plain HTTP only redirects to HTTPS.
    conn = http.client.HTTPConnection("127.0.0.1", stack.http_port, timeout=5)
    conn.request("GET", "/articles/", headers={"Host": "localhost"})
    response = conn.getresponse()
    assert response.status == 301 and response.headers["Location"] == "https://localhost/articles/"
    conn.close()


def test_a_forged_client_address_sent_to_nginx_changes_nothing_for_the_login_throttle(stack):
    forged = {"X-Forwarded-For": "198.51.100.99", "X-Real-IP": "198.51.100.98"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(stack, EDITOR, "wrong", headers=forged)
    # Locked out at the address nginx saw, whatever the headers claimed; the forged addresses are never recorded.
    assert _login(stack, EDITOR, PASSWORD, headers={"X-Forwarded-For": "198.51.100.1"})[0] == 429
    addresses = stack.sql("SELECT DISTINCT ip_address FROM axes_accessattempt WHERE username = %s", [EDITOR])
    assert [str(address) for (address,) in addresses] == ["127.0.0.1"]  # PostgreSQL's inet is an IPv4Address
    # What the 值班主任's delete in the admin does: the lockout is gone.
    stack.sql("DELETE FROM axes_accessattempt WHERE username = %s", [EDITOR])
    assert _login(stack, EDITOR, PASSWORD)[0] == 302
