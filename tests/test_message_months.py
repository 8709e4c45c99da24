"""Issue 17: each message record is counted once and in the right month. One rule
(models.counts_on_day: a record counts on its middle day, a Monday–Sunday week on its
Thursday, the ISO-8601 rule) decides where a record that spans days belongs, and every
figure reads it: for any records, consecutive periods add up to the whole span."""
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import A_GROUP
from qingnong.ledger.models import MessageRecord, TotalsMeasure, WechatGroup, message_dates
from qingnong.ledger.services.messages import message_create
from qingnong.ledger.totals import refresh, rollup_ranges

YEAR = 2014


def figure(org, start, end):
    return rollup_ranges([org], [TotalsMeasure.MESSAGES], start=start, as_of=end)[TotalsMeasure.MESSAGES].get(org.path, 0)


def months():
    firsts = [date(YEAR, m, 1) for m in range(1, 13)] + [date(YEAR + 1, 1, 1)]
    return [(a, b - timedelta(days=1)) for a, b in zip(firsts, firsts[1:])]


def test_a_week_across_two_months_counts_in_the_month_of_its_thursday(world):
    group = WechatGroup.objects.get(name=A_GROUP)
    record = message_create(user=world.county_a_reporter, group=group, period_start=date(2014, 11, 24),
                            period_end=date(2014, 11, 30), count=9, category="policy")
    assert (record.counts_on, record.month) == (date(2014, 11, 27), date(2014, 11, 1))
    across = message_create(user=world.county_a_reporter, group=group, period_start=date(2014, 12, 29),
                            period_end=date(2015, 1, 4), count=8, category="news")
    assert across.month == date(2015, 1, 1)  # Thursday 2015-01-01: January's, though it starts in December
    township = world.township_a
    assert figure(township, date(2014, 12, 1), date(2014, 12, 31)) == 0
    assert figure(township, date(2015, 1, 1), date(2015, 1, 31)) == 8


records = st.lists(st.tuples(st.integers(0, 364), st.integers(0, 40), st.integers(1, 20)), max_size=12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=records, split=st.integers(0, 363))
def test_consecutive_periods_add_up_to_the_whole_span(world, records, split):
    group = WechatGroup.objects.get(name=A_GROUP)
    township = world.township_a
    MessageRecord.all_objects.filter(org=township).delete()
    rows = []
    for offset, length, count in records:
        start = date(YEAR, 1, 1) + timedelta(days=offset)
        end = min(start + timedelta(days=length), date(YEAR, 12, 31))
        rows.append(MessageRecord(org=township, group=group, **message_dates(start, end), count=count, category="policy"))
    MessageRecord.objects.bulk_create(rows)
    refresh([township.pk], ("messages",))
    total = sum(count for *_, count in records)
    assert figure(township, date(YEAR, 1, 1), date(YEAR, 12, 31)) == total  # each record counted once
    assert sum(figure(township, a, b) for a, b in months()) == total  # in exactly one month
    cut = date(YEAR, 1, 1) + timedelta(days=split)  # any two consecutive periods, edge days included
    assert figure(township, date(YEAR, 1, 1), cut) + figure(township, cut + timedelta(days=1), date(YEAR, 12, 31)) == total
