# ruff: noqa: S603, S310 - the bench runs its own commands and only fetches 127.0.0.1
"""`make bench-varnish`: the claim page and the claim list through Varnish, against its own limit.

On a copy of one bench database (BENCH_VARNISH_CLAIMS claims, the 100k SQLite by default, built by
bench/run.py's ``prepare`` when missing; the copy keeps the writes below out of `make bench`'s data):

1. gunicorn as `make bench` starts it, with EDGE_CACHE_MAX_AGE=3600 and EDGE_CACHE_PURGE_URLS at a
   varnishd running the repository's VCL (deploy/varnish/claimtracker.vcl, rendered for gunicorn's
   port as `make varnish` and tests/test_edge_cache_varnish.py render it);
2. wrk through Varnish on the claim page and the claim list (warmed first: hits);
3. the mixed load: wrk reads at full speed over a few claim pages and the list while a writer
   records a verdict (``claims.services.claim_record_status``, with evidence) on one of those
   claims every BENCH_VARNISH_WRITE_EVERY seconds and ``manage.py purge_edge_cache --sleep 0.2``
   purges; the hit ratio is MAIN.cache_hit / (cache_hit + cache_miss) over the run (varnishstat
   before and after), and after each write's purge is sent the writer reads the page through
   Varnish and counts it stale if it lacks the new verdict;
4. the limit: bench/limit_app.py serving the very object Varnish handed out for each page (the
   app's gzip, with its headers and tags), behind a second varnishd with the same VCL (kept as a
   static object after the first request), loaded the same way.

Writes bench/.results/varnish.json and .md, and the table between the ``bench:varnish`` markers
of BENCHMARKS.md ("Through Varnish"; BENCH_REPORT names another file). ``python bench/varnish.py init|writer`` are its own helpers,
run under the bench settings.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import run as bench  # noqa: E402

CLAIMS = int(os.environ.get("BENCH_VARNISH_CLAIMS", "100000"))
MIXED_SECONDS = int(os.environ.get("BENCH_VARNISH_MIXED_SECONDS", "30"))
WRITE_EVERY = float(os.environ.get("BENCH_VARNISH_WRITE_EVERY", "3"))
MIXED_CLAIMS = 8  # claim pages in the mixed load, besides the list
VCL = ROOT / "deploy" / "varnish" / "claimtracker.vcl"
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
VARNISHSTAT = shutil.which("varnishstat") or "/usr/bin/varnishstat"
MARK_BEGIN, MARK_END = "<!-- bench:varnish:begin -->", "<!-- bench:varnish:end -->"
WRITER_MARK = "Bench verdict"
# What browsers send: Varnish keeps the app's gzip and hands it out as it is.
GZIP = {"Accept-Encoding": "gzip"}


def log(message: str) -> None:
    print(f"[bench-varnish] {message}", file=sys.stderr, flush=True)


def render_vcl(host: str, port: int) -> str:
    """The VCL with its backend at ``host:port``, as `make varnish` renders it."""
    text = VCL.read_text()
    text = re.sub(r'^(\s*\.host = )"[^"]*";', rf'\1"{host}";', text, count=1, flags=re.MULTILINE)
    return re.sub(r'^(\s*\.port = )"[^"]*";', rf'\1"{port}";', text, count=1, flags=re.MULTILINE)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Varnish:
    """varnishd in the foreground with the repository's VCL in front of ``backend_port``."""

    def __init__(self, backend_port: int, name: str) -> None:
        self.workdir = Path(tempfile.mkdtemp(prefix=f"claimtracker-bench-{name}-"))
        (self.workdir / "claimtracker.vcl").write_text(render_vcl("127.0.0.1", backend_port))
        self.port = free_port()
        self.instance = self.workdir / "instance"
        self.log = (bench.RESULTS / f"varnishd-{name}.log").open("wb")
        # -j none: run as whoever runs the bench; -T none: no management port.
        self.process = subprocess.Popen(
            [
                VARNISHD,
                *("-F", "-j", "none", "-T", "none", "-a", f"127.0.0.1:{self.port}"),
                *("-f", str(self.workdir / "claimtracker.vcl"), "-n", str(self.instance), "-s", "malloc,256m"),
            ],
            stdout=self.log,
            stderr=self.log,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def __enter__(self) -> Varnish:
        deadline = time.monotonic() + 30
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"varnishd stopped at start-up; see {self.log.name}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("varnishd did not listen within 30 s") from None
                time.sleep(0.1)

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self.log.close()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def counters(self) -> dict[str, int]:
        output = subprocess.run(
            [VARNISHSTAT, "-n", str(self.instance), "-1", "-j"], capture_output=True, text=True, check=True
        ).stdout
        data = json.loads(output)
        data = data.get("counters", data)  # 7.x nests them; 6.x did not
        return {name: entry["value"] for name, entry in data.items() if isinstance(entry, dict) and "value" in entry}

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()


@contextlib.contextmanager
def process(args: list[str], env: dict[str, str], log_name: str) -> Iterator[subprocess.Popen]:
    with (bench.RESULTS / log_name).open("wb") as log_file:
        started = subprocess.Popen(args, env=env, cwd=ROOT, stdout=log_file, stderr=log_file)
        try:
            yield started
        finally:
            if started.poll() is None:
                started.terminate()
                try:
                    started.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    started.kill()
                    started.wait()


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy (the source may be in WAL mode, with a -wal beside it)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    with contextlib.closing(sqlite3.connect(source)) as src, contextlib.closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def warm(varnish: Varnish, path: str, times: int = 3) -> None:
    for _ in range(times):
        varnish.get(path, GZIP)


def record_limit(varnish: Varnish, paths: list[str], limit_dir: Path) -> None:
    """The object Varnish hands out for each path (the app's gzip), with the headers the app sent
    (its tags too, so the limit's Varnish keeps it), for bench/limit_app.py to replay."""
    limit_dir.mkdir(parents=True, exist_ok=True)
    added_by_varnish = {"content-length", "date", "age", "via", "x-varnish", "x-cache", "accept-ranges", "connection"}
    manifest = {}
    for number, path in enumerate(paths):
        status, headers, body = varnish.get(path, {**GZIP, "X-Show-Cache-Tags": "1"})
        manifest[path] = {
            "status": f"{status} OK",
            "headers": [
                *((name, value) for name, value in headers.items() if name.lower() not in added_by_varnish),
                ("Content-Length", str(len(body))),
            ],
            "body": f"{number}.body",
        }
        (limit_dir / f"{number}.body").write_bytes(body)
    (limit_dir / "manifest.json").write_text(json.dumps(manifest))


def lua_script(paths: list[str]) -> Path:
    script = bench.RESULTS / "varnish-mixed.lua"
    listed = ", ".join(json.dumps(path) for path in paths)
    script.write_text(
        f"local paths = {{{listed}}}\n"
        "local n = 0\n"
        "request = function()\n"
        "  n = n + 1\n"
        '  return wrk.format("GET", paths[(n % #paths) + 1])\n'
        "end\n"
    )
    return script


def hit_ratio(before: dict[str, int], after: dict[str, int]) -> dict[str, float]:
    delta = {name: after.get(name, 0) - before.get(name, 0) for name in after}
    hits, misses = delta.get("MAIN.cache_hit", 0), delta.get("MAIN.cache_miss", 0)
    return {
        "hits": hits,
        "misses": misses,
        "hitmiss": delta.get("MAIN.cache_hitmiss", 0),
        "hitpass": delta.get("MAIN.cache_hitpass", 0),
        "passes": delta.get("MAIN.s_pass", 0),
        "backend_requests": delta.get("MAIN.backend_req", 0),
        "ratio": hits / (hits + misses) if hits + misses else 0.0,
    }


def measure() -> dict:
    bench.RESULTS.mkdir(parents=True, exist_ok=True)
    bench.prepare("sqlite", CLAIMS)
    copy = bench.RESULTS / f"varnish-{CLAIMS}.sqlite3"
    log(f"copying {bench.sqlite_path(CLAIMS).name} to {copy.relative_to(ROOT)}")
    copy_database(bench.sqlite_path(CLAIMS), copy)
    env = bench.environment(f"sqlite:///{copy}")
    env["EDGE_CACHE_MAX_AGE"] = "3600"
    chosen = json.loads(
        bench.run([bench.PY, "bench/varnish.py", "init"], env, capture_output=True, text=True).stdout.splitlines()[-1]
    )
    claim_page, claim_list = f"/claims/{chosen['claim']}/", "/claims/"
    mixed_paths = [*(f"/claims/{slug}/" for slug in chosen["mixed"]), claim_list]
    result: dict = {"claims": chosen["claims"], "claim": chosen["claim"], "endpoints": {}}
    limit_dir = bench.RESULTS / "limit-varnish"
    shutil.rmtree(limit_dir, ignore_errors=True)

    with Varnish(bench.PORT, "app") as varnish:
        env["EDGE_CACHE_PURGE_URLS"] = varnish.url
        with bench.Gunicorn(env, None, bench.RESULTS / "gunicorn-varnish.log"):
            for name, path in (("Claim page", claim_page), ("Public claim list", claim_list)):
                warm(varnish, path)
                status, headers, body = varnish.get(path, GZIP)
                log(
                    f"{name}: {status}, X-Cache {headers.get('X-Cache')}, {headers.get('Content-Encoding')}, "
                    f"{headers.get('Cache-Control')}"
                )
                figures = bench.wrk(path, GZIP, port=varnish.port)
                result["endpoints"][name] = {"path": path, "bytes": len(body), "varnish": figures}
                log(f"{name} through Varnish: {figures}")
            record_limit(varnish, [claim_page, claim_list], limit_dir)

            # The mixed load: reads at full speed, a verdict every few seconds, the purge worker.
            for path in mixed_paths:
                warm(varnish, path, times=2)
            worker_args = [bench.PY, "manage.py", "purge_edge_cache", "--sleep", "0.2"]
            with process(worker_args, env, "purge-worker-varnish.log"):
                time.sleep(1)
                before = varnish.counters()
                writes_file = bench.RESULTS / "varnish-writes.json"
                writer_args = [
                    *(bench.PY, "bench/varnish.py", "writer", str(varnish.port), str(MIXED_SECONDS - 2)),
                    *(str(WRITE_EVERY), str(writes_file), *chosen["mixed"]),
                ]
                with process(writer_args, env, "writer-varnish.log") as writer:
                    mixed = bench.wrk(
                        "/", GZIP, port=varnish.port, seconds=MIXED_SECONDS, script=lua_script(mixed_paths)
                    )
                    writer.wait(timeout=60)
                after = varnish.counters()
            result["mixed"] = {
                "paths": mixed_paths,
                "seconds": MIXED_SECONDS,
                "write_every": WRITE_EVERY,
                "wrk": mixed,
                "cache": hit_ratio(before, after),
                "writes": json.loads(writes_file.read_text()),
            }
            log(f"mixed: {result['mixed']['wrk']}; {result['mixed']['cache']}")

    env_limit = {**env, "BENCH_LIMIT_DIR": str(limit_dir), "EDGE_CACHE_PURGE_URLS": ""}
    with (
        Varnish(bench.PORT, "limit") as varnish,
        bench.Gunicorn(env_limit, "bench.limit_app:app", bench.RESULTS / "limit-varnish.log"),
    ):
        for name, entry in result["endpoints"].items():
            warm(varnish, entry["path"])
            status, headers, body = varnish.get(entry["path"], GZIP)
            recorded = (limit_dir / f"{list(result['endpoints']).index(name)}.body").read_bytes()
            if status != 200 or headers.get("X-Cache") != "HIT" or body != recorded:
                raise RuntimeError(f"the limit is no static object: {status}, {headers.get('X-Cache')}, {len(body)}")
            entry["limit"] = bench.wrk(entry["path"], GZIP, port=varnish.port)
            log(f"{name}, static object: {entry['limit']}")
    return result


def report(result: dict) -> str:
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        MARK_BEGIN,
        f"Run {stamp}: SQLite, {result['claims']:,} claims; {os.cpu_count()} cores shared by wrk "
        f"({bench.THREADS} threads × {bench.CONNECTIONS} connections), varnishd and gunicorn; "
        f"{bench.SECONDS} s per row. Claim page: `{result['claim']}`.",
        "",
        "| Through Varnish (hits) | Bytes | Req/s | × static object | p50 ms | p99 ms | Static object req/s "
        "| p50 ms | p99 ms | Errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, entry in result["endpoints"].items():
        app, limit = entry["varnish"], entry["limit"]
        lines.append(
            f"| {name} | {entry['bytes']:,} | {app['rps']:,.0f} | {app['rps'] / limit['rps']:.2f} "
            f"| {app['p50']:.2f} | {app['p99']:.2f} | {limit['rps']:,.0f} | {limit['p50']:.2f} | {limit['p99']:.2f} "
            f"| {app['errors']} |"
        )
    mixed, cache, writes = result["mixed"], result["mixed"]["cache"], result["mixed"]["writes"]
    stale = [write for write in writes if write["stale"]]
    lags = sorted(write["purged_after_ms"] for write in writes)
    lines += [
        "",
        f"Mixed load: {mixed['seconds']} s of reads at full speed over {len(mixed['paths']) - 1} claim pages and "
        f"the list, a verdict on one of those claims every {mixed['write_every']:g} s, the purge worker at "
        f"`--sleep 0.2`: **{mixed['wrk']['rps']:,.0f} req/s** (p50 {mixed['wrk']['p50']:.2f} ms, "
        f"p99 {mixed['wrk']['p99']:.2f} ms, {mixed['wrk']['errors']} errors); "
        f"**hit ratio {100 * cache['ratio']:.3f} %** ({cache['hits']:,} hits, {cache['misses']:,} misses, "
        f"{cache['hitmiss']:,} hit-for-miss, {cache['passes']:,} passes, {cache['backend_requests']:,} backend "
        f"requests); **{len(writes)} writes, {len(stale)} stale reads** (the page read through Varnish once the "
        "write's purge was sent)"
        + (f"; write to purge sent: median {lags[len(lags) // 2]:.0f} ms, max {lags[-1]:.0f} ms." if lags else "."),
        MARK_END,
    ]
    return "\n".join(lines)


def write_report(result: dict) -> None:
    (bench.RESULTS / "varnish.json").write_text(json.dumps(result, indent=1))
    body = report(result)
    (bench.RESULTS / "varnish.md").write_text(body + "\n")
    target = bench.REPORT
    text = target.read_text() if target.exists() else "# Benchmarks\n"
    if MARK_BEGIN in text:
        before, _, rest = text.partition(MARK_BEGIN)
        _, _, after = rest.partition(MARK_END)
        target.write_text(before + body + after)
    else:
        target.write_text(text.rstrip("\n") + "\n\n## Through Varnish\n\n" + body + "\n")
    print(body)


# --- Helpers run under the bench settings (python bench/varnish.py init|writer ...) ---------------


def init() -> None:
    """Start the purge worker's cursor now (the copy's change log is not news) and pick the claims."""
    import django

    django.setup()
    from django.db.models import Count

    from claims.models import Claim, ClaimChange, Status, Topic
    from edgecache.models import Purge, PurgeCursor
    from edgecache.purge import CURSOR_NAME, _newest_history_id
    from people.models import Term

    newest_change = ClaimChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
    PurgeCursor.objects.update_or_create(
        name=CURSOR_NAME,
        defaults={
            "last_change_id": newest_change,
            "last_status_history_id": _newest_history_id(Status),
            "last_topic_history_id": _newest_history_id(Topic),
            "last_term_history_id": _newest_history_id(Term),
        },
    )
    Purge.objects.filter(state=Purge.State.PENDING).delete()
    slugs = list(
        Claim.objects.published()
        .annotate(updates=Count("status_updates"))
        .filter(updates__gte=3)
        .order_by("-updated_at")
        .values_list("slug", flat=True)[:1000]
    )
    middle = len(slugs) // 2
    print(
        json.dumps(
            {"claim": slugs[middle], "mixed": slugs[middle : middle + MIXED_CLAIMS], "claims": Claim.objects.count()}
        )
    )


def writer(varnish_port: int, seconds: float, every: float, out: Path, slugs: list[str]) -> None:
    """A verdict on one of ``slugs`` every ``every`` seconds, as an editor records one; after each,
    wait for the purge worker to have sent its purges, then read the page through Varnish."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from claims import services
    from claims.models import Claim, ClaimChange, Status
    from edgecache.models import Purge

    editor, _ = get_user_model().objects.get_or_create(username="bench-varnish-editor")
    source, _ = services.source_get_or_create(
        url="https://news.example/bench-varnish-evidence", title="Evidence for the bench's verdicts", saved_by=editor
    )
    writes = []
    deadline = time.monotonic() + seconds
    number = 0
    while time.monotonic() < deadline:
        started = time.monotonic()
        claim = Claim.objects.get(slug=slugs[number % len(slugs)])
        verdicts = list(Status.objects.filter(scale=claim.scale, is_default=False).exclude(pk=claim.current_status_id))
        status = verdicts[number % len(verdicts)]
        newest = ClaimChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
        rationale = f"{WRITER_MARK} {number} at {time.time():.3f}."
        services.claim_record_status(
            claim=claim,
            status=status,
            effective_on=timezone.localdate(),
            rationale=rationale,
            recorded_by=editor,
            evidence=[source],
        )
        written = time.monotonic()
        # The purge worker's turn: its purges of this write are stored and sent.
        while time.monotonic() - written < 10:
            mine = Purge.objects.filter(change_id__gt=newest)
            if mine.exists() and not mine.exclude(state=Purge.State.DONE).exists():
                break
            time.sleep(0.01)
        purged = time.monotonic()
        with urllib.request.urlopen(f"http://127.0.0.1:{varnish_port}/claims/{claim.slug}/", timeout=30) as answer:
            body, cache = answer.read().decode(errors="replace"), answer.headers.get("X-Cache", "")
        writes.append(
            {
                "claim": claim.slug,
                "status": status.slug,
                "purged_after_ms": 1000 * (purged - written),
                "x_cache": cache,
                "stale": rationale not in body,
            }
        )
        number += 1
        time.sleep(max(0.0, every - (time.monotonic() - started)))
    out.write_text(json.dumps(writes))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "init":
        init()
        return
    if len(sys.argv) > 1 and sys.argv[1] == "writer":
        port, seconds, every, out, *slugs = sys.argv[2:]
        writer(int(port), float(seconds), float(every), Path(out), slugs)
        return
    if not Path(VARNISHD).exists() or not shutil.which("wrk"):
        sys.exit("bench-varnish needs varnishd with the xkey vmod and wrk: apt-get install varnish varnish-modules wrk")
    write_report(measure())


if __name__ == "__main__":
    main()
