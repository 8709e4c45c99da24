"""qingnong backup [--dest DIR]: the database and the media folder in one dated archive."""
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from qingnong.lib.backup import BackupError, backup, read_manifest


class Command(BaseCommand):
    help = "备份数据库和媒体文件到一个带日期的归档（含清单与校验值）"

    def add_arguments(self, parser):
        parser.add_argument("--dest", default=str(Path(settings.DATA_DIR) / "backups"), help="存放备份的文件夹")

    def handle(self, *args, dest, **options):
        try:
            archive = backup(dest)
            manifest = read_manifest(archive)  # read back: a backup that cannot be read is no backup
        except BackupError as error:
            raise CommandError(str(error)) from None
        size = archive.stat().st_size
        self.stdout.write(f"已备份：{archive}（{size / 1e6:.1f} MB，{len(manifest['files'])} 个文件，校验通过）")
