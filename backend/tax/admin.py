from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from backend.tax.models import TaxLine, TaxPeriodClose, TaxRate


@admin.register(TaxRate)
class TaxRateAdmin(admin.ModelAdmin):
    """Rates change by adding a row with a later `valid_from`, never by editing one in use."""

    list_display = ("category", "valid_from", "vat_bp", "pit_bp", "source")
    list_filter = ("category",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TaxLine)
class TaxLineAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "seller", "seller_order", "mode", "category", "revenue", "vat", "pit", "refund")
    list_filter = ("mode", "category", "period")
    list_select_related = ("seller", "seller_order")
    search_fields = ("seller__name", "seller_order__order__number")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TaxPeriodClose)
class TaxPeriodCloseAdmin(admin.ModelAdmin):
    list_display = ("province", "period", "vat", "pit", "closed_at", "closed_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
