"""A workbook of one 附件3 sheet per county (a whole city or province) is compared with the
ledger in a fixed number of SQL statements: the counties' townships, current figures and
imported rows are fetched for all sheets at once, not once per county."""
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qingnong.ledger.models import GroupKind, WechatGroup
from qingnong.lib.dates import today
from qingnong.org.models import Org, OrgLevel
from qingnong.lib.xlsx import write_workbook
from qingnong.reports import importer, workbooks
from qingnong.reports.progress import progress_form


def workbook(counties, day):
    out = io.BytesIO()
    write_workbook(out, [workbooks.progress_sheet(progress_form(c, as_of=day)) for c in counties])
    return out.getvalue()


def division(name, level, parent, code):
    return Org.objects.create(name=name, level=level, code=code, parent=parent, path=f"{parent.path}{code}/", depth=parent.depth + 1)


def more_counties(world):
    """Two more counties with townships: 府谷县 in 榆林市, and 汉滨区 in a second city, so the
    sheets' common ancestor is the province."""
    province = world.city.parent
    hanzhong = division("安康市", OrgLevel.CITY, province, "610900")
    added = []
    for parent, code, name, towns in ((world.city, "610822", "府谷县", ("府谷镇", "黄甫镇")),
                                      (hanzhong, "610902", "汉滨区", ("老城街道", "五里镇", "关庙镇"))):
        county = division(name, OrgLevel.COUNTY, parent, code)
        for i, town in enumerate(towns):
            division(town, OrgLevel.TOWNSHIP, county, f"{code}{100 + i:03d}")
        added.append(county)
    return added


def counties_for(world):
    # 榆阳区 (where the ledger has data and an earlier import) first.
    return [world.county_a, world.county_b, *more_counties(world)]


def imported_county_a(world, day):
    """An earlier import of 榆阳区's 附件3 for `day`: its townships show the imported figures."""
    data = workbook([world.county_a], day)
    analysis = importer.analyse(user=None, org=world.county_a, form_code="progress", data=data)
    run = importer.run_save(user=None, analysis=analysis, data=data, file_name="earlier.xlsx")
    importer.import_confirm(user=None, run=run)


def analyse_all(data, counties, day):
    grids = importer.read_workbook(data)
    with CaptureQueriesContext(connection) as queries:
        analyses = importer.analyse_progress_workbook(grids, counties=counties, as_of=day)
    return analyses, len(queries)


def test_query_count_does_not_grow_with_the_sheets(world):
    day = today()
    imported_county_a(world, day)
    counties = counties_for(world)
    one, one_count = analyse_all(workbook(counties[:1], day), counties[:1], day)
    many, many_count = analyse_all(workbook(counties, day), counties, day)
    assert [type(a) for a in many] == [importer.Analysis] * 4
    assert {a.org.parent.parent_id for a in many} == {world.city.parent_id}  # two cities of one province
    assert all(a.preview["rows"] for a in many), "every county sheet has township rows to compare"
    assert one_count == many_count, (one_count, many_count)
    assert one_count <= 15, one_count  # a handful: townships, neighbours, township_sums, imported rows


def test_workbook_analysis_equals_one_county_at_a_time(world):
    """Same previews and problems as analysing each county's sheet alone; the imported
    township rows of 榆阳区 are current for that date, 横山区's are the ledger's."""
    day = today()
    imported_county_a(world, day)
    counties = counties_for(world)[:3]
    data = workbook(counties, day)
    # The ledger changes after the file was filled in: 横山区's first township gains a group.
    township_b = Org.objects.filter(parent=world.county_b, level=OrgLevel.TOWNSHIP).order_by("code", "name").first()
    WechatGroup.objects.create(org=township_b, name="导入对比新建群", kind=GroupKind.YOUTH)
    grids = importer.read_workbook(data)
    together = importer.analyse_progress_workbook(grids, counties=counties, as_of=day)
    by_name = {g.name: g for g in grids}
    for county, analysis in zip(counties, together):
        alone = importer.analyse_progress([by_name[county.name]], county=county, as_of=day)
        assert (analysis.org, analysis.as_of, analysis.preview, analysis.problems) == (
            alone.org, alone.as_of, alone.preview, alone.problems)
        # The whole workbook too: each county picks its own sheet by name.
        assert importer.analyse_progress(grids, county=county, as_of=day).preview == alone.preview
    a_rows, b_rows = together[0].preview["rows"], together[1].preview["rows"]
    assert {r["current_source"] for r in a_rows} == {"import"}
    assert {r["current_source"] for r in b_rows} == {"ledger"}
    changed_b = {r["org_id"]: r["changed"] for r in b_rows if r["changed"]}
    assert changed_b == {township_b.pk: ["group_count"]}
    first_b = next(r for r in b_rows if r["org_id"] == township_b.pk)
    assert first_b["current"]["group_count"] == first_b["values"]["group_count"] + 1


def test_a_county_without_its_sheet_is_refused_alone(world):
    day = today()
    counties = counties_for(world)[:3]
    grids = importer.read_workbook(workbook(counties[:2], day))
    first, second, third = importer.analyse_progress_workbook(grids, counties=counties, as_of=day)
    assert isinstance(first, importer.Analysis) and isinstance(second, importer.Analysis)
    assert isinstance(third, importer.ImportRefused)
    assert f"无法确定哪一张是{counties[2].name}的" in third.messages[0]
    with pytest.raises(importer.ImportRefused):
        importer.analyse_progress(grids, county=counties[2], as_of=day)
