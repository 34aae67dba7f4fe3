"""Django admin: the seller review queue for province admins.

Province admins are `is_staff` users with a `ProvinceAdminScope` and no model
permissions: they see the sellers of their scope (read-only) and decide with
the actions below, which call the same services as the API, so every decision
is audited and the seller is e-mailed. Status fields are never edited by hand.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from backend.accounts.permissions import moderated_communes_q
from backend.accounts.phones import normalize_vn_phone
from backend.core.crypto import blind_index
from backend.core.errors import DomainError
from backend.core.text import search_key
from backend.moderation.models import AuditEntry
from backend.sellers import services
from backend.sellers.models import MemberHousehold, Seller, SellerDocument, SellerInvitation, SellerMembership
from backend.sellers.validators import normalize_tax_code
from identity.numbers import mask

AUDIT_ROWS_SHOWN = 20

Done = Callable[[int], str]  # the success message for n sellers


def is_moderator(request: HttpRequest) -> bool:
    """A signed-in staff user who moderates somewhere (superuser or province admin)."""
    user: Any = request.user
    return bool(user.is_active and user.is_staff and user.is_province_admin)


class ModeratorViewMixin:
    """Province admins may look (scoped querysets); only superusers edit."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_moderator(request) or super().has_module_permission(request)  # type: ignore[misc]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_moderator(request) or super().has_view_permission(request, obj)  # type: ignore[misc]


class ReadOnlyForModeratorsInline(ModeratorViewMixin, admin.TabularInline):
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


class MembershipInline(ReadOnlyForModeratorsInline):
    model = SellerMembership
    raw_id_fields = ("user",)
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)


class InvitationInline(ReadOnlyForModeratorsInline):
    model = SellerInvitation
    fields = ("email", "role", "invited_by", "created_at", "expires_at", "accepted_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # invitations carry a mailed code: only the owner creates them, through the API


class HouseholdInline(ReadOnlyForModeratorsInline):
    model = MemberHousehold
    raw_id_fields = ("commune",)
    fields = ("name", "commune", "phone")


class DocumentInline(ReadOnlyForModeratorsInline):
    model = SellerDocument
    fields = ("kind", "link", "content_type", "size", "uploaded_by", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # uploads are checked by content in the service

    @admin.display(description=_("file"))
    def link(self, obj: SellerDocument) -> str:
        url = reverse("sellers:document", args=[obj.pk])  # checked against the admin's scope
        return format_html('<a href="{}">{}</a>', url, obj.original_name or obj.get_kind_display())


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=services.MAX_REASON_LENGTH,
        help_text=_("Sent to the seller by e-mail and kept in the audit log."),
    )


@admin.register(Seller)
class SellerAdmin(ModeratorViewMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "status", "commune", "phone", "tax_code_masked", "applied_at", "decided_at")
    list_filter = ("status", "kind", ("commune", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("commune",)
    search_fields = ("name", "phone", "email", "slug")  # tax codes: by blind index, see get_search_results
    # The numbers are shown masked; a superuser's change form never shows them in clear either.
    exclude = ("tax_code", "personal_id")
    ordering = ("-applied_at",)
    date_hierarchy = "applied_at"
    raw_id_fields = ("commune", "created_by")
    readonly_fields = (
        "tax_code_masked",
        "personal_id_masked",
        "identity_verified_at",
        "status",
        "status_reason",
        "status_changed_at",
        "applied_at",
        "decided_at",
        "created_by",
        "audit_log",
    )
    inlines = (MembershipInline, InvitationInline, HouseholdInline, DocumentInline)
    actions = ("approve_selected", "reject_selected", "suspend_selected", "reinstate_selected")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Seller]:
        return (
            super().get_queryset(request).select_related("commune__province").filter(moderated_communes_q(request.user))
        )

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Seller], search_term: str
    ) -> tuple[QuerySet[Seller], bool]:
        results, duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term:
            # "htx da lat" finds "HTX Đà Lạt"; "0903 123 456" finds "+84903123456".
            results |= queryset.filter(search_name__contains=search_key(term))
            with contextlib.suppress(DomainError):
                results |= queryset.filter(phone=normalize_vn_phone(term))
            with contextlib.suppress(DomainError):
                tax_code = normalize_tax_code(term)
                results |= queryset.filter(tax_code_index=blind_index(tax_code, purpose="tax-code"))
        return results, duplicates

    @admin.display(description=_("tax code (MST)"))
    def tax_code_masked(self, obj: Seller) -> str:
        return mask(obj.tax_code) if obj.tax_code else "—"

    @admin.display(description=_("personal identification number (CCCD)"))
    def personal_id_masked(self, obj: Seller) -> str:
        return mask(obj.personal_id) if obj.personal_id else "—"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser  # sellers apply through the storefront

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return is_moderator(request)

    @admin.display(description=_("audit log"))
    def audit_log(self, obj: Seller) -> str:
        if obj.pk is None:
            return "—"
        # The seller itself came through the scoped queryset, so its history is readable.
        entries = AuditEntry.objects.filter(target_type="seller", target_id=obj.pk).select_related("actor")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{} → {}</td><td>{}</td></tr>",
            (
                (
                    f"{e.created_at:%Y-%m-%d %H:%M}",
                    e.action,
                    e.actor.email if e.actor else "—",
                    e.status_before or "—",
                    e.status_after or "—",
                    e.reason,
                )
                for e in entries[:AUDIT_ROWS_SHOWN]
            ),
        )
        url = reverse("admin:moderation_auditentry_changelist") + f"?target_type=seller&target_id={obj.pk}"
        return format_html('<table><tbody>{}</tbody></table><p><a href="{}">{}</a></p>', rows, url, _("Full audit log"))

    # --- Actions: the same services as the API ---------------------------------------

    def _decide(
        self, request: HttpRequest, queryset: QuerySet[Seller], decide: Callable[[Seller], Any], done: Done
    ) -> None:
        succeeded = 0
        for seller in queryset:
            try:
                decide(seller)
            except DomainError as exc:
                self.message_user(request, f"{seller}: {exc.details[0].message}", messages.ERROR)
            else:
                succeeded += 1
        if succeeded:
            self.message_user(request, done(succeeded), messages.SUCCESS)

    def _with_reason(
        self,
        request: HttpRequest,
        queryset: QuerySet[Seller],
        decide: Callable[..., Any],
        title: str,
        done: Done,
    ) -> TemplateResponse | None:
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            self._decide(request, queryset, lambda s: decide(seller=s, actor=request.user, reason=reason), done)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "form": form,
            "queryset": queryset,
            "action": request.POST.get("action", ""),
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/sellers/seller/reason_form.html", context)

    @admin.action(description=_("Approve selected sellers"), permissions=["moderate"])
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Seller]) -> None:
        def done(n: int) -> str:
            return ngettext("%(count)d seller approved.", "%(count)d sellers approved.", n) % {"count": n}

        self._decide(request, queryset, lambda s: services.seller_approve(seller=s, actor=request.user), done)

    @admin.action(description=_("Reject selected sellers…"), permissions=["moderate"])
    def reject_selected(self, request: HttpRequest, queryset: QuerySet[Seller]) -> TemplateResponse | None:
        def done(n: int) -> str:
            return ngettext("%(count)d seller rejected.", "%(count)d sellers rejected.", n) % {"count": n}

        return self._with_reason(request, queryset, services.seller_reject, str(_("Reject sellers")), done)

    @admin.action(description=_("Suspend selected sellers…"), permissions=["moderate"])
    def suspend_selected(self, request: HttpRequest, queryset: QuerySet[Seller]) -> TemplateResponse | None:
        def done(n: int) -> str:
            return ngettext("%(count)d seller suspended.", "%(count)d sellers suspended.", n) % {"count": n}

        return self._with_reason(request, queryset, services.seller_suspend, str(_("Suspend sellers")), done)

    @admin.action(description=_("Reinstate selected sellers"), permissions=["moderate"])
    def reinstate_selected(self, request: HttpRequest, queryset: QuerySet[Seller]) -> None:
        def done(n: int) -> str:
            return ngettext("%(count)d seller reinstated.", "%(count)d sellers reinstated.", n) % {"count": n}

        self._decide(request, queryset, lambda s: services.seller_reinstate(seller=s, actor=request.user), done)
