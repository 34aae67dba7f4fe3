"""The commune helper journey through GraphQL: appointed by a province admin, registers a household
with the consent code read from the sandbox, lists for it; the seller reads the acts and revokes."""

from __future__ import annotations

from typing import Any

import pytest

from backend.accounts.models import ProvinceAdminScope
from backend.helpers.models import HelperGrant
from backend.sellers.models import Seller
from storefront_api.core.ids import global_id
from tests.factories import DA_LAT_LAM_VIEN, UserFactory, commune
from tests.notifications.helpers import last_code, sandbox

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sandbox")]
__all__ = ["sandbox"]

APPOINT = """mutation($helper: String!, $communes: [ID!]!) {
  helperAppoint(helper: $helper, communes: $communes) { communes errors { field code message } } }"""
CONSENT = """mutation($commune: ID!, $phone: String!) {
  helperHouseholdConsentRequest(commune: $commune, phone: $phone) { phone errors { code } } }"""
REGISTER = """mutation($input: HelperHouseholdRegisterInput!) {
  helperHouseholdRegister(input: $input) { seller { id name } errors { field code message } } }"""
ACTS = "query($s: ID!) { sellerHelperActs(seller: $s) { helperName act } }"
REVOKE = """mutation($s: ID!, $h: ID!) { sellerHelperRevoke(seller: $s, helper: $h) { revoked errors { code } } }"""
COUNTS = '{ provinceHelperCounts(province: "lam-dong") { helper commune sellersOnboarded productsListed } }'


def test_helper_journey_through_graphql(regions: Any, gql: Any, django_capture_on_commit_callbacks: Any) -> None:
    officer = UserFactory()
    ProvinceAdminScope.objects.create(user=officer, province=commune(DA_LAT_LAM_VIEN).province)
    helper = UserFactory(full_name="Chị Lan bưu điện", phone="+84911222333", phone_verified=True)
    lam_vien = global_id("Commune", commune(DA_LAT_LAM_VIEN).pk)

    refused = gql(APPOINT, {"helper": "0911222333", "communes": [lam_vien]}, user=helper).payload("helperAppoint")
    assert [e["code"] for e in refused["errors"]] == ["PERMISSION_DENIED"]
    appointed = gql(APPOINT, {"helper": "0911 222 333", "communes": [lam_vien]}, user=officer).payload("helperAppoint")
    assert appointed["errors"] == [] and appointed["communes"] == [commune(DA_LAT_LAM_VIEN).name]

    with django_capture_on_commit_callbacks(execute=True):
        asked = gql(CONSENT, {"commune": lam_vien, "phone": "0987000111"}, user=helper)
    assert asked.payload("helperHouseholdConsentRequest")["errors"] == []
    data = {"commune": lam_vien, "name": "Hộ ông Ba", "phone": "0987000111", "code": last_code("+84987000111")}
    registered = gql(REGISTER, {"input": data}, user=helper).payload("helperHouseholdRegister")
    assert registered["errors"] == [] and registered["seller"]["name"] == "Hộ ông Ba"
    seller = Seller.objects.get(name="Hộ ông Ba")
    owner = seller.memberships.get().user

    assert gql("{ myHouseholds { name } }", user=helper).data["myHouseholds"] == [{"name": "Hộ ông Ba"}]
    acts = gql(ACTS, {"s": global_id("Seller", seller.pk)}, user=owner).data["sellerHelperActs"]
    assert acts == [{"helperName": "Chị Lan bưu điện", "act": "helper.household.register"}]
    counts = gql(COUNTS, user=officer).data["provinceHelperCounts"]
    assert counts == [
        {
            "helper": "Chị Lan bưu điện",
            "commune": commune(DA_LAT_LAM_VIEN).name,
            "sellersOnboarded": 1,
            "productsListed": 0,
        }
    ]
    assert gql(COUNTS, user=helper).errors  # not a province admin

    variables = {"s": global_id("Seller", seller.pk), "h": global_id("User", helper.pk)}
    assert gql(REVOKE, variables, user=helper).payload("sellerHelperRevoke")["errors"][0]["code"] == "PERMISSION_DENIED"
    assert gql(REVOKE, variables, user=owner).payload("sellerHelperRevoke") == {"revoked": True, "errors": []}
    assert not HelperGrant.objects.filter(revoked_at__isnull=True).exists()
    assert gql("{ myHouseholds { name } }", user=helper).data["myHouseholds"] == []
