"""Tolerant matching of township and county names, and of header labels."""
from types import SimpleNamespace

import pytest

from qingnong.reports.matching import COUNTY_SUFFIXES, label_key, match_org

TOWNSHIPS = [SimpleNamespace(name=n) for n in ("鱼河镇", "鱼河峁镇", "鼓楼街道", "孟家湾乡", "高镇", "马合镇", "马合乡")]


def name(match):
    return match.org.name if match.org else None


@pytest.mark.parametrize("typed,expected,how", [
    ("鱼河镇", "鱼河镇", "exact"),
    ("鱼河", "鱼河镇", "stem"),
    ("鱼 河 镇", "鱼河镇", "cleaned"),
    ("鱼河镇\u3000", "鱼河镇", "cleaned"),
    ("鱼河峁", "鱼河峁镇", "stem"),
    ("鼓楼街道办事处", "鼓楼街道", "stem"),
    ("鼓楼", "鼓楼街道", "stem"),
    ("孟家湾", "孟家湾乡", "stem"),
    ("鱼河镇团委", "鱼河镇", "stem"),
    ("高镇", "高镇", "exact"),
])
def test_townships(typed, expected, how):
    match = match_org(typed, TOWNSHIPS)
    assert (name(match), match.how) == (expected, how)
    assert match.noted == (how in ("cleaned", "stem"))


def test_a_stem_shared_by_two_townships_is_never_guessed():
    match = match_org("马合", TOWNSHIPS)
    assert match.org is None and match.how == "ambiguous" and set(match.candidates) == {"马合镇", "马合乡"}


@pytest.mark.parametrize("typed", ["不存在乡", "高", "", None, "鱼"])
def test_no_match(typed):
    assert match_org(typed, TOWNSHIPS).org is None


def test_counties():
    counties = [SimpleNamespace(name=n) for n in ("榆阳区", "横山区", "佳县", "府谷县")]
    assert name(match_org("榆阳", counties, suffixes=COUNTY_SUFFIXES)) == "榆阳区"
    assert name(match_org("榆阳县", counties, suffixes=COUNTY_SUFFIXES)) == "榆阳区"
    assert name(match_org("佳县", counties, suffixes=COUNTY_SUFFIXES)) == "佳县"
    assert match_org("佳", counties, suffixes=COUNTY_SUFFIXES).org is None  # too short to guess


@pytest.mark.parametrize("typed,key", [
    ("微信群内成员数（人）", "微信群内成员数"), ("微信群内成员数(人)", "微信群内成员数"), ("团员\n青年数", "团员青年数"),
    ("乡镇（街道）名称", "乡镇名称"), ("1、县区名称", "县区名称"), ("是否开通订阅号／服务号", "是否开通订阅号/服务号"),
    (" 务 农 ", "务农"),
])
def test_label_keys(typed, key):
    assert label_key(typed) == key
