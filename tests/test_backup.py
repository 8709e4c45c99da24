"""Issue 15, nothing lost: `qingnong backup` of the demo restores into a fresh database and an
empty media folder with every table's rows and every media file as they were; a damaged
archive or a target that is not empty is refused before anything is written."""
import io
import tarfile
from contextlib import contextmanager

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection, connections

from qingnong.demo.yulin import demo_load
from qingnong.ledger.models import MessageRecord, OfficialAccount
from qingnong.lib.backup import BackupError, backup, read_manifest, restore
from tests.childdb import table_digests

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump reads what is committed

MEDIA = {"imports/2014/10/附件3 榆阳区.xlsx": b"PK\x03\x04 not really a workbook", "photos/a/1.jpg": b"\xff\xd8\xff" * 1000,
         "qr/榆阳共青团.png": b"\x89PNG\r\n"}


@pytest.fixture
def media(tmp_path):
    root = tmp_path / "media"
    for name, data in MEDIA.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


@contextmanager
def fresh_database(tmp_path):
    """A settings dict for an empty database of this suite's engine, dropped afterwards."""
    source = connection.settings_dict
    if connection.vendor == "sqlite":
        yield {**source, "NAME": str(tmp_path / "restored.sqlite3")}
        return
    name = f"{source['NAME']}_restored"
    admin = psycopg.connect(dbname="postgres", user=source["USER"], password=source["PASSWORD"], host=source["HOST"],
                            port=source["PORT"] or None, autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**source, "NAME": name}
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@contextmanager
def opened(database):
    """A Django connection to `database` (the same backend: values come back as the source's do)."""
    wrapper = type(connections["default"])(database, alias="default")  # a second wrapper, not registered
    try:
        yield wrapper
    finally:
        wrapper.close()


def test_the_demo_backed_up_restores_every_row_and_every_media_file(world, media, tmp_path):
    MessageRecord.all_objects.filter(account__isnull=False).delete()  # the shared world's account; the demo has its own
    OfficialAccount.all_objects.all().delete()
    demo_load()
    archive = backup(tmp_path / "backups", media_root=media)
    assert archive.name.startswith("qingnong-backup-") and archive.suffix == ".tar"
    manifest = read_manifest(archive)
    assert manifest["engine"] in ("sqlite", "postgresql") and manifest["migrations"]["ledger"]
    assert {f"media/{name}" for name in MEDIA} <= set(manifest["files"])

    before = table_digests(connection)
    assert before["ledger_messagerecord"][0] > 1000 and before["org_org"][0] > 200  # the demo, not an empty world
    target_media = tmp_path / "restored-media"
    with fresh_database(tmp_path) as database:
        restore(archive, database=database, media_root=target_media)
        with opened(database) as restored:
            after = table_digests(restored)
    assert after == before
    assert {p.relative_to(target_media).as_posix(): p.read_bytes() for p in target_media.rglob("*") if p.is_file()} == MEDIA


def test_a_damaged_archive_is_refused_naming_the_member_and_nothing_is_written(world, media, tmp_path):
    archive = backup(tmp_path, media_root=media)
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "media/photos/a/1.jpg":
                data = data[:-1] + b"\x00"
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    target_media = tmp_path / "restored-media"
    with fresh_database(tmp_path) as database:
        with pytest.raises(BackupError, match="media/photos/a/1.jpg 的校验值不符"):
            restore(damaged, database=database, media_root=target_media)
        with opened(database) as restored, restored.cursor() as cursor:
            assert restored.introspection.table_names(cursor) == []
    assert not target_media.exists()
    with pytest.raises(BackupError, match="无法读取备份文件"):
        read_manifest(tmp_path / "no-such.tar")


def test_a_restore_into_a_database_or_media_folder_with_data_is_refused(world, media, tmp_path):
    archive = backup(tmp_path, media_root=media)
    with fresh_database(tmp_path) as database:
        with pytest.raises(BackupError, match="不是空的"):
            restore(archive, database=database, media_root=media)
        restore(archive, database=database, media_root=tmp_path / "first")
        with opened(database) as restored:
            first = table_digests(restored)
        with pytest.raises(BackupError, match="已有数据"):
            restore(archive, database=database, media_root=tmp_path / "second")
        with opened(database) as restored:
            assert table_digests(restored) == first
    assert (media / "photos/a/1.jpg").read_bytes() == MEDIA["photos/a/1.jpg"]
    assert not (tmp_path / "second").exists()


def test_the_backup_command_says_where_and_that_the_archive_reads_back(world, media, tmp_path, settings, capsys):
    settings.MEDIA_ROOT = media
    call_command("backup", dest=str(tmp_path / "nightly"))
    out = capsys.readouterr().out
    (archive,) = (tmp_path / "nightly").glob("qingnong-backup-*.tar")
    assert f"已备份：{archive}" in out and "校验通过" in out
