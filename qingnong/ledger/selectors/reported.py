"""Reported 附件3 figures as they stand on a date (reads). A township's latest report on or
before the date stands until the ledger records members after it, or the report is
withdrawn; the 附件3 form, the dashboard, inspection and the assessment all read this."""
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Substr

from qingnong.lib.dates import today

from ..models import MEMBER_FIELD_NAMES, GroupTotals, MemberSnapshot, ReportedProgress


def standing_reports(townships, *, as_of, ledger_updated):
    """{township id: its ReportedProgress that stands on `as_of`}: the township's latest
    row on or before `as_of` of a report not withdrawn (the latest date, then the latest
    report; one statement, by the (org, as_of) index), unless the
    ledger was updated after that report's date (`ledger_updated`: {township path: the day
    of the latest member record}), which supersedes it. A report stands until superseded,
    so an import dated D still counts on D+1 and on any later day the ledger is silent."""
    live = ReportedProgress.objects.filter(as_of__lte=as_of, report__withdrawn_at__isnull=True)
    latest = live.filter(org=OuterRef("org")).order_by("-as_of", "-report__submitted_at", "-pk").values("pk")[:1]
    reports = live.filter(org__in=townships).filter(pk=Subquery(latest)).select_related("org", "report")
    return {r.org_id: r for r in reports if not (ledger_updated.get(r.org.path) and ledger_updated[r.org.path] > r.as_of)}


def ledger_updates(parent, township_paths, *, as_of):
    """{township path: the day of its latest member record on or before `as_of`} for the
    townships under `parent`: today from the summary rows, a past date from the snapshots;
    one GROUP BY on the township part of the path (townships share one path length)."""
    if not township_paths:
        return {}
    width = len(township_paths[0])
    if as_of >= today():
        rows = GroupTotals.objects.filter(path__startswith=parent.path, last_update__isnull=False).annotate(
            tp=Substr("path", 1, width)).values("tp").annotate(v=Max("last_update")).order_by()
    else:
        rows = MemberSnapshot.objects.filter(group__org__path__startswith=parent.path, group__deleted_at__isnull=True,
                                             taken_on__lte=as_of).annotate(
            tp=Substr("group__org__path", 1, width)).values("tp").annotate(v=Max("taken_on")).order_by()
    return {row["tp"]: row["v"] for row in rows}


def provenance(report):
    """What a row of reported figures says of its source: 'Excel 导入 2014-11-20'."""
    return f"{report.report.get_source_display()} {report.as_of:%Y-%m-%d}"


def reported_members(report):
    """The members of all a township's groups, as its report gives them (the nine columns)."""
    return sum(int(report.figures.get(k) or 0) for k in MEMBER_FIELD_NAMES)
