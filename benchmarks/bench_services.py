"""Time the services API over HTTP, against 10,000 and 100,000 synthetic services.

benchmark: .venv/bin/python benchmarks/bench_services.py [--sizes 10000,100000]
           [--postgresql postgresql://postgres@127.0.0.1]

For each size: a fresh SQLite database in a temporary directory (benchmarks/synthetic.py) and,
with --postgresql (a server the user may create databases on), a throw-away PostgreSQL database
on that server, dropped at the end; then the real application under gunicorn (one sync worker, production settings, rate limits off) on
127.0.0.1 and a free port, then http.client requests, one at a time: /healthz (the reference),
/api/v1/services?commune= over a fixed sample of communes, ?near=LAT,LON over fixed points, and
/api/v1/services.geojson (fewer times; body size raw and gzipped), then the map's first request
after a write: a service is renamed in the database (as an approval would), the map asked at
once, then again until its body shows the new name. Writes benchmarks/reports/services.md:
p50/p95 and p50 ÷ /healthz p50, which holds across machines, with the machine's load and the
code's version. Targets (issue 18): ?commune= p50 <= 2 × /healthz at 10k, <= 2.5 × at 100k; the
map's first request after a write <= 0.5 s at 100k. Every loop is bounded in count and time;
the server is stopped at the end, also on error.
"""

import argparse
import gzip
import http.client
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, select, text, update  # noqa: E402

from mediation.models import Service, ServiceStatus  # noqa: E402
from mediation.models.reference import utcnow  # noqa: E402
from machine import code_version, load  # noqa: E402,F401  (the other benchmarks take them from here)
from synthetic import generate  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
REPORT = Path(__file__).parent / "reports" / "services.md"
TARGET_RATIOS = {10_000: 2.0, 100_000: 2.5}  # ?commune= p50 ÷ /healthz p50, from issue 18
MAP_AFTER_WRITE_S = {100_000: 0.5}  # the map's first request after a write
WARMUP, REQUESTS, GEOJSON_REQUESTS, WRITES = 20, 300, 20, 3
FRESH_WITHIN_S = 30  # after a write, ask the map again until it shows it, this long at most
BUDGET_S = 75  # per endpoint and size: stop measuring (and say so) past this
HTTP_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    """Keep-alive http.client requests to 127.0.0.1; reconnects when the server closes."""

    def __init__(self, port):
        self.port, self.conn = port, None

    def get(self, path) -> tuple[int, bytes, float]:
        start = time.perf_counter()
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=HTTP_TIMEOUT_S)
        try:
            self.conn.request("GET", path, headers={"Accept": "application/json"})
            response = self.conn.getresponse()
            body = response.read()
        except (http.client.HTTPException, OSError):
            self.close()
            return 0, b"", (time.perf_counter() - start) * 1000
        if response.will_close:  # gunicorn's sync worker closes after every response
            self.close()
        return response.status, body, (time.perf_counter() - start) * 1000

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class Server:
    """gunicorn serving mediation:create_app() on a free port, stopped on exit."""

    def __init__(self, url, log_path):
        self.port, self.url, self.log_path, self.process = free_port(), url, log_path, None

    def __enter__(self):
        env = dict(os.environ, MEDIATION_SQLALCHEMY_DATABASE_URI=self.url,
                   MEDIATION_ENV_NAME="production", MEDIATION_SECRET_KEY=secrets.token_hex(32),
                   MEDIATION_PUBLIC_BASE_URL=f"http://127.0.0.1:{self.port}",
                   MEDIATION_RATELIMIT_ENABLED="false")
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{self.port}",
             "--timeout", str(HTTP_TIMEOUT_S), "mediation:create_app()"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        client, deadline = Client(self.port), time.monotonic() + 30
        while time.monotonic() < deadline and self.process.poll() is None:
            if client.get("/healthz")[0] == 200:
                return self
            time.sleep(0.2)
        self.__exit__(None, None, None)  # __exit__ is not called when __enter__ raises
        raise RuntimeError(f"gunicorn did not answer /healthz; see {self.log_path}:\n"
                           + Path(self.log_path).read_text(errors="replace")[-2000:])

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # the master and its worker
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()


def measure(client, paths, count, warmup):
    """Request the paths in turn: `warmup` untimed, then up to `count` timed, within BUDGET_S."""
    deadline, first = time.monotonic() + BUDGET_S / 5, None
    for i in range(warmup):
        if time.monotonic() > deadline:
            break
        ms = client.get(paths[i % len(paths)])[2]
        first = ms if first is None else first
    times, statuses, bodies, deadline = [], {}, [], time.monotonic() + BUDGET_S
    for i in range(count):
        if time.monotonic() > deadline:
            break
        status, body, ms = client.get(paths[i % len(paths)])
        times.append(ms)
        statuses[status] = statuses.get(status, 0) + 1
        if len(bodies) < 3:
            bodies.append(body)
    return {"times": times, "statuses": statuses, "bodies": bodies, "count": count,
            "first": first}


def sample(url, seed=7, size=100):
    """A fixed sample of communes (refnis) and of points near them, the same in every run."""
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT refnis, lat, lon FROM commune WHERE active ORDER BY refnis")).all()
    engine.dispose()
    rng = random.Random(seed)
    chosen = rng.sample(rows, size)
    points = [(lat + rng.uniform(-0.05, 0.05), lon + rng.uniform(-0.05, 0.05))
              for _, lat, lon in rng.sample(rows, size)]
    return [r.refnis for r in chosen], points


def p95(values):
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


class ThrowAwayDatabase:
    """A database of its own on a PostgreSQL server, created on entry and dropped on exit."""

    def __init__(self, server_url, n):
        self.server = create_engine(server_url.replace("postgresql://", "postgresql+psycopg://", 1)
                                    .rstrip("/") + "/postgres", isolation_level="AUTOCOMMIT")
        self.name = f"mediation_bench_{n}_{os.getpid()}"
        self.url = self.server.url.set(database=self.name).render_as_string(hide_password=False)

    def __enter__(self):
        with self.server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}"'))
            conn.execute(text(f'CREATE DATABASE "{self.name}"'))
        return self.url

    def __exit__(self, *exc):
        with self.server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.server.dispose()


def run_size(url, n, tmp, label):
    counts = generate(url, n, echo=lambda *a: None)
    refnis, points = sample(url)
    with Server(url, f"{tmp}/gunicorn-{label}-{n}.log") as server:
        client = Client(server.port)
        plan = [
            ("/healthz", ["/healthz"], REQUESTS, WARMUP),
            ("/api/v1/services?commune=", [f"/api/v1/services?commune={r}" for r in refnis],
             REQUESTS, WARMUP),
            ("/api/v1/services?near=", [f"/api/v1/services?near={a:.5f},{b:.5f}"
                                         for a, b in points], REQUESTS, WARMUP),
            ("/api/v1/services.geojson", ["/api/v1/services.geojson"], GEOJSON_REQUESTS, 2),
        ]
        results = {label: measure(client, *rest) for label, *rest in plan}
        results["map after a write"] = after_writes(client, url)
        client.close()
    return counts, results


def rename(url, n: int) -> str:
    """Rename a published service in the database, as an approval writes it; its new name."""
    engine = create_engine(url)
    with engine.begin() as conn:
        service_id = conn.scalar(select(Service.id).where(
            Service.status == ServiceStatus.published).order_by(Service.id).limit(1))
        name = f"Synthetic renamed service {n}"
        conn.execute(update(Service).where(Service.id == service_id)
                     .values(name_fr=name, updated_at=utcnow()))
    engine.dispose()
    return name


def after_writes(client, url):
    """The map's first request after each of WRITES writes, and how long until it shows it."""
    times, fresh, statuses, stale = [], [], {}, 0
    for n in range(WRITES):
        client.get("/api/v1/services.geojson")  # the body of the current version is built
        name = rename(url, n).encode()
        status, body, ms = client.get("/api/v1/services.geojson")
        times.append(ms)
        statuses[status] = statuses.get(status, 0) + 1
        started, seen = time.monotonic(), name in body
        stale += not seen
        while not seen and time.monotonic() - started < FRESH_WITHIN_S:
            time.sleep(0.05)
            status, body, _ = client.get("/api/v1/services.geojson")
            seen = name in body
        fresh.append(time.monotonic() - started if seen else None)
    return {"times": times, "statuses": statuses, "bodies": [], "count": WRITES,
            "first": None, "fresh": fresh, "stale": stale}


def describe(label, result):
    """Notes for the table: errors, truncation, what the answers held."""
    notes = []
    bad = {s: c for s, c in result["statuses"].items() if s != 200}
    if bad:
        notes.append("HTTP " + ", ".join(f"{s or 'no answer'}×{c}" for s, c in sorted(bad.items())))
    if len(result["times"]) < result["count"]:
        notes.append(f"stopped after {BUDGET_S} s")
    if result["first"] is not None and "geojson" in label:
        notes.append(f"first (cold) request {result['first']:.0f} ms")
    if "fresh" in result:
        notes.append(f"{result['stale']} of {len(result['times'])} answered the previous "
                     "version while the new one was built")
        shown = [f"{s:.1f} s" if s is not None else f"not within {FRESH_WITHIN_S} s"
                 for s in result["fresh"]]
        notes.append("the write shown after " + ", ".join(shown))
    body = result["bodies"][0] if result["bodies"] else b""
    try:
        data = json.loads(body)
    except ValueError:
        return notes
    if "features" in data:
        notes.append(f"{len(data['features'])} features, {len(body):,} B, "
                     f"{len(gzip.compress(body, 6)):,} B gzipped")
    elif "total" in data:
        covering = sum(1 for r in data.get("results", []) if r.get("covers_commune"))
        notes.append(f"e.g. total {data['total']:,}, {len(data['results'])} on the page"
                     + (f", {covering} covering" if "commune=" in label else ""))
    return notes


def report(runs, load_before: str):
    lines = ["# Services API benchmark", "", f"Code: {code_version()}.", "",
             "gunicorn, 1 sync worker (it closes the connection after each response, so every "
             "request includes a local TCP connect, as /healthz does), production settings, "
             "rate limits off; one client, one request at a time. "
             "Ratios are p50 ÷ /healthz p50 in the same run. Load average of the machine: "
             f"{load_before} at the start, {load()} at the end.", ""]
    verdicts = []
    for (database, n), (counts, results) in runs.items():
        lines += [f"## {n:,} synthetic services, {database}", "",
                  f"{counts['organizations']:,} organisations, {counts['types']:,} type links, "
                  f"{counts['areas']:,} communes covered (service areas); generated in "
                  f"{counts['seconds']} s.", "",
                  "| endpoint | requests | p50 | p95 | p50 ÷ /healthz | notes |",
                  "|---|---:|---:|---:|---:|---|"]
        reference = statistics.median(results["/healthz"]["times"])
        for label, result in results.items():
            times = result["times"]
            p50 = statistics.median(times)
            shown = f"`{label}`" if label.startswith("/") else label
            lines.append(f"| {shown} | {len(times)} | {p50:.2f} ms | {p95(times):.2f} ms "
                         f"| {p50 / reference:.1f}× | {'; '.join(describe(label, result))} |")
        result = results["/api/v1/services?commune="]
        commune, ok = statistics.median(result["times"]), set(result["statuses"]) == {200}
        if n in TARGET_RATIOS:
            ratio = commune / reference
            verdicts.append(
                f"- {n:,} services, {database}: `?commune=` p50 {commune:.2f} ms = "
                f"{ratio:.1f}× /healthz, target ≤ {TARGET_RATIOS[n]:g}× — **"
                f"{'met' if ok and ratio <= TARGET_RATIOS[n] else 'not met'}**"
                + ("" if ok else " (some answers were not HTTP 200)") + ".")
        if n in MAP_AFTER_WRITE_S:
            worst = max(results["map after a write"]["times"]) / 1000
            verdicts.append(
                f"- {n:,} services, {database}: the map's first request after a write, at worst "
                f"{worst:.2f} s, target ≤ {MAP_AFTER_WRITE_S[n]:g} s — **"
                f"{'met' if worst <= MAP_AFTER_WRITE_S[n] else 'not met'}**.")
        lines.append("")
    return "\n".join(lines + ["## Targets", ""] + verdicts) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000",
                        help="comma-separated numbers of services (default 1000,10000,100000)")
    parser.add_argument("--postgresql", metavar="SERVER_URL",
                        help="also measure on PostgreSQL, e.g. postgresql://postgres@127.0.0.1")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    runs, load_before = {}, load()
    with tempfile.TemporaryDirectory(prefix="bench-services-") as tmp:
        for n in sizes:
            started = time.perf_counter()
            runs["SQLite", n] = run_size(f"sqlite:///{tmp}/services-{n}.sqlite", n, tmp, "sqlite")
            if args.postgresql:
                with ThrowAwayDatabase(args.postgresql, n) as url:
                    runs["PostgreSQL", n] = run_size(url, n, tmp, "postgresql")
            print(f"{n:,} services measured in {time.perf_counter() - started:.0f} s",
                  file=sys.stderr)
    text_report = report(runs, load_before)
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(text_report, encoding="utf-8")
    print(text_report)


if __name__ == "__main__":
    main()
