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


class ConsentPurpose(models.TextChoices):
    """Decree 13/2023 / Law 91/2025: one consent per purpose, never implied."""

    ACCOUNT = "ACCOUNT", _("Keeping an account (sign-in, order notices)")
    ORDER_FULFILMENT = "ORDER_FULFILMENT", _("Delivering an order (shared with its sellers and carrier)")
    MARKETING = "MARKETING", _("News and offers")


class ConsentChannel(models.TextChoices):
    WEB = "WEB", _("Website")
    API = "API", _("App (API)")


class Consent(models.Model):
    """A person's consent to one purpose, with the privacy notice version they read (append-only:
    withdrawing sets `withdrawn_at`, a new consent is a new row)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(_("e-mail"), blank=True)  # a guest's checkout
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    notice_version = models.CharField(_("privacy notice version"), max_length=20)
    channel = models.CharField(_("channel"), max_length=10, choices=ConsentChannel.choices)
    order_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    granted_at = models.DateTimeField(_("given at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["-granted_at", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["user", "purpose"])]

    def __str__(self) -> str:
        return f"{self.purpose} ({self.notice_version})"
