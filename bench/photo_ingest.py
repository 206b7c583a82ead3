"""Benchmark: ingest a 24-megapixel JPEG (checks, orientation, metadata stripped), then its renditions; time, memory.

    .venv/bin/python bench/photo_ingest.py                  # 6000 × 4000, the default
    .venv/bin/python bench/photo_ingest.py --width 3000 --height 2000 --runs 3

The picture is made in a child process (so making it does not count toward the peak), then ingested here
through the same service the admin uses, into a throw-away MEDIA_ROOT and an in-memory SQLite database. The
upload request only stores the checked original and enqueues the renditions; the background worker
(`manage.py db_worker --batch`, run here in this process) makes them, timed apart.
Reported: wall time per ingest, Python's own peak allocation (tracemalloc; Pillow's pixel buffers are not
Python objects, so this is a lower bound) and the process's peak resident size (ru_maxrss, which counts them).
Exit status 1 when the peak resident size passes --limit-mb (500 by default).
"""

import argparse
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_jpeg(path, width, height):
    """Write a noisy gradient JPEG (noise so the encoder cannot cheat) with GPS EXIF to ``path``."""
    from PIL import ExifTags, Image

    noise = Image.effect_noise((width, height), 24)
    gradient = Image.linear_gradient("L").resize((width, height))
    image = Image.merge("RGB", (noise, gradient, Image.eval(gradient, lambda v: 255 - v)))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 1
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (24.0, 48.0, 30.0), 3: "E", 4: (118.0, 35.0, 0.0)}
    image.save(path, "JPEG", quality=85, exif=exif)


def _max_rss_mb():
    # Linux reports kilobytes, macOS bytes.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 / 1024 if sys.platform == "darwin" else rss / 1024


def setup_django(media_root):
    """Configure Django with an in-memory database and a throw-away MEDIA_ROOT."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings.dev"
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    os.environ["MEDIA_ROOT"] = str(media_root)
    os.environ.pop("NEWSROOM_STORAGE_BACKEND", None)
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def ingest(path):
    """Ingest one file through the photo service; return (photo, seconds)."""
    from django.core.files.uploadedfile import TemporaryUploadedFile

    from articles.photos import services

    size = path.stat().st_size
    upload = TemporaryUploadedFile("bench.jpg", "image/jpeg", size, None)
    with open(path, "rb") as source:
        while chunk := source.read(1024 * 1024):
            upload.write(chunk)
    upload.seek(0)
    started = time.perf_counter()
    photo = services.photo_ingest(user=None, upload=upload, caption="基准测试")
    elapsed = time.perf_counter() - started
    upload.close()
    return photo, elapsed


def work_queue():
    """Run the background worker until the queue is empty; return seconds."""
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0", verbosity=0)
    return time.perf_counter() - started


def main(argv=None):
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=6000)
    parser.add_argument("--height", type=int, default=4000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--limit-mb", type=float, default=500.0)
    parser.add_argument("--make", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.make:
        make_jpeg(args.make, args.width, args.height)
        return 0

    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as workdir:
        source = Path(workdir) / "source.jpg"
        subprocess.run(  # noqa: S603 - our own script, our own arguments
            [
                sys.executable,
                __file__,
                "--make",
                str(source),
                "--width",
                str(args.width),
                "--height",
                str(args.height),
            ],
            check=True,
        )
        media_root = Path(workdir) / "media"
        media_root.mkdir()
        setup_django(media_root)
        baseline = _max_rss_mb()
        tracemalloc.start()
        timings, worker_timings, photo = [], [], None
        for _ in range(args.runs):
            photo, seconds = ingest(source)
            timings.append(seconds)
            worker_timings.append(work_queue())
        _current, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        peak = _max_rss_mb()
        stored = sum(p.stat().st_size for p in media_root.rglob("*") if p.is_file())
        out = io.StringIO()
        print(f"source: {args.width}×{args.height} JPEG, {source.stat().st_size / 1e6:.1f} MB", file=out)
        print(f"renditions: {photo.renditions.count()} files; stored in all {stored / 1e6:.1f} MB", file=out)
        print(
            f"upload request (check, strip, store, enqueue): {min(timings):.2f} s best, "
            f"{max(timings):.2f} s worst ({args.runs} runs)",
            file=out,
        )
        print(
            f"worker (renditions): {min(worker_timings):.2f} s best, {max(worker_timings):.2f} s worst",
            file=out,
        )
        print(f"tracemalloc peak (Python objects): {traced_peak / 1024 / 1024:.0f} MB", file=out)
        print(f"peak RSS (ru_maxrss): {peak:.0f} MB (before ingest: {baseline:.0f} MB)", file=out)
        print(f"limit: {args.limit_mb:.0f} MB -> {'OK' if peak < args.limit_mb else 'OVER'}", file=out)
        sys.stdout.write(out.getvalue())
        return 0 if peak < args.limit_mb else 1


if __name__ == "__main__":
    sys.exit(main())
