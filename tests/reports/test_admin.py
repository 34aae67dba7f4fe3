"""The admin pages: dashboard (tables, SVG chart, sorting), exports, import upload, alert list scope."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from backend.catalog.categories import seed_categories
from backend.regions.models import Province
from backend.reports.models import Alert, AlertKind, AlertThreshold
from backend.sellers.models import Seller
from tests.factories import UserFactory
from tests.reports.conftest import LAM_VIEN, XUAN_HUONG, Trade
from tests.reports.helpers import local, province_admin

pytestmark = pytest.mark.django_db

DASHBOARD = "/admin/reports/alert/dashboard/"
QUERY = {"province": "lam-dong", "date_from": "2026-11-01", "date_to": "2026-11-07"}
SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "samples" / "legacy_sellers.csv"


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_dashboard_page_for_a_province_admin(trade: Trade) -> None:
    response = signed_in(province_admin()).get(DASHBOARD, QUERY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "750.000 đ" in html and "<svg" in html and "HTX Xuân Hương" in html
    rows = [c.commune.code for c, _bar in response.context["communes"]]
    assert rows[:2] == [XUAN_HUONG, LAM_VIEN]
    by_name = signed_in(province_admin()).get(DASHBOARD, {**QUERY, "sort": "gmv"})
    assert [c.commune.code for c, _bar in by_name.context["communes"]][-2:] == [LAM_VIEN, XUAN_HUONG]
    covered = signed_in(province_admin()).get(DASHBOARD, {**QUERY, "sort": "-coverage"})
    assert {c.commune.code for c, _bar in covered.context["communes"][:2]} == {LAM_VIEN, XUAN_HUONG}


def test_dashboard_page_refused_to_others(trade: Trade) -> None:
    staff_without_scope = UserFactory(is_staff=True)
    assert signed_in(staff_without_scope).get(DASHBOARD, QUERY).status_code == 403
    assert Client().get(DASHBOARD, QUERY).status_code == 302  # to the login page
    # An admin of another province gets their own province, never Lâm Đồng.
    other = signed_in(province_admin("ha-noi")).get(DASHBOARD, QUERY)
    assert other.status_code == 200 and other.context["d"].province.slug == "ha-noi"


def test_superuser_chooses_the_province(trade: Trade) -> None:
    root = UserFactory(is_staff=True, is_superuser=True)
    response = signed_in(root).get(DASHBOARD, QUERY)
    assert response.status_code == 200 and response.context["d"].gmv == 750_000


def test_exports_hold_the_same_figures(trade: Trade) -> None:
    client = signed_in(province_admin())
    response = client.get(DASHBOARD + "export.xlsx", QUERY)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="chophien-lam-dong-2026-11-01-2026-11-07.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    summary = {row[0]: row[1] for row in book["summary"].iter_rows(min_row=2, values_only=True)}
    assert 750_000 in summary.values() and 4 in summary.values()
    communes = {row[0]: row for row in book["communes"].iter_rows(min_row=2, values_only=True)}
    assert communes[LAM_VIEN][2:4] == (370_000, 3)
    days = list(book["days"].iter_rows(min_row=2, values_only=True))
    assert ("2026-11-02", 350_000, 1) in days

    text = client.get(DASHBOARD + "export.csv", QUERY).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert [XUAN_HUONG, next(r[1] for r in rows if r and r[0] == XUAN_HUONG), "380000", "2", "1", "0", "1"] == next(
        r[:7] for r in rows if r and r[0] == XUAN_HUONG
    )
    assert client.get(DASHBOARD + "export.pdf", QUERY).status_code == 404


def test_import_upload_dry_run_then_commit(regions: None) -> None:
    seed_categories()
    client = signed_in(province_admin())
    upload = SimpleUploadedFile("legacy.csv", SAMPLE.read_bytes(), content_type="text/csv")
    dry = client.post("/admin/reports/alert/import/", {"file": upload})
    assert dry.status_code == 200 and dry.context["report"] is not None
    assert not dry.context["report"].committed and Seller.objects.count() == 0
    upload = SimpleUploadedFile("legacy.csv", SAMPLE.read_bytes(), content_type="text/csv")
    done = client.post("/admin/reports/alert/import/", {"file": upload, "commit": "on"})
    assert done.context["report"].committed and Seller.objects.count() == 3
    assert signed_in(UserFactory(is_staff=True)).get("/admin/reports/alert/import/").status_code == 403


def test_alert_list_and_thresholds_are_scoped(regions: None) -> None:
    lam_dong, ha_noi = Province.objects.get(slug="lam-dong"), Province.objects.get(slug="ha-noi")
    moment = local("2026-11-20 08:00")
    for province, key in ((lam_dong, "commune:1"), (ha_noi, "commune:2")):
        Alert.objects.create(
            province=province,
            kind=AlertKind.COMMUNE_LOST_SELLERS,
            subject_key=key,
            figure=1,
            threshold=0,
            first_seen_at=moment,
            last_seen_at=moment,
        )
    client = signed_in(province_admin())
    listing = client.get("/admin/reports/alert/")
    assert listing.status_code == 200
    assert [a.province_id for a in listing.context["cl"].result_list] == [lam_dong.pk]

    added = client.post("/admin/reports/alertthreshold/add/", {"province": lam_dong.pk, "price_ratio": "4"})
    assert added.status_code == 302
    assert AlertThreshold.objects.get(province=lam_dong).price_ratio == 4
    refused = client.post("/admin/reports/alertthreshold/add/", {"province": ha_noi.pk, "price_ratio": "4"})
    assert refused.status_code == 200 and not AlertThreshold.objects.filter(province=ha_noi).exists()
