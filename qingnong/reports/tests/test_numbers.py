"""What people type into a count cell (forms.md "What people send back")."""
from datetime import date, datetime

import pytest

from qingnong.reports.numbers import Count, NumberError, parse_count


@pytest.mark.parametrize("typed,value", [
    (12, 12), (12.0, 12), ("12", 12), ("１２", 12), ("12个", 12), ("12 ", 12), (" 12\u3000", 12), ("12人", 12),
    ("1,200", 1200), ("1，200", 1200), ("12.0", 12), ("０", 0), ("-3", -3), ("－3", -3),
])
def test_exact_counts(typed, value):
    assert parse_count(typed) == Count(value)


@pytest.mark.parametrize("typed", ["约12", "大约12个", "12余", "12多个", "12左右", "12以上", "近12", "12+"])
def test_approximate_counts_are_read_and_flagged(typed):
    assert parse_count(typed) == Count(12, approximate=True)


@pytest.mark.parametrize("typed", [None, "", "  ", "-", "—", "/", "无"])
def test_empty_means_zero(typed):
    assert parse_count(typed) == Count(0, empty=True)


@pytest.mark.parametrize("typed,reason", [
    ("十二", "“十二”不是数字（请用阿拉伯数字填写）"),
    ("abc", "“abc”不是数字"),
    ("12.5", "“12.5”不是整数"),
    (12.5, "“12.5”不是整数"),
    ("10-15", "“10-15”是一个范围，请填一个数"),
    (True, "“TRUE”不是数字"),
    (date(2014, 10, 1), "“2014-10-01”是日期或时间，不是数字"),
    (datetime(2014, 10, 1, 8), "“2014-10-01”是日期或时间，不是数字"),
])
def test_unreadable_cells_get_a_chinese_reason(typed, reason):
    with pytest.raises(NumberError) as error:
        parse_count(typed)
    assert str(error.value).startswith(reason)
