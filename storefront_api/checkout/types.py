"""GraphQL types of checkout: Checkout, its lines, delivery groups and payment gateways.

Every price comes from `backend.checkout.selectors.summarize` (the server reprices the cart from the
catalog); the client never sends one.
"""

from __future__ import annotations

from typing import Any

import graphene
from django.utils import timezone

from backend.checkout.selectors import DeliveryGroup as DeliveryGroupData
from backend.checkout.selectors import PricedBooking, PricedLine, PricedMethod
from storefront_api.catalog.types import ProductVariant
from storefront_api.checkout.common import CheckoutView, token_global_id
from storefront_api.core.ids import global_id
from storefront_api.core.mutations import Payload
from storefront_api.core.types import money_field
from storefront_api.experiences.types import ParticipantCount, Slot
from storefront_api.regions.types import Commune
from storefront_api.sellers.types import Seller


class Address(graphene.ObjectType):
    """A shipping address (post-2025 commune)."""

    full_name = graphene.String(required=True)
    phone = graphene.String(required=True, description="E.164, e.g. +84903123456.")
    street = graphene.String(required=True)
    commune = graphene.Field(graphene.NonNull(Commune))


def address_of(root: Any) -> Address | None:
    """The address fields of a checkout or an order; null while incomplete."""
    if not (root.full_name and root.phone and root.street and root.commune_id):
        return None
    return Address(full_name=root.full_name, phone=root.phone, street=root.street, commune=root.commune)


class PaymentGateway(graphene.ObjectType):
    id = graphene.String(required=True, description="cod, vnpay, momo, zalopay, vietqr, stripe or sandbox.")
    name = graphene.String(required=True)


class DeliveryMethod(graphene.ObjectType):
    """A way the seller hands this part of the cart over, priced for this cart and address."""

    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    kind = graphene.String(required=True, description="OWN_DELIVERY | PICKUP | CARRIER")
    price = money_field()
    pickup_address = graphene.String()

    @staticmethod
    def resolve_id(root: PricedMethod, info: graphene.ResolveInfo) -> str:
        return global_id("DeliveryMethod", root.method.pk)

    @staticmethod
    def resolve_name(root: PricedMethod, info: graphene.ResolveInfo) -> str:
        return root.method.name

    @staticmethod
    def resolve_kind(root: PricedMethod, info: graphene.ResolveInfo) -> str:
        return str(root.method.kind)

    @staticmethod
    def resolve_pickup_address(root: PricedMethod, info: graphene.ResolveInfo) -> str | None:
        return root.method.pickup_address or None


Line = tuple[CheckoutView, PricedLine | PricedBooking]


class CheckoutLine(graphene.ObjectType):
    """Goods (`variant`) or places in an experience slot (`slot`, `participants`)."""

    id = graphene.ID(required=True)
    variant = graphene.Field(ProductVariant)
    slot = graphene.Field(Slot)
    participants = graphene.List(graphene.NonNull(ParticipantCount), required=True)
    product_name = graphene.String(required=True)
    quantity = graphene.Int(required=True, description="Units, or people for a booking.")
    unit_price = money_field(
        description="Current catalog price of one unit (the lowest participant price for a booking)."
    )
    total = money_field()
    reserved_until = graphene.DateTime(description="The stock (or the places) is held for this line until then.")

    @staticmethod
    def resolve_id(root: Line, info: graphene.ResolveInfo) -> str:
        return global_id("CheckoutLine", root[1].line.pk)

    @staticmethod
    def resolve_variant(root: Line, info: graphene.ResolveInfo) -> Any:
        view, item = root
        return view.variant_rows.get(item.variant.pk) if isinstance(item, PricedLine) else None

    @staticmethod
    def resolve_slot(root: Line, info: graphene.ResolveInfo) -> Any:
        view, item = root
        return view.slot_views.get(item.item.slot.pk) if isinstance(item, PricedBooking) else None

    @staticmethod
    def resolve_participants(root: Line, info: graphene.ResolveInfo) -> list[ParticipantCount]:
        item = root[1]
        if not isinstance(item, PricedBooking):
            return []
        return [
            ParticipantCount(participant_type=code, quantity=n, unit_price=item.item.unit_prices[code])
            for code, n in item.item.participants.items()
        ]

    @staticmethod
    def resolve_product_name(root: Line, info: graphene.ResolveInfo) -> str:
        item = root[1]
        return item.variant.product.name if isinstance(item, PricedLine) else item.item.slot.product.name

    @staticmethod
    def resolve_quantity(root: Line, info: graphene.ResolveInfo) -> int:
        return root[1].line.quantity

    @staticmethod
    def resolve_unit_price(root: Line, info: graphene.ResolveInfo) -> int:
        item = root[1]
        if isinstance(item, PricedLine):
            return item.unit_price
        return min(item.item.unit_prices.values(), default=0)

    @staticmethod
    def resolve_total(root: Line, info: graphene.ResolveInfo) -> int:
        return root[1].total

    @staticmethod
    def resolve_reserved_until(root: Line, info: graphene.ResolveInfo) -> Any:
        until = root[1].line.reserved_until
        return timezone.localtime(until) if until else None


class DeliveryGroup(graphene.ObjectType):
    """One seller's part of the cart and how it can be delivered."""

    seller = graphene.Field(graphene.NonNull(Seller))
    methods = graphene.List(graphene.NonNull(DeliveryMethod), required=True)
    selected_method = graphene.Field(DeliveryMethod)
    subtotal = money_field(description="The seller's goods, without delivery.")

    @staticmethod
    def resolve_seller(root: DeliveryGroupData, info: graphene.ResolveInfo) -> Any:
        return root.seller

    @staticmethod
    def resolve_selected_method(root: DeliveryGroupData, info: graphene.ResolveInfo) -> PricedMethod | None:
        return root.selected


class Checkout(graphene.ObjectType):
    """A cart across sellers. Its ID carries its unguessable token: whoever has it may use the cart
    (a signed-in buyer's cart is only theirs)."""

    id = graphene.ID(required=True)
    token = graphene.String(required=True)
    email = graphene.String()
    lines = graphene.List(graphene.NonNull(CheckoutLine), required=True)
    delivery_groups = graphene.List(
        graphene.NonNull(DeliveryGroup), required=True, description="One per seller with physical goods."
    )
    shipping_address = graphene.Field(Address)
    subtotal = money_field()
    delivery_total = money_field()
    total = money_field()
    available_gateways = graphene.List(graphene.NonNull(PaymentGateway), required=True)
    reserved_until = graphene.DateTime(description="When the earliest stock hold of the cart lapses.")
    is_completed = graphene.Boolean(required=True)

    @staticmethod
    def resolve_id(root: CheckoutView, info: graphene.ResolveInfo) -> str:
        return token_global_id("Checkout", root.checkout.token)

    @staticmethod
    def resolve_token(root: CheckoutView, info: graphene.ResolveInfo) -> str:
        return str(root.checkout.token)

    @staticmethod
    def resolve_email(root: CheckoutView, info: graphene.ResolveInfo) -> str | None:
        return root.checkout.email or None

    @staticmethod
    def resolve_lines(root: CheckoutView, info: graphene.ResolveInfo) -> list[Line]:
        items: list[PricedLine | PricedBooking] = [*root.summary.lines, *root.summary.bookings]
        return [(root, item) for item in sorted(items, key=lambda item: item.line.pk)]

    @staticmethod
    def resolve_delivery_groups(root: CheckoutView, info: graphene.ResolveInfo) -> list[DeliveryGroupData]:
        return root.summary.groups

    @staticmethod
    def resolve_shipping_address(root: CheckoutView, info: graphene.ResolveInfo) -> Address | None:
        return address_of(root.checkout)

    @staticmethod
    def resolve_subtotal(root: CheckoutView, info: graphene.ResolveInfo) -> int:
        return root.summary.subtotal

    @staticmethod
    def resolve_delivery_total(root: CheckoutView, info: graphene.ResolveInfo) -> int:
        return root.summary.delivery_total

    @staticmethod
    def resolve_total(root: CheckoutView, info: graphene.ResolveInfo) -> int:
        return root.summary.total

    @staticmethod
    def resolve_available_gateways(root: CheckoutView, info: graphene.ResolveInfo) -> list[Any]:
        return [PaymentGateway(id=g.id, name=str(g.name)) for g in root.summary.gateways]

    @staticmethod
    def resolve_reserved_until(root: CheckoutView, info: graphene.ResolveInfo) -> Any:
        lines = [item.line for item in root.summary.lines] + [item.line for item in root.summary.bookings]
        holds = [line.reserved_until for line in lines if line.reserved_until]
        return timezone.localtime(min(holds)) if holds else None

    @staticmethod
    def resolve_is_completed(root: CheckoutView, info: graphene.ResolveInfo) -> bool:
        return root.checkout.completed_at is not None


class CheckoutPayload(Payload):
    checkout = graphene.Field(Checkout)
