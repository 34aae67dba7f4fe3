"""Search through GraphQL on the embedded backend: indexing follows writes,
moderation removes hits at once, the engine's outage degrades, drift heals."""

from __future__ import annotations

import pytest

from backend.catalog.categories import seed_categories
from backend.catalog.models import Category, Product
from backend.reviews.counters import count_stars
from backend.sellers.models import SellerStatus
from search import registry
from search.indexing import reconcile, sync_pending
from search.models import PendingDocument
from storefront_api.core.ids import global_id
from tests.factories import ProductFactory, SellerFactory, VariantFactory

pytestmark = pytest.mark.django_db

SEARCH = """query($q: String!, $filter: ProductFilter, $first: Int) {
  search(query: $q, filter: $filter, first: $first) {
    totalCount degraded
    edges { score node { name seller { name } } }
    facets { name values { value label count } }
  }
}"""
SUGGEST = "query($q: String!) { searchSuggest(query: $q, first: 5) { text product { name } } }"


@pytest.fixture(autouse=True)
def live_index(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.SEARCH_AUTO_INDEX = True
    settings.SEARCH_BACKEND = "embedded"
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    registry.reset()
    yield
    registry.reset()


@pytest.fixture
def catalog(regions, django_capture_on_commit_callbacks):
    seed_categories()
    strawberry, durian, coffee = (Category.objects.get(slug=slug) for slug in ("dau-tay", "sau-rieng", "ca-phe"))
    with django_capture_on_commit_callbacks(execute=True):
        strawberry_seller = SellerFactory(name="HTX Dâu Tây Thái Phiên")
        for name, category, seller, description in (
            ("Dâu tây Đà Lạt", strawberry, strawberry_seller, "Hái buổi sáng ở Thái Phiên."),
            ("Cà phê Arabica Cầu Đất", coffee, SellerFactory(), "Rang mộc, xay theo yêu cầu."),
            ("Sầu riêng Đắk Mil", durian, SellerFactory(), "Cơm vàng, hạt lép."),
        ):
            product = ProductFactory(name=name, category=category, seller=seller, description=description)
            VariantFactory(product=product)
    return {"seller": strawberry_seller, "fruit": Category.objects.get(slug="trai-cay"), "durian": durian}


def names(result) -> list[str]:
    assert not result.errors, result.errors
    return [edge["node"]["name"] for edge in result.data["search"]["edges"]]


def test_accent_free_typo_and_english_queries_find_products(gql, catalog) -> None:
    assert names(gql(SEARCH, {"q": "dau tay da lat"}))[0] == "Dâu tây Đà Lạt"
    assert names(gql(SEARCH, {"q": "ca phe cau dat"}))[0] == "Cà phê Arabica Cầu Đất"
    assert names(gql(SEARCH, {"q": "sau rien"}))[0] == "Sầu riêng Đắk Mil"
    assert names(gql(SEARCH, {"q": "strawberry"}))[0] == "Dâu tây Đà Lạt"


def test_facets_count_the_filtered_result(gql, catalog) -> None:
    # The fruit category includes its descendants (strawberries, durians).
    result = gql(SEARCH, {"q": "", "filter": {"category": global_id("Category", catalog["fruit"].pk)}})
    assert sorted(names(result)) == ["Dâu tây Đà Lạt", "Sầu riêng Đắk Mil"]
    facets = {f["name"]: f["values"] for f in result.data["search"]["facets"]}
    assert sorted((v["label"], v["count"]) for v in facets["category"]) == [("Dâu tây", 1), ("Sầu riêng", 1)]
    assert sum(v["count"] for v in facets["commune"]) == 2


def test_suspending_a_seller_removes_its_products_at_once(gql, catalog, django_capture_on_commit_callbacks) -> None:
    seller = catalog["seller"]
    with django_capture_on_commit_callbacks(execute=True):
        seller.status = SellerStatus.SUSPENDED
        seller.save()
    assert "Dâu tây Đà Lạt" not in names(gql(SEARCH, {"q": "dau tay"}))
    with django_capture_on_commit_callbacks(execute=True):
        seller.status = SellerStatus.APPROVED
        seller.save()
    assert names(gql(SEARCH, {"q": "dau tay"})) == ["Dâu tây Đà Lạt"]


def test_unreachable_engine_degrades_and_loses_no_write(gql, catalog, settings, django_capture_on_commit_callbacks):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens there
    registry.reset()
    degraded = gql(SEARCH, {"q": "Dâu"})
    assert degraded.status == 200 and degraded.data["search"]["degraded"] is True
    assert names(degraded) == ["Dâu tây Đà Lạt"]

    product = Product.objects.get(name="Sầu riêng Đắk Mil")
    with django_capture_on_commit_callbacks(execute=True):
        product.name = "Sầu riêng Ri6 Đắk Mil"
        product.save()
    assert PendingDocument.objects.filter(product_id=product.pk).exists()

    settings.SEARCH_BACKEND = "embedded"
    registry.reset()
    sync_pending()
    assert not PendingDocument.objects.exists()
    assert names(gql(SEARCH, {"q": "ri6"})) == ["Sầu riêng Ri6 Đắk Mil"]


def test_reconcile_repairs_drift_behind_the_signals(gql, catalog) -> None:
    Product.objects.filter(name="Cà phê Arabica Cầu Đất").update(name="Cà phê Moka Cầu Đất")  # no signal
    drift = reconcile()
    assert (drift.missing, drift.stale, drift.extra) == (0, 1, 0)
    assert names(gql(SEARCH, {"q": "moka"})) == ["Cà phê Moka Cầu Đất"]
    assert reconcile().total == 0


@pytest.mark.parametrize(
    "query",
    ["", "   ", "!!!???", '"a" OR 1=1; DROP TABLE catalog_product; --', "name:(foo AND", "*?~^[]{}", "đ" * 5000],
)
def test_absurd_queries_never_fail(gql, catalog, query) -> None:
    result = gql(SEARCH, {"q": query, "first": 5})
    assert result.status == 200 and not result.errors
    assert result.data["search"]["totalCount"] >= 0


def test_suggestions_from_two_characters(gql, catalog) -> None:
    assert gql(SUGGEST, {"q": "d"}).data["searchSuggest"] == []
    texts = [s["text"] for s in gql(SUGGEST, {"q": "dâu t"}).data["searchSuggest"]]
    assert texts and texts[0] == "Dâu tây Đà Lạt"


def test_four_stars_and_up_is_a_facet_and_a_filter_and_products_sort_by_rating(
    gql, catalog, django_capture_on_commit_callbacks
) -> None:
    by_name = {p.name: p for p in Product.objects.all()}
    strawberry, coffee = by_name["Dâu tây Đà Lạt"], by_name["Cà phê Arabica Cầu Đất"]
    with django_capture_on_commit_callbacks(execute=True):
        count_stars(product_id=strawberry.pk, seller_id=strawberry.seller_id, add=5)  # 1 × 5★: 4.17
        for _ in range(20):
            count_stars(product_id=coffee.pk, seller_id=coffee.seller_id, add=5)  # 20 × 5★: 4.8
    sync_pending()
    result = gql(SEARCH, {"q": "", "filter": {"ratingMin": 4}})
    assert sorted(names(result)) == ["Cà phê Arabica Cầu Đất", "Dâu tây Đà Lạt"]
    everything = gql(SEARCH, {"q": ""})
    facets = {f["name"]: f["values"] for f in everything.data["search"]["facets"]}
    assert [(v["value"], v["label"], v["count"]) for v in facets["rating"]] == [("4", "4★+", 2), ("3", "3★+", 2)]
    listing = gql("query { products(first: 5, sortBy: {field: RATING, direction: DESC}) { edges { node { name } } } }")
    assert [e["node"]["name"] for e in listing.data["products"]["edges"]][:2] == [coffee.name, strawberry.name]
