"""Who sees which web page: anonymous visitors sign in first, sellers see only their own orders,
province admins only their province."""

from __future__ import annotations

import pytest
from django.test import Client

from backend.accounts.models import User
from backend.checkout.services import (
    AddressData,
    LineInput,
    checkout_create,
    checkout_delivery_method_update,
    checkout_shipping_address_update,
)
from backend.orders.models import SellerOrder
from backend.orders.services import checkout_complete
from backend.sellers.models import SellerStatus
from tests.checkout.helpers import PICKUP, Shop
from tests.factories import SellerFactory, UserFactory, commune

pytestmark = pytest.mark.django_db


def place_cod_order(*shops: Shop) -> list[SellerOrder]:
    checkout = checkout_create(user=None, lines=[LineInput(variant_id=s.variant.pk, quantity=1) for s in shops])
    address = AddressData(full_name="Lê Văn An", phone="0912345678", street="3 Hùng Vương", commune_id=commune().pk)
    checkout_shipping_address_update(checkout=checkout, address=address)
    for shop in shops:
        checkout_delivery_method_update(checkout=checkout, seller_id=shop.seller.pk, method_id=shop.method(PICKUP).pk)
    order = checkout_complete(checkout=checkout, gateway_id="cod", user=None).order
    return list(order.seller_orders.order_by("id"))


@pytest.mark.parametrize(
    "path", ["/seller/", "/seller/apply", "/province/", "/province/sellers/", "/province/audit/", "/seller/1/orders/"]
)
def test_anonymous_visitors_are_sent_to_sign_in(client: Client, path: str, db: None) -> None:
    answer = client.get(path)
    assert answer.status_code == 302
    assert answer["Location"].startswith("/account/login?next=")


def test_a_seller_never_sees_another_sellers_orders(client: Client, shop: Shop, other_shop: Shop) -> None:
    mine, theirs = place_cod_order(shop, other_shop)
    client.force_login(shop.staff)
    assert client.get(f"/seller/{shop.seller.pk}/orders/{mine.pk}/").status_code == 200
    assert client.get(f"/seller/{shop.seller.pk}/orders/{theirs.pk}/").status_code == 404
    assert client.get(f"/seller/{other_shop.seller.pk}/orders/").status_code == 404
    listing = client.get(f"/seller/{shop.seller.pk}/orders/?status=ALL").content.decode()
    assert mine.order.number in listing
    # Acting on the other seller's order through one's own seller id changes nothing.
    assert client.post(f"/seller/{shop.seller.pk}/orders/{theirs.pk}/confirm").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "UNCONFIRMED"


def test_seller_confirms_fulfils_and_records_cash(client: Client, shop: Shop) -> None:
    (mine,) = place_cod_order(shop)
    client.force_login(shop.staff)
    base = f"/seller/{shop.seller.pk}/orders/{mine.pk}"
    assert client.post(f"{base}/confirm").status_code == 302
    assert client.post(f"{base}/fulfil", {"tracking_number": "VTP123"}).status_code == 302
    assert client.post(f"{base}/cod", {"status": "COLLECTED"}).status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.cod_status, mine.tracking_number) == ("FULFILLED", "COLLECTED", "VTP123")
    payouts = client.get(f"/seller/{shop.seller.pk}/payouts/").content.decode()
    assert "142.500 đ" in payouts  # 150 000 sale − 5 % commission


def test_cancel_needs_a_reason_shown_next_to_the_field(client: Client, shop: Shop) -> None:
    (mine,) = place_cod_order(shop)
    client.force_login(shop.staff)
    answer = client.post(f"/seller/{shop.seller.pk}/orders/{mine.pk}/cancel", {"reason": ""})
    assert answer.status_code == 400 and 'id="id_reason-errors"' in answer.content.decode()
    mine.refresh_from_db()
    assert mine.status == "UNCONFIRMED"


def test_province_admin_sees_only_their_province(
    client: Client, lam_dong_admin: User, other_province_admin: User
) -> None:
    pending = SellerFactory(name="HTX Cà Phê Cầu Đất", status=SellerStatus.PENDING)
    client.force_login(other_province_admin)
    assert pending.name not in client.get("/province/sellers/").content.decode()
    assert client.get(f"/province/sellers/{pending.pk}/").status_code == 404
    assert client.post(f"/province/sellers/{pending.pk}/approve").status_code == 404
    pending.refresh_from_db()
    assert pending.status == SellerStatus.PENDING
    client.force_login(lam_dong_admin)
    assert pending.name in client.get("/province/sellers/").content.decode()


def test_buyers_get_403_in_the_province_console(client: Client, db: None) -> None:
    client.force_login(UserFactory())
    assert client.get("/province/sellers/").status_code == 403
