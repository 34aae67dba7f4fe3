"""CCCD and tax code validation against known numbers, and their properties under Hypothesis."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from identity.birth_provinces import BIRTH_PROVINCES
from identity.numbers import (
    InvalidNumber,
    NumberError,
    SensitiveNumber,
    Sex,
    TaxIdKind,
    mask,
    parse_cccd,
    parse_tax_code,
    parse_tax_identifier,
    validate_cccd,
)

PROVINCES_JSON = Path(__file__).resolve().parents[2] / "fixtures" / "regions" / "provinces.json"


def test_the_birth_province_list_is_the_63_former_provinces() -> None:
    provinces = json.loads(PROVINCES_JSON.read_text(encoding="utf-8"))["provinces"]
    former = {f["code"] for p in provinces for f in p["former_provinces"]}
    assert len(BIRTH_PROVINCES) == 63
    assert set(BIRTH_PROVINCES) == {"0" + code for code in former}


def test_a_known_number() -> None:
    cccd = parse_cccd("068 185 001 234", birth_date=date(1985, 3, 14), sex=Sex.FEMALE)
    assert (cccd.province_code, cccd.province_name, cccd.sex, cccd.birth_year) == ("068", "Lâm Đồng", Sex.FEMALE, 1985)
    assert cccd.number.reveal() == "068185001234"
    assert validate_cccd("001203012345", birth_date=date(2003, 1, 2)) == "001203012345"  # Hà Nội, male, 2003


@pytest.mark.parametrize(
    ("value", "birth_date", "sex", "code"),
    [
        ("06818500123", None, None, NumberError.CCCD_FORMAT),
        ("0681850012345", None, None, NumberError.CCCD_FORMAT),
        ("06818500123a", None, None, NumberError.CCCD_FORMAT),
        ("०६८१८५००१२३४", None, None, NumberError.CCCD_FORMAT),  # Devanagari digits are not ours
        ("003185001234", None, None, NumberError.CCCD_UNKNOWN_PROVINCE),  # 003 was never a province
        ("097185001234", None, None, NumberError.CCCD_UNKNOWN_PROVINCE),
        ("068185001234", date(2085, 3, 14), None, NumberError.CCCD_CENTURY_MISMATCH),
        ("068185001234", date(1986, 3, 14), None, NumberError.CCCD_BIRTH_YEAR_MISMATCH),
        ("068185001234", None, Sex.MALE, NumberError.CCCD_SEX_MISMATCH),
        ("068485001234", None, None, NumberError.CCCD_BIRTH_IN_FUTURE),  # 2185
    ],
)
def test_malformed_numbers_get_a_code(value: str, birth_date: date | None, sex: Sex | None, code: NumberError) -> None:
    with pytest.raises(InvalidNumber) as caught:
        parse_cccd(value, birth_date=birth_date, sex=sex, today=date(2026, 11, 26))
    assert caught.value.code is code


births = st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 11, 26))


@given(st.sampled_from(sorted(BIRTH_PROVINCES)), births, st.sampled_from(list(Sex)), st.integers(0, 999_999))
def test_every_well_formed_number_parses_back(province: str, born: date, sex: Sex, serial: int) -> None:
    marker = 2 * ((born.year - 1900) // 100) + (1 if sex is Sex.FEMALE else 0)
    number = f"{province}{marker}{born.year % 100:02d}{serial:06d}"
    cccd = parse_cccd(number, birth_date=born, sex=sex, today=date(2026, 11, 26))
    assert (cccd.province_code, cccd.sex, cccd.birth_year) == (province, sex, born.year)


@given(births, st.integers(0, 999_999))
def test_the_birth_year_digits_must_agree(born: date, serial: int) -> None:
    wrong_year = (born.year + 1) % 100
    marker = 2 * ((born.year - 1900) // 100)
    with pytest.raises(InvalidNumber):
        parse_cccd(f"068{marker}{wrong_year:02d}{serial:06d}", birth_date=born, today=date(2026, 11, 26))


@pytest.mark.parametrize(
    ("value", "base", "branch"),
    [
        ("0100233488", "0100233488", None),
        ("0314409058-002", "0314409058", "002"),
        ("0314409058002", "0314409058", "002"),
    ],
)
def test_tax_codes(value: str, base: str, branch: str | None) -> None:
    code = parse_tax_code(value)
    assert (code.base, code.branch) == (base, branch)
    assert code.formatted == (f"{base}-{branch}" if branch else base)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("0100233480", NumberError.TAX_CODE_CHECKSUM),
        ("12345", NumberError.TAX_CODE_LENGTH),
        ("", NumberError.TAX_CODE_LENGTH),
        ("01002334AB", NumberError.TAX_CODE_FORMAT),
        ("0100000000", NumberError.TAX_CODE_COMPONENT),
        ("0314409058-000", NumberError.TAX_CODE_COMPONENT),
    ],
)
def test_malformed_tax_codes(value: str, code: NumberError) -> None:
    with pytest.raises(InvalidNumber) as caught:
        parse_tax_code(value)
    assert caught.value.code is code


WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9).filter(lambda s: s[2:] != "0000000"))
def test_at_most_one_check_digit_and_the_published_formula(prefix: str) -> None:
    valid = [d for d in "0123456789" if _is_valid(prefix + d)]
    remainder = sum(w * int(n) for w, n in zip(WEIGHTS, prefix, strict=True)) % 11
    assert valid == ([] if remainder == 0 else [str(10 - remainder)])


@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.integers(0, 8), st.integers(1, 9))
def test_any_single_digit_change_is_caught(prefix: str, position: int, delta: int) -> None:
    remainder = sum(w * int(n) for w, n in zip(WEIGHTS, prefix, strict=True)) % 11
    if remainder == 0 or prefix[2:] == "0000000":
        return
    number = prefix + str(10 - remainder)
    changed = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1 :]
    assert _is_valid(number) and not _is_valid(changed)


def _is_valid(number: str) -> bool:
    try:
        parse_tax_code(number)
    except InvalidNumber:
        return False
    return True


def test_tax_identifiers_take_either_number() -> None:
    assert parse_tax_identifier("068185001234").kind is TaxIdKind.PERSONAL_ID
    assert parse_tax_identifier("0314409058-002").kind is TaxIdKind.TAX_CODE
    with pytest.raises(InvalidNumber) as caught:
        parse_tax_identifier("068185001234", birth_date=date(1990, 1, 1))
    assert caught.value.code is NumberError.CCCD_BIRTH_YEAR_MISMATCH


def test_masking_and_sensitive_numbers() -> None:
    assert mask("012345678905") == "0**********5"
    assert mask("0314409058-002", keep_start=2, keep_end=3) == "03********-002"
    number = SensitiveNumber("068185001234")
    assert repr(number) == "SensitiveNumber('0**********4')" and str(number) == f"{number}" == "0**********4"
    assert number.last_digits() == "1234" and number == SensitiveNumber("068185001234")
    assert number.fingerprint("k1") == SensitiveNumber("068185001234").fingerprint("k1") != number.fingerprint("k2")
    assert "068185001234" not in number.fingerprint("k1")


@given(st.text(alphabet="0123456789", min_size=3, max_size=20))
def test_masks_keep_length_and_hide_the_middle(digits: str) -> None:
    masked = mask(digits)
    assert len(masked) == len(digits) and masked[0] == digits[0] and masked[-1] == digits[-1]
    assert set(masked[1:-1]) <= {"*"}
