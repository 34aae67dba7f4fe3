"""Manual review by a province officer, and the deterministic sandbox."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from identity.base import CallbackNotSupported, CallbackRequest, InvalidCallback, Reason, StartKind, VerificationStatus
from identity.manual import DecisionError, InvalidDecision, ManualReview, ManualReviewProvider, OfficerDecision
from identity.numbers import SensitiveNumber
from identity.sandbox import SandboxIdentityProvider
from tests.identity.conftest import LAN_CCCD, RETURN_URL, pending, request

PHOTOS = ManualReview(front_photo="identity/IDV-7/front.jpg", back_photo="identity/IDV-7/back.jpg")


def approval(**overrides: Any) -> OfficerDecision:
    fields: dict[str, Any] = {
        "officer_ref": "officer-9",
        "approve": True,
        "front_photo_genuine": True,
        "back_photo_genuine": True,
        "face_matches": True,
        "card_valid": True,
        "read_full_name": "Nguyễn Thị Lan",
        "read_date_of_birth": date(1985, 3, 14),
        "read_id_number": LAN_CCCD,
    }
    fields.update(overrides)
    return OfficerDecision(**fields)


def test_manual_review_starts_a_queue_entry_and_has_no_callback() -> None:
    provider = ManualReviewProvider()
    start = provider.start(request())
    assert (start.kind, start.url, start.provider_reference) == (StartKind.MANUAL_REVIEW, None, "IDV-7")
    with pytest.raises(CallbackNotSupported):
        provider.parse_callback(CallbackRequest("GET"), pending=pending())


def test_an_officer_approval_with_every_check() -> None:
    result = ManualReviewProvider().record_decision(pending=pending(), review=PHOTOS, decision=approval())
    assert result.verified and result.decided_by == "officer-9"
    assert result.id_number == SensitiveNumber(LAN_CCCD)
    assert result.checks["face_matches"] and result.checks["id_number_matches"]


@pytest.mark.parametrize(
    ("review", "decision", "code"),
    [
        (PHOTOS, approval(officer_ref="user-42"), DecisionError.OFFICER_IS_APPLICANT),
        (ManualReview(front_photo="f.jpg", back_photo=None), approval(), DecisionError.PHOTOS_MISSING),
        (PHOTOS, approval(face_matches=False), DecisionError.CHECKS_INCOMPLETE),
        (PHOTOS, approval(card_valid=False), DecisionError.CHECKS_INCOMPLETE),
        (PHOTOS, approval(read_id_number=""), DecisionError.DETAILS_MISSING),
        (PHOTOS, approval(read_date_of_birth=None), DecisionError.DETAILS_MISSING),
        (PHOTOS, approval(approve=False), DecisionError.REASON_REQUIRED),
    ],
)
def test_decisions_that_skip_a_step_are_refused(
    review: ManualReview, decision: OfficerDecision, code: DecisionError
) -> None:
    with pytest.raises(InvalidDecision) as caught:
        ManualReviewProvider().record_decision(pending=pending(), review=review, decision=decision)
    assert caught.value.code is code


def test_an_approval_that_contradicts_the_claim_still_rejects() -> None:
    result = ManualReviewProvider().record_decision(
        pending=pending(), review=PHOTOS, decision=approval(read_id_number="068185009999")
    )
    assert (result.status, result.reason) == (VerificationStatus.REJECTED, Reason.ID_NUMBER_MISMATCH)


def test_a_rejection_with_its_reason() -> None:
    result = ManualReviewProvider().record_decision(
        pending=pending(), review=PHOTOS, decision=approval(approve=False, reason=Reason.FACE_MISMATCH)
    )
    assert (result.status, result.reason, result.decided_by) == (
        VerificationStatus.REJECTED,
        Reason.FACE_MISMATCH,
        "officer-9",
    )


def test_manual_review_can_be_switched_off() -> None:
    assert ManualReviewProvider.from_env({"IDENTITY_MANUAL_REVIEW": "off"}) is None
    assert ManualReviewProvider.from_env({}) is not None


def sandbox_round_trip(**applicant: Any) -> tuple[str, VerificationStatus, Reason | None]:
    provider = SandboxIdentityProvider.from_env({"SECRET_KEY": "test"})
    start = provider.start(request(**applicant))
    assert start.url is not None and start.url.startswith(RETURN_URL + "?")
    query = dict(parse_qsl(urlsplit(start.url).query))
    result = provider.parse_callback(CallbackRequest("GET", query), pending=pending(**applicant))
    return query["outcome"], result.status, result.reason


def test_the_sandbox_is_deterministic() -> None:
    assert sandbox_round_trip() == ("verified", VerificationStatus.VERIFIED, None)
    assert sandbox_round_trip(id_number=SensitiveNumber("068185123000")) == (
        "mismatch",
        VerificationStatus.REJECTED,
        Reason.ID_NUMBER_MISMATCH,
    )
    assert sandbox_round_trip(id_number=None)[0] == "denied"
    assert sandbox_round_trip(date_of_birth=date(1990, 1, 1))[0] == "denied"  # number and birth year disagree


def test_the_sandbox_refuses_forged_callbacks() -> None:
    provider = SandboxIdentityProvider.from_env({"SECRET_KEY": "test"})
    genuine = provider.callback_query("IDV-7", "denied")
    with pytest.raises(InvalidCallback):
        provider.parse_callback(CallbackRequest("GET", {**genuine, "outcome": "verified"}), pending=pending())
    with pytest.raises(InvalidCallback):
        provider.parse_callback(CallbackRequest("GET", provider.callback_query("IDV-8", "verified")), pending=pending())
    other = SandboxIdentityProvider.from_env({"SECRET_KEY": "other"})
    with pytest.raises(InvalidCallback):
        provider.parse_callback(CallbackRequest("GET", other.callback_query("IDV-7", "verified")), pending=pending())
    with pytest.raises(ValueError):
        provider.callback_query("IDV-7", "maybe")
