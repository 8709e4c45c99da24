"""Recompute every summary row (GroupTotals, MonthlyTotals) from the ledger: after a
load that bypassed the services (a restore from backup, a hand-written SQL fix)."""
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from qingnong.ledger.totals import rebuild_all


class Command(BaseCommand):
    help = "从台帐重新计算汇总表（微信群现状、每月发送条数与活动次数）"

    def handle(self, *args, **options):
        started = time.perf_counter()
        with transaction.atomic():
            rebuild_all()
        self.stdout.write(f"汇总表已重新计算（{time.perf_counter() - started:.1f} s）")
