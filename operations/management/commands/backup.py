"""manage.py backup DESTINATION [--keep N]: a PostgreSQL dump, the media files and a manifest (operations.backup)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from operations import backup


class Command(BaseCommand):
    help = "备份数据库（pg_dump -Fc）与媒体文件，并写出清单（各表行数、稿件正文与媒体文件的校验和）。"

    def add_arguments(self, parser):
        parser.add_argument("destination", help="备份存放目录；每次备份在其中新建 newsroom-<时间> 子目录")
        parser.add_argument("--keep", type=int, default=0, help="只保留最新的 N 份备份（0：全部保留）")

    def handle(self, destination, keep, **options):
        storage = settings.STORAGES["default"]["BACKEND"]
        if storage != "django.core.files.storage.FileSystemStorage":
            raise CommandError(f"媒体文件存放在 {storage}，不在本机：请用对象存储自身的版本与备份功能。")
        try:
            folder = backup.backup(destination)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"备份完成：{folder}")
        for old in backup.prune(destination, keep) if keep else ():
            if options["verbosity"] > 1:
                self.stdout.write(f"已删除旧备份：{old}")
