"""Regression tests through the public API for findings 1 and 5 of issue 14 (findings 2, 3, 4 and 6
are in test_exports.py, test_query_limits.py, tests/accounts/test_register.py and
test_password_reset.py).

1. Province admins were platform staff for money: `is_platform_staff()` was true for `is_staff`,
   so an admin of another province (or of one commune) could refund any seller order and record
   the platform's cash-on-delivery events; `payout_record` used the same check.
5. `checkoutComplete(returnUrl:)` and `orderPaymentRetry` stored any URL and gave it to the gateway.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from backend.accounts.models import User
from backend.checkout import services as checkout_services
from backend.checkout.services import AddressData, LineInput
from backend.orders import services as order_services
from backend.orders.models import Order, Payment, Refund, SellerOrder
from storefront_api.core.ids import global_id
from tests.checkout.helpers import CARRIER, OWN, make_shop
from tests.checkout.operations import CHECKOUT_COMPLETE
from tests.conftest import GQL
from tests.factories import UserFactory, commune
from tests.orders.operations import ORDER_REFUND, SELLER_ORDER_COD_RECORD
from tests.orders.payment_helpers import configure_gateways
from tests.orders.test_orders_api import place_order
from tests.reports.helpers import province_admin
from tests.security.world import _scope

pytestmark = pytest.mark.django_db

PAYOUT = """mutation($s: ID!) { sellerPayoutRecord(seller: $s, reference: "CK") { amount errors { code } } }"""
COMMISSION = """mutation($s: ID!) { sellerCommissionSet(id: $s, rateBp: 100, reason: "giảm") {
  seller { id } errors { code } } }"""


def _in_transit(kind: str) -> tuple[Any, SellerOrder]:
    shop = make_shop(price=100_000)
    seller_order = place_order([shop], kind=kind).seller_orders.get()
    order_services.seller_order_confirm(seller_order=seller_order, actor=shop.staff)
    order_services.seller_order_fulfill(seller_order=seller_order, actor=shop.staff)
    return shop, seller_order


def _codes(result: Any, name: str) -> list[str]:
    return [e["code"] for e in result.payload(name)["errors"]]


def _sid(seller_order: SellerOrder) -> str:
    return global_id("SellerOrder", seller_order.pk)


def test_admins_of_other_places_cannot_refund(regions: None, gql: GQL) -> None:
    shop, seller_order = _in_transit(OWN)
    order_services.cod_record(seller_order=seller_order, actor=shop.staff, status="COLLECTED")
    other_province = province_admin("ha-noi")
    other_commune = _scope(UserFactory(), seller_order.seller.commune.province, commune("24781"))
    for admin in (other_province, other_commune):
        result = gql(ORDER_REFUND, {"id": _sid(seller_order), "reason": "khiếu nại"}, user=admin)
        assert _codes(result, "orderRefund") == ["PERMISSION_DENIED"]
    assert not Refund.objects.exists()
    own_commune = _scope(UserFactory(), seller_order.seller.commune.province, seller_order.seller.commune)
    result = gql(ORDER_REFUND, {"id": _sid(seller_order), "amount": 10_000, "reason": "khiếu nại"}, user=own_commune)
    assert _codes(result, "orderRefund") == []
    assert Refund.objects.get().amount == 10_000


@pytest.mark.parametrize(("kind", "status"), [(CARRIER, "COLLECTED"), (OWN, "REMITTED"), (OWN, "SETTLED")])
def test_province_admins_do_not_record_the_platforms_cash_events(
    regions: None, gql: GQL, kind: str, status: str
) -> None:
    shop, seller_order = _in_transit(kind)
    platform = UserFactory(is_platform_staff=True)
    if status != "COLLECTED":
        order_services.cod_record(seller_order=seller_order, actor=shop.staff, status="COLLECTED")
    if status == "SETTLED":
        order_services.cod_record(seller_order=seller_order, actor=platform, status="REMITTED")
    admin = province_admin()  # of the seller's own province, is_staff like every province admin
    before = SellerOrder.objects.get(pk=seller_order.pk).cod_status
    result = gql(SELLER_ORDER_COD_RECORD, {"id": _sid(seller_order), "status": status}, user=admin)
    assert _codes(result, "sellerOrderCodRecord") == ["PERMISSION_DENIED"]
    assert SellerOrder.objects.get(pk=seller_order.pk).cod_status == before
    done = gql(SELLER_ORDER_COD_RECORD, {"id": _sid(seller_order), "status": status}, user=platform)
    assert _codes(done, "sellerOrderCodRecord") == []
    assert SellerOrder.objects.get(pk=seller_order.pk).cod_status == status


def test_payouts_and_commissions_are_the_platforms(regions: None, gql: GQL) -> None:
    shop = make_shop()
    seller = global_id("Seller", shop.seller.pk)
    for user in (province_admin(), shop.staff, UserFactory(is_staff=True)):
        assert _codes(gql(PAYOUT, {"s": seller}, user=user), "sellerPayoutRecord") == ["PERMISSION_DENIED"]
        assert _codes(gql(COMMISSION, {"s": seller}, user=user), "sellerCommissionSet") == ["PERMISSION_DENIED"]
    platform = UserFactory(is_platform_staff=True)
    assert gql(PAYOUT, {"s": seller}, user=platform).payload("sellerPayoutRecord") == {"amount": 0, "errors": []}
    assert _codes(gql(COMMISSION, {"s": seller}, user=platform), "sellerCommissionSet") == []
    shop.seller.refresh_from_db()
    assert shop.seller.commission_rate_bp == 100


def test_is_staff_alone_grants_no_money_act(regions: None, gql: GQL) -> None:
    _shop, seller_order = _in_transit(CARRIER)
    django_admin_only = UserFactory(is_staff=True)
    result = gql(SELLER_ORDER_COD_RECORD, {"id": _sid(seller_order), "status": "COLLECTED"}, user=django_admin_only)
    assert _codes(result, "sellerOrderCodRecord") == ["PERMISSION_DENIED"]


# --- 5. return URLs from an allow-list ---------------------------------------------------------


def _ready_checkout(shop: Any) -> str:
    """A cart with an address and a delivery method: its token, for checkoutComplete."""
    checkout = checkout_services.checkout_create(user=None, lines=[LineInput(variant_id=shop.variant.pk, quantity=1)])
    address = AddressData(full_name="Lê C", phone="0987654321", street="5 Hùng Vương", commune_id=commune("24781").pk)
    checkout_services.checkout_shipping_address_update(checkout=checkout, address=address)
    checkout_services.checkout_delivery_method_update(
        checkout=checkout, seller_id=shop.seller.pk, method_id=shop.method(OWN).pk
    )
    return str(checkout.token)


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "https://127.0.0.1:8000@evil.example/",
        "javascript:alert(1)",
        "http://127.0.0.1:8000\\@evil.example/",
        "https://127.0.0.1:8000/orders",  # right host, wrong scheme
    ],
)
def test_checkout_complete_refuses_foreign_return_urls(
    regions: None, gql: GQL, settings: Any, monkeypatch: Any, url: str
) -> None:
    configure_gateways(monkeypatch, settings)
    settings.PUBLIC_URL = "http://127.0.0.1:8000"
    checkout = _ready_checkout(make_shop())
    answer = gql(CHECKOUT_COMPLETE, {"id": checkout, "gateway": "sandbox", "returnUrl": url})
    errors = answer.payload("checkoutComplete")["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("returnUrl", "INVALID")]
    assert not Order.objects.exists()


def test_return_urls_on_the_site_or_an_allowed_front_end_reach_the_gateway(
    regions: None, gql: GQL, settings: Any, monkeypatch: Any
) -> None:
    configure_gateways(monkeypatch, settings)
    settings.PUBLIC_URL = "http://127.0.0.1:8000"
    settings.FRONTEND_URLS = ["https://app.chophien.vn"]
    for url, stored in [
        ("https://app.chophien.vn/thanh-toan/xong?d=1", "https://app.chophien.vn/thanh-toan/xong?d=1"),
        ("/orders/thanks", "http://127.0.0.1:8000/orders/thanks"),
    ]:
        checkout = _ready_checkout(make_shop())
        answer = gql(CHECKOUT_COMPLETE, {"id": checkout, "gateway": "sandbox", "returnUrl": url})
        assert answer.payload("checkoutComplete")["errors"] == []
        assert Payment.objects.order_by("-pk").first().return_url == stored


RETRY = """mutation($token: String!, $url: String) {
  orderPaymentRetry(token: $token, gateway: "sandbox", returnUrl: $url) {
    payment { status } errors { field code } } }"""


def test_order_payment_retry_refuses_foreign_return_urls(
    regions: None, gql: GQL, settings: Any, monkeypatch: Any
) -> None:
    configure_gateways(monkeypatch, settings)
    order = place_order([make_shop()], gateway="sandbox")
    payments = Payment.objects.count()
    refused = gql(RETRY, {"token": str(order.token), "url": "https://evil.example/phish"})
    assert refused.payload("orderPaymentRetry")["errors"] == [{"field": "returnUrl", "code": "INVALID"}]
    assert Payment.objects.count() == payments
    allowed = gql(RETRY, {"token": str(order.token), "url": f"{settings.PUBLIC_URL}/orders/{order.token}"})
    assert allowed.payload("orderPaymentRetry")["errors"] == []


@pytest.mark.parametrize("page", ["/account/login", "/account/signup"])
def test_sign_in_pages_refuse_foreign_next(client: Client, page: str) -> None:
    answer = client.get(page, {"next": "https://evil.example/phish"}, headers={"Accept-Language": "en"})
    assert answer.status_code == 400
    html = answer.content.decode()
    assert '<input type="hidden" name="next" value="">' in html  # the form will not carry it on
    assert "This return address is not allowed." in html


def test_sign_in_follows_a_next_of_the_site_and_refuses_others(client: Client, make_user: Any) -> None:
    make_user(email="mai@example.vn")
    evil = client.post(
        "/account/login", {"email": "mai@example.vn", "password": "Mật-khẩu-dài-2025", "next": "//evil.example"}
    )
    assert evil.status_code == 400 and "_auth_user_id" not in client.session
    good = client.post(
        "/account/login", {"email": "mai@example.vn", "password": "Mật-khẩu-dài-2025", "next": "/seller/"}
    )
    assert good.status_code == 302 and good["Location"] == "/seller/"
    assert User.objects.get(email="mai@example.vn").pk == int(client.session["_auth_user_id"])


def test_web_sign_up_answers_the_same_for_a_taken_address(
    make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    make_user(email="mai@example.vn")
    pages = []
    for email in ("mai@example.vn", "lan@example.vn"):
        with django_capture_on_commit_callbacks(execute=True):
            answer = Client().post("/account/signup", {"email": email, "password": "Mật-khẩu-dài-2025"})
        assert answer.status_code == 200
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", answer.content.decode())
        pages.append(html.replace(email, "EMAIL"))
    assert pages[0] == pages[1] and "Kiểm tra e-mail" in pages[0]
    assert User.objects.filter(email="lan@example.vn").exists()
