"""Daily, just after midnight (cron or a systemd timer): temporary groups whose 结束日期 has
just passed stop counting as built. The summary rows count groups as of their last write,
so the units of the groups that expired in the last `--days` days are refreshed; re-running
is harmless."""
from datetime import timedelta

from django.core.management.base import BaseCommand

from qingnong.ledger.models import BUILT, WechatGroup
from qingnong.ledger.totals import refresh
from qingnong.lib.dates import today


class Command(BaseCommand):
    help = "临时群过了结束日期即不再计入已建群：刷新这些群所在单位的汇总（每天凌晨运行一次）"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="回看多少天内到期的群（漏跑几天也能补上），默认 7")

    def handle(self, *args, days, **options):
        day = today()
        expired = WechatGroup.objects.filter(status__in=BUILT, ends_on__lt=day, ends_on__gte=day - timedelta(days=days))
        orgs = sorted(set(expired.values_list("org_id", flat=True)))
        refresh(orgs, ("groups",))
        self.stdout.write(f"{len(orgs)} 个单位有临时群在 {days} 天内到期，汇总已刷新。")
