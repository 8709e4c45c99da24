"""Backup and restore (`qingnong backup`, `qingnong restore`): one dated archive holding the
database, the media folder and a manifest with each member's size and SHA-256.

Why not django-dbbackup: it writes the database and the media into separate files with no
manifest to check them against, and its SQLite connector dumps SQL text through Django
instead of copying the live file with SQLite's online backup API. This is the standard
library plus `pg_dump`/`pg_restore` (the PostgreSQL client the server ships).

- SQLite: the online backup API copies a consistent file while the app keeps serving.
- PostgreSQL: `pg_dump --format=custom` (one consistent snapshot), restored with
  `pg_restore --single-transaction --exit-on-error`: all of it or nothing.
- A restore checks every checksum and that the target database and media folder are empty
  before it writes anything; the archive is written under a temporary name and renamed only
  when whole, so a half-written archive never carries a backup's name.
"""
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in Chinese."""


def engine_of(database):
    engine = database["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"不支持的数据库类型：{engine}")


def backup(dest_dir, *, using="default", media_root=None, now=None):
    """Write `qingnong-backup-YYYYMMDD-HHMMSS.tar` into `dest_dir`; returns its path."""
    connection = connections[using]
    engine = engine_of(connection.settings_dict)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    now = timezone.localtime(now or timezone.now())
    stamp = now.strftime("%Y%m%d-%H%M%S")
    target = dest_dir / f"qingnong-backup-{stamp}.tar"
    with tempfile.TemporaryDirectory(dir=dest_dir) as work:
        dump = Path(work) / DATABASE_MEMBER[engine]
        if engine == "sqlite":
            _sqlite_copy(connection, dump)
        else:
            _pg_run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}"],
                    connection.settings_dict)
        media = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.is_dir() else []
        files = {DATABASE_MEMBER[engine]: _describe(dump)}
        files.update({f"media/{p.relative_to(media_root).as_posix()}": _describe(p) for p in media})
        manifest = {
            "format": FORMAT, "created_at": now.isoformat(), "engine": engine,
            "migrations": _migrations(connection), "files": files,
        }
        partial = Path(work) / "archive.tar"
        with tarfile.open(partial, "w") as tar:
            _add_bytes(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
            tar.add(dump, arcname=DATABASE_MEMBER[engine])
            for p in media:
                tar.add(p, arcname=f"media/{p.relative_to(media_root).as_posix()}")
        os.replace(partial, target)
    return target


def read_manifest(archive):
    """The archive's manifest, after checking every member against it (BackupError if not)."""
    try:
        with tarfile.open(archive, "r") as tar:
            try:
                manifest = json.loads(tar.extractfile(MANIFEST).read())
            except (KeyError, AttributeError, ValueError):
                raise BackupError("备份文件缺少清单（manifest.json）或清单已损坏。") from None
            if manifest.get("format") != FORMAT or manifest.get("engine") not in DATABASE_MEMBER:
                raise BackupError("备份文件的格式无法识别。")
            members = {m.name: m for m in tar.getmembers() if m.isfile() and m.name != MANIFEST}
            if set(members) != set(manifest["files"]):
                missing = sorted(set(manifest["files"]) - set(members)) or sorted(set(members) - set(manifest["files"]))
                raise BackupError(f"备份文件与清单不符：{missing[0]}")
            for name, member in members.items():
                if _digest(tar.extractfile(member)) != manifest["files"][name]["sha256"]:
                    raise BackupError(f"备份文件已损坏：{name} 的校验值不符。")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"无法读取备份文件：{error}") from None
    return manifest


def restore(archive, *, database=None, media_root=None):
    """Restore `archive` into an empty database (a settings-style dict; default: this
    instance's) and an empty media folder. Returns the manifest."""
    database = database or settings.DATABASES["default"]
    media_root = Path(media_root or settings.MEDIA_ROOT)
    manifest = read_manifest(archive)
    engine = engine_of(database)
    if manifest["engine"] != engine:
        raise BackupError(f"备份来自 {manifest['engine']} 数据库，不能恢复到 {engine} 数据库。")
    if media_root.is_dir() and any(media_root.iterdir()):
        raise BackupError(f"媒体文件夹 {media_root} 不是空的：只能恢复到新的空实例。")
    _require_empty(engine, database)
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive, "r") as tar:
        tar.extractall(work, filter="data")
        dump = Path(work) / DATABASE_MEMBER[engine]
        staged_media = Path(work) / "media"
        if engine == "sqlite":
            _sqlite_restore(dump, Path(database["NAME"]))
        else:
            _pg_run(["pg_restore", f"--dbname={database['NAME']}", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
                     str(dump)], database)
        if staged_media.is_dir():
            media_root.parent.mkdir(parents=True, exist_ok=True)
            if media_root.is_dir():
                media_root.rmdir()  # empty, checked above
            shutil.move(staged_media, media_root)
    return manifest


def _sqlite_copy(connection, dump):
    connection.ensure_connection()
    target = sqlite3.connect(dump)
    try:
        connection.connection.backup(target)
    finally:
        target.close()


def _sqlite_restore(dump, name):
    """Copy into a temporary file beside the target, check it, then rename it into place."""
    name.parent.mkdir(parents=True, exist_ok=True)
    staged = name.with_name(name.name + ".restoring")
    source, target = sqlite3.connect(dump), sqlite3.connect(staged)
    try:
        source.backup(target)
        if target.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("备份中的数据库未通过完整性检查。")
    finally:
        source.close()
        target.close()
    os.replace(staged, name)


def _require_empty(engine, database):
    if engine == "sqlite":
        if ":memory:" in str(database["NAME"]) or "mode=memory" in str(database["NAME"]):
            raise BackupError("不能恢复到内存中的数据库。")
        name = Path(database["NAME"])
        if name.exists() and name.stat().st_size and _sqlite_tables(name):
            raise BackupError(f"数据库 {name} 已有数据：只能恢复到新的空实例。")
        return
    listed = _pg_run(["psql", "-qtAc", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"], database)
    if listed.strip() != "0":
        raise BackupError(f"数据库 {database['NAME']} 已有数据表：只能恢复到新的空实例。")


def _sqlite_tables(name):
    connection = sqlite3.connect(name)
    try:
        return connection.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    finally:
        connection.close()


def _pg_run(command, database):
    """Run a PostgreSQL client with the connection in its environment (never on the command
    line, where other users of the machine could read the password)."""
    env = dict(os.environ, PGDATABASE=database["NAME"], PGUSER=database.get("USER") or "",
               PGPASSWORD=database.get("PASSWORD") or "", PGHOST=database.get("HOST") or "",
               PGPORT=str(database.get("PORT") or ""))
    env = {k: v for k, v in env.items() if v != ""}
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode:
        raise BackupError(f"{command[0]} 失败：{result.stderr.strip()[:500]}")
    return result.stdout


def _migrations(connection):
    """The last migration applied per app: what code the archive's schema belongs to."""
    latest = {}
    for app, name in MigrationRecorder(connection).migration_qs.order_by("app", "name").values_list("app", "name"):
        latest[app] = name
    return latest


def _describe(path):
    with open(path, "rb") as f:
        return {"size": path.stat().st_size, "sha256": _digest(f)}


def _digest(f):
    h = hashlib.sha256()
    for chunk in iter(lambda: f.read(1 << 20), b""):
        h.update(chunk)
    return h.hexdigest()


def _add_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size, info.mtime = len(data), int(datetime.now().timestamp())
    tar.addfile(info, io.BytesIO(data))
