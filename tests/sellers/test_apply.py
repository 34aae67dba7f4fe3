"""sellerApply: input validation, slugs, defaults."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.core.errors import ValidationFailed
from backend.sellers.models import Seller
from backend.sellers.validators import normalize_tax_code, slug_base
from tests.factories import SellerFactory
from tests.sellers.operations import SELLER_APPLY
from tests.sellers.test_journey import apply_input

pytestmark = pytest.mark.django_db


def errors(result):
    return [(e["field"], e["code"]) for e in result.payload("sellerApply")["errors"]]


@pytest.mark.parametrize("tax_code", ["0312345673", "0312345673-001", " 0312345673-001 ", "", None])
def test_valid_tax_codes(gql, buyer, lam_vien, tax_code) -> None:
    result = gql(SELLER_APPLY, {"input": apply_input(lam_vien, taxCode=tax_code)}, user=buyer)
    assert errors(result) == []
    assert Seller.objects.get().tax_code == (tax_code or "").strip()


@pytest.mark.parametrize(
    ("tax_code", "english", "vietnamese"),
    [
        ("12345", "10 digits, or 13", "10 chữ số"),
        ("0312345673-1", "10 digits, or 13", "10 chữ số"),
        ("031234567", "10 digits, or 13", "10 chữ số"),
        ("03123456739", "10 digits, or 13", "10 chữ số"),
        ("0312345673-0012", "10 digits, or 13", "10 chữ số"),
        ("03123456AB", "digits only", "chỉ gồm chữ số"),
        ("0312345678", "check digit", "chữ số kiểm tra"),
        ("0312345673-000", "branch 000", "000"),
    ],
)
def test_invalid_tax_codes(gql, buyer, lam_vien, tax_code, english, vietnamese) -> None:
    result = gql(SELLER_APPLY, {"input": apply_input(lam_vien, taxCode=tax_code)}, user=buyer, lang="en")
    assert errors(result) == [("taxCode", "INVALID")]
    assert english in result.payload("sellerApply")["errors"][0]["message"]
    result = gql(SELLER_APPLY, {"input": apply_input(lam_vien, taxCode=tax_code)}, user=buyer)
    message = result.payload("sellerApply")["errors"][0]["message"]
    assert vietnamese in message
    assert not Seller.objects.exists()


@pytest.mark.parametrize(("phone", "code"), [("12345", "INVALID"), ("+1 202 555 0123", "INVALID"), ("", "REQUIRED")])
def test_invalid_phone(gql, buyer, lam_vien, phone, code) -> None:
    result = gql(SELLER_APPLY, {"input": apply_input(lam_vien, phone=phone)}, user=buyer)
    assert errors(result) == [("phone", code)]
    assert not Seller.objects.exists()


def test_all_invalid_fields_are_reported_together(gql, buyer, lam_vien) -> None:
    result = gql(SELLER_APPLY, {"input": apply_input(lam_vien, name=" ", phone="1", taxCode="1")}, user=buyer)
    assert errors(result) == [("name", "REQUIRED"), ("phone", "INVALID"), ("taxCode", "INVALID")]


def test_unknown_commune(gql, buyer, lam_vien) -> None:
    from storefront_api.core.ids import global_id

    data = {**apply_input(lam_vien), "commune": global_id("Commune", 999999)}
    result = gql(SELLER_APPLY, {"input": data}, user=buyer)
    assert errors(result) == [("commune", "NOT_FOUND")]


def test_anonymous_must_sign_in(gql, lam_vien) -> None:
    result = gql(SELLER_APPLY, {"input": apply_input(lam_vien)})
    assert result.error_codes("sellerApply") == ["AUTHENTICATION_REQUIRED"]
    assert not Seller.objects.exists()


def test_slug_is_folded_and_made_unique(gql, buyer, lam_vien) -> None:
    SellerFactory(name="Đặc sản Lâm Đồng", slug="dac-san-lam-dong", commune=lam_vien)
    SellerFactory(name="Đặc sản Lâm Đồng 2", slug="dac-san-lam-dong-2", commune=lam_vien)
    result = gql(SELLER_APPLY, {"input": apply_input(lam_vien, name="Đặc sản Lâm Đồng")}, user=buyer)
    assert result.payload("sellerApply")["seller"]["slug"] == "dac-san-lam-dong-3"


def test_commission_defaults_from_settings(gql, buyer, lam_vien, settings) -> None:
    settings.SELLER_DEFAULT_COMMISSION_BP = 750
    result = gql(SELLER_APPLY, {"input": apply_input(lam_vien)}, user=buyer)
    assert result.payload("sellerApply")["seller"]["commissionRateBp"] == 750


def test_a_user_may_own_several_sellers(gql, buyer, lam_vien) -> None:
    for name in ("Nông trại A", "Nông trại B"):
        assert errors(gql(SELLER_APPLY, {"input": apply_input(lam_vien, name=name)}, user=buyer)) == []
    from backend.sellers.selectors import sellers_of_user

    assert [s.name for s in sellers_of_user(user=buyer)] == ["Nông trại A", "Nông trại B"]


def test_slug_base_folds_vietnamese() -> None:
    assert slug_base("HTX Nông nghiệp Đà Lạt") == "htx-nong-nghiep-da-lat"
    assert slug_base("Cà phê Cầu Đất – K'Ho") == "ca-phe-cau-dat-kho"
    assert slug_base("!!!") == "seller"


def _check_digit(nine: str) -> int:
    return 10 - sum(int(d) * w for d, w in zip(nine, (31, 29, 23, 19, 17, 13, 7, 5, 3), strict=True)) % 11


@given(
    st.from_regex(r"[0-9]{2}(?!0000000)[0-9]{7}", fullmatch=True),
    st.from_regex(r"(-(?!000)[0-9]{3})?", fullmatch=True),
)
def test_every_tax_code_with_its_check_digit_is_accepted(nine: str, branch: str) -> None:
    check = _check_digit(nine)
    if check == 10:  # a remainder of 0 is never issued
        return
    code = f"{nine}{check}{branch}"
    assert normalize_tax_code(code) == code
    wrong = f"{nine}{(check + 1) % 10}{branch}"
    with pytest.raises(ValidationFailed):
        normalize_tax_code(wrong)


@given(st.text(alphabet="0123456789-", max_size=16))
def test_tax_code_parser_never_accepts_other_shapes(text: str) -> None:
    import re

    try:
        result = normalize_tax_code(text)
    except ValidationFailed as exc:
        assert exc.details[0].field == "taxCode"
    else:
        assert result == "" or re.fullmatch(r"\d{10}(-\d{3})?", result)
