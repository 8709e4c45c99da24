"""附件3 figures from the ledger (or as reported by import), for one county as of a date.

Township rows come from one GROUP BY per ledger table over the county's subtree (see
township_sums), so a county costs a handful of statements whatever its size. Member counts are the latest snapshot of each built group as of the date: today that is
the group's current-figures copy; for a past date the snapshot itself.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from qingnong.ledger.models import (
    MEMBER_FIELD_NAMES, REPORTED_FIGURE_KEYS, TotalsMeasure,
    TownshipFigures, WechatGroup, built_on,
)
from qingnong.ledger.dated import cadres_on, groups_standing
from qingnong.ledger.selectors.reported import provenance, standing_reports
from qingnong.ledger.totals import MonthRange
from qingnong.org.models import Org, OrgLevel
from qingnong.org.selectors import common_path, rollup

from .layouts import progress as layout

NUMERIC = layout.LAYOUT.numeric_keys


@dataclass
class ProgressForm:
    org: Org  # the county (or the city, for its own 直属 sheet)
    as_of: date
    period_start: date | None  # None: cumulative from the campaign's start
    period_label: str
    header: dict
    rows: list = field(default_factory=list)  # [{"org": Org, "source": "ledger"|"import", key: n, "ledger": {...}}]
    footers: dict = field(default_factory=dict)  # footer key → {column key: n}


def township_sums(parent, *, as_of, start):
    """{township path: {column key: n}} for every township under `parent` (a county, or a
    city or province for many counties at once): one GROUP BY per ledger table over the
    subtree, keyed by the township part of the org path (townships share one path length:
    county path + 9-digit code + "/")."""
    townships = list(Org.objects.filter(path__startswith=parent.path, level=OrgLevel.TOWNSHIP).values_list("path", flat=True))
    if not townships:
        return {}
    width = len(townships[0])
    assert all(len(p) == width for p in townships), "township paths differ in length"
    sums = {p: dict.fromkeys(NUMERIC, 0) for p in townships}

    def collect(qs, path_field, value_fields, key_for=lambda row, field: field):
        rows = (qs.filter(**{f"{path_field}__startswith": parent.path})
                .annotate(tp=Substr(path_field, 1, width)).values("tp", *value_fields[1])
                .annotate(**value_fields[0]).order_by())
        for row in rows:
            target = sums.get(row["tp"])
            if target is not None:
                for name in value_fields[0]:
                    target[key_for(row, name)] += row[name] or 0

    # Each unit's built groups and their members as they stood on `as_of` (summary rows: today's, or that day's).
    units = groups_standing(as_of, under=parent.path)
    collect(units, "path", ({"group_count": Sum("built"), **{f: Sum(f) for f in MEMBER_FIELD_NAMES}}, []))
    # Messages and activities: whole months from the monthly totals, edge days from the records.
    span = MonthRange.of(start, as_of)
    collect(span.totals(TotalsMeasure.MESSAGES), "path", ({"n": Sum("n")}, ["category"]), key_for=lambda row, _: f"msg_{row['category']}")
    collect(span.totals(TotalsMeasure.ACTIVITIES), "path", ({"n": Sum("n")}, ["category"]), key_for=lambda row, _: f"act_{row['category']}")
    if span.raw:  # the edge days from the day totals
        collect(span.edges(TotalsMeasure.MESSAGES), "path", ({"n": Sum("n")}, ["category"]), key_for=lambda row, _: f"msg_{row['category']}")
        collect(span.edges(TotalsMeasure.ACTIVITIES), "path", ({"n": Sum("n")}, ["category"]), key_for=lambda row, _: f"act_{row['category']}")
    latest_figures = TownshipFigures.objects.filter(org__path__startswith=parent.path, org__level=OrgLevel.TOWNSHIP,
                                                    as_of__lte=as_of).order_by("org", "-as_of")
    seen = set()
    for figures in latest_figures.values("org__path", "org_id", "branch_count", "cadre_count", "youth_count"):
        target = sums.get(figures["org__path"])  # a deleted township's or a 直属 org's figures: not a row
        if target is not None and figures["org_id"] not in seen:  # rows come newest first per township
            seen.add(figures["org_id"])
            target.update(
                branch_count=figures["branch_count"], cadre_count=figures["cadre_count"], youth_count=figures["youth_count"])
    _held_in_ledger(sums, as_of=as_of)
    return sums


def _held_in_ledger(sums, *, as_of):
    """团干部数 and 团支部数 the ledger holds (its cadres; its village and 直属 团组织 as they
    stood on `as_of`) count where they are more than the typed figures, so a county that
    records them all never types them again (issue 12). One GROUP BY each."""
    if not sums:
        return
    # Instants, not __date: SQLite casts each row's datetime in Python otherwise (20 ms for a city's orgs).
    end = timezone.make_aware(datetime.combine(as_of + timedelta(days=1), time.min))
    standing = Q(deleted_at__isnull=True) | Q(deleted_at__gte=end)
    townships = [SimpleNamespace(path=p) for p in sums]
    held = (  # the cadres from their summary rows on that day (CadreDayTotals: each cadre as it stood then)
        ("cadre_count", cadres_on(as_of, under=common_path(sums)), "path", Sum("cadres")),
        ("branch_count", Org.all_objects.filter(standing, created_at__lt=end,
                                                level__in=[OrgLevel.VILLAGE, OrgLevel.DIRECT]), "path", Count("pk")),
    )
    for key, rows, path_field, n in held:
        for path, row in rollup(townships, rows, path=path_field, n=n).items():
            sums[path][key] = max(sums[path][key], row["n"] or 0)


def _direct_group_count(org, as_of):
    """Groups owned by `org` itself and by its 直属 orgs (not by its townships)."""
    return WechatGroup.objects.filter(built_on(as_of)).filter(
        Q(org=org) | Q(org__level=OrgLevel.DIRECT, org__parent=org)).count()


def period_label(start, as_of):
    """What the figures cover, on the header line. With a start date only 发送微信数 and
    线下活动 are counted from it; the other columns stand as of `as_of` (issue 18: the note
    named the period but not the columns it covers)."""
    if not start:
        return f"截至{as_of:%Y年%m月%d日}累计"
    return f"统计时段：发送微信数、线下活动为{start:%Y年%m月%d日}至{as_of:%Y年%m月%d日}，其余各列截至{as_of:%Y年%m月%d日}"


def progress_form(county, *, as_of, start=None, header=None, city=None):
    """The 附件3 of `county` as of `as_of`; messages and activities counted from `start`
    (None = cumulative). A township's reported row that stands on `as_of`
    (standing_reports) replaces the ledger's figures, with the ledger's kept alongside to
    flag differences and the report's source and date as the row's provenance."""
    townships = list(Org.objects.filter(parent=county, level=OrgLevel.TOWNSHIP).order_by("code", "name"))
    reported = standing_reports(townships, as_of=as_of)
    form = ProgressForm(
        org=county, as_of=as_of, period_start=start,
        period_label=period_label(start, as_of),
        header={"county": county.name, "reported_at": f"{as_of:%Y年%m月%d日}", "filled_by": "", "contact": "", **(header or {})},
    )
    sums = township_sums(county, as_of=as_of, start=start)
    for township in townships:
        ledger = sums[township.path]
        row = {"org": township, "name": township.name, "source": "ledger", **ledger, "ledger": ledger, "differs": []}
        if township.pk in reported:
            imported = _reported_values(reported[township.pk])
            # Flag every differing column once the ledger has any detail for the township,
            # not only columns where the ledger's figure is non-zero (an imported 3 against
            # a ledger 0 is a difference too); a township without detail has nothing to flag.
            has_detail = any(ledger[k] for k in NUMERIC)
            row.update(imported, source="import", provenance=provenance(reported[township.pk]),
                       differs=[k for k in NUMERIC if has_detail and imported[k] != ledger[k]])
        form.rows.append(row)
    form.footers = _footers(form.rows, county_direct=_direct_group_count(county, as_of),
                            city_direct=_direct_group_count(city, as_of) if city else 0)
    return form


def _footers(rows, *, county_direct, city_direct):
    """合计 = the sum of the rows; the two 直属 rows count groups only; 总计 = 合计, with
    微信群数 = 合计 + 县级直属 + 市级直属 (forms.md, "附件3 and the ledger")."""
    subtotal = {key: sum(r[key] for r in rows) for key in NUMERIC}
    return {
        "subtotal": subtotal,
        "county_direct": {"group_count": county_direct},
        "city_direct": {"group_count": city_direct},
        "grand_total": {**subtotal, "group_count": subtotal["group_count"] + county_direct + city_direct},
    }


def fillers_of(orgs):
    """{org id: {"filled_by", "contact"}}: each county's 填表人 and 联系方式 as written on its
    latest 附件1 (edited there), one statement for all (issue 18: the form showed whoever
    produced it: the city admin's name on 榆阳区's form). An org with none: blank lines."""
    from qingnong.campaign.models import CountyPlan

    found = {}
    for org_id, filled_by, contact in (CountyPlan.objects.filter(org__in=orgs).order_by("org", "-campaign__year")
                                       .values_list("org", "filled_by", "contact")):
        found.setdefault(org_id, {"filled_by": filled_by, "contact": contact})
    return {getattr(o, "pk", o): found.get(getattr(o, "pk", o), {"filled_by": "", "contact": ""}) for o in orgs}


def city_progress(org, *, county_forms, as_of, start=None, header=None):
    """The city-wide 附件3: one row per county (its township 合计), 县级直属 = the counties'
    own groups, 市级直属 = the groups of `org` (the city) itself and its 直属 orgs."""
    form = ProgressForm(
        org=org, as_of=as_of, period_start=start,
        period_label=period_label(start, as_of),
        header={"county": org.name, "reported_at": f"{as_of:%Y年%m月%d日}", "filled_by": "", "contact": "", **(header or {})},
    )
    for county_form in county_forms:
        imported = any(r["source"] == "import" for r in county_form.rows)
        form.rows.append({"org": county_form.org, "name": county_form.org.name, "source": "import" if imported else "ledger",
                          **county_form.footers["subtotal"], "differs": []})
    form.footers = _footers(form.rows, county_direct=sum(f.footers["county_direct"]["group_count"] for f in county_forms),
                            city_direct=_direct_group_count(org, as_of) if org.level == OrgLevel.CITY else 0)
    return form


def _reported_values(report):
    values = {"branch_count": report.branch_count, "cadre_count": report.cadre_count,
              "youth_count": report.youth_count, "group_count": report.group_count}
    values.update({key: int(report.figures.get(key, 0)) for key in REPORTED_FIGURE_KEYS})
    return values


def current_township_figures(counties, *, as_of):
    """{township id: {"source": "ledger"|"import", column key: n}} for every township of
    `counties`, as progress_form(county, as_of=as_of) shows its rows (a standing report
    replaces the ledger's figures), in a fixed number of statements however many counties:
    one township_sums over their nearest common ancestor, the townships, and standing_reports
    (one statement, two when some report stands)."""
    counties = list(counties)
    if not counties:
        return {}
    prefix = common_path(county.path for county in counties)
    # Counties with no common ancestor org (different roots): township_sums only reads the path.
    parent = Org.objects.filter(path=prefix).first() if prefix else None
    sums = township_sums(parent or Org(path=prefix), as_of=as_of, start=None)
    townships = list(Org.objects.filter(parent__in=counties, level=OrgLevel.TOWNSHIP).only("pk", "path"))
    reported = standing_reports(townships, as_of=as_of)
    figures = {}
    for pk, path in ((t.pk, t.path) for t in townships):
        ledger = sums[path]
        figures[pk] = ({**ledger, **_reported_values(reported[pk]), "source": "import"} if pk in reported
                       else {**ledger, "source": "ledger"})
    return figures
