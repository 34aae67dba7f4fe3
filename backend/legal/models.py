"""Who accepted which version of which published document, where (append-only)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AcceptanceContext(models.TextChoices):
    SIGNUP = "SIGNUP", _("Sign-up")
    SELLER_APPLICATION = "SELLER_APPLICATION", _("Seller application")
    CHECKOUT = "CHECKOUT", _("Checkout")


class Acceptance(models.Model):
    # A plain id for the seller and the order: this app sits below them (they call it).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    document = models.CharField(_("document"), max_length=30)
    version = models.CharField(_("version"), max_length=20)
    context = models.CharField(_("where"), max_length=20, choices=AcceptanceContext.choices)
    seller_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    order_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    accepted_at = models.DateTimeField(_("accepted at"), auto_now_add=True)

    class Meta:
        ordering = ["-accepted_at", "-id"]
        verbose_name = _("acceptance of a published document")
        verbose_name_plural = _("acceptances of published documents")
        indexes = [models.Index(fields=["document", "version"])]

    def __str__(self) -> str:
        return f"{self.document} {self.version} ({self.context})"
