"""The Elasticsearch backend without a server: exact index settings/mappings and query bodies (built with
elasticsearch-dsl, compared as dicts), the alias swap against a small recording stub, and SearchUnavailable
against a closed port. A live smoke test runs only when ELASTICSEARCH_URL is set."""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from elastic_transport import ApiResponseMeta, HttpHeaders, NodeConfig
from elasticsearch import ApiError
from elasticsearch import helpers as es_helpers

from backend.core.text import fold
from search.base import FACETS, FacetCount, SearchDocument, SearchFilters, SearchUnavailable
from search.elasticsearch import (
    SYNONYMS,
    ElasticsearchBackend,
    _unavailable,
    document_source,
    index_body,
    search_body,
    suggest_body,
)

NO_FILTERS = SearchFilters()
SORT = ["_score", {"created_at": {"order": "desc"}}, {"id": {"order": "desc"}}]
FUNCTIONS = [
    {"field_value_factor": {"field": "ocop_stars", "factor": 1, "modifier": "log1p", "missing": 0}},
    {"filter": {"term": {"in_stock": True}}, "weight": 0.5},
]
AGGS = {
    "category": {"terms": {"field": "category_id", "size": 100}},
    "commune": {"terms": {"field": "commune_id", "size": 20}},
    "kind": {"terms": {"field": "kind", "size": 5}},
    "ocop_stars": {"terms": {"field": "ocop_stars", "size": 6}},
    "province": {"terms": {"field": "province_id", "size": 34}},
}
FOLDED = {"analyzer": "vi_folded", "search_analyzer": "vi_search", "type": "text"}
SAYT = {"analyzer": "vi_folded", "type": "search_as_you_type"}


def doc(id: int = 1, name: str = "Cà phê Arabica Cầu Đất", **kw: Any) -> SearchDocument:
    values: dict[str, Any] = {
        "id": id,
        "name": name,
        "description": "Đặc sản cao nguyên",
        "kind": "GOODS",
        "category_id": 3,
        "category_path": "do-uong/ca-phe",
        "category_name": "Cà phê",
        "commune_id": 7,
        "commune_name": "Xã Xuân Trường",
        "seller_id": 9,
        "seller_name": "HTX Cầu Đất",
        "price_min": 120_000,
        "price_max": None,
        "ocop_stars": 4,
        "in_stock": True,
        "created_at": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        "fingerprint": "abc",
    }
    values.update(kw)
    return SearchDocument(**values)


def walk(value: Any) -> Iterator[tuple[str, Any]]:
    """Every (key, value) pair in a nested body."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield k, v
            yield from walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v)


def bool_of(body: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = body["query"]["function_score"]["query"]["bool"]
    return result


# --- index settings and mappings --------------------------------------------------------------------------------


def test_index_body_is_exact() -> None:
    assert index_body() == {
        "settings": {
            "number_of_shards": 1,
            "number_of_replicas": 1,
            "analysis": {
                "analyzer": {
                    "vi_exact": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase"]},
                    "vi_folded": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "vi_fold"]},
                    "vi_search": {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": ["lowercase", "vi_fold", "vi_synonyms"],
                    },
                    "vi_joined": {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": ["lowercase", "vi_fold", "vi_shingle_join"],
                    },
                },
                "filter": {
                    "vi_fold": {"type": "asciifolding", "preserve_original": False},
                    "vi_shingle_join": {
                        "type": "shingle",
                        "min_shingle_size": 2,
                        "max_shingle_size": 2,
                        "output_unigrams": False,
                        "token_separator": "",
                    },
                    "vi_synonyms": {"type": "synonym_graph", "synonyms": list(SYNONYMS)},
                },
                "normalizer": {"vi_kw": {"type": "custom", "filter": ["lowercase", "asciifolding"]}},
            },
        },
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "id": {"type": "long"},
                "name": {
                    **FOLDED,
                    "fields": {
                        "exact": {"type": "text", "analyzer": "vi_exact"},
                        "joined": {"type": "text", "analyzer": "vi_joined", "search_analyzer": "vi_folded"},
                        "sayt": SAYT,
                        "kw": {"type": "keyword", "normalizer": "vi_kw", "ignore_above": 256},
                    },
                },
                "description": {**FOLDED, "fields": {"exact": {"type": "text", "analyzer": "vi_exact"}}},
                "meta": FOLDED,
                "kind": {"type": "keyword"},
                "category_id": {"type": "long"},
                "category_path": {"type": "keyword"},
                "category_ancestors": {"type": "keyword"},
                "category_name": {"type": "keyword", "fields": {"sayt": SAYT}},
                "commune_id": {"type": "long"},
                "seller_id": {"type": "long"},
                "province_id": {"type": "long"},
                "price_min": {"type": "long"},
                "price_max": {"type": "long"},
                "ocop_stars": {"type": "short"},
                "in_stock": {"type": "boolean"},
                "created_at": {"type": "date"},
                "fingerprint": {"type": "keyword", "index": False},
            },
        },
    }


def test_analysis_folds_keeps_an_exact_field_and_never_needs_a_plugin_or_file() -> None:
    body = index_body()
    analysis = body["settings"]["analysis"]
    assert "vi_fold" not in analysis["analyzer"]["vi_exact"]["filter"]
    assert analysis["filter"]["vi_fold"]["type"] == "asciifolding"  # đ → d, bundled (no analysis-icu)
    assert "synonyms_path" not in json.dumps(body)  # inline: no file needed on every node
    assert "icu" not in json.dumps(body)
    # Synonyms only at search time: no index analyzer uses them.
    for _, value in walk(body["mappings"]):
        if isinstance(value, dict) and "analyzer" in value:
            assert value["analyzer"] != "vi_search"


def test_synonyms_are_folded_and_cover_the_catalog() -> None:
    for rule in SYNONYMS:
        assert rule == fold(rule)
        assert rule.isascii()
    for required in (
        "ca phe, cafe, coffee",
        "dau tay, strawberry",
        "sau rieng, durian",
        "tra, che, tea",
        "bo, avocado",
    ):
        assert required in SYNONYMS
    assert any(r.startswith("homestay,") and "nha nghi" in r and "nha o dan" in r for r in SYNONYMS)
    assert any(r.startswith("thanh long, dragon fruit") for r in SYNONYMS)


def test_document_source_fits_the_strict_mapping() -> None:
    source = document_source(doc())
    assert set(source) == set(index_body()["mappings"]["properties"])
    assert source["category_ancestors"] == ["do-uong", "do-uong/ca-phe"]
    assert source["meta"] == "Cà phê Xã Xuân Trường HTX Cầu Đất"
    assert (source["price_min"], source["price_max"]) == (120_000, 120_000)  # open range closed for overlap
    assert source["created_at"] == "2026-01-02T03:04:05+00:00"


# --- query bodies -----------------------------------------------------------------------------------------------


def test_accentless_query_body() -> None:
    assert search_body("dau tay", NO_FILTERS, 0, 20) == {
        "query": {
            "function_score": {
                "query": {
                    "bool": {
                        "must": [
                            {
                                "dis_max": {
                                    "queries": [
                                        {
                                            "multi_match": {
                                                "query": "dau tay",
                                                "type": "cross_fields",
                                                "operator": "and",
                                                "fields": ["name^3", "description", "meta"],
                                            }
                                        },
                                        {
                                            "multi_match": {
                                                "query": "dau tay",
                                                "type": "bool_prefix",
                                                "operator": "and",
                                                "fields": ["name.sayt", "name.sayt._2gram", "name.sayt._3gram"],
                                            }
                                        },
                                    ]
                                }
                            }
                        ],
                        "should": [
                            {"constant_score": {"filter": {"match_phrase": {"name": "dau tay"}}, "boost": 2.0}},
                            {
                                "constant_score": {
                                    "filter": {"match_phrase": {"name": {"query": "dau tay", "slop": 2}}},
                                    "boost": 2.0,
                                }
                            },
                            {"prefix": {"name.kw": {"value": "dau tay", "boost": 6.0}}},
                            {"constant_score": {"filter": {"term": {"kind": "GOODS"}}, "boost": 5.0}},
                        ],
                    }
                },
                "functions": FUNCTIONS,
                "score_mode": "sum",
                "boost_mode": "sum",
            }
        },
        "from": 0,
        "size": 20,
        "sort": SORT,
        "track_total_hits": True,
        "_source": False,
        "aggs": AGGS,
    }


def test_diacritics_add_the_exact_field_boost() -> None:
    should = bool_of(search_body("Bơ 034", NO_FILTERS, 0, 10))["should"]
    assert {"match": {"name.exact": {"query": "bơ 034", "boost": 2.0}}} in should
    assert {"prefix": {"name.kw": {"value": "bo 034", "boost": 6.0}}} in should
    assert not any(k == "name.exact" for k, _ in walk(search_body("bo 034", NO_FILTERS, 0, 10)))
    # đ alone counts as a diacritic.
    assert any(k == "name.exact" for k, _ in walk(search_body("đat", NO_FILTERS, 0, 10)))


@pytest.mark.parametrize("query", ["tour hai dau", "Homestay Cầu Đất", "trải nghiệm cà phê", "workshop gom"])
def test_experience_words_boost_experiences(query: str) -> None:
    should = bool_of(search_body(query, NO_FILTERS, 0, 10))["should"]
    assert {"constant_score": {"filter": {"term": {"kind": "EXPERIENCE"}}, "boost": 5.0}} in should
    assert "GOODS" not in json.dumps(should)


def test_fuzzy_second_step_body() -> None:
    body = search_body("dau tey", NO_FILTERS, 0, 10, fuzzy=True)
    assert bool_of(body)["must"] == [
        {
            "multi_match": {
                "query": word,
                "fields": ["name^3", "name.joined", "description", "meta"],
                "fuzziness": "AUTO",
                "prefix_length": 1,
                "max_expansions": 50,
            }
        }
        for word in ("dau", "tey")
    ]
    assert "cross_fields" not in json.dumps(body)  # ES refuses fuzziness on cross_fields
    assert "fuzziness" not in json.dumps(search_body("dau tey", NO_FILTERS, 0, 10))


def test_each_filter_becomes_a_filter_clause() -> None:
    filters = SearchFilters(
        kind="GOODS",
        category_path="trai-cay",
        seller_id=5,
        commune_id=7,
        price_min=100_000,
        price_max=300_000,
        ocop_stars_min=3,
        in_stock=True,
    )
    for query in ("ca phe", ""):
        assert bool_of(search_body(query, filters, 0, 10))["filter"] == [
            {"term": {"kind": "GOODS"}},
            {"term": {"category_ancestors": "trai-cay"}},  # the category and its descendants
            {"term": {"seller_id": 5}},
            {"term": {"commune_id": 7}},
            {"range": {"price_max": {"gte": 100_000}}},  # ranges overlap
            {"range": {"price_min": {"lte": 300_000}}},
            {"range": {"ocop_stars": {"gte": 3}}},
            {"term": {"in_stock": True}},
        ]
    assert "filter" not in bool_of(search_body("ca phe", NO_FILTERS, 0, 10))
    assert bool_of(search_body("", SearchFilters(in_stock=False), 0, 10))["filter"] == [{"term": {"in_stock": False}}]


def test_empty_query_is_match_all_with_the_same_boosts_and_sort() -> None:
    for query in ("", "   "):
        body = search_body(query, SearchFilters(commune_id=7), 40, 20)
        assert body["query"]["function_score"]["query"] == {
            "bool": {"must": [{"match_all": {}}], "filter": [{"term": {"commune_id": 7}}]}
        }
        assert body["query"]["function_score"]["functions"] == FUNCTIONS
        assert (body["from"], body["size"], body["sort"], body["aggs"]) == (40, 20, SORT, AGGS)


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ('name:(Cà phê) AND description:"x', "name cà phê and description x"),
        ("ca* OR ?phe~2 ^3 [a TO z] {", "ca or phe 2 3 a to z"),
        ("\\ / ! && || - + <script>", "script"),
        ("🍓 dâu_tây", "dâu tây"),
    ],
)
def test_absurd_input_stays_plain_text(query: str, text: str) -> None:
    bodies = [
        search_body(query, NO_FILTERS, 0, 10),
        search_body(query, NO_FILTERS, 0, 10, fuzzy=True),
        suggest_body(query, 5),
    ]
    for body in bodies:
        keys = {k for k, _ in walk(body)}
        assert "query_string" not in keys
        assert "simple_query_string" not in keys
    # Only the words reach the engine, and only inside match-family queries.
    cross_fields = bool_of(bodies[0])["must"][0]["dis_max"]["queries"][0]["multi_match"]
    assert cross_fields["query"] == text
    assert bodies[2]["query"]["bool"]["must"][0]["multi_match"]["query"] == text
    for body in bodies:
        for key, value in walk(body):
            if key == "query" and isinstance(value, str):
                assert not set(value) & set(':()"*?~^[]{}\\/!&|+<>')


@pytest.mark.parametrize("query", ["", "   ", "*?~^", "!!! ... ,,, ???", "\x00\n\t"])
def test_no_words_is_an_empty_query(query: str) -> None:
    assert bool_of(search_body(query, NO_FILTERS, 0, 10))["must"] == [{"match_all": {}}]


def test_long_input_is_bounded_and_pagination_clamped() -> None:
    body = search_body("ca phe " * 200, NO_FILTERS, 9_990, 50)
    cross_fields = bool_of(body)["must"][0]["dis_max"]["queries"][0]["multi_match"]
    assert len(cross_fields["query"].split()) == 12
    assert (body["from"], body["size"]) == (9_990, 10)  # from + size stays within max_result_window
    assert search_body("x", NO_FILTERS, -5, -1)["from"] == 0


def test_facets_are_optional() -> None:
    assert search_body("ca phe", NO_FILTERS, 0, 10)["aggs"] == AGGS
    assert set(AGGS) == set(FACETS)
    assert "aggs" not in search_body("ca phe", NO_FILTERS, 0, 10, with_facets=False)


def test_suggest_body() -> None:
    bool_prefix = {"type": "bool_prefix", "operator": "and", "query": "cà ph"}
    assert suggest_body("Cà ph", 5) == {
        "query": {
            "bool": {
                "must": [
                    {"multi_match": {**bool_prefix, "fields": ["name.sayt", "name.sayt._2gram", "name.sayt._3gram"]}}
                ],
                "should": [{"prefix": {"name.kw": {"value": "ca ph", "boost": 6.0}}}],
            }
        },
        "size": 10,
        "_source": ["name"],
        "aggs": {
            "categories": {
                "global": {},
                "aggs": {
                    "matching": {
                        "filter": {
                            "multi_match": {
                                **bool_prefix,
                                "fields": [
                                    "category_name.sayt",
                                    "category_name.sayt._2gram",
                                    "category_name.sayt._3gram",
                                ],
                            }
                        },
                        "aggs": {"names": {"terms": {"field": "category_name", "size": 5}}},
                    }
                },
            }
        },
    }


# --- a recording stub instead of a server (there is none here) -------------------------------------------------


class StubClient:
    """Records calls; answers just enough for the backend (bulk goes through `helpers_bulk`)."""

    def __init__(
        self,
        aliased: list[str] | None = None,
        search_responses: list[dict[str, Any]] | None = None,
        squatted: bool = False,
    ):
        self.squatted = squatted
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.aliased = list(aliased or [])
        self.bulked: list[dict[str, Any]] = []
        self.search_responses = list(search_responses or [])
        self.indices = self

    def _record(self, method: str, /, **kwargs: Any) -> None:
        self.calls.append((method, kwargs))

    def exists_alias(self, **kw: Any) -> bool:
        self._record("exists_alias", **kw)
        return bool(self.aliased)

    def get_alias(self, **kw: Any) -> dict[str, Any]:
        self._record("get_alias", **kw)
        return {name: {"aliases": {kw["name"]: {}}} for name in self.aliased}

    def create(self, **kw: Any) -> None:
        self._record("create", **kw)

    def put_settings(self, **kw: Any) -> None:
        self._record("put_settings", **kw)

    def refresh(self, **kw: Any) -> None:
        self._record("refresh", **kw)

    def update_aliases(self, **kw: Any) -> None:
        self._record("update_aliases", **kw)
        for action in kw["actions"]:
            if "add" in action:
                self.aliased.append(action["add"]["index"])
            if "remove" in action:
                self.aliased.remove(action["remove"]["index"])

    def exists(self, **kw: Any) -> bool:
        self._record("exists", **kw)
        return self.squatted

    def delete(self, **kw: Any) -> None:
        self._record("delete", **kw)

    def helpers_bulk(self, client: Any, actions: Any, **kw: Any) -> tuple[int, list[Any]]:
        """Stands in for elasticsearch.helpers.bulk (which needs a real client's internals)."""
        assert client is self
        self._record("bulk", **kw)
        actions = list(actions)
        self.bulked.extend(actions)
        return len(actions), []

    def search(self, **kw: Any) -> dict[str, Any]:
        self._record("search", **kw)
        return self.search_responses.pop(0)


@pytest.fixture
def stub(monkeypatch: pytest.MonkeyPatch) -> Callable[..., StubClient]:
    def make(**kwargs: Any) -> StubClient:
        client = StubClient(**kwargs)
        monkeypatch.setattr(es_helpers, "bulk", client.helpers_bulk)
        return client

    return make


def backend_with(client: StubClient) -> ElasticsearchBackend:
    backend = ElasticsearchBackend("http://stub:9200", index_prefix="test-products")
    backend._client = client
    return backend


def test_reindex_builds_a_new_index_and_swaps_the_alias_atomically(stub: Callable[..., StubClient]) -> None:
    client = stub(aliased=["test-products-20250101000000000000"])
    backend_with(client).reindex(iter([doc(1), doc(2, name="Dâu tây Đà Lạt")]))

    names = [name for name, _ in client.calls]
    assert names == [
        "create",
        "bulk",
        "put_settings",
        "refresh",
        "exists_alias",
        "get_alias",
        "update_aliases",
        "delete",
    ]
    create = client.calls[0][1]
    new = create["index"]
    assert new.startswith("test-products-") and new != "test-products-20250101000000000000"
    assert create["settings"]["refresh_interval"] == "-1"  # no refreshes while loading
    assert create["mappings"] == index_body()["mappings"]
    assert [(b["_op_type"], b["_index"], b["_id"]) for b in client.bulked] == [("index", new, 1), ("index", new, 2)]
    assert client.bulked[1]["_source"]["name"] == "Dâu tây Đà Lạt"
    assert client.calls[2][1] == {"index": new, "settings": {"refresh_interval": None, "number_of_replicas": 1}}
    updates = [kw for name, kw in client.calls if name == "update_aliases"]
    assert updates == [
        {
            "actions": [
                {"remove": {"index": "test-products-20250101000000000000", "alias": "test-products"}},
                {"add": {"index": new, "alias": "test-products"}},
            ]
        }
    ]
    assert client.calls[-1] == ("delete", {"index": "test-products-20250101000000000000", "ignore_unavailable": True})


def test_reindex_replaces_a_concrete_index_squatting_the_alias_name(stub: Callable[..., StubClient]) -> None:
    client = stub(squatted=True)
    backend_with(client).reindex([doc(1)])
    new = client.calls[0][1]["index"]
    updates = [kw for name, kw in client.calls if name == "update_aliases"]
    assert updates == [
        {"actions": [{"remove_index": {"index": "test-products"}}, {"add": {"index": new, "alias": "test-products"}}]}
    ]


def test_first_write_creates_the_index_and_alias_then_writes_through_the_alias(stub: Callable[..., StubClient]) -> None:
    client = stub()
    backend_with(client).index([doc(1)])
    names = [name for name, _ in client.calls]
    assert names == ["exists_alias", "create", "update_aliases", "exists_alias", "get_alias", "bulk"]
    new = client.calls[1][1]["index"]
    assert client.calls[2][1] == {"actions": [{"add": {"index": new, "alias": "test-products"}}]}
    assert [(b["_op_type"], b["_index"]) for b in client.bulked] == [("index", "test-products")]
    assert client.calls[-1][1] == {"chunk_size": 500, "refresh": "wait_for", "require_alias": True}


def test_a_process_that_lost_the_race_for_the_first_index_steps_back(stub: Callable[..., StubClient]) -> None:
    client = stub(aliased=["test-products-0"])  # another process created it between our check and our add
    answers = iter([False])
    client.exists_alias = lambda **kw: next(answers, True)  # type: ignore[method-assign]
    backend_with(client).index([doc(1)])
    ours = next(kw["index"] for name, kw in client.calls if name == "create")
    assert ("update_aliases", {"actions": [{"remove": {"index": ours, "alias": "test-products"}}]}) in client.calls
    assert ("delete", {"index": ours, "ignore_unavailable": True}) in client.calls
    assert client.aliased == ["test-products-0"]


def test_delete_goes_through_the_alias_and_ignores_unknown_ids(stub: Callable[..., StubClient]) -> None:
    client = stub(aliased=["test-products-1"])
    backend_with(client).delete([4, 5])
    assert [(b["_op_type"], b["_index"], b["_id"]) for b in client.bulked] == [
        ("delete", "test-products", 4),
        ("delete", "test-products", 5),
    ]


def _response(ids: list[int], total: int, aggs: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "hits": {"total": {"value": total}, "hits": [{"_id": str(i), "_score": 1.5} for i in ids]},
        "aggregations": aggs or {},
    }


def test_search_maps_hits_and_facets_as_strings(stub: Callable[..., StubClient]) -> None:
    aggs = {
        "category": {"buckets": [{"key": 3, "doc_count": 2}]},
        "commune": {"buckets": [{"key": 7, "doc_count": 2}]},
        "kind": {"buckets": [{"key": "GOODS", "doc_count": 2}]},
        "ocop_stars": {"buckets": [{"key": 4, "doc_count": 1}, {"key": 3, "doc_count": 1}]},
    }
    client = stub(search_responses=[_response([1, 2, 3], 3, aggs)])
    results = backend_with(client).search(query="ca phe", filters=NO_FILTERS, offset=0, limit=10)
    assert [h.id for h in results.hits] == [1, 2, 3]
    assert results.total == 3
    assert results.facets["category"] == [FacetCount("3", 2)]
    assert results.facets["ocop_stars"] == [FacetCount("4", 1), FacetCount("3", 1)]
    assert [name for name, _ in client.calls] == ["search"]  # enough hits: no fuzzy step


def test_fuzzy_runs_as_a_second_step_when_the_exact_query_finds_too_little(stub: Callable[..., StubClient]) -> None:
    client = stub(search_responses=[_response([], 0), _response([8], 1)])
    results = backend_with(client).search(query="dau tey", filters=NO_FILTERS, offset=0, limit=10)
    assert [h.id for h in results.hits] == [8]
    bodies = [kw["body"] for name, kw in client.calls if name == "search"]
    assert bodies == [
        search_body("dau tey", NO_FILTERS, 0, 10),
        search_body("dau tey", NO_FILTERS, 0, 10, fuzzy=True),
    ]


def test_suggest_merges_products_and_categories(stub: Callable[..., StubClient]) -> None:
    response = {
        "hits": {
            "total": {"value": 3},
            "hits": [
                {"_id": "1", "_source": {"name": "Cà phê Arabica"}},
                {"_id": "2", "_source": {"name": "Cà phê Arabica"}},
                {"_id": "3", "_source": {"name": "Cà phê chồn"}},
            ],
        },
        "aggregations": {"categories": {"matching": {"names": {"buckets": [{"key": "Cà phê", "doc_count": 3}]}}}},
    }
    backend = backend_with(stub(search_responses=[response]))
    suggestions = backend.suggest(query="ca ph", limit=5)
    assert [(s.text, s.product_id) for s in suggestions] == [
        ("Cà phê Arabica", 1),
        ("Cà phê chồn", 3),
        ("Cà phê", None),
    ]
    assert backend.suggest(query="c", limit=5) == []  # from 2 characters


def test_server_errors_mean_unavailable_but_client_errors_do_not() -> None:
    def api_error(status: int) -> ApiError:
        meta = ApiResponseMeta(
            status=status, http_version="1.1", headers=HttpHeaders(), duration=0.0, node=NodeConfig("http", "h", 9200)
        )
        return ApiError("boom", meta=meta, body={})

    assert _unavailable(api_error(503))
    assert _unavailable(api_error(429))
    assert not _unavailable(api_error(400))


# --- no server at all -------------------------------------------------------------------------------------------


def test_closed_port_raises_search_unavailable_quickly() -> None:
    backend = ElasticsearchBackend("http://127.0.0.1:9", timeout=1.0)
    started = time.monotonic()
    with pytest.raises(SearchUnavailable):
        backend.search(query="ca phe", filters=NO_FILTERS, offset=0, limit=10)
    with pytest.raises(SearchUnavailable):
        backend.index([doc()])
    with pytest.raises(SearchUnavailable):
        backend.suggest(query="ca ph", limit=5)
    with pytest.raises(SearchUnavailable):
        backend.fingerprints()
    assert time.monotonic() - started < 5


# --- live (only with a server) -----------------------------------------------------------------------------------


@pytest.mark.skipif(not os.environ.get("ELASTICSEARCH_URL"), reason="needs ELASTICSEARCH_URL")
def test_live_smoke() -> None:
    backend = ElasticsearchBackend(os.environ["ELASTICSEARCH_URL"], index_prefix=f"test-{uuid.uuid4().hex[:8]}")
    strawberry = doc(
        2,
        name="Dâu tây Mộc Châu",
        category_path="trai-cay/dau-tay",
        category_name="Dâu tây",
        commune_name="Mộc Châu",
        seller_name="HTX Mộc Châu",
    )
    try:
        backend.reindex([doc(1), strawberry])
        assert [h.id for h in backend.search(query="cau dat", filters=NO_FILTERS, offset=0, limit=10).hits] == [1]
        assert backend.search(query="coffee", filters=NO_FILTERS, offset=0, limit=10).total == 1
        assert backend.search(query="caphe", filters=NO_FILTERS, offset=0, limit=10).total == 1
        assert backend.search(query="", filters=SearchFilters(category_path="trai-cay"), offset=0, limit=10).total == 1
        suggestions = backend.suggest(query="dau t", limit=5)
        assert [s.product_id for s in suggestions if s.product_id] == [2]
        assert backend.fingerprints() == {1: "abc", 2: "abc"}
        backend.reindex([doc(3)])
        assert backend.fingerprints() == {3: "abc"}
        assert len(backend.client.indices.get_alias(name=backend.alias)) == 1
    finally:
        # ES 8 refuses wildcard deletes by default (action.destructive_requires_name): delete by name.
        for name in backend.client.indices.get(index=f"{backend.alias}-*"):
            backend.client.indices.delete(index=name)


def test_a_missing_index_is_damage_not_an_empty_answer(stub: Callable[..., StubClient]) -> None:
    from elasticsearch import NotFoundError

    from search.base import IndexDamaged

    meta = ApiResponseMeta(
        status=404, http_version="1.1", headers=HttpHeaders(), duration=0.0, node=NodeConfig("http", "h", 9200)
    )
    client = stub(aliased=[])

    def missing(**kw: Any) -> dict[str, Any]:
        raise NotFoundError("index_not_found_exception", meta=meta, body={})

    client.search = missing  # type: ignore[method-assign]
    backend = backend_with(client)
    with pytest.raises(IndexDamaged):
        backend.search(query="ca phe", filters=NO_FILTERS, offset=0, limit=10)
    with pytest.raises(IndexDamaged):
        backend.suggest(query="ca phe", limit=5)
    assert backend.document_count() is None  # no alias: no index to count
    client.aliased = ["test-products-1"]
    client.count = lambda **kw: {"count": 42}  # type: ignore[attr-defined]
    assert backend.document_count() == 42
