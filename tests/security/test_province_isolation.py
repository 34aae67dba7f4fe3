"""Three provinces served (issue 19): a Bắc Ninh admin cannot see or act on Lâm Đồng sellers,
orders or dashboards, through the API or the province console; each sees its own."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from backend.orders.models import SellerOrder
from backend.sellers.models import SellerStatus
from storefront_api.core.ids import global_id
from tests.conftest import GQL
from tests.factories import SellerFactory, commune
from tests.reports.helpers import make_order, province_admin
from tests.sellers.identity_kit import ready_for_approval

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("regions")]

CHU_BAC_NINH = "07525"
DASHBOARD = """query($p: String!) { provinceDashboard(province: $p, dateFrom: "2026-01-01", dateTo: "2026-12-31") {
  province { slug } } }"""
PENDING = (
    """query($p: String) { sellers(filter: {status: PENDING}, province: $p, first: 50) { edges { node { name } } } }"""
)
APPROVE = """mutation($id: ID!) { sellerApprove(id: $id) { seller { status } errors { code } } }"""
REFUND = """mutation($id: ID!) { orderRefund(id: $id, reason: "Hàng hỏng") { errors { code } } }"""


@pytest.fixture
def world() -> dict[str, Any]:
    lam_dong = SellerFactory(name="HTX Dâu Lâm Đồng (demo)", status=SellerStatus.PENDING)
    bac_ninh = SellerFactory(name="HTX Vải Bắc Ninh (demo)", status=SellerStatus.PENDING, commune=commune(CHU_BAC_NINH))
    order = make_order([(lam_dong, [], 20_000)], commune=commune(), sold_at="2026-06-01 10:00")
    return {
        "lam_dong": lam_dong,
        "bac_ninh": ready_for_approval(bac_ninh),  # identity verified, tax code and registration given
        "order": SellerOrder.objects.get(order=order),
        "bn_admin": province_admin("bac-ninh", email="canbo@bacninh.example.vn"),
        "ld_admin": province_admin("lam-dong", email="canbo@lamdong.example.vn"),
    }


@override_settings(SERVED_PROVINCES=["lam-dong", "bac-ninh", "ninh-binh"])
def test_the_api_keeps_a_bac_ninh_admin_out_of_lam_dong(gql: GQL, world: dict[str, Any]) -> None:
    bn = world["bn_admin"]
    denied = gql(DASHBOARD, {"p": "lam-dong"}, user=bn)
    assert [e["extensions"]["code"] for e in denied.errors] == ["PERMISSION_DENIED"]
    assert gql(DASHBOARD, {"p": "bac-ninh"}, user=bn).data["provinceDashboard"]["province"]["slug"] == "bac-ninh"

    names = lambda result: [e["node"]["name"] for e in result.data["sellers"]["edges"]]  # noqa: E731
    assert names(gql(PENDING, {}, user=bn)) == ["HTX Vải Bắc Ninh (demo)"]
    assert names(gql(PENDING, {"p": "lam-dong"}, user=bn)) == []
    assert names(gql(PENDING, {"p": "lam-dong"}, user=world["ld_admin"])) == ["HTX Dâu Lâm Đồng (demo)"]

    approve = gql(APPROVE, {"id": global_id("Seller", world["lam_dong"].pk)}, user=bn).payload("sellerApprove")
    assert [e["code"] for e in approve["errors"]] in (["PERMISSION_DENIED"], ["NOT_FOUND"])
    world["lam_dong"].refresh_from_db()
    assert world["lam_dong"].status == SellerStatus.PENDING
    mine = gql(APPROVE, {"id": global_id("Seller", world["bac_ninh"].pk)}, user=bn).payload("sellerApprove")
    assert mine["errors"] == [] and mine["seller"]["status"] == "APPROVED"

    refund = gql(REFUND, {"id": global_id("SellerOrder", world["order"].pk)}, user=bn).payload("orderRefund")
    assert [e["code"] for e in refund["errors"]] in (["PERMISSION_DENIED"], ["NOT_FOUND"])


@override_settings(SERVED_PROVINCES=["lam-dong", "bac-ninh", "ninh-binh"])
def test_the_console_keeps_a_bac_ninh_admin_out_of_lam_dong(client: Client, world: dict[str, Any]) -> None:
    client.force_login(world["bn_admin"])
    queue = client.get("/province/sellers/").content.decode()
    assert "HTX Vải Bắc Ninh (demo)" in queue and "HTX Dâu Lâm Đồng (demo)" not in queue
    assert client.get(f"/province/sellers/{world['lam_dong'].pk}/").status_code in (403, 404)
    assert client.get("/province/dashboard/", {"province": "lam-dong"}).status_code == 403
    own = client.get("/province/dashboard/")
    assert own.status_code == 200 and "Bắc Ninh" in own.content.decode()
