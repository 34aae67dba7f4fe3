"""The Elasticsearch index definition and request bodies (pure functions of their inputs, tested
offline byte for byte in tests/search/test_elasticsearch_offline.py); `search.elasticsearch` sends them."""

from __future__ import annotations

from typing import Any

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

from search.base import (
    FACETS,
    SearchDocument,
    SearchFilters,
)
from search.folding import clean_query, exact_tokens, experience_intent, has_diacritics, tokens

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
FACET_SIZES = {"category": 100, "commune": 20, "kind": 5, "ocop_stars": 6, "province": 34}
FACET_FIELDS = {
    "category": "category_id",
    "commune": "commune_id",
    "kind": "kind",
    "ocop_stars": "ocop_stars",
    "province": "province_id",
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
    mapping.field("province_id", Long())
    mapping.field("price_min", Long())
    mapping.field("price_max", Long())
    mapping.field("ocop_stars", Short())
    mapping.field("in_stock", Boolean())
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
        "province_id": doc.province_id,
        # A product priced from X only (no max) still overlaps ranges above X; keep ranges closed.
        "price_min": doc.price_min if doc.price_min is not None else doc.price_max,
        "price_max": doc.price_max if doc.price_max is not None else doc.price_min,
        "ocop_stars": doc.ocop_stars,
        "in_stock": doc.in_stock,
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
    if filters.province_id is not None:
        clauses.append(Q("term", province_id=filters.province_id))
    # The product's [price_min, price_max] overlaps the wanted [price_min, price_max].
    if filters.price_min is not None:
        clauses.append(Q("range", price_max={"gte": filters.price_min}))
    if filters.price_max is not None:
        clauses.append(Q("range", price_min={"lte": filters.price_max}))
    if filters.ocop_stars_min is not None:
        clauses.append(Q("range", ocop_stars={"gte": filters.ocop_stars_min}))
    if filters.in_stock is not None:
        clauses.append(Q("term", in_stock=filters.in_stock))
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
