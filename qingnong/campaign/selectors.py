"""Campaign reads: the campaign that governs a user, its plans (附件1) and what the ledger
says beside them. The scorecard is `scorecard.py`; the dashboard page is `dashboard.py`."""
from django.db.models import Exists, OuterRef, Q, Subquery

from qingnong.ledger.models import AccountAdmin, AccountStatus, GroupKind, OfficialAccount, WechatGroup, built_on
from qingnong.lib.dates import today
from qingnong.org.models import Org, OrgLevel
from qingnong.org.scoping import governing
from qingnong.org.selectors import subtree_aggregate

from .models import Campaign, CountyPlan


def current_campaign(user, *, year=None):
    """The latest campaign set by the user's city (or above), or one in its scope."""
    campaigns = governing(Campaign.objects.select_related("org"), user)
    if year:
        campaigns = campaigns.filter(year=year)
    return campaigns.prefetch_related("phases", "deadlines").order_by("-year", "org__depth").first()


def default_as_of(campaign):
    """Today, or the campaign's last day if it is over (the 2014 demo reads as of 2014-11-30)."""
    last = max([p.ends_on for p in campaign.phases.all()] + [d.due_on for d in campaign.deadlines.all()], default=None)
    return min(today(), last) if last else today()


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
