"""GraphQL types of orders: Order (the buyer's), SellerOrder (one seller's part), Payment.

An Order is readable by whoever holds its token (its ID carries the token) and by the signed-in
buyer. A SellerOrder's commission and the buyer's contact details are visible to the seller's staff
only (null for everyone else).
"""

from __future__ import annotations

from typing import Any

import graphene
from django.utils import timezone

from backend.experiences.selectors import tickets_of_orders
from backend.orders.models import Order as OrderModel
from backend.orders.models import OrderLine as OrderLineModel
from backend.orders.models import Payment as PaymentModel
from backend.orders.models import SellerOrder as SellerOrderModel
from storefront_api.checkout.common import token_global_id
from storefront_api.checkout.types import Address, address_of
from storefront_api.core.ids import global_id
from storefront_api.core.mutations import Payload
from storefront_api.core.types import Money, money_field
from storefront_api.sellers.types import Seller, seller_viewer


class OrderStatus(graphene.Enum):
    UNCONFIRMED = "UNCONFIRMED"
    CONFIRMED = "CONFIRMED"
    PARTIALLY_FULFILLED = "PARTIALLY_FULFILLED"
    FULFILLED = "FULFILLED"
    CANCELLED = "CANCELLED"


class PaymentStatus(graphene.Enum):
    NOT_CHARGED = "NOT_CHARGED"
    PENDING = "PENDING"
    PAID = "PAID"
    PARTIALLY_REFUNDED = "PARTIALLY_REFUNDED"
    REFUNDED = "REFUNDED"
    FAILED = "FAILED"


class PaymentActionKind(graphene.Enum):
    NONE = "NONE"
    REDIRECT = "REDIRECT"
    QR = "QR"
    CLIENT_SECRET = "CLIENT_SECRET"


def _choice(value: Any) -> str:
    return str(getattr(value, "value", value))


def _local(moment: Any) -> Any:
    return timezone.localtime(moment) if moment else None


def is_seller_staff(info: graphene.ResolveInfo, seller_id: int | None) -> bool:
    """Is the viewer staff of this seller? (memberships loaded once per request)"""
    return seller_viewer(info).is_staff_of(seller_id)


class PaymentAction(graphene.ObjectType):
    kind = graphene.Field(graphene.NonNull(PaymentActionKind))
    url = graphene.String(description="REDIRECT: where the buyer goes (signed gateway URL).")
    qr_payload = graphene.String(description="QR: EMVCo string to render.")
    client_secret = graphene.String(description="CLIENT_SECRET: Stripe PaymentIntent.")

    @staticmethod
    def resolve_kind(root: PaymentModel, info: graphene.ResolveInfo) -> str:
        return root.action_kind or "NONE"

    @staticmethod
    def resolve_url(root: PaymentModel, info: graphene.ResolveInfo) -> str | None:
        return root.action_url or None

    @staticmethod
    def resolve_qr_payload(root: PaymentModel, info: graphene.ResolveInfo) -> str | None:
        return root.qr_payload or None

    @staticmethod
    def resolve_client_secret(root: PaymentModel, info: graphene.ResolveInfo) -> str | None:
        return root.client_secret or None


class Payment(graphene.ObjectType):
    id = graphene.ID(required=True)
    gateway = graphene.String(required=True)
    status = graphene.Field(graphene.NonNull(PaymentStatus))
    amount = money_field()
    refunded = money_field()
    action = graphene.Field(graphene.NonNull(PaymentAction))
    created_at = graphene.DateTime(required=True)
    paid_at = graphene.DateTime()

    @staticmethod
    def resolve_id(root: PaymentModel, info: graphene.ResolveInfo) -> str:
        return global_id("Payment", root.pk)

    @staticmethod
    def resolve_status(root: PaymentModel, info: graphene.ResolveInfo) -> str:
        return _choice(root.status)

    @staticmethod
    def resolve_refunded(root: PaymentModel, info: graphene.ResolveInfo) -> int:
        return root.refunded_amount

    @staticmethod
    def resolve_action(root: PaymentModel, info: graphene.ResolveInfo) -> PaymentModel:
        return root

    @staticmethod
    def resolve_created_at(root: PaymentModel, info: graphene.ResolveInfo) -> Any:
        return _local(root.created_at)

    @staticmethod
    def resolve_paid_at(root: PaymentModel, info: graphene.ResolveInfo) -> Any:
        return _local(root.paid_at)


class OrderLine(graphene.ObjectType):
    """What was sold, as it was at the time of the order."""

    product_name = graphene.String(required=True)
    variant_name = graphene.String(required=True)
    sku = graphene.String(required=True)
    quantity = graphene.Int(required=True)
    unit_price = money_field()
    total = money_field()


class SellerOrder(graphene.ObjectType):
    """One seller's part of an order: confirmed, fulfilled or cancelled by the seller's staff."""

    id = graphene.ID(required=True)
    order_number = graphene.String(required=True)
    seller = graphene.Field(graphene.NonNull(Seller))
    status = graphene.String(required=True, description="UNCONFIRMED | CONFIRMED | FULFILLED | CANCELLED")
    created_at = graphene.DateTime(required=True)
    subtotal = money_field()
    delivery_fee = money_field()
    total = money_field()
    refunded = money_field()
    commission = graphene.Field(Money, description="Seller's staff only.")
    delivery_method_name = graphene.String(required=True)
    delivery_kind = graphene.String(description="OWN_DELIVERY | PICKUP | CARRIER")
    tracking_number = graphene.String()
    cancel_reason = graphene.String()
    cod_status = graphene.String(description="Cash on delivery only: PENDING, CONFIRMED, IN_TRANSIT, COLLECTED…")
    confirmed_at = graphene.DateTime()
    fulfilled_at = graphene.DateTime()
    delivered_at = graphene.DateTime()
    cancelled_at = graphene.DateTime()
    lines = graphene.List(graphene.NonNull(OrderLine), required=True)
    buyer_name = graphene.String(description="Seller's staff only.")
    buyer_phone = graphene.String(description="Seller's staff only.")
    buyer_email = graphene.String(description="Seller's staff only.")
    shipping_address = graphene.Field(Address, description="Seller's staff only.")
    payment_status = graphene.Field(PaymentStatus, description="Of the whole order.")
    gateway = graphene.String(required=True, description="How the buyer pays the whole order.")

    @staticmethod
    def resolve_id(root: SellerOrderModel, info: graphene.ResolveInfo) -> str:
        return global_id("SellerOrder", root.pk)

    @staticmethod
    def resolve_order_number(root: SellerOrderModel, info: graphene.ResolveInfo) -> str:
        return root.order.number

    @staticmethod
    def resolve_status(root: SellerOrderModel, info: graphene.ResolveInfo) -> str:
        return _choice(root.status)

    @staticmethod
    def resolve_created_at(root: SellerOrderModel, info: graphene.ResolveInfo) -> Any:
        return _local(root.created_at)

    @staticmethod
    def resolve_refunded(root: SellerOrderModel, info: graphene.ResolveInfo) -> int:
        return root.refunded_amount

    @staticmethod
    def resolve_commission(root: SellerOrderModel, info: graphene.ResolveInfo) -> int | None:
        return root.commission if is_seller_staff(info, root.seller_id) else None

    @staticmethod
    def resolve_delivery_method_name(root: SellerOrderModel, info: graphene.ResolveInfo) -> str:
        return root.delivery_name

    @staticmethod
    def resolve_delivery_kind(root: SellerOrderModel, info: graphene.ResolveInfo) -> str | None:
        return root.delivery_kind or None

    @staticmethod
    def resolve_tracking_number(root: SellerOrderModel, info: graphene.ResolveInfo) -> str | None:
        return root.tracking_number or None

    @staticmethod
    def resolve_cancel_reason(root: SellerOrderModel, info: graphene.ResolveInfo) -> str | None:
        return root.cancel_reason or None

    @staticmethod
    def resolve_cod_status(root: SellerOrderModel, info: graphene.ResolveInfo) -> str | None:
        return _choice(root.cod_status) if root.cod_status else None

    @staticmethod
    def resolve_confirmed_at(root: SellerOrderModel, info: graphene.ResolveInfo) -> Any:
        return _local(root.confirmed_at)

    @staticmethod
    def resolve_fulfilled_at(root: SellerOrderModel, info: graphene.ResolveInfo) -> Any:
        return _local(root.fulfilled_at)

    @staticmethod
    def resolve_delivered_at(root: SellerOrderModel, info: graphene.ResolveInfo) -> Any:
        return _local(root.delivered_at)

    @staticmethod
    def resolve_cancelled_at(root: SellerOrderModel, info: graphene.ResolveInfo) -> Any:
        return _local(root.cancelled_at)

    @staticmethod
    def resolve_lines(root: SellerOrderModel, info: graphene.ResolveInfo) -> list[OrderLineModel]:
        return list(root.lines.all())

    @staticmethod
    def resolve_buyer_name(root: SellerOrderModel, info: graphene.ResolveInfo) -> str | None:
        return root.order.full_name if is_seller_staff(info, root.seller_id) else None

    @staticmethod
    def resolve_buyer_phone(root: SellerOrderModel, info: graphene.ResolveInfo) -> str | None:
        return root.order.phone if is_seller_staff(info, root.seller_id) else None

    @staticmethod
    def resolve_buyer_email(root: SellerOrderModel, info: graphene.ResolveInfo) -> str | None:
        return (root.order.email or None) if is_seller_staff(info, root.seller_id) else None

    @staticmethod
    def resolve_shipping_address(root: SellerOrderModel, info: graphene.ResolveInfo) -> Address | None:
        return address_of(root.order) if is_seller_staff(info, root.seller_id) else None

    @staticmethod
    def resolve_payment_status(root: SellerOrderModel, info: graphene.ResolveInfo) -> str:
        return _choice(root.order.payment_status)

    @staticmethod
    def resolve_gateway(root: SellerOrderModel, info: graphene.ResolveInfo) -> str:
        return root.order.gateway


class Order(graphene.ObjectType):
    """A buyer's order across sellers. Its ID carries its token: whoever holds it may read it."""

    id = graphene.ID(required=True)
    number = graphene.String(required=True)
    token = graphene.String(required=True)
    status = graphene.Field(graphene.NonNull(OrderStatus), description="Derived from the seller orders.")
    payment_status = graphene.Field(graphene.NonNull(PaymentStatus))
    gateway = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    email = graphene.String()
    shipping_address = graphene.Field(Address)
    subtotal = money_field()
    delivery_total = money_field()
    total = money_field()
    seller_orders = graphene.List(graphene.NonNull(SellerOrder), required=True)
    payments = graphene.List(graphene.NonNull(Payment), required=True, description="Newest first.")
    tickets = graphene.List(
        graphene.NonNull("storefront_api.experiences.types.Ticket"),
        required=True,
        description="One per participant of each booking (valid once the order is paid).",
    )
    bookings = graphene.List(graphene.NonNull("storefront_api.experiences.types.Booking"), required=True)

    @staticmethod
    def resolve_id(root: OrderModel, info: graphene.ResolveInfo) -> str:
        return token_global_id("Order", root.token)

    @staticmethod
    def resolve_tickets(root: OrderModel, info: graphene.ResolveInfo) -> list[Any]:
        from storefront_api.experiences.types import ticket_views

        return ticket_views(tickets_of_orders([root.pk]).get(root.pk, []))

    @staticmethod
    def resolve_bookings(root: OrderModel, info: graphene.ResolveInfo) -> list[Any]:
        from storefront_api.experiences.types import booking_views

        return booking_views(list(root.bookings.select_related("order", "slot__product").order_by("id")))

    @staticmethod
    def resolve_token(root: OrderModel, info: graphene.ResolveInfo) -> str:
        return str(root.token)

    @staticmethod
    def resolve_status(root: OrderModel, info: graphene.ResolveInfo) -> str:
        return _choice(root.status)

    @staticmethod
    def resolve_payment_status(root: OrderModel, info: graphene.ResolveInfo) -> str:
        return _choice(root.payment_status)

    @staticmethod
    def resolve_created_at(root: OrderModel, info: graphene.ResolveInfo) -> Any:
        return _local(root.created_at)

    @staticmethod
    def resolve_email(root: OrderModel, info: graphene.ResolveInfo) -> str | None:
        return root.email or None

    @staticmethod
    def resolve_shipping_address(root: OrderModel, info: graphene.ResolveInfo) -> Address | None:
        return address_of(root)

    @staticmethod
    def resolve_seller_orders(root: OrderModel, info: graphene.ResolveInfo) -> list[SellerOrderModel]:
        return sorted(root.seller_orders.all(), key=lambda so: so.pk)

    @staticmethod
    def resolve_payments(root: OrderModel, info: graphene.ResolveInfo) -> list[PaymentModel]:
        return sorted(root.payments.all(), key=lambda p: (p.created_at, p.pk), reverse=True)


ORDER_PREFETCH = (
    "seller_orders__seller__commune__province",
    "seller_orders__lines",
    "payments",
)


class CheckoutCompletePayload(Payload):
    order = graphene.Field(Order)
    payment = graphene.Field(Payment)


class SellerOrderPayload(Payload):
    seller_order = graphene.Field(SellerOrder)


class SellerBalance(graphene.ObjectType):
    """A seller's money on the platform ledger (staff of the seller only)."""

    balance = money_field(description="Everything owed to the seller now (sales − commission − refunds − payouts).")
    payout_available = money_field(description="What may be paid out now (past the holding period).")
