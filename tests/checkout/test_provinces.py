"""A cart with goods from two provinces (issue 19): own delivery only inside the seller's province,
carriers between provinces priced by distance band, and the order completes."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from backend.regions.distance import Band
from backend.regions.models import Province
from backend.regions.terms import province_terms
from storefront_api.core.ids import global_id
from tests.checkout.helpers import CARRIER, OWN, PICKUP, make_shop
from tests.checkout.operations import CHECKOUT_ADDRESS, CHECKOUT_COMPLETE
from tests.checkout.test_checkout_api import address, choose, create, line
from tests.conftest import GQL
from tests.factories import commune

pytestmark = pytest.mark.django_db

CHU_BAC_NINH = "07525"  # Phường Chũ (former Lục Ngạn, Bắc Giang)
HOAN_KIEM_HA_NOI = "00070"
CARRIER_BASE = 30_000  # the default carrier, a 500 g parcel


def _bac_ninh_extra(band: Band) -> int:
    """The carrier surcharge from a Bắc Ninh seller (its province's terms, `storefronts.json`)."""
    return province_terms(Province.objects.get(slug="bac-ninh")).carrier_band_extra[band]


def _methods(checkout: dict[str, Any], seller_id: int) -> dict[str, int]:
    group = next(g for g in checkout["deliveryGroups"] if g["seller"]["id"] == global_id("Seller", seller_id))
    return {m["kind"]: m["price"]["amount"] for m in group["methods"]}


@override_settings(SERVED_PROVINCES=["lam-dong", "bac-ninh", "ninh-binh"])
def test_a_cart_from_lam_dong_and_bac_ninh_gets_a_carrier_for_the_far_seller_and_completes(
    regions: None, gql: GQL
) -> None:
    da_lat = make_shop(price=100_000, name="HTX Dâu Đà Lạt (demo)")
    luc_ngan = make_shop(price=80_000, name="HTX Vải thiều Lục Ngạn (demo)", commune_code=CHU_BAC_NINH)
    checkout = create(gql, [line(da_lat.variant, 1), line(luc_ngan.variant, 1)])
    checkout_id = checkout["id"]

    saved = gql(CHECKOUT_ADDRESS, {"id": checkout_id, "address": address()}).payload("checkoutShippingAddressUpdate")
    assert saved["errors"] == []
    # The buyer is in Đà Lạt: the Lâm Đồng seller delivers itself, the Bắc Ninh one only by carrier, priced far.
    assert _methods(saved["checkout"], da_lat.seller.pk) == {"OWN_DELIVERY": 35_000, "PICKUP": 0, "CARRIER": 30_000}
    far = _methods(saved["checkout"], luc_ngan.seller.pk)
    assert "OWN_DELIVERY" not in far
    assert far["CARRIER"] == CARRIER_BASE + _bac_ninh_extra(Band.FAR)
    assert _bac_ninh_extra(Band.FAR) > _bac_ninh_extra(Band.NEIGHBOURING) > 0

    refused = choose(gql, checkout_id, luc_ngan, OWN)
    assert [e["code"] for e in refused["errors"]] == ["INVALID"]  # not offered for this address
    assert choose(gql, checkout_id, da_lat, OWN)["errors"] == []
    chosen = choose(gql, checkout_id, luc_ngan, CARRIER)
    assert chosen["errors"] == []
    assert chosen["checkout"]["deliveryTotal"]["amount"] == 35_000 + CARRIER_BASE + _bac_ninh_extra(Band.FAR)

    done = gql(CHECKOUT_COMPLETE, {"id": checkout_id, "gateway": "cod"}).payload("checkoutComplete")
    assert done["errors"] == []
    order = done["order"]
    assert order["subtotal"]["amount"] == 180_000
    assert order["total"]["amount"] == 180_000 + 35_000 + CARRIER_BASE + _bac_ninh_extra(Band.FAR)
    assert sorted(so["total"]["amount"] for so in order["sellerOrders"]) == [132_000, 135_000]


def test_a_neighbouring_province_costs_the_neighbouring_band(regions: None, gql: GQL) -> None:
    luc_ngan = make_shop(price=80_000, commune_code=CHU_BAC_NINH)
    checkout = create(gql, [line(luc_ngan.variant, 1)])
    to_ha_noi = address(commune=global_id("Commune", commune(HOAN_KIEM_HA_NOI).pk))
    saved = gql(CHECKOUT_ADDRESS, {"id": checkout["id"], "address": to_ha_noi}).payload("checkoutShippingAddressUpdate")
    assert _methods(saved["checkout"], luc_ngan.seller.pk) == {
        "PICKUP": 0,
        "CARRIER": CARRIER_BASE + _bac_ninh_extra(Band.NEIGHBOURING),
    }
    assert choose(gql, checkout["id"], luc_ngan, PICKUP)["errors"] == []
