from django.apps import AppConfig


class WechatConfig(AppConfig):
    name = "qingnong.wechat"
    verbose_name = "微信平台接口"
