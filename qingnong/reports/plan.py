"""附件1 县乡两级微信体系建设计划表 from the campaign: each county's plan (CountyPlan) as it
stood on a date.

"As it stood": the plan's history (django-simple-history) gives the version saved last
on or before that day. A plan whose history starts later than the date it was submitted
(loaded in bulk, like the demo) counts from its submission with its current values. A
plan not yet written by that day is missing (未填报).
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from qingnong.campaign.models import AccountKindChoice, Campaign, CountyPlan
from qingnong.lib.dates import today
from qingnong.org.models import Org, OrgLevel

from .layouts import plan as layout
from .roster import counties_of

LAYOUT = layout.LAYOUT


@dataclass
class PlanForm:
    org: Org  # the county
    as_of: date
    campaign: Campaign | None
    plan: object | None  # CountyPlan or its historical version; None: not filled in by then
    header: dict
    note: str
    values: dict  # field key → value, as the form shows it


def campaign_for(org, *, as_of):
    """The campaign that governs `org` in `as_of`'s year (or the latest one before it)."""
    paths = [*org.ancestor_paths(), org.path]
    return (Campaign.objects.filter(org__path__in=paths, year__lte=as_of.year)
            .order_by("-year", "-org__depth").first())


def _end_of(day):
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def plans_as_of(counties, *, campaign, as_of):
    """{county pk: the plan as it stood at the end of `as_of`} (two statements in all)."""
    if campaign is None or not counties:
        return {}
    current = {p.org_id: p for p in CountyPlan.objects.filter(campaign=campaign, org__in=counties)}
    if as_of >= today():
        return current
    cutoff = _end_of(as_of)
    versions = {}
    history = (CountyPlan.history.filter(id__in=[p.pk for p in current.values()], history_date__lt=cutoff)
               .order_by("id", "-history_date", "-history_id"))
    for version in history:
        versions.setdefault(version.id, version)  # newest first per plan
    plans = {}
    for org_id, plan in current.items():
        version = versions.get(plan.pk)
        if version is not None:
            if version.history_type != "-" and version.deleted_at is None:
                plans[org_id] = version
        elif plan.submitted_at and plan.submitted_at < cutoff:
            plans[org_id] = plan  # history starts after its submission (bulk-loaded)
    return plans


def plan_values(plan, county):
    """The form's values, keyed like the layout's fields. Without a plan: the county's name."""
    if plan is None:
        return {"county_name": county.name}
    values = {f.key: getattr(plan, f.key) for f in LAYOUT.fields if f.kind != "yesno"}
    kind = AccountKindChoice(plan.account_type).label if plan.account_type else ""
    values["account_opened"] = f"是（{kind}）" if plan.account_opened and kind else ("是" if plan.account_opened else "否")
    return values


def plan_form(county, *, as_of, campaign=None, plan=None, lookup=True):
    campaign = campaign or campaign_for(county, as_of=as_of)
    if lookup:
        plan = plans_as_of([county], campaign=campaign, as_of=as_of).get(county.pk)
    note = f"{campaign.year}年度 · 截至{as_of:%Y年%m月%d日}" if campaign else f"截至{as_of:%Y年%m月%d日}"
    return PlanForm(
        org=county, as_of=as_of, campaign=campaign, plan=plan, note=note, values=plan_values(plan, county),
        header={"county": county.name, "filled_by": getattr(plan, "filled_by", ""), "contact": getattr(plan, "contact", "")},
    )


def plan_forms(org, *, as_of, user=None):
    """Every county's 附件1 under `org` (the city's sheet of all plans)."""
    counties = counties_of(org, user=user)
    campaign = campaign_for(org, as_of=as_of) if org.level != OrgLevel.COUNTY else None
    campaign = campaign or (campaign_for(counties[0], as_of=as_of) if counties else None)
    plans = plans_as_of(counties, campaign=campaign, as_of=as_of)
    return campaign, [plan_form(c, as_of=as_of, campaign=campaign, plan=plans.get(c.pk), lookup=False) for c in counties]
