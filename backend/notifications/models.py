"""A notification is one message of one kind for one recipient about one event; its attempts say which
channel was tried when and what the provider answered. `(event_key, recipient_key)` is unique, so an
event announced twice is one notification; a successful attempt is unique per notification, so it is
never sent twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationStatus(models.TextChoices):
    PENDING = "PENDING", _("Pending")
    SENT = "SENT", _("Sent")
    FAILED = "FAILED", _("Failed")
    SUPPRESSED = "SUPPRESSED", _("Turned off by the recipient")


class Notification(models.Model):
    kind = models.CharField(_("kind"), max_length=60)
    event_key = models.CharField(_("event"), max_length=150)
    recipient_key = models.CharField(max_length=80)  # "user:42" or "phone:+84…"
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=5, default="vi")
    params = models.JSONField(default=dict, blank=True)  # emptied once delivered when `redact`
    redact = models.BooleanField(default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    channel_id = models.CharField(_("sent by"), max_length=30, blank=True)
    error = models.CharField(_("error"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["event_key", "recipient_key"], name="notification_once_per_recipient")
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="notification_user_recent")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_key}"


class DeliveryAttempt(models.Model):
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="attempts")
    channel_id = models.CharField(_("channel"), max_length=30)
    ok = models.BooleanField(_("accepted"))
    error = models.CharField(_("error"), max_length=40, blank=True)
    retryable = models.BooleanField(default=False)
    fallback = models.BooleanField(default=True)
    provider_code = models.CharField(max_length=40, blank=True)
    provider_message_id = models.CharField(max_length=100, blank=True)
    retry_after_seconds = models.PositiveIntegerField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)
    # What the provider reported later (delivery receipt): DELIVERED, FAILED or PENDING.
    receipt_status = models.CharField(_("receipt"), max_length=10, blank=True)
    receipt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["notification"], condition=models.Q(ok=True), name="attempt_one_success_per_notification"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel_id} {'ok' if self.ok else self.error}"


class NotificationPreference(models.Model):
    """A person's choice for one kind (or `*`, every kind): muted (only for kinds that are not
    transactional) and the mediums turned off (comma-separated: zalo, sms, email)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_prefs")
    kind = models.CharField(_("kind"), max_length=60)
    muted = models.BooleanField(_("muted"), default=False)
    disabled_mediums = models.CharField(_("channels turned off"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_pref_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"


class SandboxMessage(models.Model):
    """What a sandbox channel 'sent' (DEBUG only), for `/dev/outbox/` and tests."""

    channel_id = models.CharField(max_length=30)
    medium = models.CharField(max_length=10)
    address = models.CharField(max_length=254)
    kind = models.CharField(max_length=60)
    language = models.CharField(max_length=5)
    subject = models.CharField(max_length=255, blank=True)
    text = models.TextField()
    idempotency_key = models.CharField(max_length=200)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["address", "-id"], name="sandbox_by_address")]

    def __str__(self) -> str:
        return f"{self.channel_id} → {self.address}"


class ZaloOAToken(models.Model):
    """The Zalo Official Account's tokens (one row): the refresh token rotates on every refresh, so it
    lives in the database, shared by every worker, and is refreshed under a row lock."""

    access_token = models.TextField()
    refresh_token = models.TextField()
    access_expires_at = models.FloatField()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Zalo OA token (updated {self.updated_at:%Y-%m-%d %H:%M})"
