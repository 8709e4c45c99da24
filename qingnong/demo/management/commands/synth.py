from django.core.management.base import BaseCommand

from qingnong.demo.synth import SCALES, synth_load


class Command(BaseCommand):
    help = "生成可复现的合成台帐（性能测试用）：city = 榆林（6108），province = 陕西全省（61）。已有则跳过。"

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="city")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, scale, seed, **options):
        synth_load(scale=scale, seed=seed, out=self.stdout.write)
