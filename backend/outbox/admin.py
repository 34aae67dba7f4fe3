"""The outbox in the Django admin: what waits, what died and why, and "retry now"."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from backend.outbox.models import OutboxItem
from backend.outbox.services import retry_now


@admin.register(OutboxItem)
class OutboxItemAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "key", "status", "attempts", "available_at", "created_at", "delivered_at")
    list_filter = ("status", "kind")
    search_fields = ("key", "last_error")
    date_hierarchy = "created_at"
    fields = (
        "kind",
        "key",
        "status",
        "attempts",
        "available_at",
        "created_at",
        "delivered_at",
        "last_error",
        "payload",
    )
    readonly_fields = fields
    actions = ("retry_selected",)

    @admin.action(description=_("Retry now"), permissions=["change"])
    def retry_selected(self, request: HttpRequest, queryset: QuerySet[OutboxItem]) -> None:
        count = retry_now(item_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("%(count)d item queued again.", "%(count)d items queued again.", count) % {"count": count},
            messages.SUCCESS,
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
