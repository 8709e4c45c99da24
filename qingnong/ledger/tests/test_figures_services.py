"""Township figures: only townships, no future dates, whole non-negative numbers, one row per
township and date, re-entering a date updates it only from the version the user saw."""
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from qingnong.audit.models import AuditEntry
from qingnong.ledger.models import Source, TownshipFigures
from qingnong.ledger.services.figures import FiguresConflict, figures_record
from qingnong.lib.dates import today


def record(world, **overrides):
    fields = {"user": world.township_a_reporter, "org": world.township_a, "as_of": date(2014, 10, 1),
              "branch_count": 18, "cadre_count": 40, "youth_count": 1200, **overrides}
    return figures_record(**fields)


def test_a_township_records_its_figures(world):
    figures = record(world)
    assert (figures.branch_count, figures.cadre_count, figures.youth_count, figures.version) == (18, 40, 1200, 1)
    assert figures.source == Source.MANUAL and figures.entered_by == world.township_a_reporter
    entry = AuditEntry.objects.get(object_id=figures.pk, content_type__model="townshipfigures")
    assert entry.user == world.township_a_reporter and entry.org_path == world.township_a.path


@pytest.mark.parametrize("org", ["county_a", "village_a"])
def test_only_townships_have_figures(world, org):
    with pytest.raises(ValidationError) as excinfo:
        record(world, user=world.county_a_admin, org=getattr(world, org))
    assert "按乡镇填报" in excinfo.value.messages[0]


def test_future_date_is_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        record(world, as_of=today() + timedelta(days=1))
    assert excinfo.value.message_dict["as_of"] == ["统计日期不能晚于今天。"]


@pytest.mark.parametrize("value,error", [(-1, "不能为负数。"), (2.5, "请输入整数。"), ("12", "请输入整数。"), (None, "请输入整数。")])
def test_numbers_must_be_whole_and_not_negative(world, value, error):
    with pytest.raises(ValidationError) as excinfo:
        record(world, cadre_count=value)
    assert excinfo.value.message_dict["cadre_count"] == [error]
    assert not TownshipFigures.objects.exists()


def test_re_entering_a_date_updates_it_from_the_seen_version(world):
    first = record(world)
    second = record(world, user=world.county_a_reporter, youth_count=1300, expected_version=1)
    assert second.pk == first.pk and second.version == 2 and second.youth_count == 1300
    assert TownshipFigures.objects.count() == 1


def test_re_entering_a_date_without_seeing_it_is_a_conflict(world):
    record(world)
    with pytest.raises(FiguresConflict) as excinfo:
        record(world, user=world.county_a_reporter, youth_count=999)
    assert excinfo.value.current.youth_count == 1200
    assert "甲县测试填报员" in excinfo.value.messages[0]
    assert TownshipFigures.objects.get().youth_count == 1200


def test_an_older_version_is_a_conflict(world):
    record(world)
    record(world, youth_count=1300, expected_version=1)
    with pytest.raises(FiguresConflict):
        record(world, user=world.county_a_admin, youth_count=1400, expected_version=1)
    assert TownshipFigures.objects.get().youth_count == 1300


def test_another_date_is_another_row(world):
    record(world)
    record(world, as_of=date(2014, 11, 1), youth_count=1250)
    assert list(TownshipFigures.objects.order_by("as_of").values_list("youth_count", flat=True)) == [1200, 1250]


def test_viewer_and_other_county_cannot_record(world):
    with pytest.raises(PermissionDenied):
        record(world, user=world.county_a_viewer)
    with pytest.raises(Http404):
        record(world, user=world.county_b_admin)
