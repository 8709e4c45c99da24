"""qingnong restore ARCHIVE: into this instance's database and media folder, both empty."""
from django.core.management.base import BaseCommand, CommandError

from qingnong.lib.backup import BackupError, restore


class Command(BaseCommand):
    help = "从备份归档恢复到新的空实例（数据库和媒体文件夹都必须是空的）"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="qingnong backup 写出的 .tar 文件")

    def handle(self, *args, archive, **options):
        try:
            manifest = restore(archive)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"已恢复 {manifest['created_at']} 的备份（{len(manifest['files'])} 个文件）。"
                          "请运行 qingnong migrate 以升级到当前版本的数据结构。")
