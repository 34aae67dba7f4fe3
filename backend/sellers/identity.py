"""Verifying the identity behind a seller through the `identity/` providers (VNeID, manual review, sandbox).

The E-commerce Law 122/2025/QH15 (in force 1 July 2026) has platforms identify every domestic seller
through the national electronic identity; until the VNeID connection is granted, a province officer
compares the CCCD card photos with the applicant (manual review, audited). A seller is approved only
once verified, unless the pilot setting SELLER_APPROVAL_REQUIRES_IDENTITY is off (and then every such
approval says so in the audit log and the console shows a banner).

ID numbers travel as `SensitiveNumber` (masked in every repr) and are stored encrypted; audit entries
name the provider, the outcome and the checks, never the number.
"""

from __future__ import annotations

import json
import os
import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from backend.accounts.permissions import Act, ensure_may
from backend.core.crypto import blind_index
from backend.core.errors import ErrorDetail, NotFound, PermissionDenied, ValidationFailed
from backend.moderation.services import audit_record
from backend.sellers.models import (
    ORGANISATION_TAX_STATUSES,
    IdentityVerification,
    IdentityVerificationStatus,
    Seller,
)
from backend.sellers.notifications import notify_seller_status
from backend.sellers.permissions import seller_place
from backend.sellers.validators import check_document, normalize_personal_id
from identity.base import (
    Applicant,
    CallbackRequest,
    IdentityProvider,
    InvalidCallback,
    PendingVerification,
    Reason,
    VerificationRequest,
    VerificationResult,
)
from identity.manual import DecisionError, InvalidDecision, ManualReview, ManualReviewProvider, OfficerDecision
from identity.numbers import SensitiveNumber
from identity.registry import available_providers, provider_by_id

REASON_MESSAGES: dict[str, str | Promise] = {
    Reason.NAME_MISMATCH: _("The verified name is not the one given."),
    Reason.BIRTH_DATE_MISMATCH: _("The verified date of birth is not the one given."),
    Reason.ID_NUMBER_MISMATCH: _("The verified ID number is not the one given."),
    Reason.ID_NUMBER_INVALID: _("The ID number is not a valid CCCD number."),
    Reason.DOCUMENT_UNREADABLE: _("The card photos cannot be read."),
    Reason.DOCUMENT_EXPIRED: _("The ID card has expired."),
    Reason.FACE_MISMATCH: _("The applicant is not the person on the card."),
    Reason.ACCOUNT_LEVEL_TOO_LOW: _("A level 2 VNeID account is needed."),
    Reason.USER_CANCELLED: _("The verification was cancelled."),
    Reason.PROVIDER_DENIED: _("The identity provider refused the verification."),
    Reason.OTHER: _("Another reason (see the note)."),
}

DECISION_MESSAGES: dict[DecisionError, str | Promise] = {
    DecisionError.OFFICER_IS_APPLICANT: _("You cannot review your own identity."),
    DecisionError.PHOTOS_MISSING: _("Both sides of the card must have been sent."),
    DecisionError.CHECKS_INCOMPLETE: _("Confirm every comparison before approving."),
    DecisionError.DETAILS_MISSING: _("Type the name, date of birth and number as printed on the card."),
    DecisionError.REASON_REQUIRED: _("Choose the reason for the refusal."),
}

IMAGE_TYPES = {"image/jpeg", "image/png"}


def identity_required() -> bool:
    """False only in a pilot that lifted the rule (SELLER_APPROVAL_REQUIRES_IDENTITY=off)."""
    return bool(getattr(settings, "SELLER_APPROVAL_REQUIRES_IDENTITY", True))


def identity_providers() -> list[IdentityProvider]:
    """The providers this deployment offers, from the environment (secrets never leave it)."""
    return available_providers(os.environ, debug=settings.DEBUG)


def _provider(provider_id: str) -> IdentityProvider:
    provider = provider_by_id(identity_providers(), (provider_id or "").strip())
    if provider is None:
        raise ValidationFailed(_("This identity provider is not offered."), field="provider")
    return provider


def _callback_url(verification: IdentityVerification) -> str:
    return settings.PUBLIC_URL + reverse("sellers:identity-callback", args=[verification.reference])


def _pending(verification: IdentityVerification) -> PendingVerification:
    applicant = Applicant(
        full_name=verification.claimed_full_name,
        date_of_birth=verification.claimed_birth_date,
        id_number=SensitiveNumber(verification.claimed_id_number) if verification.claimed_id_number else None,
        user_ref=str(verification.requested_by_id or ""),
    )
    request = VerificationRequest(
        reference=str(verification.reference), applicant=applicant, return_url=_callback_url(verification)
    )
    session = json.loads(verification.session) if verification.session else {}
    return PendingVerification(request=request, session=session)


def _photo(upload: Any, field: str) -> Any:
    if check_document(upload, field=field) not in IMAGE_TYPES:
        raise ValidationFailed(_("Send a JPEG or PNG photo of the card."), field=field)
    return upload


@transaction.atomic
def identity_verification_start(
    *,
    seller: Seller,
    actor: Any,
    provider_id: str,
    full_name: str,
    birth_date: date | None,
    id_number: str,
    front_photo: Any = None,
    back_photo: Any = None,
) -> tuple[IdentityVerification, str | None]:
    """The owner asks to verify the identity behind the seller (the household head, or an organisation's
    legal representative). Returns the verification and, for VNeID or the sandbox, where to send the browser;
    a manual review needs both photos of the CCCD card and waits for an officer."""
    ensure_may(actor=actor, act=Act.SELLER_IDENTITY_SUBMIT, place=seller_place(seller))
    provider = _provider(provider_id)
    errors: list[ErrorDetail] = []
    name = " ".join((full_name or "").split())
    if not name:
        errors.append(ErrorDetail(code="REQUIRED", message=_("Enter the full name as on the card."), field="fullName"))
    if birth_date is None:
        errors.append(ErrorDetail(code="REQUIRED", message=_("Enter the date of birth."), field="birthDate"))
    number = ""
    try:
        number = normalize_personal_id(id_number, birth_date=birth_date, field="idNumber")
    except ValidationFailed as exc:
        errors.extend(exc.details)
    if not number and not any(e.field == "idNumber" for e in errors):
        errors.append(ErrorDetail(code="REQUIRED", message=_("Enter the CCCD number."), field="idNumber"))
    if provider.manual:
        for upload, field in ((front_photo, "frontPhoto"), (back_photo, "backPhoto")):
            try:
                _photo(upload, field)
            except ValidationFailed as exc:
                errors.extend(exc.details)
    if errors:
        raise ValidationFailed(details=errors)
    verification = IdentityVerification(
        seller=seller,
        provider=provider.id,
        claimed_full_name=name[:200],
        claimed_birth_date=birth_date,
        claimed_id_number=number,
        requested_by=actor,
    )
    if provider.manual:
        verification.front_photo.save("front.jpg", front_photo, save=False)
        verification.back_photo.save("back.jpg", back_photo, save=False)
    verification.save()
    start = provider.start(_pending(verification).request)
    if start.session:
        verification.session = json.dumps(dict(start.session))
        verification.save(update_fields=["session"])
    audit_record(actor=actor, action="seller.identity.start", target=seller, reason=provider.id)
    return verification, start.url


def _apply(*, verification: IdentityVerification, result: VerificationResult, actor: Any) -> IdentityVerification:
    seller = Seller.objects.select_for_update().get(pk=verification.seller_id)
    verification.status = (
        IdentityVerificationStatus.VERIFIED if result.verified else IdentityVerificationStatus.REJECTED
    )
    verification.reason = result.reason.value if result.reason else ""
    verification.verified_full_name = result.full_name[:200]
    verification.verified_birth_date = result.date_of_birth
    verification.checks = dict(result.checks)
    verification.decided_at = timezone.now()
    verification.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    if result.id_number is not None:
        verification.id_number_index = blind_index(result.id_number.reveal(), purpose="personal-id")
    verification.save()
    if result.verified:
        seller.identity_verified_at = verification.decided_at
        fields = ["identity_verified_at", "updated_at"]
        if result.id_number is not None and seller.tax_status not in ORGANISATION_TAX_STATUSES:
            seller.personal_id = result.id_number.reveal()  # the verified number is the one declared for tax
            fields.append("personal_id")
        seller.save(update_fields=fields)
    checks = ", ".join(f"{name}={'yes' if ok else 'no'}" for name, ok in sorted(result.checks.items()))
    outcome = "verified" if result.verified else "rejected"
    audit_record(
        actor=actor,
        action=f"seller.identity.{outcome}",
        target=seller,
        reason=f"{verification.provider}: {verification.reason or outcome}" + (f" ({checks})" if checks else ""),
    )
    notify_seller_status(seller_id=seller.pk, action=f"seller.identity.{outcome}")
    return verification


def _locked_pending(reference: str) -> IdentityVerification:
    verification = (
        IdentityVerification.objects.select_for_update().filter(reference=reference).first()
        if _is_uuid(reference)
        else None
    )
    if verification is None:
        raise NotFound(_("This verification does not exist."))
    if verification.status != IdentityVerificationStatus.PENDING:
        raise ValidationFailed(_("This verification has already been decided."), code="INVALID_TRANSITION")
    return verification


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@transaction.atomic
def identity_verification_callback(*, reference: str, query: dict[str, str]) -> IdentityVerification:
    """The provider sent the browser back: check the callback belongs to this verification, then record it."""
    verification = _locked_pending(reference)
    provider = _provider(verification.provider)
    try:
        result = provider.parse_callback(CallbackRequest(method="GET", query=query), pending=_pending(verification))
    except InvalidCallback:
        raise PermissionDenied(_("This answer does not belong to the verification.")) from None
    return _apply(verification=verification, result=result, actor=None)


@transaction.atomic
def identity_verification_review(
    *,
    verification: IdentityVerification,
    actor: Any,
    approve: bool,
    front_photo_genuine: bool = False,
    back_photo_genuine: bool = False,
    face_matches: bool = False,
    card_valid: bool = False,
    read_full_name: str = "",
    read_birth_date: date | None = None,
    read_id_number: str = "",
    reason: str = "",
    note: str = "",
) -> IdentityVerification:
    """A province officer's decision on a manual review, after comparing both card photos with the applicant."""
    seller = Seller.objects.select_related("commune").get(pk=verification.seller_id)
    ensure_may(actor=actor, act=Act.SELLER_IDENTITY_REVIEW, place=seller_place(seller))
    locked = _locked_pending(str(verification.reference))
    provider = _provider(locked.provider)
    if not isinstance(provider, ManualReviewProvider):
        raise ValidationFailed(_("Only manual reviews are decided by an officer."))
    reason_code = Reason(reason) if reason in Reason.__members__ else None
    decision = OfficerDecision(
        officer_ref=str(actor.pk),
        approve=approve,
        front_photo_genuine=front_photo_genuine,
        back_photo_genuine=back_photo_genuine,
        face_matches=face_matches,
        card_valid=card_valid,
        read_full_name=read_full_name or "",
        read_date_of_birth=read_birth_date,
        read_id_number="".join((read_id_number or "").split()),
        reason=reason_code,
        note=(note or "")[:500],
    )
    review = ManualReview(front_photo=locked.front_photo.name or None, back_photo=locked.back_photo.name or None)
    try:
        result = provider.record_decision(pending=_pending(locked), review=review, decision=decision)
    except InvalidDecision as exc:
        raise ValidationFailed(DECISION_MESSAGES[exc.code]) from None
    return _apply(verification=locked, result=result, actor=actor)


def approval_problems(seller: Seller) -> list[ErrorDetail]:
    """What stops a seller from being approved (identity, tax identity, business registration)."""
    problems: list[ErrorDetail] = []
    if identity_required() and seller.identity_verified_at is None:
        problems.append(
            ErrorDetail(
                code="IDENTITY_NOT_VERIFIED",
                message=_("The seller's identity has not been verified (VNeID or a review of the CCCD card)."),
                field="identity",
            )
        )
    if seller.tax_status in ORGANISATION_TAX_STATUSES:
        if not seller.tax_code:
            problems.append(
                ErrorDetail(
                    code="REQUIRED", message=_("A cooperative or enterprise needs its tax code."), field="taxCode"
                )
            )
        if not seller.business_registration_no:
            problems.append(
                ErrorDetail(
                    code="REQUIRED",
                    message=_("A cooperative or enterprise needs its business registration number."),
                    field="businessRegistrationNo",
                )
            )
    elif not seller.tax_code and not seller.personal_id:
        problems.append(
            ErrorDetail(
                code="REQUIRED",
                message=_("A household or individual gives a tax code or a CCCD number."),
                field="personalId",
            )
        )
    return problems
