"""provinceDashboard: figures against hand-computed expectations, who may read them, and the
selector's fixed query count."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from backend.regions.models import Province
from backend.reports.selectors import percentile, province_dashboard
from tests.conftest import GQL
from tests.factories import UserFactory, add_staff
from tests.factories import commune as commune_by_code
from tests.reports.conftest import LAM_VIEN, XUAN_HUONG, Trade
from tests.reports.helpers import make_order, province_admin

pytestmark = pytest.mark.django_db


DASHBOARD = """
query D($province: String!, $from: Date!, $to: Date!) {
  provinceDashboard(province: $province, dateFrom: $from, dateTo: $to) {
    province { slug } dateFrom dateTo
    gmv { amount } orders goodsGmv { amount } ocopGmv { amount } ocopShare
    byCommune { commune { code } gmv { amount } orders sellersApproved sellersPending sellersSuspended covered }
    byCategory { categoryId name slug gmv { amount } ocopGmv { amount } orders }
    byDay { day gmv { amount } orders }
    sellers { status count }
    coverage { communesTotal communesCovered rate uncovered { code } }
    onboarding { decided medianHours p90Hours }
    topProducts { productId name sellerName gmv { amount } quantity }
    topSellers { sellerId name communeName gmv { amount } orders }
  }
}
"""


def _ask(gql: GQL, user: Any, province: str = "lam-dong", start: str = "2026-11-01", end: str = "2026-11-07") -> Any:
    return gql(DASHBOARD, {"province": province, "from": start, "to": end}, user=user)


def test_dashboard_figures_match_hand_computation(trade: Trade, gql: GQL) -> None:
    result = _ask(gql, province_admin())
    assert not result.errors, result.errors
    d = result.data["provinceDashboard"]
    assert d["province"]["slug"] == "lam-dong"
    # 350 000 (O1: 270 000 + 80 000) + 300 000 (O3 net) + 100 000 (O2) + 0 (O5).
    assert d["gmv"]["amount"] == 750_000
    assert d["orders"] == 4
    # Goods only: fruit 200 000 + 80 000 + 100 000 + 300 000 (400 000 less the refund), tea 50 000 + 0.
    assert d["goodsGmv"]["amount"] == 730_000
    assert d["ocopGmv"]["amount"] == 300_000
    assert d["ocopShare"] == pytest.approx(300 / 730)

    communes = {row["commune"]["code"]: row for row in d["byCommune"]}
    assert len(communes) == 124
    assert communes[LAM_VIEN] == {
        "commune": {"code": LAM_VIEN},
        "gmv": {"amount": 370_000},
        "orders": 3,
        "sellersApproved": 1,
        "sellersPending": 1,
        "sellersSuspended": 0,
        "covered": True,
    }
    assert communes[XUAN_HUONG] == {
        "commune": {"code": XUAN_HUONG},
        "gmv": {"amount": 380_000},
        "orders": 2,
        "sellersApproved": 1,
        "sellersPending": 0,
        "sellersSuspended": 1,
        "covered": True,
    }
    assert [row["commune"]["code"] for row in d["byCommune"][:2]] == [XUAN_HUONG, LAM_VIEN]

    categories = {row["slug"]: row for row in d["byCategory"]}
    assert set(categories) == {"trai-cay", "tra"}
    assert categories["trai-cay"]["gmv"]["amount"] == 680_000
    assert categories["trai-cay"]["ocopGmv"]["amount"] == 300_000
    assert categories["trai-cay"]["orders"] == 3
    assert categories["tra"]["gmv"]["amount"] == 50_000
    assert categories["tra"]["orders"] == 2

    days = {row["day"]: (row["gmv"]["amount"], row["orders"]) for row in d["byDay"]}
    assert days == {
        "2026-11-01": (0, 0),
        "2026-11-02": (350_000, 1),
        "2026-11-03": (300_000, 1),
        "2026-11-04": (100_000, 1),
        "2026-11-05": (0, 1),
        "2026-11-06": (0, 0),
        "2026-11-07": (0, 0),
    }

    assert {row["status"]: row["count"] for row in d["sellers"]} == {"APPROVED": 2, "PENDING": 1, "SUSPENDED": 1}
    coverage = d["coverage"]
    assert coverage["communesTotal"] == 124 and coverage["communesCovered"] == 2
    assert coverage["rate"] == pytest.approx(2 / 124)
    uncovered = {row["code"] for row in coverage["uncovered"]}
    assert len(uncovered) == 122 and LAM_VIEN not in uncovered and XUAN_HUONG not in uncovered

    # Decisions in the range: 12 h, 72 h, 48 h.
    assert d["onboarding"] == {"decided": 3, "medianHours": 48.0, "p90Hours": pytest.approx(67.2)}

    assert [(p["name"], p["gmv"]["amount"], p["quantity"]) for p in d["topProducts"]] == [
        ("Hồng treo gió", 380_000, 6),
        ("Dâu tây OCOP", 300_000, 3),
        ("Trà ô long", 50_000, 3),
    ]
    assert [(s["name"], s["gmv"]["amount"], s["orders"], s["communeName"]) for s in d["topSellers"]] == [
        ("HTX Xuân Hương", 380_000, 2, commune_by_code(XUAN_HUONG).name),
        ("HTX Lâm Viên", 370_000, 3, commune_by_code(LAM_VIEN).name),
    ]


def test_one_day_range_uses_local_dates(trade: Trade, gql: GQL) -> None:
    d = _ask(gql, province_admin(), start="2026-11-04", end="2026-11-04").data["provinceDashboard"]
    assert d["gmv"]["amount"] == 100_000 and d["orders"] == 1
    d = _ask(gql, province_admin(), start="2026-11-03", end="2026-11-03").data["provinceDashboard"]
    assert d["gmv"]["amount"] == 300_000 and d["orders"] == 1


def test_superuser_reads_by_code_and_empty_range_is_zero(trade: Trade, gql: GQL) -> None:
    root = UserFactory(is_staff=True, is_superuser=True)
    d = _ask(gql, root, province="68", start="2025-01-01", end="2025-01-02").data["provinceDashboard"]
    assert d["gmv"]["amount"] == 0 and d["orders"] == 0 and d["ocopShare"] is None
    assert d["topProducts"] == [] and d["topSellers"] == []
    assert d["onboarding"] == {"decided": 0, "medianHours": None, "p90Hours": None}
    assert d["coverage"]["communesCovered"] == 2


@pytest.mark.parametrize("who", ["other_province_admin", "seller_staff", "buyer", "anonymous"])
def test_others_are_denied(trade: Trade, gql: GQL, who: str) -> None:
    user = {
        "other_province_admin": lambda: province_admin("ha-noi"),
        "seller_staff": lambda: add_staff(trade.s1),
        "buyer": lambda: UserFactory(),
        "anonymous": lambda: None,
    }[who]()
    result = _ask(gql, user)
    assert result.data is None or result.data.get("provinceDashboard") is None
    assert [e["extensions"]["code"] for e in result.errors] == ["PERMISSION_DENIED"]
    assert "750" not in str(result.json)


def test_unknown_province_and_bad_range(trade: Trade, gql: GQL) -> None:
    admin = province_admin()
    assert _ask(gql, admin, province="atlantis").errors[0]["extensions"]["code"] == "NOT_FOUND"
    bad = _ask(gql, admin, start="2026-11-07", end="2026-11-01")
    assert bad.errors[0]["extensions"] == {"code": "INVALID", "field": "dateFrom"}


def test_selector_query_count_does_not_grow_with_orders(trade: Trade, django_assert_max_num_queries: Any) -> None:
    province = Province.objects.get(slug="lam-dong")
    with django_assert_max_num_queries(14):
        first = province_dashboard(province=province, date_from=date(2026, 11, 1), date_to=date(2026, 11, 7))
    for _ in range(5):
        make_order([(trade.s1, [(trade.p1, 1, 100_000)], 0)], commune=trade.s1.commune, sold_at="2026-11-06 08:00")
    with django_assert_max_num_queries(14):
        second = province_dashboard(province=province, date_from=date(2026, 11, 1), date_to=date(2026, 11, 7))
    assert second.gmv == first.gmv + 500_000 and second.orders == first.orders + 5


def test_percentile_interpolates() -> None:
    assert percentile([], 0.5) is None
    assert percentile([5.0], 0.9) == 5.0
    assert percentile([12.0, 72.0, 48.0], 0.5) == 48.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5


def test_portable_and_postgresql_paths_agree(trade: Trade) -> None:
    """On PostgreSQL the figures come from one statement (trade_sql); the portable queries must
    give the same (on SQLite both sides are the portable path)."""
    from backend.reports import selectors

    province = Province.objects.get(slug="lam-dong")
    window = {"province": province, "date_from": date(2026, 10, 30), "date_to": date(2026, 11, 8)}
    fast = selectors.trade_figures(**window)
    assert (fast.gmv, fast.orders) == selectors.gmv_totals(**window)
    assert fast.by_commune == selectors.gmv_by_commune(**window)
    assert fast.by_day == selectors.gmv_by_day(**window)
    assert fast.by_category == selectors.gmv_by_category(**window)
    assert fast.top_products == selectors.top_products(**window)
    assert fast.top_sellers == selectors.top_sellers(**window)
    assert fast.gmv == 750_000 + 100_000 + 80_000  # the sales just outside the test range are in this one
