"""Read the cells of one XLSX sheet by streaming its XML: a few microseconds a cell.

openpyxl builds an object per cell (rich text, styles) and takes minutes on a 20 MB sheet; the
import needs only each cell's value. Shared strings, inline strings, numbers, booleans and the
cells whose number format is a date or a time (read as `datetime`/`time`, as openpyxl would)
are understood; formulas give their cached value. Callers check the archive first
(`files._check_xlsx`: no entity declarations, bounded sizes).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from xml.etree.ElementTree import iterparse

from openpyxl.utils.cell import column_index_from_string

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DATE_FORMAT_IDS = set(range(14, 23)) | {45, 46, 47}
DATE_CODE = re.compile(r"[dmyhs]", re.IGNORECASE)
EPOCH_1900, EPOCH_1904 = datetime(1899, 12, 30), datetime(1904, 1, 1)
ROW, CELL = f"{MAIN}row", f"{MAIN}c"


class TooMuchText(ValueError):
    """The cells hold more text than the reader was allowed to keep."""


class Workbook:
    """The parts of an XLSX archive that give its cells' values; at most `max_text` characters
    of text in all (shared strings and text written in cells) and `max_strings` shared
    strings, else TooMuchText."""

    def __init__(self, archive: zipfile.ZipFile, max_text: int | None = None,
                 max_strings: int | None = None):
        self.archive = archive
        self.text_left = max_text if max_text is not None else float("inf")
        self.max_strings = max_strings if max_strings is not None else float("inf")
        self.sheets, self.epoch = self._sheets()
        self.strings = self._shared_strings()
        self.date_styles = self._date_styles()

    def sheet_path(self, preferred: str = "services") -> str:
        """The sheet named `preferred`, else the first one."""
        for name, path in self.sheets:
            if name == preferred:
                return path
        return self.sheets[0][1]

    def _sheets(self) -> tuple[list[tuple[str, str]], datetime]:
        targets = {}
        with self.archive.open("xl/_rels/workbook.xml.rels") as stream:
            for _event, element in iterparse(stream):
                if element.tag == f"{PACKAGE_REL}Relationship":
                    target = element.get("Target", "")
                    path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                        posixpath.join("xl", target))
                    targets[element.get("Id")] = path
        sheets, epoch = [], EPOCH_1900
        with self.archive.open("xl/workbook.xml") as stream:
            for _event, element in iterparse(stream):
                if element.tag == f"{MAIN}sheet":
                    path = targets.get(element.get(f"{REL}id"))
                    if path:
                        sheets.append((element.get("name", ""), path))
                elif element.tag == f"{MAIN}workbookPr" and element.get("date1904") in (
                        "1", "true"):
                    epoch = EPOCH_1904
        if not sheets:
            raise ValueError("no sheet")
        return sheets, epoch

    def _shared_strings(self) -> list[str]:
        if "xl/sharedStrings.xml" not in self.archive.namelist():
            return []
        strings = []
        with self.archive.open("xl/sharedStrings.xml") as stream:
            for _event, element in iterparse(stream):
                if element.tag == f"{MAIN}si":
                    if len(strings) >= self.max_strings:
                        raise TooMuchText
                    strings.append(self._kept(_text_of(element)))
                    element.clear()
        return strings

    def _date_styles(self) -> set[int]:
        """The indexes of the cell styles whose number format shows a date or a time."""
        if "xl/styles.xml" not in self.archive.namelist():
            return set()
        custom, formats, in_cell_xfs = {}, [], False
        with self.archive.open("xl/styles.xml") as stream:
            for event, element in iterparse(stream, events=("start", "end")):
                if element.tag == f"{MAIN}cellXfs":
                    in_cell_xfs = event == "start"
                elif event == "end" and element.tag == f"{MAIN}numFmt":
                    code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", element.get("formatCode", ""))
                    custom[int(element.get("numFmtId", "0"))] = bool(DATE_CODE.search(code))
                elif event == "end" and element.tag == f"{MAIN}xf" and in_cell_xfs:
                    formats.append(int(element.get("numFmtId", "0")))
        return {index for index, number in enumerate(formats)
                if number in DATE_FORMAT_IDS or custom.get(number, False)}

    def rows(self, path: str) -> Iterator[tuple[int, list]]:
        """Yield (row number from 1, [values]) for each row that has any cell.

        Only end events: a row's cells are its children when the row ends, then cleared."""
        columns: dict[str, int] = {}
        number = 0
        with self.archive.open(path) as stream:
            for _event, element in iterparse(stream):
                if element.tag != ROW:
                    continue
                number = int(element.get("r") or number + 1)
                cells = self._cells(element, columns)
                element.clear()
                if cells:
                    yield number, cells

    def _cells(self, row, columns: dict[str, int]) -> list:
        """The values of a row's cells at their columns' places (None where no cell is)."""
        cells: list = []
        for cell in row:
            if cell.tag != CELL:
                continue
            value = self._value(cell)
            if value is None:
                continue
            letters = (cell.get("r") or "").rstrip("0123456789")
            if letters:
                index = columns.get(letters)
                if index is None:
                    index = columns[letters] = column_index_from_string(letters) - 1
            else:
                index = len(cells)
            if index >= len(cells):
                cells.extend([None] * (index + 1 - len(cells)))
            cells[index] = value
        return cells

    def _kept(self, text: str) -> str:
        self.text_left -= len(text)
        if self.text_left < 0:
            raise TooMuchText
        return text

    def _value(self, cell):
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            found = cell.find(f"{MAIN}is")
            return self._kept(_text_of(found)) if found is not None else None
        raw = cell.findtext(f"{MAIN}v")
        if raw is None:
            return None
        if kind == "s":
            return self.strings[int(raw)]
        if kind in ("str", "e"):
            return self._kept(raw)
        if kind == "b":
            return raw == "1"
        if kind == "d":
            return datetime.fromisoformat(raw)
        number = float(raw)
        if int(cell.get("s") or 0) in self.date_styles:
            moment = self.epoch + timedelta(days=number)
            if number < 1:
                return time(moment.hour, moment.minute, moment.second)
            return moment.replace(microsecond=0)
        return int(number) if number.is_integer() and "." not in raw and "E" not in raw.upper() \
            else number


def _text_of(element) -> str:
    """The text of a string item, its phonetic runs left out."""
    if len(element) == 1 and element[0].tag == f"{MAIN}t":  # the common case: one plain text
        return element[0].text or ""
    phonetic = {id(node) for run in element.iter(f"{MAIN}rPh") for node in run.iter()}
    return "".join(node.text for node in element.iter(f"{MAIN}t")
                   if node.text and id(node) not in phonetic)
