"""Reading COD statements: amounts and dates however carriers write them, header rows below a title
block, CSV or XLSX, and every row handed back, unreadable values flagged rather than dropped."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shipping.errors import InvalidStatement
from shipping.statements import StatementColumns, parse_amount, parse_date, parse_statement, write_csv

COLUMNS = StatementColumns(carrier_code=("Mã vận đơn",), cod_amount=("Tiền thu hộ",), fee=("Phí",))


def _grouped(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


@given(
    amount=st.integers(0, 10**11),
    sep=st.sampled_from([".", ",", " ", ""]),
    suffix=st.sampled_from(["", " đ", "đ", " VND", " vnđ"]),
)
def test_amounts_in_every_written_form(amount: int, sep: str, suffix: str) -> None:
    text = (_grouped(amount, sep) if sep else str(amount)) + suffix
    assert parse_amount(text) == amount
    assert parse_amount(f"-{text}") == -amount and parse_amount(f"({text})") == -amount


@pytest.mark.parametrize("text", ["1250000.00", "1250000,0"])
def test_whole_decimals_are_read(text: str) -> None:
    assert parse_amount(text) == 1_250_000


@pytest.mark.parametrize("text", ["12.5", "abc", "1.25.000", "1,2345", "", "đ"])
def test_unreadable_amounts(text: str) -> None:
    assert parse_amount(text) is None


@given(day=st.dates(date(2000, 1, 1), date(2099, 12, 31)))
def test_dates_in_every_written_form(day: date) -> None:
    for text in (
        day.strftime("%d/%m/%Y"),
        day.strftime("%d/%m/%Y %H:%M"),
        day.isoformat(),
        f"{day.isoformat()} 10:30:00",
    ):
        assert parse_date(text) == day


def test_unreadable_values_are_flagged_and_the_row_kept() -> None:
    content = write_csv(
        ["Mã vận đơn", "Tiền thu hộ", "Phí"],
        [["A1", "100.000", "15.000"], ["A2", "một trăm", "15.000"], ["", "50.000", ""], ["A3", "", "1"]],
    )
    lines = parse_statement(content, carrier_id="x", columns=COLUMNS).lines
    assert [(line.line_no, line.carrier_code, line.cod_amount, line.problems) for line in lines] == [
        (2, "A1", 100_000, ()),
        (3, "A2", None, ("COD_AMOUNT_UNREADABLE",)),
        (4, "", 50_000, ("SHIPMENT_CODE_MISSING",)),
        (5, "A3", None, ("COD_AMOUNT_MISSING",)),
    ]
    assert lines[1].raw == {"Mã vận đơn": "A2", "Tiền thu hộ": "một trăm", "Phí": "15.000"}


def test_header_names_match_whatever_the_case_and_accents() -> None:
    # Excel's "Unicode text" export: UTF-16 with a BOM, tab-separated.
    content = "MA VAN DON\tTIỀN THU HỘ\tphí\nB7\t1.000\t0\n".encode("utf-16")
    (line,) = parse_statement(content, carrier_id="x", columns=COLUMNS, filename="b.csv").lines
    assert (line.carrier_code, line.cod_amount, line.fee) == ("B7", 1_000, 0)


def test_an_old_windows_1258_export() -> None:
    content = "Ma van don;Tien thu ho;Phí\nC9;2.000;500\n".encode("cp1258")
    (line,) = parse_statement(content, carrier_id="x", columns=COLUMNS, filename="c.csv").lines
    assert (line.carrier_code, line.cod_amount, line.fee) == ("C9", 2_000, 500)


def test_a_file_without_the_header_row_is_refused() -> None:
    with pytest.raises(InvalidStatement):
        parse_statement(write_csv(["Mã", "Số tiền"], [["A", "1"]]), carrier_id="x", columns=COLUMNS)
    with pytest.raises(InvalidStatement):
        parse_statement(b"", carrier_id="x", columns=COLUMNS)
    with pytest.raises(InvalidStatement):
        parse_statement(b"PK\x03\x04 not really a workbook", carrier_id="x", columns=COLUMNS)
