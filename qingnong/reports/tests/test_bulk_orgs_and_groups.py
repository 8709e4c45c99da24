"""Bulk entry of villages/直属 orgs and of groups (issue 12): the same declared machinery as
the cadres', each list with its own checks at the cell, all-or-nothing."""
import io
from datetime import date

import openpyxl
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import A_CADRE, A_VILLAGE
from qingnong.ledger.models import GroupKind, GroupTotals, WechatGroup
from qingnong.org.models import Org, OrgLevel
from qingnong.reports import importer
from qingnong.reports.models import ImportStatus


def upload(world, code, header, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    for c, label in enumerate(header, 1):
        sheet.cell(1, c, label)
    for r, row in enumerate(rows, 2):
        for c, value in enumerate(row, 1):
            sheet.cell(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return importer.bulk_preview(user=world.county_a_reporter, org=world.county_a, code=code,
                                 file=ContentFile(out.getvalue(), name=f"{code}.xlsx"))


ORG_HEADER = ["上级乡镇*", "组织名称*", "类型", "备注"]
GROUP_HEADER = ["所属组织*", "群名称*", "类型", "建群依据", "建群日期", "群主", "用途/备注"]


def test_villages_and_direct_orgs(world):
    run = upload(world, "orgs", ORG_HEADER, [["鱼河镇", "乙村团支部", "", ""], ["鱼河镇", "鱼河中学团委", "直属团组织", "学校"]])
    assert run.status == ImportStatus.PREVIEWED, run.problems
    importer.import_confirm(user=world.county_a_reporter, run=run)
    village, school = Org.objects.get(name="乙村团支部"), Org.objects.get(name="鱼河中学团委")
    assert (village.parent, village.level, school.level, school.note) == (world.township_a, OrgLevel.VILLAGE, OrgLevel.DIRECT, "学校")
    assert village.path.startswith(world.township_a.path) and village.depth == world.township_a.depth + 1
    assert village.history.count() == 1


def test_an_org_name_taken_or_repeated_is_named(world):
    run = upload(world, "orgs", ORG_HEADER, [
        ["鱼河镇", A_VILLAGE, "", ""],  # already in the tree
        ["鱼河镇", "丙村团支部", "", ""], ["鱼河镇", "丙村团支部", "", ""],  # twice in the file
        ["不存在镇", "丁村", "", ""], ["鱼河镇", "戊村", "乡政府", ""],
    ])
    messages = {p["cell"]: p["message"] for p in run.errors}
    assert "已在台帐中" in messages["B2"] and "在第 3 行已经填过" in messages["B4"]
    assert "不是本县区的乡镇" in messages["A5"] and "只能填村团组织或直属团组织" in messages["C6"]
    assert run.status == ImportStatus.FAILED and not Org.objects.filter(name="丙村团支部").exists()


def test_groups_with_owner_bases_and_date(world):
    run = upload(world, "groups", GROUP_HEADER, [
        ["鱼河镇", "鱼河读书群", "团青微信群", "地缘、趣缘", "2014-09-03", A_CADRE, ""],
        ["鱼河镇", "青农鱼河", "青农微信群", "", date(2014, 8, 20), "", "乡镇工作群"],
    ])
    assert run.status == ImportStatus.PREVIEWED, run.problems
    importer.import_confirm(user=world.county_a_reporter, run=run)
    youth, work = WechatGroup.objects.get(name="鱼河读书群"), WechatGroup.objects.get(name="青农鱼河")
    assert (youth.kind, youth.basis_list, youth.founded_on, youth.owner.name) == (GroupKind.YOUTH, ["place", "hobby"], date(2014, 9, 3), A_CADRE)
    assert (work.kind, work.covers_level, work.bases, work.purpose) == (GroupKind.WORK, OrgLevel.VILLAGE, "", "乡镇工作群")
    assert GroupTotals.objects.filter(unit=world.township_a, kind=GroupKind.YOUTH).get().groups >= 2  # totals kept


def test_group_problems_at_their_cells(world):
    run = upload(world, "groups", GROUP_HEADER, [
        ["鱼河镇", "坏群", "团青", "血缘", "2099-01-01", "无名氏", ""],
        ["鱼河镇", "坏日期群", "", "", "九月", "", ""],
    ])
    messages = {p["cell"]: p["message"] for p in run.errors}
    assert "只能是地缘、业缘、事缘、趣缘" in messages["D2"] and "晚于今天" in messages["E2"]
    assert "没有登记名为“无名氏”的团干部" in messages["F2"] and "应为日期" in messages["E3"]
    assert "C2" not in messages  # 团青 is read as 团青微信群


def test_a_group_name_taken_in_its_org_is_named(world):
    from conftest import A_GROUP
    run = upload(world, "groups", GROUP_HEADER, [["鱼河镇", A_GROUP, "", "", "", "", ""], ["鱼河镇", "新群", "", "", "", "", ""],
                                                 ["鱼河镇", "新群", "", "", "", "", ""]])
    messages = {p["cell"]: p["message"] for p in run.errors}
    assert "已在台帐中" in messages["B2"] and "在第 3 行已经填过" in messages["B4"]


def test_the_orgs_confirm_costs_the_same_for_2_or_20_rows(world):
    def statements(prefix, n):
        run = upload(world, "orgs", ORG_HEADER, [["鱼河镇", f"{prefix}{i}村", "", ""] for i in range(n)])
        with CaptureQueriesContext(connection) as queries:
            importer.import_confirm(user=world.county_a_reporter, run=run)
        return len(queries)

    assert statements("少", 2) == statements("多", 20)


def test_the_group_confirm_costs_the_same_for_2_or_20_rows(world):
    def statements(prefix, n):
        run = upload(world, "groups", GROUP_HEADER, [["鱼河镇", f"{prefix}{i}", "", "", "", "", ""] for i in range(n)])
        with CaptureQueriesContext(connection) as queries:
            importer.import_confirm(user=world.county_a_reporter, run=run)
        return len(queries)

    assert statements("少", 2) == statements("多", 20)
    assert WechatGroup.objects.filter(name__startswith="多").count() == 20
