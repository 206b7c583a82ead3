"""manage.py restore BACKUP [--database-url URL] [--media-root PATH]: into an empty database and media folder."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from operations import backup


class Command(BaseCommand):
    help = "把一份备份恢复到空数据库与空媒体目录，并按清单逐项核对（表行数、稿件正文、媒体文件）。"

    def add_arguments(self, parser):
        parser.add_argument("backup", help="备份目录（含 manifest.json）")
        parser.add_argument("--database-url", help="目标数据库（postgres://…）；默认是本站的 DATABASE_URL")
        parser.add_argument("--media-root", help="目标媒体目录；默认是本站的 MEDIA_ROOT")

    def handle(self, **options):
        try:
            database = (
                backup.Database.from_url(options["database_url"])
                if options["database_url"]
                else backup.Database.from_alias()
            )
            manifest = backup.restore(
                options["backup"], database=database, media_root=options["media_root"] or settings.MEDIA_ROOT
            )
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        tables = manifest["database"]["tables"]
        self.stdout.write(
            f"恢复完成并已核对：{len(tables)} 张表，{sum(tables.values())} 行，"
            f"{len(manifest['database']['article_bodies'])} 篇稿件，{len(manifest['media'])} 个媒体文件。"
        )
