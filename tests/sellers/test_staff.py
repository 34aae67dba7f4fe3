"""Staff invitations, cooperative households and documents, and their IDOR guards."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from backend.sellers.models import (
    MemberHousehold,
    MembershipRole,
    SellerDocument,
    SellerInvitation,
    SellerKind,
    SellerMembership,
)
from backend.sellers.selectors import sellers_of_user
from tests.factories import SellerFactory, UserFactory, add_staff
from tests.sellers.conftest import gid
from tests.sellers.operations import DOCUMENT_UPLOAD, HOUSEHOLD_ADD, INVITATION_ACCEPT, STAFF_INVITE

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def invite(gql, seller, email, user):
    return gql(STAFF_INVITE, {"seller": gid(seller), "email": email}, user=user)


def mailed_token() -> str:
    body = mail.outbox[-1].body
    return re.search(r"^([A-Za-z0-9_-]{40,})$", body, re.MULTILINE).group(1)


# --- Invitations --------------------------------------------------------------------------


def test_owner_invites_and_invitee_accepts(gql, approved_seller, owner, eager_mail) -> None:
    invitee = UserFactory(email="nhan.vien@example.vn")
    with eager_mail():
        result = invite(gql, approved_seller, "Nhan.Vien@Example.vn", owner)
    payload = result.payload("sellerStaffInvite")
    assert payload["errors"] == []
    assert payload["invitation"]["email"] == "nhan.vien@example.vn"
    assert mail.outbox[0].to == ["nhan.vien@example.vn"]
    assert approved_seller.name in mail.outbox[0].subject
    token = mailed_token()
    assert not SellerInvitation.objects.filter(token_hash=token).exists()  # only its hash is stored

    accepted = gql(INVITATION_ACCEPT, {"token": token}, user=invitee).payload("sellerInvitationAccept")
    assert accepted["errors"] == []
    assert accepted["seller"]["id"] == gid(approved_seller)
    membership = SellerMembership.objects.get(seller=approved_seller, user=invitee)
    assert membership.role == MembershipRole.STAFF

    # The code works once.
    again = gql(INVITATION_ACCEPT, {"token": token}, user=invitee)
    assert again.error_codes("sellerInvitationAccept") == ["INVALID"]


def test_a_user_may_join_several_sellers(gql, approved_seller, owner, lam_vien, eager_mail) -> None:
    second = SellerFactory(commune=lam_vien)
    second_owner = add_staff(second)
    invitee = UserFactory()
    for seller, by in ((approved_seller, owner), (second, second_owner)):
        with eager_mail():
            invite(gql, seller, invitee.email, by)
        assert (
            gql(INVITATION_ACCEPT, {"token": mailed_token()}, user=invitee).payload("sellerInvitationAccept")["errors"]
            == []
        )
    assert set(sellers_of_user(user=invitee)) == {approved_seller, second}


def test_invitation_for_another_address_is_refused(gql, approved_seller, owner, eager_mail) -> None:
    with eager_mail():
        invite(gql, approved_seller, "invited@example.vn", owner)
    intruder = UserFactory(email="someone.else@example.vn")
    result = gql(INVITATION_ACCEPT, {"token": mailed_token()}, user=intruder)
    assert result.error_codes("sellerInvitationAccept") == ["PERMISSION_DENIED"]
    assert not SellerMembership.objects.filter(user=intruder).exists()
    assert SellerInvitation.objects.get().accepted_at is None


def test_expired_and_unknown_invitations(gql, approved_seller, owner, eager_mail) -> None:
    invitee = UserFactory()
    with eager_mail():
        invite(gql, approved_seller, invitee.email, owner)
    SellerInvitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert gql(INVITATION_ACCEPT, {"token": mailed_token()}, user=invitee).error_codes("sellerInvitationAccept") == [
        "INVALID"
    ]
    assert gql(INVITATION_ACCEPT, {"token": "made-up"}, user=invitee).error_codes("sellerInvitationAccept") == [
        "NOT_FOUND"
    ]
    assert gql(INVITATION_ACCEPT, {"token": "made-up"}).error_codes("sellerInvitationAccept") == [
        "AUTHENTICATION_REQUIRED"
    ]
    assert not SellerMembership.objects.filter(user=invitee).exists()


def test_only_the_owner_invites(gql, approved_seller, owner, buyer) -> None:
    staff = add_staff(approved_seller, role=MembershipRole.STAFF)
    for user in (staff, buyer):
        assert invite(gql, approved_seller, "x@example.vn", user).error_codes("sellerStaffInvite") == [
            "PERMISSION_DENIED"
        ]
    assert invite(gql, approved_seller, "x@example.vn", None).error_codes("sellerStaffInvite") == [
        "AUTHENTICATION_REQUIRED"
    ]
    assert not SellerInvitation.objects.exists()


def test_invite_validates_the_address(gql, approved_seller, owner) -> None:
    assert invite(gql, approved_seller, "not-an-email", owner).error_codes("sellerStaffInvite") == ["INVALID"]
    assert invite(gql, approved_seller, owner.email.upper(), owner).error_codes("sellerStaffInvite") == ["UNIQUE"]
    assert not SellerInvitation.objects.exists()


def test_owner_of_seller_a_cannot_invite_to_seller_b(gql, approved_seller, owner, lam_vien) -> None:
    seller_b = SellerFactory(commune=lam_vien)
    result = invite(gql, seller_b, "friend@example.vn", owner)
    assert result.error_codes("sellerStaffInvite") == ["PERMISSION_DENIED"]
    assert not SellerInvitation.objects.exists()


# --- Households ---------------------------------------------------------------------------


def household_input(commune, **overrides):
    return {"name": "Hộ ông K'Brêu", "commune": gid(commune), "phone": "0912 345 678", **overrides}


def test_cooperative_staff_add_households(gql, approved_seller, lam_vien) -> None:
    staff = add_staff(approved_seller, role=MembershipRole.STAFF)
    result = gql(HOUSEHOLD_ADD, {"seller": gid(approved_seller), "input": household_input(lam_vien)}, user=staff)
    payload = result.payload("sellerHouseholdAdd")
    assert payload["errors"] == []
    assert payload["household"]["phone"] == "+84912345678"
    assert payload["household"]["commune"]["name"] == lam_vien.name
    assert MemberHousehold.objects.get().seller == approved_seller


def test_household_validation(gql, approved_seller, owner, lam_vien) -> None:
    bad_phone = gql(
        HOUSEHOLD_ADD, {"seller": gid(approved_seller), "input": household_input(lam_vien, phone="123")}, user=owner
    )
    assert bad_phone.error_codes("sellerHouseholdAdd") == ["INVALID"]
    no_name = gql(
        HOUSEHOLD_ADD, {"seller": gid(approved_seller), "input": household_input(lam_vien, name=" ")}, user=owner
    )
    assert no_name.error_codes("sellerHouseholdAdd") == ["REQUIRED"]
    household_seller = SellerFactory(kind=SellerKind.HOUSEHOLD, commune=lam_vien)
    household_owner = add_staff(household_seller)
    not_coop = gql(
        HOUSEHOLD_ADD, {"seller": gid(household_seller), "input": household_input(lam_vien)}, user=household_owner
    )
    assert not_coop.error_codes("sellerHouseholdAdd") == ["INVALID"]
    assert not MemberHousehold.objects.exists()


def test_staff_of_seller_a_cannot_add_households_to_seller_b(gql, approved_seller, owner, lam_vien, buyer) -> None:
    seller_b = SellerFactory(commune=lam_vien)
    for user in (owner, buyer):
        result = gql(HOUSEHOLD_ADD, {"seller": gid(seller_b), "input": household_input(lam_vien)}, user=user)
        assert result.error_codes("sellerHouseholdAdd") == ["PERMISSION_DENIED"]
    assert not MemberHousehold.objects.exists()


# --- Documents ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [(PDF, "dkkd.pdf", "application/pdf"), (PNG, "scan.png", "image/png"), (JPEG, "anh.jpg", "image/jpeg")],
)
def test_owner_uploads_documents(upload, approved_seller, owner, content, name, content_type) -> None:
    file = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    result = upload(
        DOCUMENT_UPLOAD, {"seller": gid(approved_seller), "kind": "BUSINESS_REGISTRATION"}, file, user=owner
    )
    payload = result.payload("sellerDocumentUpload")
    assert payload["errors"] == []
    assert payload["document"]["contentType"] == content_type  # from the bytes, not the header
    assert payload["document"]["size"] == len(content)
    document = SellerDocument.objects.get()
    assert document.seller == approved_seller
    assert name not in document.file.name  # stored under an unguessable name
    assert document.file.read() == content


def test_document_type_is_checked_by_content(upload, approved_seller, owner) -> None:
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 this is an exe", content_type="application/pdf")
    result = upload(
        DOCUMENT_UPLOAD, {"seller": gid(approved_seller), "kind": "BUSINESS_REGISTRATION"}, fake, user=owner
    )
    assert [(e["field"], e["code"]) for e in result.payload("sellerDocumentUpload")["errors"]] == [("file", "INVALID")]
    assert not SellerDocument.objects.exists()


def test_document_size_and_kind_limits(upload, approved_seller, owner) -> None:
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024), content_type="application/pdf")
    result = upload(DOCUMENT_UPLOAD, {"seller": gid(approved_seller), "kind": "BUSINESS_REGISTRATION"}, big, user=owner)
    assert result.error_codes("sellerDocumentUpload") == ["INVALID"]
    ok = SimpleUploadedFile("a.pdf", PDF)
    result = upload(DOCUMENT_UPLOAD, {"seller": gid(approved_seller), "kind": "PASSPORT"}, ok, user=owner)
    assert [e["field"] for e in result.payload("sellerDocumentUpload")["errors"]] == ["kind"]
    assert not SellerDocument.objects.exists()


def test_only_the_owner_uploads_and_only_to_their_seller(upload, approved_seller, owner, lam_vien) -> None:
    staff = add_staff(approved_seller, role=MembershipRole.STAFF)
    seller_b = SellerFactory(commune=lam_vien)
    cases = [(approved_seller, staff), (seller_b, owner)]
    for seller, user in cases:
        file = SimpleUploadedFile("a.pdf", PDF)
        result = upload(DOCUMENT_UPLOAD, {"seller": gid(seller), "kind": "FOOD_SAFETY_CERTIFICATE"}, file, user=user)
        assert result.error_codes("sellerDocumentUpload") == ["PERMISSION_DENIED"]
    anonymous = upload(
        DOCUMENT_UPLOAD,
        {"seller": gid(seller_b), "kind": "FOOD_SAFETY_CERTIFICATE"},
        SimpleUploadedFile("a.pdf", PDF),
        user=None,
    )
    assert anonymous.error_codes("sellerDocumentUpload") == ["AUTHENTICATION_REQUIRED"]
    assert not SellerDocument.objects.exists()
