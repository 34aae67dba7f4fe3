"""Django admin for the catalog, and the listing report queue's moderation actions.

Edits made here go around the API services, so the hooks below keep what
the services keep: category paths, and each product's denormalised price
range and stock flag after its variants change.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

import backend.moderation.admin  # noqa: F401 - registers first; the queue below replaces its ListingReport admin
from backend.catalog.models import Category, Certification, Product, ProductImage, ProductVariant
from backend.catalog.services import category_save, refresh_product_pricing
from backend.core.errors import DomainError
from backend.moderation.models import ListingReport, ReportStatus
from backend.moderation.reports import listing_report_dismiss, listing_reports_for, product_hide


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("indented_name", "name_en", "slug", "kind", "position")
    list_filter = ("kind",)
    search_fields = ("name", "name_en", "slug")
    prepopulated_fields = {"slug": ("name",)}
    ordering = ("path",)
    readonly_fields = ("path",)

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, obj: Category) -> str:
        depth = obj.path.count("/")
        return format_html("{}{}", "\u2003" * depth + ("└ " if depth else ""), obj.name)

    def save_model(self, request: HttpRequest, obj: Category, form: Any, change: bool) -> None:
        category_save(obj)


class HiddenFilter(admin.SimpleListFilter):
    title = _("hidden by an admin")
    parameter_name = "hidden"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Product]) -> QuerySet[Product]:
        if self.value() == "yes":
            return queryset.filter(hidden_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(hidden_at__isnull=True)
        return queryset


class VariantInline(admin.TabularInline):
    model = ProductVariant
    extra = 0
    fields = ("sku", "name", "price", "stock", "weight_grams", "unit", "position")


class ImageInline(admin.TabularInline):
    model = ProductImage
    extra = 0
    fields = ("image", "alt", "position", "width", "height")
    readonly_fields = ("width", "height")


class CertificationInline(admin.TabularInline):
    model = Certification
    extra = 0


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("name", "seller", "category", "kind", "price_min", "in_stock", "is_published", "is_hidden")
    list_filter = (
        "is_published",
        HiddenFilter,
        "kind",
        ("category", admin.RelatedOnlyFieldListFilter),
        "seller__status",
        ("commune", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("name", "slug", "variants__sku", "seller__name")
    list_select_related = ("seller", "category")
    raw_id_fields = ("seller", "commune", "hidden_by")
    readonly_fields = ("price_min", "price_max", "in_stock", "hidden_at", "hidden_by", "created_at", "updated_at")
    inlines = (VariantInline, ImageInline, CertificationInline)
    date_hierarchy = "created_at"

    @admin.display(boolean=True, description=_("hidden"))
    def is_hidden(self, obj: Product) -> bool:
        return obj.hidden_at is not None

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        for formset in formsets:  # variants take the product's seller (SKUs are unique per seller)
            if formset.model is ProductVariant:
                for variant_form in formset.forms:
                    variant_form.instance.seller_id = form.instance.seller_id
        super().save_related(request, form, formsets, change)
        refresh_product_pricing(form.instance)


def _is_moderator(request: HttpRequest) -> bool:
    user: Any = request.user
    return bool(user.is_active and user.is_staff and user.is_province_admin)


@admin.action(description=_("Hide the reported products"))
def hide_reported_products(modeladmin: Any, request: HttpRequest, queryset: QuerySet[ListingReport]) -> None:
    hidden = 0
    for report in queryset.select_related("product").filter(status=ReportStatus.OPEN):
        if report.product.hidden_at is not None:
            continue
        reason = f"{report.get_reason_display()}: {report.note}".strip().rstrip(":")
        try:
            product_hide(actor=request.user, product=report.product, reason=reason)
        except DomainError as exc:
            modeladmin.message_user(request, f"{report.product}: {exc}", messages.ERROR)
        else:
            hidden += 1
    modeladmin.message_user(
        request, ngettext("%(n)d product hidden.", "%(n)d products hidden.", hidden) % {"n": hidden}
    )


@admin.action(description=_("Dismiss the reports (the listings are fine)"))
def dismiss_reports(modeladmin: Any, request: HttpRequest, queryset: QuerySet[ListingReport]) -> None:
    dismissed = 0
    for report in queryset.filter(status=ReportStatus.OPEN):
        try:
            listing_report_dismiss(actor=request.user, report=report)
        except DomainError as exc:
            modeladmin.message_user(request, f"{report}: {exc}", messages.ERROR)
        else:
            dismissed += 1
    modeladmin.message_user(
        request, ngettext("%(n)d report dismissed.", "%(n)d reports dismissed.", dismissed) % {"n": dismissed}
    )


class ListingReportQueueAdmin(admin.ModelAdmin):
    """The report queue: province admins see their scope and act through the services (audited)."""

    list_display = ("created_at", "product", "reason", "status", "reporter", "resolved_at")
    list_filter = (
        "status",
        "reason",
        ("product__seller__commune", admin.RelatedOnlyFieldListFilter),
        "created_at",
    )
    search_fields = ("product__name", "note", "reporter__email")
    raw_id_fields = ("product", "reporter", "resolved_by")
    readonly_fields = ("status", "created_at", "resolved_at", "resolved_by")
    date_hierarchy = "created_at"
    actions = (hide_reported_products, dismiss_reports)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ListingReport]:
        return listing_reports_for(user=request.user).select_related("product__seller", "reporter")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_moderator(request) or super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_moderator(request) or super().has_view_permission(request, obj)


# backend.moderation.admin registers a plain ListingReport admin; the queue with its
# moderation actions replaces it (catalog owns hiding products). Import order is
# forced above so this holds whichever admin module Django loads first.
if admin.site.is_registered(ListingReport):
    admin.site.unregister(ListingReport)
admin.site.register(ListingReport, ListingReportQueueAdmin)
