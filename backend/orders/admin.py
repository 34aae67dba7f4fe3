"""Django admin for orders and money: everything here is read-only.

Orders, seller orders, payments and refunds change only through `backend.orders.services` and
`backend.orders.payments` (state machines, stock, audit, ledger), so the admin is for looking up
and support. The raw payment event log and the seller ledger are append-only: nobody adds, edits
or deletes them, not even a superuser.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from backend.orders.models import LedgerEntry, Order, OrderLine, Payment, PaymentEvent, Refund, SellerOrder


def _field_names(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(f.name for f in model._meta.fields)


class ReadOnlyAdminMixin:
    """No add, change or delete: the change page only shows the object."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True


class SellerOrderInline(ReadOnlyInline):
    model = SellerOrder
    fields = (
        "seller",
        "status",
        "delivery_name",
        "subtotal",
        "delivery_fee",
        "total",
        "commission",
        "refunded_amount",
        "cod_status",
        "tracking_number",
    )
    readonly_fields = fields


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ("reference", "gateway", "status", "amount", "captured_amount", "refunded_amount", "created_at", "paid_at")
    readonly_fields = fields


@admin.register(Order)
class OrderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "number",
        "created_at",
        "full_name",
        "phone",
        "email",
        "total",
        "status",
        "payment_status",
        "gateway",
    )
    list_filter = ("status", "payment_status", "gateway")
    search_fields = ("number", "phone", "email")
    date_hierarchy = "created_at"
    fields = _field_names(Order)
    readonly_fields = fields
    inlines = (SellerOrderInline, PaymentInline)
    list_select_related = ("commune",)


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = ("product_name", "variant_name", "sku", "unit_price", "quantity", "total", "restocked")
    readonly_fields = fields
    show_change_link = False


@admin.register(SellerOrder)
class SellerOrderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("order", "seller", "status", "cod_status", "total", "commission", "refunded_amount", "created_at")
    list_filter = ("status", "cod_status", "delivery_kind")
    search_fields = ("order__number", "order__phone", "order__email", "seller__name", "tracking_number")
    date_hierarchy = "created_at"
    list_select_related = ("order", "seller")
    fields = _field_names(SellerOrder)
    readonly_fields = fields
    inlines = (OrderLineInline,)


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "reference",
        "order",
        "gateway",
        "status",
        "amount",
        "captured_amount",
        "refunded_amount",
        "created_at",
    )
    list_filter = ("gateway", "status")
    search_fields = ("reference", "gateway_transaction_id", "order__number")
    date_hierarchy = "created_at"
    list_select_related = ("order",)
    fields = _field_names(Payment)
    readonly_fields = fields


@admin.register(PaymentEvent)
class PaymentEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every inbound gateway message, verbatim; append-only."""

    list_display = ("received_at", "gateway", "method", "path", "verified", "outcome", "reference")
    list_filter = ("gateway", "verified", "outcome")
    search_fields = ("reference", "gateway_transaction_id")
    date_hierarchy = "received_at"
    fields = _field_names(PaymentEvent)
    readonly_fields = fields


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("payment", "seller_order", "amount", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("payment__reference", "payment__order__number", "gateway_reference")
    date_hierarchy = "created_at"
    list_select_related = ("payment", "seller_order")
    fields = _field_names(Refund)
    readonly_fields = fields


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """A seller's money movements; the balance is their sum. Append-only."""

    list_display = ("created_at", "seller", "kind", "amount", "seller_order", "note")
    list_filter = ("kind",)
    search_fields = ("seller__name", "seller_order__order__number", "note")
    date_hierarchy = "created_at"
    list_select_related = ("seller", "seller_order")
    fields = _field_names(LedgerEntry)
    readonly_fields = fields
