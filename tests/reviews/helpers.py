"""Builders for review tests: delivered (or undelivered) orders, and the GraphQL documents."""

from __future__ import annotations

from typing import Any

from backend.accounts.models import User
from backend.checkout import services as checkout_services
from backend.checkout.services import AddressData, LineInput
from backend.orders import services as order_services
from backend.orders.models import OrderLine, SellerOrder
from tests.checkout.helpers import OTHER_DA_LAT_COMMUNE, OWN, Shop
from tests.factories import commune

ERRORS = "errors { field code message }"
REVIEW_FIELDS = (
    "id stars text authorName verifiedPurchase isHidden hiddenReason hiddenLabel editedAt"
    " photos { url thumbnailUrl width height } reply { text repliedAt }"
)
REVIEW_CREATE = f"""
mutation($line: ID!, $stars: Int!, $text: String) {{
  reviewCreate(line: $line, stars: $stars, text: $text) {{ review {{ {REVIEW_FIELDS} }} {ERRORS} }}
}}
"""
REVIEW_UPDATE = f"""
mutation($id: ID!, $stars: Int!, $text: String) {{
  reviewUpdate(id: $id, stars: $stars, text: $text) {{ review {{ {REVIEW_FIELDS} }} {ERRORS} }}
}}
"""
REVIEW_REPLY = f"""
mutation($id: ID!, $text: String!) {{
  reviewReply(id: $id, text: $text) {{ review {{ {REVIEW_FIELDS} }} {ERRORS} }}
}}
"""
REVIEW_HIDE = f"""
mutation($id: ID!, $reason: ReviewHideReason!, $note: String) {{
  reviewHide(id: $id, reason: $reason, note: $note) {{ review {{ {REVIEW_FIELDS} }} {ERRORS} }}
}}
"""
PRODUCT_REVIEWS = f"""
query($id: ID!) {{ product(id: $id) {{
  soldCount rating {{ count average score stars {{ stars count }} }}
  reviews(first: 10) {{ totalCount edges {{ node {{ {REVIEW_FIELDS} }} }} }}
  seller {{ soldCount rating {{ count average }} }}
}} }}
"""
SELLER_REVIEWS = f"""
query($id: ID!) {{ seller(id: $id) {{
  soldCount rating {{ count average score }} reviews(first: 10) {{ totalCount edges {{ node {{ {REVIEW_FIELDS} }} }} }}
}} }}
"""


def cod_order(shop: Shop, buyer: User | None, *, phone: str = "0912345678", quantity: int = 1) -> SellerOrder:
    """A cash-on-delivery order of `shop`'s variant delivered by the seller itself (not yet shipped)."""
    checkout = checkout_services.checkout_create(
        user=buyer, lines=[LineInput(variant_id=shop.variant.pk, quantity=quantity)]
    )
    address = AddressData(
        full_name="Nguyễn Thị Lan", phone=phone, street="12 Nguyễn Trãi", commune_id=commune(OTHER_DA_LAT_COMMUNE).pk
    )
    checkout_services.checkout_shipping_address_update(checkout=checkout, address=address)
    checkout_services.checkout_delivery_method_update(
        checkout=checkout, seller_id=shop.seller.pk, method_id=shop.method(OWN).pk
    )
    result = order_services.checkout_complete(checkout=checkout, gateway_id="cod", user=buyer)
    return result.order.seller_orders.get()


def deliver(shop: Shop, seller_order: SellerOrder) -> SellerOrder:
    order_services.seller_order_confirm(seller_order=seller_order, actor=shop.staff)
    order_services.seller_order_fulfill(seller_order=seller_order, actor=shop.staff)
    order_services.cod_record(seller_order=seller_order, actor=shop.staff, status="COLLECTED")
    seller_order.refresh_from_db()
    return seller_order


def delivered_line(shop: Shop, buyer: User, **options: Any) -> OrderLine:
    return deliver(shop, cod_order(shop, buyer, **options)).lines.get()
