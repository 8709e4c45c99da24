"""Issue 15: the deployment samples stay true to the app: nginx's body ceiling is the largest
request the app accepts (the photo forms'), and uploaded files are not served from disk."""
import re
from pathlib import Path

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"


def test_nginx_body_ceiling_is_the_apps_largest_request(settings):
    conf = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    (size,) = re.findall(r"^\s*client_max_body_size (\d+)m;", conf, re.M)
    assert int(size) * 1024 * 1024 == settings.QINGNONG_MAX_PHOTO_REQUEST_BYTES
    assert "location /media" not in conf  # photos and QR codes go through the app's scope check


def test_the_units_run_commands_that_exist():
    from django.core.management import get_commands

    commands = get_commands()
    for unit in ("qingnong.service", "qingnong-nightly.service"):
        for name in re.findall(r"/\.venv/bin/qingnong ([a-z-]+)", (DEPLOY / unit).read_text(encoding="utf-8")):
            assert name.replace("-", "_") in commands or name in commands, (unit, name)
