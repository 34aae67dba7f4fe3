"""Search chips, sort and zero-result help (problem 6); the province console's dates, charts, map,
audit words and the import commit from the stored dry-run file (problem 9)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from backend.accounts.models import User
from backend.regions.models import Commune
from backend.reports import charts
from backend.sellers.models import Seller
from tests.checkout.helpers import Shop, make_shop
from tests.factories import commune
from tests.reports.conftest import LAM_VIEN, XUAN_HUONG, Trade
from tests.reports.conftest import trade as trade
from tests.sellers.identity_kit import ready_for_approval

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "samples" / "legacy_sellers.csv"


def _prices(html: str) -> list[int]:
    return [int(p.replace(".", "")) for p in re.findall(r'<div class="price">([\d.]+) đ</div>', html)]


def test_sort_orders_and_chips_remove_one_filter(client: Client, regions: None) -> None:
    make_shop(price=150_000)
    make_shop(price=95_000, commune_code="24829")
    make_shop(price=120_000, commune_code="25000")
    call_command("search_reindex", verbosity=0)
    assert _prices(client.get("/search/?q=dau+tay&sort=price_asc").content.decode()) == [95_000, 120_000, 150_000]
    assert _prices(client.get("/search/?sort=price_desc").content.decode()) == [150_000, 120_000, 95_000]
    place = commune("24829")
    html = client.get(f"/search/?q=dau+tay&commune={place.pk}&ocop=4&sort=newest").content.decode()
    chips = dict(re.findall(r'<a href="([^"]*)" data-chip="(\w+)"', html))
    assert set(chips.values()) == {"commune", "ocop"}
    assert f">{place.name} <" in html.replace("&#x27;", "'")
    without_commune = next(href for href, name in chips.items() if name == "commune").replace("&amp;", "&")
    assert "commune=" not in without_commune and "ocop=4" in without_commune and "sort=newest" in without_commune
    clear = re.search(r'<a href="([^"]*)" class="clear"', html)
    assert clear is not None and clear.group(1).replace("&amp;", "&") == "?q=dau+tay&sort=newest"


def test_nothing_found_names_the_filter_and_suggests(client: Client, shop: Shop) -> None:
    call_command("search_reindex", verbosity=0)
    empty = commune("24781")
    html = client.get(f"/search/?q=dau+tay&commune={empty.pk}").content.decode()
    assert "data-no-results" in html and empty.name in html
    assert re.search(r"data-suggest-clear>[^<]*1", html)  # "remove the filters: 1 product"
    typo = client.get("/search/?q=dau+tayy+da").content.decode()
    assert "data-no-results" not in typo or "data-spelling" in typo


def _admin_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_dashboard_dates_are_filled_in_and_read_day_first(trade: Trade, lam_dong_admin: User) -> None:
    client = _admin_client(lam_dong_admin)
    blank = client.get("/province/dashboard/").content.decode()
    assert re.search(r'name="date_from" value="\d{2}/\d{2}/\d{4}"', blank)
    assert re.search(r'name="date_to" value="\d{2}/\d{2}/\d{4}"', blank)
    typed = client.get("/province/dashboard/?date_from=02/11/2026&date_to=05/11/2026").content.decode()
    assert "02/11/2026 – 05/11/2026" in typed and 'value="02/11/2026"' in typed
    assert ">02/11<" in typed and ">350 k<" in typed  # day/month axis, the value on its column
    iso = client.get("/province/dashboard/?date_from=2026-11-02&date_to=2026-11-05").content.decode()
    assert "02/11/2026 – 05/11/2026" in iso  # links with ISO dates still work


def test_dashboard_map_places_the_communes_with_coordinates(trade: Trade, lam_dong_admin: User) -> None:
    # The national data gives every commune a centre; keep two so the map also lists the missing ones.
    Commune.objects.filter(province__slug="lam-dong").update(latitude=None, longitude=None)
    Commune.objects.filter(code=LAM_VIEN).update(latitude=Decimal("11.9404"), longitude=Decimal("108.4583"))
    Commune.objects.filter(code=XUAN_HUONG).update(latitude=Decimal("11.9265"), longitude=Decimal("108.4410"))
    client = _admin_client(lam_dong_admin)
    html = client.get("/province/dashboard/?date_from=2026-11-01&date_to=2026-11-07").content.decode()
    assert html.count("data-map-commune=") == 2
    assert f'href="#commune-{LAM_VIEN}"' in html and f'id="commune-{LAM_VIEN}"' in html
    missing = Commune.objects.filter(province__slug="lam-dong", latitude__isnull=True).count()
    assert re.search(rf"data-map-missing>{missing} ", html)
    by_gmv = client.get("/province/dashboard/?date_from=2026-11-01&date_to=2026-11-07&map=gmv").content.decode()
    assert 'data-map-metric="gmv"' in by_gmv and 'aria-current="true" data-map-metric="gmv"' in by_gmv


def test_map_colours_go_from_nobody_to_the_most() -> None:
    assert charts.colour_for(0, 10) == charts.MAP_COLOURS[0]
    assert charts.colour_for(10, 10) == charts.MAP_COLOURS[-1]
    assert charts.colour_for(5, 10) not in (charts.MAP_COLOURS[0], charts.MAP_COLOURS[-1])
    assert charts.point_map([]) == ""
    assert charts.compact_dong(1_250_000) == "1,2 tr" or charts.compact_dong(1_250_000) == "1,3 tr"
    assert charts.compact_dong(2_000_000) == "2 tr" and charts.compact_dong(850_000) == "850 k"


def test_audit_log_reads_in_words(client: Client, lam_dong_admin: User, regions: None) -> None:
    from tests.factories import SellerFactory

    seller = ready_for_approval(SellerFactory(status="PENDING"))
    client.force_login(lam_dong_admin)
    client.post(f"/province/sellers/{seller.pk}/approve", {"approve-reason": "", "approve-confirmed": "on"})
    html = client.get("/province/audit/").content.decode()
    assert "Duyệt người bán" in html and "Chờ duyệt → Đã duyệt" in html
    assert ">seller.approve<" not in html and "seller.approve ·" not in html


def test_import_commit_uses_the_stored_dry_run_file(
    categories: None, lam_dong_admin: User, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    client = _admin_client(lam_dong_admin)
    with SAMPLE.open("rb") as upload:
        dry = client.post("/province/imports/", {"file": upload}).content.decode()
    token = re.search(r'name="staged" value="([^"]+)"', dry)
    assert token is not None and Seller.objects.count() == 0
    done = client.post("/province/imports/", {"staged": token.group(1)})
    assert done.status_code == 200 and Seller.objects.count() == 3
    again = client.post("/province/imports/", {"staged": token.group(1)})  # used: gone
    assert again.status_code == 400 and Seller.objects.count() == 3
    other = _admin_client(User.objects.create_user(email="x@example.vn", password="x"))  # type: ignore[attr-defined]
    assert other.post("/province/imports/", {"staged": token.group(1)}).status_code == 403
