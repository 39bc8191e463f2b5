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

from flask_babel import format_decimal
from flask_babel import gettext as _

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 200
MAX_SHEET_ROWS = 10 * MAX_ROWS  # rows read at all, empty ones included
MAX_UNZIPPED_BYTES = 150 * 1024 * 1024  # all XML parts together: a zip bomb stops here
# The text of all cells together: an XLSX holds no more text than the largest CSV accepted,
# so that reading any file of at most 20 MB stays within a couple of hundred MiB.
MAX_TEXT = MAX_BYTES
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class UnreadableFile(Exception):
    """The file is no spreadsheet we can read; the message says why, for its sender."""


HEADER_SEARCH_ROWS = 20  # title and note rows above the header
# Characters of one cell: a spreadsheet holds no more. Checked by the import itself, since the
# csv module's own bound is the process's, and other libraries raise it.
MAX_CELL_TEXT = 32_767
MAX_CELLS = 2_000_000  # cells of a sheet (20,000 rows of the 72 exchange columns), counted first
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
    del text
    try:
        numbered = list(_csv_records(reader))
    except csv.Error as error:
        if "field larger than field limit" in str(error):  # the csv module's own bound
            raise _cell_too_long() from None
        raise UnreadableFile(_("This file is not a valid CSV file (a quote is left open?).")) \
            from None
    header_number, header, columns = _find_header(numbered, mapping)
    data_rows = [(number, record) for number, record in numbered if number > header_number]
    if len(data_rows) > MAX_ROWS:
        raise _too_many_rows()
    rows = ((number, _cells(columns, record)) for number, record in data_rows)
    return _sheet(columns, header, rows, len(data_rows))


def _csv_records(reader):
    """(line, cells) of each record that is not blank, within the bounds an XLSX is held to:
    rows read at all, rows kept, columns and cells (so that 20 MB of line breaks or of
    separators cost neither minutes nor gigabytes)."""
    kept = cells = 0
    for number, record in enumerate(reader, start=1):
        if number > MAX_SHEET_ROWS:
            raise _too_many_rows()
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > MAX_COLUMNS:
            while record and not record[-1].strip():
                record.pop()  # the trailing separators a spreadsheet writes up to its width
            if len(record) > MAX_COLUMNS:
                raise UnreadableFile(_("The file has more than %(max)d columns.",
                                       max=MAX_COLUMNS))
        if max(map(len, record)) > MAX_CELL_TEXT:
            raise _cell_too_long()
        kept += 1
        cells += len(record)
        if kept > MAX_ROWS + HEADER_SEARCH_ROWS:
            raise _too_many_rows()
        if cells > MAX_CELLS:
            raise _too_many_cells()
        yield number, record


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


def _cell_too_long() -> UnreadableFile:
    return UnreadableFile(_(
        "A cell of this file holds more than %(max)s characters, more than a spreadsheet's cell "
        "can. Please check that it is the list of services (a quote left open makes the rest of "
        "the file one cell).", max=format_decimal(MAX_CELL_TEXT, format="#,##0")))


def _too_many_cells() -> UnreadableFile:
    return UnreadableFile(_("The file has more than %(max)s cells. Please split it.",
                            max=format_decimal(MAX_CELLS, format="#,##0")))


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


CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s>/]")
CELL_COLUMN = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br=\"([A-Za-z]+)")
ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")
MERGE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?\bref=\"([A-Za-z]+\d+(?::[A-Za-z]+\d+)?)\"")


def _check_xlsx(archive: zipfile.ZipFile) -> None:
    """Refuse what no spreadsheet program writes and what would take the server down: entity
    declarations, encrypted entries, a zip bomb."""
    infos = archive.infolist()
    if any(info.flag_bits & 0x1 for info in infos):
        raise UnreadableFile(_("This file is not a valid XLSX workbook."))
    if sum(info.file_size for info in infos) > MAX_UNZIPPED_BYTES:
        raise UnreadableFile(_("The file is too large once unpacked. Please split it."))
    unpacked = [0]  # the bytes of every part together
    for info in infos:
        if info.filename.endswith((".xml", ".rels", ".vml")):
            for _piece in _xml_chunks(archive, info.filename, unpacked):
                pass


def _xml_chunks(archive: zipfile.ZipFile, name: str, unpacked: list[int] | None = None):
    """Yield an XML part in pieces that end on a tag's end, refusing entity declarations and
    more bytes than allowed (what a zip's header claims is not trusted); `unpacked` counts
    the bytes of several parts together."""
    pending = b""
    unpacked = unpacked if unpacked is not None else [0]
    with archive.open(name) as stream:
        while True:
            chunk = stream.read(1 << 20)
            unpacked[0] += len(chunk)
            if unpacked[0] > MAX_UNZIPPED_BYTES:
                raise UnreadableFile(_("The file is too large once unpacked. Please split it."))
            if not chunk:
                if any(mark in pending for mark in XML_FORBIDDEN):
                    raise UnreadableFile(_("This file is not a valid XLSX workbook."))
                if pending:
                    yield pending
                return
            pending += chunk
            cut = pending.rfind(b">") + 1
            piece, pending = pending[:cut], pending[cut:]
            if any(mark in piece for mark in XML_FORBIDDEN):
                raise UnreadableFile(_("This file is not a valid XLSX workbook."))
            if len(pending) > 1 << 20:  # no tag is a megabyte long
                raise UnreadableFile(_("This file is not a valid XLSX workbook."))
            yield piece


def _measure_sheet(archive: zipfile.ZipFile, path: str) -> list[tuple[int, int, int, int]]:
    """Count a sheet's rows and cells and find its widest column in its bytes, before any row
    is read; return its merged ranges (min row, min col, max row, max col)."""
    from openpyxl.utils.cell import column_index_from_string, range_boundaries

    cells = rows = 0
    merged = []
    for piece in _xml_chunks(archive, path):
        cells += len(CELL_TAG.findall(piece))
        rows += len(ROW_TAG.findall(piece))
        if cells > MAX_CELLS:
            raise _too_many_cells()
        if rows > MAX_SHEET_ROWS:
            raise _too_many_rows()
        for letters in set(CELL_COLUMN.findall(piece)):
            if len(letters) > 3 or column_index_from_string(letters.decode().upper()) > MAX_COLUMNS:
                raise UnreadableFile(_("The file has more than %(max)d columns.",
                                       max=MAX_COLUMNS))
        for ref in MERGE.findall(piece):
            min_col, min_row, max_col, max_row = range_boundaries(ref.decode().upper())
            if max_col > MAX_COLUMNS:
                raise UnreadableFile(_("The file has more than %(max)d columns.",
                                       max=MAX_COLUMNS))
            merged.append((min_row, min_col, max_row, max_col))
    return merged


def _read_xlsx(data: bytes, mapping=None) -> Sheet:
    from .xlsx import TooMuchText, Workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        _check_xlsx(archive)
        workbook = Workbook(archive, max_text=MAX_TEXT, max_strings=MAX_CELLS)
        path = workbook.sheet_path("services")
        merged = _measure_sheet(archive, path)
        values = _fill_merged(workbook.rows(path), merged)
    except UnreadableFile:
        raise
    except TooMuchText:
        raise UnreadableFile(_("The file holds more text than the import takes at once (%(max)d "
                               "million characters). Please split it.",
                               max=MAX_TEXT // 1_000_000)) from None
    except Exception:  # a damaged or foreign zip, broken XML: many kinds of errors
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
    return _sheet(columns, header, iter(rows), len(rows), notes)


def _fill_merged(rows, merged) -> list[tuple[int, tuple]]:
    """Copy each merged range's value into all its cells; rows come as (number, cells)."""
    numbered = []
    for count, (number, row) in enumerate(rows, start=1):
        if count > MAX_SHEET_ROWS or number > 1_048_576:
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
                    if max_row - min_row > MAX_ROWS:
                        continue  # a merge down the whole sheet fills the rows that exist
                    row = by_number[number] = []
                    numbered.append((number, row))
                row.extend([None] * (max_col - len(row)))
                for col in range(min_col, max_col + 1):
                    row[col - 1] = value
        numbered.sort(key=lambda item: item[0])
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
