"""Journey 4: a province admin rejects one application (with a reason) and approves another."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from backend.accounts.models import ProvinceAdminScope
from backend.regions.models import Province
from backend.sellers.models import SellerStatus
from tests.browser.conftest import sign_in
from tests.factories import DEFAULT_PASSWORD, SellerFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_province_admin_rejects_one_application_and_approves_another(
    regions: None, new_page: Any, screenshot_dir: Path
) -> None:
    admin = UserFactory(email="canbo@lamdong.example.vn")
    ProvinceAdminScope.objects.create(user=admin, province=Province.objects.get(slug="lam-dong"))
    weak = SellerFactory(name="HTX Rau Sạch Đơn Dương", status=SellerStatus.PENDING)
    good = SellerFactory(name="HTX Cà Phê Cầu Đất", status=SellerStatus.PENDING)

    page = new_page(phone=False)
    sign_in(page, admin.email, DEFAULT_PASSWORD, "/province/sellers/")
    assert page.locator("main table a", has_text=weak.name).count() == 1

    page.click(f"main table a:text('{weak.name}')")
    page.fill("#id_reject-reason", "Thiếu giấy chứng nhận an toàn thực phẩm")
    page.click("form[data-action=reject] button[type=submit]")
    page.wait_for_selector("[data-seller-status=REJECTED]")

    page.goto("/province/sellers/")
    page.click(f"main table a:text('{good.name}')")
    page.click("form[data-action=approve] button[type=submit]")
    page.wait_for_selector("[data-seller-status=APPROVED]")
    weak.refresh_from_db()
    good.refresh_from_db()
    assert (weak.status, weak.status_reason) == (SellerStatus.REJECTED, "Thiếu giấy chứng nhận an toàn thực phẩm")
    assert good.status == SellerStatus.APPROVED

    page.goto("/province/audit/")
    assert page.locator("main table", has_text="seller.approve").count() == 1
    page.screenshot(path=str(screenshot_dir / "journey4-province-audit-log.png"), full_page=True)
