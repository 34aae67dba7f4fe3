"""Django admin for checkout: sellers' delivery methods (editable) and carts (read-only, for support).

A checkout's lines and holds are only ever changed through `backend.checkout.services`, so the
admin shows them without letting anyone edit or add; an abandoned cart may be deleted.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from backend.checkout.models import Checkout, CheckoutLine, DeliveryMethod


@admin.register(DeliveryMethod)
class DeliveryMethodAdmin(admin.ModelAdmin):
    list_display = ("name", "seller", "kind", "price", "price_other_commune", "price_per_kg", "is_active", "position")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "seller__name", "pickup_address")
    list_select_related = ("seller",)
    raw_id_fields = ("seller",)
    ordering = ("seller__name", "position", "id")


class CheckoutLineInline(admin.TabularInline):
    model = CheckoutLine
    extra = 0
    fields = ("variant", "quantity", "reserved_until", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Checkout)
class CheckoutAdmin(admin.ModelAdmin):
    list_display = ("token", "email", "full_name", "phone", "line_count", "completed_at", "updated_at")
    list_filter = (("completed_at", admin.EmptyFieldListFilter),)
    search_fields = ("token", "email", "phone", "full_name")
    date_hierarchy = "created_at"
    list_select_related = ("user",)
    fields = (
        "token",
        "user",
        "email",
        "full_name",
        "phone",
        "street",
        "commune",
        "delivery_choices",
        "completed_at",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    inlines = (CheckoutLineInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Checkout]:
        from django.db.models import Count

        return super().get_queryset(request).annotate(_line_count=Count("lines"))

    @admin.display(description=_("lines"), ordering="_line_count")
    def line_count(self, obj: Checkout) -> int:
        return int(getattr(obj, "_line_count", 0))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
