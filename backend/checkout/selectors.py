"""Read side of checkout: finding a checkout by its token and pricing it (lines, delivery groups, totals)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from backend.catalog.models import ProductVariant
from backend.checkout.delivery import DEFAULT_WEIGHT_GRAMS, fee_basis, method_price
from backend.checkout.models import Checkout, CheckoutLine, DeliveryMethod
from backend.core.gateways import gateways_for
from backend.experiences.bookings import BookingItem
from backend.experiences.selectors import prices_by_experience
from backend.sellers.models import Seller
from payments.base import Gateway


def checkout_by_token(*, token: str, user: Any) -> Checkout | None:
    """The checkout whose token is `token`, if `user` may see it.

    Anyone holding the token of an anonymous checkout may use it; a signed-in buyer's checkout is
    only theirs. Anything else looks exactly like a checkout that does not exist."""
    try:
        key = uuid.UUID(str(token))
    except ValueError:
        return None
    checkout = Checkout.objects.select_related("commune__province").filter(token=key).first()
    if checkout is None:
        return None
    if checkout.user_id is not None and getattr(user, "pk", None) != checkout.user_id:
        return None
    return checkout


@dataclass
class PricedLine:
    line: CheckoutLine
    variant: ProductVariant
    unit_price: int
    total: int


@dataclass
class PricedMethod:
    method: DeliveryMethod
    price: int
    basis: str = ""  # a `delivery.FeeBasis`: which rule gave the price


@dataclass
class DeliveryGroup:
    seller: Seller
    lines: list[PricedLine]
    methods: list[PricedMethod]
    selected: PricedMethod | None
    subtotal: int
    weight_grams: int


@dataclass
class PricedBooking:
    """A booking line: places in an experience slot, priced per participant type."""

    line: CheckoutLine
    item: BookingItem
    seller: Seller

    @property
    def total(self) -> int:
        return self.item.total


@dataclass
class CheckoutSummary:
    checkout: Checkout
    lines: list[PricedLine]
    groups: list[DeliveryGroup]
    subtotal: int
    delivery_total: int
    total: int
    gateways: list[Gateway] = field(default_factory=list)
    bookings: list[PricedBooking] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.lines and not self.bookings


def _price_bookings(lines: list[CheckoutLine]) -> list[PricedBooking]:
    """Booking lines priced from the experiences' current participant prices (one query)."""
    if not lines:
        return []
    prices = prices_by_experience(line.slot.experience_id for line in lines if line.slot is not None)
    priced = []
    for line in lines:
        slot = line.slot
        if slot is None:
            continue
        table = {p.participant_type: p for p in prices.get(slot.experience_id, [])}
        participants = {code: int(n) for code, n in (line.participants or {}).items() if code in table and int(n) > 0}
        unit_prices = {code: table[code].price for code in participants}
        item = BookingItem(
            slot=slot,
            participants=participants,
            unit_prices=unit_prices,
            names={code: table[code].name for code in participants},
            quantity=sum(participants.values()),
            total=sum(unit_prices[code] * n for code, n in participants.items()),
        )
        priced.append(PricedBooking(line=line, item=item, seller=slot.seller))
    return priced


def summarize(checkout: Checkout) -> CheckoutSummary:
    """Price a checkout from the current catalog: 4 queries whatever the number of lines."""
    lines = list(
        checkout.lines.select_related(
            "variant__product",
            "variant__seller__commune__province",
            "slot__product",
            "slot__experience",
            "slot__seller__commune",
        ).order_by("id")
    )
    priced = [
        PricedLine(
            line=line, variant=line.variant, unit_price=line.variant.price, total=line.variant.price * line.quantity
        )
        for line in lines
        if line.variant is not None
    ]
    by_seller: dict[int, list[PricedLine]] = {}
    for item in priced:
        by_seller.setdefault(item.variant.seller_id, []).append(item)
    methods_by_seller: dict[int, list[DeliveryMethod]] = {}
    if by_seller:
        for method in DeliveryMethod.objects.filter(seller_id__in=by_seller, is_active=True):
            methods_by_seller.setdefault(method.seller_id, []).append(method)
    commune = checkout.commune if checkout.commune_id else None
    groups: list[DeliveryGroup] = []
    for seller_id, items in by_seller.items():
        seller = items[0].variant.seller
        weight = sum((item.variant.weight_grams or DEFAULT_WEIGHT_GRAMS) * item.line.quantity for item in items)
        offered = []
        for method in methods_by_seller.get(seller_id, []):
            price = method_price(method, seller=seller, commune=commune, weight_grams=weight)
            if price is not None:
                basis = fee_basis(method, seller=seller, commune=commune)
                offered.append(PricedMethod(method=method, price=price, basis=basis))
        chosen_id = (checkout.delivery_choices or {}).get(str(seller_id))
        selected = next((m for m in offered if m.method.pk == chosen_id), None)
        groups.append(
            DeliveryGroup(
                seller=seller,
                lines=items,
                methods=offered,
                selected=selected,
                subtotal=sum(item.total for item in items),
                weight_grams=weight,
            )
        )
    bookings = _price_bookings([line for line in lines if line.slot_id is not None])
    subtotal = sum(item.total for item in priced) + sum(b.total for b in bookings)
    delivery_total = sum(group.selected.price for group in groups if group.selected is not None)
    return CheckoutSummary(
        checkout=checkout,
        lines=priced,
        groups=groups,
        subtotal=subtotal,
        delivery_total=delivery_total,
        total=subtotal + delivery_total,
        # Cash on delivery is for goods only: places in a slot are paid up front.
        gateways=gateways_for(physical_goods=bool(priced) and not bookings),
        bookings=bookings,
    )
