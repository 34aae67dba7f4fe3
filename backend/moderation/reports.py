"""Listing reports from buyers and the province admins' answer: hiding a product.

A hidden product disappears at once from every listing, search and
`product(...)` for buyers (see `backend.catalog.selectors.public_products_q`);
its seller's staff still see it, with the reason. Every act is audited.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.accounts.permissions import Act, ensure_may, moderated_communes_q, place_of
from backend.catalog.models import Product
from backend.core.errors import InvalidTransition, ValidationFailed
from backend.moderation.models import ListingReport, ReportReason, ReportStatus
from backend.moderation.services import audit_record

NOTE_MAX = 2000


@transaction.atomic
def listing_report_create(*, reporter: Any, product: Product, reason: str, note: str = "") -> ListingReport:
    """Report a listing to the province admins. One open report per user and product."""
    ensure_may(actor=reporter, act=Act.LISTING_REPORT, place=place_of(seller_id=product.seller_id))
    if reason not in ReportReason.values:
        raise ValidationFailed(_("Choose a reason for the report."), field="reason")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationFailed(_("The note is too long (at most 2000 characters)."), field="note")
    if reason == ReportReason.OTHER and not note:
        raise ValidationFailed(_("Tell us what is wrong with this listing."), field="note", code="REQUIRED")
    existing = ListingReport.objects.filter(product=product, reporter=reporter, status=ReportStatus.OPEN).first()
    if existing is not None:
        return existing
    return ListingReport.objects.create(product=product, reporter=reporter, reason=reason, note=note)


def _product_status(product: Product) -> str:
    if product.hidden_at is not None:
        return "HIDDEN"
    return "PUBLISHED" if product.is_published else "DRAFT"


def _locked(product: Product) -> Product:
    return Product.objects.select_for_update().select_related("seller__commune").get(pk=product.pk)


@transaction.atomic
def product_hide(*, actor: Any, product: Product, reason: str) -> Product:
    """Hide a product from buyers (province admin of the seller's commune).

    Open reports about it are closed as ACTIONED.
    """
    product = _locked(product)
    ensure_may(actor=actor, act=Act.PRODUCT_HIDE, place=place_of(commune=product.seller.commune))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Give the reason for hiding this product."), field="reason", code="REQUIRED")
    if product.hidden_at is not None:
        raise InvalidTransition(_("This product is already hidden."))
    before = _product_status(product)
    now = timezone.now()
    product.hidden_at = now
    product.hidden_reason = reason
    product.hidden_by = actor
    product.save(update_fields=["hidden_at", "hidden_reason", "hidden_by", "updated_at"])
    for report in ListingReport.objects.select_for_update().filter(product=product, status=ReportStatus.OPEN):
        report.status = ReportStatus.ACTIONED
        report.resolved_at = now
        report.resolved_by = actor
        report.save(update_fields=["status", "resolved_at", "resolved_by"])
    audit_record(
        actor=actor, action="product.hide", target=product, reason=reason, status_before=before, status_after="HIDDEN"
    )
    return product


@transaction.atomic
def product_unhide(*, actor: Any, product: Product, note: str = "") -> Product:
    """Let buyers see a hidden product again (if it is still published)."""
    product = _locked(product)
    ensure_may(actor=actor, act=Act.PRODUCT_HIDE, place=place_of(commune=product.seller.commune))
    if product.hidden_at is None:
        raise InvalidTransition(_("This product is not hidden."))
    product.hidden_at = None
    product.hidden_reason = ""
    product.hidden_by = None
    product.save(update_fields=["hidden_at", "hidden_reason", "hidden_by", "updated_at"])
    audit_record(
        actor=actor,
        action="product.unhide",
        target=product,
        reason=(note or "").strip(),
        status_before="HIDDEN",
        status_after=_product_status(product),
    )
    return product


@transaction.atomic
def listing_report_dismiss(*, actor: Any, report: ListingReport, note: str = "") -> ListingReport:
    """Close an open report without action (the listing is fine)."""
    report = ListingReport.objects.select_for_update().select_related("product__seller__commune").get(pk=report.pk)
    ensure_may(actor=actor, act=Act.LISTING_REPORT_DISMISS, place=place_of(commune=report.product.seller.commune))
    if report.status != ReportStatus.OPEN:
        raise InvalidTransition(_("This report is already closed."))
    report.status = ReportStatus.DISMISSED
    report.resolved_at = timezone.now()
    report.resolved_by = actor
    report.save(update_fields=["status", "resolved_at", "resolved_by"])
    audit_record(
        actor=actor,
        action="listing_report.dismiss",
        target=report,
        reason=(note or "").strip(),
        status_before=ReportStatus.OPEN,
        status_after=ReportStatus.DISMISSED,
    )
    return report


def listing_reports_for(*, user: Any, status: str | None = None) -> QuerySet[ListingReport]:
    """The report queue of a province admin: reports on products of sellers in their scope."""
    reports = ListingReport.objects.filter(moderated_communes_q(user, field="product__seller__commune"))
    if status:
        reports = reports.filter(status=status)
    return reports.order_by("-created_at", "-id")
