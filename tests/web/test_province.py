"""Province console: decisions with reasons, listing reports, the audit log."""

from __future__ import annotations

import pytest
from django.test import Client

from backend.accounts.models import User
from backend.moderation.models import AuditEntry, ListingReport
from backend.sellers.models import SellerStatus
from tests.checkout.helpers import Shop
from tests.factories import SellerFactory, UserFactory
from tests.sellers.identity_kit import ready_for_approval

pytestmark = pytest.mark.django_db


def test_reject_needs_a_reason_then_approve_another(client: Client, lam_dong_admin: User) -> None:
    first = SellerFactory(name="HTX Hoa Đà Lạt", status=SellerStatus.PENDING)
    second = ready_for_approval(SellerFactory(name="HTX Rau Đơn Dương", status=SellerStatus.PENDING))
    client.force_login(lam_dong_admin)
    empty = client.post(f"/province/sellers/{first.pk}/reject", {"reject-reason": ""})
    assert empty.status_code == 400 and 'id="id_reject-reason-errors"' in empty.content.decode()
    asked = client.post(f"/province/sellers/{first.pk}/reject", {"reject-reason": "Thiếu giấy phép kinh doanh"})
    assert asked.status_code == 200 and 'data-confirm="reject"' in asked.content.decode()
    first.refresh_from_db()
    assert first.status == SellerStatus.PENDING  # nothing changes before the confirmation
    done = client.post(
        f"/province/sellers/{first.pk}/reject",
        {"reject-reason": "Thiếu giấy phép kinh doanh", "reject-confirmed": "on"},
    )
    assert done.status_code == 302
    approve = {"approve-reason": "", "approve-confirmed": "on"}
    assert client.post(f"/province/sellers/{second.pk}/approve", approve).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.status_reason) == (SellerStatus.REJECTED, "Thiếu giấy phép kinh doanh")
    assert second.status == SellerStatus.APPROVED
    audit = client.get("/province/audit/").content.decode()
    assert 'data-audit-action="seller.reject"' in audit and 'data-audit-action="seller.approve"' in audit
    assert "Duyệt người bán" in audit and "Từ chối hồ sơ" in audit  # in words, not codes
    assert AuditEntry.objects.filter(action="seller.reject", actor=lam_dong_admin).exists()


def test_hide_a_reported_product(client: Client, lam_dong_admin: User, shop: Shop) -> None:
    product = shop.variant.product
    report = ListingReport.objects.create(product=product, reporter=UserFactory(), reason="OTHER", note="Ảnh giả")
    client.force_login(lam_dong_admin)
    assert product.name in client.get("/province/reports/").content.decode()
    assert client.post(f"/province/reports/{report.pk}/hide", {"reason": "Ảnh không đúng"}).status_code == 302
    product.refresh_from_db()
    report.refresh_from_db()
    assert product.hidden_at is not None and report.status == "ACTIONED"
    assert Client().get(f"/p/{product.slug}/").status_code == 404
