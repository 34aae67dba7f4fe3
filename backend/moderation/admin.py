"""Django admin for moderation: the audit log (read-only) and listing reports."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from backend.moderation.models import AuditEntry, ListingReport
from backend.moderation.selectors import audit_entries_for


def _is_moderator(request: HttpRequest) -> bool:
    user: Any = request.user
    return bool(user.is_active and user.is_staff and user.is_province_admin)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Append-only: nobody adds, edits or deletes entries here. Filter one seller with
    ?target_type=seller&target_id=<id> (the seller page links to it)."""

    list_display = ("created_at", "action", "target_type", "target_repr", "actor", "transition", "reason")
    list_filter = ("action", "target_type")
    search_fields = ("target_repr", "reason", "actor__email", "action")
    date_hierarchy = "created_at"
    list_select_related = ("actor",)
    fields = (
        "created_at",
        "action",
        "actor",
        "target_type",
        "target_id",
        "target_repr",
        "status_before",
        "status_after",
        "reason",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEntry]:
        return audit_entries_for(user=request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_moderator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_moderator(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("status change"))
    def transition(self, obj: AuditEntry) -> str:
        if not obj.status_before and not obj.status_after:
            return "—"
        return f"{obj.status_before or '—'} → {obj.status_after or '—'}"


@admin.register(ListingReport)
class ListingReportAdmin(admin.ModelAdmin):
    """Reports from buyers; resolving them (hiding the listing) goes through the catalog services."""

    list_display = ("created_at", "product", "reason", "status", "reporter", "resolved_at")
    list_filter = ("status", "reason")
    search_fields = ("product__name", "note", "reporter__email")
    list_select_related = ("product", "reporter")
    raw_id_fields = ("product", "reporter", "resolved_by")
    readonly_fields = ("created_at", "resolved_at", "resolved_by")
