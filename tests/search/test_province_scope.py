"""The optional `province` argument of products, search and sellers, and the province facet (issue 19)."""

from __future__ import annotations

import pytest

from backend.catalog.categories import seed_categories
from backend.catalog.models import Category
from search import registry
from tests.factories import ProductFactory, SellerFactory, VariantFactory, commune

pytestmark = pytest.mark.django_db

CHU_BAC_NINH = "07525"
SEARCH = """query($q: String!, $province: String) {
  search(query: $q, province: $province, first: 20) {
    totalCount degraded edges { node { name } } facets { name values { value label count } }
  }
}"""
PRODUCTS = (
    """query($province: String) { products(province: $province, first: 20) { totalCount edges { node { name } } } }"""
)
SELLERS = (
    """query($province: String) { sellers(province: $province, first: 20) { totalCount edges { node { name } } } }"""
)


@pytest.fixture(autouse=True)
def live_index(settings, tmp_path):
    settings.SEARCH_AUTO_INDEX = True
    settings.SEARCH_BACKEND = "embedded"
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    registry.reset()
    yield
    registry.reset()


@pytest.fixture
def two_provinces(regions, django_capture_on_commit_callbacks):
    seed_categories()
    fruit = Category.objects.get(slug="dau-tay")
    with django_capture_on_commit_callbacks(execute=True):
        da_lat = SellerFactory(name="HTX Dâu Đà Lạt (demo)")
        luc_ngan = SellerFactory(name="HTX Vải Lục Ngạn (demo)", commune=commune(CHU_BAC_NINH))
        for name, seller in (
            ("Dâu tây Đà Lạt", da_lat),
            ("Vải thiều Lục Ngạn", luc_ngan),
            ("Vải sấy Lục Ngạn", luc_ngan),
        ):
            VariantFactory(product=ProductFactory(name=name, category=fruit, seller=seller))


def _names(result, field: str) -> list[str]:
    assert not result.errors, result.errors
    return sorted(edge["node"]["name"] for edge in result.data[field]["edges"])


@pytest.mark.parametrize("province", ["bac-ninh", "24", "Bắc Ninh", "bac ninh", "Tỉnh Bắc Ninh"])
def test_products_and_sellers_of_one_province(gql, two_provinces, province: str) -> None:
    assert _names(gql(PRODUCTS, {"province": province}), "products") == ["Vải sấy Lục Ngạn", "Vải thiều Lục Ngạn"]
    assert _names(gql(SELLERS, {"province": province}), "sellers") == ["HTX Vải Lục Ngạn (demo)"]


def test_without_province_every_province_and_unknown_gives_nothing(gql, two_provinces) -> None:
    assert len(_names(gql(PRODUCTS, {}), "products")) == 3
    assert len(_names(gql(SELLERS, {}), "sellers")) == 2
    assert _names(gql(PRODUCTS, {"province": "Atlantis"}), "products") == []
    assert _names(gql(SELLERS, {"province": "Atlantis"}), "sellers") == []


def test_search_filters_and_facets_by_province(gql, two_provinces) -> None:
    every = gql(SEARCH, {"q": ""})
    assert len(_names(every, "search")) == 3
    facet = next(f for f in every.data["search"]["facets"] if f["name"] == "province")
    assert {(v["value"], v["label"], v["count"]) for v in facet["values"]} == {
        ("bac-ninh", "Bắc Ninh", 2),
        ("lam-dong", "Lâm Đồng", 1),
    }
    assert _names(gql(SEARCH, {"q": "vai", "province": "bac-ninh"}), "search") == [
        "Vải sấy Lục Ngạn",
        "Vải thiều Lục Ngạn",
    ]
    assert _names(gql(SEARCH, {"q": "vai", "province": "lam-dong"}), "search") == []
    assert _names(gql(SEARCH, {"q": "", "province": "lam-dong"}), "search") == ["Dâu tây Đà Lạt"]


def test_the_database_fallback_scopes_and_facets_by_province(gql, two_provinces, settings, tmp_path) -> None:
    settings.SEARCH_INDEX_DIR = tmp_path / "missing"
    registry.reset()
    found = gql(SEARCH, {"q": "", "province": "bac-ninh"})
    assert found.data["search"]["degraded"] is True
    assert _names(found, "search") == ["Vải sấy Lục Ngạn", "Vải thiều Lục Ngạn"]
    facet = next(f for f in found.data["search"]["facets"] if f["name"] == "province")
    assert [(v["value"], v["count"]) for v in facet["values"]] == [("bac-ninh", 2)]
