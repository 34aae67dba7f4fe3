"""The whole seller journey through GraphQL: apply → approve → suspend → reinstate."""

from __future__ import annotations

import pytest
from django.core import mail

from backend.moderation.models import AuditEntry
from backend.sellers.models import MembershipRole, Seller, SellerMembership, SellerStatus
from tests.factories import ProductFactory
from tests.sellers.conftest import gid
from tests.sellers.identity_kit import mark_verified
from tests.sellers.operations import (
    SELLER,
    SELLER_APPLY,
    SELLER_APPROVE,
    SELLER_REINSTATE,
    SELLER_SUSPEND,
    SELLERS,
)

pytestmark = pytest.mark.django_db


def apply_input(commune, **overrides):
    return {
        "name": "HTX Nông nghiệp Đà Lạt",
        "kind": "COOPERATIVE",
        "commune": gid(commune),
        "phone": "0903 123 456",
        "taxCode": "0312345673",
        "businessRegistrationNo": "0312345673",
        "description": "Rau và hoa Đà Lạt.",
        **overrides,
    }


def audit_rows(seller):
    entries = AuditEntry.objects.filter(target_type="seller", target_id=seller.pk).order_by("created_at", "pk")
    return [(e.actor_id, e.action, e.reason, e.status_before, e.status_after) for e in entries]


def test_apply_approve_suspend_reinstate(gql, make_user, lam_vien, province_admin, eager_mail) -> None:
    applicant = make_user(email="chu.htx@example.vn")
    buyer = make_user()

    with eager_mail():
        result = gql(SELLER_APPLY, {"input": apply_input(lam_vien)}, user=applicant)
    payload = result.payload("sellerApply")
    assert payload["errors"] == []
    created = payload["seller"]
    assert created["status"] == "PENDING"
    assert created["slug"] == "htx-nong-nghiep-da-lat"
    assert created["phone"] == "+84903123456"
    assert created["taxCode"] == "0********3"
    assert created["commune"]["name"] == lam_vien.name
    seller = Seller.objects.get(slug="htx-nong-nghiep-da-lat")
    assert SellerMembership.objects.get(seller=seller).user == applicant
    assert SellerMembership.objects.get(seller=seller).role == MembershipRole.OWNER
    assert seller.decided_at is None
    # The province admin hears about the application.
    assert [m.to for m in mail.outbox] == [[province_admin.email]]
    mail.outbox.clear()

    # Buyers do not see a pending seller; its owner and the admin do.
    assert gql(SELLER, {"id": gid(seller)}, user=buyer).data["seller"] is None
    assert gql(SELLER, {"id": gid(seller)}, user=applicant).data["seller"]["status"] == "PENDING"
    assert gql(SELLER, {"slug": seller.slug}, user=province_admin).data["seller"]["status"] == "PENDING"

    mark_verified(seller)  # the verification itself: tests/sellers/test_identity_verification.py
    with eager_mail():
        result = gql(SELLER_APPROVE, {"id": gid(seller), "note": "Hồ sơ đầy đủ"}, user=province_admin)
    assert result.payload("sellerApprove")["errors"] == []
    assert result.payload("sellerApprove")["seller"]["status"] == "APPROVED"
    seller.refresh_from_db()
    assert seller.status == SellerStatus.APPROVED
    assert seller.decided_at is not None
    first_decision = seller.decided_at
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [applicant.email]
    assert seller.name in mail.outbox[0].subject
    mail.outbox.clear()

    product = ProductFactory(seller=seller)
    names = [e["node"]["name"] for e in gql(SELLERS, {"first": 10}).data["sellers"]["edges"]]
    assert seller.name in names

    with eager_mail():
        result = gql(SELLER_SUSPEND, {"id": gid(seller), "reason": "Bán hàng giả"}, user=province_admin)
    assert result.payload("sellerSuspend")["errors"] == []
    seller.refresh_from_db()
    assert seller.status == SellerStatus.SUSPENDED
    assert seller.status_reason == "Bán hàng giả"
    assert seller.decided_at == first_decision  # the first decision stays on record
    assert "Bán hàng giả" in mail.outbox[0].body
    mail.outbox.clear()
    # Nothing of the catalog is deleted or changed: visibility follows the seller's status.
    product.refresh_from_db()
    assert product.is_published
    assert gql(SELLER, {"id": gid(seller)}, user=buyer).data["seller"] is None
    assert gql(SELLERS, {"first": 10}).data["sellers"]["totalCount"] == 0

    with eager_mail():
        result = gql(SELLER_REINSTATE, {"id": gid(seller)}, user=province_admin)
    assert result.payload("sellerReinstate")["errors"] == []
    seller.refresh_from_db()
    assert seller.status == SellerStatus.APPROVED
    assert len(mail.outbox) == 1
    assert gql(SELLER, {"id": gid(seller)}, user=buyer).data["seller"]["status"] == "APPROVED"

    assert audit_rows(seller) == [
        (applicant.pk, "seller.apply", "", "", "PENDING"),
        (province_admin.pk, "seller.approve", "Hồ sơ đầy đủ", "PENDING", "APPROVED"),
        (province_admin.pk, "seller.suspend", "Bán hàng giả", "APPROVED", "SUSPENDED"),
        (province_admin.pk, "seller.reinstate", "", "SUSPENDED", "APPROVED"),
    ]


def test_decision_mail_goes_to_owners_and_seller_address_in_their_language(
    gql, pending_seller, province_admin, eager_mail
) -> None:
    from tests.factories import UserFactory, add_staff

    vi_owner = add_staff(pending_seller, UserFactory(preferred_language="vi"))
    en_owner = add_staff(pending_seller, UserFactory(preferred_language="en"))
    add_staff(pending_seller, UserFactory(), role=MembershipRole.STAFF)  # staff are not mailed
    Seller.objects.filter(pk=pending_seller.pk).update(email="lienhe@htx.vn")

    with eager_mail():
        result = gql(SELLER_APPROVE, {"id": gid(pending_seller)}, user=province_admin)
    assert result.payload("sellerApprove")["errors"] == []

    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([vi_owner.email, en_owner.email, "lienhe@htx.vn"])
    english = next(m for m in mail.outbox if en_owner.email in m.to)
    assert "approved" in english.subject


def test_reject_sets_reason_and_first_decision(gql, pending_seller, province_admin, eager_mail) -> None:
    from tests.sellers.operations import SELLER_REJECT

    add_staff_owner = pending_seller.memberships.exists()
    assert not add_staff_owner
    with eager_mail():
        result = gql(SELLER_REJECT, {"id": gid(pending_seller), "reason": "Thiếu giấy phép"}, user=province_admin)
    assert result.payload("sellerReject")["errors"] == []
    pending_seller.refresh_from_db()
    assert pending_seller.status == SellerStatus.REJECTED
    assert pending_seller.status_reason == "Thiếu giấy phép"
    assert pending_seller.decided_at is not None
    assert audit_rows(pending_seller) == [
        (province_admin.pk, "seller.reject", "Thiếu giấy phép", "PENDING", "REJECTED")
    ]


def test_a_decision_reaches_every_owner_through_notifications_once(
    gql, pending_seller, province_admin, eager_mail, settings
) -> None:
    from backend.notifications.models import Notification, SandboxMessage
    from backend.sellers.tasks import notify_seller_status
    from tests.factories import UserFactory, add_staff
    from tests.sellers.operations import SELLER_REJECT

    settings.DEBUG, settings.NOTIFY_QUIET_HOURS = True, "off"  # the sandbox channels
    mailed = add_staff(pending_seller, UserFactory(email="chu@example.vn", phone="", phone_verified=False))
    phone_only = add_staff(pending_seller, UserFactory(email=None, phone="+84912000111", phone_verified=True))
    with eager_mail():
        result = gql(SELLER_REJECT, {"id": gid(pending_seller), "reason": "Thiếu giấy phép"}, user=province_admin)
    assert result.payload("sellerReject")["errors"] == []
    notes = Notification.objects.filter(kind="seller.application_rejected")
    assert {n.user_id for n in notes} == {mailed.pk, phone_only.pk}
    zalo = SandboxMessage.objects.get(address="+84912000111")
    assert zalo.channel_id == "sandbox_zalo" and "Thiếu giấy phép" in zalo.text
    [by_mail] = [m for m in mail.outbox if "chu@example.vn" in m.to]
    assert pending_seller.name in by_mail.subject and "Thiếu giấy phép" in by_mail.body
    assert notify_seller_status(pending_seller.pk) == 0  # the outbox runs it again: nothing twice
    assert notes.count() == 2


def test_a_phone_only_owner_hears_of_suspension_and_reinstatement_on_zalo(
    gql, approved_seller, province_admin, eager_mail, settings
) -> None:
    from backend.notifications.models import SandboxMessage
    from backend.sellers.tasks import notify_seller_status
    from tests.factories import UserFactory, add_staff
    from tests.sellers.operations import SELLER_REINSTATE, SELLER_SUSPEND

    settings.DEBUG, settings.NOTIFY_QUIET_HOURS = True, "off"  # the sandbox channels
    add_staff(approved_seller, UserFactory(email=None, phone="+84912000222", phone_verified=True))
    with eager_mail():
        suspended = gql(SELLER_SUSPEND, {"id": gid(approved_seller), "reason": "Hàng giả"}, user=province_admin)
    assert suspended.payload("sellerSuspend")["errors"] == []
    [told] = SandboxMessage.objects.filter(address="+84912000222", kind="seller.suspended")
    assert told.channel_id == "sandbox_zalo" and "Hàng giả" in told.text and approved_seller.name in told.text
    assert notify_seller_status(approved_seller.pk, "seller.suspend") == 0  # run again: nothing twice
    with eager_mail():
        back = gql(SELLER_REINSTATE, {"id": gid(approved_seller)}, user=province_admin)
    assert back.payload("sellerReinstate")["errors"] == []
    assert SandboxMessage.objects.filter(address="+84912000222", kind="seller.reinstated").count() == 1
