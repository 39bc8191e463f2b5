"""Time and memory of the import on the largest and the most hostile files it may be sent.

benchmark: .venv/bin/python benchmarks/bench_import_limits.py

The web import takes files of up to 20 MB; none may take more than 200 MiB or 30 s. Each case
is a file of at most 20 MB built here, read and checked as a dry run (the whole path an admin's
upload takes before anything is written), in a fresh process of its own so that the memory of
one case does not hide another's:

- the largest valid file: 20,000 services (the row limit) whose texts fill the 20 million
  characters an XLSX may hold, in CSV and in XLSX;
- two million cells (the cell limit), one character each;
- cells that compress a thousand times (refused once 150 MiB are unpacked);
- text a spreadsheet would never hold, in cells or in shared strings (refused past 20 million
  characters);
- a CSV of 20 MB of line breaks (refused past 200,000 lines) or of separators (blank records,
  skipped one at a time).

Each case runs twice: once timed (wall and processor seconds), once under tracemalloc for the
peak of Python memory; the process's growth in resident memory is read from the first. Writes
benchmarks/reports/import-limits.md with the machine's load and the code version.
"""

import io
import json
import os
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT = Path(__file__).parent / "reports" / "import-limits.md"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from machine import code_version, fresh_directory, load_span  # noqa: E402

MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PARTS = {
    "[Content_Types].xml": b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas'
    b'.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="'
    b'application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
    b'ContentType="application/xml"/></Types>',
    "_rels/.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas'
    b'.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
    b'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/'
    b'workbook.xml"/></Relationships>',
    "xl/workbook.xml": b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="' + MAIN + b'" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    b'<sheet name="services" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns='
    b'"http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    b'Target="worksheets/sheet1.xml"/></Relationships>',
}


def workbook(rows, shared=None) -> bytes:
    """An XLSX archive whose sheet holds `rows` (XML of <row> elements, streamed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in PARTS.items():
            archive.writestr(name, data)
        if shared is not None:
            with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
                part.write(b'<sst xmlns="' + MAIN + b'">')
                for text in shared:
                    part.write(b"<si><t>" + text + b"</t></si>")
                part.write(b"</sst>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(b'<worksheet xmlns="' + MAIN + b'"><sheetData>')
            for row in rows:
                part.write(row)
            part.write(b"</sheetData></worksheet>")
    return out.getvalue()


def inline_row(number: int, values) -> bytes:
    from openpyxl.utils import get_column_letter
    from xml.sax.saxutils import escape

    return (f'<row r="{number}">' + "".join(
        f'<c r="{get_column_letter(i + 1)}{number}" t="inlineStr"><is><t>{escape(str(v))}</t>'
        f'</is></c>' for i, v in enumerate(values) if v not in (None, "")) + "</row>").encode()


def largest_valid(rows_count: int = 20_000, text_budget: int = 19_000_000):
    """(columns, rows) of the row limit's worth of valid services whose descriptions fill the
    text an XLSX may hold."""
    from bench_import import synthetic_rows

    rows = synthetic_rows(rows_count)
    columns = list(dict.fromkeys(c for row in rows[:600] for c in row))
    used = sum(len(str(v)) for row in rows for v in row.values())
    per_row = max(0, (text_budget - used) // rows_count)
    for row in rows:
        for key in [k for k in row if k.startswith("description_")]:
            row[key] = (row[key] + " " + "médiation de quartier " * (per_row // 22 + 1))[
                :per_row // sum(k.startswith("description_") for k in row)]
    return columns, rows


def build(case: str) -> tuple[bytes, str]:
    """The file of a case and its name."""
    import csv

    if case in ("largest-csv", "largest-xlsx"):
        columns, rows = largest_valid()
        if case == "largest-csv":
            out = io.StringIO()
            writer = csv.DictWriter(out, columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
            return out.getvalue().encode("utf-8")[:20 * 1024 * 1024], "largest.csv"
        return workbook([inline_row(1, columns)] + [
            inline_row(n, [row.get(c, "") for c in columns]) for n, row in
            enumerate(rows, start=2)]), "largest.xlsx"
    if case == "two-million-cells":
        header = ["communes", "types", "name_fr", "phone"] + [f"x{i}" for i in range(96)]
        return workbook([inline_row(1, header)] + [
            inline_row(n, ["Amay", "neighbourhood", f"Service {n}", "085 31 05 05"]
                       + ["a"] * 96) for n in range(2, 20_001)]), "cells.xlsx"
    if case == "compressible":
        cell = "x" * 200
        return workbook(inline_row(n, [cell] * 72) for n in range(1, 20_001)), "bomb.xlsx"
    if case == "too-much-text":
        cell = "Médiation " * 8
        return workbook(inline_row(n, [cell] * 72) for n in range(1, 6_001)), "text.xlsx"
    if case == "shared-strings":
        return workbook((f'<row r="{n}"><c r="A{n}" t="s"><v>{n}</v></c></row>'.encode()
                         for n in range(1, 20_001)),
                        shared=(b"y" * 2_000 for _ in range(15_000))), "shared.xlsx"
    if case == "blank-lines-csv":
        return b"Commune;Nom du service;Type\n" + b"\n" * (20 * 1024 * 1024 - 30), "blank.csv"
    if case == "separators-csv":
        return (b"Commune;Nom du service;Type\n" + (b";" * 9_999 + b"\n") * 2_000), "wide.csv"
    raise ValueError(case)


def run_case(case: str) -> dict:
    """In this process: build the case's file, then time its dry run and measure its peak."""
    import tracemalloc

    from mediation.directory.exchange.importing import run_import

    with fresh_directory():
        data, name = build(case)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        start, cpu = time.perf_counter(), time.process_time()
        report = run_import(data, name, None, dry_run=True)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        tracemalloc.start()
        run_import(data, name, None, dry_run=True)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    outcome = report.problem or ", ".join(f"{n} {k}" for k, n in sorted(report.counts.items())) \
        or "no row to import"
    return {"case": case, "size": len(data) / 2**20, "seconds": seconds, "cpu": cpu,
            "peak": peak, "rss": max(0.0, rss_after - rss_before), "outcome": outcome}


CASES = ["largest-csv", "largest-xlsx", "two-million-cells", "compressible", "too-much-text",
         "shared-strings", "blank-lines-csv", "separators-csv"]


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--case":
        print(json.dumps(run_case(sys.argv[2])))
        return
    import logging

    logging.disable(logging.INFO)
    load_before = os.getloadavg()
    results = []
    for case in CASES:
        done = subprocess.run([sys.executable, __file__, "--case", case], capture_output=True,
                              text=True, timeout=900, check=True)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(results[-1], flush=True)
    load_after = os.getloadavg()
    lines = [f"| {r['case']} | {r['size']:.1f} | {r['seconds']:.1f} | {r['cpu']:.1f} | "
             f"{r['peak']:.0f} | {r['rss']:.0f} | {r['outcome']} |" for r in results]
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(
        "# The import's largest and most hostile files\n\n"
        "`.venv/bin/python benchmarks/bench_import_limits.py` — each case a dry run in a fresh "
        "process (SQLite, 565 communes): what an admin's upload costs before anything is "
        "written. Bound: no file of at most 20 MB takes more than 200 MiB or 30 s.\n\n"
        "| case | file (MB) | seconds | processor seconds | peak Python memory (MiB) | "
        "resident growth (MiB) | outcome |\n|---|---|---|---|---|---|---|\n"
        + "\n".join(lines)
        + f"\n\nCode: {code_version()}. {load_span(load_before, load_after)}.\n",
        encoding="utf-8")
    print(f"written {REPORT}")


if __name__ == "__main__":
    main()
