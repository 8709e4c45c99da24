from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from qingnong.org.divisions import divisions_load


class Command(BaseCommand):
    help = "从已安装的民政部行政区划数据导入组织树，如 6108（榆林市）、61（陕西省）。可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("code", help="行政区划代码：2 位（省）、4 位（市）、6 位（县）或 9 位（乡镇）")

    def handle(self, *args, code, **options):
        try:
            result = divisions_load(code=code)
        except ValidationError as error:
            raise CommandError("；".join(error.messages))
        self.stdout.write(
            f"{result.root.name}（{result.root.code}）：新增 {result.created}，更新 {result.updated}，"
            f"未变 {result.unchanged}。数据截止 {result.data_as_of}。"
        )
