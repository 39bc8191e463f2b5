"""Read a CSV or XLSX file into rows of cells, and write rows to XLSX, without surprises.

Everything a person may hand over is expected: CSV in UTF-8 (with or without BOM), UTF-16 or
Windows-1252, comma, semicolon or tab separated; XLSX with merged cells, empty rows, dates and
numbers where text was meant. What cannot be read raises `UnreadableFile` with a message for
the person who sent it.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask_babel import gettext as _

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 200
MAX_SHEET_ROWS = 10 * MAX_ROWS  # rows read at all, empty ones included
MAX_UNZIPPED_BYTES = 400 * 1024 * 1024  # a zip bomb stops here
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class UnreadableFile(Exception):
    """The file is no spreadsheet we can read; the message says why, for its sender."""


@dataclass
class Sheet:
    """The header's column keys and an iterator of (row number, {key: cell}) data rows."""

    columns: list[str]
    rows: Iterator[tuple[int, dict]]
    total: int | None = None  # number of data rows when known beforehand
    notes: list[str] = field(default_factory=list)


def column_key(header) -> str:
    """The stable key a header cell means: case, spaces and a leading BOM do not matter."""
    text = str(header or "").strip().lstrip("\ufeff").strip().lower()
    return re.sub(r"[\s\-]+", "_", text)


def read_sheet(data: bytes, filename: str) -> Sheet:
    """Return the rows of a CSV or XLSX file given as bytes (its name only hints the kind)."""
    if not data or not data.strip():
        raise UnreadableFile(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise UnreadableFile(_("The file is too large (at most %(size)d MB). Please split it.",
                               size=MAX_BYTES // (1024 * 1024)))
    if data.startswith(OLE_MAGIC):
        raise UnreadableFile(_("This is an old Excel file (.xls). Please save it as .xlsx or as "
                               "CSV UTF-8 and try again."))
    if data.startswith(ZIP_MAGIC):
        return _read_xlsx(data)
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise UnreadableFile(_("This file is not a valid XLSX workbook."))
    return _read_csv(data)


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096]:
        raise UnreadableFile(_("This file is neither a CSV file nor an XLSX workbook."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise UnreadableFile(_("The characters of this file cannot be read. Please save it as "
                               "“CSV UTF-8” and try again.")) from None


def _read_csv(data: bytes) -> Sheet:
    text = _decode(data)
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    if first_line.count(delimiter) == 0:
        raise UnreadableFile(_("The first line of the file should name the columns, separated by "
                               "commas or semicolons. Please start from the template."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
        records = list(reader)
    except csv.Error:
        raise UnreadableFile(_("This file is not a valid CSV file (a quote is left open?).")) \
            from None
    columns = _columns(header)
    if len(records) > MAX_ROWS:
        raise _too_many_rows()
    rows = ((number, dict(zip(columns, record)))
            for number, record in enumerate(records, start=2) if any(c.strip() for c in record))
    total = sum(1 for record in records if any(c.strip() for c in record))
    return Sheet(columns, rows, total)


def _too_many_rows() -> UnreadableFile:
    return UnreadableFile(_("The file has more than %(max)d rows. Please split it.",
                            max=MAX_ROWS))


def _columns(header: list) -> list[str]:
    if len(header) > MAX_COLUMNS:
        raise UnreadableFile(_("The file has more than %(max)d columns.", max=MAX_COLUMNS))
    columns = [column_key(cell) for cell in header]
    if not any(columns):
        raise UnreadableFile(_("The first line of the file should name the columns. Please "
                               "start from the template."))
    return columns


def _read_xlsx(data: bytes) -> Sheet:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
            raise UnreadableFile(_("The file is too large once unpacked. Please split it."))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except UnreadableFile:
        raise
    except Exception:  # openpyxl raises many kinds on a damaged or foreign zip
        raise UnreadableFile(_("This file is not a valid XLSX workbook.")) from None
    sheet = (workbook["services"] if "services" in workbook.sheetnames
             else workbook.worksheets[0])
    merged = _merged_ranges(archive, sheet._worksheet_path)
    sheet.reset_dimensions()  # some tools write a wrong size; read what is there
    values = _fill_merged(sheet.iter_rows(values_only=True), merged)
    header_number, header = None, None
    for number, row in values:
        if any(cell not in (None, "") for cell in row):
            header_number, header = number, row
            break
    if header is None:
        raise UnreadableFile(_("The file is empty."))
    columns = _columns(list(header))
    notes = []
    if merged:
        notes.append(_("Merged cells were read as if their value stood in each of their cells."))
    rows = []
    for number, row in values:
        if number <= header_number or all(cell in (None, "") for cell in row):
            continue
        rows.append((number, dict(zip(columns, row))))
        if len(rows) > MAX_ROWS:
            raise _too_many_rows()
    workbook.close()
    return Sheet(columns, iter(rows), len(rows), notes)


def _merged_ranges(archive: zipfile.ZipFile, path: str) -> list[tuple[int, int, int, int]]:
    """Read the merged ranges (min row, min col, max row, max col) a read-only sheet hides."""
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import range_boundaries

    ranges = []
    with archive.open(path.lstrip("/")) as stream:
        for _event, element in iterparse(stream):
            if element.tag.endswith("}mergeCell"):
                min_col, min_row, max_col, max_row = range_boundaries(element.get("ref"))
                ranges.append((min_row, min_col, max_row, max_col))
            elif element.tag.endswith("}row"):
                element.clear()  # keep memory flat on large sheets
    return ranges


def _fill_merged(rows, merged) -> list[tuple[int, tuple]]:
    """Number the rows from 1 and copy each merged range's value into all its cells."""
    numbered = []
    for number, row in enumerate(rows, start=1):
        if number > MAX_SHEET_ROWS:
            raise _too_many_rows()
        numbered.append((number, list(row)))
    if merged:
        by_number = {number: row for number, row in numbered}
        for min_row, min_col, max_row, max_col in merged:
            source = by_number.get(min_row)
            value = source[min_col - 1] if source and len(source) >= min_col else None
            for number in range(min_row, max_row + 1):
                row = by_number.get(number)
                if row is None:
                    continue
                row.extend([None] * (max_col - len(row)))
                for col in range(min_col, max_col + 1):
                    row[col - 1] = value
    return [(number, tuple(row)) for number, row in numbered]


def cell_text(value) -> str:
    """The text of a cell as a person meant it: 1000.0 is "1000", a date is YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep="T", timespec="seconds")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value).strip()


def write_xlsx(sheets: list[tuple[str, list[list]]]) -> bytes:
    """Return an XLSX workbook of (title, rows) sheets; the same rows give the same bytes."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    fixed = datetime(2000, 1, 1)
    workbook.properties.created = workbook.properties.modified = fixed
    workbook.properties.creator = "mediation"
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        bold = Font(bold=True)
        for index, row in enumerate(rows):
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"  # text, never a formula
                if index == 0:
                    cell.font = bold
                cells.append(cell)
            sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return _fixed_zip_times(out.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    """Rewrite a zip with a fixed time on every entry: the same content, the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"<dcterms:modified[^>]*>[^<]*</dcterms:modified>", b"", body)
            fixed = zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, body)
    return out.getvalue()
