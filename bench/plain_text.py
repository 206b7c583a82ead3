"""Time ``articles.sanitize.plain_text`` on the worst 1 MB bodies (issue 14: under 100 ms each).

    .venv/bin/python bench/plain_text.py [--repeat 5]

Prints, per input, the best CPU time (``time.process_time``: what the process itself spent, robust on a busy
machine) and the best wall time over ``--repeat`` runs, next to the previous implementation (nh3 parsing
the body twice, then ``html.unescape``) run once. Nothing is asserted: the figures go in bench/README.md.
"""

import argparse
import html
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.test")

import django  # noqa: E402

django.setup()

import nh3  # noqa: E402

from articles.sanitize import plain_text, sanitize_body  # noqa: E402

MB = 1_000_000


def previous_plain_text(body):
    """The implementation before issue 14, for comparison."""
    text = nh3.clean(body or "", tags={"p", "h2", "h3", "h4", "li", "blockquote", "figcaption", "br"})
    for tag in ("</p>", "</h2>", "</h3>", "</h4>", "</li>", "</blockquote>", "</figcaption>", "<br>"):
        text = text.replace(tag, "\n")
    text = nh3.clean(text, tags=set())
    return "\n".join(line.strip() for line in html.unescape(text).splitlines() if line.strip())


def inputs():
    """(name, body) pairs of about 1 MB each: hostile raw input, and what the sanitizer stores from it."""
    raw = {
        "1 MB of <": "<" * MB,
        "nested entities &amp;amp;amp;amp;": "&amp;amp;amp;amp;" * (MB // 17),
        "&amp; × 200k": "&amp;" * (MB // 5),
        "<p> × 125k paragraphs": "<p>字</p>" * (MB // 8),
        "<b> × 333k open tags": "<b>" * (MB // 3),
        "<p without > × 500k": "<p" * (MB // 2),
        "one 1 MB tag name": "<" + "a" * MB,
        "&a × 500k (no ;)": "&a" * (MB // 2),
        "&x; × 333k unknown names": "&x;" * (MB // 3),
        "130k distinct numeric refs": "".join(f"&#{i};" for i in range(1, 130_000)),
    }
    for name, body in raw.items():
        yield name, body
    for name in ("1 MB of <", "nested entities &amp;amp;amp;amp;", "<b> × 333k open tags"):
        yield f"sanitized: {name}", sanitize_body(raw[name])


def best(function, body, repeat):
    cpu = wall = float("inf")
    for _ in range(repeat):
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        function(body)
        cpu = min(cpu, time.process_time() - started_cpu)
        wall = min(wall, time.perf_counter() - started_wall)
    return cpu * 1000, wall * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-previous", action="store_true", help="skip the old implementation (slow)")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'input':40} {'chars':>9} {'CPU ms':>8} {'wall ms':>8} {'before CPU ms':>14}")
    for name, body in inputs():
        cpu, wall = best(plain_text, body, args.repeat)
        before = "" if args.no_previous else f"{best(previous_plain_text, body, 1)[0]:14.0f}"
        print(f"{name:40} {len(body):9d} {cpu:8.1f} {wall:8.1f} {before}")


if __name__ == "__main__":
    main()
