from django.core.management.base import BaseCommand

from qingnong.wechat.models import AccountLink, WecomLink
from qingnong.wechat.services import sync_account, sync_wecom


class Command(BaseCommand):
    help = ("从微信公众平台取得各已链接公众号的每日关注数据（新关注、取消关注、累计）和新发布的文章，"
            "从企业微信取得各县区客户群的成员和发言统计，补齐漏掉的日子。"
            "可以重复运行：已取得的日子不再取。每晚由定时任务运行。")

    def add_arguments(self, parser):
        parser.add_argument("--app-id", default="", help="只同步这个 AppID 的公众号")
        parser.add_argument("--days", type=int, default=30, help="新链接的公众号从多少天前开始取（默认 30）")

    def handle(self, *args, app_id, days, **options):
        links = AccountLink.objects.select_related("account", "linked_by").order_by("pk")
        if app_id:
            links = links.filter(app_id=app_id)
        failed = 0
        for link in links:
            run = sync_account(link, back=days)
            line = f"{link.account.name}（{link.app_id}）：取得 {run.days_fetched} 天"
            if run.error:
                failed += 1
                self.stderr.write(f"{line}；未完成：{run.error}")
            else:
                self.stdout.write(f"{line}，已同步至 {link.synced_through or '—'}。")
        for wecom in WecomLink.objects.select_related("org").order_by("pk"):
            if app_id:
                break
            error = sync_wecom(wecom)
            if error:
                failed += 1
                self.stderr.write(f"{wecom.org.name} 企业微信客户群：未完成：{error}")
            else:
                self.stdout.write(f"{wecom.org.name} 企业微信客户群：{wecom.groups.count()} 个群，统计已同步至 {wecom.synced_through}。")
        if failed:
            raise SystemExit(1)  # a timer unit shows the run as failed; the next run catches up
