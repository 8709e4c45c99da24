"""Every command the README names, run through the real console script (`.venv/bin/qingnong`
in a subprocess) in a copy of the checkout with nothing exported: the development install
reads the .env that `make demo` writes, and a README command can never break unseen
(`rebuild-totals` once failed with "Unknown command" because only call_command was tested).

The copy has its own SQLite database under its var/; DATABASE_URL is removed, so this runs
the same on the SQLite and the PostgreSQL pass."""
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What the commands must not inherit from the test run: a developer's or CI's environment.
STRIPPED = {"DEBUG", "SECRET_KEY", "QINGNONG_TESTING", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "QINGNONG_DATA_DIR",
            "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def readme_commands():
    """The command names of the README's 命令 section: `qingnong load-divisions 6108 …` → load-divisions."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## 命令", 1)[1].split("\n## ", 1)[0]
    block = section.split("```bash", 1)[1].split("```", 1)[0]
    return {m.group(1) for m in re.finditer(r"^qingnong ([a-z-]+)", block, re.M)}


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    """A fresh copy of the checkout (tracked and new files, none ignored) sharing the venv."""
    target = tmp_path_factory.mktemp("checkout") / "qingnong"
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True,
                           capture_output=True).stdout.decode().split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    (target / ".venv").symlink_to(Path(sys.prefix))
    return target


def run(checkout, *args, env=None, check=True, **kwargs):
    environment = {k: v for k, v in os.environ.items() if k not in STRIPPED}
    # The copy's own code: the venv's editable install points at the original checkout.
    environment.update(PYTHONPATH=str(checkout), **(env or {}))
    result = subprocess.run([str(checkout / ".venv/bin/qingnong"), *args], cwd=checkout, env=environment,
                            capture_output=True, text=True, timeout=600, **kwargs)
    if check:
        assert result.returncode == 0, f"qingnong {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def dev(checkout):
    """The checkout after `make demo`'s set-up: .env written, migrated, the demo loaded."""
    subprocess.run(["make", "-s", ".env"], cwd=checkout, check=True, capture_output=True)
    run(checkout, "migrate", "--noinput", "-v0")
    run(checkout, "demo")
    return checkout


def test_production_without_a_key_fails_loudly(checkout):
    env_file = checkout / ".env"
    assert not env_file.exists()  # ignored by git: a fresh clone has none
    result = run(checkout, "check", check=False)
    assert result.returncode != 0 and "SECRET_KEY 未设置" in result.stderr


def test_make_demo_writes_a_dev_env_with_its_own_key(dev):
    settings = dict(line.split("=", 1) for line in (dev / ".env").read_text().split())
    assert settings["DEBUG"] == "1" and len(settings["SECRET_KEY"]) >= 50
    assert "insecure" not in settings["SECRET_KEY"]


def test_every_readme_command_is_tested_here():
    tested = {"migrate", "load-divisions", "demo", "createsuperuser", "runserver", "check", "remind", "export-form",
              "import-form", "synth", "rebuild-totals", "expire-groups"}
    assert readme_commands() == tested


def test_migrate_and_load_divisions_are_repeatable(dev):
    run(dev, "migrate", "--noinput")
    out = run(dev, "load-divisions", "6108").stdout
    assert "榆林" in out or "6108" in out or out.strip()


def test_demo_again_is_harmless_and_prints_the_logins(dev):
    assert "yulin_admin" in run(dev, "demo").stdout


def test_createsuperuser(dev):
    run(dev, "createsuperuser", "--noinput", "--username", "first_admin", "--email", "a@example.com",
        env={"DJANGO_SUPERUSER_PASSWORD": "a-long-Secret-2014"})
    shell = run(dev, "shell", "--no-imports", "-c", "from qingnong.accounts.models import User; print(User.objects.get(username='first_admin').is_superuser)")
    assert shell.stdout.strip() == "True"


def test_runserver_serves_the_login_page(dev):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    environment = {k: v for k, v in os.environ.items() if k not in STRIPPED}
    environment["PYTHONPATH"] = str(dev)
    server = subprocess.Popen([str(dev / ".venv/bin/qingnong"), "runserver", "--noreload", f"127.0.0.1:{port}"],
                              cwd=dev, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        body = ""
        for _ in range(100):
            try:
                body = urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2).read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert "登录" in body
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_check_deploy_is_clean_with_production_settings(dev):
    result = run(dev, "check", "--deploy", "--fail-level", "WARNING",
                 env={"DEBUG": "0", "SECRET_KEY": "x" * 20 + "-production-key-0123456789-abcdefghijklmnop",
                      "ALLOWED_HOSTS": "qingnong.example.gov.cn"})
    assert "no issues" in result.stdout


def test_remind(dev, tmp_path):
    csv = tmp_path / "contacts.csv"
    out = run(dev, "remind", "--as-of", "2014-10-20", "--csv", str(csv), "--dry-run").stdout
    assert "青农" in out or "提醒" in out
    assert csv.exists()


def test_export_then_import_form(dev, tmp_path):
    city = tmp_path / "附件3.xlsx"
    run(dev, "export-form", "progress", "--org", "6108", "-o", str(city))
    assert city.read_bytes()[:2] == b"PK"
    county = tmp_path / "榆阳区附件3.xlsx"
    run(dev, "export-form", "progress", "--org", "610802", "-o", str(county))
    out = run(dev, "import-form", "progress", str(county), "--org", "610802", "--dry-run").stdout
    assert "鱼河镇" in out or "乡镇" in out


def test_import_form_piped_to_head_ends_quietly(dev, tmp_path):
    county = tmp_path / "榆阳区附件3.xlsx"
    run(dev, "export-form", "progress", "--org", "610802", "-o", str(county))
    environment = {k: v for k, v in os.environ.items() if k not in STRIPPED}
    environment["PYTHONPATH"] = str(dev)
    result = subprocess.run(f"'{dev}/.venv/bin/qingnong' import-form progress '{county}' --org 610802 --dry-run | head -1",
                            shell=True, cwd=dev, env=environment, capture_output=True, text=True, timeout=300)
    assert result.stdout.count("\n") == 1
    assert "Traceback" not in result.stderr and "BrokenPipeError" not in result.stderr


def test_rebuild_totals(dev):
    run(dev, "rebuild-totals")


def test_expire_groups(dev):
    assert "汇总已刷新" in run(dev, "expire-groups").stdout


def test_synth_city(dev, tmp_path):
    # Its own data dir: synthetic rows must never mix with the demo's.
    env = {"QINGNONG_DATA_DIR": str(tmp_path)}
    run(dev, "migrate", "--noinput", "-v0", env=env)
    run(dev, "synth", "--scale", "city", env=env)
    count = run(dev, "shell", "--no-imports", "-c", "from qingnong.ledger.models import WechatGroup; print(WechatGroup.objects.count())", env=env)
    assert int(count.stdout) > 1000
