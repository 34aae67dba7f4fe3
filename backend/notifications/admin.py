"""Notifications in the Django admin: what was sent to whom, by which channel, and every attempt."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from backend.notifications.models import DeliveryAttempt, Notification


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = ("at", "channel_id", "ok", "error", "provider_code", "provider_message_id")
    readonly_fields = fields


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "recipient_key", "status", "channel_id", "error", "created_at", "sent_at")
    list_filter = ("status", "kind", "channel_id")
    search_fields = ("event_key", "recipient_key")
    exclude = ("params",)  # may hold a code until delivered
    readonly_fields = (
        "kind",
        "event_key",
        "recipient_key",
        "user",
        "phone",
        "email",
        "language",
        "redact",
        "status",
        "channel_id",
        "error",
        "created_at",
        "sent_at",
    )
    inlines = (AttemptInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
