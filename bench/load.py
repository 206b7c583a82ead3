"""Load test of the public site under gunicorn, each page beside a static file of the same size.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_site .venv/bin/python bench/load.py

Starts gunicorn (prod settings, whitenoise, persistent DB connections) on 127.0.0.1, then measures
with a small multi-process HTTP client written here (no wrk needed; the same client measures the
page and the static file, so the ratio is fair even where the client itself costs CPU):

* cached pages at N clients — home, an article, an e-paper page, a search — each beside a static
  file of exactly the same size served by whitenoise from the same gunicorn;
* uncached article pages at one client (a different article each request);
* uncached searches at one client (a cache-busting parameter each request), several queries.

It also checks that /static/ answers compressed with far-future caching after collectstatic.
Generate data first: ``manage.py generate_demo --articles 100000``.
"""

import argparse
import http.client
import multiprocessing
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SEARCHES = [
    "晋江",
    "安海镇",
    "摩尼",
    "晋江经验",
    "集成电路产业",
    "晋江市气象台昨日9时28分发布了大风黄色预警信号",
]


def _environment(args, static_root):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings.prod",
        SECRET_KEY="bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        STATIC_ROOT=str(static_root),
        DATABASE_URL=args.database_url,
        DB_CONN_MAX_AGE="600",
        GUNICORN_BIND=f"127.0.0.1:{args.port}",
        GUNICORN_WORKERS=str(args.workers),
        GUNICORN_ACCESS_LOG="/dev/null",
        LOG_LEVEL="WARNING",
    )
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    return env


def _slug(name):
    """A file name for a page's static twin."""
    return "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in name).strip("-") or "page"


def _get(port, path, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), body


def _pick_urls(env):
    """Ask Django (in a child process, prod settings) for a few real URLs of the generated data."""
    code = (
        "import django, json; django.setup();"
        "from articles.models import Article; from editions.models import Edition;"
        "e = Edition.objects.released().order_by('-date').first();"
        "ids = list(Article.objects.published().order_by('?').values_list('pk', flat=True)[:3000]);"
        "print(json.dumps({'page': e.pages.order_by('number')[1].get_absolute_url() if e else None,"
        " 'ids': ids, 'count': Article.objects.published().count()}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    import json

    return json.loads(out.stdout.strip().splitlines()[-1])


def _worker(port, paths, duration, threads, queue):
    """One client process: ``threads`` threads requesting ``paths`` in turn for ``duration`` seconds."""
    latencies, errors = [], [0]
    lock = threading.Lock()
    stop = time.monotonic() + duration

    def run(offset):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, i = [], offset
        while time.monotonic() < stop:
            path = paths[i % len(paths)]
            i += 1
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors[0] += 1
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException):
                errors[0] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    pool = [threading.Thread(target=run, args=(n * 7919,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    queue.put((latencies, errors[0]))


def measure(port, paths, *, duration, clients, processes):
    """Run the load; return dict(rps, p50, p95, p99 in ms, n, errors)."""
    processes = max(1, min(processes, clients))
    per_process = [clients // processes + (1 if i < clients % processes else 0) for i in range(processes)]
    queue = multiprocessing.Queue()
    procs = [
        multiprocessing.Process(target=_worker, args=(port, paths, duration, n, queue))
        for n in per_process
        if n
    ]
    started = time.monotonic()
    for p in procs:
        p.start()
    latencies, errors = [], 0
    for _ in procs:
        got, err = queue.get()
        latencies.extend(got)
        errors += err
    for p in procs:
        p.join()
    elapsed = time.monotonic() - started
    latencies.sort()

    def pct(q):
        return (
            1000 * latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else float("nan")
        )

    return {
        "rps": len(latencies) / elapsed,
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "n": len(latencies),
        "errors": errors,
    }


def _row(name, result, static=None):
    line = f"{name:<28} {result['rps']:>9.0f} {result['p50']:>8.1f} {result['p99']:>8.1f}"
    if static:
        ratio = result["rps"] / static["rps"] if static["rps"] else 0
        line += f" | {static['rps']:>9.0f} {static['p50']:>8.1f} {static['p99']:>8.1f} | {ratio:>6.0%}"
    if result["errors"]:
        line += f"  errors={result['errors']}"
    print(line, flush=True)


def _measure_searches(args):
    """Uncached searches at one client: a cache-busting parameter on every request."""
    for query in SEARCHES:
        paths = [f"/search/?q={quote(query)}&r={n}" for n in range(5000)]
        result = measure(args.port, paths, duration=max(2.0, args.duration / 3), clients=1, processes=1)
        _row(f"search {query[:10]}", result)
        print(f"{'':<56}{result['p95']:>8.1f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL"))
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) * 2 + 1)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2, help="client processes")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per measurement")
    parser.add_argument(
        "--search-only",
        action="store_true",
        help="measure only the uncached searches at one client (no static twins, no cached pages)",
    )
    args = parser.parse_args()
    if not (args.database_url or "").startswith("postgres"):
        parser.error("set DATABASE_URL (or --database-url) to a PostgreSQL database with generated data")

    static_root = Path(tempfile.mkdtemp(prefix="newsroom-bench-static-"))
    env = _environment(args, static_root)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True
    )
    picked = _pick_urls(env)
    if not picked["ids"] or not picked["page"]:
        sys.exit("No published articles or editions: run manage.py generate_demo --articles 100000 first.")
    article = f"/articles/{picked['ids'][0]}/"
    pages = {
        "home /": "/",
        "article": article,
        "e-paper page": picked["page"],
        "search 安海镇": "/search/?q=" + quote("安海镇"),
    }

    def start_server():
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "newsroom/gunicorn.conf.py", "newsroom.wsgi"],
            env=env,
            cwd=ROOT,
            start_new_session=True,
        )
        for _ in range(100):
            try:
                _get(args.port, "/robots.txt")
                return proc
            except OSError:
                time.sleep(0.2)
        proc.kill()
        sys.exit("gunicorn did not start")

    if args.search_only:
        server = start_server()
        try:
            print(f"{picked['count']} published articles; gunicorn {args.workers} workers")
            print(f"{'uncached, 1 client':<28} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}   p95 ms")
            _measure_searches(args)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait()
            shutil.rmtree(static_root, ignore_errors=True)
        return

    # First run: learn each page's size, then copy each page into STATIC_ROOT as a static twin.
    server = start_server()
    try:
        bench_dir = static_root / "bench"
        bench_dir.mkdir()
        for name, path in pages.items():
            status, _headers, body = _get(args.port, path)
            assert status == 200, (path, status)
            (bench_dir / f"{_slug(name)}.html").write_bytes(body)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
    server = start_server()  # whitenoise indexes STATIC_ROOT at start-up
    try:
        print(
            f"{picked['count']} published articles; gunicorn {args.workers} workers; "
            f"{args.clients} clients in {args.processes} processes; {args.duration:.0f} s per run; "
            f"cache: {'redis' if args.redis_url else 'local memory'}"
        )
        css = next((static_root / "css").glob("site.*.css"))
        status, headers, _ = _get(args.port, f"/static/css/{css.name}", {"Accept-Encoding": "gzip, br"})
        print(
            f"static {css.name}: {status} Content-Encoding={headers.get('Content-Encoding')} "
            f"Cache-Control={headers.get('Cache-Control')}"
        )
        print()
        print(
            f"{f'cached, {args.clients} clients':<28} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} | "
            f"{'static req/s':>9} {'p50 ms':>8} {'p99 ms':>8} | {'ratio':>6}"
        )
        for name, path in pages.items():
            for _ in range(3):
                _get(args.port, path)  # fill the cache in every worker
            static_path = f"/static/bench/{_slug(name)}.html"
            size = len(_get(args.port, static_path)[2])
            page = measure(
                args.port, [path], duration=args.duration, clients=args.clients, processes=args.processes
            )
            static = measure(
                args.port,
                [static_path],
                duration=args.duration,
                clients=args.clients,
                processes=args.processes,
            )
            _row(f"{name} ({size // 1024} KB)", page, static)

        print()
        print(f"{'uncached, 1 client':<28} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}   p95 ms")
        ids = picked["ids"][1:]
        random.shuffle(ids)
        article_paths = [f"/articles/{pk}/" for pk in ids]
        result = measure(args.port, article_paths, duration=args.duration, clients=1, processes=1)
        _row("article (distinct pks)", result)
        print(f"{'':<56}{result['p95']:>8.1f}")
        _measure_searches(args)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
        shutil.rmtree(static_root, ignore_errors=True)


if __name__ == "__main__":
    main()
