"""qingnong import-form {plan|progress} FILE --org <division code> [--dry-run] [--user NAME]

Prints the same preview as the web page, as text. Exit status 0 when it imported (or, with
--dry-run, would import), 1 when the file has errors — each printed as `CELL: reason` —
and then nothing is written (not even an import record). 附件3 may be imported by the
system (no --user); 附件1 follows the plan rules: the county's own account (--user)."""
import sys
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from qingnong.accounts.models import User
from qingnong.org.models import Org
from qingnong.reports import importer

FORMS = {"plan": "plan", "progress": "progress"}


class Command(BaseCommand):
    help = "导入填好的附件1（plan）或附件3（progress）Excel 文件；先打印预览。"

    def add_arguments(self, parser):
        parser.add_argument("form", choices=sorted(FORMS), help="plan = 附件1 计划表，progress = 附件3 跟踪摸底表")
        parser.add_argument("file", help=".xlsx、.xls 或 .ods 文件")
        parser.add_argument("--org", required=True, help="县区的行政区划代码，如 610802")
        parser.add_argument("--user", dest="username", help="以该账号导入（附件1 必须是县区本级账号）")
        parser.add_argument("--as-of", help="填报日期 YYYY-MM-DD（默认按表中的填报时间）")
        parser.add_argument("--dry-run", action="store_true", help="只检查和预览，不写入")

    def handle(self, *args, form, file, org, username=None, as_of=None, dry_run=False, **options):
        county = Org.objects.filter(code=org).first()
        if county is None:
            raise CommandError(f"没有行政区划代码为 {org} 的组织。")
        user = None
        if username:
            user = User.objects.filter(username=username, is_active=True).select_related("org").first()
            if user is None:
                raise CommandError(f"没有账号 {username}。")
        if form == "plan" and user is None:
            raise CommandError("附件1 由县区团委本级的账号导入：请加 --user 用户名。")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件 {file}。")
        if path.stat().st_size > importer.MAX_UPLOAD:
            return self._fail(f"文件太大（{path.stat().st_size / 1024 / 1024:.1f} MB），最大 10 MB。")
        data = path.read_bytes()
        try:
            analysis = importer.analyse(user=user, org=county, form_code=FORMS[form], data=data,
                                        as_of=date.fromisoformat(as_of) if as_of else None)
        except ValidationError as error:
            return self._fail("；".join(error.messages))
        self._print(analysis, path.name)
        if analysis.errors:
            for problem in analysis.errors:
                self.stderr.write(f"{problem['cell'] or '-'}: {problem['message']}")
            self.stderr.write(f"有 {len(analysis.errors)} 个错误，没有导入。")
            sys.exit(1)
        if dry_run:
            self.stdout.write("检查通过（--dry-run：没有写入）。")
            return
        try:
            run = importer.run_save(user=user, analysis=analysis, data=data, file_name=path.name)
            run = importer.import_confirm(user=user, run=run)
        except ValidationError as error:
            return self._fail("；".join(error.messages))
        self.stdout.write(f"已导入（导入记录 #{run.pk}，写入 {run.rows_written} 行）。")

    def _fail(self, message):
        self.stderr.write(message)
        sys.exit(1)

    def _print(self, analysis, name):
        preview = analysis.preview
        out = self.stdout.write
        out(f"{importer.FORM_NAMES[analysis.form_code]} · {analysis.org.name} · {name} · 工作表“{preview.get('sheet', '')}”"
            + (f" · 截至 {analysis.as_of:%Y-%m-%d}" if analysis.as_of else ""))
        if analysis.form_code == "progress":
            columns = preview["columns"]
            out("乡镇\t" + "\t".join(c["short"] for c in columns))
            for row in preview["rows"]:
                cells = [f"{row['values'][c['key']]}*" if c["key"] in row["changed"] else str(row["values"][c["key"]]) for c in columns]
                out(f"{row['name']}\t" + "\t".join(cells))
            out(f"{preview['counts']['rows']} 个乡镇，{preview['counts']['changed']} 个数字与现在不同（* 标出）。")
        else:
            for line in preview["fields"]:
                mark = f"（现在：{line['current'] or '空'}）" if line["changed"] else ""
                out(f"{line['label']}：{line['value']}{mark}".replace("\n", "；"))
        for problem in analysis.problems:
            if problem["level"] == "warning":
                out(f"提示 {problem['cell'] or '-'}: {problem['message']}")
