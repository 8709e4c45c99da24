"""Campaign reads: the campaign that governs a user, its plans (附件1) and what the ledger
says beside them. The scorecard is `scorecard.py`; the dashboard page is `dashboard.py`."""
from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import Http404

from qingnong.ledger.models import AccountAdmin, AccountStatus, GroupKind, OfficialAccount, WechatGroup, built_on
from qingnong.lib.dates import today
from qingnong.org.models import Org, OrgLevel
from qingnong.org.scoping import get_scoped_or_404, governing, scoped
from qingnong.org.selectors import subtree_aggregate

from .models import Campaign, CountyPlan, PhaseKind, ProgressSubmission, Reminder, ReportingPeriod, SubmissionStatus


def current_campaign(user, *, year=None):
    """The latest campaign set by the user's city (or above), or one in its scope."""
    campaigns = governing(Campaign.objects.select_related("org"), user)
    if year:
        campaigns = campaigns.filter(year=year)
    return campaigns.prefetch_related("phases", "deadlines").order_by("-year", "org__depth").first()


def current_target(user, field):
    """One target of the campaign that governs `user` (current_campaign's), in one statement."""
    campaigns = governing(Campaign.objects.all(), user).order_by("-year", "org__depth")
    return campaigns.values_list(field, flat=True).first()


def campaign_days(campaign):
    """(first day, last day) of the campaign over its phases and deadlines; (None, None) if it has none."""
    days = [p.starts_on for p in campaign.phases.all()] + [p.ends_on for p in campaign.phases.all()] \
        + [d.due_on for d in campaign.deadlines.all()]
    return (min(days), max(days)) if days else (None, None)


def default_as_of(campaign):
    """Today, or the campaign's last day if it is over (the 2014 demo reads as of 2014-11-30)."""
    last = campaign_days(campaign)[1]
    return min(today(), last) if last else today()


def rate_window(campaign, as_of):
    """(first, last) day a rate of the campaign is counted over as of `as_of` (messages per
    group per week, activities per township): from its 全面建设 phase's first day (else the
    campaign's) up to `as_of`, never past the campaign's last day. A 2014 campaign inspected
    in 2026 counted 649 weeks (issue 17)."""
    first, last = campaign_days(campaign)
    build = next((p.starts_on for p in campaign.phases.all() if p.kind == PhaseKind.BUILD), None)
    start = build or first or as_of.replace(month=1, day=1)
    end = min(as_of, last) if last else as_of
    return min(start, end), end


def plan_ledger_figures(user, county, *, as_of):
    """What the ledger says now about the numbers a county's 附件1 plans (one statement):
    townships in the org tree, 团青/青农 groups built at each level, the county's account.
    None if `county` is not visible to `user` (its own subtree or an org above it)."""
    here, pk = OuterRef("path"), OuterRef("pk")

    def built(kind=None, **where):
        groups = WechatGroup.objects.filter(built_on(as_of), org__path__startswith=here, **where)
        return subtree_aggregate(groups.filter(kind=kind) if kind else groups)

    oa = OfficialAccount.objects.filter(org=pk)
    return governing(Org.objects.filter(pk=county.pk), user).annotate(
        n_townships=subtree_aggregate(Org.objects.filter(path__startswith=here, level=OrgLevel.TOWNSHIP)),
        county_youth=built(GroupKind.YOUTH, org=pk),
        county_work=built(GroupKind.WORK, org=pk),
        township_youth=built(GroupKind.YOUTH, org__level=OrgLevel.TOWNSHIP),
        township_work=built(GroupKind.WORK, org__level=OrgLevel.TOWNSHIP),
        direct_groups=built(org__level=OrgLevel.DIRECT),
        village_groups=built(org__level=OrgLevel.VILLAGE),
        account_name=Subquery(oa.values("name")[:1]),
        account_type=Subquery(oa.values("account_type")[:1]),
        account_opened=Exists(oa.filter(status=AccountStatus.OPENED).filter(Q(opened_on__isnull=True) | Q(opened_on__lte=as_of))),
        account_admins=subtree_aggregate(AccountAdmin.objects.filter(account__org=pk)),
    ).values(
        "n_townships", "county_youth", "county_work", "township_youth", "township_work", "direct_groups",
        "village_groups", "account_name", "account_type", "account_opened", "account_admins",
    ).first()


def plan_list(user, *, campaign):
    """The counties under the campaign's org that `user` sees (its subtree, or the county
    it works under), each with its plan's status and dates: one statement."""
    plan = CountyPlan.objects.filter(campaign=campaign, org=OuterRef("pk"))
    counties = governing(Org.objects.filter(level=OrgLevel.COUNTY, path__startswith=campaign.org.path), user)
    return counties.annotate(
        plan_status=Subquery(plan.values("status")[:1]),
        plan_submitted_at=Subquery(plan.values("submitted_at")[:1]),
        plan_reviewed_at=Subquery(plan.values("reviewed_at")[:1]),
        plan_is_late=Subquery(plan.values("is_late")[:1]),
    ).order_by("code", "name")


def county_plan(user, *, campaign, county):
    """The county's plan in `campaign` with its review history, or None (visible like the county)."""
    plans = governing(CountyPlan.objects.select_related("campaign", "org"), user)
    return plans.filter(campaign=campaign, org=county).prefetch_related("reviews__by").first()


def campaign_list(user):
    """Campaigns set by the user's own org, the orgs above it, or those below it."""
    return governing(Campaign.objects.select_related("org"), user).order_by("-year", "org__path")


# 附件3 reporting cycle (issue 12): each org's submission for a period, for the pages that
# review them. Two statements whatever the number of orgs.

def period_or_404(user, period_id):
    """A period of a campaign that governs the user (its city's, or one it set)."""
    campaigns = governing(Campaign.objects.all(), user)
    period = ReportingPeriod.objects.select_related("campaign").filter(campaign__in=campaigns, pk=period_id).first()
    if period is None:
        raise Http404("记录不存在或不在您的权限范围内")
    return period


def submissions_under(user, parent, *, period):
    """[(org, submission or None)] for the orgs whose 附件3 `parent` reviews in `period`:
    a county's townships, a city's counties; scoped to the user; those waiting first."""
    level = OrgLevel.TOWNSHIP if parent.level == OrgLevel.COUNTY else OrgLevel.COUNTY
    orgs = list(scoped(Org.objects.filter(parent=parent, level=level), user).order_by("code", "name"))
    by_org = {s.org_id: s for s in ProgressSubmission.objects.filter(period=period, org__in=orgs).select_related("submitted_by")}
    rows = [(org, by_org.get(org.pk)) for org in orgs]
    # Waiting for review first, then returned, not submitted, approved (sorted is stable: by code within).
    order = {SubmissionStatus.SUBMITTED: 0, SubmissionStatus.RETURNED: 1, None: 2, SubmissionStatus.APPROVED: 3}
    return sorted(rows, key=lambda row: order[row[1].status if row[1] else None])


def own_submission(user, org, *, period):
    """`org`'s own submission for `period` with its review history, or None."""
    return (scoped(ProgressSubmission.objects.filter(period=period, org=org), user)
            .select_related("submitted_by").prefetch_related("reviews__by").first())


def submission_or_404(user, submission_id):
    return get_scoped_or_404(ProgressSubmission.objects.select_related("org", "period__campaign"), user, pk=submission_id)


def last_reminders(campaign, counties):
    """{county id: its latest Reminder in `campaign`, with who sent it} (one statement)."""
    latest = Reminder.objects.filter(campaign=campaign, org=OuterRef("org")).order_by("-at", "-pk").values("pk")[:1]
    reminders = Reminder.objects.filter(campaign=campaign, org__in=counties).filter(pk=Subquery(latest)).select_related("by")
    return {r.org_id: r for r in reminders}
