"""The embedded backend's tantivy side: schema, document mapping and query building.

All queries are built programmatically from folded tokens: user text is never parsed as query
syntax. Weights are BM25-relative boosts tuned on the relevance suite (tests/search/test_relevance.py).
"""

from __future__ import annotations

from typing import Any

import tantivy

from search.base import FacetCount, SearchDocument, SearchFilters
from search.folding import exact_tokens, experience_intent, fuzzy_distance, has_diacritics, joined_tokens, search_key

Q = tantivy.Query
OCCUR_MUST = tantivy.Occur.Must
OCCUR_SHOULD = tantivy.Occur.Should

FOLD = "vi_fold"
EXACT = "vi_exact"
NULL = -1
FACET_SIZE = 1000
GOODS, EXPERIENCE = "GOODS", "EXPERIENCE"

# Weights (BM25 scores per term are ~1-5 on a small catalogue).
W_NAME, W_JOINED, W_META, W_DESC = 3.0, 2.0, 1.0, 0.6
W_PHRASE = 2.0
W_NEAR = 2.0  # words in order with up to 2 words between
W_STARTS_WITH = 6.0
W_EXACT = 2.0
W_KIND = 5.0
W_IN_STOCK = 0.5
W_OCOP_STAR = 0.15


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_integer_field("id", stored=True, indexed=True, fast=True)
    sb.add_text_field("name", stored=True, tokenizer_name=FOLD)
    sb.add_text_field("name_exact", tokenizer_name=EXACT)
    sb.add_text_field("name_joined", tokenizer_name="raw")
    sb.add_text_field("name_kw", tokenizer_name="raw")  # folded name as one term: starts-with
    sb.add_text_field("description", tokenizer_name=FOLD)
    sb.add_text_field("meta", tokenizer_name=FOLD)  # commune, category, seller names
    sb.add_text_field("category_name", stored=True, tokenizer_name=FOLD)
    sb.add_text_field("category_path", tokenizer_name="raw")  # every ancestor path
    sb.add_text_field("kind", tokenizer_name="raw", fast=True)
    for field in (
        "category_id",
        "commune_id",
        "seller_id",
        "ocop_stars",
        "in_stock",
        "price_min",
        "price_max",
        "province_id",
    ):
        sb.add_integer_field(field, indexed=True, fast=True)
    sb.add_integer_field("default_rank", fast=True)  # ocop, in stock, recency for the empty query
    sb.add_text_field("fingerprint", stored=True, tokenizer_name="raw")
    return sb.build()


SCHEMA = _schema()


def _register(index: tantivy.Index) -> tantivy.Index:
    fold = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
    index.register_tokenizer(FOLD, fold.filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.ascii_fold()).build())
    exact = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
    index.register_tokenizer(EXACT, exact.filter(tantivy.Filter.lowercase()).build())
    return index


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def _to_tantivy(doc: SearchDocument) -> tantivy.Document:
    d = tantivy.Document()
    d.add_integer("id", doc.id)
    d.add_text("name", doc.name)
    d.add_text("name_exact", doc.name)
    for joined in joined_tokens(doc.name):
        d.add_text("name_joined", joined)
    d.add_text("name_kw", search_key(doc.name))
    d.add_text("description", doc.description)
    d.add_text("meta", f"{doc.commune_name} {doc.category_name} {doc.seller_name}")
    d.add_text("category_name", doc.category_name)
    for path in _ancestor_paths(doc.category_path):
        d.add_text("category_path", path)
    d.add_text("kind", doc.kind)
    d.add_integer("category_id", doc.category_id)
    d.add_integer("commune_id", doc.commune_id)
    d.add_integer("seller_id", doc.seller_id)
    d.add_integer("province_id", doc.province_id)
    stars = doc.ocop_stars if doc.ocop_stars is not None else NULL
    d.add_integer("ocop_stars", stars)
    d.add_integer("in_stock", int(doc.in_stock))
    # A product with one known price bound spans from/to it.
    low = doc.price_min if doc.price_min is not None else doc.price_max
    high = doc.price_max if doc.price_max is not None else doc.price_min
    d.add_integer("price_min", NULL if low is None else low)
    d.add_integer("price_max", NULL if high is None else high)
    created = int(doc.created_at.timestamp())
    d.add_integer("default_rank", ((max(stars, 0) * 2 + int(doc.in_stock)) * 10**11) + max(created, 0))
    d.add_text("fingerprint", doc.fingerprint)
    return d


def _term(field: str, value: Any) -> tantivy.Query:
    return Q.term_query(SCHEMA, field, value)


def _boost(query: tantivy.Query, weight: float) -> tantivy.Query:
    return Q.boost_query(query, weight)


def _filter(query: tantivy.Query) -> tantivy.Query:
    """A clause that restricts without scoring."""
    return Q.const_score_query(query, 0.0)


def _words(terms: list[str]) -> list[str | tuple[int, str]]:
    return list(terms)


def _count(result: tantivy.SearchResult) -> int:
    return int(getattr(result, "count", 0) or 0)


def _int(value: Any) -> int:
    return int(value) if value is not None else NULL


def _range(field: str, low: int | None, high: int | None) -> tantivy.Query:
    return Q.range_query(SCHEMA, field, tantivy.FieldType.Integer, low, high)


def _combine(must: list[tantivy.Query], filters: list[tantivy.Query]) -> tantivy.Query:
    return Q.boolean_query([(OCCUR_MUST, c) for c in [*must, *filters]])


def _term_alternatives(term: str, *, fuzzy: bool, last: bool, known: bool) -> tantivy.Query:
    """One query word across the fields (cross-fields AND: each word must match somewhere).

    In fuzzy mode only words missing from the vocabulary get edits (Vietnamese has
    many 3-letter syllables one edit apart: dau/dac/dak), and the last word is a prefix.
    """
    fields = (("name", W_NAME), ("description", W_DESC), ("meta", W_META))
    distance = fuzzy_distance(term) if fuzzy and not known else 0
    alternatives: list[tuple[tantivy.Occur, tantivy.Query]] = []
    for field, weight in fields:
        if fuzzy and (distance or last):
            q = Q.fuzzy_term_query(SCHEMA, field, term, distance=distance, prefix=last)
        else:
            q = _term(field, term)
        alternatives.append((OCCUR_SHOULD, _boost(q, weight)))
    alternatives.append((OCCUR_SHOULD, _boost(_term("name_joined", term), W_JOINED)))
    return Q.boolean_query(alternatives)


def _text_clauses(text: str, terms: list[str], *, fuzzy: bool, known: set[str] | None = None) -> list[tantivy.Query]:
    musts = [
        _term_alternatives(t, fuzzy=fuzzy, last=i == len(terms) - 1, known=t in (known or ()))
        for i, t in enumerate(terms)
    ]
    should: list[tantivy.Query] = []
    if len(terms) > 1:
        # Constant boosts: BM25 on a phrase would outweigh the kind intent below.
        should.append(Q.const_score_query(Q.phrase_query(SCHEMA, "name", _words(terms)), W_PHRASE))
        should.append(Q.const_score_query(Q.phrase_query(SCHEMA, "name", _words(terms), slop=2), W_NEAR))
        # "ca phe" also finds a name glued as "caphe" and vice versa via name_joined.
        should.append(_boost(_term("name_joined", "".join(terms)), W_JOINED))
    key = search_key(text)
    if key:
        should.append(Q.const_score_query(Q.phrase_prefix_query(SCHEMA, "name_kw", [key]), W_STARTS_WITH))
    if has_diacritics(text):
        for word in exact_tokens(text):
            should.append(_boost(_term("name_exact", word), W_EXACT))
    wanted_kind = EXPERIENCE if experience_intent(terms) else GOODS
    should.append(Q.const_score_query(_term("kind", wanted_kind), W_KIND))
    should.append(Q.const_score_query(_term("in_stock", 1), W_IN_STOCK))
    for stars in range(1, 6):
        should.append(Q.const_score_query(_term("ocop_stars", stars), W_OCOP_STAR * stars))
    required = Q.boolean_query([(OCCUR_MUST, m) for m in musts])
    return [Q.boolean_query([(OCCUR_MUST, required), *[(OCCUR_SHOULD, s) for s in should]])]


def _filter_clauses(filters: SearchFilters) -> list[tantivy.Query]:
    out: list[tantivy.Query] = []
    if filters.kind:
        out.append(_term("kind", filters.kind))
    if filters.category_path:
        path = "/".join(p for p in filters.category_path.strip("/").split("/") if p)
        if path:
            out.append(_term("category_path", path))
    if filters.seller_id is not None:
        out.append(_term("seller_id", int(filters.seller_id)))
    if filters.commune_id is not None:
        out.append(_term("commune_id", int(filters.commune_id)))
    if filters.province_id is not None:
        out.append(_term("province_id", int(filters.province_id)))
    if filters.price_max is not None:
        # Overlap: the product's lowest price is within the budget (unpriced products drop out).
        out.append(_range("price_min", 0, int(filters.price_max)))
    if filters.price_min is not None:
        out.append(_range("price_max", max(int(filters.price_min), 0), None))
    if filters.ocop_stars_min is not None:
        out.append(_range("ocop_stars", max(int(filters.ocop_stars_min), 0), None))
    if filters.in_stock is not None:
        out.append(_term("in_stock", int(filters.in_stock)))
    return [_filter(q) for q in out]


def _facets(searcher: tantivy.Searcher, query: tantivy.Query) -> dict[str, list[FacetCount]]:
    spec = {name: {"terms": {"field": field, "size": FACET_SIZE}} for name, field in _FACET_FIELDS.items()}
    raw = searcher.aggregate(query, spec)
    facets: dict[str, list[FacetCount]] = {}
    for name in _FACET_FIELDS:
        buckets = raw.get(name, {}).get("buckets", [])
        counts = [
            FacetCount(value=str(b["key"]), count=int(b["doc_count"]))
            for b in buckets
            if b["key"] != NULL and b["doc_count"] > 0
        ]
        counts.sort(key=lambda c: (-c.count, c.value))
        facets[name] = counts
    return facets


_TEXT_FIELDS = ("name", "description", "meta", "name_joined")
_FACET_FIELDS = {
    "category": "category_id",
    "commune": "commune_id",
    "kind": "kind",
    "ocop_stars": "ocop_stars",
    "province": "province_id",
}
