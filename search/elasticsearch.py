"""Elasticsearch backend (production), built with elasticsearch-dsl.

Design (see /work/shared/reference/search.md):

- A versioned physical index `<prefix>-<utc timestamp>` behind the alias `<prefix>`. `reindex()` builds a new
  index, bulk-loads it, refreshes it and swaps the alias in ONE `update_aliases` call, then drops the old index.
  `index()`/`delete()`/`search()` always go through the alias.
- Analysis: `asciifolding` (đ → d) for the main text fields, an accent-preserving `.exact` subfield, a
  `synonym_graph` (inline, folded rules) at search time only, a joined-shingle subfield ("caphe" → "cà phê")
  and a `search_as_you_type` subfield for type-ahead.
- User text only ever reaches `match`/`multi_match` queries (never `query_string`), so Lucene syntax is plain text.
- Any connection problem, timeout or 5xx becomes `SearchUnavailable`; the app then degrades to the database.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, TypeVar

from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError, helpers
from elasticsearch.dsl import (
    A,
    Boolean,
    Date,
    Index,
    Keyword,
    Long,
    Q,
    SearchAsYouType,
    Short,
    Text,
    analyzer,
    normalizer,
    token_filter,
)
from elasticsearch.dsl.query import Query
from elasticsearch.helpers import BulkIndexError

from search.base import (
    FACETS,
    FacetCount,
    IndexDamaged,
    SearchDocument,
    SearchFilters,
    SearchHit,
    SearchResults,
    SearchUnavailable,
    Suggestion,
)
from search.folding import clean_query, exact_tokens, experience_intent, fold, has_diacritics, tokens

T = TypeVar("T")

# Search-time synonyms, written FOLDED (the filter runs after lowercase + asciifolding).
SYNONYMS: tuple[str, ...] = (
    "ca phe, cafe, coffee",
    "dau tay, strawberry",
    "homestay, farmstay, nha nghi, nha o dan",
    "sau rieng, durian",
    "thanh long, dragon fruit, pitaya",
    "tra, che, tea",
    "bo, avocado",
    "tra o long, oolong",
    "atiso, artichoke",
    "mac ca, macadamia",
    "ho tieu, pepper",
    "mat ong, honey",
    "nuoc mam, fish sauce",
)

# Relevance knobs (query-time; changing them needs no reindex).
NAME_BOOST = 3
PHRASE_BOOST = 2.0
NEAR_BOOST = 2.0  # the words in order, up to 2 words between
EXACT_BOOST = 2.0
PREFIX_BOOST = 6.0  # the name starts with the query
KIND_BOOST = 5.0
IN_STOCK_WEIGHT = 0.5
FUZZY_BELOW = 3  # run the fuzzy second step when the exact query has fewer hits than this
MAX_RESULT_WINDOW = 10_000
FACET_SIZES = {"category": 100, "commune": 20, "kind": 5, "ocop_stars": 6, "rating": 6}
FACET_FIELDS = {
    "category": "category_id",
    "commune": "commune_id",
    "kind": "kind",
    "ocop_stars": "ocop_stars",
    "rating": "rating",
}
TEXT_FIELDS = [f"name^{NAME_BOOST}", "description", "meta"]
FUZZY_FIELDS = [f"name^{NAME_BOOST}", "name.joined", "description", "meta"]
SAYT_FIELDS = ["name.sayt", "name.sayt._2gram", "name.sayt._3gram"]
CATEGORY_SAYT_FIELDS = ["category_name.sayt", "category_name.sayt._2gram", "category_name.sayt._3gram"]
SORT: list[Any] = ["_score", {"created_at": {"order": "desc"}}, {"id": {"order": "desc"}}]

# --- analysis -------------------------------------------------------------------------------------------------

vi_fold = token_filter("vi_fold", type="asciifolding", preserve_original=False)
vi_shingle_join = token_filter(
    "vi_shingle_join",
    type="shingle",
    min_shingle_size=2,
    max_shingle_size=2,
    output_unigrams=False,
    token_separator="",
)
vi_synonyms = token_filter("vi_synonyms", type="synonym_graph", synonyms=list(SYNONYMS))

vi_exact = analyzer("vi_exact", tokenizer="standard", filter=["lowercase"])
vi_folded = analyzer("vi_folded", tokenizer="standard", filter=["lowercase", vi_fold])
vi_search = analyzer("vi_search", tokenizer="standard", filter=["lowercase", vi_fold, vi_synonyms])
vi_joined = analyzer("vi_joined", tokenizer="standard", filter=["lowercase", vi_fold, vi_shingle_join])
vi_kw = normalizer("vi_kw", filter=["lowercase", "asciifolding"])


def _text(**fields: Any) -> Text:
    if fields:
        return Text(analyzer=vi_folded, search_analyzer=vi_search, fields=fields)
    return Text(analyzer=vi_folded, search_analyzer=vi_search)


def _index(name: str) -> Index:
    index = Index(name)
    index.settings(number_of_shards=1, number_of_replicas=1)
    mapping = index.get_or_create_mapping()
    mapping.meta("dynamic", "strict")
    mapping.field("id", Long())
    mapping.field(
        "name",
        _text(
            exact=Text(analyzer=vi_exact),
            # Indexed as joined bigrams, searched as plain folded words: "caphe" hits "cà phê".
            joined=Text(analyzer=vi_joined, search_analyzer=vi_folded),
            sayt=SearchAsYouType(analyzer=vi_folded),
            kw=Keyword(normalizer=vi_kw, ignore_above=256),
        ),
    )
    mapping.field("description", _text(exact=Text(analyzer=vi_exact)))
    mapping.field("meta", _text())  # category, commune and seller names
    mapping.field("kind", Keyword())
    mapping.field("category_id", Long())
    mapping.field("category_path", Keyword())
    mapping.field("category_ancestors", Keyword())  # every ancestor path, itself included
    mapping.field("category_name", Keyword(fields={"sayt": SearchAsYouType(analyzer=vi_folded)}))
    mapping.field("commune_id", Long())
    mapping.field("seller_id", Long())
    mapping.field("price_min", Long())
    mapping.field("price_max", Long())
    mapping.field("ocop_stars", Short())
    mapping.field("in_stock", Boolean())
    mapping.field("rating", Short())  # whole stars of the shrunk rating score
    mapping.field("created_at", Date())
    mapping.field("fingerprint", Keyword(index=False))
    return index


def index_body() -> dict[str, Any]:
    """Settings + mappings of a physical index (what `indices.create` receives)."""
    body: dict[str, Any] = _index("chophien-products").to_dict()
    return body


def document_source(doc: SearchDocument) -> dict[str, Any]:
    parts = doc.category_path.split("/")
    return {
        "id": doc.id,
        "name": doc.name,
        "description": doc.description,
        "meta": " ".join(p for p in (doc.category_name, doc.commune_name, doc.seller_name) if p),
        "kind": doc.kind,
        "category_id": doc.category_id,
        "category_path": doc.category_path,
        "category_ancestors": ["/".join(parts[: i + 1]) for i in range(len(parts))] if doc.category_path else [],
        "category_name": doc.category_name,
        "commune_id": doc.commune_id,
        "seller_id": doc.seller_id,
        # A product priced from X only (no max) still overlaps ranges above X; keep ranges closed.
        "price_min": doc.price_min if doc.price_min is not None else doc.price_max,
        "price_max": doc.price_max if doc.price_max is not None else doc.price_min,
        "ocop_stars": doc.ocop_stars,
        "in_stock": doc.in_stock,
        "rating": doc.rating,
        "created_at": doc.created_at.isoformat(),
        "fingerprint": doc.fingerprint,
    }


# --- query bodies -----------------------------------------------------------------------------------------------


def filter_clauses(filters: SearchFilters) -> list[Query]:
    clauses: list[Query] = []
    if filters.kind:
        clauses.append(Q("term", kind=filters.kind))
    if filters.category_path:
        clauses.append(Q("term", category_ancestors=filters.category_path))
    if filters.seller_id is not None:
        clauses.append(Q("term", seller_id=filters.seller_id))
    if filters.commune_id is not None:
        clauses.append(Q("term", commune_id=filters.commune_id))
    # The product's [price_min, price_max] overlaps the wanted [price_min, price_max].
    if filters.price_min is not None:
        clauses.append(Q("range", price_max={"gte": filters.price_min}))
    if filters.price_max is not None:
        clauses.append(Q("range", price_min={"lte": filters.price_max}))
    if filters.ocop_stars_min is not None:
        clauses.append(Q("range", ocop_stars={"gte": filters.ocop_stars_min}))
    if filters.in_stock is not None:
        clauses.append(Q("term", in_stock=filters.in_stock))
    if filters.rating_min is not None:
        clauses.append(Q("range", rating={"gte": filters.rating_min}))
    return clauses


def query_text(query: str) -> str:
    """What reaches the engine: the user's words only (NFC, lower-cased, accents kept, punctuation and Lucene
    syntax dropped, at most 12 words). Every analyzer lowercases anyway; the accents feed `name.exact`."""
    return " ".join(exact_tokens(clean_query(query)))


def _text_query(text: str, fuzzy: bool) -> tuple[list[Query], list[Query]]:
    """(must, should) for a query with at least one word."""
    words = tokens(text)
    if fuzzy:
        # cross_fields refuses fuzziness, so AND is spelled out: every word must match (fuzzily) in some field.
        # name.joined (bigrams glued together) catches words run together: "caphe" → "cà phê".
        must = [
            Q(
                "multi_match",
                query=word,
                fields=FUZZY_FIELDS,
                fuzziness="AUTO",
                prefix_length=1,
                max_expansions=50,
            )
            for word in words
        ]
    else:
        must = [
            Q(
                "dis_max",
                queries=[
                    # Every word in name, description or meta (commune, category, seller)...
                    Q("multi_match", query=text, type="cross_fields", operator="and", fields=TEXT_FIELDS),
                    # ...or the name as typed so far: the last word is a prefix ("ca ph", "dâu t").
                    Q("multi_match", query=text, type="bool_prefix", operator="and", fields=SAYT_FIELDS),
                ],
            )
        ]
    # Constant boosts: BM25 on a phrase would outweigh the kind intent (same weights as the embedded backend).
    should = [
        Q("constant_score", filter=Q("match_phrase", name=text), boost=PHRASE_BOOST),
        Q("constant_score", filter=Q("match_phrase", name={"query": text, "slop": 2}), boost=NEAR_BOOST),
    ]
    if has_diacritics(text):
        should.append(Q("match", **{"name.exact": {"query": text, "boost": EXACT_BOOST}}))
    should.append(Q("prefix", **{"name.kw": {"value": " ".join(words), "boost": PREFIX_BOOST}}))
    kind = "EXPERIENCE" if experience_intent(words) else "GOODS"
    should.append(Q("constant_score", filter=Q("term", kind=kind), boost=KIND_BOOST))
    return must, should


def search_body(
    query: str,
    filters: SearchFilters,
    offset: int,
    limit: int,
    fuzzy: bool = False,
    with_facets: bool = True,
) -> dict[str, Any]:
    text = query_text(query)
    if text:
        must, should = _text_query(text, fuzzy)
        base = Q("bool", must=must, should=should, filter=filter_clauses(filters))
    else:
        base = Q("bool", must=[Q("match_all")], filter=filter_clauses(filters))
    scored = Q(
        "function_score",
        query=base,
        functions=[
            {"field_value_factor": {"field": "ocop_stars", "factor": 1, "modifier": "log1p", "missing": 0}},
            {"filter": {"term": {"in_stock": True}}, "weight": IN_STOCK_WEIGHT},
        ],
        score_mode="sum",
        boost_mode="sum",
    )
    offset = max(0, min(offset, MAX_RESULT_WINDOW))
    limit = max(0, min(limit, MAX_RESULT_WINDOW - offset))
    body: dict[str, Any] = {
        "query": scored.to_dict(),
        "from": offset,
        "size": limit,
        "sort": SORT,
        "track_total_hits": True,
        "_source": False,
    }
    if with_facets:
        body["aggs"] = {
            facet: A("terms", field=FACET_FIELDS[facet], size=FACET_SIZES[facet]).to_dict() for facet in FACETS
        }
    return body


def suggest_body(query: str, limit: int) -> dict[str, Any]:
    query = query_text(query)
    words = tokens(query)
    products = Q(
        "bool",
        must=[Q("multi_match", query=query, type="bool_prefix", operator="and", fields=SAYT_FIELDS)],
        should=[Q("prefix", **{"name.kw": {"value": " ".join(words), "boost": PREFIX_BOOST}})],
    )
    categories = A(
        "global",
        aggs={
            "matching": A(
                "filter",
                Q("multi_match", query=query, type="bool_prefix", operator="and", fields=CATEGORY_SAYT_FIELDS),
                aggs={"names": A("terms", field="category_name", size=limit)},
            )
        },
    )
    return {
        "query": products.to_dict(),
        "size": limit * 2,  # names repeat across origins/variants; deduplicated in Python
        "_source": ["name"],
        "aggs": {"categories": categories.to_dict()},
    }


# --- the backend -----------------------------------------------------------------------------------------------


def _unavailable(exc: Exception) -> bool:
    if isinstance(exc, ApiError):
        return exc.meta.status >= 500 or exc.meta.status == 429
    if isinstance(exc, TransportError):  # ConnectionError, ConnectionTimeout, no status at all
        return True
    if isinstance(exc, BulkIndexError):
        return any(_item_status(e) >= 500 or _item_status(e) == 429 for e in exc.errors)
    return False


def _item_status(item: dict[str, Any]) -> int:
    for result in item.values():
        if isinstance(result, dict):
            return int(result.get("status", 500))
    return 500


class ElasticsearchBackend:
    name = "elasticsearch"

    def __init__(self, url: str, index_prefix: str = "chophien-products", timeout: float = 2.0) -> None:
        self.url = url
        self.alias = index_prefix
        self.timeout = timeout
        self._client: Any = None

    # -- plumbing

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = Elasticsearch(self.url, request_timeout=self.timeout, retry_on_timeout=False, max_retries=0)
        return self._client

    def _call(self, fn: Callable[[], T]) -> T:
        try:
            return fn()
        except SearchUnavailable:
            raise
        except (ApiError, TransportError, BulkIndexError) as exc:
            if _unavailable(exc):
                raise SearchUnavailable(f"elasticsearch at {self.url}: {exc}") from exc
            raise

    def new_index_name(self) -> str:
        return f"{self.alias}-{datetime.now(UTC).strftime('%Y%m%d%H%M%S%f')}"

    def _current_indices(self) -> list[str]:
        if not self.client.indices.exists_alias(name=self.alias):
            return []
        return sorted(self.client.indices.get_alias(name=self.alias).keys())

    def _create_index(self, name: str, loading: bool = False) -> None:
        body = index_body()
        settings = dict(body["settings"])
        if loading:
            settings.update(refresh_interval="-1", number_of_replicas=0)
        self.client.indices.create(index=name, settings=settings, mappings=body["mappings"])

    def _ensure_alias(self) -> None:
        if self.client.indices.exists_alias(name=self.alias):
            return
        name = self.new_index_name()
        self._create_index(name)
        self.client.indices.update_aliases(actions=[{"add": {"index": name, "alias": self.alias}}])
        # Two processes may have raced to create the first index: the oldest one wins, the others step back
        # (nothing has been written to them yet).
        behind = self._current_indices()
        if len(behind) > 1 and name != behind[0]:
            self.client.indices.update_aliases(actions=[{"remove": {"index": name, "alias": self.alias}}])
            self.client.indices.delete(index=name, ignore_unavailable=True)

    def _bulk(self, actions: Iterable[dict[str, Any]], **kwargs: Any) -> None:
        helpers.bulk(self.client, actions, chunk_size=500, **kwargs)

    # -- writes

    def index(self, documents: Iterable[SearchDocument]) -> None:
        docs = list(documents)
        if not docs:
            return

        def run() -> None:
            self._ensure_alias()
            self._bulk(
                ({"_op_type": "index", "_index": self.alias, "_id": d.id, "_source": document_source(d)} for d in docs),
                refresh="wait_for",
                require_alias=True,  # never let ES auto-create a concrete index with a dynamic mapping
            )

        self._call(run)

    def delete(self, ids: Iterable[int]) -> None:
        wanted = list(ids)
        if not wanted:
            return

        def run() -> None:
            if not self.client.indices.exists_alias(name=self.alias):
                return
            self._bulk(
                ({"_op_type": "delete", "_index": self.alias, "_id": i} for i in wanted),
                ignore_status=(404,),
                refresh="wait_for",
            )

        self._call(run)

    def reindex(self, documents: Iterable[SearchDocument]) -> None:
        def actions(name: str) -> Iterator[dict[str, Any]]:
            for d in documents:
                yield {"_op_type": "index", "_index": name, "_id": d.id, "_source": document_source(d)}

        def run() -> None:
            client = self.client
            name = self.new_index_name()
            old: list[str] = []
            self._create_index(name, loading=True)
            try:
                self._bulk(actions(name))
                settings = index_body()["settings"]
                client.indices.put_settings(
                    index=name,
                    settings={"refresh_interval": None, "number_of_replicas": settings["number_of_replicas"]},
                )
                client.indices.refresh(index=name)
                old = self._current_indices()
                swap: list[dict[str, Any]] = [{"remove": {"index": o, "alias": self.alias}} for o in old]
                if not old and client.indices.exists(index=self.alias):
                    # A concrete index squats the alias name (auto-created by a stray write): drop it in the swap.
                    swap.append({"remove_index": {"index": self.alias}})
                swap.append({"add": {"index": name, "alias": self.alias}})
                # One atomic call: readers see either the old or the new index, never none.
                client.indices.update_aliases(actions=swap)
            except BaseException:
                # Best-effort cleanup of the half-built index; the original error is what matters.
                with contextlib.suppress(Exception):
                    client.indices.delete(index=name, ignore_unavailable=True)
                raise
            for o in old:
                client.indices.delete(index=o, ignore_unavailable=True)

        self._call(run)

    def clear(self) -> None:
        def run() -> None:
            with contextlib.suppress(NotFoundError):
                self.client.delete_by_query(
                    index=self.alias, query={"match_all": {}}, refresh=True, conflicts="proceed"
                )

        self._call(run)

    # -- reads

    def _search(self, body: dict[str, Any]) -> dict[str, Any]:
        try:
            response: Any = self.client.search(index=self.alias, body=body)
        except NotFoundError as exc:  # no index (never built, or deleted): answer from the database, rebuild
            raise IndexDamaged(f"elasticsearch at {self.url}: no index behind {self.alias}") from exc
        return dict(response)

    def search(
        self, *, query: str, filters: SearchFilters, offset: int, limit: int, with_facets: bool = True
    ) -> SearchResults:
        def run() -> SearchResults:
            body = search_body(query, filters, offset, limit, with_facets=with_facets)
            response = self._search(body)
            if _total(response) < FUZZY_BELOW and query_text(query):
                fuzzy = self._search(search_body(query, filters, offset, limit, fuzzy=True, with_facets=with_facets))
                if _total(fuzzy) > _total(response):
                    response = fuzzy
            return _results(response, with_facets)

        return self._call(run)

    def suggest(self, *, query: str, limit: int) -> list[Suggestion]:
        query = query_text(query)
        if len(fold(query)) < 2 or limit <= 0:
            return []

        def run() -> list[Suggestion]:
            response = self._search(suggest_body(query, limit))
            categories = [
                Suggestion(text=str(b["key"]))
                for b in response["aggregations"]["categories"]["matching"]["names"]["buckets"]
            ][: min(2, limit)]
            seen = {fold(s.text) for s in categories}
            products: list[Suggestion] = []
            for hit in response["hits"]["hits"]:
                text = hit["_source"]["name"]
                if fold(text) not in seen:
                    seen.add(fold(text))
                    products.append(Suggestion(text=text, product_id=int(hit["_id"])))
            # Products first, keeping room for the (at most two) matching categories.
            return products[: limit - len(categories)] + categories

        return self._call(run)

    def document_count(self) -> int | None:
        def run() -> int | None:
            if not self.client.indices.exists_alias(name=self.alias):
                return None
            return int(self.client.count(index=self.alias)["count"])

        return self._call(run)

    def fingerprints(self) -> dict[int, str]:
        def run() -> dict[int, str]:
            if not self.client.indices.exists_alias(name=self.alias):
                return {}
            return {
                int(hit["_id"]): hit["_source"].get("fingerprint", "")
                for hit in helpers.scan(
                    self.client,
                    index=self.alias,
                    query={"query": {"match_all": {}}, "_source": ["fingerprint"]},
                    size=1000,
                )
            }

        return self._call(run)


def _total(response: dict[str, Any]) -> int:
    return int(response["hits"]["total"]["value"])


def _results(response: dict[str, Any], with_facets: bool) -> SearchResults:
    hits = [SearchHit(id=int(h["_id"]), score=float(h.get("_score") or 0.0)) for h in response["hits"]["hits"]]
    facets: dict[str, list[FacetCount]] = {}
    if with_facets:
        aggs = response.get("aggregations", {})
        for facet in FACETS:
            buckets = aggs.get(facet, {}).get("buckets", [])
            facets[facet] = [FacetCount(value=str(b["key"]), count=int(b["doc_count"])) for b in buckets]
    return SearchResults(hits=hits, total=_total(response), facets=facets)
