"""qingnong export-form {plan|roster|progress} --org <division code> [--as-of YYYY-MM-DD] -o FILE.xlsx

A county's code gives its own form; a city's code gives every county's (for progress the
city-wide workbook: 全市汇总, one sheet per county, 附件2 and all 附件1 plans). Writes only
the file; safe to re-run."""
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from qingnong.lib.dates import today
from qingnong.org.models import Org, OrgLevel
from qingnong.lib.xlsx import write_workbook
from qingnong.reports import workbooks

FORM_LEVELS = (OrgLevel.PROVINCE, OrgLevel.CITY, OrgLevel.COUNTY)


class Command(BaseCommand):
    help = "按正式表样导出附件1（plan）、附件2（roster）或附件3（progress）为 .xlsx。"

    def add_arguments(self, parser):
        parser.add_argument("form", choices=["plan", "roster", "progress"], help="plan=附件1，roster=附件2，progress=附件3")
        parser.add_argument("--org", required=True, help="县区或市的行政区划代码，如 610802（榆阳区）、610800（榆林市）")
        parser.add_argument("--as-of", type=date.fromisoformat, help="填报时间（截至哪一天，YYYY-MM-DD），默认今天")
        parser.add_argument("--from", dest="start", type=date.fromisoformat,
                            help="附件3：发送微信数和线下活动从哪一天算起，默认累计")
        parser.add_argument("-o", "--output", required=True, help="写入的 .xlsx 文件")
        parser.add_argument("--filled-by", default="", help="表头的填表人")
        parser.add_argument("--contact", default="", help="表头的联系方式")

    def handle(self, *args, form, org, as_of, start, output, filled_by, contact, **options):
        code = org.strip()
        found = Org.objects.filter(code=code.ljust(6, "0") if len(code) < 6 else code).first()
        if found is None:
            raise CommandError(f"没有行政区划代码为 {code} 的组织。请先运行 qingnong load-divisions。")
        if found.level not in FORM_LEVELS:
            raise CommandError(f"{found.name}是{found.get_level_display()}：报表按县区或市导出，请用所在县区的代码。")
        as_of = as_of or today()
        if start and start > as_of:
            raise CommandError("--from 晚于 --as-of。")
        if not output.lower().endswith(".xlsx"):
            raise CommandError("输出文件名应以 .xlsx 结尾。")
        sheets, _ = workbooks.export_sheets(form, found, as_of=as_of, start=start if form == "progress" else None,
                                       header={"filled_by": filled_by, "contact": contact})
        try:
            write_workbook(output, sheets)
        except OSError as error:
            raise CommandError(f"无法写入 {output}：{error}")
        self.stdout.write(f"已导出 {found.name} 截至 {as_of} 的{workbooks.SHEET_NAMES[form]}：{output}（{len(sheets)} 张工作表）")
