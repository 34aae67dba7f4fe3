"""Who may decide on sellers, and what happens when a decision is refused."""

from __future__ import annotations

import pytest
from django.core import mail

from backend.moderation.models import AuditEntry
from backend.sellers.models import Seller, SellerStatus
from tests.factories import SellerFactory
from tests.sellers.conftest import gid
from tests.sellers.operations import SELLER_APPROVE, SELLER_REINSTATE, SELLER_REJECT, SELLER_SUSPEND

pytestmark = pytest.mark.django_db


def snapshot(seller: Seller) -> tuple:
    seller.refresh_from_db()
    return (seller.status, seller.status_reason, seller.status_changed_at, seller.decided_at, seller.updated_at)


def assert_untouched(seller: Seller, before: tuple) -> None:
    assert snapshot(seller) == before
    assert not AuditEntry.objects.filter(target_type="seller", target_id=seller.pk).exists()


def test_reject_needs_a_reason(gql, pending_seller, province_admin) -> None:
    before = snapshot(pending_seller)
    for reason in ("", "   \n"):
        result = gql(SELLER_REJECT, {"id": gid(pending_seller), "reason": reason}, user=province_admin)
        payload = result.payload("sellerReject")
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [("reason", "REQUIRED")]
        assert payload["seller"] is None
    assert_untouched(pending_seller, before)


def test_suspend_needs_a_reason(gql, approved_seller, province_admin) -> None:
    before = snapshot(approved_seller)
    result = gql(SELLER_SUSPEND, {"id": gid(approved_seller), "reason": " "}, user=province_admin)
    assert result.error_codes("sellerSuspend") == ["REQUIRED"]
    assert_untouched(approved_seller, before)


@pytest.mark.parametrize(
    ("status", "operation", "name", "variables"),
    [
        (SellerStatus.APPROVED, SELLER_APPROVE, "sellerApprove", {}),
        (SellerStatus.PENDING, SELLER_REINSTATE, "sellerReinstate", {}),
        (SellerStatus.PENDING, SELLER_SUSPEND, "sellerSuspend", {"reason": "Hàng giả"}),
        (SellerStatus.APPROVED, SELLER_REJECT, "sellerReject", {"reason": "Thiếu hồ sơ"}),
        (SellerStatus.REJECTED, SELLER_APPROVE, "sellerApprove", {}),
        (SellerStatus.SUSPENDED, SELLER_SUSPEND, "sellerSuspend", {"reason": "Lần nữa"}),
        (SellerStatus.APPROVED, SELLER_REINSTATE, "sellerReinstate", {}),
    ],
)
def test_invalid_transitions_change_nothing(
    gql, lam_vien, province_admin, eager_mail, status, operation, name, variables
) -> None:
    seller = SellerFactory(status=status, commune=lam_vien)
    before = snapshot(seller)
    with eager_mail():
        result = gql(operation, {"id": gid(seller), **variables}, user=province_admin)
    assert result.error_codes(name) == ["INVALID_TRANSITION"]
    assert result.payload(name)["seller"] is None
    assert_untouched(seller, before)
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("operation", "name", "variables"),
    [
        (SELLER_APPROVE, "sellerApprove", {"note": "ok"}),
        (SELLER_REJECT, "sellerReject", {"reason": "Thiếu hồ sơ"}),
    ],
)
def test_admin_of_another_province_is_refused(
    gql, pending_seller, other_province_admin, operation, name, variables
) -> None:
    before = snapshot(pending_seller)
    result = gql(operation, {"id": gid(pending_seller), **variables}, user=other_province_admin)
    assert result.error_codes(name) == ["PERMISSION_DENIED"]
    assert_untouched(pending_seller, before)


def test_admin_limited_to_other_communes_is_refused(gql, pending_seller, make_admin, other_lam_dong_commune) -> None:
    admin = make_admin("lam-dong", (other_lam_dong_commune,))
    before = snapshot(pending_seller)
    result = gql(SELLER_APPROVE, {"id": gid(pending_seller)}, user=admin)
    assert result.error_codes("sellerApprove") == ["PERMISSION_DENIED"]
    assert_untouched(pending_seller, before)


def test_admin_of_the_sellers_commune_may_decide(gql, pending_seller, make_admin, lam_vien) -> None:
    admin = make_admin("lam-dong", (lam_vien,))
    result = gql(SELLER_APPROVE, {"id": gid(pending_seller)}, user=admin)
    assert result.payload("sellerApprove")["errors"] == []


def test_superuser_may_decide_anywhere(gql, pending_seller, make_user) -> None:
    root = make_user(is_superuser=True, is_staff=True)
    result = gql(SELLER_APPROVE, {"id": gid(pending_seller)}, user=root)
    assert result.payload("sellerApprove")["seller"]["status"] == "APPROVED"


def test_buyer_and_seller_staff_cannot_approve(gql, pending_seller, buyer) -> None:
    from tests.factories import add_staff

    own_owner = add_staff(pending_seller)
    before = snapshot(pending_seller)
    for user in (buyer, own_owner):
        result = gql(SELLER_APPROVE, {"id": gid(pending_seller)}, user=user)
        assert result.error_codes("sellerApprove") == ["PERMISSION_DENIED"]
    assert_untouched(pending_seller, before)


def test_anonymous_cannot_moderate(gql, approved_seller) -> None:
    before = snapshot(approved_seller)
    result = gql(SELLER_SUSPEND, {"id": gid(approved_seller), "reason": "spam"})
    assert result.error_codes("sellerSuspend") == ["PERMISSION_DENIED"]
    assert_untouched(approved_seller, before)


def test_unknown_or_malformed_seller_id(gql, province_admin) -> None:
    from storefront_api.core.ids import global_id

    result = gql(SELLER_APPROVE, {"id": global_id("Seller", 999999)}, user=province_admin)
    assert result.error_codes("sellerApprove") == ["NOT_FOUND"]
    result = gql(SELLER_APPROVE, {"id": global_id("Commune", 1)}, user=province_admin)
    assert result.error_codes("sellerApprove") == ["INVALID"]


def test_error_message_follows_accept_language(gql, pending_seller, province_admin) -> None:
    english = gql(SELLER_REJECT, {"id": gid(pending_seller), "reason": ""}, user=province_admin, lang="en")
    assert english.payload("sellerReject")["errors"][0]["message"] == "Give a reason: the seller will read it."
