"""Behaviour every search backend must share (embedded always; Elasticsearch with ELASTICSEARCH_URL)."""

from __future__ import annotations

import threading

import pytest

from search.base import FACETS, SearchBackend, SearchDocument, SearchFilters, SearchResults
from tests.search.conftest import make_doc

NO_FILTERS = SearchFilters()


def catalogue() -> list[SearchDocument]:
    return [
        make_doc(
            1,
            "Dâu tây Đà Lạt",
            category_id=2,
            category_path="trai-cay/dau-tay",
            category_name="Dâu tây",
            commune_id=11,
            commune_name="Phường 3 Đà Lạt",
            ocop_stars=4,
            price_min=120_000,
            price_max=150_000,
            rating=4,
        ),
        make_doc(
            2,
            "Sầu riêng Ri6 Đắk Mil",
            category_id=3,
            category_path="trai-cay/sau-rieng",
            category_name="Sầu riêng",
            commune_id=12,
            commune_name="Đắk Mil",
            ocop_stars=3,
            price_min=80_000,
            price_max=90_000,
        ),
        make_doc(
            3,
            "Cà phê Arabica Cầu Đất",
            category_id=4,
            category_path="ca-phe",
            category_name="Cà phê",
            commune_id=13,
            commune_name="Xuân Trường",
            seller_id=101,
            seller_name="Nông trại Cầu Đất",
            ocop_stars=5,
            price_min=300_000,
            price_max=300_000,
            rating=3,
        ),
        make_doc(
            4,
            "Homestay vườn cà phê Cầu Đất",
            kind="EXPERIENCE",
            category_id=5,
            category_path="trai-nghiem/homestay",
            category_name="Homestay",
            commune_id=13,
            commune_name="Xuân Trường",
            seller_id=101,
            seller_name="Nông trại Cầu Đất",
            price_min=500_000,
            price_max=900_000,
        ),
        make_doc(
            5,
            "Bơ 034 Lâm Hà",
            category_id=6,
            category_path="trai-cay/bo",
            category_name="Bơ",
            commune_id=14,
            commune_name="Lâm Hà",
            in_stock=False,
            price_min=60_000,
            price_max=60_000,
        ),
        make_doc(
            6,
            "Tour hái dâu tây Đà Lạt",
            kind="EXPERIENCE",
            category_id=7,
            category_path="trai-nghiem/tour",
            category_name="Tour",
            commune_id=11,
            commune_name="Phường 3 Đà Lạt",
            price_min=250_000,
            price_max=250_000,
        ),
        make_doc(
            7,
            "Mứt dâu tây sấy dẻo",
            category_id=2,
            category_path="trai-cay/dau-tay",
            category_name="Dâu tây",
            commune_id=11,
            commune_name="Phường 3 Đà Lạt",
            price_min=None,
            price_max=None,
        ),
    ]


@pytest.fixture
def loaded(backend: SearchBackend) -> SearchBackend:
    backend.index(catalogue())
    return backend


def search(backend: SearchBackend, query: str, filters: SearchFilters = NO_FILTERS, **kw: int) -> SearchResults:
    return backend.search(query=query, filters=filters, offset=kw.get("offset", 0), limit=kw.get("limit", 20))


def ids(results: SearchResults) -> list[int]:
    return [h.id for h in results.hits]


def facet(results: SearchResults, name: str) -> dict[str, int]:
    return {f.value: f.count for f in results.facets[name]}


# ---- text matching ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("dau tay", 1),
        ("Dâu tây", 1),
        ("da lat", 1),
        ("Đà Lạt", 1),
        ("DA LAT", 1),
        ("đắk mil", 2),
        ("dak mil", 2),
        ("sau rieng", 2),
        ("ca phe arabica", 3),
        ("bo 034", 5),
    ],
)
def test_accent_insensitive_matching(loaded: SearchBackend, query: str, expected: int) -> None:
    assert expected in ids(search(loaded, query))


def test_all_terms_are_required(loaded: SearchBackend) -> None:
    assert ids(search(loaded, "sau rieng da lat")) == [] or 2 not in ids(search(loaded, "dau tay arabica"))
    assert set(ids(search(loaded, "dau tay da lat"))) >= {1, 6}
    assert 3 not in ids(search(loaded, "dau tay"))


def test_typo_falls_back_to_fuzzy(loaded: SearchBackend) -> None:
    assert ids(search(loaded, "sau rien"))[0] == 2
    assert ids(search(loaded, "sau reing"))[0] == 2
    assert 1 in ids(search(loaded, "dau tey"))


def test_words_run_together(loaded: SearchBackend) -> None:
    assert ids(search(loaded, "caphe"))[0] == 3
    assert 1 in ids(search(loaded, "dautay"))


def test_goods_rank_above_experiences_unless_asked(loaded: SearchBackend) -> None:
    found = ids(search(loaded, "ca phe cau dat"))
    assert found.index(3) < found.index(4)
    found = ids(search(loaded, "homestay ca phe cau dat"))
    assert found[0] == 4
    found = ids(search(loaded, "tour dau tay"))
    assert found[0] == 6
    found = ids(search(loaded, "dau tay da lat"))
    assert found.index(1) < found.index(6)


def test_accents_typed_prefer_the_accented_word(backend: SearchBackend) -> None:
    backend.index([make_doc(1, "Bò một nắng"), make_doc(2, "Bơ sáp")])
    assert ids(search(backend, "bơ"))[0] == 2
    assert ids(search(backend, "bò"))[0] == 1


def test_prefix_typeahead_search(loaded: SearchBackend) -> None:
    assert ids(search(loaded, "dâu t"))[0] == 1 or ids(search(loaded, "dâu t"))[0] == 7
    assert 1 in ids(search(loaded, "dâu t"))
    assert ids(search(loaded, "ca ph"))[0] == 3


# ---- filters, facets, pagination ---------------------------------------------------


def test_filters(loaded: SearchBackend) -> None:
    assert set(ids(search(loaded, "", SearchFilters(kind="EXPERIENCE")))) == {4, 6}
    assert set(ids(search(loaded, "", SearchFilters(category_path="trai-cay")))) == {1, 2, 5, 7}
    assert set(ids(search(loaded, "", SearchFilters(category_path="trai-cay/dau-tay")))) == {1, 7}
    assert set(ids(search(loaded, "", SearchFilters(category_path="trai")))) == set()
    assert set(ids(search(loaded, "", SearchFilters(seller_id=101)))) == {3, 4}
    assert set(ids(search(loaded, "", SearchFilters(commune_id=11)))) == {1, 6, 7}
    assert set(ids(search(loaded, "", SearchFilters(ocop_stars_min=4)))) == {1, 3}
    assert set(ids(search(loaded, "", SearchFilters(in_stock=False)))) == {5}
    assert set(ids(search(loaded, "", SearchFilters(rating_min=4)))) == {1}  # "4★+"
    assert set(ids(search(loaded, "", SearchFilters(rating_min=3)))) == {1, 3}
    assert 5 not in ids(search(loaded, "", SearchFilters(in_stock=True)))
    # Price ranges overlap: [price_min, price_max] of the product meets [min, max] of the filter.
    assert set(ids(search(loaded, "", SearchFilters(price_min=140_000, price_max=260_000)))) == {1, 6}
    assert set(ids(search(loaded, "", SearchFilters(price_min=600_000)))) == {4}
    assert set(ids(search(loaded, "", SearchFilters(price_max=70_000)))) == {5}
    # Combined with text.
    assert set(ids(search(loaded, "dau tay", SearchFilters(kind="GOODS")))) == {1, 7}
    assert set(ids(search(loaded, "da lat", SearchFilters(kind="EXPERIENCE", commune_id=11)))) == {6}


def test_facets_count_the_filtered_result(loaded: SearchBackend) -> None:
    everything = search(loaded, "")
    assert set(everything.facets) == set(FACETS)
    assert facet(everything, "kind") == {"GOODS": 5, "EXPERIENCE": 2}
    assert facet(everything, "category")["2"] == 2
    assert facet(everything, "commune") == {"11": 3, "12": 1, "13": 2, "14": 1}
    assert facet(everything, "ocop_stars") == {"3": 1, "4": 1, "5": 1}
    assert facet(everything, "rating") == {"0": 5, "3": 1, "4": 1}

    dau_tay = search(loaded, "dau tay")
    assert dau_tay.total == 3
    assert facet(dau_tay, "kind") == {"GOODS": 2, "EXPERIENCE": 1}
    assert facet(dau_tay, "category") == {"2": 2, "7": 1}

    filtered = search(loaded, "dau tay", SearchFilters(kind="GOODS"))
    assert facet(filtered, "kind") == {"GOODS": 2}
    assert facet(filtered, "commune") == {"11": 2}
    assert facet(filtered, "ocop_stars") == {"4": 1}

    bare = loaded.search(query="", filters=NO_FILTERS, offset=0, limit=5, with_facets=False)
    assert bare.total == 7 and len(bare.hits) == 5


def test_pagination_and_total(backend: SearchBackend) -> None:
    backend.index([make_doc(i, f"Trà ô long số {i}") for i in range(1, 26)])
    seen: list[int] = []
    for offset in range(0, 30, 10):
        page = search(backend, "tra o long", offset=offset, limit=10)
        assert page.total == 25
        seen.extend(ids(page))
    assert sorted(seen) == list(range(1, 26))
    assert search(backend, "tra", offset=100, limit=10).hits == []
    assert search(backend, "tra", limit=0).total == 25


def test_empty_query_lists_everything_best_first(loaded: SearchBackend) -> None:
    results = search(loaded, "")
    assert results.total == 7
    assert sorted(ids(results)) == [1, 2, 3, 4, 5, 6, 7]
    assert ids(results)[:3] == [3, 1, 2]  # OCOP 5, 4, 3 stars first
    assert ids(results)[-1] == 5  # out of stock last
    assert search(loaded, "   ").total == 7


# ---- writes ------------------------------------------------------------------------


def test_delete_removes(loaded: SearchBackend) -> None:
    loaded.delete([1, 999])
    assert 1 not in ids(search(loaded, "dau tay"))
    assert search(loaded, "").total == 6
    loaded.delete([])


def test_reindexing_a_document_replaces_it(loaded: SearchBackend) -> None:
    loaded.index([make_doc(5, "Bơ sáp Đắk Lắk", fingerprint="fp-5b")])
    assert ids(search(loaded, "lam ha")) == []
    assert ids(search(loaded, "034")) == []
    assert ids(search(loaded, "bo sap dak lak")) == [5]
    assert search(loaded, "").total == 7
    assert loaded.fingerprints()[5] == "fp-5b"


def test_clear(loaded: SearchBackend) -> None:
    loaded.clear()
    assert search(loaded, "").total == 0
    assert loaded.fingerprints() == {}


def test_fingerprints(loaded: SearchBackend) -> None:
    assert loaded.fingerprints() == {i: f"fp-{i}" for i in range(1, 8)}


@pytest.mark.parametrize(
    "query",
    [
        "x" * 5000,
        " ".join(["dau"] * 500),
        "!!! ... ,,, ???",
        '"a" OR 1=1; DROP TABLE products; --',
        "name:(foo AND",
        "*?~^",
        "\\",
        "[1 TO *]",
        "()",
        "đ",
        "\x00\n\t",
        "🍓 dâu",
        "a" * 300 + " dau tay",
    ],
)
def test_absurd_queries_do_not_crash(loaded: SearchBackend, query: str) -> None:
    results = search(loaded, query)
    assert results.total >= 0
    assert len(results.hits) <= 20
    loaded.suggest(query=query, limit=5)


def test_punctuation_only_is_an_empty_query(loaded: SearchBackend) -> None:
    assert search(loaded, "*?~^").total == 7


# ---- suggestions ---------------------------------------------------------------------


def test_suggest(loaded: SearchBackend) -> None:
    assert loaded.suggest(query="d", limit=5) == []
    assert loaded.suggest(query="", limit=5) == []
    found = loaded.suggest(query="da", limit=10)
    assert found and found[0].text in {"Dâu tây Đà Lạt", "Dâu tây"}
    names = [s.text for s in loaded.suggest(query="dâu t", limit=10)]
    assert names.index("Dâu tây Đà Lạt") < names.index("Tour hái dâu tây Đà Lạt")
    ca_ph = loaded.suggest(query="ca ph", limit=10)
    assert ca_ph[0].text in {"Cà phê Arabica Cầu Đất", "Cà phê"}
    assert any(s.product_id == 3 for s in ca_ph)
    categories = [s for s in loaded.suggest(query="sau r", limit=10) if s.product_id is None]
    assert [c.text for c in categories] == ["Sầu riêng"]
    assert len(loaded.suggest(query="a", limit=10)) == 0
    assert len(loaded.suggest(query="dau", limit=1)) == 1


# ---- rebuild -------------------------------------------------------------------------


def test_reindex_swaps_in_a_full_index(loaded: SearchBackend) -> None:
    fresh = [make_doc(i, f"Nước mắm Phan Thiết {i}") for i in range(100, 400)]
    stop = threading.Event()
    totals: list[int] = []
    errors: list[Exception] = []

    def reader() -> None:
        while not stop.is_set():
            try:
                totals.append(search(loaded, "").total)
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)
                return

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        loaded.reindex(iter(fresh))
    finally:
        stop.set()
        thread.join()
    assert not errors
    assert set(totals) <= {7, 300}
    assert search(loaded, "").total == 300
    assert not set(ids(search(loaded, "dau tay"))) & {1, 2, 3, 4, 5, 6, 7}
    assert search(loaded, "nuoc mam phan thiet").total == 300
    assert len(loaded.fingerprints()) == 300
    loaded.index([make_doc(1, "Dâu tây Đà Lạt")])
    assert search(loaded, "").total == 301
