"""The child process of tests/test_killed_writes.py (run as a script, DATABASE_URL set):

  setup DIR            migrate, the test world, 40 groups to fill in, a 附件3 preview waiting
  write KIND K DIR     run the weekly save (KIND=weekly) or confirm the 附件3 (KIND=import),
                       SIGKILLed just before its K-th SQL statement (0: never); prints how
                       many statements it ran
  digest               every table's row count and a hash of its rows, as JSON
"""
import json
import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingnong.settings")
os.environ["QINGNONG_TESTING"] = "1"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402


def setup(folder):
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    from conftest import build_world
    from qingnong.accounts.models import User
    from qingnong.ledger.models import GroupKind, WechatGroup
    from qingnong.org.models import Org
    from qingnong.reports import importer
    from qingnong.reports.tests import corpus

    call_command("migrate", verbosity=0)
    build_world()
    township = Org.objects.get(code="610802100")
    groups = WechatGroup.objects.bulk_create(
        [WechatGroup(org=township, name=f"周报群{i:03d}", kind=GroupKind.YOUTH, bases=",place,") for i in range(40)])
    rows = {g.pk: {"counts": {"home_farming": 10 + i, "away_wage": i}, "messages": {"policy": 1 + i % 3, "news": 2},
                   "stamp": ""} for i, g in enumerate(groups)}
    reporter = User.objects.get(username="county_a_reporter")
    run = importer.import_preview(user=reporter, org=Org.objects.get(code="610802"), form_code="progress",
                                  file=ContentFile(corpus.to_xlsx(corpus.progress_sheet()), name="附件3.xlsx"))
    (Path(folder) / "input.json").write_text(json.dumps({"rows": rows, "run": run.pk, "township": township.pk}))
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def write(kind, kill_at, folder):
    from qingnong.accounts.models import User
    from qingnong.lib.dates import today
    from qingnong.org.models import Org
    from qingnong.ledger.services.groups import weekly_save
    from qingnong.reports import importer
    from qingnong.reports.models import ImportRun

    given = json.loads((Path(folder) / "input.json").read_text())
    reporter = User.objects.select_related("org").get(username="county_a_reporter")
    township = Org.objects.get(code="610802100")
    run = ImportRun.objects.get(pk=given["run"])
    statements = 0

    def kill_before(execute, sql, params, many, context):
        nonlocal statements
        statements += 1
        if statements == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(kill_before):
        if kind == "weekly":
            weekly_save(user=reporter, org=township, day=today(), rows={int(k): v for k, v in given["rows"].items()})
        else:
            importer.import_confirm(user=reporter, run=run)
    print(statements)


def digest():
    from tests.childdb import table_digests

    print(json.dumps(table_digests(connection)))


if __name__ == "__main__":
    action, *args = sys.argv[1:]
    if action == "setup":
        setup(*args)
    elif action == "write":
        write(args[0], int(args[1]), args[2])
    else:
        digest()
