"""Sellers' tax identity: tax status, CCCD and tax code checked, encrypted at rest, masked in the API."""

from __future__ import annotations

import pytest
from django.db import connection

from backend.core.crypto import blind_index
from backend.sellers.models import Seller, TaxStatus
from tests.factories import SellerFactory, add_staff
from tests.sellers.conftest import gid
from tests.sellers.operations import SELLER_APPLY

pytestmark = pytest.mark.django_db

CCCD = "068085012345"  # Lâm Đồng, a man born in 1985
TAX_FIELDS = "taxCode taxStatus taxWithheld personalId businessRegistrationNo identityVerifiedAt"
SELLER_TAX = f"query Seller($id: ID) {{ seller(id: $id) {{ {TAX_FIELDS} }} }}"


def household_input(commune, **overrides):
    return {
        "name": "Hộ Nguyễn Văn An",
        "kind": "HOUSEHOLD",
        "commune": gid(commune),
        "phone": "0903 123 456",
        "personalId": CCCD,
        **overrides,
    }


def raw_columns(seller: Seller) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tax_code, personal_id FROM sellers_seller WHERE id = %s", [seller.pk])
        return cursor.fetchone()


def test_numbers_are_encrypted_in_the_database_and_masked_in_the_api(gql, buyer, lam_vien) -> None:
    variables = {"input": household_input(lam_vien, taxCode="0312345673")}
    payload = gql(SELLER_APPLY, variables, user=buyer).payload("sellerApply")
    assert payload["errors"] == []
    seller = Seller.objects.get()
    raw_tax_code, raw_personal_id = raw_columns(seller)
    for raw, plain in ((raw_tax_code, "0312345673"), (raw_personal_id, CCCD)):
        assert raw.startswith("gAAAAA")  # a Fernet token
        assert plain not in raw and plain[-6:] not in raw
    assert (seller.tax_code, seller.personal_id) == ("0312345673", CCCD)
    assert seller.personal_id_index == blind_index(CCCD, purpose="personal-id")
    assert Seller.objects.filter(tax_code_index=blind_index("0312345673", purpose="tax-code")).get() == seller

    own = gql(SELLER_TAX, {"id": gid(seller)}, user=buyer).data["seller"]  # the applicant owns it
    assert own == {
        "taxCode": "0********3",
        "taxStatus": "HOUSEHOLD",
        "taxWithheld": True,
        "personalId": "0**********5",
        "businessRegistrationNo": None,
        "identityVerifiedAt": None,
    }


def test_other_people_see_no_tax_identity(gql, lam_vien, province_admin) -> None:
    seller = SellerFactory(commune=lam_vien, personal_id=CCCD, tax_code="0312345673", kind="HOUSEHOLD")
    stranger = add_staff(SellerFactory(commune=lam_vien))
    for user in (None, stranger):
        data = gql(SELLER_TAX, {"id": gid(seller)}, user=user).data["seller"]
        assert set(data.values()) == {None}
    admin_view = gql(SELLER_TAX, {"id": gid(seller)}, user=province_admin).data["seller"]
    assert admin_view["personalId"] == "0**********5"


@pytest.mark.parametrize(
    ("kind", "status", "withheld"),
    [
        ("HOUSEHOLD", TaxStatus.HOUSEHOLD, True),
        ("COOPERATIVE", TaxStatus.COOPERATIVE, False),
        ("ENTERPRISE", TaxStatus.ENTERPRISE, False),
        ("TOUR_OPERATOR", TaxStatus.ENTERPRISE, False),
    ],
)
def test_tax_status_follows_the_kind_unless_given(gql, buyer, lam_vien, kind, status, withheld) -> None:
    payload = gql(SELLER_APPLY, {"input": household_input(lam_vien, kind=kind)}, user=buyer).payload("sellerApply")
    assert payload["errors"] == []
    seller = Seller.objects.get()
    assert (seller.tax_status, seller.tax_withheld) == (status, withheld)


def test_an_individual_tour_guide_is_withheld(gql, buyer, lam_vien) -> None:
    variables = {"input": household_input(lam_vien, kind="TOUR_OPERATOR", taxStatus="INDIVIDUAL")}
    assert gql(SELLER_APPLY, variables, user=buyer).payload("sellerApply")["errors"] == []
    assert Seller.objects.get().tax_withheld is True


@pytest.mark.parametrize(
    ("number", "english", "vietnamese"),
    [
        ("06808501234", "exactly 12 digits", "đúng 12 chữ số"),
        ("999085012345", "province of birth", "mã tỉnh nơi đăng ký khai sinh"),
        ("068985012345", "year of birth still to come", "năm sinh chưa tới"),
    ],
)
def test_malformed_cccd_numbers_get_clear_errors(gql, buyer, lam_vien, number, english, vietnamese) -> None:
    variables = {"input": household_input(lam_vien, personalId=number)}
    english_errors = gql(SELLER_APPLY, variables, user=buyer, lang="en").payload("sellerApply")["errors"]
    assert [(e["field"], e["code"]) for e in english_errors] == [("personalId", "INVALID")]
    assert english in english_errors[0]["message"]
    vietnamese_errors = gql(SELLER_APPLY, variables, user=buyer).payload("sellerApply")["errors"]
    assert vietnamese in vietnamese_errors[0]["message"] and number not in vietnamese_errors[0]["message"]
    assert not Seller.objects.exists()
