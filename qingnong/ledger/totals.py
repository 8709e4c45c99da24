"""The summary rows (GroupTotals, MonthlyTotals, CadreTotals, and the dated GroupDayTotals and
CadreDayTotals of dated.py): how they are kept and how they are read.

Kept: every write of a group, a message record, an activity or a cadre recomputes the totals of
the *unit* it belongs to, whole, in the same transaction: a township with its villages
and 直属 orgs (a few hundred groups, a few thousand records: a few ms), or any other org
on its own. Single-row saves and deletes (services, the admin, a shell, test factories)
do it through the post_save/post_delete signals connected below; bulk writes
(bulk_create, bulk_update, queryset.update) call `refresh()` themselves, and synthetic
or demo loads call `rebuild_all()`. Recomputing a unit from the ledger rather than adding
deltas means a missed write is repaired by the next write in that unit, and
`qingnong rebuild-totals` repairs everything.

Read: the dashboards sum the rows over a subtree (org.selectors.rollup with
path="path"). Totals are monthly, so a range that starts or ends inside a month reads
the raw records of those edge months only (`MonthRange`).

The tables with a time axis (GroupDayTotals, CadreDayTotals, MonthlyTotals) also hold *coarse*
rows: the unit rows summed by `coarse_key`, the first three segments of the path (a
county, or an org above the counties as itself). A province's dashboard then reads ≈ 120
county rows per week or month instead of ≈ 1,700 township rows; any org whose path has
at most three segments (province, city, county, or an org above them) reads them.
"""
from dataclasses import dataclass
from datetime import date, timedelta

from django.apps import apps as global_apps
from django.db import transaction
from django.db.models import Case, CharField, Count, F, IntegerField, Max, Q, Sum, When
from django.db.models.signals import post_delete, post_save

from qingnong.lib.dates import month_end, month_of, today
from qingnong.org.models import OrgLevel

from . import dated
from .models import (
    BUILT, MEMBER_FIELD_NAMES, Activity, Cadre, MemberSnapshot, MessageRecord, TotalsMeasure, WechatGroup, coarse_is,
)
from .rules import YOUTHS_PER_CADRE
from qingnong.org.selectors import rollup

BELOW_TOWNSHIP = [OrgLevel.VILLAGE, OrgLevel.DIRECT]
PARTS = ("groups", "messages", "activities", "cadres")


def _in_township(prefix):
    return Q(**{f"{prefix}level__in": BELOW_TOWNSHIP, f"{prefix}parent__level": OrgLevel.TOWNSHIP})


def _unit_id(prefix="org__"):
    return Case(When(_in_township(prefix), then=F(f"{prefix}parent_id")), default=F(f"{prefix}id"), output_field=IntegerField())


def _unit_path(prefix="org__"):
    return Case(When(_in_township(prefix), then=F(f"{prefix}parent__path")), default=F(f"{prefix}path"), output_field=CharField())


@dataclass(frozen=True)
class Unit:
    id: int
    path: str
    is_township: bool


def units_of(org_ids, *, apps=global_apps):
    """The units the orgs' rows count in (one query)."""
    Org = apps.get_model("org", "Org")
    rows = Org.all_objects.filter(pk__in=set(org_ids)).annotate(unit=_unit_id(""), unit_path=_unit_path(""), unit_level=Case(
        When(_in_township(""), then=F("parent__level")), default=F("level"), output_field=CharField())
    ).values_list("unit", "unit_path", "unit_level")
    return {Unit(pk, path, level == OrgLevel.TOWNSHIP) for pk, path, level in rows}


def unit_map(org_ids, *, within=None, apps=global_apps):
    """{org id: (unit id, unit path)} for `org_ids`, or (None) for the orgs of the units `within`."""
    Org = apps.get_model("org", "Org")
    rows = Org.all_objects.annotate(unit=_unit_id(""), unit_path=_unit_path(""))
    rows = rows.filter(unit__in=within) if org_ids is None else rows.filter(pk__in=set(org_ids))
    return {pk: (unit, path) for pk, unit, path in rows.values_list("pk", "unit", "unit_path")}


def refresh(org_ids, parts=PARTS, *, apps=global_apps):
    """Recompute the totals of the units of `org_ids` (the `parts` named).

    Two writers in one unit (or one county, for the coarse rows) must not rebuild its rows
    at the same time: each would delete what it sees and insert its own, leaving both
    sets. So the unit and county org rows are locked first (in id order: no deadlock
    between refreshes) until the writer's transaction ends; on PostgreSQL each statement
    after the lock sees what the other writer committed. SQLite writers are serial anyway."""
    units = units_of(org_ids, apps=apps)
    if not units:
        return
    with transaction.atomic():
        Org = apps.get_model("org", "Org")
        keys = {coarse_key(u.path) for u in units}
        list(Org._base_manager.filter(Q(pk__in=[u.id for u in units]) | Q(path__in=keys))
             .order_by("pk").select_for_update().values_list("pk", flat=True))
        _rebuild(units, parts, apps)


def rebuild_all(*, apps=global_apps):
    """Recompute every total (after a bulk load; `qingnong rebuild-totals`)."""
    _rebuild(None, PARTS, apps)


def _rebuild(units, parts, apps):
    GroupTotals, MonthlyTotals = apps.get_model("ledger", "GroupTotals"), apps.get_model("ledger", "MonthlyTotals")
    if units is None:
        where = Q()
    else:
        where = Q(pk__in=[])
        for unit in units:
            where |= Q(org__path__startswith=unit.path) if unit.is_township else Q(org_id=unit.id)
    unit_ids = None if units is None else [u.id for u in units]

    def clear(qs):
        qs = qs.filter(coarse_is(False)) if hasattr(qs.model, "coarse") else qs
        (qs if unit_ids is None else qs.filter(unit_id__in=unit_ids)).delete()

    def keyed(model):  # live rows of `model` with their unit
        live = model._base_manager.filter(deleted_at__isnull=True)  # also in a migration's historical models
        return live.filter(where).annotate(u=_unit_id(), up=_unit_path()).order_by()

    if "groups" in parts:
        GroupDayTotals = apps.get_model("ledger", "GroupDayTotals")
        clear(GroupTotals.objects.all())
        clear(GroupDayTotals.objects.all())
        # Built: active or dormant, and a temporary group not past its 结束日期 (issue 12), as
        # of the write; `qingnong expire-groups` refreshes the units whose groups expire.
        built = Q(status__in=BUILT) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today()))
        groups = keyed(apps.get_model("ledger", "WechatGroup"))
        rows = groups.values("u", "up", "kind").annotate(
            groups=Count("pk"), members_all=Sum("members_total"), built=Count("pk", filter=built),
            members=Sum("members_total", filter=built), last_update=Max("members_as_of"),
            **{f: Sum(f, filter=built) for f in MEMBER_FIELD_NAMES})
        GroupTotals.objects.bulk_create((GroupTotals(
            unit_id=r["u"], path=r["up"], kind=r["kind"], groups=r["groups"], members_all=r["members_all"] or 0,
            built=r["built"], members=r["members"] or 0, last_update=r["last_update"],
            **{f: r[f] or 0 for f in MEMBER_FIELD_NAMES}) for r in rows.iterator(chunk_size=5000)), batch_size=5000)
        dated.rebuild_groups(units, keyed, apps)  # the same figures on every day they changed
    if "cadres" in parts:
        CadreTotals = apps.get_model("ledger", "CadreTotals")
        clear(CadreTotals.objects.all())
        rows = keyed(apps.get_model("ledger", "Cadre")).filter(is_grassroots=True).values("u", "up").annotate(
            n=Count("pk"), on_target=Count("pk", filter=Q(youths_reached__gte=YOUTHS_PER_CADRE)))
        CadreTotals.objects.bulk_create((CadreTotals(unit_id=r["u"], path=r["up"], grassroots=r["n"], on_target=r["on_target"])
                                         for r in rows.iterator(chunk_size=5000)), batch_size=5000)
        clear(apps.get_model("ledger", "CadreDayTotals").objects.all())
        dated.rebuild_cadres(units, lambda ids, within=None: unit_map(ids, within=within, apps=apps), apps)
    DayTotals = apps.get_model("ledger", "DayTotals")
    daily = []
    if "messages" in parts:
        clear(MonthlyTotals.objects.filter(measure=TotalsMeasure.MESSAGES))
        clear(DayTotals.objects.filter(measure=TotalsMeasure.MESSAGES))
        rows = keyed(apps.get_model("ledger", "MessageRecord")).values("u", "up", "month", "category", day=F("counts_on")).annotate(
            n=Sum("count"))
        daily.append((TotalsMeasure.MESSAGES, rows))
    if "activities" in parts:
        clear(MonthlyTotals.objects.filter(measure=TotalsMeasure.ACTIVITIES))
        clear(DayTotals.objects.filter(measure=TotalsMeasure.ACTIVITIES))
        rows = keyed(apps.get_model("ledger", "Activity")).values(
            "u", "up", day=F("held_on"), category=F("activity_type")).annotate(n=Count("pk"))
        daily.append((TotalsMeasure.ACTIVITIES, rows))
    for measure, rows in daily:  # one read of the records: the day rows, and the month rows summed from them
        days, months = [], {}
        for r in rows.iterator(chunk_size=5000):
            month = month_of(r["day"])
            days.append(DayTotals(unit_id=r["u"], path=r["up"], measure=measure, month=month, day=r["day"],
                                  category=r["category"], n=r["n"]))
            key = (r["u"], r["up"], month, r["category"])
            months[key] = months.get(key, 0) + r["n"]
        DayTotals.objects.bulk_create(days, batch_size=5000)
        MonthlyTotals.objects.bulk_create((MonthlyTotals(unit_id=u, path=up, measure=measure, month=month, category=category, n=n)
                                           for (u, up, month, category), n in months.items()), batch_size=5000)
    keys = None if units is None else {coarse_key(u.path) for u in units}
    if "groups" in parts:
        dated.rebuild_coarse(apps.get_model("ledger", "GroupDayTotals"), keys, coarse_key, apps)
    if "cadres" in parts:
        dated.rebuild_coarse(apps.get_model("ledger", "CadreDayTotals"), keys, coarse_key, apps)
    for measure in (TotalsMeasure.MESSAGES, TotalsMeasure.ACTIVITIES):
        if measure in parts:
            _rebuild_coarse(MonthlyTotals, keys, ("measure", "month", "category"), "n", apps, measure=measure)
            _rebuild_coarse(DayTotals, keys, ("measure", "month", "day", "category"), "n", apps, measure=measure)


def coarse_key(path):
    """The first three segments of a path ("610000/610800/610802/"), or the path if shorter."""
    parts = path.split("/")
    return path if len(parts) <= 4 else "/".join(parts[:3]) + "/"


def uses_coarse(orgs):
    """Whether the subtrees of `orgs` can be summed from the coarse rows."""
    return all(org.path.count("/") <= 3 for org in orgs)


def _rebuild_coarse(model, keys, fields, value, apps, **where):
    """The coarse rows under `keys` (None: all) as sums of the unit rows (few: a county's
    units, or a province's ≈ 150,000 rows once after a bulk load)."""
    model.objects.filter(coarse_is(True), **where).filter(**({} if keys is None else {"path__in": keys})).delete()
    fine = model.objects.filter(coarse_is(False), **where)
    if keys is not None:
        near = Q(pk__in=[])
        for key in keys:
            near |= Q(path__startswith=key)
        fine = fine.filter(near)
    sums = {}
    for path, *rest in fine.values_list("path", *fields, value).iterator(chunk_size=5000):
        key = (coarse_key(path), *rest[:-1])
        if keys is None or key[0] in keys:  # in a tree rooted below a province, keys nest
            sums[key] = sums.get(key, 0) + rest[-1]
    Org = apps.get_model("org", "Org")
    ids = dict(Org._base_manager.filter(path__in={k[0] for k in sums}).values_list("path", "pk"))
    model.objects.bulk_create((model(unit_id=ids[k[0]], path=k[0], coarse=True, **dict(zip(fields, k[1:])), **{value: n})
                               for k, n in sums.items()), batch_size=5000)


def as_date(value):
    """TruncWeek/TruncMonth give a date (or a datetime on some backends)."""
    return value.date() if hasattr(value, "date") and callable(value.date) else value


# Reading a date range from monthly totals.

@dataclass
class MonthRange:
    """[start, as_of] (start None: from the beginning) cut into the months whole in the
    totals and the edge days that must be read from the records. A month is whole when it
    lies inside the range, or it is this month and the range ends today: no record is
    dated after today (the services refuse future dates)."""
    first_month: date | None  # None: from the first month there is
    last_month: date | None  # None: no whole month
    raw: list  # [(from, to)] day ranges read from the records

    @classmethod
    def of(cls, start, as_of):
        raw = []
        first = None
        if start is not None:
            first = month_of(start)
            if start != first:  # the start month is partial
                raw.append((start, min(month_end(start), as_of)))
                first = month_of(month_end(start) + timedelta(days=1))
        last = month_of(as_of)
        if as_of != month_end(as_of) and as_of < today():
            if not raw or month_of(raw[0][0]) != last:
                raw.append((max(last, start) if start else last, as_of))
            last = month_of(last - timedelta(days=1))
        if first is not None and first > last:
            last = None
        return cls(first, last, raw)

    def totals(self, measure, *, coarse=False, apps=global_apps):
        """MonthlyTotals rows of `measure` (or of a list of measures) for the whole months
        (none if there are none); `coarse`: the county sums (see coarse_key), for orgs that
        uses_coarse()."""
        measures = [measure] if isinstance(measure, str) else list(measure)
        rows = apps.get_model("ledger", "MonthlyTotals").objects.filter(coarse_is(coarse), measure__in=measures)
        if self.last_month is None:
            return rows.none()
        rows = rows.filter(month__lte=self.last_month)
        return rows.filter(month__gte=self.first_month) if self.first_month else rows

    def edges(self, measure, *, coarse=False, apps=global_apps):
        """DayTotals rows of `measure` (or a list) on the edge days: a few rows a unit and day,
        never the records (issue 13: a past date's month is never whole)."""
        measures = [measure] if isinstance(measure, str) else list(measure)
        q = Q(pk__in=[])
        for lo, hi in self.raw:
            q |= Q(day__gte=lo, day__lte=hi)
        return apps.get_model("ledger", "DayTotals").objects.filter(q, coarse_is(coarse), measure__in=measures)


def _on_write(part):
    def handler(sender, instance, **kwargs):
        refresh([instance.org_id], (part,))
    return handler


def _on_snapshot(sender, instance, **kwargs):
    """A member record changes its group's unit's dated figures (GroupDayTotals)."""
    refresh([WechatGroup._base_manager.filter(pk=instance.group_id).values_list("org_id", flat=True).first()], ("groups",))


# weak=False: the handlers are closures, kept alive by the signal itself.
for _model, _part in ((WechatGroup, "groups"), (MessageRecord, "messages"), (Activity, "activities"), (Cadre, "cadres")):
    post_save.connect(_on_write(_part), sender=_model, weak=False, dispatch_uid=f"totals-{_part}-save")
    post_delete.connect(_on_write(_part), sender=_model, weak=False, dispatch_uid=f"totals-{_part}-delete")
post_save.connect(_on_snapshot, sender=MemberSnapshot, dispatch_uid="totals-snapshot-save")
post_delete.connect(_on_snapshot, sender=MemberSnapshot, dispatch_uid="totals-snapshot-delete")


def rollup_range(orgs, measure, *, start, as_of, by=()):
    """{org path: n} (or {(org path, *by values): n}, by "category" and/or "month") of
    `measure` in each org's subtree from `start` (None: from the beginning) to `as_of`."""
    return rollup_ranges(orgs, [measure], start=start, as_of=as_of, by=by)[measure]


def rollup_ranges(orgs, measures, *, start, as_of, by=()):
    """{measure: rollup_range(…)} for several measures: the whole months from the totals in
    one GROUP BY for all of them, the edge days from the records (one per measure)."""
    span = MonthRange.of(start, as_of)
    result = {m: {} for m in measures}

    def add(measure, key, n):
        result[measure][key] = result[measure].get(key, 0) + (n or 0)

    coarse = uses_coarse(orgs)
    for rows in (span.totals(measures, coarse=coarse), span.edges(measures, coarse=coarse) if span.raw else None):
        if rows is not None:  # the whole months, then the edge days: the same shape of rows
            for key, row in rollup(orgs, rows, path="path", by=("measure", *by), n=Sum("n")).items():
                add(key[1], (key[0], *key[2:]) if by else key[0], row["n"])
    return result
