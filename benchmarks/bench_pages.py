"""Time the public HTML pages behind gunicorn against /healthz, then the packaged gunicorn
settings under 200 connections, a quarter of them signed in.

benchmark: .venv/bin/python benchmarks/bench_pages.py [--services 10000]
           [--postgresql postgresql://postgres@127.0.0.1] [--seconds 20]

1. Pages, per database (a throw-away SQLite database, and with --postgresql a throw-away
   PostgreSQL database on that server, dropped at the end), N synthetic services
   (benchmarks/synthetic.py): gunicorn with one sync worker, production settings, rate limits off
   (as bench_services.py), one client, one request at a time: /healthz (the reference), the home
   page, a commune search (/fr/search?q=<name>), a commune page and a service page, over fixed
   samples; p50/p95 and p50 ÷ /healthz p50.
2. Load, on the last database: gunicorn with mediation/deploy/gunicorn_conf.py (its number of
   workers) with sync workers, then gthread workers with the threads given (--threads), each for
   --seconds: 200 connections at once (an asyncio client, keep-alive when the server keeps the
   connection), 150 of them anonymous over a mix of public pages and API answers, 50 with the
   session cookie of a signed-in editor (their dashboard and the same public pages, which are
   then rendered for them); p50, p99, p99 ÷ p50, requests per second, errors.
Writes benchmarks/reports/pages.md with the machine's load and the code's version. Targets
(issue 18): commune page p50 <= 3 × /healthz at 10,000 services on both databases; under load,
p99 <= 10 × p50. Everything runs on 127.0.0.1, bounded in count and time; servers are stopped at
the end, also on error.
"""

import argparse
import asyncio
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, select  # noqa: E402

from bench_services import (  # noqa: E402
    Client, Server, ThrowAwayDatabase, code_version, free_port, load, p95,
)
from mediation.models import Commune, Service, ServiceStatus  # noqa: E402
from synthetic import generate  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
REPORT = Path(__file__).parent / "reports" / "pages.md"
PAGE_RATIO_TARGET = 3.0  # commune page p50 ÷ /healthz p50, from issue 18
TAIL_TARGET = 10.0  # p99 ÷ p50 under load
WARMUP, REQUESTS, SAMPLE = 10, 200, 40
CONNECTIONS, SIGNED_IN = 200, 50
EDITOR, EDITOR_PASSWORD = "bench-editor@example.be", "a long bench password 42"
HTTP_TIMEOUT_S = 30


def samples(url, seed=11):
    """Fixed communes (refnis, French name) and published services, the same in every run."""
    engine = create_engine(url)
    with engine.connect() as conn:
        communes = conn.execute(select(Commune.refnis, Commune.name_fr).where(Commune.active)
                                .order_by(Commune.refnis)).all()
        services = conn.execute(select(Service.id).where(
            Service.status == ServiceStatus.published).order_by(Service.id)).scalars().all()
    engine.dispose()
    rng = random.Random(seed)
    return rng.sample(communes, SAMPLE), rng.sample(services, SAMPLE)


def add_editor(url, refnis: str) -> None:
    """An editor of one commune, to sign in as (the same code as `flask staff add`)."""
    from mediation import accounts, create_app
    from mediation.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "ENV_NAME": "testing", "TESTING": True})
    with app.app_context():
        user = accounts.build_user(EDITOR, "editor", refnis=[refnis])
        accounts.set_password(user, EDITOR_PASSWORD)
        db.session.commit()
        db.engine.dispose()


def measure(client, paths, count=REQUESTS, warmup=WARMUP):
    for i in range(warmup):
        client.get(paths[i % len(paths)])
    times, statuses = [], {}
    for i in range(count):
        status, _, ms = client.get(paths[i % len(paths)])
        times.append(ms)
        statuses[status] = statuses.get(status, 0) + 1
    return {"times": times, "statuses": statuses}


def pages(url, communes, services):
    """Part 1: each page alone, one request at a time."""
    plan = {
        "/healthz": ["/healthz"],
        "home `/fr/`": ["/fr/"],
        "commune search `/fr/search?q=`": [f"/fr/search?q={quote(name)}" for _, name in communes],
        "commune page `/fr/communes/…`": [f"/fr/communes/{refnis}" for refnis, _ in communes],
        "service page `/fr/services/…`": [f"/fr/services/{i}" for i in services],
    }
    with tempfile.TemporaryDirectory(prefix="bench-pages-log-") as logs:
        with Server(url, f"{logs}/gunicorn.log") as server:
            client = Client(server.port)
            results = {label: measure(client, paths) for label, paths in plan.items()}
            client.close()
    return results


# --- Part 2: 200 connections -----------------------------------------------------------------

class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body


async def request(conn, port, method, path, headers, body=b""):
    """One HTTP/1.1 request on `conn` ([reader, writer] or None, reopened when closed)."""
    if conn[0] is None:
        conn[0], conn[1] = await asyncio.open_connection("127.0.0.1", port)
    reader, writer = conn
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}",
             *(f"{k}: {v}" for k, v in headers.items())]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    found = {}
    for line in header_lines:
        if ":" in line:
            name, value = line.split(":", 1)
            found.setdefault(name.strip().lower(), []).append(value.strip())
    length = int(found.get("content-length", ["0"])[0])
    data = await reader.readexactly(length) if length else b""
    if "close" in found.get("connection", [""])[0].lower():
        writer.close()
        conn[0] = conn[1] = None
    return Response(int(status_line.split()[1]), found, data)


async def sign_in(port) -> str:
    """Sign the editor in through the real form; return the session cookie."""
    conn = [None, None]
    form = await request(conn, port, "GET", "/fr/account/login", {})
    cookie = re.search(r"session=([^;]+)", " ".join(form.headers.get("set-cookie", [])))[1]
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', form.body)[1].decode()
    body = urlencode({"email": EDITOR, "password": EDITOR_PASSWORD, "csrf_token": token}).encode()
    done = await request(conn, port, "POST", "/fr/account/login", {
        "Cookie": f"session={cookie}", "Content-Type": "application/x-www-form-urlencoded"}, body)
    if conn[1] is not None:
        conn[1].close()
    if done.status != 302:
        raise RuntimeError(f"signing in answered {done.status}")
    return re.search(r"session=([^;]+)", " ".join(done.headers["set-cookie"]))[1]


async def visitor(port, paths, cookie, deadline, times, errors, seed):
    rng, conn = random.Random(seed), [None, None]
    headers = {"Cookie": f"session={cookie}"} if cookie else {}
    while time.monotonic() < deadline:
        path = rng.choice(paths)
        started = time.perf_counter()
        try:
            answer = await asyncio.wait_for(request(conn, port, "GET", path, headers),
                                            HTTP_TIMEOUT_S)
            ok = answer.status == 200
        except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError):
            ok = False
            if conn[1] is not None:
                conn[1].close()
            conn[0] = conn[1] = None
        times.append((time.perf_counter() - started) * 1000)
        errors[path if not ok else None] = errors.get(path if not ok else None, 0) + 1
    if conn[1] is not None:
        conn[1].close()


async def crowd(port, anonymous, signed_in, seconds):
    cookie = await sign_in(port)
    deadline = time.monotonic() + seconds
    times = {"anonymous": [], "signed in": []}
    errors = {"anonymous": {}, "signed in": {}}
    jobs = [visitor(port, anonymous, None, deadline, times["anonymous"], errors["anonymous"], n)
            for n in range(CONNECTIONS - SIGNED_IN)]
    jobs += [visitor(port, signed_in, cookie, deadline, times["signed in"], errors["signed in"],
                     1000 + n) for n in range(SIGNED_IN)]
    await asyncio.gather(*jobs)
    return times, errors


class Gunicorn:
    """gunicorn with the packaged settings on a free port; extra command-line options."""

    def __init__(self, url, options, log_path):
        self.port, self.url, self.options, self.log_path = free_port(), url, options, log_path

    def __enter__(self):
        env = dict(os.environ, MEDIATION_SQLALCHEMY_DATABASE_URI=self.url,
                   MEDIATION_ENV_NAME="production", MEDIATION_SECRET_KEY=secrets.token_hex(32),
                   MEDIATION_PUBLIC_BASE_URL=f"http://127.0.0.1:{self.port}",
                   MEDIATION_RATELIMIT_ENABLED="false", MEDIATION_BIND=f"127.0.0.1:{self.port}",
                   PYTHONPATH=str(ROOT))
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:mediation.deploy.gunicorn_conf",
             "--access-logfile", "/dev/null", *self.options, "mediation:create_app()"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        client, deadline = Client(self.port), time.monotonic() + 60
        while time.monotonic() < deadline and self.process.poll() is None:
            if client.get("/healthz")[0] == 200:
                return self
            time.sleep(0.3)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not start; see {self.log_path}")

    def __exit__(self, *exc):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()


def loads(url, communes, services, seconds, threads):
    refnis = [r for r, _ in communes]
    public = ([f"/fr/communes/{r}" for r in refnis[:20]] + ["/fr/", "/nl/"]
              + [f"/fr/search?q={quote(name)}" for _, name in communes[:10]]
              + [f"/fr/services/{i}" for i in services[:20]]
              + [f"/api/v1/services?commune={r}" for r in refnis[:20]])
    staff = ["/fr/manage/"] * 10 + public
    add_editor(url, refnis[0])
    runs = {}
    packaged = packaged_setting()
    settings = [("sync", ["--worker-class", "sync"])] + [
        (f"gthread, {n} threads", ["--worker-class", "gthread", "--threads", str(n)])
        for n in threads]
    settings = [(label + (" (packaged)" if label == packaged else ""), options)
                for label, options in settings]
    with tempfile.TemporaryDirectory(prefix="bench-pages-load-") as logs:
        for label, options in settings:
            with Gunicorn(url, options, f"{logs}/gunicorn.log") as server:
                warm = Client(server.port)
                for path in public:  # every worker builds its kept answers as visitors would
                    warm.get(path)
                warm.close()
                started = time.monotonic()
                times, errors = asyncio.run(crowd(server.port, public, staff, seconds))
                runs[label] = {"times": times, "errors": errors,
                               "seconds": time.monotonic() - started}
    return runs


# --- Report ------------------------------------------------------------------------------------

def gunicorn_workers() -> int:
    from mediation.deploy import gunicorn_conf

    return gunicorn_conf.workers


def packaged_setting() -> str:
    """The label of the packaged worker class, as the runs name them."""
    from mediation.deploy import gunicorn_conf

    if gunicorn_conf.worker_class == "gthread":
        return f"gthread, {gunicorn_conf.threads} threads"
    return gunicorn_conf.worker_class


def report(results, runs, args, load_before, load_database) -> str:
    lines = ["# Public pages benchmark", "", f"Code: {code_version()}.", "",
             f"{args.services:,} synthetic services. Load average of the machine: {load_before} "
             f"at the start, {load()} at the end.", "",
             "## Each page alone", "",
             "gunicorn, 1 sync worker, production settings, rate limits off; one client, one "
             "request at a time, over fixed samples of communes and services; no proxy cache. "
             "Ratios are p50 ÷ /healthz p50 in the same run.", ""]
    verdicts = []
    for database, result in results.items():
        lines += [f"### {database}", "", "| page | requests | p50 | p95 | p50 ÷ /healthz | "
                  "answers |", "|---|---:|---:|---:|---:|---|"]
        reference = statistics.median(result["/healthz"]["times"])
        for label, measured in result.items():
            times = measured["times"]
            p50 = statistics.median(times)
            statuses = ", ".join(f"HTTP {s or 'none'}×{c}" for s, c in
                                 sorted(measured["statuses"].items()))
            lines.append(f"| {label} | {len(times)} | {p50:.2f} ms | {p95(times):.2f} ms "
                         f"| {p50 / reference:.1f}× | {statuses} |")
            if label.startswith("commune page"):
                ratio = p50 / reference
                verdicts.append(f"- {database}: commune page p50 {p50:.2f} ms = {ratio:.1f}× "
                                f"/healthz, target ≤ {PAGE_RATIO_TARGET:g}× — **"
                                f"{'met' if ratio <= PAGE_RATIO_TARGET else 'not met'}**.")
        lines.append("")
    if runs:
        lines += ["## 200 connections, a quarter signed in", "",
                  f"{load_database}; gunicorn with mediation/deploy/gunicorn_conf.py "
                  f"({gunicorn_workers()} workers on {os.cpu_count()} CPUs), production settings, "
                  f"rate limits off; {CONNECTIONS} connections at once for {args.seconds} s each, "
                  f"{CONNECTIONS - SIGNED_IN} anonymous over a mix of commune pages, home pages, "
                  f"searches, service pages and API answers, {SIGNED_IN} with a signed-in "
                  "editor's session (their dashboard and the same public pages). The client is "
                  "an asyncio loop on the same 2 CPUs.", "",
                  "| gunicorn | who | requests | requests/s | p50 | p99 | p99 ÷ p50 | errors |",
                  "|---|---|---:|---:|---:|---:|---:|---:|"]
        for label, run in runs.items():
            everyone = run["times"]["anonymous"] + run["times"]["signed in"]
            for who, times in [("everyone", everyone), *run["times"].items()]:
                errors = (sum(n for e in run["errors"].values() for k, n in e.items() if k)
                          if who == "everyone" else
                          sum(n for k, n in run["errors"][who].items() if k))
                p50, p99 = statistics.median(times), percentile(times, 99)
                lines.append(f"| {label} | {who} | {len(times):,} | "
                             f"{len(times) / run['seconds']:.0f} | {p50:.0f} ms | {p99:.0f} ms "
                             f"| {p99 / p50:.1f}× | {errors} |")
            p50, p99 = statistics.median(everyone), percentile(everyone, 99)
            verdicts.append(f"- {label}: p99 {p99:.0f} ms = {p99 / p50:.1f}× p50 under "
                            f"{CONNECTIONS} connections, target ≤ {TAIL_TARGET:g}× — **"
                            f"{'met' if p99 / p50 <= TAIL_TARGET else 'not met'}**.")
        lines.append("")
    return "\n".join(lines + ["## Targets", ""] + verdicts) + "\n"


def percentile(values, pct):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--postgresql", metavar="SERVER_URL",
                        help="also measure on PostgreSQL, e.g. postgresql://postgres@127.0.0.1")
    parser.add_argument("--seconds", type=int, default=20, help="per gunicorn setting, part 2")
    parser.add_argument("--threads", default="4,8",
                        help="gthread threads per worker to compare with sync (default 4,8)")
    parser.add_argument("--no-load", action="store_true", help="part 1 only")
    args = parser.parse_args()
    threads = [int(n) for n in args.threads.split(",") if n]
    load_before, results, runs, load_database = load(), {}, {}, ""
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        databases = [("SQLite", f"sqlite:///{tmp}/pages.sqlite", None)]
        if args.postgresql:
            databases.append(("PostgreSQL", None, ThrowAwayDatabase(args.postgresql,
                                                                     args.services)))
        for index, (database, url, throwaway) in enumerate(databases):
            if throwaway is not None:
                url = throwaway.__enter__()
            try:
                generate(url, args.services, echo=lambda *a: None)
                communes, services = samples(url)
                results[database] = pages(url, communes, services)
                if index == len(databases) - 1 and not args.no_load:
                    load_database = database
                    runs = loads(url, communes, services, args.seconds, threads)
            finally:
                if throwaway is not None:
                    throwaway.__exit__(None, None, None)
            print(f"{database} measured", file=sys.stderr)
    text_report = report(results, runs, args, load_before, load_database)
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(text_report, encoding="utf-8")
    print(text_report)


if __name__ == "__main__":
    main()
