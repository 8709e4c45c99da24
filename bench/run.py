"""`make bench`: synthetic data (made once, reused), the scenarios of bench/scenarios.py on
SQLite (city) and PostgreSQL (city, province), the HTTP load against gunicorn with the
production settings, and bench/results.json + bench/RESULTS.md.

    python bench/run.py                       # everything
    python bench/run.py --configs pg-province --http-seconds 10

Only loopback: gunicorn binds 127.0.0.1 and the client requests 127.0.0.1 only; every
load is bounded in time and count and stops by itself.
"""
import argparse
import http.cookiejar
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PG = "postgres://qingnong:qingnong@127.0.0.1:5432/"
CONFIGS = {
    "sqlite-city": ("sqlite", "city", f"sqlite:///{ROOT}/var/bench/city.sqlite3"),
    "pg-city": ("postgresql", "city", PG + "qingnong_bench_city"),
    "pg-province": ("postgresql", "province", PG + "qingnong_bench_province"),
}
BENCH_USER, BENCH_PASSWORD = "bench_admin", "bench-pass-2026"
SECRET = "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"


def synth_end():
    """synth.END, the synthetic data's last day, read without setting Django up."""
    text = (ROOT / "qingnong" / "demo" / "synth.py").read_text(encoding="utf-8")
    return date(*map(int, re.search(r"^END = date\((\d+), (\d+), (\d+)\)", text, re.M).groups()))


END = synth_end()
PAST = END - timedelta(days=60)


def env_for(url, **extra):
    # "Today" is the data's last day (settings.PINNED_TODAY): a run measures the same paths on any calendar day.
    return {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET, "DEBUG": "", "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false", "SECURE_COOKIES": "false", "QINGNONG_DATA_DIR": str(ROOT / "var" / "bench"),
            "QINGNONG_TODAY": END.isoformat(), **extra}


def log(msg):
    print(msg, flush=True)


def prepare(name, scale, url):
    """Migrate and synthesise once; a database that holds the data is reused as is."""
    if url.startswith("postgres"):
        subprocess.run(["bash", "-c", "source scripts/postgres.sh"], cwd=ROOT, env={**os.environ, "QINGNONG_PG_URL": url}, check=True)
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    env = env_for(url)
    subprocess.run([BIN / "qingnong", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    started = time.perf_counter()
    out = subprocess.run([BIN / "qingnong", "synth", "--scale", scale], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    log(out.rstrip())
    return {"generated": "跳过" not in out, "seconds": time.perf_counter() - started, "log": out}


def scenarios(scale, url):
    out = subprocess.run([BIN / "python", "bench/scenarios.py", "--scale", scale], cwd=ROOT, env=env_for(url),
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def memory(url, db, scale):
    """Peak RSS of one export in a fresh process: a county (≈20 township rows) vs the city (10× the rows)."""
    runs = []
    for code in ("610881", "610800"):  # 神木市, 榆林市
        out = subprocess.run([BIN / "python", "bench/scenarios.py", "--memory", code], cwd=ROOT, env=env_for(url),
                             check=True, capture_output=True, text=True)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    small, big = runs
    grow_peak = big["rss_peak_kb"] / small["rss_peak_kb"]
    delta_small = max(1, small["rss_peak_kb"] - small["rss_before_kb"])
    delta_big = big["rss_peak_kb"] - big["rss_before_kb"]
    return {"scenario": "4_export_memory", "db": db, "scale": scale, "what": "peak RSS of one export process: 神木市 vs 榆林市",
            "rows": [small["rows"], big["rows"]], "rows_ratio": big["rows"] / max(1, small["rows"]),
            "rss_peak_mb": [small["rss_peak_kb"] / 1024, big["rss_peak_kb"] / 1024],
            "rss_growth_mb": [delta_small / 1024, delta_big / 1024], "ratio": grow_peak,
            "growth_ratio": delta_big / delta_small, "target": "peak RSS < 2x when rows grow 10x", "met": grow_peak < 2}


# ---------------------------------------------------------------- HTTP

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def opener():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar


def login(base):
    """Through the real login form: GET it for the CSRF token, POST the credentials."""
    op, jar = opener()
    html = op.open(base + "/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": BENCH_USER, "password": BENCH_PASSWORD}).encode()
    req = urllib.request.Request(base + "/login/", data=data, headers={"Referer": base + "/login/"})
    resp = op.open(req, timeout=30)
    if "sessionid" not in {c.name for c in jar}:
        raise RuntimeError(f"login failed: {resp.geturl()}")
    return op


def load(op, urls, *, seconds, concurrency, max_requests=5000):
    """`concurrency` threads request `urls` in turn until `seconds` pass or `max_requests` are
    made: [figures of each url]. Several urls share one window, so they meet the same load
    and the same noise of the machine (the dashboard at END and at END-60 are compared so)."""
    latencies, errors, lock = {u: [] for u in urls}, {u: [] for u in urls}, threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(offset):
        n = offset
        while time.perf_counter() < deadline:
            with lock:
                if sum(map(len, latencies.values())) + sum(map(len, errors.values())) >= max_requests:
                    return
            url, n = urls[n % len(urls)], n + 1
            t = time.perf_counter()
            try:
                with op.open(url, timeout=30) as resp:
                    resp.read()
                    ok = resp.status == 200 and "/login/" not in resp.geturl()
            except Exception as error:  # noqa: BLE001 (every failure counts as an error)
                ok, resp = False, error
            with lock:
                (latencies if ok else errors)[url].append(time.perf_counter() - t)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    figures = []
    for url in urls:
        done = latencies[url]
        q = statistics.quantiles(done, n=100) if len(done) > 1 else [done[0] if done else 0] * 99
        figures.append({"requests": len(done), "errors": len(errors[url]), "seconds": wall, "rps": len(done) / wall,
                        "p50_ms": q[49] * 1000, "p95_ms": q[94] * 1000, "p99_ms": q[98] * 1000})
    return figures


def http_bench(db, scale, url, *, seconds, concurrency, workers):
    env = env_for(url)
    subprocess.run([BIN / "qingnong", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    code = "610000" if scale == "province" else "610800"
    ids = subprocess.run([BIN / "python", "-c", (
        "import django,os;os.environ.setdefault('DJANGO_SETTINGS_MODULE','qingnong.settings');django.setup();"
        "from qingnong.org.models import Org;print(Org.objects.get(code='%s').pk, Org.objects.get(code='610802').pk)" % code)],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout.split()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([BIN / "gunicorn", "qingnong.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers),
                               "--timeout", "60", "--log-level", "warning"], cwd=ROOT, env=env)
    results = []
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/login/", timeout=2).read()
                break
            except Exception:  # noqa: BLE001 (still starting)
                time.sleep(0.2)
        op = login(base)
        # The two dashboard dates share one window (requests alternate), the lists one each.
        rounds = [[("dashboard", f"{base}/campaign/dashboard/{ids[0]}/?as_of={END}", "建设进度 of the root org (all its counties or cities), END"),
                   ("dashboard_past", f"{base}/campaign/dashboard/{ids[0]}/?as_of={PAST}", "the same, 60 days before END, in the same window (requests alternate)")],
                  [("group_list", f"{base}/ledger/orgs/{ids[1]}/groups/", "微信群 list of 榆阳区 (page 1 + totals)")],
                  [("group_list_root", f"{base}/ledger/orgs/{ids[0]}/groups/", "微信群 list of the root org (page 1 + totals)")]]
        for pages in rounds:
            for _, page, _ in pages:
                for _ in range(3):  # warm the workers
                    op.open(page, timeout=60).read()
            measured = load(op, [page for _, page, _ in pages], seconds=seconds * len(pages), concurrency=concurrency)
            for (name, page, what), figures in zip(pages, measured):
                met = figures["errors"] == 0 and figures["p95_ms"] <= 150
                ratio = figures["p95_ms"] / measured[0]["p95_ms"] if name.endswith("_past") else None  # p95 ÷ END's, same window
                results.append({"scenario": f"2_http_{name}", "date": "END-60" if name.endswith("_past") else "END", "db": db, "scale": scale, "what": what, "url": page.replace(base, ""),
                                "concurrency": concurrency, "workers": workers, **figures, "ratio": ratio,
                                "target": "p95 <= 150 ms (province, PostgreSQL), zero errors", "met": met})
                log(f"  {name}: p50 {figures['p50_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms, p99 {figures['p99_ms']:.0f} ms, "
                    f"{figures['requests']} requests, {figures['errors']} errors")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


# ---------------------------------------------------------------- report

def machine():
    mem = next(line for line in open("/proc/meminfo") if line.startswith("MemTotal")).split()[1]
    pg = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip() if subprocess.run(
        ["which", "psql"], capture_output=True).returncode == 0 else "n/a"
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory_gb": round(int(mem) / 1024 / 1024, 1), "postgresql": pg,
            "python": platform.python_version(), "sqlite": __import__("sqlite3").sqlite_version}


def fmt(v, digits=1):
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "yes" if v else "**no**"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def write_report(results, info, prepared, elapsed):
    (ROOT / "bench" / "results.json").write_text(json.dumps(
        {"machine": info, "prepared": prepared, "elapsed_seconds": elapsed, "results": results},
        ensure_ascii=False, indent=1, default=str) + "\n")
    lines = [
        "# Benchmark results (`make bench`)", "",
        f"Machine: {info['nproc']} cores ({info['cpu']}), {info['memory_gb']} GB RAM; {info['postgresql']}; "
        f"Python {info['python']}; SQLite {info['sqlite']}. Run took {elapsed / 60:.1f} min "
        "(synthetic data reused where the database already held it).", "",
        "Times are medians of repeated runs after a warm-up; each ratio is app ÷ hand-written baseline, measured in the same run. "
        "For 2_http_dashboard_past the ratio is its p95 ÷ END's: the two dates are requested in turn in one window, under the same load.", "",
        f"Dates: END = {END} (synth.END, the data's last day; the run pins \"today\" to it) and END-60 = {PAST}.", "",
        "| scenario | date | db | scale | rows | app | baseline | ratio | target | met |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        if r["scenario"].startswith("2_http"):
            app = f"p50 {r['p50_ms']:.0f} / p95 {r['p95_ms']:.0f} / p99 {r['p99_ms']:.0f} ms"
            base = f"{r['requests']} req, {r['errors']} errors, {r['rps']:.1f} req/s"
            rows = r["url"]
        elif r["scenario"] == "0_current_figures":
            app, base, rows = f"{r['mismatches']} mismatches", "—", r["rows"]
        elif r["scenario"] == "4_export_memory":
            app = f"peak {r['rss_peak_mb'][0]:.0f} → {r['rss_peak_mb'][1]:.0f} MB (growth {r['rss_growth_mb'][0]:.1f} → {r['rss_growth_mb'][1]:.1f} MB)"
            base, rows = "—", f"{r['rows'][0]} → {r['rows'][1]}"
        else:
            app, base, rows = f"{r['app_ms']:.1f} ms", f"{r['baseline_ms']:.1f} ms", r["rows"]
            extra = []
            if "equal" in r:
                extra.append("same numbers" if r["equal"] else "**numbers differ**")
            if "fetch_ms" in r:
                extra.append(f"+ fetch {r['fetch_ms']:.0f} ms (with fetch ×{r['ratio_with_fetch']:.1f})")
            if "analyse_ms_per_county" in r:
                extra.append(f"{r['analyse_ms_per_county']:.0f} ms/county")
            if "instances_ms" in r:
                extra.append(f"model instances {r['instances_ms']:.0f} ms")
            if "bare_ms" in r:
                base += f" (bare values, no formats: {r['bare_ms']:.1f} ms, ×{r['ratio_to_bare']:.2f})"
            if "ledger_sql_ms" in r:
                base += f" (over the ledger tables: {r['ledger_sql_ms']:.1f} ms, ×{r['ratio_to_ledger_sql']:.2f})"
            if extra:
                app += " (" + "; ".join(extra) + ")"
        lines.append(f"| {r['scenario']} | {r.get('date', '—')} | {r['db']} | {r['scale']} | {rows} | {app} | {base} | {fmt(r.get('ratio'), 2)} | "
                     f"{r['target']} | {fmt(r['met'])} |")
    lines += load_section()
    lines += ["", "Synthetic data:", ""]
    for name, p in prepared.items():
        lines.append(f"- {name}: {'generated in this run' if p['generated'] else 'reused (already in the database)'} ({p['seconds']:.0f} s)")
    notes = ROOT / "bench" / "NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text().strip()]
    (ROOT / "bench" / "RESULTS.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def load_section():
    """bench/load.json (`make load`, bench/load.py): 50 users mixing reads, weekly saves and imports."""
    path = ROOT / "bench" / "load.json"
    if not path.exists():
        return []
    r = json.loads(path.read_text())
    o = r["overall"]
    lines = ["", f"## Load: {r['users']} users at once for {r['planned_seconds']:.0f} s (`make load`)", "",
             f"PostgreSQL, province scale (a copy of the bench database), gunicorn with the production settings and "
             f"{r['workers']} workers, today pinned to {r['date']}. Every step must answer 200 or the expected redirect "
             f"without a form error. New steps stop at {r['planned_seconds']:.0f} s; the last answer came at "
             f"{r['seconds']:.0f} s.", "",
             f"**Overall: {o['requests']} requests, {o['errors']} errors, {o['rps']:.1f} req/s; "
             f"p50 {o['p50_ms']:.0f} / p95 {o['p95_ms']:.0f} / p99 {o['p99_ms']:.0f} ms.**", "",
             "| step | requests | p50 ms | p95 ms | p99 ms |", "| --- | ---: | ---: | ---: | ---: |"]
    for step, f in r["steps"].items():
        lines.append(f"| {step} | {f['requests']} | {f['p50_ms']:.0f} | {f['p95_ms']:.0f} | {f['p99_ms']:.0f} |")
    if r["error_samples"]:
        lines += ["", "Errors (first 20): " + "; ".join(r["error_samples"])]
    return lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--configs", default=",".join(CONFIGS))
    parser.add_argument("--http-seconds", type=float, default=15)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--report-only", action="store_true", help="re-render RESULTS.md from results.json")
    args = parser.parse_args()
    if args.report_only:
        saved = json.loads((ROOT / "bench" / "results.json").read_text())
        write_report(saved["results"], saved["machine"], saved["prepared"], saved["elapsed_seconds"])
        return
    started = time.perf_counter()
    results, prepared = [], {}
    if any(CONFIGS[n][0] == "postgresql" for n in args.configs.split(",")) and os.geteuid() == 0:
        subprocess.run(["bash", "-c", "source scripts/postgres.sh && bash bench/pg_tune.sh"], cwd=ROOT, check=True)
    for name in args.configs.split(","):
        db, scale, url = CONFIGS[name]
        log(f"== {name}")
        prepared[name] = prepare(name, scale, url)
        results += scenarios(scale, url)
        log(f"  scenarios done ({time.perf_counter() - started:.0f} s)")
        if scale == "city" or name == "pg-province":
            results.append(memory(url, db, scale))
        results += http_bench(db, scale, url, seconds=args.http_seconds, concurrency=args.concurrency, workers=args.workers)
    for p in prepared.values():
        p.pop("log")
    write_report(results, machine(), prepared, time.perf_counter() - started)


if __name__ == "__main__":
    main()
