"""The search backend interface shared by the embedded (tantivy) and
Elasticsearch implementations. Both index the same `SearchDocument`s, built
from the database by `search.documents`, and answer the same questions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

# Facet names every backend computes (counts over the filtered result).
FACETS = ("category", "commune", "kind", "ocop_stars", "province")


@dataclass(frozen=True)
class SearchDocument:
    """One visible product as search sees it. Invisible products are not indexed."""

    id: int
    name: str
    description: str
    kind: str  # "GOODS" | "EXPERIENCE"
    category_id: int
    category_path: str  # "trai-cay/dau-tay": filters match a prefix (descendants)
    category_name: str
    commune_id: int
    commune_name: str
    seller_id: int
    seller_name: str
    price_min: int | None
    price_max: int | None
    ocop_stars: int | None
    in_stock: bool
    created_at: datetime
    # A digest of everything above: the reconcile task compares it with the index.
    fingerprint: str = ""
    province_id: int = 0  # the seller's province (a seller belongs to its commune's)


@dataclass(frozen=True)
class SearchFilters:
    kind: str | None = None
    category_path: str | None = None
    seller_id: int | None = None
    commune_id: int | None = None
    price_min: int | None = None
    price_max: int | None = None
    ocop_stars_min: int | None = None
    in_stock: bool | None = None
    province_id: int | None = None


@dataclass(frozen=True)
class SearchHit:
    id: int
    score: float


@dataclass(frozen=True)
class FacetCount:
    value: str  # the id (category, commune, province), kind or star count as text
    count: int


@dataclass
class SearchResults:
    hits: list[SearchHit]
    total: int
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)


@dataclass(frozen=True)
class Suggestion:
    text: str
    product_id: int | None = None  # None for a category suggestion


class SearchUnavailable(Exception):
    """The engine cannot be reached or timed out; callers degrade to the database."""


class IndexDamaged(SearchUnavailable):
    """There is no index, or it cannot be read: callers degrade to the database and ask for a rebuild."""


class SearchBackend(Protocol):
    name: str

    def index(self, documents: Iterable[SearchDocument]) -> None:
        """Add or replace documents (bulk)."""

    def delete(self, ids: Iterable[int]) -> None:
        """Remove documents; unknown ids are ignored."""

    def search(
        self, *, query: str, filters: SearchFilters, offset: int, limit: int, with_facets: bool = True
    ) -> SearchResults:
        """Ranked hits for a (possibly empty) query, the total, and facet counts over the filtered result."""

    def suggest(self, *, query: str, limit: int) -> list[Suggestion]:
        """Type-ahead from 2 characters: product names and categories, diacritics optional."""

    def reindex(self, documents: Iterable[SearchDocument]) -> None:
        """Rebuild from scratch into a new index and swap it in atomically."""

    def fingerprints(self) -> dict[int, str]:
        """id → fingerprint of every indexed document (for drift reconciliation)."""

    def document_count(self) -> int | None:
        """Documents in the live index; None when there is no index (raises IndexDamaged when unreadable)."""

    def clear(self) -> None:
        """Drop every document (tests, local resets)."""
