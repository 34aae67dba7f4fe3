"""Write side of orders: completing a checkout, the seller order and COD state machines, refunds
and payouts.

`checkout_complete` turns a checkout's holds into order lines in one transaction: the checkout row
is locked first (so a double submit returns the same order), then the variants in id order (so two
carts never deadlock), and stock is taken only if it is there. Every status change is audited.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.accounts.permissions import Act, ensure_may, may
from backend.catalog.models import Product, ProductVariant
from backend.catalog.services import refresh_product_pricing
from backend.checkout.models import Checkout, CheckoutLine, DeliveryKind
from backend.checkout.selectors import CheckoutSummary, PricedBooking, summarize
from backend.checkout.services import InsufficientStock, stock_shortage
from backend.core.errors import DomainError, ErrorDetail, InvalidTransition, PermissionDenied, ValidationFailed
from backend.core.redirects import checked_return_url
from backend.core.text import format_dong
from backend.experiences.bookings import create_bookings, release_bookings, take_places
from backend.legal.documents import BUYER_TERMS
from backend.legal.models import AcceptanceContext, ConsentPurpose
from backend.legal.services import acceptance_record, consent_record
from backend.moderation.services import audit_record
from backend.orders import ledger
from backend.orders.models import (
    COD_TRANSITIONS,
    SELLER_ORDER_TRANSITIONS,
    CodStatus,
    LedgerEntry,
    LedgerKind,
    Order,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentStatus,
    SellerOrder,
    SellerOrderStatus,
)
from backend.outbox.services import enqueue
from backend.sellers.models import Seller
from backend.sellers.permissions import seller_place

_NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


class ShippingAddressRequired(DomainError):
    default_code = "SHIPPING_ADDRESS_REQUIRED"
    default_message = _("Enter a shipping address first.")


class DeliveryMethodRequired(DomainError):
    default_code = "DELIVERY_METHOD_REQUIRED"
    default_message = _("Choose a delivery method for every seller.")


class GatewayUnavailable(DomainError):
    default_code = "PAYMENT_GATEWAY_UNAVAILABLE"
    default_message = _("This payment method is not available.")


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
    if gateway_id == "cod" and summary.total > settings.COD_MAX_ORDER_TOTAL:
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


def _lock_products_of(variant_ids: list[int]) -> None:
    """Lock the variants' products in id order first: the catalog's variant_update locks a product,
    then its variant, and refreshing the product's price range after a stock change must take the
    same rows in the same order, or PostgreSQL aborts one side with a deadlock."""
    product_ids = sorted(set(ProductVariant.objects.filter(pk__in=variant_ids).values_list("product_id", flat=True)))
    list(Product.objects.select_for_update().filter(pk__in=product_ids).order_by("pk").values_list("pk", flat=True))


def _take_stock(checkout: Checkout, lines: list[CheckoutLine]) -> dict[int, ProductVariant]:
    """Lock the variants in id order and check each line: a line whose hold is still live needs the
    stock; one whose hold lapsed must also leave other buyers' live holds untouched."""
    from backend.checkout.reservations import held_quantities

    now = timezone.now()
    ids = sorted({line.variant_id for line in lines if line.variant_id is not None})
    _lock_products_of(ids)
    variants = {v.pk: v for v in ProductVariant.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
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
    from backend.orders.payments import start_payment

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
        for line in lines:
            variant = variants[line.variant_id or 0]
            variant.stock -= line.quantity
            variant.save(update_fields=["stock", "updated_at"])
        for product in Product.objects.filter(pk__in={v.product_id for v in variants.values()}):
            refresh_product_pricing(product)
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
            status=PaymentStatus.NOT_CHARGED if gateway_id == "cod" else PaymentStatus.PENDING,
            return_url=return_url[:500],
        )
        order_id = order.pk
        _notify_placed(order_id)
    payment = start_payment(payment=payment, client_ip=client_ip)
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
                    payment_status=PaymentStatus.NOT_CHARGED if gateway_id == "cod" else PaymentStatus.PENDING,
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
            cod_status=CodStatus.PENDING if gateway_id == "cod" else "",
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
            create_bookings(order=order, seller_order=seller_order, items=[b.item for b in bookings])
    return order


# --- order status ---------------------------------------------------------------------------


def derive_order_status(statuses: list[str]) -> str:
    live = [s for s in statuses if s != SellerOrderStatus.CANCELLED]
    if not live:
        return OrderStatus.CANCELLED
    fulfilled = sum(1 for s in live if s == SellerOrderStatus.FULFILLED)
    if fulfilled == len(live):
        return OrderStatus.FULFILLED
    if fulfilled:
        return OrderStatus.PARTIALLY_FULFILLED
    if all(s == SellerOrderStatus.CONFIRMED for s in live):
        return OrderStatus.CONFIRMED
    return OrderStatus.UNCONFIRMED


def refresh_order_status(order: Order) -> Order:
    status = derive_order_status(list(order.seller_orders.values_list("status", flat=True)))
    if status != order.status:
        order.status = status
        order.save(update_fields=["status", "updated_at"])
    return order


def _locked_seller_order(seller_order: SellerOrder, actor: Any, act: Act = Act.SELLER_ORDER_HANDLE) -> SellerOrder:
    ensure_may(actor=actor, act=act, place=seller_place(seller_order.seller))
    return SellerOrder.objects.select_for_update().select_related("order", "seller").get(pk=seller_order.pk)


def _move(seller_order: SellerOrder, status: str) -> str:
    before = seller_order.status
    if status not in SELLER_ORDER_TRANSITIONS.get(before, set()):
        raise InvalidTransition(
            _("This order cannot go from “%(before)s” to “%(after)s”.")
            % {"before": SellerOrderStatus(before).label, "after": SellerOrderStatus(status).label}
        )
    seller_order.status = status
    return before


def _move_cod(seller_order: SellerOrder, status: str) -> str:
    before = seller_order.cod_status
    if status not in COD_TRANSITIONS.get(before, set()):
        raise InvalidTransition(
            _("Cash on delivery cannot go from “%(before)s” to “%(after)s”.")
            % {"before": CodStatus(before).label if before else "-", "after": CodStatus(status).label}
        )
    seller_order.cod_status = status
    return before


def _after_change(
    seller_order: SellerOrder, *, actor: Any, action: str, before: str, reason: str = "", notify: bool = True
) -> None:
    seller_order.save()
    refresh_order_status(seller_order.order)
    audit_record(
        actor=actor,
        action=action,
        target=seller_order,
        reason=reason,
        status_before=before,
        status_after=seller_order.status,
    )
    if notify:
        pk = seller_order.pk
        _notify_status(pk)


def _notify_status(seller_order_id: int) -> None:
    """The buyer's status e-mail, as an outbox item written in the deciding transaction."""
    key = f"orders.seller_order_status:{seller_order_id}:{uuid.uuid4().hex}"
    enqueue(kind="orders.seller_order_status", key=key, payload={"seller_order_id": seller_order_id})


def confirm_paid_seller_orders(order: Order) -> None:
    """An online payment arrived: confirm the seller orders (when configured) and put the sales on
    the ledger. Called by the payment code inside its transaction."""
    from backend.experiences.bookings import confirm_bookings

    confirm_bookings(order)
    for seller_order in order.seller_orders.select_for_update().exclude(status=SellerOrderStatus.CANCELLED):
        seller_order.order = order
        ledger.record_sale(seller_order)
        if settings.ORDER_AUTO_CONFIRM_PAID and seller_order.status == SellerOrderStatus.UNCONFIRMED:
            before = _move(seller_order, SellerOrderStatus.CONFIRMED)
            seller_order.confirmed_at = timezone.now()
            _after_change(seller_order, actor=None, action="seller_order.confirm", before=before, reason="paid online")


@transaction.atomic
def seller_order_confirm(*, seller_order: SellerOrder, actor: Any) -> SellerOrder:
    locked = _locked_seller_order(seller_order, actor)
    before = _move(locked, SellerOrderStatus.CONFIRMED)
    locked.confirmed_at = timezone.now()
    if locked.cod_status == CodStatus.PENDING:
        _move_cod(locked, CodStatus.CONFIRMED)
    _after_change(locked, actor=actor, action="seller_order.confirm", before=before)
    return locked


@transaction.atomic
def seller_order_fulfill(*, seller_order: SellerOrder, actor: Any, tracking_number: str = "") -> SellerOrder:
    """Handed to the carrier or the buyer (optional tracking number)."""
    locked = _locked_seller_order(seller_order, actor)
    tracking = (tracking_number or "").strip()
    if len(tracking) > 60:
        raise ValidationFailed(_("The tracking number is too long."), field="trackingNumber")
    before = _move(locked, SellerOrderStatus.FULFILLED)
    locked.fulfilled_at = timezone.now()
    locked.tracking_number = tracking
    if locked.cod_status == CodStatus.CONFIRMED:
        _move_cod(locked, CodStatus.IN_TRANSIT)
    _after_change(locked, actor=actor, action="seller_order.fulfill", before=before)
    return locked


def _restock(seller_order: SellerOrder) -> None:
    lines = list(seller_order.lines.select_for_update().filter(restocked=False, variant__isnull=False))
    ids = sorted({line.variant_id for line in lines if line.variant_id is not None})
    _lock_products_of(ids)
    list(ProductVariant.objects.select_for_update().filter(pk__in=ids).order_by("pk"))  # lock in id order
    for line in lines:
        ProductVariant.objects.filter(pk=line.variant_id or 0).update(stock=F("stock") + line.quantity)
    OrderLine.objects.filter(pk__in=[line.pk for line in lines]).update(restocked=True)
    for product in Product.objects.filter(variants__pk__in=ids).distinct():
        refresh_product_pricing(product)
    release_bookings(seller_order=seller_order)


def cancel_if_empty(*, seller_order: SellerOrder, actor: Any, reason: str) -> bool:
    """A seller order whose bookings were all cancelled one by one (and that has no goods) is
    cancelled as a whole; the refunds were already made per booking."""
    if seller_order.lines.filter(booking__isnull=True).exists():
        return False
    if seller_order.bookings.exclude(status="CANCELLED").exists():
        return False
    if SellerOrderStatus.CANCELLED not in SELLER_ORDER_TRANSITIONS.get(seller_order.status, set()):
        return False
    before = _move(seller_order, SellerOrderStatus.CANCELLED)
    seller_order.cancelled_at = timezone.now()
    seller_order.cancel_reason = (reason or "")[:2000]
    # The buyer hears of it from the booking cancellation itself.
    _after_change(seller_order, actor=actor, action="seller_order.cancel", before=before, reason=reason, notify=False)
    return True


@transaction.atomic
def seller_order_cancel(*, seller_order: SellerOrder, actor: Any, reason: str) -> SellerOrder:
    """Cancel one seller's part: its stock goes back and whatever was paid for it is refunded."""
    from backend.orders.payments import refund_seller_order

    text = (reason or "").strip()
    if not text:
        raise ValidationFailed(_("Give a reason."), code="REQUIRED", field="reason")
    locked = _locked_seller_order(seller_order, actor, Act.SELLER_ORDER_CANCEL)
    before = _move(locked, SellerOrderStatus.CANCELLED)
    locked.cancelled_at = timezone.now()
    locked.cancel_reason = text[:2000]
    if locked.cod_status in (CodStatus.PENDING, CodStatus.CONFIRMED):
        _move_cod(locked, CodStatus.CANCELLED)
    _restock(locked)
    _after_change(locked, actor=actor, action="seller_order.cancel", before=before, reason=text)
    refund_seller_order(seller_order=locked, amount=None, reason=text, actor=actor)
    return locked


def cancel_unpaid_orders(*, now: datetime | None = None) -> int:
    """Online orders still unpaid ORDER_UNPAID_CANCEL_MINUTES after they were placed give their stock
    back (the periodic task). A payment that still arrives later is refunded automatically."""
    moment = now or timezone.now()
    cutoff = moment - timedelta(minutes=settings.ORDER_UNPAID_CANCEL_MINUTES)
    stale = (
        Order.objects.filter(created_at__lte=cutoff, payment_status__in=[PaymentStatus.PENDING, PaymentStatus.FAILED])
        .exclude(gateway="cod")
        .exclude(status=OrderStatus.CANCELLED)
    )
    cancelled = 0
    for order_id in list(stale.values_list("pk", flat=True)):
        with transaction.atomic():
            order = Order.objects.select_for_update().get(pk=order_id)
            if order.payment_status not in (PaymentStatus.PENDING, PaymentStatus.FAILED):
                continue  # paid meanwhile
            for seller_order in order.seller_orders.select_for_update().exclude(status=SellerOrderStatus.CANCELLED):
                seller_order.order = order
                before = _move(seller_order, SellerOrderStatus.CANCELLED)
                seller_order.cancelled_at = moment
                seller_order.cancel_reason = "unpaid"
                _restock(seller_order)
                _after_change(seller_order, actor=None, action="seller_order.cancel", before=before, reason="unpaid")
            cancelled += 1
    return cancelled


# --- cash on delivery -----------------------------------------------------------------------

# Who records which cash-on-delivery event (docs/permissions.md): the delivery's own events by the
# seller or, from a carrier's statement, the platform; cash collected by the seller itself (own
# delivery, pickup) by the seller; cash collected by a carrier, remittance, settlement and cash handed
# back by the platform. PENDING, CONFIRMED, CANCELLED and REFUND_PENDING follow from confirming,
# cancelling and refunding the order, never from this act.
COD_EVENT_ACTS: dict[str, Act] = {
    CodStatus.IN_TRANSIT: Act.COD_DELIVERY,
    CodStatus.DELIVERY_FAILED: Act.COD_DELIVERY,
    CodStatus.RETURNING: Act.COD_DELIVERY,
    CodStatus.RETURNED: Act.COD_DELIVERY,
    CodStatus.REMITTED: Act.COD_REMIT,
    CodStatus.SETTLED: Act.COD_SETTLE,
    CodStatus.REFUNDED: Act.COD_REFUND,
}


def cod_event_act(*, status: str, delivery_kind: str) -> Act | None:
    """The act that records `status` on a seller order delivered by `delivery_kind`, if any."""
    if status == CodStatus.COLLECTED:
        return Act.COD_COLLECT_CARRIER if delivery_kind == DeliveryKind.CARRIER else Act.COD_COLLECT_OWN
    return COD_EVENT_ACTS.get(status)


@transaction.atomic
def cod_record(*, seller_order: SellerOrder, actor: Any, status: str, amount: int | None = None) -> SellerOrder:
    """Record a cash-on-delivery event. Cash collected by a carrier is recorded by the platform from
    the carrier's statement; a seller records cash it collected itself (own delivery, pickup), failed
    deliveries and returns. Remittance, settlement and cash handed back are the platform's (or, where
    PLATFORM_OPERATOR_PROVINCES says so, the province's admins covering the seller)."""
    try:
        target = CodStatus(status)
    except ValueError as exc:
        raise ValidationFailed(_("Unknown cash-on-delivery status."), field="status") from exc
    act = cod_event_act(status=target, delivery_kind=seller_order.delivery_kind)
    place = seller_place(seller_order.seller)
    if act is not None and not may(actor, act, place) and may(actor, Act.COD_COLLECT_OWN, place):
        raise PermissionDenied(_("Only the platform records this from the carrier's statement."))
    ensure_may(actor=actor, act=act or Act.COD_DELIVERY, place=place)
    if act is None:
        raise ValidationFailed(
            _("This status follows from confirming, cancelling or refunding the order."), field="status"
        )
    locked = SellerOrder.objects.select_for_update().select_related("order").get(pk=seller_order.pk)
    if not locked.cod_status:
        raise InvalidTransition(_("This order is not paid in cash on delivery."))
    before_cod = _move_cod(locked, target)
    before = locked.status
    if target == CodStatus.COLLECTED:
        collected = locked.total if amount is None else int(amount)
        if collected != locked.total:
            raise ValidationFailed(
                _("The cash collected (%(got)s đ) differs from the order total (%(total)s đ).")
                % {"got": collected, "total": locked.total},
                field="amount",
            )
        locked.cod_collected_amount = collected
        locked.delivered_at = timezone.now()
        ledger.record_sale(locked)
    if target == CodStatus.RETURNED:
        _restock(locked)
        locked.status = SellerOrderStatus.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.cancel_reason = locked.cancel_reason or "returned to seller"
    if target == CodStatus.SETTLED and locked.payout_eligible_at is None:
        locked.payout_eligible_at = timezone.now()
    locked.save()
    refresh_order_status(locked.order)
    _refresh_cod_payment(locked.order)
    audit_record(
        actor=actor, action=f"cod.{target.lower()}", target=locked, status_before=before_cod, status_after=target
    )
    if before != locked.status:
        pk = locked.pk
        _notify_status(pk)
    return locked


def _refresh_cod_payment(order: Order) -> None:
    """A COD order is PAID once every live seller order's cash is collected."""
    if order.gateway != "cod":
        return
    cods = list(
        order.seller_orders.exclude(cod_status__in=[CodStatus.CANCELLED, CodStatus.RETURNED]).values_list(
            "cod_status", flat=True
        )
    )
    collected = {CodStatus.COLLECTED, CodStatus.REMITTED, CodStatus.SETTLED}
    status = PaymentStatus.PAID if cods and all(s in collected for s in cods) else order.payment_status
    if status != order.payment_status:
        order.payment_status = status
        order.save(update_fields=["payment_status", "updated_at"])
        order.payments.filter(gateway="cod").update(status=status, captured_amount=F("amount"), paid_at=timezone.now())


@transaction.atomic
def seller_order_mark_delivered(*, seller_order: SellerOrder, actor: Any) -> SellerOrder:
    locked = _locked_seller_order(seller_order, actor)
    if locked.status != SellerOrderStatus.FULFILLED:
        raise InvalidTransition(_("Only a fulfilled order can be delivered."))
    if locked.delivered_at is None:
        locked.delivered_at = timezone.now()
        locked.save(update_fields=["delivered_at"])
        audit_record(
            actor=actor,
            action="seller_order.delivered",
            target=locked,
            status_before=locked.status,
            status_after=locked.status,
        )
    return locked


# --- payouts -----------------------------------------------------------------------------------


def mark_payout_eligible(*, now: datetime | None = None) -> int:
    """Seller orders whose money is in and whose goods arrived more than PAYOUT_HOLD_DAYS ago."""
    moment = now or timezone.now()
    hold = timedelta(days=settings.PAYOUT_HOLD_DAYS)
    assumed = timedelta(days=settings.DELIVERY_ASSUMED_AFTER_DAYS)
    base = SellerOrder.objects.filter(
        payout_eligible_at__isnull=True, status=SellerOrderStatus.FULFILLED, ledger_entries__kind=LedgerKind.SALE
    )
    delivered = base.filter(delivered_at__lte=moment - hold)
    assumed_delivered = base.filter(delivered_at__isnull=True, fulfilled_at__lte=moment - hold - assumed, cod_status="")
    count = 0
    for queryset in (delivered, assumed_delivered):
        count += SellerOrder.objects.filter(pk__in=list(queryset.values_list("pk", flat=True))).update(
            payout_eligible_at=moment
        )
    return count


@transaction.atomic
def payout_record(*, seller: Seller, actor: Any, reference: str = "") -> LedgerEntry | None:
    """Pay a seller what is available now (platform staff): one PAYOUT entry, never twice the money."""
    ensure_may(actor=actor, act=Act.SELLER_PAYOUT, place=seller_place(seller))
    Seller.objects.select_for_update().get(pk=seller.pk)
    amount = ledger.available_for_payout(seller=seller)
    if amount <= 0:
        return None
    entry = LedgerEntry.objects.create(seller=seller, kind=LedgerKind.PAYOUT, amount=-amount, note=reference[:255])
    audit_record(actor=actor, action="seller.payout", target=seller, reason=f"{amount} VND {reference}".strip())
    return entry
