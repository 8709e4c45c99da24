"""The demo's live campaign (issue 18): whatever day `make demo` runs, 榆林 is in the middle of
a campaign. The 2014 plan stays as history; this one is placed around today: 联系摸底 ended
five weeks ago, today is inside 全面建设, 检查验收 is ahead. Each county's 附件1 is at another
stage (approved, submitted, returned, late, draft, missing), the ledger goes on from 2014 up
to this week (member records and messages weekly, new groups founded during the phase,
activities, this week filled in by some townships and not yet by others), and a spot-check
round is under way. Seeded by the date, so one day's demo is the same every time."""
import random
from datetime import timedelta

from django.db import transaction

from qingnong.campaign.models import Campaign, Deadline, DeadlineKind, Phase, PhaseKind, PlanStatus
from qingnong.campaign.services import campaign_create_default
from qingnong.campaign.submissions import periods_generate_monthly
from qingnong.inspection.models import InspectionStatus
from qingnong.inspection.services.inspections import round_create
from qingnong.ledger.models import (
    MEMBER_FIELD_NAMES, Activity, ActivityType, GroupKind, GroupStatus, MemberSnapshot, MessageCategory, MessageRecord,
    Source, TownshipFigures, WechatGroup, message_dates,
)
from qingnong.ledger.totals import rebuild_all
from qingnong.lib.dates import today as today_
from qingnong.lib.dates import week_of
from qingnong.org.models import Org, OrgLevel

from .campaign import plans_load
from .ledger import DEMO_MARK, YOUTH_GROUPS, _short, _split, _with_history, _youth_covers_members

# Days from today: (phase, first day, last day); deadlines likewise.
PHASES = [(PhaseKind.SURVEY, -70, -36), (PhaseKind.BUILD, -35, 34), (PhaseKind.INSPECTION, 35, 64)]
DEADLINES = [(DeadlineKind.PLAN_DUE, -46), (DeadlineKind.WORK_GROUPS, -7), (DeadlineKind.YOUTH_GROUPS, 34),
             (DeadlineKind.ACCOUNT, 20)]
# Each county's 附件1, in code order: (status, submitted this many days after the survey began, late?)
STAGES = [
    (PlanStatus.APPROVED, 12), (PlanStatus.APPROVED, 18), (PlanStatus.APPROVED, 22), (PlanStatus.SUBMITTED, 19),
    (PlanStatus.APPROVED, 20), (PlanStatus.RETURNED, 15), (PlanStatus.APPROVED, 14), (PlanStatus.SUBMITTED, 30),
    (None, None), (PlanStatus.APPROVED, 19), (PlanStatus.DRAFT, None), (PlanStatus.APPROVED, 16),
]


def live_days(day):
    """{phase kind: (first, last)} of the live campaign for `day`."""
    return {kind: (day + timedelta(days=a), day + timedelta(days=b)) for kind, a, b in PHASES}


@transaction.atomic
def live_demo_load(*, city_admin, county_admins, day=None):
    """The live campaign and the ledger up to this week; does nothing if a campaign of the
    year is there already."""
    day = day or today_()
    city = Org.objects.get(code="610800")
    phases = live_days(day)
    year = phases[PhaseKind.SURVEY][0].year
    if Campaign.objects.filter(org=city, year=year).exists():
        return None
    campaign = _campaign(city, city_admin, year, phases, day)
    rng = random.Random(day.toordinal())
    survey_start = phases[PhaseKind.SURVEY][0]
    plans_load(campaign, city=city, city_admin=city_admin, county_admins=county_admins, stages=STAGES,
               submitted_on=lambda after: survey_start + timedelta(days=after), rng=rng)
    _ledger(city, phases[PhaseKind.SURVEY][0], phases[PhaseKind.BUILD][0], day, rng)
    _spot_check(campaign, city, city_admin, day)
    return campaign


def _campaign(city, city_admin, year, phases, day):
    campaign = campaign_create_default(org=city, year=year, user=city_admin)
    Phase.objects.filter(campaign=campaign).delete()
    Phase.objects.bulk_create([Phase(campaign=campaign, kind=k, starts_on=s, ends_on=e) for k, (s, e) in phases.items()])
    Deadline.objects.filter(campaign=campaign).delete()
    Deadline.objects.bulk_create([Deadline(campaign=campaign, kind=k, due_on=day + timedelta(days=d)) for k, d in DEADLINES])
    periods_generate_monthly(user=None, campaign=campaign)
    return campaign


def _ledger(city, since, build_start, day, rng):
    """Weekly member records and messages from the campaign's first week (`since`: two full
    months before this one, so month-on-month figures compare like with like) to this one,
    new groups founded during 全面建设, activities, and this week entered by about half the
    townships."""
    townships = list(Org.objects.filter(path__startswith=city.path, level=OrgLevel.TOWNSHIP).order_by("code"))
    owners = {}
    for group in WechatGroup.objects.filter(org__in=townships, owner__isnull=False).select_related("owner"):
        owners.setdefault(group.org_id, group.owner)
    new_groups = []
    for township in townships:
        for suffix, basis in rng.sample(YOUTH_GROUPS, k=rng.randint(0, 2)):
            founded = build_start + timedelta(days=rng.randint(0, max(0, (day - build_start).days)))
            new_groups.append(WechatGroup(org=township, name=f"{_short(township)}{suffix}（新）", kind=GroupKind.YOUTH,
                                          bases=f",{basis},", founded_on=founded, purpose=DEMO_MARK,
                                          owner=owners.get(township.pk)))
    _with_history(new_groups, WechatGroup)
    this_monday = week_of(day)[0]
    entered_this_week = {t.pk for t in townships if rng.random() < 0.5}
    groups = list(WechatGroup.objects.filter(purpose=DEMO_MARK, org__path__startswith=city.path,
                                             status=GroupStatus.ACTIVE).select_related("org"))
    snapshots, messages = [], []
    for group in groups:
        # Steady growth, under 5% a week: within the demo's own rule (ledger.quality: ±50% in 30 days).
        size = group.members_total or rng.randint(20, 40)
        monday = week_of(max(since, group.founded_on or since))[0]
        last = None
        while monday <= this_monday:
            township = group.org if group.org.level == OrgLevel.TOWNSHIP else None
            if monday == this_monday and (township is None or township.pk not in entered_this_week):
                break
            taken = min(monday + timedelta(days=6), day)
            size += rng.randint(0, max(1, size // 25))
            last = MemberSnapshot(group=group, taken_on=taken, total=size, source=Source.MANUAL,
                                  **dict(zip(MEMBER_FIELD_NAMES, _split(size, rng))))
            snapshots.append(last)
            for category in rng.sample(MessageCategory.values, k=rng.randint(0, 3)):
                messages.append(MessageRecord(org=group.org, group=group, **message_dates(monday, monday + timedelta(days=6)),
                                              count=rng.randint(1, 8), category=category))
            monday += timedelta(days=7)
        if last is not None:
            group.members_total, group.members_as_of = last.total, last.taken_on
            for f in MEMBER_FIELD_NAMES:
                setattr(group, f, getattr(last, f))
    MemberSnapshot.objects.bulk_create(snapshots, batch_size=2000)
    WechatGroup.objects.bulk_update(groups, [*MEMBER_FIELD_NAMES, "members_total", "members_as_of"], batch_size=1000)
    _with_history(messages, MessageRecord, batch_size=2000)
    activities, figures = [], []
    for township in townships:
        for _ in range(rng.randint(0, 3)):
            kind = rng.choice(ActivityType.values)
            activities.append(Activity(org=township, held_on=build_start + timedelta(days=rng.randint(0, (day - build_start).days)),
                                       activity_type=kind, title=f"{township.name}{dict(ActivityType.choices)[kind]}活动",
                                       participants=rng.randint(15, 120), note=DEMO_MARK))
        latest = TownshipFigures.objects.filter(org=township).order_by("-as_of").first()
        if latest is not None:
            figures.append(TownshipFigures(org=township, as_of=build_start, branch_count=latest.branch_count,
                                           cadre_count=latest.cadre_count, youth_count=latest.youth_count))
    _with_history(activities, Activity)
    _with_history(figures, TownshipFigures)
    rebuild_all()
    _youth_covers_members(townships)


def _spot_check(campaign, city, city_admin, day):
    """A mid-phase spot check started five days ago: two counties being inspected."""
    counties = list(Org.objects.filter(parent=city, level=OrgLevel.COUNTY).order_by("code"))
    round = round_create(user=city_admin, campaign=campaign, name=f"{day.year}年{day.month}月建设进度抽查",
                         starts_on=day - timedelta(days=5), ends_on=day + timedelta(days=9),
                         inspectors={c.pk: city_admin for c in counties})
    round.inspections.filter(org__in=counties[:2]).update(status=InspectionStatus.IN_PROGRESS)
    return round
