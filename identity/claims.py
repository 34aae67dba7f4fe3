"""Comparing what a provider (or an officer) verified with what the applicant claimed, the same way for
every provider: the ID number must be a valid CCCD consistent with the verified birth date, and the
name, birth date and number must match the claim.

Names are compared after Unicode NFC, case folding and collapsing spaces, but with their diacritics:
"Lê Văn Đạt" and "Le Van Dat" are different people on an ID card."""

from __future__ import annotations

import unicodedata
from datetime import date

from identity.base import Applicant, PendingVerification, Reason, VerificationResult, VerificationStatus
from identity.numbers import InvalidNumber, SensitiveNumber, parse_cccd


def normalise_name(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def verified_result(
    *,
    provider_id: str,
    pending: PendingVerification,
    full_name: str,
    date_of_birth: date | None,
    id_number: str | None,
    provider_reference: str | None = None,
    decided_by: str = "",
    extra_checks: dict[str, bool] | None = None,
) -> VerificationResult:
    """VERIFIED when the verified data is sound and matches the claim, else REJECTED with the first reason."""
    applicant: Applicant = pending.request.applicant
    checks: dict[str, bool] = dict(extra_checks or {})
    number: SensitiveNumber | None = None
    reason: Reason | None = None
    if id_number:
        try:
            number = parse_cccd(id_number, birth_date=date_of_birth).number
            checks["id_number_valid"] = True
        except InvalidNumber:
            checks["id_number_valid"] = False
            reason = Reason.ID_NUMBER_INVALID
    if number is not None and applicant.id_number is not None:
        checks["id_number_matches"] = number == applicant.id_number
        reason = reason or (None if checks["id_number_matches"] else Reason.ID_NUMBER_MISMATCH)
    checks["name_matches"] = bool(full_name) and normalise_name(full_name) == normalise_name(applicant.full_name)
    reason = reason or (None if checks["name_matches"] else Reason.NAME_MISMATCH)
    if applicant.date_of_birth is not None:
        checks["birth_date_matches"] = date_of_birth == applicant.date_of_birth
        reason = reason or (None if checks["birth_date_matches"] else Reason.BIRTH_DATE_MISMATCH)
    if number is None and reason is None:
        reason = Reason.ID_NUMBER_INVALID  # a verification without an ID number proves nothing
    return VerificationResult(
        provider_id=provider_id,
        reference=pending.request.reference,
        status=VerificationStatus.REJECTED if reason else VerificationStatus.VERIFIED,
        reason=reason,
        full_name=full_name,
        date_of_birth=date_of_birth,
        id_number=number,
        provider_reference=provider_reference,
        decided_by=decided_by,
        checks=checks,
    )


def rejected_result(
    *,
    provider_id: str,
    pending: PendingVerification,
    reason: Reason,
    provider_reference: str | None = None,
    decided_by: str = "",
) -> VerificationResult:
    return VerificationResult(
        provider_id=provider_id,
        reference=pending.request.reference,
        status=VerificationStatus.REJECTED,
        reason=reason,
        provider_reference=provider_reference,
        decided_by=decided_by,
    )
