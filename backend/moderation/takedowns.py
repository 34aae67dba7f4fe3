"""Takedown requests from authorities (E-commerce Law 122/2025/QH15: platforms take unlawful content down
when a competent authority asks).

An officer records the authority, its document number and date, when it arrived and the listings named;
every listing is hidden in the same transaction with the request as its reason (through `product_hide`,
so each is audited like any hiding), its seller is told through the outbox, and the request is audited.
The export lists every request with its handling time (received → hidden).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.accounts.permissions import Act, ensure_may, moderated_communes_q, place_of
from backend.catalog.models import Product
from backend.core.errors import ErrorDetail, ValidationFailed
from backend.core.exports import Sheet
from backend.moderation.models import TakedownListing, TakedownRequest
from backend.moderation.reports import product_hide
from backend.moderation.services import audit_record
from backend.outbox.services import enqueue

MAX_LISTINGS = 200


def _text(value: str | None, field: str, limit: int, errors: list[ErrorDetail], message: Any) -> str:
    text = " ".join((value or "").split())
    if not text:
        errors.append(ErrorDetail(code="REQUIRED", message=message, field=field))
    elif len(text) > limit:
        errors.append(ErrorDetail(code="INVALID", message=_("This text is too long."), field=field))
    return text


@transaction.atomic
def takedown_record(
    *,
    actor: Any,
    authority: str,
    document_number: str,
    document_date: date | None,
    products: Sequence[Product],
    reason: str,
    received_at: datetime | None = None,
) -> TakedownRequest:
    """Record the request and hide its listings at once. Every listing must be in the officer's scope."""
    errors: list[ErrorDetail] = []
    clean_authority = _text(authority, "authority", 255, errors, _("Name the requesting authority."))
    number = _text(document_number, "documentNumber", 100, errors, _("Enter the document number."))
    clean_reason = _text(reason, "reason", 2000, errors, _("Give the reason the authority states."))
    now = timezone.now()
    received = received_at or now
    if document_date is None:
        errors.append(ErrorDetail(code="REQUIRED", message=_("Enter the document date."), field="documentDate"))
    elif document_date > timezone.localdate(now):
        errors.append(
            ErrorDetail(code="INVALID", message=_("The document date is in the future."), field="documentDate")
        )
    if received > now + timedelta(minutes=5):
        errors.append(
            ErrorDetail(code="INVALID", message=_("The request cannot arrive in the future."), field="receivedAt")
        )
    unique = list({p.pk: p for p in products}.values())
    if not unique:
        errors.append(ErrorDetail(code="REQUIRED", message=_("Name at least one listing."), field="listings"))
    elif len(unique) > MAX_LISTINGS:
        errors.append(ErrorDetail(code="INVALID", message=_("At most 200 listings per request."), field="listings"))
    located = list(Product.objects.filter(pk__in=[p.pk for p in unique]).select_related("seller__commune"))
    for product in located:  # permission for every listing before anything is written
        ensure_may(actor=actor, act=Act.TAKEDOWN_RECORD, place=place_of(commune=product.seller.commune))
    if errors or document_date is None:
        raise ValidationFailed(details=errors)
    request = TakedownRequest.objects.create(
        province_id=located[0].seller.commune.province_id,
        authority=clean_authority,
        document_number=number,
        document_date=document_date,
        received_at=received,
        reason=clean_reason,
        recorded_by=actor,
        handled_at=now,
    )
    hide_reason = f"{clean_authority}, {number} ({document_date:%d/%m/%Y}): {clean_reason}"
    sellers: set[int] = set()
    for product in sorted(located, key=lambda p: p.pk):  # lock order: product ids ascending
        was_hidden = product.hidden_at is not None
        if not was_hidden:
            product_hide(actor=actor, product=product, reason=hide_reason)
        TakedownListing.objects.create(request=request, product=product, seller=product.seller, was_hidden=was_hidden)
        sellers.add(product.seller_id)
    audit_record(actor=actor, action="takedown.record", target=request, reason=hide_reason[:2000])
    for seller_id in sorted(sellers):
        enqueue(
            kind="moderation.takedown",
            key=f"moderation.takedown:{request.pk}:{seller_id}",
            payload={"request_id": request.pk, "seller_id": seller_id},
        )
    return request


def takedowns_for(*, user: Any) -> QuerySet[TakedownRequest]:
    """The requests touching listings the admin moderates, newest first, with their listings."""
    visible = TakedownListing.objects.filter(moderated_communes_q(user, field="seller__commune"))
    return (
        TakedownRequest.objects.filter(pk__in=visible.values("request_id"))
        .select_related("recorded_by")
        .prefetch_related("listings__product", "listings__seller")
        .order_by("-received_at", "-id")
    )


def handling_hours(request: TakedownRequest) -> float:
    return round((request.handled_at - request.received_at).total_seconds() / 3600, 2)


def takedown_sheets(*, actor: Any, province: Any) -> list[Sheet]:
    """Every request of the province and its listings, with the handling time, for the safe export."""
    ensure_may(actor=actor, act=Act.PROVINCE_EXPORT, place=place_of(province=province))
    requests = takedowns_for(user=actor).filter(province=province)
    rows = []
    for request in requests:
        for listing in request.listings.all():
            rows.append(
                [
                    timezone.localtime(request.received_at).strftime("%d/%m/%Y %H:%M"),
                    request.authority,
                    request.document_number,
                    request.document_date.strftime("%d/%m/%Y"),
                    request.reason,
                    listing.product.name,
                    listing.seller.name,
                    timezone.localtime(request.handled_at).strftime("%d/%m/%Y %H:%M"),
                    handling_hours(request),
                    request.recorded_by.email,
                ]
            )
    headers = [
        _("Received"),
        _("Authority"),
        _("Document number"),
        _("Document date"),
        _("Reason"),
        _("Listing"),
        _("Seller"),
        _("Hidden at"),
        _("Handling time (hours)"),
        _("Recorded by"),
    ]
    return [Sheet(name="takedowns", title=str(_("Takedown requests")), headers=headers, rows=rows)]
