"""Manual review: a province officer compares the front and back photos of the applicant's CCCD card with
the applicant (in person or on a video call) and records a decision; this provider turns that decision
into a result, refusing decisions that skip a step. The backend writes the result to the audit log."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from adapter_http import flag
from identity.base import (
    CallbackNotSupported,
    CallbackRequest,
    PendingVerification,
    Reason,
    StartKind,
    VerificationRequest,
    VerificationResult,
    VerificationStart,
)
from identity.claims import rejected_result, verified_result


@dataclass(frozen=True)
class ManualReview:
    """The evidence the backend holds for the officer (storage keys of the uploaded photos)."""

    front_photo: str | None
    back_photo: str | None


@dataclass(frozen=True)
class OfficerDecision:
    officer_ref: str  # the officer's user id
    approve: bool
    front_photo_genuine: bool = False  # the front is a CCCD card, legible, not edited
    back_photo_genuine: bool = False  # the back (chip, MRZ, issue date) agrees with the front
    face_matches: bool = False  # the applicant is the person pictured on the card
    card_valid: bool = False  # not expired
    read_full_name: str = ""  # as printed on the card
    read_date_of_birth: date | None = None
    read_id_number: str = ""
    reason: Reason | None = None  # required when rejecting
    note: str = ""  # for the audit log; never the ID number


class DecisionError(StrEnum):
    OFFICER_IS_APPLICANT = "OFFICER_IS_APPLICANT"
    PHOTOS_MISSING = "PHOTOS_MISSING"  # both sides must have been uploaded
    CHECKS_INCOMPLETE = "CHECKS_INCOMPLETE"  # approving needs every comparison confirmed
    DETAILS_MISSING = "DETAILS_MISSING"  # approving needs the name, birth date and number read from the card
    REASON_REQUIRED = "REASON_REQUIRED"


class InvalidDecision(ValueError):
    def __init__(self, code: DecisionError) -> None:
        super().__init__(code.value)
        self.code = code


class ManualReviewProvider:
    id: str = "manual"
    name: str = "Manual review"
    manual: bool = True

    def __repr__(self) -> str:
        return "ManualReviewProvider()"

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> ManualReviewProvider | None:
        """Offered unless IDENTITY_MANUAL_REVIEW is off."""
        return cls() if flag(environ, "IDENTITY_MANUAL_REVIEW", default=True) else None

    def start(self, request: VerificationRequest) -> VerificationStart:
        return VerificationStart(kind=StartKind.MANUAL_REVIEW, provider_reference=request.reference)

    def parse_callback(self, callback: CallbackRequest, *, pending: PendingVerification) -> VerificationResult:
        raise CallbackNotSupported("manual review decides through record_decision")

    def record_decision(
        self, *, pending: PendingVerification, review: ManualReview, decision: OfficerDecision
    ) -> VerificationResult:
        """The result of an officer's decision. Raises InvalidDecision when the decision skips a step. An
        approval can still come out REJECTED when what the officer read disagrees with the claim."""
        if decision.officer_ref and decision.officer_ref == pending.request.applicant.user_ref:
            raise InvalidDecision(DecisionError.OFFICER_IS_APPLICANT)
        if not decision.approve:
            if decision.reason is None:
                raise InvalidDecision(DecisionError.REASON_REQUIRED)
            return rejected_result(
                provider_id=self.id,
                pending=pending,
                reason=decision.reason,
                provider_reference=pending.request.reference,
                decided_by=decision.officer_ref,
            )
        if not review.front_photo or not review.back_photo:
            raise InvalidDecision(DecisionError.PHOTOS_MISSING)
        checks = {
            "front_photo_genuine": decision.front_photo_genuine,
            "back_photo_genuine": decision.back_photo_genuine,
            "face_matches": decision.face_matches,
            "card_valid": decision.card_valid,
        }
        if not all(checks.values()):
            raise InvalidDecision(DecisionError.CHECKS_INCOMPLETE)
        if not decision.read_full_name.strip() or decision.read_date_of_birth is None or not decision.read_id_number:
            raise InvalidDecision(DecisionError.DETAILS_MISSING)
        return verified_result(
            provider_id=self.id,
            pending=pending,
            full_name=decision.read_full_name.strip(),
            date_of_birth=decision.read_date_of_birth,
            id_number=decision.read_id_number,
            provider_reference=pending.request.reference,
            decided_by=decision.officer_ref,
            extra_checks=checks,
        )
