"""Append-only audit trail of moderation acts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_entries"
    )
    action = models.CharField(_("action"), max_length=50, db_index=True)  # e.g. "seller.approve"
    target_type = models.CharField(_("target type"), max_length=50)  # e.g. "seller", "product"
    target_id = models.BigIntegerField(_("target id"))
    target_repr = models.CharField(_("target"), max_length=255)
    reason = models.TextField(_("reason"), blank=True)
    status_before = models.CharField(_("status before"), max_length=20, blank=True)
    status_after = models.CharField(_("status after"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["target_type", "target_id", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("Audit entries are append-only.")


class ReportReason(models.TextChoices):
    COUNTERFEIT_OCOP = "COUNTERFEIT_OCOP", _("Counterfeit OCOP claim")
    WRONG_ORIGIN = "WRONG_ORIGIN", _("Wrong place of origin")
    PROHIBITED_ITEM = "PROHIBITED_ITEM", _("Prohibited item")
    MISLEADING_PRICE = "MISLEADING_PRICE", _("Misleading price")
    # A buyer's review of the listing breaks the rules (the note names the review).
    REVIEW = "REVIEW", _("A review breaks the rules")
    OTHER = "OTHER", _("Other")


class ReportStatus(models.TextChoices):
    OPEN = "OPEN", _("Open")
    ACTIONED = "ACTIONED", _("Actioned (listing hidden)")
    DISMISSED = "DISMISSED", _("Dismissed")


class ListingReport(models.Model):
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="listing_reports"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True, db_index=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("listing report")
        verbose_name_plural = _("listing reports")
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.product}"


class TakedownRequest(models.Model):
    """An authority's request to take listings down (E-commerce Law 122/2025/QH15), as an officer recorded it.

    The listings are hidden in the same transaction, so `handled_at` is when the platform acted; the
    handling time is `handled_at - received_at`.
    """

    province = models.ForeignKey("regions.Province", on_delete=models.PROTECT, related_name="+")
    authority = models.CharField(_("requesting authority"), max_length=255)
    document_number = models.CharField(_("document number"), max_length=100)
    document_date = models.DateField(_("document date"))
    received_at = models.DateTimeField(_("received at"))
    reason = models.TextField(_("reason given"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    handled_at = models.DateTimeField(_("listings hidden at"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("takedown request")
        verbose_name_plural = _("takedown requests")

    def __str__(self) -> str:
        return f"{self.document_number} ({self.authority})"


class TakedownListing(models.Model):
    request = models.ForeignKey(TakedownRequest, on_delete=models.CASCADE, related_name="listings")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="+")
    was_hidden = models.BooleanField(_("already hidden before"), default=False)

    class Meta:
        verbose_name = _("listing taken down")
        verbose_name_plural = _("listings taken down")
        constraints = [models.UniqueConstraint(fields=["request", "product"], name="takedown_product_once")]

    def __str__(self) -> str:
        return f"{self.request} → {self.product_id}"
