"""provinces and communes queries: filters, accent-free search, pagination, query counts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import GQL

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "regions"
LAM_DONG_COMMUNES = json.loads((FIXTURES / "lam_dong_communes.json").read_text(encoding="utf-8"))["communes"]
PROVINCES = json.loads((FIXTURES / "provinces.json").read_text(encoding="utf-8"))["provinces"]

COMMUNES = """
query Communes($province: String, $search: String, $first: Int, $after: String) {
  communes(province: $province, search: $search, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id code name shortName slug kind province { code name slug } } }
  }
}
"""


def _communes(gql: GQL, **variables: Any) -> dict[str, Any]:
    result = gql(COMMUNES, variables)
    assert not result.errors, result.errors
    return result.data["communes"]


def test_provinces_lists_all_34(gql: GQL, regions: Any) -> None:
    result = gql("{ provinces { id code name shortName slug nameEn } }")
    assert not result.errors, result.errors
    provinces = result.data["provinces"]
    assert len(provinces) == len(PROVINCES) == 34
    assert [p["code"] for p in provinces] == sorted(p["code"] for p in PROVINCES)
    lam_dong = next(p for p in provinces if p["code"] == "68")
    assert (lam_dong["name"], lam_dong["slug"]) == ("Tỉnh Lâm Đồng", "lam-dong")


@pytest.mark.parametrize("province", ["lam-dong", "68", "Lâm Đồng", "lam dong", "Tỉnh Lâm Đồng", "TINH LAM DONG"])
def test_communes_of_lam_dong(gql: GQL, regions: Any, province: str) -> None:
    data = _communes(gql, province=province, first=1)
    assert data["totalCount"] == len(LAM_DONG_COMMUNES) == 124
    assert data["edges"][0]["node"]["province"]["code"] == "68"


def test_unknown_province_gives_an_empty_list(gql: GQL, regions: Any) -> None:
    assert _communes(gql, province="Atlantis")["totalCount"] == 0
    assert _communes(gql, province="99")["totalCount"] == 0


@pytest.mark.parametrize("search", ["xuan huong", "Xuân Hương", "XUAN HUONG da lat", "huong xuan", "xuan hu"])
def test_search_with_or_without_diacritics(gql: GQL, regions: Any, search: str) -> None:
    data = _communes(gql, province="lam-dong", search=search)
    assert [e["node"]["name"] for e in data["edges"]] == ["Phường Xuân Hương - Đà Lạt"]


def test_search_finds_the_special_zone(gql: GQL, regions: Any) -> None:
    data = _communes(gql, province="lam-dong", search="phu quy")
    assert data["totalCount"] == 1
    node = data["edges"][0]["node"]
    assert (node["name"], node["kind"]) == ("Đặc khu Phú Quý", "dac_khu")


def test_search_requires_every_word(gql: GQL, regions: Any) -> None:
    assert _communes(gql, search="xuan huong bao loc")["totalCount"] == 0
    assert _communes(gql, province="lam-dong", search="da lat")["totalCount"] >= 5


def test_pagination_walks_through_all_communes(gql: GQL, regions: Any) -> None:
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        data = _communes(gql, province="lam-dong", first=25, after=after)
        assert data["totalCount"] == 124
        seen += [e["node"]["code"] for e in data["edges"]]
        pages += 1
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]
    assert pages == 5
    assert len(seen) == len(set(seen)) == 124
    assert set(seen) == {c["code"] for c in LAM_DONG_COMMUNES}


def test_first_over_100_is_an_error(gql: GQL, regions: Any) -> None:
    result = gql(COMMUNES, {"province": "lam-dong", "first": 101})
    assert result.errors
    assert "100" in result.errors[0]["message"]
    assert _communes(gql, province="lam-dong", first=100)["totalCount"] == 124


def test_a_page_costs_the_same_queries_whatever_its_size(gql: GQL, regions: Any) -> None:
    counts = []
    for first in (5, 50):
        with CaptureQueriesContext(connection) as queries:
            data = _communes(gql, province="lam-dong", first=first)
        assert len(data["edges"]) == first
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 2  # COUNT + rows, province joined in
