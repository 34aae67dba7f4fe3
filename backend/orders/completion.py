"""Completing a checkout: the checkout's holds become an order split per seller, in one transaction.

The checkout row is locked first (so a double submit returns the same order), then the variants in
id order (so two carts never deadlock), and stock is taken only if it is there. The payment starts
after the commit."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.catalog.models import ProductVariant
from backend.catalog.services import lock_for_stock, stock_take
from backend.checkout.models import Checkout, CheckoutLine
from backend.checkout.reservations import held_quantities
from backend.checkout.selectors import CheckoutSummary, PricedBooking, summarize
from backend.checkout.services import InsufficientStock, stock_shortage
from backend.core.errors import DomainError, ErrorDetail, ValidationFailed
from backend.core.gateways import is_cash
from backend.core.redirects import checked_return_url
from backend.core.text import format_dong
from backend.experiences.bookings import take_places
from backend.legal.documents import BUYER_TERMS
from backend.legal.models import AcceptanceContext, ConsentPurpose
from backend.legal.services import acceptance_record, consent_record
from backend.moderation.services import audit_record
from backend.orders import ledger, payments
from backend.orders.bookings import book
from backend.orders.errors import DeliveryMethodRequired, GatewayUnavailable, ShippingAddressRequired
from backend.orders.models import CodStatus, Order, OrderLine, Payment, PaymentStatus, SellerOrder
from backend.outbox.services import enqueue

_NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def _new_number() -> str:
    day = timezone.localdate().strftime("%y%m%d")
    return "CP" + day + "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(5))


@dataclass(frozen=True)
class CompleteResult:
    order: Order
    payment: Payment | None
    created: bool


def _validate(summary: CheckoutSummary, gateway_id: str) -> None:
    checkout = summary.checkout
    if summary.is_empty:
        raise ValidationFailed(_("The checkout is empty."), code="INVALID", field="lines")
    if summary.lines and not checkout.has_address:
        raise ShippingAddressRequired(field="shippingAddress")
    if summary.bookings and not checkout.has_contact:
        raise ShippingAddressRequired(_("Enter the name and phone number of the person booking."), field="contact")
    empty = [b for b in summary.bookings if b.item.quantity == 0]
    if empty:
        raise ValidationFailed(_("A booking has no participants left; remove it."), field="lines")
    missing = [group for group in summary.groups if group.selected is None]
    if missing:
        raise DeliveryMethodRequired(
            details=[
                ErrorDetail(
                    code="DELIVERY_METHOD_REQUIRED",
                    field="deliveryMethod",
                    message=_("Choose how “%(seller)s” delivers.") % {"seller": group.seller.name},
                )
                for group in missing
            ]
        )
    if gateway_id not in {g.id for g in summary.gateways}:
        raise GatewayUnavailable(field="gateway")
    if is_cash(gateway_id) and summary.total > settings.COD_MAX_ORDER_TOTAL:
        raise GatewayUnavailable(
            _("Cash on delivery is available for orders up to %(max)s đ; please pay online.")
            % {"max": format_dong(settings.COD_MAX_ORDER_TOTAL).removesuffix(" đ")},
            field="gateway",
        )


def _existing(checkout: Checkout) -> CompleteResult | None:
    order = Order.objects.filter(checkout_token=checkout.token).first()
    if order is None:
        return None
    return CompleteResult(order=order, payment=order.payments.order_by("-id").first(), created=False)


def _take_stock(checkout: Checkout, lines: list[CheckoutLine]) -> dict[int, ProductVariant]:
    """Lock the variants in id order and check each line: a line whose hold is still live needs the
    stock; one whose hold lapsed must also leave other buyers' live holds untouched."""
    now = timezone.now()
    ids = sorted({line.variant_id for line in lines if line.variant_id is not None})
    variants = lock_for_stock(ids)
    lapsed = [line for line in lines if not (line.reserved_until and line.reserved_until > now)]
    held = held_quantities((line.variant_id or 0 for line in lapsed), exclude_checkout_id=checkout.pk) if lapsed else {}
    errors: list[ErrorDetail] = []
    for line in lines:
        variant = variants.get(line.variant_id or 0)
        if variant is None:
            errors.append(ErrorDetail(code="NOT_FOUND", field="lines", message=_("This product is not on sale.")))
            continue
        available = variant.stock - held.get(variant.pk, 0) if line in lapsed else variant.stock
        if line.quantity > available:
            errors.append(stock_shortage(variant, available))
    if errors:
        raise InsufficientStock(details=errors)
    return variants


def checkout_complete(
    *, checkout: Checkout, gateway_id: str, user: Any, return_url: str = "", client_ip: str = "127.0.0.1"
) -> CompleteResult:
    """Turn the checkout into an order, once. The payment is started after the commit (a gateway
    call never runs inside the stock locks). `return_url` must be on this site or an allowed front
    end (FRONTEND_URLS); anything else is INVALID."""
    return_url = checked_return_url(return_url)
    checkout.refresh_from_db()
    if checkout.completed_at is not None and (done := _existing(checkout)) is not None:
        return done
    summary = summarize(checkout)
    _validate(summary, gateway_id)
    with transaction.atomic():
        locked = Checkout.objects.select_for_update().get(pk=checkout.pk)
        if locked.completed_at is not None and (done := _existing(locked)) is not None:
            return done
        summary = summarize(locked)  # reprice under the lock
        _validate(summary, gateway_id)
        lines = [item.line for item in summary.lines]
        variants = _take_stock(locked, lines)
        if summary.bookings:
            take_places(checkout_id=locked.pk, lines=[b.line for b in summary.bookings], now=timezone.now())
        order = _create_order(locked, summary, gateway_id=gateway_id, user=user)
        stock_take(variants=variants, quantities=[(line.variant_id or 0, line.quantity) for line in lines])
        locked.completed_at = timezone.now()
        locked.save(update_fields=["completed_at", "updated_at"])
        locked.lines.update(reserved_until=None)
        audit_record(actor=user, action="order.create", target=order, status_after=order.status)
        acceptance_record(user=user, context=AcceptanceContext.CHECKOUT, documents=BUYER_TERMS, order_id=order.pk)
        consent_record(user=user, purpose=ConsentPurpose.ORDER_FULFILMENT, email=order.email, order_id=order.pk)
        payment = Payment.objects.create(
            order=order,
            gateway=gateway_id,
            reference=f"{order.number}P1",
            amount=order.total,
            status=PaymentStatus.NOT_CHARGED if is_cash(gateway_id) else PaymentStatus.PENDING,
            return_url=return_url[:500],
        )
        order_id = order.pk
        _notify_placed(order_id)
    payment = payments.start_payment(payment=payment, client_ip=client_ip)
    order.refresh_from_db()
    return CompleteResult(order=order, payment=payment, created=True)


def _notify_placed(order_id: int) -> None:
    """The buyer's and sellers' e-mails, delivered after commit by the outbox (once per order)."""
    enqueue(kind="orders.order_placed", key=f"orders.order_placed:{order_id}", payload={"order_id": order_id})


def _create_order(checkout: Checkout, summary: CheckoutSummary, *, gateway_id: str, user: Any) -> Order:
    buyer = user if getattr(user, "is_authenticated", False) else None
    for _attempt in range(5):
        try:
            with transaction.atomic():
                order = Order.objects.create(
                    number=_new_number(),
                    checkout_token=checkout.token,
                    user=buyer if buyer is not None else checkout.user,
                    email=checkout.email,
                    full_name=checkout.full_name,
                    phone=checkout.phone,
                    street=checkout.street,
                    commune_id=checkout.commune_id,
                    gateway=gateway_id,
                    payment_status=PaymentStatus.NOT_CHARGED if is_cash(gateway_id) else PaymentStatus.PENDING,
                    subtotal=summary.subtotal,
                    delivery_total=summary.delivery_total,
                    total=summary.total,
                )
            break
        except IntegrityError:
            if Order.objects.filter(checkout_token=checkout.token).exists():
                raise
    else:  # pragma: no cover - 32^5 numbers a day
        raise DomainError(_("Could not number the order; please try again."))
    bookings_by_seller: dict[int, list[PricedBooking]] = {}
    for booking in summary.bookings:
        bookings_by_seller.setdefault(booking.seller.pk, []).append(booking)
    groups = {group.seller.pk: group for group in summary.groups}
    sellers = {group.seller.pk: group.seller for group in summary.groups}
    sellers.update({b.seller.pk: b.seller for b in summary.bookings})
    for seller_id, seller in sellers.items():
        group = groups.get(seller_id)
        bookings = bookings_by_seller.get(seller_id, [])
        goods = group.subtotal if group is not None else 0
        selected = group.selected if group is not None else None
        fee = selected.price if selected is not None else 0
        subtotal = goods + sum(b.total for b in bookings)
        seller_order = SellerOrder.objects.create(
            order=order,
            seller=seller,
            delivery_method=selected.method if selected is not None else None,
            delivery_kind=selected.method.kind if selected is not None else "",
            delivery_name=selected.method.name if selected is not None else "",
            subtotal=subtotal,
            delivery_fee=fee,
            total=subtotal + fee,
            commission_rate_bp=seller.commission_rate_bp,
            commission=ledger.commission_for(subtotal=subtotal, rate_bp=seller.commission_rate_bp),
            cod_status=CodStatus.PENDING if is_cash(gateway_id) else "",
        )
        if group is not None:
            OrderLine.objects.bulk_create(
                OrderLine(
                    seller_order=seller_order,
                    variant=item.variant,
                    product_name=item.variant.product.name,
                    variant_name=item.variant.name,
                    sku=item.variant.sku,
                    unit_price=item.unit_price,
                    quantity=item.line.quantity,
                    total=item.total,
                )
                for item in group.lines
            )
        if bookings:
            book(order=order, seller_order=seller_order, items=[b.item for b in bookings])
    return order
