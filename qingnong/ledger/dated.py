"""Dated summary rows (GroupDayTotals, CadreDayTotals): each unit's figures as they stood on
every day they changed, kept by totals.refresh with the other summary rows, read "as of" a
day with one index seek per unit (issue 13: past dates as fast as today).

Kept: a unit's series is recomputed whole on each write in it, like the other totals: its
groups with their member records (or its cadres with their 修改历史) are read once, in
date order, and swept. This is the one place summary figures are added up in Python: the
figure on a day depends on the state each group is in on that day (its latest member
record, whether it stands built), a running state that SQL would need a window per group
and a join per day to express. A unit is a few hundred groups and a few thousand member
records: a few ms. The coarse rows (a county's sums on each day one of its units changed)
are swept from the unit rows the same way.

Read: `groups_on` and `cadres_on` give the row standing on a day of each unit (or county),
to be summed over a subtree (org.selectors.rollup, path="path"); `built_by_week` gives the
weekly chart's changes.
"""
from collections import defaultdict
from datetime import timedelta

from django.apps import apps as global_apps
from django.db.models import OuterRef, Q, Subquery, Sum
from django.utils import timezone

from qingnong.lib.dates import today, week_of

from .models import BUILT, MEMBER_FIELD_NAMES, SINCE_EVER, GroupStatus, coarse_is
from .rules import YOUTHS_PER_CADRE

FIGURES = ("built", "members", *MEMBER_FIELD_NAMES)  # what a GroupDayTotals row sums
CADRE_FIGURES = ("cadres", "grassroots", "on_target")


def built_span(founded_on, status, closed_on, ends_on):
    """(first, last) day a group stands built (first None: since ever, last None: still), or
    None if it never does: models.built_on as an interval."""
    if status in BUILT:
        last = ends_on
    elif status == GroupStatus.CLOSED and closed_on:
        last = closed_on - timedelta(days=1) if ends_on is None else min(closed_on - timedelta(days=1), ends_on)
    else:
        return None
    if founded_on and last and last < founded_on:
        return None
    return founded_on, last


# Keeping.

def rebuild_groups(units, keyed, apps=global_apps):
    """Write the GroupDayTotals unit rows of `units` (Unit list, None: all) from the live
    groups and member records; `keyed(model)` gives a model's live rows with their unit
    (totals._rebuild's). Old rows are cleared by the caller."""
    groups = {g[0]: g for g in keyed(apps.get_model("ledger", "WechatGroup")).values_list(
        "pk", "u", "up", "kind", "founded_on", "status", "closed_on", "ends_on").iterator(chunk_size=5000)}
    events = defaultdict(list)  # (unit, path, kind) → [(day, order, group, values)]
    for pk, unit, path, kind, founded_on, status, closed_on, ends_on in groups.values():
        key = (unit, path, kind)
        events[key].append((SINCE_EVER, 0, None, None))  # every unit and kind has a first row
        span = built_span(founded_on, status, closed_on, ends_on)
        if span:
            events[key].append((span[0] or SINCE_EVER, 1, pk, "on"))
            if span[1]:
                events[key].append((span[1] + timedelta(days=1), 1, pk, "off"))
    Snapshot = apps.get_model("ledger", "MemberSnapshot")
    snapshots = Snapshot.objects.filter(group__in=keyed(apps.get_model("ledger", "WechatGroup")).values("pk"))
    for group_id, day, *values in snapshots.values_list("group_id", "taken_on", *MEMBER_FIELD_NAMES).iterator(chunk_size=5000):
        _, unit, path, kind, *_ = groups[group_id]
        events[(unit, path, kind)].append((day, 0, group_id, values))
    model = apps.get_model("ledger", "GroupDayTotals")
    model.objects.bulk_create((row for key, items in events.items() for row in _group_rows(model, key, items)),
                              batch_size=5000)


def _group_rows(model, key, items):
    """The rows of one unit and kind: the state after each day's events, where it changed."""
    unit, path, kind = key
    values, built = {}, set()  # group → its latest nine figures; the groups standing built
    sums, last_update, previous = [0] * len(MEMBER_FIELD_NAMES), None, None
    items.sort(key=lambda e: (e[0], e[1]))  # a day's member records before its on/off
    for i, (day, _, group, what) in enumerate(items):
        if what == "on":
            built.add(group)
            if group in values:
                sums = [a + b for a, b in zip(sums, values[group])]
        elif what == "off":
            built.discard(group)
            if group in values:
                sums = [a - b for a, b in zip(sums, values[group])]
        elif what is not None:  # a member record
            if group in built:
                old = values.get(group, [0] * len(MEMBER_FIELD_NAMES))
                sums = [s - o + n for s, o, n in zip(sums, old, what)]
            values[group] = what
            last_update = day
        if i + 1 < len(items) and items[i + 1][0] == day:
            continue  # the day's other events first
        state = (len(built), *sums, last_update)
        if previous is None or state != previous:
            yield model(unit_id=unit, path=path, kind=kind, day=day, week=week_of(day)[0], built=len(built),
                        built_change=len(built) - (previous[0] if previous else 0), members=sum(sums),
                        last_update=last_update, **dict(zip(MEMBER_FIELD_NAMES, sums)))
            previous = state


def rebuild_cadres(units, unit_map, apps=global_apps):
    """Write the CadreDayTotals unit rows of `units` (Unit list, None: all) from each cadre's
    修改历史: a version counts from the day it was saved (the first from the day the cadre was
    made); a cadre loaded in bulk and never edited counts from its creation with what it
    holds now. `unit_map(org ids or None)` gives {org id: (unit id, unit path)} (totals')."""
    Cadre = apps.get_model("ledger", "Cadre")
    History = apps.get_model("ledger", "HistoricalCadre")
    unit_ids = None if units is None else {u.id for u in units}
    history, cadres = History.objects.all(), Cadre._base_manager.all()
    if unit_ids is not None:  # the cadres in these units now, or once (moved out since)
        orgs = list(unit_map(None, within=unit_ids))
        ids = set(History.objects.filter(org_id__in=orgs).values_list("id", flat=True)) \
            | set(Cadre._base_manager.filter(org_id__in=orgs).values_list("pk", flat=True))
        history, cadres = history.filter(id__in=ids), cadres.filter(pk__in=ids)
    versions = defaultdict(list)  # cadre → [(saved at, org, grassroots, reached, live)]
    for pk, at, kind, org, grassroots, reached, deleted in history.values_list(
            "id", "history_date", "history_type", "org_id", "is_grassroots", "youths_reached", "deleted_at").iterator(chunk_size=5000):
        versions[pk].append((at, org, grassroots, reached, kind != "-" and deleted is None))
    for pk, org, created, grassroots, reached, deleted in cadres.values_list(
            "pk", "org_id", "created_at", "is_grassroots", "youths_reached", "deleted_at").iterator(chunk_size=5000):
        if not versions[pk]:  # loaded in bulk, never edited: what it holds, since it was made
            versions[pk] = [(created, org, grassroots, reached, True)]
            if deleted:
                versions[pk].append((deleted, org, grassroots, reached, False))
        else:  # the first version stands from when the cadre was made
            versions[pk].sort(key=lambda v: v[0])
            versions[pk][0] = (min(created, versions[pk][0][0]), *versions[pk][0][1:])
    where = unit_map({v[1] for vs in versions.values() for v in vs})
    events = sorted(((at, pk, where.get(org), (1, int(grassroots), int(grassroots and reached >= YOUTHS_PER_CADRE)) if live else None)
                     for pk, vs in versions.items() for at, org, grassroots, reached, live in vs), key=lambda e: (e[0], e[1]))
    events = [(timezone.localtime(at).date(), *rest) for at, *rest in events]  # a version counts from its day
    model = apps.get_model("ledger", "CadreDayTotals")
    rows, state, sums, last, touched = [], {}, defaultdict(lambda: (0, 0, 0)), {}, set()
    for i, (day, pk, unit, contribution) in enumerate(events):
        old = state.get(pk)
        if old and old[1]:
            sums[old[0]] = tuple(a - b for a, b in zip(sums[old[0]], old[1]))
            touched.add(old[0])
        state[pk] = (unit, contribution)
        if unit and contribution:
            sums[unit] = tuple(a + b for a, b in zip(sums[unit], contribution))
        if unit:
            touched.add(unit)
        if i + 1 < len(events) and events[i + 1][0] == day:
            continue  # the day's other events first
        for unit in touched:  # a row for each unit the day changed
            was = last.get(unit)
            if was != sums[unit] and (unit_ids is None or unit[0] in unit_ids):
                if was is None and day != SINCE_EVER:  # each unit's first row
                    rows.append(model(unit_id=unit[0], path=unit[1], day=SINCE_EVER))
                rows.append(model(unit_id=unit[0], path=unit[1], day=day, **dict(zip(CADRE_FIGURES, sums[unit]))))
                last[unit] = sums[unit]
        touched = set()
    model.objects.bulk_create(rows, batch_size=5000)


def rebuild_coarse(model, keys, coarse_key, apps=global_apps):
    """The coarse rows of `model` under `keys` (county paths; None: all) from its unit rows: a
    county's sums on each day any of its units changed (each unit's latest row then; the
    latest last_update). Old coarse rows of the keys are replaced."""
    groups = model._meta.model_name == "groupdaytotals"
    by, figures = (("kind",), FIGURES) if groups else ((), CADRE_FIGURES)
    model.objects.filter(coarse_is(True)).filter(**({} if keys is None else {"path__in": keys})).delete()
    fine = model.objects.filter(coarse_is(False))
    if keys is not None:
        near = Q(pk__in=[])
        for key in keys:
            near |= Q(path__startswith=key)
        fine = fine.filter(near)
    series = defaultdict(list)  # (county, *by) → [(day, unit, figures, last_update)]
    extra = ("last_update",) if groups else ()
    for path, unit, day, *rest in fine.values_list("path", "unit_id", "day", *by, *figures, *extra).iterator(chunk_size=5000):
        key = (coarse_key(path), *rest[:len(by)])
        if keys is None or key[0] in keys:  # in a tree rooted below a province, keys nest
            values = rest[len(by):len(by) + len(figures)]
            series[key].append((day, unit, values, rest[-1] if groups else None))
    Org = apps.get_model("org", "Org")
    ids = dict(Org._base_manager.filter(path__in={k[0] for k in series}).values_list("path", "pk"))
    rows = []
    for key, items in series.items():
        items.sort(key=lambda e: e[0])
        current, totals, latest, previous = {}, [0] * len(figures), None, None
        for i, (day, unit, values, last_update) in enumerate(items):
            totals = [t - o + n for t, o, n in zip(totals, current.get(unit, [0] * len(figures)), values)]
            current[unit] = values
            latest = max(filter(None, (latest, last_update)), default=None)
            if i + 1 < len(items) and items[i + 1][0] == day:
                continue
            if previous is None or (totals, latest) != previous:
                more = dict(built_change=totals[0] - (previous[0][0] if previous else 0), last_update=latest,
                            week=week_of(day)[0]) if groups else {}
                rows.append(model(unit_id=ids[key[0]], path=key[0], coarse=True, day=day,
                                  **dict(zip(by, key[1:])), **dict(zip(figures, totals)), **more))
                previous = (totals, latest)
    model.objects.bulk_create(rows, batch_size=5000)


# Reading.

def _standing(model, as_of, under, coarse, by=()):
    """The row of `model` standing on `as_of` of each unit (coarse: each county) under the
    path `under` (and each `by` value): its latest on or before then. One index seek per
    unit, from the units' first rows (SINCE_EVER)."""
    match = {f: OuterRef(f) for f in ("unit", *by)}
    latest = model.objects.filter(coarse_is(coarse), day__lte=as_of, **match).order_by("-day").values("pk")[:1]
    first = model.objects.filter(coarse_is(coarse), day=SINCE_EVER, path__startswith=under)
    return model.objects.filter(pk__in=first.values(standing=Subquery(latest)))


def groups_on(as_of, *, under, coarse=False, apps=global_apps):
    """GroupDayTotals standing on `as_of`: one row per unit (coarse: county) and kind."""
    return _standing(apps.get_model("ledger", "GroupDayTotals"), as_of, under, coarse, by=("kind",))


def groups_standing(as_of, *, under, coarse=False):
    """The group summary rows under the path `under` standing on `as_of`: today's GroupTotals
    (one row per unit and kind, no coarse rows) or that day's GroupDayTotals. Both have kind,
    built, members, the nine member columns and last_update: every reader of "as of" asks here."""
    if as_of >= today():
        return global_apps.get_model("ledger", "GroupTotals").objects.filter(path__startswith=under)
    return groups_on(as_of, under=under, coarse=coarse)


def cadres_on(as_of, *, under, coarse=False, apps=global_apps):
    """CadreDayTotals standing on `as_of`: one row per unit (coarse: county)."""
    return _standing(apps.get_model("ledger", "CadreDayTotals"), as_of, under, coarse)


def day_rows(kind, *, under, as_of, coarse=False, apps=global_apps):
    """The GroupDayTotals rows of `kind` under the path `under` up to `as_of` (the weekly chart's)."""
    return apps.get_model("ledger", "GroupDayTotals").objects.filter(
        coarse_is(coarse), kind=kind, path__startswith=under, day__lte=as_of)


def built_by_week(rows):
    """{Monday: change in built groups that week} of `rows` (day_rows, scoped by the caller);
    SINCE_EVER's week holds what stood before any dated change. One GROUP BY."""
    return dict(rows.order_by().values("week").annotate(n=Sum("built_change")).values_list("week", "n"))
