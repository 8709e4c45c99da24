"""A confirmed 附件3 import counts as its townships' update on the day it was confirmed."""
from datetime import date, datetime, time

from django.utils import timezone

from qingnong.campaign.scorecard import completeness_windows, scorecard_total
from qingnong.campaign.services import campaign_create_default
from qingnong.ledger.models import ProgressReport, ReportedProgress, ReportSource


def test_import_marks_its_townships_updated(world):
    campaign = campaign_create_default(org=world.city, year=2030)
    as_of = date(2030, 10, 20)
    before = dict((days, updated) for days, updated, _ in completeness_windows(world.county_a, as_of=as_of))
    report = ProgressReport.objects.create(org=world.county_a, as_of=date(2030, 10, 18), source=ReportSource.EXCEL,
                                           submitted_at=timezone.make_aware(datetime.combine(date(2030, 10, 18), time(10))))
    ReportedProgress.objects.create(org=world.township_a, as_of=date(2030, 10, 18), report=report, group_count=3)
    after = dict((days, updated) for days, updated, _ in completeness_windows(world.county_a, as_of=as_of))
    assert after[7] == before[7] + 1 and after[30] == before[30] + 1
    assert scorecard_total(world.county_a, campaign=campaign, as_of=as_of).last_update == date(2030, 10, 18)
    # Before the day of the import it did not count yet.
    assert scorecard_total(world.county_a, campaign=campaign, as_of=date(2030, 10, 17)).last_update != date(2030, 10, 18)
