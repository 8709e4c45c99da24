"""Demo campaign: the 2014 Yulin plan with each county's 附件1 at a different stage."""
import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from qingnong.org.models import Org, OrgLevel

from qingnong.campaign.models import Campaign, CountyPlan, DeadlineKind, PlanReview, PlanStatus
from qingnong.campaign.services import campaign_create_default, plan_prefill

# (status, submitted on day of August, late?) for the 12 counties in code order.
STAGES = [
    (PlanStatus.APPROVED, 12), (PlanStatus.APPROVED, 18), (PlanStatus.APPROVED, 25), (PlanStatus.SUBMITTED, 19),
    (PlanStatus.APPROVED, 20), (PlanStatus.RETURNED, 15), (PlanStatus.APPROVED, 14), (PlanStatus.SUBMITTED, 28),
    (None, None), (PlanStatus.APPROVED, 19), (PlanStatus.DRAFT, None), (PlanStatus.APPROVED, 16),
]


@transaction.atomic
def campaign_demo_load(*, city_admin, county_admins, seed=2014):
    city = Org.objects.get(code="610800")
    campaign = Campaign.objects.filter(org=city, year=2014).first()
    if campaign is not None:
        return campaign
    campaign = campaign_create_default(org=city, year=2014, user=city_admin)
    august = campaign.phases.get(kind="survey").starts_on.replace(month=8)
    plans_load(campaign, city=city, city_admin=city_admin, county_admins=county_admins, stages=STAGES,
               submitted_on=lambda day: august.replace(day=day), rng=random.Random(seed))
    return campaign


def plans_load(campaign, *, city, city_admin, county_admins, stages, submitted_on, rng):
    """Each county's 附件1 (code order) at the stage `stages` gives it: (status, n), sent on
    submitted_on(n), late if after the plan's deadline; None: not filled in at all. Shared by
    the 2014 plan and the live demo (demo/live.py)."""
    due = campaign.deadlines.get(kind=DeadlineKind.PLAN_DUE).due_on
    counties = list(Org.objects.filter(parent=city, level=OrgLevel.COUNTY).order_by("code"))
    for county, (status, n) in zip(counties, stages):
        if status is None:
            continue  # not filled in: it shows as 未填报 and overdue
        values = plan_prefill(campaign=campaign, county=county)
        values["planned_township_youth_groups"] = round(values["planned_township_youth_groups"] * rng.uniform(0.95, 1.25))
        values.update(
            wechat_lead=f"{county.name}团委书记", admins_contact="（演示数据）", filled_by="演示数据", contact="0912-0000000",
            planned_county_youth_groups=rng.randint(2, 6), planned_township_work_groups=values["township_count"],
            planned_direct_groups=rng.randint(2, 8), planned_village_groups=rng.randint(10, 60),
        )
        plan = CountyPlan.objects.create(campaign=campaign, org=county, **values)
        if status == PlanStatus.DRAFT:
            continue
        sent_on = submitted_on(n)
        submitted = timezone.make_aware(datetime.combine(sent_on, time(16)))
        author = county_admins.get(county.pk, city_admin)
        steps = [(PlanStatus.DRAFT, PlanStatus.SUBMITTED, author, "", submitted)]
        if status == PlanStatus.RETURNED:
            steps.append((PlanStatus.SUBMITTED, PlanStatus.RETURNED, city_admin, "乡镇级团青微信群数量偏少，请按每乡镇不少于10个重新测算。", submitted + timedelta(days=2)))
        if status == PlanStatus.APPROVED:
            steps.append((PlanStatus.SUBMITTED, PlanStatus.APPROVED, city_admin, "", submitted + timedelta(days=3)))
        for from_status, to_status, by, reason, at in steps:
            review = PlanReview.objects.create(plan=plan, from_status=from_status, to_status=to_status, by=by, reason=reason)
            PlanReview.objects.filter(pk=review.pk).update(at=at)
        CountyPlan.objects.filter(pk=plan.pk).update(
            status=status, submitted_at=submitted, is_late=sent_on > due, reviewed_at=steps[-1][4] if len(steps) > 1 else None,
            return_reason=steps[-1][3] if status == PlanStatus.RETURNED else "",
        )
