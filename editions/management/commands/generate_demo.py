"""manage.py generate_demo --articles N: realistic published stories in daily editions, for benchmarks."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from editions.demo_generate import generate


class Command(BaseCommand):
    help = "生成演示数据：由种子版面文字重组的已发布稿件，按日成期、分版（用于性能测试）。"

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1000, help="稿件数（最多 1,000,000）")
        parser.add_argument("--seed", type=int, default=0, help="随机种子（相同种子生成相同内容）")
        parser.add_argument("--batch-editions", type=int, default=40, help="每批写入的期数")

    def handle(self, *args, articles, seed, batch_editions, **options):
        if not getattr(settings, "NEWSROOM_DEMO_ALLOWED", False):
            raise CommandError("此环境不允许生成演示数据（NEWSROOM_DEMO_ALLOWED 为 False）。")
        if not 1 <= articles <= 1_000_000:
            raise CommandError("--articles 必须在 1 到 1,000,000 之间。")
        if batch_editions < 1:
            raise CommandError("--batch-editions 必须大于 0。")
        started = time.monotonic()
        verbose = options.get("verbosity", 1) >= 2
        made, editions = generate(
            articles, seed=seed, batch_editions=batch_editions, log=self.stdout.write if verbose else None
        )
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"已生成 {made} 篇稿件、{editions} 期报纸，用时 {elapsed:.1f} 秒。")
        )
