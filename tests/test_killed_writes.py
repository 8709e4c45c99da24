"""Issue 15, nothing lost: a weekly save of 40 groups, or a 附件3 import being confirmed, killed
(SIGKILL, no clean-up of any kind) just before one of its SQL statements, leaves the database
as it was before, row for row, and the whole write still goes through afterwards. The kill
points are the first statement, the last, and random ones between (the seed is in the
failure message), on the suite's own database engine, in a child process
(tests/killed_write.py) over a database of its own."""
import json
import os
import random
import shutil
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from django.db import connection

CHILD = Path(__file__).with_name("killed_write.py")


@contextmanager
def databases(tmp_path):
    """copy() → the URL of a fresh copy of the base database (set up once)."""
    source = connection.settings_dict
    if connection.vendor == "sqlite":
        base = tmp_path / "base.sqlite3"
        count = iter(range(1000))

        def copy():
            trial = tmp_path / f"trial{next(count)}.sqlite3"
            shutil.copy(base, trial)
            return f"sqlite:///{trial}"
        yield f"sqlite:///{base}", copy
        return
    admin = psycopg.connect(dbname="postgres", user=source["USER"], password=source["PASSWORD"], host=source["HOST"],
                            port=source["PORT"] or None, autocommit=True)
    url = f"postgres://{source['USER']}:{source['PASSWORD']}@{source['HOST']}:{source['PORT'] or 5432}/"
    made = [f"{source['NAME']}_killed_base"]
    admin.execute(f'DROP DATABASE IF EXISTS "{made[0]}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{made[0]}"')

    def copy():
        made.append(f"{made[0]}_{len(made)}")
        admin.execute(f'DROP DATABASE IF EXISTS "{made[-1]}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{made[-1]}" TEMPLATE "{made[0]}"')
        return url + made[-1]
    try:
        yield url + made[0], copy
    finally:
        for name in reversed(made):
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def child(url, media, *args, check=True):
    env = dict(os.environ, DATABASE_URL=url, MEDIA_ROOT=str(media))
    result = subprocess.run([sys.executable, str(CHILD), *args], env=env, capture_output=True, text=True, timeout=300)
    if check and result.returncode:
        raise AssertionError(result.stderr[-3000:])
    return result


def digest(url, media):
    return json.loads(child(url, media, "digest").stdout)


@pytest.mark.parametrize("kind", ["weekly", "import"])
def test_a_write_killed_before_any_of_its_statements_leaves_nothing_half_written(kind, tmp_path):
    media = tmp_path / "media"
    with databases(tmp_path) as (base, copy):
        child(base, media, "setup", str(tmp_path))
        before = digest(base, media)
        whole = copy()
        statements = int(child(whole, media, "write", kind, "0", str(tmp_path)).stdout.split()[-1])
        after = digest(whole, media)
        written = {t for t in after if after[t][0] != before[t][0]}
        assert statements > 10 and "audit_auditentry" in written  # the write is real, and logged
        seed = random.randrange(10**6)
        points = sorted({1, statements} | set(random.Random(seed).sample(range(2, statements), 3)))
        for point in points:
            trial = copy()
            killed = child(trial, media, "write", kind, str(point), str(tmp_path), check=False)
            assert killed.returncode == -signal.SIGKILL, (seed, point, killed.stderr[-2000:])
            assert digest(trial, media) == before, f"killed before statement {point} of {statements} (seed {seed})"
            # The same write, run again in full on what the kill left, goes through.
            child(trial, media, "write", kind, "0", str(tmp_path))
            again = digest(trial, media)
            assert {t: n for t, (n, _) in again.items()} == {t: n for t, (n, _) in after.items()}
