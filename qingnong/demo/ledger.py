"""Demo ledger for 榆林, autumn 2014 (演示数据): seeded, so every `qingnong demo` gives the
same picture. Some townships run ahead of the plan's targets, some behind; some
counties have no official account yet; weekly history Jul–Nov gives the charts shape.
Bulk-inserted: a few seconds for the whole city."""
import random
from datetime import date, timedelta
from math import ceil

from django.db import transaction
from simple_history.utils import bulk_create_with_history
from django.db.models import Sum
from django.db.models.functions import Substr

from qingnong.org.models import Org, OrgLevel

from qingnong.ledger.totals import rebuild_all
from qingnong.ledger.models import (
    MEMBER_FIELD_NAMES, AccountAdmin, AccountStatus, AccountType, Activity, ActivityType, AdminRole, Cadre,
    GroupKind, GroupStatus, MemberSnapshot, MessageCategory, MessageRecord, OfficialAccount, Source,
    GroupTotals, SubscriberSnapshot, TownshipFigures, WechatGroup, message_dates,
)

DEMO_MARK = "演示数据"


def _with_history(rows, model, batch_size=None):
    """Bulk insert with each row's creation in its 修改历史, so that the first edit of a demo
    row has a 修改前 (issue 17). Member and subscriber snapshots keep no history of their own."""
    return bulk_create_with_history(rows, model, batch_size=batch_size, default_change_reason=DEMO_MARK)
START, END = date(2014, 7, 1), date(2014, 11, 30)
SURNAMES = "王李张刘杨高郝马白贺薛冯常"
GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "强", "军", "洋", "艳", "杰", "涛", "明", "霞", "鹏", "丽"]
YOUTH_GROUPS = [  # (name suffix, basis)
    ("青年致富群", "trade"), ("务工青年群", "trade"), ("返乡创业群", "cause"), ("青年志愿者群", "cause"),
    ("青年篮球群", "hobby"), ("秧歌队群", "hobby"), ("大学生村官群", "place"), ("青年农民群", "place"),
    ("养殖户青年群", "trade"), ("电商青年群", "trade"), ("婚恋交友群", "hobby"), ("留守青年群", "place"),
    ("果业青年群", "trade"), ("青年读书群", "hobby"),
]
# (weight of each member column: farming, wage, business, public, other, away wage, study, startup, other)
MIX = [0.30, 0.14, 0.08, 0.05, 0.03, 0.22, 0.10, 0.05, 0.03]


def _short(org):
    return org.name[:-1] if len(org.name) > 2 and org.name[-1] in "区县市镇乡" else org.name.replace("街道", "")


def _person(rng):
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")


def _mobile(rng):
    return "1" + rng.choice("3589") + "".join(rng.choice("0123456789") for _ in range(9))


def _weeks(start):
    day = start + timedelta(days=(6 - start.weekday()))  # first Sunday on or after start
    while day <= END:
        yield day
        day += timedelta(days=7)


def _split(total, rng):
    weights = [w * rng.uniform(0.6, 1.4) for w in MIX]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    counts[0] += total - sum(counts)
    return counts


@transaction.atomic
def ledger_demo_load(*, user, seed=2014):
    """Fill 榆林 with a reproducible autumn-2014 ledger. Does nothing if it is there already."""
    city = Org.objects.get(code="610800")
    if WechatGroup.all_objects.filter(org__path__startswith=city.path, purpose=DEMO_MARK).exists():
        return False
    rng = random.Random(seed)
    counties = list(Org.objects.filter(parent=city, level=OrgLevel.COUNTY).order_by("code"))
    townships = list(Org.objects.filter(parent__in=counties, level=OrgLevel.TOWNSHIP).order_by("code"))
    villages = list(Org.objects.filter(path__startswith=city.path, level__in=[OrgLevel.VILLAGE, OrgLevel.DIRECT]))
    # How far along each county is: a few ahead, most on track, a few behind.
    pace = {c.pk: rng.choice([1.3, 1.1, 1.0, 0.9, 0.8, 0.6, 0.4]) for c in counties}

    cadres = []
    for org in [city, *counties, *townships, *villages]:
        for i in range(1 if org.level in (OrgLevel.VILLAGE, OrgLevel.DIRECT) else rng.randint(2, 3)):
            grassroots = org.level in (OrgLevel.TOWNSHIP, OrgLevel.VILLAGE, OrgLevel.DIRECT)
            cadres.append(Cadre(
                org=org, name=_person(rng), position="团委书记" if i == 0 else "团委委员", mobile=_mobile(rng),
                wechat_id=f"qn{rng.randint(100000, 999999)}", qq=str(rng.randint(10000000, 999999999)),
                is_grassroots=grassroots, youths_reached=rng.randint(5, 45) if grassroots else rng.randint(20, 80),
            ))
    _with_history(cadres, Cadre)
    owners = {}
    for cadre in Cadre.objects.filter(org__path__startswith=city.path):
        owners.setdefault(cadre.org_id, []).append(cadre)

    groups = []
    for county in counties:
        groups.append(WechatGroup(org=county, name=f"青农{_short(county)}", kind=GroupKind.WORK, covers_level=OrgLevel.TOWNSHIP,
                                  founded_on=date(2014, 8, rng.randint(5, 28)), purpose=DEMO_MARK, owner=owners[county.pk][0]))
    groups.append(WechatGroup(org=city, name="青农榆林", kind=GroupKind.WORK, covers_level=OrgLevel.COUNTY,
                              founded_on=date(2014, 7, 25), purpose=DEMO_MARK, owner=owners[city.pk][0]))
    for township in townships:
        p = pace[township.parent_id] * rng.uniform(0.7, 1.3)
        if rng.random() < min(0.95, p):
            groups.append(WechatGroup(org=township, name=f"{_short(township)}青农群", kind=GroupKind.WORK, covers_level=OrgLevel.VILLAGE,
                                      founded_on=date(2014, 9, rng.randint(1, 28)), purpose=DEMO_MARK, owner=owners[township.pk][0]))
        for suffix, basis in rng.sample(YOUTH_GROUPS, k=min(len(YOUTH_GROUPS), max(1, round(10 * p)))):
            status = GroupStatus.ACTIVE if rng.random() > 0.08 else GroupStatus.DORMANT
            groups.append(WechatGroup(
                org=township, name=f"{_short(township)}{suffix}", kind=GroupKind.YOUTH, bases=f",{basis},", status=status,
                founded_on=START + timedelta(days=rng.randint(10, 110)), purpose=DEMO_MARK, owner=rng.choice(owners[township.pk]),
            ))
    _with_history(groups, WechatGroup)
    groups = list(WechatGroup.objects.filter(purpose=DEMO_MARK, org__path__startswith=city.path).select_related("org"))

    snapshots, messages = [], []
    for group in groups:
        target = rng.randint(25, 180) if group.kind == GroupKind.YOUTH else rng.randint(12, 40)
        size = rng.randint(5, 15)
        for sunday in _weeks(group.founded_on):
            size = min(target, size + rng.randint(0, max(2, target // 6)))
            counts = _split(size, rng)
            snapshots.append(MemberSnapshot(group=group, taken_on=sunday, total=size, source=Source.MANUAL,
                                            **dict(zip(MEMBER_FIELD_NAMES, counts))))
            monday = sunday - timedelta(days=6)
            for category in rng.sample(MessageCategory.values, k=rng.randint(0, 3)):
                messages.append(MessageRecord(org=group.org, group=group, **message_dates(monday, sunday),
                                              count=rng.randint(1, 8), category=category))
        last = snapshots[-1] if snapshots and snapshots[-1].group is group else None
        if last:
            group.members_total, group.members_as_of = last.total, last.taken_on
            for f in MEMBER_FIELD_NAMES:
                setattr(group, f, getattr(last, f))
    MemberSnapshot.objects.bulk_create(snapshots, batch_size=2000)
    WechatGroup.objects.bulk_update(groups, [*MEMBER_FIELD_NAMES, "members_total", "members_as_of"], batch_size=1000)

    accounts, subscribers = [], []
    for county in counties:
        if pace[county.pk] < 0.6 or rng.random() < 0.15:
            continue  # no account yet
        opened = date(2014, rng.randint(8, 10), rng.randint(1, 28))
        accounts.append(OfficialAccount(org=county, name=f"青农{_short(county)}", account_type=rng.choice(AccountType.values),
                                        wechat_id=f"qingnong_{county.code}", opened_on=opened, status=AccountStatus.OPENED))
    _with_history(accounts, OfficialAccount)
    admins = []
    for official_account in OfficialAccount.objects.filter(org__in=counties):
        n = rng.randint(50, 300)
        for sunday in _weeks(official_account.opened_on):
            n += rng.randint(20, 260)
            subscribers.append(SubscriberSnapshot(account=official_account, taken_on=sunday, subscribers=n))
            monday = sunday - timedelta(days=6)
            for _ in range(rng.randint(0, 3)):
                messages.append(MessageRecord(org=official_account.org, account=official_account, **message_dates(monday),
                                              count=1, category=rng.choice(MessageCategory.values),
                                              theme=rng.choice(["policy_explainer", "league_news", "service_project", "model_work", "role_model", "inspirational"])))
        official_account.subscribers, official_account.subscribers_as_of = n, subscribers[-1].taken_on if subscribers else None
        for i, cadre in enumerate(owners[official_account.org_id][:2]):
            admins.append(AccountAdmin(account=official_account, cadre=cadre, role=AdminRole.FULL_TIME if i == 0 else AdminRole.PART_TIME))
        OfficialAccount.objects.filter(pk=official_account.pk).update(subscribers=official_account.subscribers, subscribers_as_of=official_account.subscribers_as_of)
    SubscriberSnapshot.objects.bulk_create(subscribers)
    _with_history(admins, AccountAdmin)
    _with_history(messages, MessageRecord, batch_size=2000)

    activities, figures = [], []
    for township in townships:
        for _ in range(rng.randint(0, 4)):
            kind = rng.choice(ActivityType.values)
            activities.append(Activity(org=township, held_on=START + timedelta(days=rng.randint(20, 145)), activity_type=kind,
                                       title=f"{township.name}{dict(ActivityType.choices)[kind]}活动", participants=rng.randint(15, 120),
                                       note=DEMO_MARK))
        for as_of in (date(2014, 8, 15), date(2014, 11, 15)):
            figures.append(TownshipFigures(org=township, as_of=as_of, branch_count=rng.randint(8, 30),
                                           cadre_count=rng.randint(10, 40), youth_count=rng.randint(300, 2500)))
    _with_history(activities, Activity)
    _with_history(figures, TownshipFigures)
    rebuild_all()  # bulk_create sends no post_save: the summary rows in one pass
    _youth_covers_members(townships)
    return True


def _youth_covers_members(townships):
    """团员青年数 counts each young person once; one person is often in two groups (a village
    group and a trade group), never in many: keep each township's figure at least half its
    groups' members, inside the members-vs-youth rule the demo ships with (ledger.quality)."""
    width = len(townships[0].path) if townships else 0
    members = dict(GroupTotals.objects.filter(path__startswith=townships[0].parent.parent.path).annotate(
        tp=Substr("path", 1, width)).values("tp").annotate(n=Sum("members")).order_by().values_list("tp", "n")) if width else {}
    figures = list(TownshipFigures.objects.filter(org__in=townships).select_related("org"))
    for row in figures:
        row.youth_count = max(row.youth_count, ceil((members.get(row.org.path) or 0) / 2))
    TownshipFigures.objects.bulk_update(figures, ["youth_count"])
