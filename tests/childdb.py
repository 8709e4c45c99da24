"""A database of its own for tests that run the app in another process (a child script,
gunicorn): a fresh copy per trial, on the suite's engine (or PostgreSQL when asked), set up by
tests/killed_write.py (migrate, the test world, 40 groups, a 附件3 waiting to be confirmed)."""
import hashlib
import json
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import psycopg
from django.db import connection

CHILD = Path(__file__).with_name("killed_write.py")


@contextmanager
def databases(tmp_path, *, postgresql=None):
    """(base URL, copy) where copy() → the URL of a fresh copy of the base database. On the
    suite's engine, or on the PostgreSQL server of `postgresql` (a settings dict)."""
    source = postgresql or connection.settings_dict
    if "sqlite" in source["ENGINE"]:
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


def table_digests(wrapper):
    """{table: (rows, SHA-256 of its rows in a stable order)} over every table of the database
    behind `wrapper` (a Django connection): equal digests, the same rows."""
    digests = {}
    with wrapper.cursor() as cursor:
        for table in wrapper.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {wrapper.ops.quote_name(table)}")
            rows = sorted(repr(row) for row in cursor.fetchall())
            digests[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return digests

