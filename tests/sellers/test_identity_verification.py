"""Identity verification of sellers: approval needs it, the sandbox and manual review flows, the audit."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from backend.moderation.models import AuditEntry
from backend.sellers.models import IdentityVerification, Seller, SellerStatus
from backend.sellers.services import PILOT_NOTE
from tests.factories import SellerFactory, add_staff
from tests.sellers.conftest import gid
from tests.sellers.identity_kit import BIRTH, CCCD, REVIEW, VERIFY, mark_verified, post_with_photos
from tests.sellers.operations import SELLER_APPROVE

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(lam_vien) -> Seller:
    return SellerFactory(status=SellerStatus.PENDING, commune=lam_vien, kind="HOUSEHOLD", name="Hộ Nguyễn Văn An")


@pytest.fixture
def household_owner(household):
    return add_staff(household)


@pytest.fixture
def sandbox(settings):
    settings.DEBUG = True  # the sandbox provider is offered only in development


def verify_variables(seller: Seller, provider: str, **overrides):
    return {
        "seller": gid(seller),
        "provider": provider,
        "fullName": "Nguyễn Văn An",
        "birthDate": BIRTH.isoformat(),
        "idNumber": CCCD,
        **overrides,
    }


def audit_text(seller: Seller) -> str:
    rows = AuditEntry.objects.filter(target_type="seller", target_id=seller.pk)
    return " ".join(f"{r.action} {r.reason} {r.target_repr}" for r in rows)


def test_a_seller_cannot_be_approved_without_a_verified_identity(gql, household, province_admin) -> None:
    household.personal_id = CCCD
    household.save()
    payload = gql(SELLER_APPROVE, {"id": gid(household)}, user=province_admin, lang="en").payload("sellerApprove")
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("identity", "IDENTITY_NOT_VERIFIED")]
    assert "identity has not been verified" in payload["errors"][0]["message"]
    vietnamese = gql(SELLER_APPROVE, {"id": gid(household)}, user=province_admin).payload("sellerApprove")
    assert "chưa được xác minh" in vietnamese["errors"][0]["message"]
    household.refresh_from_db()
    assert household.status == SellerStatus.PENDING
    assert not AuditEntry.objects.filter(action="seller.approve").exists()


def test_the_pilot_setting_lifts_the_rule_and_says_so(gql, household, province_admin, settings) -> None:
    settings.SELLER_APPROVAL_REQUIRES_IDENTITY = False
    household.personal_id = CCCD
    household.save()
    payload = gql(SELLER_APPROVE, {"id": gid(household), "note": "thí điểm"}, user=province_admin)
    assert payload.payload("sellerApprove")["errors"] == []
    entry = AuditEntry.objects.get(action="seller.approve", target_id=household.pk)
    assert entry.reason == f"{PILOT_NOTE} thí điểm"


def test_organisations_need_a_tax_code_and_a_business_registration(gql, lam_vien, province_admin) -> None:
    coop = mark_verified(SellerFactory(status=SellerStatus.PENDING, commune=lam_vien, kind="COOPERATIVE"))
    coop.personal_id = ""
    coop.save()
    errors = gql(SELLER_APPROVE, {"id": gid(coop)}, user=province_admin).payload("sellerApprove")["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [
        ("taxCode", "REQUIRED"),
        ("businessRegistrationNo", "REQUIRED"),
    ]
    coop.tax_code, coop.business_registration_no = "5800123458", "5800123458"
    coop.save()
    assert gql(SELLER_APPROVE, {"id": gid(coop)}, user=province_admin).payload("sellerApprove")["errors"] == []


def test_sandbox_verification_then_approval(client, gql, household, household_owner, province_admin, sandbox) -> None:
    payload = gql(VERIFY, verify_variables(household, "sandbox"), user=household_owner).payload("sellerIdentityVerify")
    assert payload["errors"] == []
    assert payload["verification"]["status"] == "PENDING"
    assert payload["verification"]["idNumber"] == "0**********5"
    url = urlsplit(payload["redirectUrl"])
    answer = client.get(f"{url.path}?{url.query}")
    assert answer.status_code == 200
    verification = IdentityVerification.objects.get()
    assert verification.status == "VERIFIED" and verification.verified_full_name == "Nguyễn Văn An"
    household.refresh_from_db()
    assert household.identity_verified_at is not None and household.personal_id == CCCD
    assert "seller.identity.verified sandbox" in audit_text(household)
    assert gql(SELLER_APPROVE, {"id": gid(household)}, user=province_admin).payload("sellerApprove")["errors"] == []
    assert CCCD not in audit_text(household) and CCCD[-6:] not in audit_text(household)


def test_a_forged_sandbox_answer_changes_nothing(client, gql, household, household_owner, sandbox) -> None:
    payload = gql(VERIFY, verify_variables(household, "sandbox"), user=household_owner).payload("sellerIdentityVerify")
    url = urlsplit(payload["redirectUrl"])
    forged = url.query.replace("signature=", "signature=0")
    assert client.get(f"{url.path}?{forged}").status_code == 400
    assert IdentityVerification.objects.get().status == "PENDING"
    household.refresh_from_db()
    assert household.identity_verified_at is None


def test_only_the_owner_starts_a_verification(gql, household, buyer, sandbox) -> None:
    result = gql(VERIFY, verify_variables(household, "sandbox"), user=buyer)
    assert result.error_codes("sellerIdentityVerify") == ["PERMISSION_DENIED"]
    assert not IdentityVerification.objects.exists()


def test_a_malformed_number_is_refused_before_anything_is_stored(gql, household, household_owner, sandbox) -> None:
    variables = verify_variables(household, "sandbox", idNumber="068095012345")  # says born in 1995
    payload = gql(VERIFY, variables, user=household_owner, lang="en").payload("sellerIdentityVerify")
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("idNumber", "INVALID")]
    assert "year of birth" in payload["errors"][0]["message"]
    assert not IdentityVerification.objects.exists()


def test_manual_review_by_a_province_officer(
    client, gql, household, household_owner, province_admin, other_province_admin
) -> None:
    missing = gql(VERIFY, verify_variables(household, "manual"), user=household_owner).payload("sellerIdentityVerify")
    assert {(e["field"], e["code"]) for e in missing["errors"]} == {
        ("frontPhoto", "REQUIRED"),
        ("backPhoto", "REQUIRED"),
    }

    started = post_with_photos(client, VERIFY, verify_variables(household, "manual"), user=household_owner)
    payload = started.payload("sellerIdentityVerify")
    assert payload["errors"] == [] and payload["redirectUrl"] is None
    verification = payload["verification"]
    assert verification["status"] == "PENDING" and verification["frontPhotoUrl"]

    client.force_login(other_province_admin)
    assert client.get(verification["frontPhotoUrl"]).status_code == 404
    client.force_login(province_admin)
    assert client.get(verification["frontPhotoUrl"]).status_code == 200

    outsider = gql(REVIEW, {"id": verification["id"], "approve": True}, user=other_province_admin)
    assert outsider.error_codes("sellerIdentityReview") == ["PERMISSION_DENIED"]
    hasty = gql(REVIEW, {"id": verification["id"], "approve": True}, user=province_admin, lang="en")
    assert hasty.payload("sellerIdentityReview")["errors"][0]["message"] == "Confirm every comparison before approving."

    decision = {
        "id": verification["id"],
        "approve": True,
        "front": True,
        "back": True,
        "face": True,
        "valid": True,
        "name": "NGUYỄN VĂN AN",
        "birth": BIRTH.isoformat(),
        "number": "068 085 012 345",
    }
    decided = gql(REVIEW, decision, user=province_admin).payload("sellerIdentityReview")
    assert decided["errors"] == [] and decided["verification"]["status"] == "VERIFIED"
    entry = AuditEntry.objects.get(action="seller.identity.verified")
    assert entry.actor == province_admin
    assert "face_matches=yes" in entry.reason and CCCD not in entry.reason
    again = gql(REVIEW, {**decision, "approve": False, "reason": "FACE_MISMATCH"}, user=province_admin)
    assert again.error_codes("sellerIdentityReview") == ["INVALID_TRANSITION"]


def test_a_refusal_needs_a_reason_and_is_told(gql, client, household, household_owner, province_admin) -> None:
    started = post_with_photos(client, VERIFY, verify_variables(household, "manual"), user=household_owner)
    vid = started.payload("sellerIdentityVerify")["verification"]["id"]
    no_reason = gql(REVIEW, {"id": vid, "approve": False}, user=province_admin)
    assert no_reason.error_codes("sellerIdentityReview") == ["INVALID"]
    refused = gql(REVIEW, {"id": vid, "approve": False, "reason": "FACE_MISMATCH"}, user=province_admin, lang="en")
    verification = refused.payload("sellerIdentityReview")["verification"]
    assert verification["status"] == "REJECTED"
    assert verification["reasonMessage"] == "The applicant is not the person on the card."
    household.refresh_from_db()
    assert household.identity_verified_at is None
