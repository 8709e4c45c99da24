"""Round trip (issue 5 "Done means"): random ledger figures → the 附件3 export
(reports/workbooks.py and qingnong/lib/xlsx.py) → import → the stored ReportedProgress
figures equal the exported ones, for every township of the county, and the form read
after the import shows them unchanged."""
import io
from datetime import timedelta

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qingnong.ledger.models import (
    MEMBER_FIELD_NAMES, Activity, ActivityType, GroupKind, GroupStatus, MessageCategory, MessageRecord, TownshipFigures, WechatGroup,
)
from qingnong.lib.dates import today
from qingnong.org.models import Org
from qingnong.lib.xlsx import write_workbook
from qingnong.reports import importer, workbooks
from qingnong.ledger.models import ReportedProgress
from qingnong.reports.progress import NUMERIC, progress_form

TOWNSHIP_CODES = ["610802100", "610802001", "610802107"]  # 鱼河镇, 鼓楼街道, 金鸡滩镇

members = st.fixed_dictionaries({f: st.integers(0, 50) for f in MEMBER_FIELD_NAMES})
township = st.fixed_dictionaries({
    "figures": st.none() | st.tuples(st.integers(0, 2000), st.integers(0, 5000), st.integers(0, 100000)),  # within the bounds
    "groups": st.lists(members, max_size=3),
    "messages": st.fixed_dictionaries({c: st.integers(0, 500) for c in MessageCategory.values}),
    "activities": st.fixed_dictionaries({t: st.integers(0, 3) for t in ActivityType.values}),
})


def build_ledger(county, drawn, day):
    townships = {o.code: o for o in Org.objects.filter(code__in=TOWNSHIP_CODES)}
    groups, messages, activities, figures = [], [], [], []
    for code, ledger in zip(TOWNSHIP_CODES, drawn):
        org = townships[code]
        if ledger["figures"]:
            branch, cadre, youth = ledger["figures"]
            figures.append(TownshipFigures(org=org, as_of=day - timedelta(days=1), branch_count=branch, cadre_count=cadre,
                                           youth_count=youth))
        for n, counts in enumerate(ledger["groups"]):
            groups.append(WechatGroup(org=org, name=f"往返测试群{n}", kind=GroupKind.YOUTH, members_total=sum(counts.values()),
                                      members_as_of=day, **counts))
        # A message record belongs to a group: a closed one, which 微信群数 does not count.
        carrier = WechatGroup.objects.create(org=org, name="往返测试已解散群", kind=GroupKind.WORK, status=GroupStatus.CLOSED)
        for category, count in ledger["messages"].items():
            if count:
                messages.append(MessageRecord(org=org, group=carrier, period_start=day, period_end=day,
                                              month=day.replace(day=1), count=count, category=category))
        for kind, count in ledger["activities"].items():
            activities += [Activity(org=org, held_on=day, activity_type=kind, title=f"往返测试活动{i}") for i in range(count)]
    TownshipFigures.objects.bulk_create(figures)
    WechatGroup.objects.bulk_create(groups)
    MessageRecord.objects.bulk_create(messages)
    Activity.objects.bulk_create(activities)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(drawn=st.lists(township, min_size=3, max_size=3))
def test_export_then_import_gives_back_the_ledger_figures(world, drawn):
    county, day = world.county_a, today()
    with transaction.atomic():
        build_ledger(county, drawn, day)
        exported = {row["name"]: {k: row[k] for k in NUMERIC} for row in progress_form(county, as_of=day).rows}
        sheets, _ = workbooks.export_sheets("progress", county, as_of=day)
        out = io.BytesIO()
        write_workbook(out, sheets)
        data = out.getvalue()

        analysis = importer.analyse(user=None, org=county, form_code="progress", data=data)
        assert not analysis.errors, analysis.errors
        # The export adds up (no 合计/总计 warnings); random members may well exceed 团员青年数.
        assert [p for p in analysis.problems if "多于团员青年数" not in p["message"]] == []
        assert analysis.as_of == day
        run = importer.run_save(user=None, analysis=analysis, data=data, file_name="export.xlsx")
        assert run.preview["counts"]["changed"] == 0  # nothing differs from what was exported
        importer.import_confirm(user=None, run=run)

        stored = {}
        for report in ReportedProgress.objects.filter(org__parent=county, as_of=day).select_related("org"):
            stored[report.org.name] = {"branch_count": report.branch_count, "cadre_count": report.cadre_count,
                                       "youth_count": report.youth_count, "group_count": report.group_count, **report.figures}
        assert stored == exported
        again = {row["name"]: {k: row[k] for k in NUMERIC} for row in progress_form(county, as_of=day).rows}
        assert again == exported
        transaction.set_rollback(True)
