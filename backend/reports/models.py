"""Early-warning alerts and their per-province thresholds.

An Alert is one open problem about one subject (a seller, a product, a commune). The periodic
evaluation keeps at most one open row per (kind, subject): it refreshes the figure while the
condition holds, stamps `resolved_at` when it clears, and opens a new row if it comes back.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AlertKind(models.TextChoices):
    PENDING_APPLICATION = "PENDING_APPLICATION", _("Application pending too long")
    HIGH_CANCELLATION_RATE = "HIGH_CANCELLATION_RATE", _("High cancellation rate")
    HIGH_FAILED_COD_RATE = "HIGH_FAILED_COD_RATE", _("High failed cash-on-delivery rate")
    LISTING_REPORTED = "LISTING_REPORTED", _("Listing reported many times")
    PRICE_OUTLIER = "PRICE_OUTLIER", _("Price far from the category median")
    OUT_OF_STOCK_IN_SEASON = "OUT_OF_STOCK_IN_SEASON", _("In season but out of stock")
    COMMUNE_LOST_SELLERS = "COMMUNE_LOST_SELLERS", _("Commune lost its last active seller")
    TAX_MONTH_NOT_CLOSED = "TAX_MONTH_NOT_CLOSED", _("Tax withholding month not declared")


class Alert(models.Model):
    province = models.ForeignKey("regions.Province", on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(_("kind"), max_length=30, choices=AlertKind.choices)
    # "seller:12", "product:40", "commune:24778": what the alert is about, for the one-open-row rule.
    subject_key = models.CharField(max_length=40)
    commune = models.ForeignKey(
        "regions.Commune", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("commune")
    )
    seller = models.ForeignKey(
        "sellers.Seller", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("seller")
    )
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("product")
    )
    figure = models.FloatField(_("figure"))
    threshold = models.FloatField(_("threshold"))
    first_seen_at = models.DateTimeField(_("first seen"), db_index=True)
    last_seen_at = models.DateTimeField(_("last seen"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["-first_seen_at", "-id"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_key"], condition=models.Q(resolved_at__isnull=True), name="alert_open_once"
            ),
        ]
        indexes = [models.Index(fields=["province", "resolved_at", "-first_seen_at"], name="alert_province_open")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject_key}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class AlertThreshold(models.Model):
    """A province's own thresholds; an empty field falls back to the ALERT_* setting."""

    province = models.OneToOneField(
        "regions.Province", on_delete=models.CASCADE, related_name="alert_threshold", verbose_name=_("province")
    )
    pending_application_days = models.PositiveIntegerField(_("days an application may wait"), null=True, blank=True)
    cancellation_rate = models.FloatField(_("cancellation rate over 30 days (0–1)"), null=True, blank=True)
    failed_cod_rate = models.FloatField(_("failed cash-on-delivery rate over 30 days (0–1)"), null=True, blank=True)
    rate_min_orders = models.PositiveIntegerField(_("orders needed before a rate counts"), null=True, blank=True)
    reports_threshold = models.PositiveIntegerField(_("open reports allowed per listing"), null=True, blank=True)
    price_ratio = models.FloatField(_("price ratio to the category median"), null=True, blank=True)

    class Meta:
        verbose_name = _("alert thresholds")
        verbose_name_plural = _("alert thresholds")

    def __str__(self) -> str:
        return str(self.province)
