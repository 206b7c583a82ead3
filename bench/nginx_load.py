"""Load through the shipped nginx site: 200 connections for 5 minutes against cached pages, counting errors.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_site REDIS_URL=redis://127.0.0.1:6379/9 \\
        .venv/bin/python bench/nginx_load.py [--duration 300] [--connections 200]

Renders deploy/nginx/newsroom.conf.template with envsubst exactly as a deployer does (loopback ports, a
throw-away certificate, temporary folders; nginx runs as the current user with its own prefix), starts gunicorn
with the production settings behind it, warms the page cache, then runs wrk (``apt-get install wrk``) over HTTPS
with a Lua script cycling through the home page, the e-paper, sections and article pages found on the home page.
Prints wrk's figures, the status codes nginx logged, and fails (exit 1) on any error or non-2xx answer.
"""

import argparse
import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx" / "newsroom.conf.template"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port, path):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    conn = http.client.HTTPSConnection("localhost", port, context=context, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": "localhost"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _render(tmp, values):
    """envsubst with the template's documented variable list, as the template's header says."""
    names = re.findall(r"^#\s*- (\$NEWSROOM_[A-Z_]+)", TEMPLATE.read_text(encoding="utf-8"), flags=re.M)
    env = {**os.environ, **{k: str(v) for k, v in values.items()}}
    with open(TEMPLATE, "rb") as source:
        return subprocess.run(
            ["envsubst", " ".join(names)], stdin=source, env=env, capture_output=True, check=True, text=True
        ).stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    # Production settings refuse to start without the shared cache (or NEWSROOM_SINGLE_PROCESS=1 for one worker).
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) * 2 + 1)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--duration", type=int, default=300, help="seconds")
    args = parser.parse_args()
    if not args.database_url:
        sys.exit("Set DATABASE_URL (a database with published stories: make demo, or generate_demo).")
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk).")

    tmp = Path(tempfile.mkdtemp(prefix="newsroom-nginx-load-"))
    for folder in ("static", "media", "logs", "temp"):
        (tmp / folder).mkdir()
    subprocess.run(
        # ECDSA P-256: 200 handshakes at once cost little (wrk counts a connection whose first request is not
        # written by its first 2-s check as a timeout).
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-days", "1", "-subj", "/CN=localhost",
         "-keyout", tmp / "key.pem", "-out", tmp / "cert.pem"],
        check=True, capture_output=True,
    )  # fmt: skip
    app_port, https_port, http_port = _free_port(), _free_port(), _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.prod",
        "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": args.database_url,
        "DB_CONN_MAX_AGE": "600",
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        "GUNICORN_BIND": f"127.0.0.1:{app_port}",
        "GUNICORN_WORKERS": str(args.workers),
        "GUNICORN_ACCESS_LOG": "/dev/null",
        "LOG_LEVEL": "WARNING",
    }
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    site = _render(
        tmp,
        {
            "NEWSROOM_SERVER_NAME": "localhost",
            "NEWSROOM_HTTP_LISTEN": f"127.0.0.1:{http_port}",
            "NEWSROOM_HTTPS_LISTEN": f"127.0.0.1:{https_port}",
            "NEWSROOM_TLS_CERT": tmp / "cert.pem",
            "NEWSROOM_TLS_KEY": tmp / "key.pem",
            "NEWSROOM_UPSTREAM": f"127.0.0.1:{app_port}",
            "NEWSROOM_STATIC_ROOT": tmp / "static",
            "NEWSROOM_MEDIA_ROOT": tmp / "media",
            "NEWSROOM_MAX_UPLOAD_BYTES": 20 * 1024 * 1024,
        },
    )
    (tmp / "newsroom.conf").write_text(site, encoding="utf-8")
    temp = tmp / "temp"
    (tmp / "nginx.conf").write_text(
        f"""
        {"user root;" if os.geteuid() == 0 else ""}
        worker_processes auto;
        worker_rlimit_nofile 4096;
        pid {tmp / "nginx.pid"};
        events {{ worker_connections 2048; }}
        http {{
            include /etc/nginx/mime.types;
            default_type application/octet-stream;
            log_format status '$status $request_time $msec';
            access_log {tmp / "logs" / "access.log"} status buffer=64k;
            client_body_temp_path {temp / "body"};
            proxy_temp_path {temp / "proxy"};
            fastcgi_temp_path {temp / "fastcgi"};
            uwsgi_temp_path {temp / "uwsgi"};
            scgi_temp_path {temp / "scgi"};
            include {tmp / "newsroom.conf"};
        }}
        """,
        encoding="utf-8",
    )
    nginx = [NGINX, "-p", str(tmp), "-e", str(tmp / "logs" / "error.log"), "-c", str(tmp / "nginx.conf")]
    log = open(tmp / "logs" / "gunicorn.log", "wb")  # noqa: SIM115
    processes = [
        subprocess.Popen(
            [Path(sys.executable).parent / "gunicorn", "-c", "newsroom/gunicorn.conf.py", "newsroom.wsgi"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        ),
        subprocess.Popen([*nginx, "-g", "daemon off;"], stdout=log, stderr=subprocess.STDOUT),
    ]  # fmt: skip
    try:
        for _ in range(100):
            try:
                if _get(https_port, "/")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        status, home = _get(https_port, "/")
        assert status == 200, status
        links = re.findall(
            r'href="(/(?:articles/\d+|sections/[^"/]+|epaper/[\d-]+/\d+|epaper/archive)/)"', home.decode()
        )
        paths = ["/", *dict.fromkeys(links)][:30]
        for path in paths:  # warm the page cache in every worker
            for _ in range(args.workers * 2):
                status, _ = _get(https_port, path)
                assert status == 200, (path, status)
        (tmp / "paths.lua").write_text(
            "paths = {" + ", ".join(f'"{p}"' for p in paths) + "}\n"
            "counter = 0\n"
            "request = function()\n"
            "  counter = counter + 1\n"
            "  return wrk.format('GET', paths[(counter % #paths) + 1], {Host = 'localhost'})\n"
            "end\n",
            encoding="utf-8",
        )
        # The run's own access log: the warm-up's (and the start-up's 502 before gunicorn listened) go aside.
        (tmp / "logs" / "access.log").rename(tmp / "logs" / "warmup.log")
        subprocess.run([*nginx, "-s", "reopen"], check=True)
        time.sleep(1)
        print(f"{len(paths)} cached pages: {' '.join(paths[:8])} …", flush=True)
        started = time.time()
        wrk = subprocess.run(
            ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency", "--timeout",
             "10s", "-s", str(tmp / "paths.lua"), f"https://localhost:{https_port}/"],
            capture_output=True, text=True,
        )  # fmt: skip
        print(wrk.stdout, wrk.stderr, sep="", flush=True)
        print(f"wall {time.time() - started:.0f} s; load average {os.getloadavg()[0]:.1f}")
        subprocess.run([*nginx, "-s", "reopen"], check=True)
        time.sleep(1)
        logged = [line.split() for line in (tmp / "logs" / "access.log").read_text().splitlines()]
        statuses = Counter(status for status, _, _ in logged)
        times = sorted(float(seconds) for _, seconds, _ in logged)
        slow = sorted(
            float(end) - float(seconds) - started for _, seconds, end in logged if float(seconds) >= 10
        )
        if slow:
            print(f"requests of 10 s or more began between {slow[0]:.1f} s and {slow[-1]:.1f} s into the run")
        print("statuses nginx logged:", dict(statuses))
        if times:
            print(
                f"nginx request time: p50 {times[len(times) // 2]:.3f} s, p99 {times[int(len(times) * 0.99)]:.3f} s,"
                f" max {times[-1]:.3f} s, {sum(t >= 10 for t in times)} requests of 10 s or more"
            )
        errors = re.search(r"Socket errors: (.*)", wrk.stdout)
        non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", wrk.stdout)
        # 499: wrk closing its connections when the time is up, with requests in flight (not an answer).
        bad = sum(n for code, n in statuses.items() if not code.startswith("2") and code != "499")
        if wrk.returncode or errors or non_2xx or bad:
            print("ERRORS:", errors and errors.group(1), non_2xx and non_2xx.group(1), bad)
            print((tmp / "logs" / "error.log").read_text()[-3000:])
            return 1
        print("0 errors")
        return 0
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(20)
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
