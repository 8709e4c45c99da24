"""Synthetic ledgers for scale tests (合成数据): `qingnong synth --scale city|province`.

Built on the real division tree (city = 榆林 6108, province = all of 陕西 61), with made-up
villages and 直属 orgs added under it. Reproducible: the same seed on an empty database
gives the same rows (ids included). Bulk-loaded: PostgreSQL COPY (psycopg's
cursor.copy) on PostgreSQL, executemany in 20,000-row batches on SQLite; never a
model save per row. Each group's current-figures columns equal its latest snapshot
(the same closed-form series computes both). Ids are assigned here (max id + 1…) so
that child rows can be streamed without reading parents back; sequences are reset at
the end. Like the demo, bulk rows write no history/audit entries.

Province scale (defaults): ≈30,000 villages, ≈285,000 groups, 20 weekly snapshots per
built group (≈5.5M), ≈3M message records, ≈200,000 activities, ≈2,000 official
accounts with a year of weekly subscriber counts.
"""
import random
import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from qingnong.accounts.models import Role, User
from qingnong.campaign.models import Campaign, CountyPlan, PlanStatus
from qingnong.campaign.services import campaign_create_default
from qingnong.org.divisions import divisions_load
from qingnong.org.models import Org, OrgLevel

from qingnong.ledger.totals import rebuild_all
from qingnong.ledger.models import (
    AccountStatus, AccountType, Activity, ActivityType, Cadre, GroupKind, GroupStatus, MEMBER_FIELD_NAMES, MemberSnapshot,
    MessageCategory, MessageRecord, OfficialAccount, SubscriberSnapshot, TownshipFigures, WechatGroup,
)

SYNTH_MARK = "合成数据"
END = date(2026, 11, 22)  # the last weekly snapshot (a Sunday): fixed, so runs are reproducible
BENCH_USER, BENCH_PASSWORD = "bench_admin", "bench-pass-2026"


@dataclass(frozen=True)
class Scale:
    code: str
    villages: tuple  # villages per township (min, max)
    weeks: int  # weekly member snapshots per built group
    messages: tuple  # message records per group (min, max)
    accounts: int  # official accounts (one per org: cities, counties, townships, then 直属)


SCALES = {
    "city": Scale("6108", (15, 31), 20, (5, 16), 400),
    "province": Scale("61", (15, 31), 20, (5, 16), 2000),
}
VILLAGE_WORDS = "东西南北前后上下大小新老王李张刘杨高马白贺赵中石河沟坪塬峁湾梁川台"
YOUTH_SUFFIXES = ["青年致富群", "务工青年群", "返乡创业群", "青年志愿者群", "青年篮球群", "秧歌队群", "青年农民群",
                  "养殖户青年群", "电商青年群", "婚恋交友群", "留守青年群", "果业青年群", "青年读书群", "大学生群"]
BASES = ["place", "trade", "cause", "hobby"]
MIX = [0.30, 0.14, 0.08, 0.05, 0.03, 0.22, 0.10, 0.05, 0.03]
THEMES = ["policy_explainer", "league_news", "service_project", "model_work", "role_model", "inspirational"]
CHUNK = 20_000


def _short(name):
    return name[:-1] if len(name) > 2 and name[-1] in "区县市镇乡" else name.replace("街道", "")


class Writer:
    """Streams rows into one table: COPY on PostgreSQL, executemany on SQLite. Columns
    not given take the model field's default (auto_now fields: now)."""

    def __init__(self, model, columns, out):
        self.model, self.out = model, out
        fields = {f.attname: f for f in model._meta.concrete_fields}
        now = timezone.now()
        rest = [f for name, f in fields.items() if name not in columns and name != "id"]
        const = []
        for f in rest:
            if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add):
                value = now
            else:
                value = f.get_default()
            const.append(connection.ops.adapt_datetimefield_value(value) if isinstance(value, type(now)) and
                         connection.vendor == "sqlite" else value)
        self.columns = [fields[c].column for c in columns] + [f.column for f in rest]
        self.const = tuple(const)
        self.table = model._meta.db_table
        self.count = 0

    def __enter__(self):
        self.started = time.perf_counter()
        cols = ", ".join(f'"{c}"' for c in self.columns)
        if connection.vendor == "postgresql":
            self._cm = connection.cursor().cursor.copy(f'COPY "{self.table}" ({cols}) FROM STDIN')
            self._copy = self._cm.__enter__()
        else:
            self._sql = f'INSERT INTO "{self.table}" ({cols}) VALUES ({", ".join("?" * len(self.columns))})'
            self._buf = []
        return self

    def row(self, *values):
        self.count += 1
        if connection.vendor == "postgresql":
            self._copy.write_row(values + self.const)
        else:
            self._buf.append(values + self.const)
            if len(self._buf) >= CHUNK:
                self._flush()

    def _flush(self):
        connection.connection.executemany(self._sql, self._buf)
        self._buf = []

    def __exit__(self, exc_type, exc, tb):
        if connection.vendor == "postgresql":
            self._cm.__exit__(exc_type, exc, tb)
        elif exc_type is None:
            self._flush()
        if exc_type is None:
            seconds = time.perf_counter() - self.started
            self.out(f"  {self.table:<28} {self.count:>10,} 行  {seconds:7.1f} s  {self.count / max(seconds, 1e-9):>10,.0f} 行/s")
        return False


def _next_id(model):
    return (model.all_objects if hasattr(model, "all_objects") else model.objects).aggregate(m=models.Max("pk"))["m"] or 0


def _weeks(n):
    return [END - timedelta(days=7 * k) for k in range(n - 1, -1, -1)]


@transaction.atomic
def synth_load(*, scale="city", seed=1, out=print):
    """Fill the org tree of `scale` with a synthetic ledger. Returns False (and writes
    nothing) if synthetic data for that root is already there."""
    spec = SCALES[scale]
    started = time.perf_counter()
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("SET LOCAL synchronous_commit TO off")
    result = divisions_load(code=spec.code)
    root = result.root
    if WechatGroup.all_objects.filter(org__path__startswith=root.path, purpose=SYNTH_MARK).exists():
        out(f"{root.name} 已有合成数据，跳过生成。")
        return False
    rng = random.Random(seed)
    iso = {}

    def d(day):  # dates as ISO text: the same for COPY and SQLite
        s = iso.get(day)
        if s is None:
            s = iso[day] = day.isoformat()
        return s

    tree = list(Org.objects.filter(path__startswith=root.path).order_by("path").values("id", "name", "level", "path", "depth", "parent_id"))
    cities = [o for o in tree if o["level"] == OrgLevel.CITY]
    counties = [o for o in tree if o["level"] == OrgLevel.COUNTY]
    townships = [o for o in tree if o["level"] == OrgLevel.TOWNSHIP]
    out(f"{root.name}：{len(cities)} 个市、{len(counties)} 个县区、{len(townships)} 个乡镇（民政部区划），随机种子 {seed}")

    # Orgs: villages under each township, 直属 orgs under each county and city.
    next_org = _next_id(Org)
    villages, directs = [], []
    with Writer(Org, ["id", "name", "level", "code", "parent_id", "path", "depth", "note"], out) as w:
        for t in townships:
            for i in range(rng.randint(*spec.villages)):
                next_org += 1
                name = f"{rng.choice(VILLAGE_WORDS)}{rng.choice(VILLAGE_WORDS)}{'家' if i % 3 == 0 else ''}村团支部"
                org = {"id": next_org, "name": name, "level": OrgLevel.VILLAGE, "parent_id": t["id"], "depth": t["depth"] + 1}
                org["path"] = f"{t['path']}n{next_org}/"
                villages.append(org)
                w.row(org["id"], name, OrgLevel.VILLAGE, None, t["id"], org["path"], org["depth"], SYNTH_MARK)
        for parent in [*cities, *counties] if cities else counties:
            for suffix in (["中学团委", "职教中心团委"] if parent["level"] == OrgLevel.COUNTY else ["青年企业家协会团委"]):
                next_org += 1
                org = {"id": next_org, "name": f"{_short(parent['name'])}{suffix}", "level": OrgLevel.DIRECT,
                       "parent_id": parent["id"], "depth": parent["depth"] + 1, "path": f"{parent['path']}n{next_org}/"}
                directs.append(org)
                w.row(org["id"], org["name"], OrgLevel.DIRECT, None, parent["id"], org["path"], org["depth"], SYNTH_MARK)

    # Cadres: 3 per city/county, 2 per township, 1 per village or 直属 org.
    next_cadre = _next_id(Cadre)
    owners = {}
    surnames, given = "王李张刘杨高郝马白贺薛冯常", "伟芳娜敏静磊强军洋艳杰涛明霞鹏丽"
    with Writer(Cadre, ["id", "org_id", "name", "position", "mobile", "is_grassroots", "youths_reached"], out) as w:
        for org in [*([o for o in tree if o["level"] == OrgLevel.PROVINCE]), *cities, *counties, *townships, *villages, *directs]:
            level = org["level"]
            n = 1 if level in (OrgLevel.VILLAGE, OrgLevel.DIRECT) else 2 if level == OrgLevel.TOWNSHIP else 3
            grassroots = level in (OrgLevel.TOWNSHIP, OrgLevel.VILLAGE, OrgLevel.DIRECT)
            for i in range(n):
                next_cadre += 1
                owners.setdefault(org["id"], next_cadre)
                w.row(next_cadre, org["id"], rng.choice(surnames) + rng.choice(given) + rng.choice(given), "团委书记" if i == 0 else "团委委员",
                      f"1{rng.choice('3589')}{rng.randrange(10**9):09d}", grassroots,
                      rng.randint(5, 45) if grassroots else rng.randint(20, 80))

    # Groups, with their current figures computed from the same closed-form weekly series
    # that the snapshots use: size_k = min(target, start + k·step), split by the group's mix.
    weeks = _weeks(spec.weeks)
    first_week = weeks[0]
    next_group = _next_id(WechatGroup)
    groups = []  # (id, org_id, status, target, start, step, weights)

    def plan(org, kind, count, covers=""):
        nonlocal next_group
        short = _short(org["name"])
        for i in range(count):
            next_group += 1
            roll = rng.random()
            status = GroupStatus.PLANNED if roll < 0.03 else GroupStatus.DORMANT if roll < 0.08 else GroupStatus.ACTIVE
            target = rng.randint(25, 180) if kind == GroupKind.YOUTH else rng.randint(12, 40)
            start = rng.randint(5, target)
            step = rng.randint(1, max(1, target // 8))
            weights = [m * rng.uniform(0.6, 1.4) for m in MIX]
            s = sum(weights)
            weights = [x / s for x in weights]
            name = f"{short}青农群" if kind == GroupKind.WORK and i == 0 else f"{short}{YOUTH_SUFFIXES[i % len(YOUTH_SUFFIXES)]}{i // len(YOUTH_SUFFIXES) + 1 if i >= len(YOUTH_SUFFIXES) else ''}"
            founded = first_week - timedelta(days=rng.randint(1, 330))
            groups.append((next_group, org["id"], status, target, start, step, weights, kind, name, covers, founded))

    for org in tree:
        if org["level"] in (OrgLevel.PROVINCE, OrgLevel.CITY):
            plan(org, GroupKind.WORK, 1, OrgLevel.COUNTY if org["level"] == OrgLevel.CITY else OrgLevel.CITY)
        elif org["level"] == OrgLevel.COUNTY:
            plan(org, GroupKind.WORK, 1, OrgLevel.TOWNSHIP)
            plan(org, GroupKind.YOUTH, rng.randint(2, 6))
        elif org["level"] == OrgLevel.TOWNSHIP:
            if rng.random() < 0.95:
                plan(org, GroupKind.WORK, 1, OrgLevel.VILLAGE)
            plan(org, GroupKind.YOUTH, rng.randint(6, 14))
    for org in villages:
        plan(org, GroupKind.YOUTH, rng.randint(6, 12))
    for org in directs:
        plan(org, GroupKind.YOUTH, rng.randint(1, 3))

    def counts(size, weights):
        c = [int(size * x) for x in weights]
        c[0] += size - sum(c)
        return c

    last_week = len(weeks) - 1
    with Writer(WechatGroup, ["id", "org_id", "name", "kind", "covers_level", "bases", "founded_on", "status", "owner_id",
                              "purpose", "members_total", "members_as_of", *MEMBER_FIELD_NAMES], out) as w:
        for gid, org_id, status, target, start, step, weights, kind, name, covers, founded in groups:
            bases = f",{rng.choice(BASES)}," if kind == GroupKind.YOUTH else ""
            if status == GroupStatus.PLANNED:
                w.row(gid, org_id, name, kind, covers, bases, None, status, owners.get(org_id), SYNTH_MARK, 0, None, *([0] * 9))
            else:
                size = min(target, start + last_week * step)
                w.row(gid, org_id, name, kind, covers, bases, d(founded), status, owners.get(org_id), SYNTH_MARK, size,
                      d(weeks[-1]), *counts(size, weights))

    # Week by week, as the weekly entry writes them: a week's rows lie together on disk.
    with Writer(MemberSnapshot, ["group_id", "taken_on", "total", *MEMBER_FIELD_NAMES], out) as w:
        built = [g for g in groups if g[2] != GroupStatus.PLANNED]
        for k, day in enumerate(d(x) for x in weeks):
            for gid, org_id, status, target, start, step, weights, *_ in built:
                size = min(target, start + k * step)
                w.row(gid, day, size, *counts(size, weights))

    # Official accounts: one per org (the model allows one), cities and counties first.
    candidates = [*cities, *counties, *townships, *directs][: spec.accounts]
    next_account = _next_id(OfficialAccount)
    accounts = []
    year = _weeks(52)
    with Writer(OfficialAccount, ["id", "org_id", "name", "account_type", "wechat_id", "opened_on", "status",
                                  "subscribers", "subscribers_as_of"], out) as w:
        for org in candidates:
            next_account += 1
            base, growth = rng.randint(50, 3000), rng.randint(5, 200)
            accounts.append((next_account, org["id"], base, growth))
            w.row(next_account, org["id"], f"青农{_short(org['name'])}", rng.choice(AccountType.values), f"qn_{next_account}",
                  d(year[0] - timedelta(days=7)), AccountStatus.OPENED, base + growth * (len(year) - 1), d(year[-1]))
    with Writer(SubscriberSnapshot, ["account_id", "taken_on", "subscribers"], out) as w:
        for aid, _, base, growth in accounts:
            for k, day in enumerate(year):
                w.row(aid, d(day), base + growth * k)

    # Messages: per group a few weekly records over the last half year; per account ~1 a week.
    half_year = _weeks(26)
    categories = MessageCategory.values
    # Generated per group, written week by week (records arrive in time order in real use).
    by_week = {}
    lo, hi = spec.messages
    for gid, org_id, status, *_ in groups:
        if status == GroupStatus.PLANNED:
            continue
        for _ in range(rng.randint(lo, hi)):
            sunday = half_year[rng.randrange(26)]
            monday = sunday - timedelta(days=6)
            thursday = monday + timedelta(days=3)  # the day a week's record counts on (models.counts_on_day)
            by_week.setdefault(sunday, []).append((org_id, gid, None, d(monday), d(sunday), d(thursday), d(thursday.replace(day=1)),
                                                   rng.randint(1, 8), categories[rng.randrange(5)], ""))
    for aid, org_id, _, _ in accounts:
        for sunday in year:
            if rng.random() < 0.6:
                monday = sunday - timedelta(days=6)
                by_week.setdefault(sunday, []).append((org_id, None, aid, d(monday), d(monday), d(monday), d(monday.replace(day=1)), 1,
                                                       categories[rng.randrange(5)], THEMES[rng.randrange(6)]))
    with Writer(MessageRecord, ["org_id", "group_id", "account_id", "period_start", "period_end", "counts_on", "month", "count",
                                "category", "theme"], out) as w:
        for sunday in sorted(by_week):
            for row in by_week.pop(sunday):
                w.row(*row)

    types = ActivityType.values
    labels = dict(ActivityType.choices)
    activities = []
    for org, n in [*((t, rng.randint(2, 8)) for t in townships), *((v, rng.randint(3, 10)) for v in villages)]:
        for _ in range(n):
            kind = types[rng.randrange(5)]
            activities.append((org["id"], d(END - timedelta(days=rng.randrange(365))), kind, f"{org['name']}{labels[kind]}活动",
                               rng.randint(15, 120), SYNTH_MARK))
    activities.sort(key=lambda row: row[1])  # in date order, as they are entered
    with Writer(Activity, ["org_id", "held_on", "activity_type", "title", "participants", "note"], out) as w:
        for row in activities:
            w.row(*row)
    with Writer(TownshipFigures, ["org_id", "as_of", "branch_count", "cadre_count", "youth_count"], out) as w:
        for t in townships:
            w.row(t["id"], d(END - timedelta(days=30)), rng.randint(8, 30), rng.randint(10, 40), rng.randint(300, 2500))

    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Org, Cadre, WechatGroup, OfficialAccount]):
                c.execute(sql)
    _campaign_and_user(root, counties, seed)
    tick = time.perf_counter()
    rebuild_all()  # COPY sends no post_save: the summary rows in one pass
    out(f"汇总表：{time.perf_counter() - tick:.0f} s")
    with connection.cursor() as c:
        c.execute("ANALYZE")
    out(f"完成：{time.perf_counter() - started:.0f} s")
    return True


def _campaign_and_user(root, counties, seed):
    """A campaign for the root org this year (so the dashboard reads the groups' current
    figures), each county's 附件1 at some stage, and an admin account for the benchmarks."""
    rng = random.Random(seed + 1)
    year = END.year
    campaign = Campaign.objects.filter(org_id=root.pk, year=year).first() or campaign_create_default(org=root, year=year)
    township_counts = dict(Org.objects.filter(level=OrgLevel.TOWNSHIP, path__startswith=root.path).values("parent_id")
                           .annotate(n=models.Count("pk")).values_list("parent_id", "n"))
    plans = []
    for county in counties:
        status = rng.choice([PlanStatus.APPROVED, PlanStatus.APPROVED, PlanStatus.SUBMITTED, PlanStatus.RETURNED, PlanStatus.DRAFT, None])
        if status is None:
            continue
        n = township_counts.get(county["id"], 0)
        plans.append(CountyPlan(
            campaign=campaign, org_id=county["id"], status=status, county_name=county["name"], township_count=n,
            planned_county_work_groups=1, planned_county_youth_groups=rng.randint(2, 6),
            planned_township_youth_groups=round(n * campaign.youth_groups_per_township * rng.uniform(0.95, 1.25)),
            planned_township_work_groups=n, planned_direct_groups=rng.randint(2, 8), planned_village_groups=rng.randint(10, 60),
            filled_by=SYNTH_MARK, is_late=rng.random() < 0.2,
        ))
    CountyPlan.objects.bulk_create(plans)
    user = User.objects.filter(username=BENCH_USER).first()
    if user is None:
        user = User(username=BENCH_USER, full_name="性能测试管理员", role=Role.ADMIN, org_id=root.pk)
        user.set_password(BENCH_PASSWORD)
        user.save()
    return campaign
