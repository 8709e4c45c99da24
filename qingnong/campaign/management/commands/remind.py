from datetime import date

from django.core.management.base import BaseCommand, CommandError

from qingnong.campaign.models import Campaign
from qingnong.campaign.reminders import CONTACT_HEADER, campaign_debts, reminder_contacts, reminder_message, reminders_record
from qingnong.campaign.selectors import campaign_days, default_as_of
from qingnong.lib.csvfiles import write_csv
from qingnong.org.models import Org


class Command(BaseCommand):
    help = "列出各县区欠缴事项，打印可直接粘贴到青农微信群的提醒，并记录提醒时间。"

    def add_arguments(self, parser):
        parser.add_argument("--org", default="", help="只提醒这个市或县（行政区划代码），默认：建设计划的发起组织")
        parser.add_argument("--year", type=int, help="建设计划年度，默认 --as-of 那天所在的计划，否则最近一年")
        parser.add_argument("--as-of", type=date.fromisoformat, help="按哪一天计算（YYYY-MM-DD），默认今天或计划结束日")
        parser.add_argument("--csv", dest="csv_path", help="把要打电话的联系人写入 CSV 文件")
        parser.add_argument("--dry-run", action="store_true", help="只打印，不记录提醒")

    def handle(self, *args, org, year, as_of, csv_path, dry_run, **options):
        campaigns = Campaign.objects.order_by("-year")
        if year:
            campaigns = campaigns.filter(year=year)
        elif as_of:  # the campaign running on that day, if one is (the 2014 plan for a 2014 date)
            running = [c for c, (first, last) in ((c, campaign_days(c)) for c in campaigns.prefetch_related("phases", "deadlines"))
                       if first and first <= as_of <= last]
            campaigns = [*running, *campaigns]
        campaign = next(iter(campaigns), None)
        if campaign is None:
            raise CommandError("没有找到建设计划。请先运行 qingnong demo 或在系统中创建建设计划。")
        root = campaign.org
        if org:
            root = Org.objects.filter(code=org.ljust(6, "0") if len(org) < 6 else org).first()
            if root is None or not root.path.startswith(campaign.org.path):
                raise CommandError(f"组织 {org} 不在“{campaign}”的范围内。")
        as_of = as_of or default_as_of(campaign)
        debts = campaign_debts(campaign=campaign, root=root, as_of=as_of)
        self.stdout.write(f"{campaign}：截至 {as_of}，{len(debts)} 个县区有待办事项。\n")
        for debt in debts:
            self.stdout.write(f"—— {debt.county.name} ——")
            self.stdout.write(reminder_message(debt, as_of=as_of) + "\n")
        if csv_path:
            self._write_contacts(csv_path, debts)
        if not dry_run and debts:
            reminders_record(campaign=campaign, debts=debts, as_of=as_of)
            self.stdout.write(f"已记录 {len(debts)} 条提醒。")

    def _write_contacts(self, path, debts):
        with open(path, "w", newline="", encoding="utf-8-sig") as handle:  # BOM: Excel opens it as UTF-8
            write_csv(handle, CONTACT_HEADER, reminder_contacts(debts))
        self.stdout.write(f"联系人已写入 {path}")
