"""The benchmark pins "today" (settings.PINNED_TODAY, from QINGNONG_TODAY) to its data's last day."""
from datetime import date

from qingnong.lib.dates import today


def test_today_is_the_calendar_unless_pinned(settings):
    from django.utils import timezone

    assert today() == timezone.localdate()
    settings.PINNED_TODAY = "2026-11-22"
    assert today() == date(2026, 11, 22)
