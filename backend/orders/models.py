"""Orders, seller orders, payments, the raw payment event log, refunds and the seller payout ledger.

Money is whole đồng in BigIntegerFields. A seller's balance is always a sum over its LedgerEntry rows
(never a stored figure). PaymentEvent is append-only: every inbound gateway message is kept verbatim.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderStatus(models.TextChoices):
    UNCONFIRMED = "UNCONFIRMED", _("Unconfirmed")
    CONFIRMED = "CONFIRMED", _("Confirmed")
    PARTIALLY_FULFILLED = "PARTIALLY_FULFILLED", _("Partially fulfilled")
    FULFILLED = "FULFILLED", _("Fulfilled")
    CANCELLED = "CANCELLED", _("Cancelled")


class PaymentStatus(models.TextChoices):
    NOT_CHARGED = "NOT_CHARGED", _("Not charged")
    PENDING = "PENDING", _("Pending")
    PAID = "PAID", _("Paid")
    PARTIALLY_REFUNDED = "PARTIALLY_REFUNDED", _("Partially refunded")
    REFUNDED = "REFUNDED", _("Refunded")
    FAILED = "FAILED", _("Failed")


class SellerOrderStatus(models.TextChoices):
    UNCONFIRMED = "UNCONFIRMED", _("Unconfirmed")
    CONFIRMED = "CONFIRMED", _("Confirmed")
    FULFILLED = "FULFILLED", _("Fulfilled")
    CANCELLED = "CANCELLED", _("Cancelled")


SELLER_ORDER_TRANSITIONS: dict[str, set[str]] = {
    SellerOrderStatus.UNCONFIRMED: {SellerOrderStatus.CONFIRMED, SellerOrderStatus.CANCELLED},
    SellerOrderStatus.CONFIRMED: {SellerOrderStatus.FULFILLED, SellerOrderStatus.CANCELLED},
    SellerOrderStatus.FULFILLED: set(),
    SellerOrderStatus.CANCELLED: set(),
}


class CodStatus(models.TextChoices):
    """Cash on delivery: the money's own life, apart from the shipment (payments reference §8)."""

    PENDING = "PENDING", _("Pending")
    CONFIRMED = "CONFIRMED", _("Confirmed")
    IN_TRANSIT = "IN_TRANSIT", _("In transit")
    DELIVERY_FAILED = "DELIVERY_FAILED", _("Delivery failed")
    RETURNING = "RETURNING", _("Returning")
    RETURNED = "RETURNED", _("Returned")
    COLLECTED = "COLLECTED", _("Cash collected")
    REMITTED = "REMITTED", _("Remitted")
    SETTLED = "SETTLED", _("Settled")
    REFUND_PENDING = "REFUND_PENDING", _("Refund pending")
    REFUNDED = "REFUNDED", _("Refunded")
    CANCELLED = "CANCELLED", _("Cancelled")


COD_TRANSITIONS: dict[str, set[str]] = {
    CodStatus.PENDING: {CodStatus.CONFIRMED, CodStatus.CANCELLED},
    CodStatus.CONFIRMED: {CodStatus.IN_TRANSIT, CodStatus.CANCELLED},
    CodStatus.IN_TRANSIT: {CodStatus.COLLECTED, CodStatus.DELIVERY_FAILED},
    CodStatus.DELIVERY_FAILED: {CodStatus.IN_TRANSIT, CodStatus.RETURNING},
    CodStatus.RETURNING: {CodStatus.RETURNED},
    CodStatus.RETURNED: set(),
    CodStatus.COLLECTED: {CodStatus.REMITTED, CodStatus.REFUND_PENDING},
    CodStatus.REMITTED: {CodStatus.SETTLED, CodStatus.REFUND_PENDING},
    CodStatus.SETTLED: {CodStatus.REFUND_PENDING},
    CodStatus.REFUND_PENDING: {CodStatus.REFUNDED},
    CodStatus.REFUNDED: set(),
    CodStatus.CANCELLED: set(),
}
# What a seller records itself (cash it collected, failed deliveries, returns); the rest is the platform's.
COD_SELLER_EVENTS = {
    CodStatus.COLLECTED,
    CodStatus.DELIVERY_FAILED,
    CodStatus.IN_TRANSIT,
    CodStatus.RETURNING,
    CodStatus.RETURNED,
}


class Order(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    checkout_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="orders"
    )
    email = models.EmailField(_("e-mail"), blank=True)
    full_name = models.CharField(_("full name"), max_length=120)
    phone = models.CharField(_("phone"), max_length=20)
    # Blank for an order of bookings only: a tourist gives a name and phone, not a delivery address.
    street = models.CharField(_("street address"), max_length=255, blank=True)
    commune = models.ForeignKey(
        "regions.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.UNCONFIRMED, db_index=True
    )
    payment_status = models.CharField(
        _("payment status"), max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.NOT_CHARGED
    )
    gateway = models.CharField(_("payment method"), max_length=20)
    subtotal = models.BigIntegerField(_("subtotal"))
    delivery_total = models.BigIntegerField(_("delivery total"))
    total = models.BigIntegerField(_("total"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        indexes = [models.Index(fields=["user", "created_at"], name="order_user_created")]

    def __str__(self) -> str:
        return self.number


class SellerOrder(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="seller_orders")
    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="seller_orders")
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=SellerOrderStatus.choices,
        default=SellerOrderStatus.UNCONFIRMED,
        db_index=True,
    )
    delivery_method = models.ForeignKey(
        "checkout.DeliveryMethod", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    delivery_kind = models.CharField(_("delivery kind"), max_length=16, blank=True)
    delivery_name = models.CharField(_("delivery"), max_length=120, blank=True)
    subtotal = models.BigIntegerField(_("subtotal"))
    delivery_fee = models.BigIntegerField(_("delivery fee"), default=0)
    total = models.BigIntegerField(_("total"))
    commission_rate_bp = models.PositiveIntegerField(_("commission rate (basis points)"))
    commission = models.BigIntegerField(_("commission"))
    refunded_amount = models.BigIntegerField(_("refunded"), default=0)
    cod_status = models.CharField(_("cash on delivery"), max_length=16, choices=CodStatus.choices, blank=True)
    cod_collected_amount = models.BigIntegerField(_("cash collected"), null=True, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=60, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    payout_eligible_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("seller order")
        verbose_name_plural = _("seller orders")
        constraints = [
            models.UniqueConstraint(fields=["order", "seller"], name="seller_order_one_per_seller"),
            models.CheckConstraint(
                condition=models.Q(refunded_amount__gte=0, refunded_amount__lte=models.F("total")),
                name="seller_order_refund_within_total",
            ),
        ]
        indexes = [models.Index(fields=["seller", "status", "created_at"], name="seller_order_queue")]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.seller_id}"


class OrderLine(models.Model):
    """What was sold: a snapshot of the variant at the time, and the stock it took."""

    seller_order = models.ForeignKey(SellerOrder, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(
        "catalog.ProductVariant", on_delete=models.SET_NULL, null=True, blank=True, related_name="order_lines"
    )
    # Set instead of `variant` for a booking's line (one line per participant type).
    booking = models.ForeignKey(
        "experiences.Booking", on_delete=models.CASCADE, null=True, blank=True, related_name="order_lines"
    )
    product_name = models.CharField(max_length=200)
    variant_name = models.CharField(max_length=120)
    sku = models.CharField(max_length=64)
    unit_price = models.BigIntegerField()
    quantity = models.PositiveIntegerField()
    total = models.BigIntegerField()
    restocked = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_name} ({self.variant_name})"


class Payment(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payments")
    gateway = models.CharField(max_length=20)
    # Our reference sent to the gateway (vnp_TxnRef, MoMo orderId, …): unique per attempt.
    reference = models.CharField(max_length=64, unique=True)
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3, default="VND")
    status = models.CharField(max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.PENDING)
    captured_amount = models.BigIntegerField(default=0)
    refunded_amount = models.BigIntegerField(default=0)
    gateway_transaction_id = models.CharField(max_length=100, blank=True)
    action_kind = models.CharField(max_length=16, default="NONE")
    action_url = models.TextField(blank=True)
    qr_payload = models.TextField(blank=True)
    client_secret = models.CharField(max_length=255, blank=True)
    return_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(refunded_amount__gte=0, refunded_amount__lte=models.F("captured_amount")),
                name="payment_refund_within_captured",
            ),
        ]
        indexes = [models.Index(fields=["gateway", "status", "created_at"], name="payment_pending_poll")]

    def __str__(self) -> str:
        return self.reference


class PaymentEvent(models.Model):
    """Every inbound gateway message, verbatim, before anything else happens. Never updated."""

    gateway = models.CharField(max_length=20)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    source_ip = models.GenericIPAddressField(null=True, blank=True)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=255)
    query = models.TextField(blank=True)
    headers = models.JSONField(default=dict)
    body = models.TextField(blank=True)
    verified = models.BooleanField(default=False)
    outcome = models.CharField(max_length=24, blank=True)
    reference = models.CharField(max_length=64, blank=True, db_index=True)
    gateway_transaction_id = models.CharField(max_length=100, blank=True)
    payment = models.ForeignKey(Payment, on_delete=models.SET_NULL, null=True, blank=True, related_name="events")

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.gateway} {self.received_at:%Y-%m-%d %H:%M:%S} {self.outcome}"


class RefundStatus(models.TextChoices):
    REQUESTED = "REQUESTED", _("Requested")
    CONFIRMED = "CONFIRMED", _("Confirmed")
    MANUAL = "MANUAL", _("To be refunded by hand")
    FAILED = "FAILED", _("Failed")


class Refund(models.Model):
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    seller_order = models.ForeignKey(
        SellerOrder, on_delete=models.PROTECT, null=True, blank=True, related_name="refunds"
    )
    amount = models.BigIntegerField()
    reason = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=RefundStatus.choices, default=RefundStatus.REQUESTED)
    gateway_reference = models.CharField(max_length=100, blank=True)
    message = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="refund_amount_positive")]

    def __str__(self) -> str:
        return f"{self.amount} VND ({self.status})"


class LedgerKind(models.TextChoices):
    SALE = "SALE", _("Sale")
    COMMISSION = "COMMISSION", _("Commission")
    REFUND = "REFUND", _("Refund")
    COMMISSION_REVERSAL = "COMMISSION_REVERSAL", _("Commission returned")
    PAYOUT = "PAYOUT", _("Payout")
    # Tax withheld for household and individual sellers (Decree 117/2025), written by backend.tax.
    TAX_VAT_WITHHELD = "TAX_VAT_WITHHELD", _("VAT withheld")
    TAX_PIT_WITHHELD = "TAX_PIT_WITHHELD", _("Personal income tax withheld")
    TAX_VAT_REVERSAL = "TAX_VAT_REVERSAL", _("VAT withheld returned")
    TAX_PIT_REVERSAL = "TAX_PIT_REVERSAL", _("Personal income tax withheld returned")


class LedgerEntry(models.Model):
    """One movement of a seller's money (positive: owed to the seller). Append-only."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="ledger_entries")
    seller_order = models.ForeignKey(
        SellerOrder, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_entries"
    )
    refund = models.ForeignKey(Refund, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=20, choices=LedgerKind.choices)
    amount = models.BigIntegerField()
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            # A sale and its commission are recorded once per seller order, however often a
            # notification is replayed.
            models.UniqueConstraint(
                fields=["seller_order", "kind"],
                condition=models.Q(kind__in=["SALE", "COMMISSION", "TAX_VAT_WITHHELD", "TAX_PIT_WITHHELD"]),
                name="ledger_sale_once_per_seller_order",
            ),
            models.UniqueConstraint(
                fields=["refund", "kind"], condition=models.Q(refund__isnull=False), name="ledger_once_per_refund"
            ),
        ]
        indexes = [models.Index(fields=["seller", "created_at"], name="ledger_seller_created")]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"
