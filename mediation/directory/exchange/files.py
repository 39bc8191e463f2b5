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


HEADER_SEARCH_ROWS = 20  # title and note rows above the header
MAX_CELLS = 4_000_000  # cells of a sheet, counted before any row is loaded
XML_FORBIDDEN = (b"<!DOCTYPE", b"<!ENTITY", b"<!doctype", b"<!entity")


@dataclass
class Sheet:
    """The header's column keys and an iterator of (row number, {key: cell}) data rows."""

    columns: list[str]
    rows: Iterator[tuple[int, dict]]
    total: int | None = None  # number of data rows when known beforehand
    notes: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # header cells no column was found for
    labels: dict[str, str] = field(default_factory=dict)  # column -> the header as written
    header: list[str] = field(default_factory=list)  # the header row's cells, as written
    found: list[str] = field(default_factory=list)  # the column each header cell was read as


def column_key(header) -> str:
    """The stable key a header cell means: case, spaces and a leading BOM do not matter."""
    text = str(header or "").strip().lstrip("\ufeff").strip().lower()
    return re.sub(r"[\s\-]+", "_", text)


def read_sheet(data: bytes, filename: str, mapping: dict[str, str] | None = None) -> Sheet:
    """Return the rows of a CSV or XLSX file given as bytes (its name only hints the kind);
    the header is the first row of the top ones whose cells name known columns."""
    if not data or not data.strip():
        raise UnreadableFile(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise UnreadableFile(_("The file is too large (at most %(size)d MB). Please split it.",
                               size=MAX_BYTES // (1024 * 1024)))
    if data.startswith(OLE_MAGIC):
        raise UnreadableFile(_("This is an old Excel file (.xls) or an encrypted workbook. "
                               "Please save it as .xlsx without a password, or as CSV UTF-8, "
                               "and try again."))
    if data.startswith(ZIP_MAGIC):
        return _read_xlsx(data, mapping)
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise UnreadableFile(_("This file is not a valid XLSX workbook."))
    return _read_csv(data, mapping)


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


def _delimiter(text: str) -> str | None:
    """The separator that splits the top lines into the most cells (title lines have none)."""
    lines = text.lstrip("\ufeff").split("\n", HEADER_SEARCH_ROWS + 1)[:HEADER_SEARCH_ROWS]
    counts = {d: max((line.count(d) for line in lines), default=0) for d in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else None


def _read_csv(data: bytes, mapping) -> Sheet:
    text = _decode(data)
    delimiter = _delimiter(text)
    if delimiter is None:
        raise UnreadableFile(_("The first line of the file should name the columns, separated by "
                               "commas or semicolons. Please start from the template."))
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error:
        raise UnreadableFile(_("This file is not a valid CSV file (a quote is left open?).")) \
            from None
    numbered = [(number, record) for number, record in enumerate(records, start=1)
                if any(c.strip() for c in record)]
    header_number, header, columns = _find_header(numbered, mapping)
    data_rows = [(number, record) for number, record in numbered if number > header_number]
    if len(data_rows) > MAX_ROWS:
        raise _too_many_rows()
    rows = ((number, _cells(columns, record)) for number, record in data_rows)
    return _sheet(columns, header, rows, len(data_rows))


def _find_header(numbered, mapping):
    """The header row among the first non-empty rows: the one naming the most known columns."""
    from .headers import header_score

    candidates = numbered[:HEADER_SEARCH_ROWS]
    if not candidates:
        raise UnreadableFile(_("The file is empty."))
    scores = [header_score(row) + sum(1 for cell in row if mapping and _mapped(cell, mapping))
              for _number, row in candidates]
    best = max(range(len(candidates)), key=lambda i: (scores[i] >= 2, scores[i] > 0, -i))
    if scores[best] < 2:
        best = 0  # no row names two known columns: the first one is the header, as it was
    number, header = candidates[best]
    return number, list(header), _columns(list(header), mapping)


def _mapped(cell, mapping) -> bool:
    from .headers import header_key

    return isinstance(cell, str) and header_key(cell) in mapping


def _cells(columns: list[str], record) -> dict:
    cells = {}
    for column, value in zip(columns, record):
        if column and column not in cells:
            cells[column] = value
    return cells


def _sheet(columns, header, rows, total, notes=None) -> Sheet:
    sheet = Sheet([c for c in columns if c], rows, total, list(notes or []))
    sheet.header = [str(label or "").strip() for label in header]
    sheet.found = list(columns)
    for column, label in zip(columns, header):
        label = str(label or "").strip()
        if column:
            sheet.labels.setdefault(column, label)
        elif label:
            sheet.unknown.append(label)
    return sheet


def _too_many_rows() -> UnreadableFile:
    return UnreadableFile(_("The file has more than %(max)d rows. Please split it.",
                            max=MAX_ROWS))


def _columns(header: list, mapping=None) -> list[str]:
    from .headers import column_for

    if len(header) > MAX_COLUMNS:
        raise UnreadableFile(_("The file has more than %(max)d columns.", max=MAX_COLUMNS))
    columns, seen = [], set()
    for cell in header:
        column = column_for(cell, mapping)
        if column is None:
            column = column_key(cell) if column_key(cell) in _template_columns() else ""
        if column in seen:
            column = ""  # the first of two columns meaning the same wins
        seen.add(column)
        columns.append(column or "")
    if "commune" in columns and "communes" not in columns:
        # A sheet of its own naming one "Commune" means the communes served, not the address's.
        columns[columns.index("commune")] = "communes"
    if not any(str(cell or "").strip() for cell in header):
        raise UnreadableFile(_("The first line of the file should name the columns. Please "
                               "start from the template."))
    return columns


def _template_columns():
    from .columns import COLUMNS

    return COLUMNS


def _check_xlsx(archive: zipfile.ZipFile) -> None:
    """Refuse what no spreadsheet program writes and what would take the server down: entity
    declarations, a zip bomb, a sheet larger than its rows and columns allow."""
    infos = archive.infolist()
    if any(info.flag_bits & 0x1 for info in infos):
        raise UnreadableFile(_("This file is not a valid XLSX workbook."))
    if sum(info.file_size for info in infos) > MAX_UNZIPPED_BYTES:
        raise UnreadableFile(_("The file is too large once unpacked. Please split it."))
    for info in infos:
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(info) as stream:
            head = stream.read(4096)
            tail = b""
            while True:  # read in chunks: what a zip's header claims is not trusted
                chunk = stream.read(1 << 20)
                if not chunk:
                    break
                if any(mark in tail[-16:] + chunk for mark in XML_FORBIDDEN):
                    raise UnreadableFile(_("This file is not a valid XLSX workbook."))
                tail = chunk
            if any(mark in head for mark in XML_FORBIDDEN):
                raise UnreadableFile(_("This file is not a valid XLSX workbook."))


def _count_cells(archive: zipfile.ZipFile, path: str) -> None:
    """Count the cells and find the widest column of a sheet before openpyxl reads it."""
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import coordinate_from_string, column_index_from_string

    cells = rows = 0
    with archive.open(path.lstrip("/")) as stream:
        for _event, element in iterparse(stream):
            tag = element.tag.rpartition("}")[2]
            if tag == "c":
                cells += 1
                ref = element.get("r")
                if ref:
                    column = column_index_from_string(coordinate_from_string(ref)[0])
                    if column > MAX_COLUMNS:
                        raise UnreadableFile(_("The file has more than %(max)d columns.",
                                               max=MAX_COLUMNS))
                if cells > MAX_CELLS:
                    raise UnreadableFile(_("The file is too large once unpacked. Please "
                                           "split it."))
            elif tag == "row":
                rows += 1
                if rows > MAX_SHEET_ROWS:
                    raise _too_many_rows()
                element.clear()


def _read_xlsx(data: bytes, mapping=None) -> Sheet:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        _check_xlsx(archive)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = (workbook["services"] if "services" in workbook.sheetnames
                 else workbook.worksheets[0])
        _count_cells(archive, sheet._worksheet_path)
        merged = _merged_ranges(archive, sheet._worksheet_path)
        sheet.reset_dimensions()  # some tools write a wrong size; read what is there
        values = _fill_merged(sheet.iter_rows(values_only=True), merged)
    except UnreadableFile:
        raise
    except Exception:  # openpyxl and the XML parser raise many kinds on a damaged zip
        raise UnreadableFile(_("This file is not a valid XLSX workbook.")) from None
    numbered = [(number, row) for number, row in values
                if any(cell not in (None, "") for cell in row)]
    if not numbered:
        raise UnreadableFile(_("The file is empty."))
    header_number, header, columns = _find_header(numbered, mapping)
    notes = []
    if merged:
        notes.append(_("Merged cells were read as if their value stood in each of their cells."))
    rows = []
    for number, row in numbered:
        if number <= header_number:
            continue
        rows.append((number, _cells(columns, row)))
        if len(rows) > MAX_ROWS:
            raise _too_many_rows()
    workbook.close()
    return _sheet(columns, header, iter(rows), len(rows), notes)


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
