"""附件1 from the campaign: a county's plan as label | value rows, as it stood on the date
(its history); the city's sheet of all plans, one row per county."""
from datetime import date, timedelta

import openpyxl

from qingnong.campaign.models import Campaign, CountyPlan
from qingnong.lib.dates import today
from qingnong.lib.xlsx import write_workbook
from qingnong.reports import workbooks
from qingnong.reports.layouts import plan as plan_layout
from qingnong.reports.plan import plan_form

FIELDS = plan_layout.LAYOUT.fields


def make_plan(world, **fields):
    campaign = Campaign.objects.get(org=world.city, year=2014)
    values = {"county_name": "榆阳区", "account_opened": True, "account_type": "subscription", "account_name": "青农榆阳",
              "wechat_lead": "王书记", "admins_contact": "刘敏 13053826160\n白娜 13800000009",
              "planned_county_youth_groups": 5, "planned_county_work_groups": 1, "township_count": 31,
              "planned_township_youth_groups": 320, "planned_township_work_groups": 31, "planned_direct_groups": 3,
              "planned_village_groups": 40, "filled_by": "张伟", "contact": "0912-3282345", **fields}
    return CountyPlan.objects.create(campaign=campaign, org=world.county_a, **values)


def write(tmp_path, code, org, as_of):
    sheets, name = workbooks.export_sheets(code, org, as_of=as_of)
    write_workbook(tmp_path / name, sheets)
    return openpyxl.load_workbook(tmp_path / name)


def test_county_plan_sheet(tmp_path, world):
    make_plan(world)
    ws = write(tmp_path, "plan", world.county_a, today()).active
    assert ws["A1"].value == "附件1"
    assert ws["A2"].value == "县乡两级微信体系建设计划表" and "A2:B2" in {str(r) for r in ws.merged_cells.ranges}
    assert all(part in ws["A3"].value for part in ("县区：榆阳区", "填表人：张伟", "联系方式：0912-3282345"))
    first = next(r for r in range(2, 6) if ws.cell(r, 1).value == "县区名称")
    assert [ws.cell(first + i, 1).value for i in range(len(FIELDS))] == [f.label for f in FIELDS]
    values = {ws.cell(first + i, 1).value: ws.cell(first + i, 2) for i in range(len(FIELDS))}
    assert values["是否开通订阅号/服务号"].value == "是（订阅号）"
    assert values["管理员姓名及联系方式"].value == "刘敏 13053826160\n白娜 13800000009"
    assert values["拟建乡镇级团青微信群数量"].value == 320 and values["拟建乡镇级团青微信群数量"].data_type == "n"
    assert all(values[f.label].data_type == "n" for f in FIELDS if f.kind == "int")
    assert ws.page_setup.orientation == "portrait"


def test_plan_as_it_stood_on_the_date(world):
    plan = make_plan(world)
    plan.planned_village_groups = 55
    plan.save()
    assert plan_form(world.county_a, as_of=today()).values["planned_village_groups"] == 55
    # Written today: on any earlier day there was no plan yet.
    assert plan_form(world.county_a, as_of=today() - timedelta(days=1)).plan is None


def test_plan_loaded_after_its_submission_counts_from_the_submission(world):
    plan = make_plan(world)
    CountyPlan.objects.filter(pk=plan.pk).update(submitted_at=plan.created_at.replace(year=2014, month=8, day=15))
    form = plan_form(world.county_a, as_of=date(2014, 11, 30))
    assert form.plan is not None and form.values["planned_township_youth_groups"] == 320
    assert plan_form(world.county_a, as_of=date(2014, 8, 1)).plan is None


def test_city_sheet_has_a_row_per_county(tmp_path, world):
    make_plan(world)
    ws = write(tmp_path, "plan", world.city, today()).active
    assert ws.title == "附件1 计划表"
    assert [ws.cell(4, c).value for c in range(1, 13)] == [f.label for f in FIELDS]
    assert ws.cell(5, 1).value == "榆阳区" and ws.cell(5, 9).value == 320 and ws.cell(5, 9).data_type == "n"
    assert ws.cell(6, 1).value == "横山区" and ws.cell(6, 9).value is None  # no plan: its name only
