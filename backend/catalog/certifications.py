"""Product certifications (VietGAP, GlobalGAP, organic…): sellers declare them
with a document, province admins verify them. Buyers only ever see the
verified flag an admin set, never the seller's own word for it."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from backend.accounts.permissions import Act, ensure_may
from backend.catalog.models import Certification, CertificationKind, Product
from backend.core.errors import ValidationFailed
from backend.moderation.services import audit_record
from backend.sellers.permissions import seller_place
from backend.sellers.validators import check_document

_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


@transaction.atomic
def certification_add(
    *,
    product: Product,
    actor: Any,
    kind: str,
    number: str = "",
    valid_until: date | None = None,
    document: Any = None,
) -> Certification:
    """Declare a certification of one of the actor's seller's products (unverified)."""
    ensure_may(actor=actor, act=Act.CERTIFICATION_ADD, place=seller_place(product.seller_id))
    if kind not in CertificationKind.values:
        raise ValidationFailed(_("Choose a kind of certification."), field="kind", code="REQUIRED")
    number = (number or "").strip()
    if len(number) > 60:
        raise ValidationFailed(_("The certificate number is too long (at most 60 characters)."), field="number")
    certification = Certification(product=product, kind=kind, number=number, valid_until=valid_until)
    if document is not None:
        content_type = check_document(document, field="document")
        document.seek(0)
        certification.document.save(f"{uuid.uuid4().hex}.{_EXTENSIONS[content_type]}", document, save=False)
    certification.save()
    product.save(update_fields=["updated_at"])
    return certification


@transaction.atomic
def certification_verify(*, certification: Certification, actor: Any, verified: bool, note: str = "") -> Certification:
    """A province admin confirms (or withdraws) a certification after checking its document."""
    ensure_may(actor=actor, act=Act.CERTIFICATION_VERIFY, place=seller_place(certification.product.seller))
    before = "VERIFIED" if certification.verified else "UNVERIFIED"
    certification.verified = verified
    certification.save(update_fields=["verified"])
    audit_record(
        actor=actor,
        action="certification.verify" if verified else "certification.unverify",
        target=certification.product,
        reason=note or f"{certification.get_kind_display()} {certification.number}".strip(),
        status_before=before,
        status_after="VERIFIED" if verified else "UNVERIFIED",
    )
    return certification
