"""Dates in the office's time zone (Asia/Shanghai), and the week a weekly entry covers."""
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone


def today():
    """Today in the office's time zone (settings.PINNED_TODAY, if set: the benchmark's)."""
    pinned = getattr(settings, "PINNED_TODAY", "")
    return date.fromisoformat(pinned) if pinned else timezone.localdate()


def week_of(day):
    """(Monday, Sunday) of the week containing `day`."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def month_of(day):
    return day.replace(day=1)


def month_end(day):
    """The last day of `day`'s month."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
