"""`sellers` and `seller`: who sees what, filters, private fields, query counts."""

from __future__ import annotations

import graphene
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend.sellers.models import MemberHousehold, SellerKind, SellerStatus
from storefront_api.core.ids import global_id
from storefront_api.sellers.types import Seller as SellerType
from tests.factories import SellerFactory, UserFactory, add_staff
from tests.sellers.conftest import gid
from tests.sellers.operations import SELLER, SELLERS

pytestmark = pytest.mark.django_db


def names(result) -> list[str]:
    assert not result.errors, result.errors
    return [edge["node"]["name"] for edge in result.data["sellers"]["edges"]]


@pytest.fixture
def every_status(lam_vien):
    return {
        status: SellerFactory(name=f"Seller {status.value.title()}", status=status, commune=lam_vien)
        for status in SellerStatus
    }


def test_buyers_and_anonymous_see_only_approved(gql, every_status, buyer) -> None:
    for user in (None, buyer):
        assert names(gql(SELLERS, {"first": 10}, user=user)) == ["Seller Approved"]
        for status, seller in every_status.items():
            found = gql(SELLER, {"id": gid(seller)}, user=user).data["seller"]
            assert (found is not None) == (status == SellerStatus.APPROVED)
            assert (gql(SELLER, {"slug": seller.slug}, user=user).data["seller"] is not None) == (
                status == SellerStatus.APPROVED
            )


def test_non_approved_status_filter_yields_nothing_for_buyers(gql, every_status, buyer) -> None:
    for status in ("PENDING", "SUSPENDED", "REJECTED"):
        result = gql(SELLERS, {"first": 10, "filter": {"status": status}}, user=buyer)
        assert names(result) == []
        assert result.data["sellers"]["totalCount"] == 0


def test_province_admin_sees_every_status_in_scope(gql, every_status, province_admin) -> None:
    assert len(names(gql(SELLERS, {"first": 10}, user=province_admin))) == 4
    pending = gql(SELLERS, {"first": 10, "filter": {"status": "PENDING"}}, user=province_admin)
    assert names(pending) == ["Seller Pending"]
    suspended = every_status[SellerStatus.SUSPENDED]
    assert gql(SELLER, {"id": gid(suspended)}, user=province_admin).data["seller"]["status"] == "SUSPENDED"


def test_admin_of_another_province_sees_only_approved(gql, every_status, other_province_admin) -> None:
    assert names(gql(SELLERS, {"first": 10}, user=other_province_admin)) == ["Seller Approved"]
    pending = every_status[SellerStatus.PENDING]
    assert gql(SELLER, {"id": gid(pending)}, user=other_province_admin).data["seller"] is None


def test_staff_see_their_own_seller_in_any_status(gql, every_status) -> None:
    suspended = every_status[SellerStatus.SUSPENDED]
    staff = add_staff(suspended, role="STAFF")
    seller = gql(SELLER, {"id": gid(suspended)}, user=staff).data["seller"]
    assert seller["status"] == "SUSPENDED"
    other_pending = every_status[SellerStatus.PENDING]
    assert gql(SELLER, {"id": gid(other_pending)}, user=staff).data["seller"] is None


def test_filters(gql, lam_vien, other_lam_dong_commune) -> None:
    SellerFactory(name="HTX Cà phê Cầu Đất", kind=SellerKind.COOPERATIVE, commune=lam_vien)
    SellerFactory(name="Hộ Đặng Văn Lâm", kind=SellerKind.HOUSEHOLD, commune=other_lam_dong_commune)
    SellerFactory(name="Du lịch Langbiang", kind=SellerKind.TOUR_OPERATOR, commune=lam_vien)

    assert names(gql(SELLERS, {"filter": {"kind": "HOUSEHOLD"}})) == ["Hộ Đặng Văn Lâm"]
    by_commune = gql(SELLERS, {"filter": {"commune": gid(other_lam_dong_commune)}})
    assert names(by_commune) == ["Hộ Đặng Văn Lâm"]
    # Accent-insensitive search, in any order of words, with or without diacritics.
    assert names(gql(SELLERS, {"filter": {"search": "cau dat"}})) == ["HTX Cà phê Cầu Đất"]
    assert names(gql(SELLERS, {"filter": {"search": "CẦU ĐẤT"}})) == ["HTX Cà phê Cầu Đất"]
    assert names(gql(SELLERS, {"filter": {"search": "dang lam"}})) == ["Hộ Đặng Văn Lâm"]
    assert names(gql(SELLERS, {"filter": {"search": "xyz"}})) == []
    combined = gql(SELLERS, {"filter": {"kind": "TOUR_OPERATOR", "commune": gid(lam_vien), "search": "lang"}})
    assert names(combined) == ["Du lịch Langbiang"]


def test_malformed_commune_filter_is_a_clear_error(gql, regions) -> None:
    result = gql(SELLERS, {"filter": {"commune": global_id("Seller", 1)}})
    assert result.errors[0]["extensions"]["code"] == "INVALID"


def test_pagination(gql, lam_vien) -> None:
    for i in range(5):
        SellerFactory(name=f"Nông trại {i}", commune=lam_vien)
    first = gql(SELLERS, {"first": 2}).data["sellers"]
    assert first["totalCount"] == 5
    assert first["pageInfo"]["hasNextPage"]
    after = gql(SELLERS, {"first": 10, "after": first["pageInfo"]["endCursor"]}).data["sellers"]
    assert [e["node"]["name"] for e in after["edges"]] == ["Nông trại 2", "Nông trại 3", "Nông trại 4"]


def test_private_fields_are_only_for_staff_and_admins(gql, approved_seller, owner, buyer, province_admin) -> None:
    MemberHousehold.objects.create(seller=approved_seller, name="Hộ K'Bròh", commune=approved_seller.commune)
    staff = add_staff(approved_seller, role="STAFF")
    other_owner = add_staff(SellerFactory(commune=approved_seller.commune))
    for user in (None, buyer, other_owner):
        seller = gql(SELLER, {"id": gid(approved_seller)}, user=user).data["seller"]
        assert seller["name"] == approved_seller.name
        assert seller["payoutAccount"] is None
        assert seller["taxCode"] is None
        assert seller["households"] is None
        assert seller["documents"] is None
        assert seller["staff"] is None
        assert seller["commissionRateBp"] is None
    for user in (owner, staff, province_admin):
        seller = gql(SELLER, {"id": gid(approved_seller)}, user=user).data["seller"]
        assert seller["payoutAccount"] == {
            "bankBin": "970436",
            "accountNumber": "0071000123456",
            "accountName": "HTX NONG NGHIEP",
        }
        assert seller["taxCode"] == "0********3"  # masked even for its staff
        assert [h["name"] for h in seller["households"]] == ["Hộ K'Bròh"]
        assert sorted(m["role"] for m in seller["staff"]) == ["OWNER", "STAFF"]


def test_payout_account_hidden_in_listings_from_other_admins(gql, approved_seller, other_province_admin) -> None:
    query = "{ sellers { edges { node { name payoutAccount { accountNumber } } } } }"
    result = gql(query, user=other_province_admin)
    assert result.data["sellers"]["edges"][0]["node"]["payoutAccount"] is None


SELLERS_CARD = """
query($first: Int) {
  sellers(first: $first) {
    edges { node { id name slug kind status commune { name province { name } } } }
  }
}
"""

SELLERS_ADMIN = """
query($first: Int) {
  sellers(first: $first) {
    edges {
      node { id name taxCode payoutAccount { accountNumber } households { name commune { name } } staff { email } }
    }
  }
}
"""


def _count(gql, query, first, user=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        result = gql(query, {"first": first}, user=user)
    assert not result.errors, result.errors
    assert len(result.data["sellers"]["edges"]) == first
    return len(queries)


def test_listing_costs_the_same_for_5_and_50(gql, lam_vien, province_admin, django_assert_max_num_queries) -> None:
    for i in range(50):
        seller = SellerFactory(name=f"Hợp tác xã {i:02d}", commune=lam_vien)
        MemberHousehold.objects.create(seller=seller, name=f"Hộ {i}", commune=lam_vien)
        add_staff(seller)
    small, large = _count(gql, SELLERS_CARD, 5), _count(gql, SELLERS_CARD, 50)
    assert small == large
    with django_assert_max_num_queries(2):  # one COUNT, one SELECT joined to commune and province
        gql(SELLERS_CARD, {"first": 50})
    # Staff-only lists are prefetched, not fetched per row.
    assert _count(gql, SELLERS_ADMIN, 5, province_admin) == _count(gql, SELLERS_ADMIN, 50, province_admin)


def test_seller_type_accepts_plain_dicts(regions, lam_vien) -> None:
    """Fast listings hand the type dicts instead of models."""
    viewer = UserFactory()

    class Query(graphene.ObjectType):
        seller = graphene.Field(SellerType)

        @staticmethod
        def resolve_seller(root, info):
            return {
                "id": 7,
                "slug": "htx-a",
                "name": "HTX A",
                "kind": "COOPERATIVE",
                "status": "APPROVED",
                "commune": lam_vien,
                "bank_account_no": "123",
            }

    class Context:
        user = viewer

    schema = graphene.Schema(query=Query)
    result = schema.execute(
        "{ seller { id slug name kind status commune { name } payoutAccount { accountNumber } logoUrl } }",
        context_value=Context(),
    )
    assert result.errors is None
    assert result.data["seller"] == {
        "id": global_id("Seller", 7),
        "slug": "htx-a",
        "name": "HTX A",
        "kind": "COOPERATIVE",
        "status": "APPROVED",
        "commune": {"name": lam_vien.name},
        "payoutAccount": None,
        "logoUrl": None,
    }
