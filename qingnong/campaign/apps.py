from django.apps import AppConfig


class CampaignConfig(AppConfig):
    name = "qingnong.campaign"
    verbose_name = "建设计划"
