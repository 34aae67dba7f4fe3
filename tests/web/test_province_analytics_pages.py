"""Province console analytics: the dashboard (figures, sorting, exports), alerts and the legacy import,
each in the admin's own province only."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from backend.accounts.models import User
from backend.catalog.models import Product
from backend.core.text import format_dong
from backend.moderation.models import AuditEntry
from backend.regions.models import Province
from backend.reports.models import Alert, AlertKind
from backend.sellers.models import Seller
from tests.factories import UserFactory
from tests.factories import commune as commune_by_code
from tests.reports.conftest import LAM_VIEN, XUAN_HUONG, Trade
from tests.reports.conftest import trade as trade

pytestmark = pytest.mark.django_db

RANGE = "date_from=2026-11-01&date_to=2026-11-07"
SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "samples" / "legacy_sellers.csv"
PAGES = ["/province/dashboard/", "/province/alerts/", "/province/imports/"]
EXPORTS = ["/province/dashboard/export.xlsx", "/province/dashboard/export.csv"]


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _figure(html: str, name: str) -> str:
    start = html.index(f'data-figure="{name}">') + len(f'data-figure="{name}">')
    return html[start : html.index("<", start)]


def _commune_order(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('data-commune="')[1:]]


def test_dashboard_shows_the_hand_computed_figures(trade: Trade, lam_dong_admin: User) -> None:
    client = _signed_in(lam_dong_admin)
    answer = client.get(f"/province/dashboard/?{RANGE}")
    assert answer.status_code == 200
    html = answer.content.decode()
    # Same figures as tests/reports/test_dashboard.py: 350 000 + 300 000 + 100 000 + 0 in four orders.
    assert _figure(html, "gmv") == format_dong(750_000)
    assert _figure(html, "orders") == "4"
    assert _figure(html, "coverage") == "2/124"
    assert _figure(html, "onboarding-median") in ("48.0", "48,0")  # 12 h, 48 h, 72 h
    communes = _commune_order(html)
    assert len(communes) == 124 and communes[:2] == [XUAN_HUONG, LAM_VIEN]
    assert format_dong(380_000) in html and format_dong(370_000) in html
    assert "HTX Lâm Viên" in html and "Dâu tây OCOP" in html  # top sellers and products
    assert "<svg" in html and 'aria-label="' in html  # the GMV-by-day chart
    assert "HTX Hà Nội" not in html  # another province's seller
    assert f"export.xlsx?province=lam-dong&amp;{RANGE.replace('&', '&amp;')}" in html


def test_commune_table_sorts_by_gmv_and_by_coverage(trade: Trade, lam_dong_admin: User) -> None:
    client = _signed_in(lam_dong_admin)
    ascending = _commune_order(client.get(f"/province/dashboard/?{RANGE}&sort=gmv").content.decode())
    assert ascending[-2:] == [LAM_VIEN, XUAN_HUONG]
    covered_first = _commune_order(client.get(f"/province/dashboard/?{RANGE}&sort=-coverage").content.decode())
    assert set(covered_first[:2]) == {LAM_VIEN, XUAN_HUONG}
    covered_last = _commune_order(client.get(f"/province/dashboard/?{RANGE}&sort=coverage").content.decode())
    assert set(covered_last[-2:]) == {LAM_VIEN, XUAN_HUONG}


def test_dashboard_defaults_to_the_last_30_days_and_refuses_a_bad_range(regions: None, lam_dong_admin: User) -> None:
    client = _signed_in(lam_dong_admin)
    html = client.get("/province/dashboard/").content.decode()
    today = timezone.localdate()
    assert (today - timedelta(days=29)).isoformat() in html and today.isoformat() in html
    backwards = client.get("/province/dashboard/?date_from=2026-11-07&date_to=2026-11-01")
    assert backwards.status_code == 400 and 'class="errorlist"' in backwards.content.decode()
    assert client.get("/province/dashboard/export.csv?date_from=2026-11-07&date_to=2026-11-01").status_code == 400


def test_exports_download_valid_files(trade: Trade, lam_dong_admin: User) -> None:
    client = _signed_in(lam_dong_admin)
    xlsx = client.get(f"/province/dashboard/export.xlsx?{RANGE}")
    assert xlsx.status_code == 200
    assert xlsx["Content-Disposition"] == 'attachment; filename="chophien-lam-dong-2026-11-01-2026-11-07.xlsx"'
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["summary", "communes", "categories", "days", "uncovered", "top_products", "top_sellers"]
    summary = {row[0]: row[1] for row in book["summary"].iter_rows(min_row=2, values_only=True)}
    assert 750_000 in summary.values() and 4 in summary.values()
    assert book["days"].max_row == 1 + 7

    answer = client.get(f"/province/dashboard/export.csv?{RANGE}")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert len(rows[0]) == 1 and len(rows[1]) == 2  # the summary's title line, then its header row
    assert rows[2][1] == Province.objects.get(slug="lam-dong").name
    assert any(row[1:] == ["750000"] for row in rows[2:20])
    titles = [rows[i][0] for i in range(1, len(rows)) if rows[i - 1] == [] and rows[i]]
    assert len(titles) == 6  # seven tables, each after a blank line but the first
    assert client.get(f"/province/dashboard/export.pdf?{RANGE}").status_code == 404


def test_another_provinces_admin_is_refused_everywhere(trade: Trade, other_province_admin: User) -> None:
    client = _signed_in(other_province_admin)
    for url in PAGES + EXPORTS:
        assert client.get(f"{url}?province=lam-dong&{RANGE}").status_code == 403, url
    # Their own dashboard has none of Lâm Đồng's sales.
    own = client.get(f"/province/dashboard/?{RANGE}").content.decode()
    assert "HTX Lâm Viên" not in own and _figure(own, "gmv") != format_dong(750_000)
    assert client.get("/province/dashboard/?province=no-such-province").status_code == 404


def test_sellers_and_visitors_are_kept_out(trade: Trade) -> None:
    seller = _signed_in(UserFactory())
    for url in PAGES + EXPORTS:
        assert seller.get(url).status_code == 403, url
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/account/login"), url


def test_alerts_page_lists_open_and_resolved_alerts(trade: Trade, lam_dong_admin: User) -> None:
    lam_dong = Province.objects.get(slug="lam-dong")
    now = timezone.now()
    open_alert = Alert.objects.create(
        province=lam_dong,
        kind=AlertKind.PENDING_APPLICATION,
        subject_key=f"seller:{trade.s1.pk}",
        commune=commune_by_code(LAM_VIEN),
        seller=trade.s1,
        figure=9,
        threshold=7,
        first_seen_at=now - timedelta(days=2),
        last_seen_at=now,
    )
    resolved = Alert.objects.create(
        province=lam_dong,
        kind=AlertKind.PRICE_OUTLIER,
        subject_key=f"product:{trade.p3.pk}",
        commune=commune_by_code(XUAN_HUONG),
        seller=trade.s2,
        product=trade.p3,
        figure=3.5,
        threshold=3,
        first_seen_at=now - timedelta(days=5),
        last_seen_at=now - timedelta(days=1),
        resolved_at=now - timedelta(days=1),
    )
    client = _signed_in(lam_dong_admin)
    html = client.get("/province/alerts/").content.decode()
    assert f'data-alert="{open_alert.pk}"' in html and f'data-alert="{resolved.pk}"' not in html
    assert "HTX Lâm Viên" in html
    html = client.get("/province/alerts/?state=resolved").content.decode()
    assert f'data-alert="{resolved.pk}"' in html and f'data-alert="{open_alert.pk}"' not in html
    assert ("Hồng treo gió" in html and "3.5" in html) or "3,5" in html
    html = client.get("/province/alerts/?state=all&kind=PRICE_OUTLIER").content.decode()
    assert f'data-alert="{resolved.pk}"' in html and f'data-alert="{open_alert.pk}"' not in html


def test_import_dry_run_writes_nothing_and_commit_writes(categories: None, lam_dong_admin: User) -> None:
    client = _signed_in(lam_dong_admin)
    page = client.get("/province/imports/").content.decode()
    assert '<label for="id_file">' in page and 'type="file"' in page

    with SAMPLE.open("rb") as upload:
        dry = client.post("/province/imports/", {"file": upload})
    assert dry.status_code == 200
    html = dry.content.decode()
    assert 'id="import-report"' in html and "Phường Lang Biang - Đà Lạt" in html  # a converted old address
    assert html.count("<tr>") >= 10  # the header and one row per problem
    assert Seller.objects.count() == 0 and Product.objects.count() == 0 and AuditEntry.objects.count() == 0

    with SAMPLE.open("rb") as upload:
        done = client.post("/province/imports/", {"file": upload, "commit": "on"})
    assert done.status_code == 200
    assert Seller.objects.count() == 3 and Product.objects.count() == 4
    assert set(Seller.objects.values_list("created_by", flat=True)) == {lam_dong_admin.pk}
    assert 'id="import-report"' in done.content.decode()


def test_import_refuses_a_broken_file(categories: None, lam_dong_admin: User) -> None:
    client = _signed_in(lam_dong_admin)
    empty = client.post("/province/imports/", {})
    assert empty.status_code == 400 and 'id="id_file-errors"' in empty.content.decode()
    broken = io.BytesIO(b"\x00\x01 not a spreadsheet")
    broken.name = "du-lieu.xlsx"
    answer = client.post("/province/imports/", {"file": broken, "commit": "on"})
    assert answer.status_code == 400 and 'class="errorlist"' in answer.content.decode()
    assert Seller.objects.count() == 0


def test_another_provinces_admin_imports_nothing_into_lam_dong(categories: None, other_province_admin: User) -> None:
    client = _signed_in(other_province_admin)
    with SAMPLE.open("rb") as upload:
        answer = client.post("/province/imports/", {"file": upload, "commit": "on"})
    assert answer.status_code == 200
    assert Seller.objects.count() == 0 and Product.objects.count() == 0
