"""Dates in the office's time zone (Asia/Shanghai), and the week a weekly entry covers."""
from datetime import timedelta

from django.utils import timezone


def today():
    return timezone.localdate()


def week_of(day):
    """(Monday, Sunday) of the week containing `day`."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def month_of(day):
    return day.replace(day=1)


def month_end(day):
    """The last day of `day`'s month."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
