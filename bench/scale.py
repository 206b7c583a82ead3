"""Every row of issue 13's table in one run, each beside its reference, printed as one table.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale_bench
    .venv/bin/python bench/scale.py --redis-url redis://127.0.0.1:6379/11            # the data as it is
    .venv/bin/python bench/scale.py --redis-url redis://127.0.0.1:6379/11 --generate 1000000

Starts gunicorn with the production settings (``bench.scale_settings``: production plus one
bench-only URL, a plain Django view of the same article, never in the project's URLs), ANALYZEs
the database first, then measures:

* the admin's article list (editor: first page and page 500; reporter: first page) and its search
  for a three-character word, logged in, one client;
* uncached article pages (a different story each request) beside the plain view of the same
  stories; uncached section pages (first page, and pages deep in the listing by their cursors),
  home and e-paper pages; one client, p50/p90/p99 and req/s;
* uncached public searches for the issue's six queries, one client, p50/p95/p99;
* cached pages at 50 clients with wrk (the Python client of ``bench/load.py`` when wrk is missing),
  each beside the same bytes served as a static file by whitenoise from the same gunicorn;
* optionally (``--generate N``) ``generate_demo --articles N`` into the database first, timed.

Each row ends with its target from the issue and whether this run met it.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.load import _environment, _slug, measure  # noqa: E402  (the same client as load.py when wrk is missing)

SEARCHES = ["晋江", "安海镇", "摩尼", "晋江经验", "集成电路产业", "草庵摩尼光佛"]
ADMIN_WORD = "安海镇"
ADMIN_LIST = "/admin/articles/article/"

# What the child process (same settings and database as gunicorn) tells us about the data.
PICK = """
import json, random, django
django.setup()
from django.db import connection
from django.db.models import Count
from django.test import Client
from articles.demo import ensure_demo_accounts
from articles.models import Article, Section
from articles.pagination import cursor_of
from editions.models import Page
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
accounts = {group: user for user, _password, group in ensure_demo_accounts()}
cookies = {}
for role, group in (("editor", "编辑"), ("reporter", "记者")):
    client = Client()
    client.force_login(accounts[group])
    cookies[role] = client.cookies["sessionid"].value
published = Article.objects.published()
last = published.order_by("-pk").values_list("pk", flat=True).first() or 0
first = published.order_by("pk").values_list("pk", flat=True).first() or 0
rng = random.Random(13)
ids = sorted({rng.randint(first, last) for _ in range(6000)})
ids = list(published.filter(pk__in=ids).values_list("pk", flat=True))
rng.shuffle(ids)
section = Section.objects.annotate(n=Count("articles")).order_by("-n").first()
listing = published.filter(section=section).order_by("-published_at", "-pk")
total = published.count()
# Deep pages: cursors of the sampled stories of that section, wherever they stand in its listing.
deep = [cursor_of(a) for a in listing.filter(pk__in=ids).only("published_at", "pk")]
pages = list(Page.objects.filter(edition__status="published").select_related("edition").order_by("?")[:2000])
print(json.dumps({
    "count": total, "ids": ids, "section": section.get_absolute_url(), "deep": deep,
    "pages": [p.get_absolute_url() for p in pages], "cookies": cookies,
}))
"""


def environment(args, static_root):
    """The environment gunicorn and the child processes run with: load.py's production one, bench settings."""
    env = _environment(args, static_root)
    env.update(DJANGO_SETTINGS_MODULE="bench.scale_settings", PYTHONPATH=str(ROOT))
    return env


def get(port, path, cookie=None):
    """One GET on a fresh connection: (status, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}"} if cookie else {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


def one_client(port, paths, *, duration, cookie=None, max_requests=None, bust=False):
    """Request ``paths`` in turn on one keep-alive connection; latencies (ms), req/s and status codes.

    With ``bust`` every request carries a parameter of its own (``r=<n>``), so the page cache never
    answers it, even when the list of paths comes round again.
    """
    token = f"{time.time_ns()}"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
    latencies, statuses = [], {}
    started = time.monotonic()
    i = 0
    # At least three requests, however slow, so that a slow page still has a spread.
    while (time.monotonic() - started < duration or i < min(3, max_requests or 3)) and (
        max_requests is None or i < max_requests
    ):
        path = paths[i % len(paths)]
        if bust:
            # The header makes the page cache step aside (bench/scale_middleware.py); the parameter keeps
            # any shared cache in between from answering.
            path += f"{'&' if '?' in path else '?'}r={token}-{i}"
            headers["X-Bench-Uncached"] = "1"
        i += 1
        t = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            statuses["error"] = statuses.get("error", 0) + 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            continue
        latencies.append(1000 * (time.perf_counter() - t))
        statuses[response.status] = statuses.get(response.status, 0) + 1
        if response.getheader("Connection", "").lower() == "close":
            conn.close()
    elapsed = time.monotonic() - started
    conn.close()
    latencies.sort()

    def pct(q):
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else float("nan")

    return {
        "rps": len(latencies) / elapsed,
        "p50": pct(0.50),
        "p90": pct(0.90),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "n": len(latencies),
        "statuses": statuses,
    }


WRK_LATENCY = re.compile(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)


def wrk(port, path, *, duration, clients):
    """Load ``path`` with wrk at ``clients`` connections: req/s, p50/p90/p99 ms, non-2xx count."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{clients}", f"-d{duration:.0f}s", "--latency", f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    result = {f"p{q}": float(v) * scale[unit] for q, v, unit in WRK_LATENCY.findall(out)}
    result["rps"] = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    result["statuses"] = {"non-2xx": int(bad.group(1))} if bad else {}
    if errors:
        result["statuses"]["socket"] = errors.group(1)
    return result


def loaded(port, path, *, duration, clients, processes):
    """Cached-page load: wrk when installed, else the multi-process Python client of load.py."""
    if shutil.which("wrk"):
        return wrk(port, path, duration=duration, clients=clients)
    result = measure(port, [path], duration=duration, clients=clients, processes=processes)
    result["p90"] = result["p95"]  # the Python client reports p95; shown in the p90 column
    result["statuses"] = {"errors": result["errors"]} if result["errors"] else {}
    return result


def _ms(value):
    """A latency column: milliseconds, or a dash where the tool does not report that percentile."""
    return f"{value:>7.1f}" if value is not None and value == value else f"{'-':>7}"


class Table:
    """The printed result: one line per measurement, its reference, target and verdict."""

    def __init__(self):
        self.lines = []
        header = (
            f"{'what':<44} {'req/s':>7} {'p50':>7} {'p90':>7} {'p95':>7} {'p99':>7}  {'reference / note':<34} "
            f"{'target':<26} met"
        )
        print(header)
        print("-" * len(header), flush=True)

    def row(self, what, r, *, note="", target="", met=None):
        line = (
            f"{what:<44} {r['rps']:>7.1f} {_ms(r['p50'])} {_ms(r.get('p90'))} "
            f"{_ms(r.get('p95'))} {_ms(r['p99'])}  {note:<34} {target:<26} "
            f"{'' if met is None else ('yes' if met else 'NO')}"
        )
        odd = {k: v for k, v in r.get("statuses", {}).items() if k != 200}
        if odd:
            line += f"  statuses={odd}"
        print(line, flush=True)
        self.lines.append(line)

    def text(self, what, value, *, target="", met=None):
        line = f"{what:<44} {value:<73} {target:<26} {'' if met is None else ('yes' if met else 'NO')}"
        print(line, flush=True)
        self.lines.append(line)


def start_server(env, port):
    """gunicorn with the bench settings; waits until it answers."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "newsroom/gunicorn.conf.py", "newsroom.wsgi"],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    for _ in range(150):
        try:
            get(port, "/robots.txt")
            return proc
        except OSError:
            time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGTERM)
    sys.exit("gunicorn did not start")


def stop_server(proc):
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait()


def generate(env, count):
    """``generate_demo --articles count`` into the database (demo settings allow it); seconds taken."""
    gen_env = dict(env, DJANGO_SETTINGS_MODULE="newsroom.settings.base")
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "manage.py", "generate_demo", "--articles", str(count), "-v2"],
        env=gen_env,
        cwd=ROOT,
        check=True,
    )
    return time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/11"))
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) * 2 + 1)
    parser.add_argument("--clients", type=int, default=50, help="clients for the cached pages")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per measurement")
    parser.add_argument(
        "--generate", type=int, metavar="N", help="run generate_demo --articles N first, timed"
    )
    args = parser.parse_args()
    if not (args.database_url or "").startswith("postgres"):
        parser.error("set DATABASE_URL (or --database-url) to a PostgreSQL database of its own")

    static_root = Path(tempfile.mkdtemp(prefix="newsroom-scale-static-"))
    env = environment(args, static_root)
    generated = generate(env, args.generate) if args.generate else None
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True
    )
    # ANALYZE, accounts and sessions, and the URLs to visit, from a child with the same settings.
    out = subprocess.run(
        [sys.executable, "-c", PICK], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    data = json.loads(out.strip().splitlines()[-1])
    if not data["ids"] or not data["pages"]:
        sys.exit("No published stories or editions: run manage.py generate_demo --articles 20000 first.")
    editor, reporter = data["cookies"]["editor"], data["cookies"]["reporter"]
    d = args.duration
    article_paths = [f"/articles/{pk}/" for pk in data["ids"]]
    plain_paths = [f"/bench/plain/{pk}/" for pk in data["ids"]]
    cached_pages = {
        "home": "/",
        "article": article_paths[0],
        "section": data["section"],
        "e-paper page": data["pages"][0],
        f"search {SEARCHES[1]}": "/search/?q=" + quote(SEARCHES[1]),
    }

    # Static twins: each cached page's bytes copied into STATIC_ROOT (whitenoise indexes it at start-up).
    server = start_server(env, args.port)
    try:
        (static_root / "bench").mkdir()
        for name, path in cached_pages.items():
            status, body = get(args.port, path)
            assert status == 200, (path, status)
            (static_root / "bench" / f"{_slug(name)}.html").write_bytes(body)
    finally:
        stop_server(server)
    subprocess.run(["redis-cli", "-u", args.redis_url, "FLUSHDB"], check=False, capture_output=True)

    server = start_server(env, args.port)
    try:
        print(
            f"\n{data['count']:,} published stories; gunicorn {args.workers} sync workers "
            f"(bench.scale_settings = production + /bench/plain/); Redis {args.redis_url}; {d:.0f} s per row; "
            f"load average {os.getloadavg()[0]:.1f}; times in ms\n"
        )
        table = Table()

        def uncached(paths, cookie=None):
            # Warm the worker's connection and code first (distinct parameters: nothing cached for later).
            one_client(args.port, paths[-5:], duration=1, cookie=cookie, max_requests=5, bust=True)
            return one_client(args.port, paths, duration=d, cookie=cookie, bust=cookie is None)

        for label, path, cookie in (
            ("admin list, editor, first page", ADMIN_LIST, editor),
            ("admin list, editor, page 500", ADMIN_LIST + "?p=500", editor),
            ("admin list, reporter, first page", ADMIN_LIST, reporter),
            (f"admin search {ADMIN_WORD}, editor", ADMIN_LIST + "?q=" + quote(ADMIN_WORD), editor),
        ):
            r = uncached([path], cookie)
            limit = 100 if "search" in label else 40
            table.row(
                label, r, note="1 client, logged in", target=f"p99 <= {limit} ms", met=r["p99"] <= limit
            )

        plain = uncached(plain_paths)
        article = uncached(article_paths)
        share = article["rps"] / plain["rps"] if plain["rps"] else 0
        table.row("uncached article page", article, note=f"{share:.0%} of the plain view's rate",
                  target="p99 <= 15, >= 50% of plain", met=article["p99"] <= 15 and share >= 0.5)  # fmt: skip
        table.row("  reference: plain Django view, same stories", plain, note="/bench/plain/<pk>/")
        deep = [f"{data['section']}?before={quote(c)}" for c in data["deep"]]
        for label, paths, limit in (
            ("uncached section page, first", [data["section"]], 30),
            ("uncached section page, deep (cursors)", deep, 30),
            ("uncached home", ["/"], 20),
            ("uncached e-paper page", data["pages"], 20),
        ):
            r = uncached(paths)
            table.row(label, r, note="1 client", target=f"p99 <= {limit} ms", met=r["p99"] <= limit)
        for word in SEARCHES:
            r = uncached([f"/search/?q={quote(word)}"])
            table.row(f"public search {word}, uncached", r, note="1 client", target="p95 <= 50 ms",
                      met=r["p95"] <= 50)  # fmt: skip

        for name, path in cached_pages.items():
            for _ in range(2 * args.workers):
                get(args.port, path)  # in the shared cache now
            static_path = f"/static/bench/{_slug(name)}.html"
            page = loaded(args.port, path, duration=d, clients=args.clients, processes=2)
            static = loaded(args.port, static_path, duration=d, clients=args.clients, processes=2)
            ratio = page["rps"] / static["rps"] if static["rps"] else 0
            table.row(f"cached {name}, {args.clients} clients", page, note=f"{ratio:.0%} of its static twin",
                      target=">= 90% of static", met=ratio >= 0.9)  # fmt: skip
            table.row(f"  reference: static twin ({len(get(args.port, static_path)[1]) // 1024} KB)", static,
                      note="whitenoise, same gunicorn")  # fmt: skip

        if generated is None:
            table.text("generate_demo", "not measured in this run (--generate N)", target="<= 20 min at 1M")
        else:
            table.text(
                f"generate_demo --articles {args.generate:,}",
                f"{generated / 60:.1f} min",
                target="<= 20 min at 1M",
                met=generated <= 20 * 60 * args.generate / 1_000_000,
            )
    finally:
        stop_server(server)
        shutil.rmtree(static_root, ignore_errors=True)


if __name__ == "__main__":
    main()
