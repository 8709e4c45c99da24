"""Existing records get the day they count on (their middle day: a week's Thursday) and
their month follows it; the monthly totals are rebuilt from them. One UPDATE per column on
each database (date arithmetic differs), not a loop over millions of rows."""
from django.db import migrations

SQL = {
    "postgresql": [
        "UPDATE ledger_messagerecord SET counts_on = period_start + (period_end - period_start) / 2",
        "UPDATE ledger_messagerecord SET month = date_trunc('month', counts_on)::date",
        "UPDATE ledger_historicalmessagerecord SET counts_on = period_start + (period_end - period_start) / 2",
    ],
    "sqlite": [
        "UPDATE ledger_messagerecord SET counts_on = date(period_start, '+' || "
        "CAST((julianday(period_end) - julianday(period_start)) / 2 AS INTEGER) || ' days')",
        "UPDATE ledger_messagerecord SET month = date(counts_on, 'start of month')",
        "UPDATE ledger_historicalmessagerecord SET counts_on = date(period_start, '+' || "
        "CAST((julianday(period_end) - julianday(period_start)) / 2 AS INTEGER) || ' days')",
    ],
}


def forwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for statement in SQL[schema_editor.connection.vendor]:
            cursor.execute(statement)
    # The months records count in may have moved: 0010_dated_totals rebuilds every summary
    # row (with the code as it is now, which reads tables that do not exist yet here).


class Migration(migrations.Migration):
    dependencies = [("ledger", "0007_message_counts_on")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
