"""Buyers see published, unhidden products of approved sellers; staff and admins see more."""

from __future__ import annotations

import pytest
from django.utils import timezone

from backend.sellers.models import SellerStatus
from storefront_api.core.ids import global_id
from tests.catalog.operations import PRODUCT, PRODUCTS

pytestmark = pytest.mark.django_db


def listed(gql, user=None, **variables):
    data = gql(PRODUCTS, {"first": 50, **variables}, user=user).data["products"]
    return {edge["node"]["slug"] for edge in data["edges"]}


def fetched(gql, product, user=None):
    by_id = gql(PRODUCT, {"id": global_id("Product", product.pk)}, user=user).data["product"]
    by_slug = gql(PRODUCT, {"slug": product.slug}, user=user).data["product"]
    assert (by_id is None) == (by_slug is None)
    return by_id


@pytest.fixture
def shelf(make_product, seller):
    public = make_product(10_000, slug="cong-khai")
    draft = make_product(10_000, slug="nhap", is_published=False)
    hidden = make_product(10_000, slug="bi-an", hidden_at=timezone.now(), hidden_reason="Giả OCOP")
    return {"public": public, "draft": draft, "hidden": hidden}


def test_buyers_see_only_public_products(gql, shelf, make_user) -> None:
    for user in (None, make_user()):
        assert listed(gql, user) == {"cong-khai"}
        assert fetched(gql, shelf["public"], user)["slug"] == "cong-khai"
        assert fetched(gql, shelf["draft"], user) is None
        assert fetched(gql, shelf["hidden"], user) is None


def test_suspended_sellers_products_disappear_for_buyers(gql, shelf, seller, staff) -> None:
    seller.status = SellerStatus.SUSPENDED
    seller.save()
    assert listed(gql) == set()
    assert fetched(gql, shelf["public"]) is None
    # Their staff still see everything of their own.
    assert listed(gql, staff) == {"cong-khai", "nhap", "bi-an"}
    assert fetched(gql, shelf["public"], staff)["slug"] == "cong-khai"


def test_staff_see_their_drafts_and_hidden_products(gql, shelf, seller, staff) -> None:
    mine = listed(gql, staff, filter={"seller": global_id("Seller", seller.pk)})
    assert mine == {"cong-khai", "nhap", "bi-an"}
    draft = fetched(gql, shelf["draft"], staff)
    assert draft["isPublished"] is False
    assert fetched(gql, shelf["hidden"], staff)["isHidden"] is True


def test_other_sellers_staff_see_only_public_products(gql, shelf, other_staff) -> None:
    assert listed(gql, other_staff) == {"cong-khai"}
    assert fetched(gql, shelf["draft"], other_staff) is None


def test_province_admins_see_their_scope_only(gql, shelf, lam_dong_admin, khanh_hoa_admin) -> None:
    assert listed(gql, lam_dong_admin) == {"cong-khai", "nhap", "bi-an"}
    assert fetched(gql, shelf["hidden"], lam_dong_admin)["isHidden"] is True
    assert listed(gql, khanh_hoa_admin) == {"cong-khai"}
    assert fetched(gql, shelf["draft"], khanh_hoa_admin) is None


def test_superusers_see_everything(gql, shelf, make_user) -> None:
    root = make_user(is_superuser=True, is_staff=True)
    assert listed(gql, root) == {"cong-khai", "nhap", "bi-an"}


def test_unknown_product_is_null_and_bad_ids_are_errors(gql, shelf) -> None:
    assert gql(PRODUCT, {"slug": "khong-co"}).data["product"] is None
    assert gql(PRODUCT, {}).data["product"] is None
    result = gql(PRODUCT, {"id": "not-an-id"})
    assert result.errors and result.errors[0]["extensions"]["code"] == "INVALID"
