"""Reading COD remittance statements ("bảng kê đối soát") as carriers export them: CSV or XLSX,
a title block above the header row, Vietnamese column names, amounts written "1.250.000 đ".

Each adapter declares its column names (`StatementColumns`, any spelling: they are folded before
comparing); this module finds the header row, reads every row after it and hands each back as a
`StatementLine`, never dropping or correcting one. Which rows match which shipments is the backend's."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import load_workbook

from shipping.base import CodStatement, StatementLine
from shipping.common import fold
from shipping.errors import InvalidStatement

HEADER_SEARCH_ROWS = 40


@dataclass(frozen=True)
class StatementColumns:
    """Header names for each field, as the carrier writes them (folded before comparison)."""

    carrier_code: tuple[str, ...]
    cod_amount: tuple[str, ...]
    client_order_code: tuple[str, ...] = ()
    fee: tuple[str, ...] = ()
    remitted_amount: tuple[str, ...] = ()
    remitted_on: tuple[str, ...] = ()
    remittance_reference: tuple[str, ...] = ()


_FIELDS = (
    "carrier_code",
    "client_order_code",
    "cod_amount",
    "fee",
    "remitted_amount",
    "remitted_on",
    "remittance_reference",
)


def cell_text(value: object) -> str:
    """A spreadsheet cell as text: dates as yyyy-mm-dd, whole floats without ".0"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_sheets(content: bytes) -> list[list[list[str]]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        raise InvalidStatement(f"not a readable XLSX file: {exc}") from exc
    try:
        return [[[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)] for sheet in workbook]
    finally:
        workbook.close()


def _csv_rows(content: bytes) -> list[list[str]]:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text": UTF-16 with a BOM
        text = content.decode("utf-16")
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("cp1258", errors="replace")  # older Windows exports
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]


def read_sheets(content: bytes, *, filename: str = "") -> list[list[list[str]]]:
    """Every sheet of the file as rows of text cells (a CSV file is one sheet)."""
    if not content:
        raise InvalidStatement("empty statement file")
    if content[:4] == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm")):
        return _xlsx_sheets(content)
    return [_csv_rows(content)]


_CURRENCY = re.compile(r"(?i)(vnđ|vnd|đồng|đ|d)\s*$")
_PLAIN = re.compile(r"^-?\d+$")
_GROUPED = re.compile(r"^-?\d{1,3}(?:([.,\s])\d{3})(?:\1\d{3})*$")
_DECIMAL = re.compile(r"^-?\d+[.,](\d{1,2})$")


def parse_amount(text: str) -> int | None:
    """Whole đồng from "1.250.000 đ", "1,250,000", "1 250 000", "(15.000)", "1250000.0"; None if unreadable."""
    value = _CURRENCY.sub("", text.replace("\u00a0", " ").strip()).strip()
    negative = value.startswith("(") and value.endswith(")")
    value = _CURRENCY.sub("", value.strip("()").strip()).strip()  # "(15.000 đ)" as well as "(15.000) đ"
    if value.startswith("-"):
        negative, value = True, value[1:].strip()
    if not value:
        return None
    if _PLAIN.match(value):
        amount = int(value)
    elif _GROUPED.match(value):
        amount = int(re.sub(r"[.,\s]", "", value))
    elif (decimal := _DECIMAL.match(value)) and set(decimal.group(1)) == {"0"}:
        amount = int(re.split(r"[.,]", value)[0])
    else:
        return None
    return -amount if negative else amount


_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d/%m/%y")


def parse_date(text: str) -> date | None:
    """A date from "dd/mm/yyyy[ HH:MM[:SS]]", "yyyy-mm-dd[ HH:MM:SS]" or "dd-mm-yyyy"; None otherwise."""
    value = text.strip()
    if not value:
        return None
    day_part = re.split(r"[ T]", value, maxsplit=1)[0]
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(day_part, fmt).date()
        except ValueError:
            continue
    return None


def _column_map(header: Sequence[str], columns: StatementColumns) -> dict[str, int]:
    folded = [fold(cell) for cell in header]
    found: dict[str, int] = {}
    for name in _FIELDS:
        wanted = {fold(alias) for alias in getattr(columns, name)}
        index = next((i for i, cell in enumerate(folded) if cell and cell in wanted), None)
        if index is not None:
            found[name] = index
    return found


def _find_header(rows: Sequence[Sequence[str]], columns: StatementColumns) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        mapping = _column_map(row, columns)
        if "carrier_code" in mapping and "cod_amount" in mapping:
            return index, mapping
    return None


_SUMMARY_WORDS = ("tong", "total", "cong")


def _is_summary(code: str, row: Sequence[str]) -> bool:
    """A totals row: "Tổng cộng" where the shipment code would be, or no code and a "Tổng" label."""
    if code:
        return fold(code).startswith(_SUMMARY_WORDS)
    return any(fold(cell).startswith(_SUMMARY_WORDS) for cell in row if cell)


def _line(
    line_no: int, header: Sequence[str], row: Sequence[str], mapping: dict[str, int]
) -> StatementLine | dict[str, str]:
    def cell(name: str) -> str:
        index = mapping.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    raw = {(header[i] or f"column_{i + 1}"): value for i, value in enumerate(row) if value}
    code = cell("carrier_code")
    if _is_summary(code, row):
        return raw
    problems: list[str] = [] if code else ["SHIPMENT_CODE_MISSING"]
    amounts: dict[str, int | None] = {}
    for name in ("cod_amount", "fee", "remitted_amount"):
        text = cell(name)
        amounts[name] = parse_amount(text) if text else None
        if text and amounts[name] is None:
            problems.append(f"{name.upper()}_UNREADABLE")
    if not cell("cod_amount"):
        problems.append("COD_AMOUNT_MISSING")
    remitted_text = cell("remitted_on")
    remitted_on = parse_date(remitted_text)
    if remitted_text and remitted_on is None:
        problems.append("REMITTED_ON_UNREADABLE")
    return StatementLine(
        line_no=line_no,
        carrier_code=code,
        client_order_code=cell("client_order_code"),
        cod_amount=amounts["cod_amount"],
        fee=amounts["fee"],
        remitted_amount=amounts["remitted_amount"],
        remitted_on=remitted_on,
        remittance_reference=cell("remittance_reference"),
        problems=tuple(problems),
        raw=raw,
    )


def parse_statement(content: bytes, *, carrier_id: str, columns: StatementColumns, filename: str = "") -> CodStatement:
    """Every data row of the first sheet that has the header row; InvalidStatement when none has."""
    for rows in read_sheets(content, filename=filename):
        found = _find_header(rows, columns)
        if found is None:
            continue
        header_index, mapping = found
        header = rows[header_index]
        lines: list[StatementLine] = []
        summaries: list[dict[str, str]] = []
        for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
            if not any(cell.strip() for cell in row):
                continue
            parsed = _line(offset, header, row, mapping)
            if isinstance(parsed, StatementLine):
                lines.append(parsed)
            else:
                summaries.append(parsed)
        return CodStatement(carrier_id=carrier_id, lines=tuple(lines), summary_rows=tuple(summaries))
    raise InvalidStatement(f"no header row with {columns.carrier_code[0]!r} and {columns.cod_amount[0]!r}")


def write_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A UTF-8 (with BOM, as Excel expects) CSV statement: for the sandbox and for tests."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([cell_text(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")
