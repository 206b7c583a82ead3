"""Benchmark: the search's database work at scale, public search and the admin's article search.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale_h_search   # an analyzed archive
    .venv/bin/python bench/search_timing.py                    # 20 runs per query, after 2 to warm up
    .venv/bin/python bench/search_timing.py --runs 50 --queries 晋江 安海镇

For every query, two things are timed, each in-process (no HTTP, no template), as the views run them:

* ``public``: ``find.search_articles`` — the ids of the public search's list (newest first, capped at
  ``find.COUNT_LIMIT``), the work of ``/search/?q=…`` before ranking, snippets and rendering;
* ``admin``: the admin article list searched as an editor, through the ``ModelAdmin``'s own
  ``ChangeList`` (``get_queryset``, ``get_search_results``, the paginator's count and the first
  page's rows with their bylines), without rendering the page; ``""`` times the unsearched list;
* ``ids`` (on request): the search's own part of that list, ``find.capped_ids`` (the first
  ``SEARCH_LIMIT + 1`` matching ids in the list's order).

Printed: p50, p95 and worst in milliseconds per query and kind, the matches found (public: listed,
admin: the paginator's count label), the load average before and after (the machine is shared: wall
times follow it). Read-only: nothing is written to the database.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

KINDS = ["public", "admin", "ids"]
QUERIES = ["晋江", "安海镇", "摩尼", "晋江经验", "集成电路产业", "草庵摩尼光佛"]


def setup_django():
    """Configure Django for a standalone script (DEBUG off so queries are not kept in memory)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.dev")
    os.environ.setdefault("DEBUG", "0")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def public_search(text):
    """The public search's ids for ``text``; returns a short description of the result."""
    from articles.search import find
    from articles.search.query import parse_query

    ids, total, more = find.search_articles(parse_query(text))
    return f"{'超过 ' if more else ''}{total}"


def admin_search(text):
    """The admin's changelist for ``?q=text`` as an editor, up to its first page's rows."""
    from django.contrib import admin
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory

    from articles.models import Article

    user = get_user_model()(username="bench-search", is_staff=True, is_superuser=True, is_active=True)
    request = RequestFactory().get("/admin/articles/article/", {"q": text})
    request.user = user
    model_admin = admin.site.get_model_admin(Article)
    changelist = model_admin.get_changelist_instance(request)
    rows = list(changelist.result_list)
    for row in rows:  # the byline column reads the prefetched bylines
        list(row.bylines.all())
    return f"{changelist.paginator.count_label} (page: {len(rows)})"


def admin_ids(text):
    """Only the search's part of the admin's list: the first SEARCH_LIMIT + 1 ids in the list's order."""
    from articles.admin import articles as article_admin
    from articles.models import Article
    from articles.search import find
    from articles.search.query import parse_query

    ordered = Article.objects.order_by(*Article._meta.ordering)
    ids = find.capped_ids(ordered, parse_query(text), limit=article_admin.SEARCH_LIMIT)
    return f"{len(ids)} ids"


def timed(run, text, runs, warmup):
    """(milliseconds of each run, the last result) after ``warmup`` untimed runs."""
    for _ in range(warmup):
        run(text)
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = run(text)
        times.append((time.perf_counter() - start) * 1000)
    return times, result


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--queries", nargs="+", default=QUERIES)
    parser.add_argument("--kinds", nargs="+", default=["public", "admin"], choices=KINDS)
    parser.add_argument("--admin-limit", type=int, help="try another SEARCH_LIMIT for the admin's list")
    args = parser.parse_args()
    setup_django()
    if args.admin_limit:
        from articles.admin import articles as article_admin

        article_admin.SEARCH_LIMIT = args.admin_limit
    from django.db import connection

    from articles.models import Article

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'articles_article'")
        stories = cursor.fetchone()[0] if connection.vendor == "postgresql" else Article.objects.count()
    load_before = os.getloadavg()[0]
    print(
        f"{connection.vendor} {connection.settings_dict['NAME']}: about {stories:,} stories; "
        f"{args.runs} runs per query after {args.warmup} warm-up; load {load_before:.1f}"
    )
    if args.admin_limit:
        print(f"admin SEARCH_LIMIT set to {args.admin_limit}")
    print(f"{'query':<14}{'kind':<8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}  found")
    kinds = {"public": public_search, "admin": admin_search, "ids": admin_ids}
    for text in args.queries:
        for kind in args.kinds:
            times, result = timed(kinds[kind], text, args.runs, args.warmup)
            print(
                f"{text:<{14 - len(text)}}{kind:<8}{statistics.median(times):9.1f}"
                f"{percentile(times, 0.95):9.1f}{max(times):9.1f}  {result}"
            )
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
