"""An appointment makes a user a commune helper for some communes of one province; a grant (made with
the household's consent by a code on its phone) lets that helper act for one seller until revoked;
every act a helper does for a seller is one append-only `HelperAct` row the seller can read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HelperAppointment(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="helper_appointment")
    province = models.ForeignKey("regions.Province", on_delete=models.PROTECT, related_name="helper_appointments")
    communes = models.ManyToManyField("regions.Commune", related_name="helper_appointments")
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("appointed"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("commune helper")
        verbose_name_plural = _("commune helpers")

    def __str__(self) -> str:
        return f"{self.user} @ {self.province}"


class HelperGrant(models.Model):
    helper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="helper_grants")
    seller = models.ForeignKey("sellers.Seller", on_delete=models.CASCADE, related_name="helper_grants")
    consent_phone = models.CharField(_("consent phone"), max_length=16)
    consent_at = models.DateTimeField(_("consent given"))
    onboarded = models.BooleanField(_("registered by the helper"), default=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("helper grant")
        verbose_name_plural = _("helper grants")
        constraints = [
            models.UniqueConstraint(
                fields=["helper", "seller"], condition=models.Q(revoked_at__isnull=True), name="helper_grant_live_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.helper} → {self.seller}"


class HelperAct(models.Model):
    """'By helper X for seller Y': written in the transaction of the act itself (append-only)."""

    helper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="helper_acts")
    seller = models.ForeignKey("sellers.Seller", on_delete=models.CASCADE, related_name="helper_acts")
    act = models.CharField(_("act"), max_length=50)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("helper act")
        verbose_name_plural = _("helper acts")
        indexes = [models.Index(fields=["seller", "-at"], name="helper_act_by_seller")]

    def __str__(self) -> str:
        return f"{self.act} by {self.helper_id} for {self.seller_id}"
