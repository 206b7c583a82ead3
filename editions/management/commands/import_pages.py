"""import_pages: load newspaper page texts into an edition (a thin wrapper over editions.importer.service)."""

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from editions.importer.load import STATUSES
from editions.importer.service import (
    ImportInputError,
    files_from_arguments,
    parse_date,
    read_manifest,
    read_pages,
    system_account,
)

OUTCOME_LABELS = {"imported": "已导入", "unchanged": "未变化", "replaced": "已替换", "refused": "被拒绝"}


class Command(BaseCommand):
    help = (
        "导入报纸版面文字：FILE… --date YYYY-MM-DD --page N（多个文件依次为第N、N+1…版），"
        "或 --manifest 清单。整批在一个事务中导入，全部成功或全部不写。"
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", metavar="FILE", help="版面文字文件（UTF-8 或 GB18030）")
        parser.add_argument("--date", help="出版日期 YYYY-MM-DD")
        parser.add_argument("--page", type=int, default=1, help="第一个文件的版次（默认 1）")
        parser.add_argument("--page-name", default="", help="版名，如：要闻（用于第一个文件）")
        parser.add_argument(
            "--status",
            choices=[str(s) for s in STATUSES],
            default="review",
            help="稿件状态（默认 review）",
        )
        parser.add_argument("--dry-run", action="store_true", help="只解析，不写数据库")
        parser.add_argument("--json", action="store_true", help="与 --dry-run 一起：输出解析结果 JSON")
        parser.add_argument(
            "--force",
            action="store_true",
            help="替换已被修改的未发布稿件（旧内容留在修订历史中；已发布的稿件和已出版的报纸不能替换）",
        )
        parser.add_argument("--manifest", help="清单文件（JSON），代替 FILE/--date/--page")
        parser.add_argument(
            "--user",
            help="记为操作人（及 --status published 时的签发人）的用户名；默认记为“系统导入”账号",
        )

    def handle(self, *args, **options):
        try:
            files = self.files(options)
            if options["dry_run"]:
                return self.dry_run(files, as_json=options["json"])
            user = self.user(options["user"])
            from editions.importer.load import LoadRefused
            from editions.importer.service import import_files

            try:
                outcomes = import_files(files, status=options["status"], user=user, force=options["force"])
            except LoadRefused as refusal:
                raise CommandError(f"导入被拒绝，未写入任何内容。{refusal.message}") from None
        except ImportInputError as error:
            raise CommandError(f"导入被拒绝，未写入任何内容。{error.message}") from None
        for outcome in outcomes:
            self.stdout.write(
                f"{outcome.source}（第{outcome.page_number}版）：编码 {outcome.encoding}，"
                f"稿件 {outcome.articles} 篇（新建 {outcome.articles_created}），"
                f"未归属 {outcome.unassigned_chars} 字，结果：{OUTCOME_LABELS[outcome.outcome]}"
            )
            if options["verbosity"] > 1 or outcome.unassigned_chars:
                for note in outcome.notes:
                    self.stdout.write(f"  {note}")

    def files(self, options):
        if options["manifest"]:
            if options["files"]:
                raise CommandError("--manifest 与文件参数不能同时使用。")
            _paper, files = read_manifest(options["manifest"])
            return files
        if not options["files"]:
            raise CommandError("请给出要导入的文件，或使用 --manifest 清单。")
        date = None
        if options["date"] is not None:
            date = parse_date(options["date"])
        elif not options["dry_run"]:
            raise CommandError("缺少 --date YYYY-MM-DD（出版日期）。")
        return files_from_arguments(
            options["files"], page=options["page"], date=date, page_name=options["page_name"]
        )

    def user(self, username):
        if not username:
            return system_account()
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"找不到用户 {username}。")
        return user

    def dry_run(self, files, *, as_json):
        """Parse only: no database is touched."""
        pages = read_pages(files)
        if as_json:
            self.stdout.write(json.dumps({"pages": [p.parsed.to_dict() for p in pages]}, ensure_ascii=False))
            return
        for page in pages:
            parsed = page.parsed
            self.stdout.write(
                f"{page.file.path.name}（第{page.file.page_number}版）：编码 {parsed.encoding}，"
                f"稿件 {len(parsed.articles)} 篇，未归属 {parsed.unassigned_chars} 字（试运行，未写入）"
            )
            for article in parsed.articles:
                lead = "【头条】" if article.is_lead else ""
                self.stdout.write(f"  {lead}{article.headline or '（无标题）'}")
