"""One row per side effect to deliver. Written in the transaction of the change it follows,
so it exists exactly when the change does; `key` is unique, so enqueueing twice is harmless."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    PENDING = "PENDING", _("Pending")
    DELIVERED = "DELIVERED", _("Delivered")
    DEAD = "DEAD", _("Dead (gave up)")


class OutboxItem(models.Model):
    kind = models.CharField(_("kind"), max_length=100)
    key = models.CharField(_("key"), max_length=200, unique=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # Next attempt for a pending item; while one is being delivered, the end of its lease.
    available_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    # The payload holds a secret (an invitation code): forget it once delivered.
    redact = models.BooleanField(default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox item")
        verbose_name_plural = _("outbox items")
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "available_at"], name="outbox_due")]

    def __str__(self) -> str:
        return self.key
