"""Create the demo sections and one account per newsroom role (never in production)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.demo import ensure_demo_accounts, ensure_sections


class Command(BaseCommand):
    help = "创建演示栏目和三个演示账号（记者、编辑、值班主任），并打印其密码。生产环境中拒绝运行。"

    def handle(self, *args, **options):
        if not getattr(settings, "NEWSROOM_DEMO_ALLOWED", False):
            raise CommandError("demo_setup 不能在生产环境中运行（NEWSROOM_DEMO_ALLOWED 为 False）。")
        ensure_sections()
        accounts = ensure_demo_accounts()
        self.stdout.write("演示账号（登录 http://127.0.0.1:8000/admin/）：")
        for user, password, group in accounts:
            self.stdout.write(f"  {group:<4}  用户名 {user.username:<10} 密码 {password}")
