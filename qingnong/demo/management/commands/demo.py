from django.core.management.base import BaseCommand

from qingnong.demo.yulin import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = "载入榆林演示数据（真实行政区划 + 演示账号），可重复运行。"

    def handle(self, *args, **options):
        accounts = demo_load()
        self.stdout.write("演示数据已就绪：榆林市 12 个县区及其全部乡镇（民政部区划），以及 2014 年 7–11 月的演示台帐（随机种子 2014，标记为“演示数据”）。")
        self.stdout.write("演示账号（仅用于演示，密码均为 %s）：" % DEMO_PASSWORD)
        for user in accounts:
            self.stdout.write(f"  {user.username:<14} 手机 {user.mobile}  {user.org.committee_name} {user.get_role_display()}")
