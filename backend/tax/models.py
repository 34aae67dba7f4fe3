"""Tax withheld for household and individual sellers (Decree 117/2025/NĐ-CP).

TaxRate is the dated rate table (a sale uses the rates in force when it was paid). TaxLine is the
append-only detail beside the ledger: one row per seller order, tax category and event (the sale,
or one refund reversing part of it), with the revenue, the rates used and the VAT and PIT; the
ledger holds the per-order totals (TAX_* entries) that payouts net off. TaxPeriodClose records
that a province's month was declared.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.catalog.models import TaxCategory


class TaxMode(models.TextChoices):
    # Paid through the platform (online gateway, carrier cash remitted): the platform withholds.
    WITHHELD = "WITHHELD", _("Withheld by the platform")
    # Cash the seller collected itself: the seller declares it (recorded so reports show both).
    SELF_DECLARED = "SELF_DECLARED", _("Self-declared by the seller")


class TaxRate(models.Model):
    """Rates in basis points (100 = 1 %) for one category from `valid_from` (local date) on."""

    category = models.CharField(_("tax category"), max_length=12, choices=TaxCategory.choices)
    valid_from = models.DateField(_("valid from"))
    vat_bp = models.PositiveIntegerField(_("VAT (basis points)"))
    pit_bp = models.PositiveIntegerField(_("personal income tax (basis points)"))
    source = models.CharField(_("legal source"), max_length=200, blank=True)

    class Meta:
        ordering = ["category", "-valid_from"]
        verbose_name = _("tax rate")
        verbose_name_plural = _("tax rates")
        constraints = [models.UniqueConstraint(fields=["category", "valid_from"], name="tax_rate_once_per_day")]

    def __str__(self) -> str:
        return f"{self.category} {self.valid_from}: {self.vat_bp}/{self.pit_bp} bp"


class TaxLine(models.Model):
    """One category of one seller order at one event. Append-only: reversals are new rows with
    negative figures, never edits."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="tax_lines")
    province = models.ForeignKey("regions.Province", on_delete=models.PROTECT, related_name="+")
    seller_order = models.ForeignKey("orders.SellerOrder", on_delete=models.PROTECT, related_name="tax_lines")
    refund = models.ForeignKey("orders.Refund", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    mode = models.CharField(_("mode"), max_length=14, choices=TaxMode.choices)
    category = models.CharField(_("tax category"), max_length=12, choices=TaxCategory.choices)
    # True when the category could not be determined (a line whose product is gone): highest rates.
    category_unknown = models.BooleanField(default=False)
    revenue = models.BigIntegerField(_("revenue"))
    vat_bp = models.PositiveIntegerField()
    pit_bp = models.PositiveIntegerField()
    vat = models.BigIntegerField(_("VAT"))
    pit = models.BigIntegerField(_("personal income tax"))
    occurred_at = models.DateTimeField(_("occurred at"))
    # First day of the local (Asia/Ho_Chi_Minh) month the event belongs to: the declaration period.
    period = models.DateField(_("period"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("tax line")
        verbose_name_plural = _("tax lines")
        constraints = [
            models.UniqueConstraint(
                fields=["seller_order", "category"],
                condition=models.Q(refund__isnull=True),
                name="tax_line_sale_once",
            ),
            models.UniqueConstraint(
                fields=["refund", "category"], condition=models.Q(refund__isnull=False), name="tax_line_refund_once"
            ),
        ]
        indexes = [
            models.Index(fields=["province", "period"], name="tax_line_province_period"),
            models.Index(fields=["seller", "period"], name="tax_line_seller_period"),
        ]

    def __str__(self) -> str:
        return f"{self.seller_order_id} {self.category} {self.vat}+{self.pit}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("tax lines are append-only")
        super().save(*args, **kwargs)


class TaxPeriodClose(models.Model):
    """A province's month declared to the tax authority (due by the 20th of the next month)."""

    province = models.ForeignKey("regions.Province", on_delete=models.PROTECT, related_name="+")
    period = models.DateField(_("period"))
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    vat = models.BigIntegerField(_("VAT"))
    pit = models.BigIntegerField(_("personal income tax"))
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-period"]
        verbose_name = _("declared month")
        verbose_name_plural = _("declared months")
        constraints = [models.UniqueConstraint(fields=["province", "period"], name="tax_period_close_once")]

    def __str__(self) -> str:
        return f"{self.province_id} {self.period:%m/%Y}"
