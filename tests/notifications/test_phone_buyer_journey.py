"""The issue's journey through GraphQL: a new buyer registers with only a phone, reads the code at
/dev/outbox/ (the sandbox), signs in, buys with cash on delivery and gets the order messages on the
sandbox Zalo channel; the seller's staff gets theirs too."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache

from backend.notifications.models import Notification, NotificationStatus, SandboxMessage
from backend.orders.models import SellerOrder
from storefront_api.core.ids import global_id
from tests.checkout.helpers import OTHER_DA_LAT_COMMUNE, PICKUP, make_shop
from tests.checkout.operations import CHECKOUT_ADDRESS, CHECKOUT_COMPLETE, CHECKOUT_CREATE, CHECKOUT_DELIVERY
from tests.factories import commune
from tests.notifications.helpers import OTP_REQUEST, PHONE, REGISTER_WITH_PHONE, TOKEN_CREATE_WITH_OTP, sandbox

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sandbox")]
__all__ = ["sandbox"]

SELLER_ORDER_CONFIRM = """
mutation Confirm($id: ID!) { sellerOrderConfirm(id: $id) { errors { field code message } } }
"""


def _code_from_dev_outbox(client: Any) -> str:
    page = client.get("/dev/outbox/", {"to": "0912 345 678"})
    assert page.status_code == 200
    texts = re.findall(r'<span class="sandbox-text">(.*?)</span>', page.content.decode(), re.S)
    return re.search(r"\b(\d{6})\b", texts[0]).group(1)  # type: ignore[union-attr]


def test_phone_only_buyer_registers_signs_in_buys_with_cod_and_hears_on_zalo(
    regions: Any, gql: Any, client: Any, make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    shop = make_shop(stock=5)
    with django_capture_on_commit_callbacks(execute=True):
        asked = gql(OTP_REQUEST, {"phone": "0912 345 678", "purpose": "SIGN_IN"}).payload("otpRequest")
    assert asked["errors"] == []
    registered = gql(
        REGISTER_WITH_PHONE, {"input": {"phone": "0912 345 678", "code": _code_from_dev_outbox(client)}}
    ).payload("accountRegisterWithPhone")
    assert registered["errors"] == [] and registered["user"]["email"] == ""

    cache.clear()  # a minute later
    with django_capture_on_commit_callbacks(execute=True):
        gql(OTP_REQUEST, {"phone": PHONE})
    signed_in = gql(TOKEN_CREATE_WITH_OTP, {"phone": PHONE, "code": _code_from_dev_outbox(client)})
    token = signed_in.payload("tokenCreateWithOtp")["token"]
    assert token

    with django_capture_on_commit_callbacks(execute=True):
        lines = [{"variant": global_id("ProductVariant", shop.variant.pk), "quantity": 2}]
        created = gql(CHECKOUT_CREATE, {"lines": lines}, token=token).payload("checkoutCreate")
        assert created["errors"] == []
        checkout = created["checkout"]["id"]
        address = {
            "fullName": "Bà Hoa",
            "phone": "0912 345 678",
            "street": "Thôn 3",
            "commune": global_id("Commune", commune(OTHER_DA_LAT_COMMUNE).pk),
        }
        answer = gql(CHECKOUT_ADDRESS, {"id": checkout, "address": address}, token=token)
        group = answer.payload("checkoutShippingAddressUpdate")["checkout"]["deliveryGroups"][0]
        method = next(m for m in group["methods"] if m["kind"] == PICKUP)
        gql(CHECKOUT_DELIVERY, {"id": checkout, "seller": group["seller"]["id"], "method": method["id"]}, token=token)
        done = gql(CHECKOUT_COMPLETE, {"id": checkout, "gateway": "cod"}, token=token).payload("checkoutComplete")
    assert done["errors"] == []
    number = done["order"]["number"]

    zalo = SandboxMessage.objects.filter(address=PHONE, channel_id="sandbox_zalo", kind="order.placed").get()
    assert number in zalo.text
    placed = Notification.objects.get(kind="order.placed")
    assert placed.status == NotificationStatus.SENT and placed.user is not None and placed.user.phone == PHONE
    staff_note = Notification.objects.get(kind="order.new_for_seller")
    assert staff_note.status == NotificationStatus.SENT and staff_note.user == shop.staff

    # The seller confirms: the buyer hears it on Zalo too.
    seller_order = SellerOrder.objects.get(order__number=number)
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = gql(SELLER_ORDER_CONFIRM, {"id": global_id("SellerOrder", seller_order.pk)}, user=shop.staff)
    assert confirmed.payload("sellerOrderConfirm")["errors"] == []
    assert SandboxMessage.objects.filter(address=PHONE, channel_id="sandbox_zalo", kind="order.confirmed").count() == 1


def test_dev_outbox_is_not_served_without_debug(client: Any, settings: Any) -> None:
    settings.DEBUG = False
    assert client.get("/dev/outbox/").status_code == 404
