"""Reading an import spreadsheet (CSV or XLSX) into rows of named cells: headers matched without
accents or case, in English or Vietnamese; the row type from a `type` column or the XLSX sheet."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from backend.core.errors import ValidationFailed
from backend.core.text import search_key

MAX_BYTES = 5 * 1024 * 1024
# Folded header → field. English names first, then Vietnamese ones seen in provincial sheets.
HEADERS = {
    "type": "type",
    "loai dong": "type",
    "name": "name",
    "ten": "name",
    "kind": "kind",
    "loai hinh": "kind",
    "commune": "commune",
    "xa phuong": "commune",
    "xa phuong moi": "commune",
    "ward": "ward",
    "xa phuong cu": "ward",
    "district": "district",
    "huyen": "district",
    "quan huyen": "district",
    "province": "province",
    "tinh": "province",
    "address": "address",
    "dia chi": "address",
    "phone": "phone",
    "dien thoai": "phone",
    "so dien thoai": "phone",
    "tax code": "tax_code",
    "tax_code": "tax_code",
    "ma so thue": "tax_code",
    "mst": "tax_code",
    "email": "email",
    "seller": "seller",
    "nguoi ban": "seller",
    "category": "category",
    "danh muc": "category",
    "unit": "unit",
    "don vi": "unit",
    "don vi tinh": "unit",
    "price": "price",
    "gia": "price",
    "stock": "stock",
    "ton kho": "stock",
    "so luong": "stock",
    "sku": "sku",
    "variant": "variant",
    "quy cach": "variant",
}
ROW_TYPES = {
    "seller": "seller",
    "sellers": "seller",
    "nguoi ban": "seller",
    "ban": "seller",
    "product": "product",
    "products": "product",
    "san pham": "product",
}


@dataclass
class _Row:
    sheet: str
    number: int  # as the spreadsheet shows it (the header is row 1)
    values: dict[str, str]

    def get(self, name: str) -> str:
        return (self.values.get(name) or "").strip()


def _header(text: Any) -> str:
    key = search_key(str(text or "")).replace("_", " ")
    return HEADERS.get(key, HEADERS.get(key.replace(" ", "_"), key))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(sheet: str, rows: list[list[Any]], default_type: str = "") -> list[_Row]:
    if not rows:
        return []
    headers = [_header(h) for h in rows[0]]
    result = []
    for index, raw in enumerate(rows[1:], start=2):
        values = {headers[i]: _cell(v) for i, v in enumerate(raw) if i < len(headers) and headers[i]}
        if not any(v.strip() for v in values.values()):
            continue
        if default_type and not values.get("type"):
            values["type"] = default_type
        result.append(_Row(sheet=sheet, number=index, values=values))
    return result


def read_rows(*, file_name: str, content: bytes) -> list[_Row]:
    """The data rows of a CSV or XLSX file (empty rows dropped)."""
    if len(content) > MAX_BYTES:
        raise ValidationFailed(_("The file is too large (at most 5 MB)."), field="file")
    if file_name.lower().endswith(".xlsx"):
        return _read_xlsx(content)
    if file_name.lower().endswith(".csv"):
        return _read_csv(content)
    raise ValidationFailed(_("Upload a .csv or .xlsx file."), field="file")


def _read_csv(content: bytes) -> list[_Row]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed(_("Save the CSV file as UTF-8."), field="file") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return _table("csv", [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)])


def _read_xlsx(content: bytes) -> list[_Row]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise ValidationFailed(_("This is not a readable .xlsx file."), field="file") from None
    rows: list[_Row] = []
    for sheet in book.worksheets:
        kind = ROW_TYPES.get(search_key(sheet.title), "")
        rows.extend(_table(sheet.title, [list(r) for r in sheet.iter_rows(values_only=True)], default_type=kind))
    book.close()
    return rows
