# ruff: noqa: S603, S310 - the bench runs its own commands and only fetches 127.0.0.1
"""`make bench`: load the site on loopback with wrk and write BENCHMARKS.md.

For each database (SQLite with BENCH_SMALL_CLAIMS claims and with BENCH_SQLITE_CLAIMS,
PostgreSQL with BENCH_PG_CLAIMS; 0 skips one): build the dedicated database with generate_synthetic (kept between runs when it
already holds that many claims), count each endpoint's queries with the test client under the
same settings, start gunicorn (gunicorn.conf.py, production settings plus the anchor URL), run
wrk for BENCH_SECONDS per endpoint with BENCH_CONNECTIONS connections, read the workers' RSS,
stop it, then do the same against bench/limit_app.py serving the recorded bytes. Every figure
is reported with its ratio to the limit measured in the same run, and each endpoint's p50 is
set side by side across the data sizes (the cost must not grow with the data).

BENCH_REPORT names the file the results go to (BENCHMARKS.md by default); ``make bench-smoke``
writes a tiny run to bench/.results/smoke.md so CI keeps the harness working.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import cast

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
THREADS = 2
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/claimtracker_bench")
RESULTS = ROOT / "bench" / ".results"
REPORT = ROOT / os.environ.get("BENCH_REPORT", "BENCHMARKS.md")
MARK_BEGIN, MARK_END = "<!-- bench:results:begin -->", "<!-- bench:results:end -->"


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def environment(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY="bench-only-" + "k3y-not-for-production-" * 3,
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="https://claims.bench.invalid/",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url,
        HOST="127.0.0.1",
        PORT=str(PORT),
        API_ANONYMOUS_RATE="100000000/minute",
        LOG_LEVEL="warning",
        PYTHONPATH=str(ROOT),
    )
    env.pop("REDIS_URL", None)  # per-process memory cache, as a single-server install
    return env


def run(args: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, cwd=ROOT, check=True, **kwargs)


def claim_count(env: dict[str, str]) -> int:
    code = "import django; django.setup(); from claims.models import Claim; print(Claim.objects.count())"
    result = run([PY, "-c", code], env, capture_output=True, text=True)
    return int(result.stdout.strip().splitlines()[-1])


def _pg_names() -> tuple[str, str]:
    """The bench database's name, and the URL of the maintenance database to create it from."""
    return PG_URL.rsplit("/", 1)[1], PG_URL.rsplit("/", 1)[0] + "/postgres"


def _create_pg_database_if_missing(env: dict[str, str]) -> None:
    name, admin = _pg_names()
    query = f"SELECT 1 FROM pg_database WHERE datname = '{name}'"  # noqa: S608 - the operator's own BENCH_PG_URL
    exists = run(["psql", admin, "-tAc", query], env, capture_output=True)
    if not exists.stdout.strip():
        log(f"postgresql: creating the database {name}")
        run(["psql", admin, "-q", "-c", f"CREATE DATABASE {name}"], env)


def sqlite_path(claims: int) -> Path:
    return ROOT / f"bench-{claims}.sqlite3"


def prepare(kind: str, claims: int) -> dict[str, str]:
    env = environment(f"sqlite:///{sqlite_path(claims)}") if kind == "sqlite" else environment(PG_URL)
    if kind == "postgresql":
        _create_pg_database_if_missing(env)
    run([PY, "manage.py", "migrate", "--no-input", "-v0"], env)
    have = claim_count(env)
    if have != claims:
        log(f"{kind}: {have:,} claims in the bench database, want {claims:,}: rebuilding")
        if kind == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{sqlite_path(claims)}{suffix}").unlink(missing_ok=True)
        else:
            name, admin = _pg_names()
            run(["psql", admin, "-q", "-c", f"DROP DATABASE IF EXISTS {name}", "-c", f"CREATE DATABASE {name}"], env)
        run([PY, "manage.py", "migrate", "--no-input", "-v0"], env)
        started = time.monotonic()
        run([PY, "manage.py", "generate_synthetic", "--claims", str(claims), "--seed", "42"], env)
        if kind == "postgresql":
            # As autovacuum leaves a live database: rows loaded with COPY are not yet marked
            # all-visible, so index-only scans would still read the table (the anchor ran at half speed).
            run(["psql", PG_URL, "-q", "-c", "VACUUM (ANALYZE)"], env)
        log(f"{kind}: generated {claims:,} claims in {time.monotonic() - started:.0f}s")
    run([PY, "manage.py", "collectstatic", "--no-input", "-v0"], env)
    return env


class Gunicorn:
    def __init__(self, env: dict[str, str], app: str | None, log_path: Path) -> None:
        args = [PY, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--max-requests", "0"]
        self.log = log_path.open("wb")
        self.process = subprocess.Popen(
            [*args, *([app] if app else [])], env=env, cwd=ROOT, stdout=self.log, stderr=self.log
        )

    def __enter__(self) -> Gunicorn:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2)
                return self
            except urllib.error.HTTPError:
                return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("gunicorn exited; see its log") from None
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not start within 60 s")

    def worker_rss_mb(self) -> list[float]:
        sizes = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                text = status.read_text()
            except OSError:
                continue
            if re.search(rf"^PPid:\s+{self.process.pid}$", text, re.M):
                match = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
                if match:
                    sizes.append(int(match.group(1)) / 1024)
        return sizes

    def __exit__(self, *exc: object) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def wrk(
    path: str,
    headers: dict[str, str],
    *,
    port: int | None = None,
    seconds: int | None = None,
    script: Path | None = None,
) -> dict[str, float]:
    """wrk against ``path`` on the bench port (or ``port``: bench/varnish.py loads Varnish too),
    for BENCH_SECONDS (or ``seconds``), with a Lua ``script`` choosing the paths when given."""
    args = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds or SECONDS}s", "--latency", "--timeout", "10s"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    if script is not None:
        args += ["-s", str(script)]
    output = subprocess.run(
        [*args, f"http://127.0.0.1:{port or PORT}{path}"], capture_output=True, text=True, check=True
    ).stdout

    def latency(label: str) -> float:
        # wrk --latency always prints these lines.
        match = cast("re.Match[str]", re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M))
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    requests = re.search(r"^\s*(\d+) requests in", output, re.M)
    return {
        "rps": float(cast("re.Match[str]", re.search(r"Requests/sec:\s+([\d.]+)", output)).group(1)),
        "requests": int(requests.group(1)) if requests else 0,
        "p50": latency("50"),
        "p99": latency("99"),
        "errors": int(errors.group(1)) if errors else 0,
    }


def bench_database(kind: str, claims: int) -> dict:
    env = prepare(kind, claims)
    limit_dir = RESULTS / f"limit-{kind}-{claims}"
    shutil.rmtree(limit_dir, ignore_errors=True)
    env_probe = {**env, "BENCH_LIMIT_DIR": str(limit_dir)}
    probe = json.loads(run([PY, "bench/probe.py"], env_probe, capture_output=True, text=True).stdout.splitlines()[-1])
    endpoints = probe["endpoints"]
    log(f"{kind}: {len(endpoints)} endpoints, {SECONDS}s each, {CONNECTIONS} connections")
    with Gunicorn(env, None, RESULTS / f"gunicorn-{kind}-{claims}.log") as server:
        for endpoint in endpoints:
            for _ in range(3):  # warm each worker's caches and connections
                wrk_warm(endpoint)
            endpoint["app"] = wrk(endpoint["path"], endpoint["headers"])
            log(f"{kind}: {endpoint['name']}: {endpoint['app']}")
        rss = server.worker_rss_mb()
    with Gunicorn(env_probe, "bench.limit_app:app", RESULTS / f"limit-{kind}-{claims}.log"):
        for endpoint in endpoints:
            endpoint["limit"] = wrk(endpoint["path"], endpoint["headers"])
    return {"kind": kind, "claims": probe["claims"], "endpoints": endpoints, "rss": rss, "chosen": probe["chosen"]}


def wrk_warm(endpoint: dict) -> None:
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{endpoint['path']}", headers=endpoint["headers"])
    with contextlib.suppress(urllib.error.HTTPError):
        urllib.request.urlopen(request, timeout=30).read()


def table(result: dict) -> str:
    name = "SQLite" if result["kind"] == "sqlite" else "PostgreSQL 15"
    lines = [
        f"### {name}, {result['claims']:,} claims",
        "",
        "| Endpoint | Queries | Bytes | Req/s | × limit | p50 ms | × limit | p99 ms | × limit | Errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    anchor = next(e for e in result["endpoints"] if e["name"].startswith("Anchor"))
    for e in result["endpoints"]:
        app, limit = e["app"], e["limit"]
        lines.append(
            f"| {e['name']} | {e['queries']} | {e['bytes']:,} | {app['rps']:,.0f} | {app['rps'] / limit['rps']:.3f} "
            f"| {app['p50']:.1f} | {app['p50'] / limit['p50']:.1f} | {app['p99']:.1f} | {app['p99'] / limit['p99']:.1f} "
            f"| {app['errors']} |"
        )
    api = next(e for e in result["endpoints"] if e["name"].startswith("API claim list (50)"))
    lines += [
        "",
        f"API claim list ÷ anchor (requests/s): **{api['app']['rps'] / anchor['app']['rps']:.2f}×**. "
        f"Worker RSS after the run: {', '.join(f'{mb:.0f}' for mb in sorted(result['rss']))} MB "
        f"(max {max(result['rss'], default=0):.0f} MB). Claim page: `{result['chosen']['claim']}`; "
        f"person page: `{result['chosen']['person']}` (median claimant).",
        "",
    ]
    return "\n".join(lines)


def scaling_table(results: list[dict]) -> str:
    """Each endpoint's p50 at every data size, and the largest over the smallest: the cost of more data."""
    if len(results) < 2:
        return ""
    sizes = [f"{'SQLite' if r['kind'] == 'sqlite' else 'PostgreSQL'} {r['claims']:,}" for r in results]
    lines = [
        "### p50 (ms) by data size",
        "",
        f"| Endpoint | {' | '.join(sizes)} | largest ÷ smallest |",
        f"|---|{'---:|' * (len(results) + 1)}",
    ]
    for index, endpoint in enumerate(results[0]["endpoints"]):
        p50s = [r["endpoints"][index]["app"]["p50"] for r in results]
        lines.append(f"| {endpoint['name']} | {' | '.join(f'{p50:.1f}' for p50 in p50s)} | {p50s[-1] / p50s[0]:.1f}× |")
    return "\n".join([*lines, ""])


def write_report(results: list[dict]) -> None:
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = "\n".join(
        [
            MARK_BEGIN,
            f"Run {stamp}: {os.cpu_count()} cores, wrk {THREADS} threads × {CONNECTIONS} connections, {SECONDS} s per "
            "endpoint, on the same machine as gunicorn (default workers, recycling off). Ratios are to "
            "bench/limit_app.py serving the same bytes on the same gunicorn setup in the same run "
            "(req/s: higher is better, ≤ 1; latency: lower is better, ≥ 1).",
            "",
            *(table(result) for result in results),
            scaling_table(results),
            MARK_END,
        ]
    )
    report = REPORT
    text = report.read_text() if report.exists() else "# Benchmarks\n\n" + MARK_BEGIN + "\n" + MARK_END + "\n"
    before, _, rest = text.partition(MARK_BEGIN)
    _, _, after = rest.partition(MARK_END)
    report.write_text(before + body + after)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=1))


def main() -> None:
    if not shutil.which("wrk"):
        log("installing wrk")
        try:
            subprocess.run(["apt-get", "update", "-qq"], check=True)  # noqa: S607
            subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)  # noqa: S607
        except (OSError, subprocess.CalledProcessError):
            sys.exit("bench: wrk is not installed and could not be installed (apt-get install wrk)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    plan = [("sqlite", int(os.environ.get("BENCH_SMALL_CLAIMS", "10000")))]
    plan.append(("sqlite", int(os.environ.get("BENCH_SQLITE_CLAIMS", "100000"))))
    plan.append(("postgresql", int(os.environ.get("BENCH_PG_CLAIMS", "1000000"))))
    results = [bench_database(kind, claims) for kind, claims in plan if claims > 0]
    write_report(results)
    log(f"wrote {REPORT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
