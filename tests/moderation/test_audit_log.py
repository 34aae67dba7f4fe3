"""`auditLog` over GraphQL: admins read their scope, everyone else is refused; entries are append-only."""

from __future__ import annotations

from typing import Any

import pytest

from backend.accounts.models import ProvinceAdminScope, User
from backend.moderation.models import AuditEntry
from backend.regions.models import Province
from backend.sellers import services
from backend.sellers.models import Seller, SellerStatus
from storefront_api.core.ids import global_id
from tests.factories import SellerFactory, UserFactory, add_staff, commune
from tests.sellers.identity_kit import mark_verified
from tests.sellers.operations import AUDIT_LOG, SELLER

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def admin_of(province_slug: str) -> User:
    user = UserFactory(is_staff=True)
    ProvinceAdminScope.objects.create(user=user, province=Province.objects.get(slug=province_slug))
    return user


@pytest.fixture
def history(regions: None) -> tuple[Seller, User]:
    """A seller approved then suspended by a Lâm Đồng admin."""
    admin = admin_of("lam-dong")
    seller = mark_verified(SellerFactory(status=SellerStatus.PENDING, commune=commune(), tax_code="5800123458"))
    seller.business_registration_no = "5800123458"
    seller.save()
    services.seller_approve(seller=seller, actor=admin, note="Đủ hồ sơ")
    services.seller_suspend(seller=seller, actor=admin, reason="Bán hàng giả")
    return seller, admin


def nodes(result) -> list[dict[str, Any]]:
    assert not result.errors, result.errors
    return [edge["node"] for edge in result.data["auditLog"]["edges"]]


def test_province_admin_reads_the_sellers_history(gql, history) -> None:
    seller, admin = history
    entries = nodes(gql(AUDIT_LOG, {"target": global_id("Seller", seller.pk)}, user=admin))
    assert [(e["action"], e["actorEmail"], e["reason"], e["statusBefore"], e["statusAfter"]) for e in entries] == [
        ("seller.suspend", admin.email, "Bán hàng giả", "APPROVED", "SUSPENDED"),
        ("seller.approve", admin.email, "Đủ hồ sơ", "PENDING", "APPROVED"),
    ]
    assert entries[0]["targetId"] == global_id("Seller", seller.pk)
    assert entries[0]["createdAt"].endswith("+07:00")  # business time zone


def test_scope_of_the_log(gql, history) -> None:
    outsider = admin_of("khanh-hoa")
    assert nodes(gql(AUDIT_LOG, {}, user=outsider)) == []
    root = UserFactory(is_superuser=True, is_staff=True)
    assert len(nodes(gql(AUDIT_LOG, {}, user=root))) == 2


@pytest.mark.parametrize("who", ["anonymous", "buyer", "owner"])
def test_others_are_refused(gql, history, who) -> None:
    seller, _admin = history
    user = {"anonymous": None, "buyer": UserFactory(), "owner": add_staff(seller)}[who]
    result = gql(AUDIT_LOG, {"target": global_id("Seller", seller.pk)}, user=user)
    assert result.errors[0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert result.data is None


def test_seller_audit_log_field_is_for_admins_only(gql, history) -> None:
    seller, admin = history
    query = (
        "query($slug: String) { seller(slug: $slug) { auditLog(first: 5) { totalCount edges { node { action } } } } }"
    )
    as_admin = gql(query, {"slug": seller.slug}, user=admin).data["seller"]["auditLog"]
    assert as_admin["totalCount"] == 2
    owner = add_staff(seller)
    assert gql(query, {"slug": seller.slug}, user=owner).data["seller"]["auditLog"] is None
    assert gql(SELLER, {"slug": seller.slug}, user=UserFactory()).data["seller"] is None  # suspended: hidden


def test_malformed_target(gql, history) -> None:
    _seller, admin = history
    result = gql(AUDIT_LOG, {"target": "nonsense"}, user=admin)
    assert result.errors[0]["extensions"]["code"] == "INVALID"


def test_entries_are_append_only(history) -> None:
    entry = AuditEntry.objects.first()
    entry.reason = "rewritten"
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()
