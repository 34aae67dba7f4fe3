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
from search.elasticsearch_bodies import (  # noqa: F401  (the request bodies, imported from here by tests)
    FUZZY_BELOW,
    SORT,
    SYNONYMS,
    document_source,
    index_body,
    query_text,
    search_body,
    suggest_body,
)
from search.folding import fold

T = TypeVar("T")


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
