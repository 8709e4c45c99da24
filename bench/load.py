"""`make load` (issue 15): 50 users at once for 60 s against gunicorn with the production
settings, on a copy of the PostgreSQL province database (its writes never touch the bench's
own data), mixing what a Monday morning brings:

- 45 township secretaries (填报员): their township's dashboard, its group list, and the
  weekly grid, read then saved with new member counts;
- 5 county staff (填报员): their county's dashboard, the county's group list, and the 附件3
  round trip: download the county's form, upload it, confirm the import.

Each user waits 0.5–2 s between steps (a person, not a loop). Every response must be a 200
or the redirect the step expects, without a form error; anything else counts as an error.
The load stops by itself after --seconds; p50/p95/p99 per step and overall go to
bench/load.json, which bench/run.py folds into RESULTS.md.

    python bench/load.py [--users 50] [--seconds 60] [--workers 4]
"""
import argparse
import json
import random
import re
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

from run import BIN, END, PG, ROOT, env_for, free_port, log, opener

SOURCE, COPY = "qingnong_bench_province", "qingnong_load"
PASSWORD = "load-pass-2026"
SETUP = """
import json, django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingnong.settings"); django.setup()
from django.contrib.auth.hashers import make_password
from qingnong.accounts.models import Role, User
from qingnong.org.models import Org, OrgLevel
townships = list(Org.objects.filter(level=OrgLevel.TOWNSHIP, path__startswith=Org.objects.get(code="610800").path)
                 .order_by("code")[:{townships}])
counties = list(Org.objects.filter(level=OrgLevel.COUNTY, path__startswith=Org.objects.get(code="610800").path)
                .order_by("code")[:{counties}])
password = make_password("{password}")
users = [User(username=f"load_{{o.code}}", full_name=f"压测{{o.name}}", role=Role.REPORTER, org=o, password=password)
         for o in townships + counties]
User.objects.bulk_create(users, ignore_conflicts=True)
print(json.dumps([[u.username, u.org.pk, u.org.level] for u in users]))
"""


def psql(sql):
    subprocess.run(["psql", PG + "postgres", "-qc", sql], check=True, capture_output=True)


def login(base, username):
    op, jar = opener()
    html = op.open(base + "/login/", timeout=60).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}).encode()
    op.open(urllib.request.Request(base + "/login/", data=data, headers={"Referer": base + "/login/"}), timeout=60).read()
    if "sessionid" not in {c.name for c in jar}:
        raise RuntimeError(f"{username} could not sign in")
    return op


def form_fields(html):
    """The weekly grid's fields as the page renders them (what the browser posts)."""
    data = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', html))
    data.update({name: "" for name in re.findall(r'<input type="number" name="([^"]+)"(?![^>]*value=)', html)})
    return data


def multipart(fields, file_field, file_name, content):
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{file_name}"\r\n'
                 "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n".encode()
                 + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


class User:
    def __init__(self, base, username, org_id, level, record):
        self.base, self.username, self.org_id, self.level, self.record = base, username, org_id, level, record
        self.op = login(base, username)

    def timed(self, step, path, data=None, content_type=None, expect=(200,)):
        headers = {"Referer": self.base + path}
        if content_type:
            headers["Content-Type"] = content_type
        elif data is not None:
            data = urllib.parse.urlencode(data).encode()
        started = time.perf_counter()
        try:
            with self.op.open(urllib.request.Request(self.base + path, data=data, headers=headers), timeout=60) as r:
                body, status, final = r.read(), r.status, r.geturl()
            ok = status in expect and "/login/" not in final and b'class="errors"' not in body
        except (urllib.error.URLError, OSError) as error:
            body, final, ok = str(error).encode(), path, False
        self.record(step, time.perf_counter() - started, ok, f"{self.username} {path}")
        return body.decode(errors="replace"), final

    def dashboard(self):
        self.timed("dashboard", f"/campaign/dashboard/{self.org_id}/")

    def groups(self):
        self.timed("group_list", f"/ledger/orgs/{self.org_id}/groups/")

    def weekly(self):
        path = f"/ledger/orgs/{self.org_id}/weekly/"
        html, _ = self.timed("weekly_get", path)
        data = form_fields(html)
        for key in [k for k in data if k.endswith("-home_farming")][:20]:
            data[key] = str(random.randint(5, 60))
        self.timed("weekly_save", path, data)

    def import_round_trip(self):
        started = time.perf_counter()
        xlsx = self.op.open(f"{self.base}/reports/orgs/{self.org_id}/progress.xlsx", timeout=60).read()
        html, _ = self.timed("import_upload_page", f"/reports/orgs/{self.org_id}/import/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        body, kind = multipart({"csrfmiddlewaretoken": token, "form_code": "progress"}, "file", "附件3.xlsx", xlsx)
        html, final = self.timed("import_preview", f"/reports/orgs/{self.org_id}/import/", body, kind)
        run = re.search(r"/reports/imports/(\d+)/", final)
        if run:
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
            self.timed("import_confirm", f"/reports/imports/{run.group(1)}/confirm/", {"csrfmiddlewaretoken": token})
        else:
            self.record("import_confirm", time.perf_counter() - started, False, f"{self.username}: no preview ({final})")

    def run(self, deadline):
        steps = [self.dashboard, self.groups, self.weekly] if self.level == "township" else \
            [self.dashboard, self.groups, self.import_round_trip]
        while time.perf_counter() < deadline:
            random.choice(steps)()
            time.sleep(random.uniform(0.5, 2.0))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    counties = max(1, args.users // 10)
    log(f"copying {SOURCE} → {COPY}")
    psql(f"DROP DATABASE IF EXISTS {COPY} WITH (FORCE)")
    psql(f"CREATE DATABASE {COPY} TEMPLATE {SOURCE}")
    env = env_for(PG + COPY, MEDIA_ROOT=str(ROOT / "var" / "bench" / "load-media"))
    try:
        script = SETUP.format(townships=args.users - counties, counties=counties, password=PASSWORD)
        accounts = json.loads(subprocess.run([BIN / "python", "-c", script], cwd=ROOT, env=env, check=True,
                                             capture_output=True, text=True).stdout.strip().splitlines()[-1])
        subprocess.run([BIN / "qingnong", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([BIN / "gunicorn", "qingnong.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(args.workers),
                                   "--timeout", "120", "--log-level", "warning"], cwd=ROOT, env=env)
        try:
            results = run_load(base, accounts, args)
        finally:
            server.terminate()
            server.wait(timeout=60)
    finally:
        psql(f"DROP DATABASE IF EXISTS {COPY} WITH (FORCE)")
    (ROOT / "bench" / "load.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    subprocess.run([BIN / "python", "bench/run.py", "--report-only"], cwd=ROOT, check=True, capture_output=True)
    log(json.dumps(results["overall"], ensure_ascii=False))


def run_load(base, accounts, args):
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/login/", timeout=2).read()
            break
        except OSError:
            time.sleep(0.2)
    samples, errors, lock = {}, [], threading.Lock()

    def record(step, seconds, ok, what):
        with lock:
            samples.setdefault(step, []).append(seconds)
            if not ok:
                errors.append(f"{step}: {what}")

    log(f"signing in {len(accounts)} users")
    users = [User(base, name, org_id, level, record) for name, org_id, level in accounts]
    deadline = time.perf_counter() + args.seconds
    threads = [threading.Thread(target=u.run, args=(deadline,)) for u in users]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=args.seconds + 180)
    wall = time.perf_counter() - started

    def figures(values):
        q = statistics.quantiles(values, n=100) if len(values) > 1 else [values[0]] * 99
        return {"requests": len(values), "p50_ms": q[49] * 1000, "p95_ms": q[94] * 1000, "p99_ms": q[98] * 1000}

    everything = [v for values in samples.values() for v in values]
    return {"users": len(users), "planned_seconds": args.seconds, "seconds": wall, "workers": args.workers, "date": END.isoformat(),
            "overall": {**figures(everything), "errors": len(errors), "rps": len(everything) / wall},
            "steps": {step: figures(values) for step, values in sorted(samples.items())}, "error_samples": errors[:20]}


if __name__ == "__main__":
    main()
