"""Time the resolver over every name, postal code and place name it knows.

Writes benchmarks/reports/gazetteer.md: median and p95 per query kind, in-process, on a
throw-away SQLite database loaded with the official communes. Target: median <= 1 ms.
The reference in the same run is `normalise()` alone, so the report also gives ratios that
hold from one machine to another.
"""

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mediation import create_app  # noqa: E402
from mediation.gazetteer import get_index, normalise, search_index  # noqa: E402

REPORT = Path(__file__).parent / "reports" / "gazetteer.md"


def timed(function, queries, repeat=3):
    """Return the per-query times in microseconds (best of `repeat` for each query)."""
    times = []
    for query in queries:
        best = None
        for _ in range(repeat):
            start = time.perf_counter_ns()
            function(query)
            elapsed = time.perf_counter_ns() - start
            best = elapsed if best is None else min(best, elapsed)
        times.append(best / 1000)
    return times


def p95(values):
    return statistics.quantiles(values, n=20)[-1]


def main():
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"ENV_NAME": "testing", "TESTING": True,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite"})
        with app.app_context():
            from flask_migrate import upgrade

            from mediation.gazetteer_loader import load_communes

            upgrade()
            load_communes()
            started = time.perf_counter()
            index = get_index()
            build_ms = (time.perf_counter() - started) * 1000
            groups = {
                "official names": sorted({e.display for es in index.exact.values() for e in es
                                          if e.kind == "name"}),
                "postal codes": list(index.postal_codes),
                "former communes and localities": sorted(
                    {e.display for es in index.exact.values() for e in es if e.kind != "name"}),
                "prefixes (first 4 letters)": sorted(
                    {e.display[:4] for es in index.exact.values() for e in es}),
                "typos (one letter dropped)": sorted(
                    {e.display[:3] + e.display[4:] for es in index.exact.values() for e in es
                     if len(e.display) > 6})[::10],
            }
            reference = timed(normalise, groups["official names"])
            lines = [
                "# Resolver benchmark", "",
                f"In-process, one thread; index of {len(index.exact)} keys for "
                f"{len(index.communes)} communes, built in {build_ms:.0f} ms.",
                f"Reference: `normalise()` alone, median {statistics.median(reference):.1f} µs.", "",
                "| queries | count | median | p95 | median ÷ reference |",
                "|---|---:|---:|---:|---:|",
            ]
            everything = []
            for label, queries in groups.items():
                times = timed(lambda q: search_index(index, q, 10), queries)
                everything += times if "typos" not in label and "prefixes" not in label else []
                lines.append(
                    f"| {label} | {len(times)} | {statistics.median(times) / 1000:.3f} ms "
                    f"| {p95(times) / 1000:.3f} ms "
                    f"| {statistics.median(times) / statistics.median(reference):.0f}× |"
                )
            median_all = statistics.median(everything) / 1000
            lines += [
                "",
                f"All names, postal codes and localities ({len(everything)} queries): median "
                f"{median_all:.3f} ms, p95 {p95(everything) / 1000:.3f} ms — target median ≤ 1 ms: "
                f"{'met' if median_all <= 1 else 'NOT met'}.",
            ]
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
