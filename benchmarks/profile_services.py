"""Where does the time of search_services go? Per SQL statement, then per Python function.

benchmark: .venv/bin/python benchmarks/profile_services.py [--url sqlite:////tmp/s.sqlite] [-n N]

In-process, no HTTP: with --url an existing database (e.g. one benchmarks/synthetic.py filled)
is read; without it a throw-away SQLite database with N (100,000) synthetic services is built.
Runs `search_services(Filters(commune=...))` (and `near=`) over a fixed sample of communes,
records every SQL statement it sends, then times each one alone (fetched) with its query plan
on SQLite, and finally the whole view through the test client, under cProfile too.
Writes benchmarks/reports/services-profile.md.
"""

import argparse
import cProfile
import io
import pstats
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, select  # noqa: E402

from mediation import create_app  # noqa: E402
from mediation.directory.reading.search import Filters, search_services  # noqa: E402
from mediation.extensions import db  # noqa: E402
from mediation.models import Commune  # noqa: E402
from bench_services import code_version, load  # noqa: E402
from synthetic import generate  # noqa: E402

REPORT = Path(__file__).parent / "reports" / "services-profile.md"
CALLS = 60  # per kind of search: bounded, the slowest shape takes well under a second each


class StatementTimer:
    """Collect the wall time of each SQL statement the engine executes, by statement text."""

    def __init__(self, engine):
        self.engine, self.times, self.on = engine, defaultdict(list), False
        self.parameters = {}  # statement -> the parameters it was first run with
        event.listen(engine, "before_cursor_execute", self.before)
        event.listen(engine, "after_cursor_execute", self.after)

    def before(self, conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_started"] = time.perf_counter()

    def after(self, conn, cursor, statement, parameters, context, executemany):
        if self.on:
            self.parameters.setdefault(statement, parameters)
            self.times[statement].append((time.perf_counter() - conn.info["bench_started"]) * 1000)


def shorten(statement: str, width: int = 260) -> str:
    flat = " ".join(statement.split())
    return flat if len(flat) <= width else flat[:width] + " …"


def explain(statement: str, parameters) -> str:
    """SQLite's query plan of one statement, one line per step."""
    rows = db.session.connection().exec_driver_sql(
        "EXPLAIN QUERY PLAN " + statement, parameters).all()
    return "; ".join(r[-1] for r in rows)


def rerun(statement: str, parameters, repeat: int = 5) -> tuple[float, int]:
    """Best-of-`repeat` median time of one statement, executed and fully fetched, and its rows."""
    times, rows = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        rows = db.session.connection().exec_driver_sql(statement, parameters).all()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), len(rows)


def profile(url: str, seed: int = 7) -> str:
    app = create_app({"ENV_NAME": "testing", "TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                      "RATELIMIT_ENABLED": False})
    lines = ["# Where search_services spends its time", "",
             f"Database: `{url}`. Code: {code_version()}. Load average of the machine at the "
             f"start: {load()}.", "",
             "This is the cost of computing an answer: the API keeps whole answers per directory "
             "version, so it is paid once per commune (or position) and per process after each "
             "write; the rest of the time an answer costs a look-up of the version.", ""]
    with app.app_context():
        rng = random.Random(seed)
        communes = list(db.session.scalars(select(Commune).where(Commune.active)
                                           .order_by(Commune.refnis)))
        chosen = rng.sample(communes, min(CALLS, len(communes)))
        shapes = {
            "commune": [Filters(commune=c.refnis) for c in chosen],
            "near": [Filters(near=(c.lat + 0.01, c.lon - 0.01)) for c in chosen],
        }
        timer = StatementTimer(db.engine)
        for name, calls in shapes.items():
            totals = timed_calls(calls, timer)
            lines += [f"## `search_services({name}=…)`, {len(calls)} calls", "",
                      f"Whole call: median {statistics.median(totals):.2f} ms, "
                      f"max {max(totals):.2f} ms.", ""]
            lines += statements(timer, len(calls))
            urls = [f"/api/v1/services?{name}="
                    + (f.commune or f"{f.near[0]:.5f},{f.near[1]:.5f}") for f in calls]
            lines += view(app.test_client(), urls)
    lines.append(f"Load average at the end: {load()}.")
    return "\n".join(lines) + "\n"


def timed_calls(calls, timer) -> list[float]:
    """Run search_services for each filter (after 3 untimed), SQL recorded; times in ms."""
    for filters in calls[:3]:
        search_services(filters)
    db.session.rollback()
    timer.times.clear()
    timer.on, totals = True, []
    for filters in calls:
        started = time.perf_counter()
        search_services(filters)
        totals.append((time.perf_counter() - started) * 1000)
        db.session.rollback()  # next call starts cold, as a new request would
    timer.on = False
    return totals


def statements(timer, calls: int) -> list[str]:
    """The table of the statements one call sends, costliest first, and their plans."""
    lines = ["Each distinct SQL statement, run again alone with the parameters of its first "
             "call, rows fetched (median of 5):", "",
             "| statement | runs per call | alone, fetched | rows |", "|---|---:|---:|---:|"]
    alone = {st: rerun(st, timer.parameters[st]) for st in timer.times}
    ranked = sorted(alone, key=lambda st: -alone[st][0] * len(timer.times[st]))
    for statement in ranked[:8]:
        ms, rows = alone[statement]
        lines.append(f"| `{shorten(statement)}` | {len(timer.times[statement]) / calls:.1f} "
                     f"| {ms:.2f} ms | {rows:,} |")
    lines.append("")
    if db.engine.dialect.name == "sqlite":
        lines += ["Query plans (SQLite) of the three costliest statements:", ""]
        for statement in ranked[:3]:
            try:
                plan = explain(statement, timer.parameters[statement])
            except Exception as error:  # a plan is a bonus; never fail the profile
                db.session.rollback()
                plan = f"(no plan: {type(error).__name__})"
            lines.append(f"- `{shorten(statement, 120)}` → {plan}")
        lines.append("")
    return lines


def view(client, urls) -> list[str]:
    """Time the whole view through the Flask test client, then profile it with cProfile."""
    times = []
    for url in urls:
        started = time.perf_counter()
        status = client.get(url).status_code
        times.append((time.perf_counter() - started) * 1000)
    profiler = cProfile.Profile()
    profiler.enable()
    for url in urls:
        client.get(url)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(r"mediation/|sqlite3|orm/loading|orm/strategies", 20)
    body = out.getvalue()
    return [f"The whole view in-process (Flask test client, JSON included, last answer HTTP "
            f"{status}): median {statistics.median(times):.2f} ms.", "",
            "cProfile of the view, cumulative, our code and the database driver:", "",
            "```", body[body.find("ncalls"):].rstrip(), "```", ""]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="an existing database (default: build one)")
    parser.add_argument("-n", type=int, default=100_000, help="services to generate")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="profile-services-") as tmp:
        url = args.url
        if url is None:
            url = f"sqlite:///{tmp}/services.sqlite"
            generate(url, args.n, echo=lambda *a: None)
        result = profile(url)
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(result, encoding="utf-8")
    print(result)


if __name__ == "__main__":
    main()
