"""The national overview (issue 19): provinces side by side for platform staff, nobody else."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from backend.reports.models import Alert, AlertKind
from backend.sellers.models import SellerStatus
from tests.conftest import GQL
from tests.factories import ProductFactory, SellerFactory, UserFactory, VariantFactory, commune
from tests.reports.helpers import make_order, province_admin

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("regions")]

CHU_BAC_NINH = "07525"
LUC_NGAN = "07582"
OVERVIEW = """query($served: Boolean) {
  nationalOverview(dateFrom: "2026-06-01", dateTo: "2026-06-30", servedOnly: $served) {
    province { slug } served approvedSellers communesCovered communesTotal coveragePercent
    gmv { amount } orders bookings openAlerts
  }
}"""


@pytest.fixture
def trade() -> dict[str, Any]:
    da_lat = SellerFactory(name="HTX Đà Lạt (demo)")
    chu = SellerFactory(name="HTX Chũ (demo)", commune=commune(CHU_BAC_NINH))
    SellerFactory(name="Hộ Lục Ngạn (demo)", commune=commune(LUC_NGAN))  # approved, nothing published
    SellerFactory(name="HTX chờ duyệt (demo)", commune=commune(LUC_NGAN), status=SellerStatus.PENDING)
    products = {s.pk: VariantFactory(product=ProductFactory(seller=s)).product for s in (da_lat, chu)}
    make_order([(da_lat, [(products[da_lat.pk], 2, 100_000)], 20_000)], commune=commune(), sold_at="2026-06-02 09:00")
    make_order([(chu, [(products[chu.pk], 1, 50_000)], 30_000)], commune=commune(), sold_at="2026-06-03 09:00")
    make_order([(chu, [(products[chu.pk], 1, 50_000)], 0)], commune=commune(), sold_at="2026-07-03 09:00")  # later
    seen = timezone.now()
    Alert.objects.create(
        province=chu.commune.province,
        kind=AlertKind.values[0],
        subject_key=f"seller:{chu.pk}",
        seller=chu,
        figure=1,
        threshold=1,
        first_seen_at=seen,
        last_seen_at=seen,
    )
    return {"da_lat": da_lat, "chu": chu}


@override_settings(SERVED_PROVINCES=["lam-dong", "bac-ninh", "ninh-binh"])
def test_platform_staff_see_the_provinces_side_by_side(gql: GQL, trade: dict[str, Any]) -> None:
    staff = UserFactory(is_platform_staff=True)
    rows = gql(OVERVIEW, {}, user=staff).data["nationalOverview"]
    assert len(rows) == 34 and sum(row["communesTotal"] for row in rows) == 3321
    assert [row["province"]["slug"] for row in rows[:3]] == ["lam-dong", "bac-ninh", "ninh-binh"]
    by_slug = {row["province"]["slug"]: row for row in rows}
    bac_ninh = by_slug["bac-ninh"]
    assert (bac_ninh["approvedSellers"], bac_ninh["communesCovered"], bac_ninh["openAlerts"]) == (2, 1, 1)
    assert (bac_ninh["gmv"]["amount"], bac_ninh["orders"], bac_ninh["served"]) == (80_000, 1, True)
    lam_dong = by_slug["lam-dong"]
    assert (lam_dong["gmv"]["amount"], lam_dong["orders"], lam_dong["openAlerts"]) == (220_000, 1, 0)
    assert by_slug["ha-noi"]["served"] is False and by_slug["ha-noi"]["approvedSellers"] == 0
    served = gql(OVERVIEW, {"served": True}, user=staff).data["nationalOverview"]
    assert [row["province"]["slug"] for row in served] == ["lam-dong", "bac-ninh", "ninh-binh"]


def test_province_admins_and_buyers_are_refused(gql: GQL, trade: dict[str, Any]) -> None:
    for user in (province_admin("bac-ninh"), UserFactory(), None):
        result = gql(OVERVIEW, {}, user=user)
        assert [e["extensions"]["code"] for e in result.errors] == ["PERMISSION_DENIED"]


@override_settings(SERVED_PROVINCES=["lam-dong", "bac-ninh"])
def test_the_console_page(client: Client, trade: dict[str, Any]) -> None:
    client.force_login(province_admin("bac-ninh"))
    assert client.get("/province/national/").status_code == 403
    client.force_login(UserFactory(is_platform_staff=True))
    page = client.get("/province/national/", {"date_from": "01/06/2026", "date_to": "30/06/2026"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-province="bac-ninh"' in html and 'href="/bac-ninh/"' in html and "80.000 đ" in html
    assert 'data-province="ha-noi"' in html
    served = client.get("/province/national/", {"date_from": "01/06/2026", "date_to": "30/06/2026", "served": "1"})
    assert 'data-province="ha-noi"' not in served.content.decode()


@override_settings(SERVED_PROVINCES=["lam-dong", "bac-ninh", "ninh-binh"])
def test_early_warnings_run_per_province(trade: dict[str, Any]) -> None:
    """The same rules, each province's alerts its own: Bắc Ninh's old application opens a Bắc Ninh alert."""
    from backend.reports.services import evaluate_alerts

    evaluate_alerts(now=timezone.now() + timedelta(days=60))
    pending = Alert.objects.filter(kind=AlertKind.PENDING_APPLICATION, resolved_at__isnull=True)
    assert [alert.province.slug for alert in pending] == ["bac-ninh"]
    assert pending[0].seller is not None and pending[0].seller.name == "HTX chờ duyệt (demo)"
