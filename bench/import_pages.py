"""Benchmark the page importer: generate a year of pages from the seed's stories and import them.

Pages are made by recombining the six stories of fixtures/seeds/000_0566e1bba8b8effc.txt with varied
names, numbers and layouts: the stories are picked and shuffled per page, every reporter gets a
generated name, digits are changed, headlines get a serial so that each page is new, paragraphs are
re-wrapped at a random column width and headlines stand before or after their bodies. Each day
(``--pages`` pages) is one ``import_files`` run (one transaction), as ``import_pages`` does it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench .venv/bin/python bench/import_pages.py

Prints the parse rate (no database) and the full import rate, in pages per second.
"""

import argparse
import datetime as dt
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "seeds" / "000_0566e1bba8b8effc.txt"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰晓东海燕立新春梅文斌宇航"
PAGE_NAMES = ["要闻", "综合", "社会", "文体", "评论", "经济", "镇街", "副刊"]


def setup_django():
    """Configure Django for a standalone script (DEBUG off so queries are not kept in memory)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.dev")
    os.environ.setdefault("DEBUG", "0")
    import django

    django.setup()


def seed_stories():
    """The seed's stories as parsed (the material to recombine)."""
    from editions.importer import decode_bytes, parse_page

    decoded = decode_bytes(SEED.read_bytes(), source=SEED.name)
    return parse_page(decoded.text, source=SEED.name, encoding=decoded.encoding).articles


def _name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _wrap(text, width):
    return "\n".join(text[i : i + width] for i in range(0, len(text), width))


def _vary_digits(text, rng):
    return re.sub(r"\d+", lambda m: str(int(m.group()) + rng.randint(0, 9)), text)


def render_story(story, rng, serial):
    """One story as printed text: title stack, credit line, body wrapped at a random column width."""
    width = rng.randint(12, 22)
    names = " ".join(_name(rng) for _ in story.bylines or [None])
    title = [line for line in (story.kicker, f"{story.headline}（{serial}）", story.subheadline) if line]
    body = []
    for block in story.body:
        text = _vary_digits(block.text, rng)
        body.append(text if block.type == "subhead" else _wrap(text, width))
    credit = f"本报记者 {names}"
    if story.continued_to_page:
        body[-1] += f"（下转{story.continued_to_page}版）"
    frames = ["\n".join(title), credit, *body]
    if rng.random() < 0.3:
        # The headline printed after its body, as frames often come out of the PDF.
        frames = [credit, *body, "\n".join(title)]
    return frames


def generate(days, pages_per_day, start, seed, directory):
    """Write the page texts; return [(date, [paths of pages 1..n])]."""
    rng = random.Random(seed)
    stories = seed_stories()
    plan, serial = [], 0
    for day in range(days):
        date = start + dt.timedelta(days=day)
        paths = []
        for number in range(1, pages_per_day + 1):
            chosen = rng.sample(stories, rng.randint(3, len(stories)))
            frames = ["创新发展“晋江经验”奋力打造中国式现代化县域示范"]
            for story in chosen:
                serial += 1
                frames += render_story(story, rng, serial)
            path = directory / f"{date:%Y%m%d}_{number:02d}.txt"
            path.write_text("\n\n".join(frames) + "\n", encoding="utf-8")
            paths.append(path)
        plan.append((date, paths))
    return plan


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--days", type=int, default=365, help="days to generate (default 365)")
    parser.add_argument("--pages", type=int, default=8, help="pages per day (default 8)")
    parser.add_argument("--start", default="2001-01-01", help="first date (default 2001-01-01)")
    parser.add_argument("--seed", type=int, default=4, help="random seed")
    parser.add_argument("--status", default="review", choices=("draft", "review", "published"))
    args = parser.parse_args()

    setup_django()
    from django.db import connection

    from editions.importer.service import PageFile, import_files, read_pages
    from editions.models import Edition

    start = dt.date.fromisoformat(args.start)
    end = start + dt.timedelta(days=args.days - 1)
    if Edition.objects.filter(date__range=(start, end)).exists():
        sys.exit(
            f"editions between {start} and {end} already exist: use an empty database or another --start"
        )

    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as tmp:
        plan = generate(args.days, args.pages, start, args.seed, Path(tmp))
        total = args.days * args.pages
        print(f"generated {total} pages ({args.days} days × {args.pages}) on {connection.vendor}")

        t0 = time.perf_counter()
        for date, paths in plan:
            read_pages([PageFile(p, n, date) for n, p in enumerate(paths, start=1)])
        parse_seconds = time.perf_counter() - t0
        print(f"decode + parse: {total / parse_seconds:.1f} pages/s ({parse_seconds:.1f} s)")

        articles = unassigned = 0
        t0 = time.perf_counter()
        for date, paths in plan:
            files = [
                PageFile(p, n, date, PAGE_NAMES[(n - 1) % len(PAGE_NAMES)]) for n, p in enumerate(paths, 1)
            ]
            for outcome in import_files(files, status=args.status):
                articles += outcome.articles
                unassigned += outcome.unassigned_chars
        seconds = time.perf_counter() - t0
        print(f"import ({args.status}): {total / seconds:.1f} pages/s ({seconds:.1f} s, {articles} articles)")
        print(f"unassigned characters over all pages: {unassigned}")


if __name__ == "__main__":
    main()
