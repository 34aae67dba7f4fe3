"""Journey: a province officer rejects one application and approves another, each after a
confirmation, reads the audit log in words, opens the dashboard (dates filled in and typed
dd/mm/yyyy, the chart with its values and dd/mm days, the map of the communes), taps a commune on
the map to reach its figures, and imports a legacy file: a dry run, then its valid rows written
without choosing the file again. Every console page fits a 390 px phone.

Covers problem 9 (empty date inputs, month-day chart axes, no values on charts, raw audit codes,
approve without confirmation, the import commit needing the file again, a dashboard wider than a
phone)."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from backend.accounts.models import ProvinceAdminScope
from backend.regions.models import Commune, Province
from backend.sellers.models import Seller, SellerStatus
from tests.browser.conftest import shoot, sign_in
from tests.factories import DEFAULT_PASSWORD, SellerFactory, UserFactory
from tests.reports.conftest import LAM_VIEN, XUAN_HUONG, Trade
from tests.reports.conftest import trade as trade
from tests.sellers.identity_kit import ready_for_approval

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "samples" / "legacy_sellers.csv"
CONSOLE_PAGES = [
    "/province/sellers/",
    "/province/reports/",
    "/province/audit/",
    "/province/dashboard/",
    "/province/alerts/",
    "/province/imports/",
]


def test_province_officer_decides_with_confirmation_reads_the_map_and_imports(
    trade: Trade, new_page: Any, screenshot_dir: Path, viewport: str
) -> None:
    admin = UserFactory(email="canbo@lamdong.example.vn")
    ProvinceAdminScope.objects.create(user=admin, province=Province.objects.get(slug="lam-dong"))
    weak = SellerFactory(name="HTX Rau Sạch Đơn Dương", status=SellerStatus.PENDING)
    good = ready_for_approval(
        SellerFactory(name="HTX Cà Phê Cầu Đất", status=SellerStatus.PENDING, tax_code="5800777002")
    )
    # Coordinates for two communes (the regions data brings the rest); the others are listed.
    Commune.objects.filter(code=LAM_VIEN).update(latitude=Decimal("11.9404"), longitude=Decimal("108.4583"))
    Commune.objects.filter(code=XUAN_HUONG).update(latitude=Decimal("11.9265"), longitude=Decimal("108.4410"))

    page = new_page()
    sign_in(page, admin.email, DEFAULT_PASSWORD, "/province/sellers/")
    page.click(f"main table a:text('{weak.name}')")
    page.fill("#id_reject-reason", "Thiếu giấy chứng nhận an toàn thực phẩm")
    page.click("form[data-action=reject] button[type=submit]")
    page.wait_for_selector("[data-confirm=reject]")
    weak.refresh_from_db()
    assert weak.status == SellerStatus.PENDING  # nothing happens before the confirmation
    assert "Thiếu giấy chứng nhận" in page.locator("[data-confirm]").inner_text()
    page.click("[data-confirm-yes]")
    page.wait_for_selector("[data-seller-status=REJECTED]")

    page.goto("/province/sellers/")
    page.click(f"main table a:text('{good.name}')")
    page.click("form[data-action=approve] button[type=submit]")
    page.click("[data-confirm-no]")  # changed their mind: back, nothing done
    page.wait_for_selector("[data-seller-status=PENDING]")
    page.click("form[data-action=approve] button[type=submit]")
    page.click("[data-confirm-yes]")
    page.wait_for_selector("[data-seller-status=APPROVED]")
    weak.refresh_from_db()
    good.refresh_from_db()
    assert (weak.status, weak.status_reason) == (SellerStatus.REJECTED, "Thiếu giấy chứng nhận an toàn thực phẩm")
    assert good.status == SellerStatus.APPROVED

    page.goto("/province/audit/")
    audit = page.locator("main table").inner_text()
    assert "Duyệt người bán" in audit and "Từ chối hồ sơ" in audit and "Chờ duyệt → Đã duyệt" in audit
    assert "seller.approve" not in audit

    page.goto("/province/dashboard/")
    today = timezone.localdate()
    assert page.input_value("#id_date_to") == today.strftime("%d/%m/%Y")
    assert page.input_value("#id_date_from") == (today - timedelta(days=29)).strftime("%d/%m/%Y")
    page.fill("#id_date_from", "01/11/2026")
    page.fill("#id_date_to", "07/11/2026")
    page.click("main form.row button[type=submit]")
    page.wait_for_selector("[data-period]")
    assert "01/11/2026 – 07/11/2026" in page.locator("[data-period]").inner_text()
    chart = page.locator("figure.chart svg").inner_html()
    assert ">02/11<" in chart and ">03/11<" in chart  # day/month, as Vietnamese read dates
    assert ">350 k<" in chart  # the value of 2 November on its column
    circles = page.locator("[data-map] a[data-map-commune]")
    assert circles.count() == Commune.objects.filter(province__slug="lam-dong", latitude__isnull=False).count() >= 2
    missing = Commune.objects.filter(province__slug="lam-dong", latitude__isnull=True).count()
    if missing:
        assert page.locator("[data-map-missing]").inner_text().startswith(str(missing))
    else:
        assert page.locator("[data-map-missing]").count() == 0
    page.click(f"[data-map] a[data-map-commune='{XUAN_HUONG}'] circle")
    page.wait_for_url(f"**#commune-{XUAN_HUONG}")
    row = page.locator(f"#commune-{XUAN_HUONG}")
    assert row.is_visible() and "Xuân Hương" in row.inner_text()  # the commune's figures
    assert re.search(r"\d", row.inner_text())
    shoot(page, screenshot_dir, "journey-province-dashboard", viewport)

    page.goto("/province/imports/")
    page.set_input_files("#id_file", str(SAMPLE))
    before = Seller.objects.count()
    page.click("main form[enctype='multipart/form-data'] button[type=submit]")
    page.wait_for_selector("#import-report")
    assert Seller.objects.count() == before  # a dry run writes nothing
    page.click("form[data-import-commit] button[type=submit]")
    page.wait_for_selector("#import-report .messages")
    assert Seller.objects.count() == before + 3

    if viewport == "phone":
        for path in CONSOLE_PAGES:
            page.goto(path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= page.viewport_size["width"], (path, width)
