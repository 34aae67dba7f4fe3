"""Each province's terms (issue 19): a seller gets its province's default commission when it
applies, its orders carry that rate, and its carriers charge its province's distance surcharges."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from backend.checkout.delivery import CARRIER_BAND_EXTRA, ensure_default_methods
from backend.orders.models import SellerOrder
from backend.regions.distance import Band
from backend.regions.models import Province
from backend.regions.terms import province_terms
from backend.sellers.models import Seller, SellerStatus
from storefront_api.core.ids import global_id
from tests.checkout.helpers import CARRIER, OWN, Shop, make_shop
from tests.checkout.operations import CHECKOUT_ADDRESS, CHECKOUT_COMPLETE
from tests.checkout.test_checkout_api import address, choose, create, line
from tests.conftest import GQL
from tests.factories import VariantFactory, commune
from tests.sellers.operations import SELLER_APPLY
from tests.sellers.test_journey import apply_input

pytestmark = pytest.mark.django_db

CHU_BAC_NINH = "07525"  # Phường Chũ (former Lục Ngạn, Bắc Giang)
HOAN_KIEM_HA_NOI = "00070"
CARRIER_BASE = 30_000  # the default carrier, a 500 g parcel


def _apply(gql: GQL, user: Any, code: str, name: str) -> dict[str, Any]:
    result = gql(SELLER_APPLY, {"input": apply_input(commune(code), name=name)}, user=user)
    payload: dict[str, Any] = result.payload("sellerApply")
    assert payload["errors"] == []
    return payload["seller"]


def test_the_file_sets_bac_ninh_and_ninh_binh_terms_and_others_fall_back(regions: None, settings: Any) -> None:
    settings.SELLER_DEFAULT_COMMISSION_BP = 650
    bac_ninh = province_terms(Province.objects.get(slug="bac-ninh"))
    assert bac_ninh.commission_bp == 400
    assert bac_ninh.carrier_band_extra == {Band.SAME: 0, Band.NEIGHBOURING: 8_000, Band.FAR: 22_000}
    assert province_terms(Province.objects.get(slug="ninh-binh")).commission_bp == 450
    lam_dong = province_terms(Province.objects.get(slug="lam-dong"))
    assert lam_dong.commission_bp == 650  # no rate in the file: the setting
    assert lam_dong.carrier_band_extra == CARRIER_BAND_EXTRA


@override_settings(SERVED_PROVINCES=["lam-dong", "bac-ninh", "ninh-binh"], SELLER_DEFAULT_COMMISSION_BP=500)
def test_a_bac_ninh_sellers_order_uses_bac_ninhs_rate(regions: None, gql: GQL, make_user: Any) -> None:
    applicant = make_user("vaithieu@example.vn")
    applied = _apply(gql, applicant, CHU_BAC_NINH, "HTX Vải thiều Chũ (demo)")
    assert applied["commissionRateBp"] == 400
    assert _apply(gql, applicant, "24778", "HTX Rau Lâm Viên (demo)")["commissionRateBp"] == 500

    seller = Seller.objects.get(slug=applied["slug"])
    Seller.objects.filter(pk=seller.pk).update(status=SellerStatus.APPROVED)  # reviewed elsewhere
    ensure_default_methods(seller=seller)
    variant = VariantFactory(product__seller=seller, price=80_000, stock=5)
    from backend.catalog.services import refresh_product_pricing

    refresh_product_pricing(variant.product)
    shop = Shop(seller=seller, staff=applicant, variant=variant)

    checkout = create(gql, [line(variant, 2)])
    saved = gql(CHECKOUT_ADDRESS, {"id": checkout["id"], "address": address()}).payload("checkoutShippingAddressUpdate")
    assert saved["errors"] == []
    assert choose(gql, checkout["id"], shop, CARRIER)["errors"] == []
    done = gql(CHECKOUT_COMPLETE, {"id": checkout["id"], "gateway": "cod"}).payload("checkoutComplete")
    assert done["errors"] == []
    (part,) = done["order"]["sellerOrders"]
    assert part["subtotal"]["amount"] == 160_000
    recorded = SellerOrder.objects.get(order__number=done["order"]["number"])  # the buyer does not see it
    assert (recorded.commission_rate_bp, recorded.commission) == (400, 6_400)  # 4 % of the goods, not 5 %
    assert part["deliveryFee"]["amount"] == CARRIER_BASE + 22_000  # to Đà Lạt: Bắc Ninh's far band


def _methods(checkout: dict[str, Any], seller_id: int) -> dict[str, int]:
    group = next(g for g in checkout["deliveryGroups"] if g["seller"]["id"] == global_id("Seller", seller_id))
    return {m["kind"]: m["price"]["amount"] for m in group["methods"]}


@override_settings(SERVED_PROVINCES=["lam-dong", "bac-ninh", "ninh-binh"])
def test_a_cart_across_provinces_uses_each_sellers_province_surcharges(regions: None, gql: GQL) -> None:
    da_lat = make_shop(price=100_000)
    luc_ngan = make_shop(price=80_000, commune_code=CHU_BAC_NINH)
    checkout = create(gql, [line(da_lat.variant, 1), line(luc_ngan.variant, 1)])
    to_ha_noi = address(commune=global_id("Commune", commune(HOAN_KIEM_HA_NOI).pk))
    saved = gql(CHECKOUT_ADDRESS, {"id": checkout["id"], "address": to_ha_noi}).payload("checkoutShippingAddressUpdate")
    assert saved["errors"] == []
    # To Hà Nội: far from Lâm Đồng (default bands), next door to Bắc Ninh (Bắc Ninh's own bands).
    assert _methods(saved["checkout"], da_lat.seller.pk)["CARRIER"] == CARRIER_BASE + CARRIER_BAND_EXTRA[Band.FAR]
    assert _methods(saved["checkout"], luc_ngan.seller.pk)["CARRIER"] == CARRIER_BASE + 8_000
    assert "OWN_DELIVERY" not in _methods(saved["checkout"], da_lat.seller.pk)
    assert choose(gql, checkout["id"], luc_ngan, OWN)["errors"] != []
