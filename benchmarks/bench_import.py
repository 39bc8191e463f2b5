"""Time the import of 10,000 services from CSV and XLSX, and its peak memory.

benchmark: .venv/bin/python benchmarks/bench_import.py [--rows 10000]

A fresh SQLite database in a temporary directory (migrated, communes loaded); a synthetic file
of ROWS services spread over every commune with a valid postal code, a phone number and texts
in the languages their communes need; then, for CSV and for XLSX: the dry run, the real run
(one transaction) and the same file again (every row unchanged), each timed, with the peak of
Python memory allocations (tracemalloc) and the process's maximum resident size. Writes
benchmarks/reports/import.md. The ratio "real run ÷ dry run" holds across machines better
than the seconds do.
"""

import argparse
import io
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from machine import code_version, fresh_directory, load_span  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
# What 10,000 rows may take on a quiet machine of two CPUs (an import runs in one transaction).
TARGET_SECONDS = {"dry run": 5, "real run": 15, "same file again": 15}
TARGET_PEAK = 150  # MiB of Python allocations
REPORT = Path(__file__).parent / "reports" / "import.md"


# Two words per service that set its name apart from the others of its commune and kind: the
# import refuses "Service 12 Amay" beside "Service 2837 Amay" as a likely duplicate.
WORDS = ["Aurore", "Belvédère", "Colibri", "Dauphin", "Églantine", "Fougère", "Glycine", "Héron",
         "Iris", "Jonquille", "Koala", "Lavande", "Mimosa", "Nénuphar", "Orchidée", "Pivoine",
         "Quetsche", "Roseau"]
OTHER = ["Zénith", "Yéti", "Xylophone", "Wapiti", "Vanille", "Ubac", "Toucan", "Safran", "Renard",
         "Quartz", "Paprika", "Onyx", "Narval", "Mistral", "Lynx", "Kiwi", "Jasmin", "Ibis"]


def synthetic_rows(count: int) -> list[dict]:
    """Rows of distinct, valid services: round the country, up to 18 per commune (a name of
    their own, a phone number that exists, an address of their own)."""
    from sqlalchemy import select

    from mediation.directory.fields import required_languages
    from mediation.extensions import db
    from mediation.models import Commune, PostalCode

    communes = db.session.scalars(select(Commune).where(Commune.active).order_by(
        Commune.refnis)).all()
    codes = dict(db.session.execute(select(PostalCode.refnis, PostalCode.code)).all())
    kinds = ["neighbourhood", "community", "sac", "school", "other"]
    rows = []
    for i in range(count):
        commune = communes[i % len(communes)]
        languages = required_languages([commune.refnis])
        round_ = (i // len(communes)) % len(WORDS)
        row = {"external_id": f"bench-{i:05d}", "organization_key": f"bench-org-{commune.refnis}",
               "organization_kind": "commune", "organization_name_fr": f"Administration {i}",
               "types": kinds[(i // len(communes)) % len(kinds)],
               "phone": f"02 5{i % 1000000:06d}" if i % 2 else f"04 2{i % 1000000:06d}",
               "email": f"service{i}@example.be",
               "communes": commune.refnis, "street": f"Rue {i // len(communes)}",
               "number": str(i % 200 + 1), "postal_code": codes.get(commune.refnis, ""),
               "commune": commune.refnis, "hours_mon": "9:00-12:00, 13:30-17:00"}
        for lang in languages:
            row[f"name_{lang}"] = f"{WORDS[round_]} {OTHER[round_]} {commune.name_fr} {lang}"
            row[f"description_{lang}"] = f"Description {i} {lang}"
        rows.append(row)
    return rows


def as_csv(rows, columns) -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.DictWriter(out, columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def as_xlsx(rows, columns) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("services")
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(c, "") for c in columns])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def plain_insert(rows) -> float:
    """The floor: the same services, areas, types and locations in plain multi-row INSERTs,
    nothing read or checked. Return the seconds taken."""
    from sqlalchemy import insert

    from mediation.extensions import db
    from mediation.models import (
        Location, Organization, OrganizationKind, Service, ServiceArea, ServiceStatus,
        service_types,
    )

    organization = Organization(kind=OrganizationKind.commune, name_fr="Plancher")
    db.session.add(organization)
    db.session.commit()
    start = time.perf_counter()
    ids = db.session.execute(insert(Service).returning(Service.id, sort_by_parameter_order=True), [
        {"organization_id": organization.id, "external_key": row["external_id"],
         **{f"name_{lang}": row.get(f"name_{lang}", "") for lang in ("fr", "nl", "de")},
         **{f"description_{lang}": row.get(f"description_{lang}", "")
            for lang in ("fr", "nl", "de")},
         "phone": row["phone"], "email": row["email"], "status": ServiceStatus.published}
        for row in rows]).scalars().all()
    db.session.execute(insert(service_types), [
        {"service_id": i, "type_code": row["types"]} for i, row in zip(ids, rows)])
    db.session.execute(insert(ServiceArea), [
        {"service_id": i, "refnis": row["communes"]} for i, row in zip(ids, rows)])
    db.session.execute(insert(Location), [
        {"service_id": i, "position": 0, "street": row["street"], "number": row["number"],
         "postal_code": row["postal_code"], "refnis": row["commune"],
         "opening_hours": {"mon": [["09:00", "12:00"], ["13:30", "17:00"]]}}
        for i, row in zip(ids, rows)])
    db.session.commit()
    return time.perf_counter() - start


def measure(label, call, traced: bool):
    """Run `call`: timed without tracemalloc (which slows Python code three to four times), or
    under it for the peak of Python memory."""
    if traced:
        tracemalloc.start()
    start = time.perf_counter()
    report = call()
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if traced else None
    if traced:
        tracemalloc.stop()
    return label, seconds, peak, report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()

    from sqlalchemy import text

    from mediation.directory.exchange.columns import COLUMNS
    from mediation.directory.exchange.importing import run_import
    from mediation.extensions import db

    import os

    def empty() -> None:
        """No service, organisation or audit event left: each pass starts afresh."""
        for table in ("audit_event", "service_type_link", "service_area", "location",
                      "service", "organization"):
            db.session.execute(text(f'DELETE FROM "{table}"'))
        db.session.commit()

    lines = []
    load_before = os.getloadavg()
    with fresh_directory():
        rows = synthetic_rows(args.rows)
        columns = [c for c in COLUMNS if any(c in row for row in rows[:600])]
        files = {"csv": as_csv(rows, columns), "xlsx": as_xlsx(rows, columns)}
        for fmt, data in files.items():
            passes = []
            for traced in (False, True):  # timed, then measured
                empty()
                passes.append([
                    measure("dry run", lambda: run_import(data, f"f.{fmt}", None,
                                                          dry_run=True), traced),
                    measure("real run", lambda: run_import(data, f"f.{fmt}", None,
                                                           dry_run=False), traced),
                    measure("same file again", lambda: run_import(data, f"f.{fmt}", None,
                                                                  dry_run=False), traced),
                ])
            for (label, seconds, _peak, report), (_l, _s, peak, _r) in zip(*passes):
                counts = dict(report.counts)
                most = TARGET_SECONDS[label]
                met = "met" if seconds <= most and peak <= TARGET_PEAK else "**missed**"
                lines.append(f"| {fmt.upper()} ({len(data) / 2**20:.1f} MB) | {label} | "
                             f"{seconds:.1f} | {peak:.0f} | {counts} | ≤ {most} s, "
                             f"≤ {TARGET_PEAK} MiB: {met} |")
                print(lines[-1], flush=True)
        empty()
        floor = plain_insert(rows)
        lines.append(f"| — | plain bulk INSERT of the same rows (the floor) | {floor:.1f} | — "
                     f"| {len(rows)} services | — |")
        print(lines[-1], flush=True)
    load_after = os.getloadavg()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(
        f"# Import of {args.rows:,} services\n\n"
        "`.venv/bin/python benchmarks/bench_import.py` — SQLite in a temporary folder, "
        "565 communes loaded, one synthetic file per format; the seconds are measured without "
        "tracemalloc, the peak of Python memory in a second pass under it.\n\n"
        "| file | run | seconds | peak Python memory (MiB) | outcomes | target |\n"
        "|---|---|---|---|---|---|\n"
        + "\n".join(lines)
        + f"\n\nMaximum resident size of the process: {rss:.0f} MiB. Code: {code_version()}. "
        f"{load_span(load_before, load_after)}.\n",
        encoding="utf-8")
    print(f"written {REPORT}")


if __name__ == "__main__":
    main()
