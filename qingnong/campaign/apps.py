from django.apps import AppConfig


class CampaignConfig(AppConfig):
    name = "qingnong.campaign"
    verbose_name = "建设计划"

    def ready(self):
        from qingnong.audit.registry import track

        from .models import Campaign, CountyPlan, ProgressSubmission

        track("plan", CountyPlan)
        track("campaign", Campaign)
        track("submission", ProgressSubmission)

        from qingnong.ledger.targets import provide

        from .selectors import current_target

        provide("youths_per_cadre", lambda user: current_target(user, "youths_per_cadre"))
