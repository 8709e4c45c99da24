"""Existing campaigns get monthly reporting periods over their phases (due five days after
each month), as new ones do (campaign.submissions.monthly_periods; a migration keeps its own copy)."""
from datetime import timedelta

from django.db import migrations


def forwards(apps, schema_editor):
    Campaign = apps.get_model("campaign", "Campaign")
    ReportingPeriod = apps.get_model("campaign", "ReportingPeriod")
    for campaign in Campaign.objects.all():
        phases = list(apps.get_model("campaign", "Phase").objects.filter(campaign=campaign))
        if not phases or ReportingPeriod.objects.filter(campaign=campaign).exists():
            continue
        first, last = min(p.starts_on for p in phases), max(p.ends_on for p in phases)
        start, rows = first.replace(day=1), []
        while start <= last:
            following = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
            end = following - timedelta(days=1)
            rows.append(ReportingPeriod(campaign=campaign, starts_on=start, ends_on=end, due_on=end + timedelta(days=5)))
            start = following
        ReportingPeriod.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("campaign", "0002_reporting_periods")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
