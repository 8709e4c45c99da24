"""Reported 附件3 figures as they stand on a date (reads). A township's latest report on or
before the date stands until the ledger records members after it, or the report is
withdrawn; the 附件3 form, the dashboard, inspection and the assessment all read this."""
from functools import reduce
from operator import or_

from django.db.models import Max, OuterRef, Q, Subquery
from django.db.models.functions import Substr


from qingnong.org.selectors import common_path

from ..dated import groups_standing
from ..models import ReportedProgress


def standing_reports(townships, *, as_of):
    """{township id: its ReportedProgress that stands on `as_of`}: of `townships` (ids,
    instances or a queryset), each one's latest row on or before `as_of` of a report not
    withdrawn (the latest date, then the latest report), unless the ledger recorded members
    for that township after the report's date, which supersedes it. One statement when no
    report stands (the (org, as_of) index), two when some do: the ledger is read only for
    the townships that have a report."""
    live = ReportedProgress.objects.filter(as_of__lte=as_of, report__withdrawn_at__isnull=True)
    latest = live.filter(org=OuterRef("org")).order_by("-as_of", "-report__submitted_at", "-pk").values("pk")[:1]
    candidates = list(live.filter(org__in=townships).filter(pk=Subquery(latest)).select_related("org", "report"))
    if not candidates:
        return {}
    updated = ledger_updates([r.org.path for r in candidates], as_of=as_of)
    return {r.org_id: r for r in candidates if not (updated.get(r.org.path) and updated[r.org.path] > r.as_of)}


def ledger_updates(township_paths, *, as_of):
    """{township path: the day of its latest member record on or before `as_of`} for the
    townships at `township_paths`, from the summary rows standing then (GroupTotals today,
    GroupDayTotals on a past date); one GROUP BY on the township part of the path (townships
    share one length)."""
    if not township_paths:
        return {}
    width = len(township_paths[0])
    under = reduce(or_, (Q(path__startswith=p) for p in township_paths))
    # The townships' summary rows standing on `as_of` (today's, or that day's: one per unit and kind).
    rows = groups_standing(as_of, under=common_path(township_paths))
    rows = rows.filter(under, last_update__isnull=False).annotate(tp=Substr("path", 1, width))
    return {row["tp"]: row["v"] for row in rows.values("tp").annotate(v=Max("last_update")).order_by()}


def provenance(report):
    """What a row of reported figures says of its source: 'Excel 导入 2014-11-20'."""
    return f"{report.report.get_source_display()} {report.as_of:%Y-%m-%d}"
