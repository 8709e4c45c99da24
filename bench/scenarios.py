"""Benchmark scenarios, run in one process against the database of DATABASE_URL (filled by
`qingnong synth`). Each app figure is measured in the same run as a hand-written baseline
doing the same work the fastest plain way; times are medians of repeated runs after a
warm-up. Prints one JSON list of result objects on stdout.

    python bench/scenarios.py --scale city            # scenarios 1, 3, 4, 5
    python bench/scenarios.py --memory 610800         # one export in this process: peak RSS (KB)
"""
import argparse
import gc
import io
import json
import os
import resource
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingnong.settings")
import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries  # noqa: E402

from qingnong.accounts.models import User  # noqa: E402
from qingnong.campaign import scorecard as campaign_scorecard  # noqa: E402
from qingnong.campaign import selectors as campaign_selectors  # noqa: E402
from qingnong.ledger.selectors.groups import group_list  # noqa: E402
from qingnong.demo.synth import BENCH_USER, END, SCALES  # noqa: E402
from qingnong.lib.dates import today  # noqa: E402
from qingnong.org.models import Org, OrgLevel  # noqa: E402


def timed(fn, *, min_runs=3, max_runs=15, budget=2.0):
    """(median seconds, runs, last result) after one warm-up call; the garbage collector is
    off while a call is timed (as timeit does), collected between calls, so that a
    collection caused by objects from earlier scenarios is not charged to whichever side runs then."""
    result = fn()
    times, spent = [], 0.0
    while len(times) < min_runs or (len(times) < max_runs and spent < budget):
        gc.collect()
        gc.disable()
        try:
            t = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - t)
        finally:
            gc.enable()
        spent += times[-1]
    return statistics.median(times), len(times), result


def rss_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def db_label():
    return connection.vendor


# ---------------------------------------------------------------- 1. scorecard roll-up

SCORE_SQL = """
WITH c AS (
  SELECT id, path FROM org_org WHERE level = 'county' AND deleted_at IS NULL AND path LIKE %(prefix)s),
g AS (
  SELECT substr(o.path, 1, %(len)s) AS p,
         SUM(CASE WHEN b.built AND g.kind = 'youth' THEN 1 ELSE 0 END) AS youth,
         SUM(CASE WHEN b.built AND g.kind = 'work' THEN 1 ELSE 0 END) AS work,
         SUM(CASE WHEN b.built AND g.kind = 'youth' THEN g.members_total ELSE 0 END) AS members,
         MAX(CASE WHEN g.members_as_of <= %(as_of)s THEN g.members_as_of END) AS last_update
  FROM ledger_wechatgroup g
  JOIN org_org o ON o.id = g.org_id
  CROSS JOIN (SELECT 1 AS one) x
  JOIN LATERAL_OR_PLAIN
  WHERE g.deleted_at IS NULL AND o.path LIKE %(prefix)s
  GROUP BY 1),
t AS (
  SELECT substr(path, 1, %(len)s) AS p, COUNT(*) AS n FROM org_org
  WHERE level = 'township' AND deleted_at IS NULL AND path LIKE %(prefix)s GROUP BY 1),
k AS (
  SELECT substr(o.path, 1, %(len)s) AS p, COUNT(*) AS n,
         SUM(CASE WHEN k.youths_reached >= %(per_cadre)s THEN 1 ELSE 0 END) AS on_target
  FROM ledger_cadre k JOIN org_org o ON o.id = k.org_id
  WHERE k.deleted_at IS NULL AND k.is_grassroots AND o.path LIKE %(prefix)s GROUP BY 1),
m AS (
  SELECT substr(o.path, 1, %(len)s) AS p, SUM(m.count) AS n
  FROM ledger_messagerecord m JOIN org_org o ON o.id = m.org_id
  WHERE m.deleted_at IS NULL AND m.month = %(month)s AND m.period_start <= %(as_of)s AND o.path LIKE %(prefix)s GROUP BY 1),
a AS (
  SELECT substr(o.path, 1, %(len)s) AS p, COUNT(*) AS n
  FROM ledger_activity a JOIN org_org o ON o.id = a.org_id
  WHERE a.deleted_at IS NULL AND a.held_on >= %(month)s AND a.held_on <= %(as_of)s AND o.path LIKE %(prefix)s GROUP BY 1),
w AS (
  SELECT g.org_id, COUNT(*) AS n FROM ledger_wechatgroup g
  WHERE g.deleted_at IS NULL AND g.kind = 'work' AND g.status IN ('active', 'dormant')
    AND (g.founded_on IS NULL OR g.founded_on <= %(as_of)s) AND g.org_id IN (SELECT id FROM c) GROUP BY 1)
SELECT c.id, COALESCE(t.n, 0), COALESCE(g.youth, 0), COALESCE(g.work, 0), COALESCE(g.members, 0),
       COALESCE(k.n, 0), COALESCE(k.on_target, 0), COALESCE(m.n, 0), COALESCE(a.n, 0), g.last_update,
       COALESCE(w.n, 0),
       EXISTS (SELECT 1 FROM ledger_officialaccount oa WHERE oa.org_id = c.id AND oa.deleted_at IS NULL
               AND oa.status = 'opened' AND (oa.opened_on IS NULL OR oa.opened_on <= %(as_of)s)),
       p.status, p.planned_county_youth_groups + p.planned_township_youth_groups
FROM c
LEFT JOIN g ON g.p = c.path LEFT JOIN t ON t.p = c.path LEFT JOIN k ON k.p = c.path
LEFT JOIN m ON m.p = c.path LEFT JOIN a ON a.p = c.path LEFT JOIN w ON w.org_id = c.id
LEFT JOIN campaign_countyplan p ON p.org_id = c.id AND p.campaign_id = %(campaign)s AND p.deleted_at IS NULL
ORDER BY c.id
"""
# One scan of the groups table computes the built counts and the latest update together.
SCORE_SQL = SCORE_SQL.replace("  CROSS JOIN (SELECT 1 AS one) x\n  JOIN LATERAL_OR_PLAIN\n", "").replace(
    "b.built", "(g.status IN ('active', 'dormant') AND (g.founded_on IS NULL OR g.founded_on <= %(as_of)s))")

# The same numbers from the summary rows the app keeps (ledger/totals.py), written by hand:
# the fastest plain way now, and the fair baseline for the app's reads of them. Counties
# read the coarse (county) rows of the monthly totals, as the app does.
SUMMARY_SQL = SCORE_SQL.split("g AS (")[0] + """g AS (
  SELECT substr(path, 1, %(len)s) AS p,
         SUM(CASE WHEN kind = 'youth' THEN built ELSE 0 END) AS youth,
         SUM(CASE WHEN kind = 'work' THEN built ELSE 0 END) AS work,
         SUM(CASE WHEN kind = 'youth' THEN members ELSE 0 END) AS members,
         MAX(CASE WHEN last_update <= %(as_of)s THEN last_update END) AS last_update
  FROM ledger_grouptotals WHERE path LIKE %(prefix)s GROUP BY 1),
t AS (
  SELECT substr(path, 1, %(len)s) AS p, COUNT(*) AS n FROM org_org
  WHERE level = 'township' AND deleted_at IS NULL AND path LIKE %(prefix)s GROUP BY 1),
k AS (
  SELECT substr(path, 1, %(len)s) AS p, SUM(grassroots) AS n, SUM(on_target) AS on_target
  FROM ledger_cadretotals WHERE path LIKE %(prefix)s GROUP BY 1),
m AS (
  SELECT substr(path, 1, %(len)s) AS p, SUM(n) AS n FROM ledger_monthlytotals
  WHERE measure = 'messages' AND coarse AND month = %(month)s AND path LIKE %(prefix)s GROUP BY 1),
a AS (
  SELECT substr(path, 1, %(len)s) AS p, SUM(n) AS n FROM ledger_monthlytotals
  WHERE measure = 'activities' AND coarse AND month = %(month)s AND path LIKE %(prefix)s GROUP BY 1),
w AS (""" + SCORE_SQL.split("w AS (")[1]

# A past date, the same way: the dated rows standing on the day (ledger/dated.py), one per
# county (coarse) and kind, found by one index seek each from the counties' first rows; the
# month's messages and activities up to the day from the records themselves, as the app
# reads a month that is not whole.
STANDING = """(SELECT (SELECT x.id FROM {table} x WHERE x.unit_id = f.unit_id {kind} AND x.coarse = f.coarse
                       AND x.day <= %(as_of)s ORDER BY x.day DESC LIMIT 1)
           FROM {table} f WHERE f.coarse = %(true)s AND f.day = '1900-01-01' AND f.path LIKE %(prefix)s)"""
SUMMARY_PAST_SQL = SUMMARY_SQL.replace(
    "FROM ledger_grouptotals WHERE path LIKE %(prefix)s GROUP BY 1",
    "FROM ledger_groupdaytotals WHERE id IN " + STANDING.format(table="ledger_groupdaytotals", kind="AND x.kind = f.kind")
    + " GROUP BY 1").replace(
    "FROM ledger_cadretotals WHERE path LIKE %(prefix)s GROUP BY 1",
    "FROM ledger_cadredaytotals WHERE id IN " + STANDING.format(table="ledger_cadredaytotals", kind="") + " GROUP BY 1")
SUMMARY_PAST_SQL = SUMMARY_PAST_SQL.split("m AS (")[0] + """m AS (
  SELECT substr(o.path, 1, %(len)s) AS p, SUM(m.count) AS n
  FROM ledger_messagerecord m JOIN org_org o ON o.id = m.org_id
  WHERE m.deleted_at IS NULL AND m.month = %(month)s AND m.counts_on <= %(as_of)s AND o.path LIKE %(prefix)s GROUP BY 1),
a AS (""" + SCORE_SQL.split("a AS (")[1]


def scorecard(root, admin, as_of):
    """with_progress for every county as of `as_of` against one hand-written query over the
    same summary rows (today's, or the dated rows standing on a past day), and, today, the
    hand-written query over the ledger tables."""
    campaign = campaign_selectors.current_campaign(admin)
    counties = Org.objects.filter(level=OrgLevel.COUNTY, path__startswith=root.path).order_by("pk")
    width = len(counties[0].path)
    past = as_of < today()

    def app():
        rows = campaign_scorecard.with_progress(counties, campaign=campaign, as_of=as_of)
        return [(o.pk, o.n_townships, o.youth_groups, o.work_groups, o.youths_reached, o.grassroots_cadres,
                 o.cadres_on_target, o.messages_month, o.activities_month, str(o.last_update) if o.last_update else None,
                 o.own_work_groups, bool(o.account_opened), o.plan_status, o.planned_youth) for o in rows]

    params = {"prefix": root.path + "%", "len": width, "as_of": as_of.isoformat(), "month": as_of.replace(day=1).isoformat(),
              "per_cadre": campaign.youths_per_cadre, "campaign": campaign.pk, "true": True}

    def query(sql):
        def run():
            with connection.cursor() as c:
                c.execute(sql, params)
                return [(*r[:9], str(r[9]) if r[9] else None, r[10], bool(r[11]), r[12], r[13]) for r in c.fetchall()]
        return run

    app_s, app_n, app_rows = timed(app)
    sum_s, sum_n, sum_rows = timed(query(SUMMARY_PAST_SQL if past else SUMMARY_SQL))
    result = {
        "scenario": "1_scorecard_rollup", "date": date_label(as_of),
        "what": f"with_progress over {len(app_rows)} counties vs one SQL query over the summary rows"
                + (" standing on the day" if past else " (and over the ledger tables)"),
        "rows": len(app_rows), "app_ms": app_s * 1000, "baseline_ms": sum_s * 1000, "ratio": app_s / sum_s,
        "target": "ratio <= 1.5", "met": app_s / sum_s <= 1.5,
        "equal": app_rows == [tuple(r) for r in sum_rows], "runs": [app_n, sum_n],
    }
    if not past:  # the ledger tables hold today's figures only: no past baseline over them
        raw_s, raw_n, raw_rows = timed(query(SCORE_SQL))
        result.update(ledger_sql_ms=raw_s * 1000, ratio_to_ledger_sql=app_s / raw_s,
                      equal=result["equal"] and app_rows == [tuple(r) for r in raw_rows], runs=[app_n, sum_n, raw_n])
    reset_queries()
    return result


def date_label(as_of):
    """"END" (the data's last day, today for the run) or "END-60"."""
    days = (END - as_of).days
    return "END" if days == 0 else f"END-{days}"


# ---------------------------------------------------------------- 3. subtree query

SUBTREE_SQL = """
SELECT g.id, g.name, g.kind, g.status, g.members_total, g.members_as_of, o.id, o.name, o.path, w.id, w.name
FROM ledger_wechatgroup g
JOIN org_org o ON o.id = g.org_id
LEFT JOIN ledger_cadre w ON w.id = g.owner_id
WHERE g.deleted_at IS NULL AND o.path LIKE %s
ORDER BY o.path, g.name
"""


def subtree(admin, org, label):
    """All groups under `org`: the ledger's selector (its ORM SQL, rows as tuples) vs a
    hand-written indexed query; model instances (what a page of the list builds, for every
    row) are timed too, for information."""
    columns = ("pk", "name", "kind", "status", "members_total", "members_as_of", "org_id", "org__name", "org__path",
               "owner_id", "owner__name")

    def app():
        return list(group_list(admin, org).values_list(*columns))

    def instances():
        return [(g.pk, g.name, g.org.name, g.owner.name if g.owner else None) for g in group_list(admin, org)]

    def raw():
        with connection.cursor() as c:
            c.execute(SUBTREE_SQL, [org.path + "%"])
            return c.fetchall()

    app_s, app_n, app_rows = timed(app)
    raw_s, raw_n, raw_rows = timed(raw)
    inst_s, _, _ = timed(instances, min_runs=3, max_runs=5, budget=1)
    return {
        "scenario": f"3_subtree_{label}", "what": f"all groups under {org.name}: group_list(...).values_list vs raw SQL",
        "rows": len(app_rows), "app_ms": app_s * 1000, "baseline_ms": raw_s * 1000, "ratio": app_s / raw_s,
        "app_us_per_row": app_s * 1e6 / max(1, len(app_rows)), "instances_ms": inst_s * 1000,
        "target": "ratio <= 1.5, flat as the tree grows", "met": app_s / raw_s <= 1.5,
        "equal": [tuple(map(str, r)) for r in app_rows] == [tuple(map(str, r)) for r in raw_rows], "runs": [app_n, raw_n],
    }


# ---------------------------------------------------------------- 4. 附件3 export

def _export_app(org, as_of):
    from qingnong.lib.xlsx import write_workbook
    from qingnong.reports.workbooks import export_sheets

    sheets, _ = export_sheets("progress", org, as_of=as_of)
    buf = io.BytesIO()
    write_workbook(buf, sheets)
    return buf.getvalue(), sheets


def _export_raw(sheets, *, formatted=True):
    """The same cells with plain XlsxWriter: header line, column labels, rows, footers.
    `formatted`: each cell with a bordered text or number format and empty cells written
    blank, as on the official form (a cell is its value and its format); without, bare
    values only (reported beside, for information)."""
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"constant_memory": True})
    text = num = None
    if formatted:
        text = book.add_format({"border": 1, "align": "left", "text_wrap": True, "valign": "vcenter"})
        num = book.add_format({"border": 1, "align": "center", "num_format": "0", "valign": "vcenter"})
    for i, sheet in enumerate(sheets):
        ws = book.add_worksheet(f"s{i}")
        r = 0
        ws.write_string(r, 0, " ".join(f"{k}：{v}" for k, v in sheet.header.items()) + " " + sheet.note)
        r += 1
        if sheet.values:
            for key, value in sheet.values.items():
                ws.write(r, 0, key, text)
                ws.write(r, 1, value if isinstance(value, (int, str)) else str(value), text)
                r += 1
            continue
        columns = sheet.layout.columns
        for c, col in enumerate(columns):
            ws.write_string(r, c, col.label, text)
        r += 1
        for row in [*sheet.rows, *(dict(v, name=label) for label, v in sheet.footers)]:
            for c, col in enumerate(columns):
                value = row.get(col.key)
                if isinstance(value, (int, float)):
                    ws.write_number(r, c, value, num)
                elif value is not None:
                    ws.write_string(r, c, str(value), text)
                elif formatted:
                    ws.write_blank(r, c, None, text)
            r += 1
    book.close()
    return buf.getvalue()


def export(org, as_of):
    """App: export_sheets (the ledger queries) + write_workbook; baseline: raw XlsxWriter of
    the same pre-fetched values. The ratio compares the writers (same input, same cells);
    the fetch is reported beside it."""
    from qingnong.lib.xlsx import write_workbook
    from qingnong.reports.workbooks import export_sheets

    fetch_s, _, (sheets, _) = timed(lambda: export_sheets("progress", org, as_of=as_of), min_runs=1, budget=3)

    def write():
        buf = io.BytesIO()
        write_workbook(buf, sheets)
        return buf.getvalue()

    app_s, app_n, data = timed(write, min_runs=5, budget=3)
    raw_s, raw_n, raw_data = timed(lambda: _export_raw(sheets), min_runs=5, budget=3)
    bare_s, _, _ = timed(lambda: _export_raw(sheets, formatted=False), min_runs=5, budget=3)
    rows = sum(len(list(s.rows)) for s in sheets)
    return {
        "scenario": "4_export_progress",
        "what": f"附件3 of {org.name}'s counties: write_workbook vs raw XlsxWriter of the same pre-fetched values, "
                "each cell with its border/number format (and vs bare values)",
        "rows": rows, "sheets": len(sheets), "bytes": len(data), "fetch_ms": fetch_s * 1000, "app_ms": app_s * 1000,
        "baseline_ms": raw_s * 1000, "bare_ms": bare_s * 1000, "ratio_to_bare": app_s / bare_s,
        "ratio": app_s / raw_s, "ratio_with_fetch": (fetch_s + app_s) / raw_s,
        "target": "ratio <= 1.5", "met": app_s / raw_s <= 1.5, "runs": [app_n, raw_n],
    }


def memory(code, as_of):
    """One export of org `code` in a fresh process: RSS before and peak (KB)."""
    org = Org.objects.get(code=code)
    list(Org.objects.filter(pk=org.pk))  # connect, warm the ORM
    import xlsxwriter  # noqa: F401

    from qingnong.reports import workbooks  # noqa: F401

    before = rss_kb()
    data, sheets = _export_app(org, as_of)
    return {"code": code, "name": org.name, "rows": sum(len(list(s.rows)) for s in sheets), "rss_before_kb": before,
            "rss_peak_kb": rss_kb(), "bytes": len(data)}


# ---------------------------------------------------------------- 5. 附件3 import

def import_progress(root, as_of):
    """A workbook of every county's 附件3 under `root` (all its townships), then the app's
    reader + analyse_progress_workbook (each county finds its sheet by name; the ledger is
    compared for all sheets at once) vs a raw python-calamine read of all sheets."""
    import python_calamine

    from qingnong.reports.importer import analyse_progress_workbook, read_workbook
    from qingnong.reports.progress import progress_form
    from qingnong.lib.xlsx import write_workbook
    from qingnong.reports.workbooks import progress_sheet

    counties = list(Org.objects.filter(level=OrgLevel.COUNTY, path__startswith=root.path).order_by("code"))
    buf = io.BytesIO()
    write_workbook(buf, [progress_sheet(progress_form(c, as_of=as_of)) for c in counties])
    data = buf.getvalue()

    def parse():
        return read_workbook(data)

    def app():
        grids = read_workbook(data)  # one sheet per county, named after it
        analyses = analyse_progress_workbook(grids, counties=counties, as_of=as_of)
        refused = [a for a in analyses if not hasattr(a, "preview")]
        assert not refused, refused  # every county found its own sheet
        return sum(len(a.preview.get("rows", [])) for a in analyses), analyses

    def raw():
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        n = 0
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            n += len(sheet.to_python(skip_empty_area=False))
            sheet.merged_cell_ranges  # noqa: B018 (the importer reads them too)
        return n

    app_s, app_n, (rows, analyses) = timed(app, min_runs=1, budget=3)
    parse_s, _, _ = timed(parse, min_runs=3, budget=3)
    raw_s, raw_n, cells = timed(raw, min_runs=3, budget=3)
    errors = sum(len(a.errors) for a in analyses)
    common = {"rows": rows, "sheets": len(counties), "bytes": len(data), "baseline_ms": raw_s * 1000}
    return [
        {"scenario": "5_import_parse", "what": f"附件3 workbook of {len(counties)} counties: importer.read_workbook (every sheet, merges) vs python-calamine read",
         **common, "app_ms": parse_s * 1000, "ratio": parse_s / raw_s, "target": "ratio <= 3", "met": parse_s / raw_s <= 3,
         "runs": [raw_n]},
        {"scenario": "5_import_analyse", "what": "read_workbook + analyse_progress_workbook of every county (locate, check, compare with the ledger's 附件3 for all sheets at once) vs python-calamine read",
         **common, "errors_found": errors, "app_ms": app_s * 1000, "analyse_ms_per_county": (app_s - parse_s) * 1000 / len(counties),
         "ratio": app_s / raw_s, "target": "ratio <= 3", "met": app_s / raw_s <= 3, "runs": [app_n, raw_n]},
    ]


CONSISTENCY_SQL = """
SELECT COUNT(*) FROM ledger_wechatgroup g
LEFT JOIN (SELECT group_id, MAX(taken_on) AS last FROM ledger_membersnapshot GROUP BY group_id) l ON l.group_id = g.id
LEFT JOIN ledger_membersnapshot s ON s.group_id = g.id AND s.taken_on = l.last
WHERE g.deleted_at IS NULL AND (
  (l.last IS NULL) <> (g.members_as_of IS NULL) OR l.last <> g.members_as_of OR s.total <> g.members_total
  OR s.home_farming <> g.home_farming OR s.away_wage <> g.away_wage OR s.away_other <> g.away_other)
"""


def consistency():
    """Every group's current-figures copy equals its latest snapshot (synth keeps them in step)."""
    with connection.cursor() as c:
        c.execute("SELECT COUNT(*) FROM ledger_wechatgroup")
        groups = c.fetchone()[0]
        c.execute(CONSISTENCY_SQL)
        bad = c.fetchone()[0]
    return {"scenario": "0_current_figures", "what": "groups whose current-figures columns differ from their latest snapshot",
            "rows": groups, "mismatches": bad, "ratio": None, "target": "0 mismatches", "met": bad == 0}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=sorted(SCALES))
    parser.add_argument("--memory")
    parser.add_argument("--only", default="0,1,3,4,5")
    args = parser.parse_args()
    admin = User.objects.get(username=BENCH_USER)
    if args.memory:
        campaign = campaign_selectors.current_campaign(admin)
        print(json.dumps(memory(args.memory, campaign_selectors.default_as_of(campaign))))
        return
    root = Org.objects.get(code=SCALES[args.scale].code.ljust(6, "0"))
    # The data's last day ("today": bench/run.py pins it, QINGNONG_TODAY) and 60 days before it.
    dates = [END, END - timedelta(days=60)]
    only = set(args.only.split(","))
    results = []
    if "0" in only:
        results.append(consistency())
    if "1" in only:
        results += [scorecard(root, admin, as_of) for as_of in dates]
    if "3" in only:
        county = Org.objects.get(code="610802")  # 榆阳区, in both scales
        township = Org.objects.filter(parent=county, level=OrgLevel.TOWNSHIP).order_by("code").first()
        results.append(subtree(admin, county, "county"))
        results.append(subtree(admin, township, "township"))
    if "4" in only:
        for as_of in dates:
            results.append({**export(Org.objects.get(code="610800"), as_of), "date": date_label(as_of)})
    if "5" in only:
        for as_of in dates:
            results += [{**r, "date": date_label(as_of)} for r in import_progress(root, as_of)]
    for r in results:
        r.update(db=db_label(), scale=args.scale)
    print(json.dumps(results, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
