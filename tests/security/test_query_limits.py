"""GraphQL cost limits that count every alias and every field, and anonymous per-IP rate limits.

Finding 3 of issue 14: 8,000 aliases of `provinces { name code }` (~10 s, 18 MB) and 3,000 aliases
of `legacyAddressConvert` (~11 s) were answered to anonymous visitors. Each layer (token count,
alias cap, cost) refuses them on its own, before execution (no database query).
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from graphql import OperationDefinitionNode, parse

from storefront_api.core.limits import estimate
from storefront_api.schema import schema
from tests.accounts import operations as account_operations
from tests.catalog import operations as catalog_operations
from tests.checkout import operations as checkout_operations
from tests.conftest import GQL
from tests.experiences import operations as experience_operations
from tests.orders import operations as order_operations
from tests.reports.test_dashboard import DASHBOARD
from tests.sellers import operations as seller_operations

pytestmark = pytest.mark.django_db


def province_aliases(count: int) -> str:
    return "{ " + " ".join(f"p{n}: provinces {{ name code }}" for n in range(count)) + " }"


def convert_aliases(count: int) -> str:
    field = 'legacyAddressConvert(ward: "P. 7", district: "TP Đà Lạt", province: "Lâm Đồng") { commune { name } }'
    return "{ " + " ".join(f"c{n}: {field}" for n in range(count)) + " }"


PROVINCE_ALIASES = province_aliases(8000)
CONVERT_ALIASES = convert_aliases(3000)
# Smaller copies for the layers behind the token limit (parsing 8,000 aliases is what takes time).
LAYERED = [province_aliases(1000), convert_aliases(1000)]


def _refused_before_execution(
    gql: GQL, query: str, django_assert_num_queries: Any, *, within_seconds: float | None = 1.0
) -> dict[str, Any]:
    started = time.perf_counter()
    with django_assert_num_queries(0):
        result = gql(query)
    elapsed = time.perf_counter() - started
    assert result.status == 400
    assert result.data is None
    # Generous for a shared test machine; the real figure is a few milliseconds.
    assert within_seconds is None or elapsed < within_seconds, f"refused in {elapsed:.2f} s"
    return result.errors[0]


@pytest.mark.parametrize("query", [PROVINCE_ALIASES, CONVERT_ALIASES], ids=["provinces", "legacyAddressConvert"])
def test_the_amplification_documents_of_the_issue_are_refused_fast(
    gql: GQL, query: str, django_assert_num_queries: Any
) -> None:
    error = _refused_before_execution(gql, query, django_assert_num_queries)
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"


@pytest.mark.parametrize("query", LAYERED, ids=["provinces", "legacyAddressConvert"])
def test_the_alias_cap_refuses_them_without_the_token_limit(
    gql: GQL, settings: Any, query: str, django_assert_num_queries: Any
) -> None:
    settings.GRAPHQL_MAX_QUERY_LENGTH = settings.GRAPHQL_MAX_TOKENS = 10_000_000  # parsing is the slow part
    error = _refused_before_execution(gql, query, django_assert_num_queries, within_seconds=None)
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "aliases" in error["message"]


@pytest.mark.parametrize("query", LAYERED, ids=["provinces", "legacyAddressConvert"])
def test_the_cost_refuses_them_without_token_and_alias_limits(
    gql: GQL, settings: Any, query: str, django_assert_num_queries: Any
) -> None:
    settings.GRAPHQL_MAX_QUERY_LENGTH = settings.GRAPHQL_MAX_TOKENS = 10_000_000
    settings.GRAPHQL_MAX_ALIASES = 10_000_000
    error = _refused_before_execution(gql, query, django_assert_num_queries, within_seconds=None)
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "expensive" in error["message"]


def test_repeating_a_root_field_without_aliases_is_counted_each_time(gql: GQL, regions: None) -> None:
    once = gql("{ provinces { name code } }")
    assert once.status == 200 and len(once.data["provinces"]) == 34
    repeated = gql("{ " + "provinces { name code } " * 800 + "}")
    assert repeated.status == 400
    assert repeated.errors[0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"


def test_a_few_aliases_are_fine(gql: GQL, regions: None) -> None:
    result = gql('{ a: provinces { code } b: communes(province: "lam-dong", first: 2) { totalCount } }')
    assert result.status == 200 and result.data["b"]["totalCount"] == 124


def test_expensive_root_fields_weigh_more_than_their_fields() -> None:
    cheap = estimate(parse("{ provinces { name } }"), operation_name=None, variables={}, schema=schema.graphql_schema)
    convert = estimate(
        parse('{ legacyAddressConvert(ward: "a", district: "b", province: "c") { commune { name } } }'),
        operation_name=None,
        variables={},
        schema=schema.graphql_schema,
    )
    assert cheap is not None and convert is not None
    assert convert.cost >= 100 > cheap.cost


def test_too_many_tokens_are_refused_before_parsing_further(gql: GQL, django_assert_num_queries: Any) -> None:
    query = "{ provinces { " + "name " * 2500 + "} }"  # short enough, but 2,500 tokens
    error = _refused_before_execution(gql, query, django_assert_num_queries)
    assert error == {
        "message": "Query is too long: more than 2000 tokens.",
        "extensions": {"code": "QUERY_TOO_COMPLEX"},
    }


def test_nested_fragments_cannot_make_the_count_itself_explode(gql: GQL, django_assert_num_queries: Any) -> None:
    """Each fragment spreads the next twice: 2^40 fields on paper, counted in a blink."""
    levels = 40
    fragments = (
        "".join(f"fragment F{n} on Province {{ ...F{n + 1} ...F{n + 1} }} " for n in range(levels))
        + f"fragment F{levels} on Province {{ name }}"
    )
    error = _refused_before_execution(gql, "{ provinces { ...F0 } } " + fragments, django_assert_num_queries)
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"


# --- the documents the web pages and the apps send stay well under budget ----------------------

PAGE_DOCUMENTS = {
    "home grid": """query { products(first: 24) { totalCount edges { node { id name slug ocopStars
      thumbnail(size: 256) { url width height } pricing { priceMin { amount } priceMax { amount } }
      seller { name slug commune { name } } commune { name } } } }
      categories(first: 50) { edges { node { id name slug } } } }""",
    "product page": """query($slug: String!) { product(slug: $slug) { id name description kind ocopStars harvestMonths
      seller { name slug commune { name } } commune { name } category { name }
      images { url alt width height } thumbnail(size: 512) { url width height }
      pricing { priceMin { amount } priceMax { amount } }
      variants { id sku name price { amount } quantityAvailable } } }""",
    "search page": """query($q: String!) { search(query: $q, first: 20) { totalCount
      edges { node { id name slug thumbnail(size: 256) { url } pricing { priceMin { amount } } seller { name }
      commune { name } ocopStars } } facets { name values { value label count } } } }""",
    "type-ahead": """query($q: String!) { searchSuggest(query: $q, first: 8) { kind text } }""",
    "province dashboard": DASHBOARD,
}


def _documents() -> dict[str, str]:
    found = dict(PAGE_DOCUMENTS)
    for module in (
        account_operations,
        catalog_operations,
        checkout_operations,
        order_operations,
        experience_operations,
        seller_operations,
    ):
        for name, value in vars(module).items():
            if name.isupper() and isinstance(value, str) and ("query" in value or "mutation" in value):
                try:
                    document = parse(value)
                except Exception:  # noqa: BLE001 - fragments and other partial texts
                    continue
                operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
                if len(operations) == 1:
                    found[f"{module.__name__.split('.')[1]}.{name}"] = value
    return found


def test_the_pages_own_documents_stay_well_under_budget(settings: Any) -> None:
    documents = _documents()
    assert len(documents) > 40
    costs = {}
    for name, text in documents.items():
        found = estimate(parse(text), operation_name=None, variables={}, schema=schema.graphql_schema)
        assert found is not None, name
        costs[name] = found.cost
        assert found.depth <= settings.GRAPHQL_MAX_DEPTH, name
    over = {name: cost for name, cost in costs.items() if cost > settings.GRAPHQL_MAX_COST // 2}
    assert not over, over


# --- anonymous per-IP rate limits -------------------------------------------------------------


def test_anonymous_requests_per_ip_are_limited_with_a_429(
    gql: GQL, regions: None, settings: Any, make_user: Any
) -> None:
    settings.GRAPHQL_ANON_REQUESTS_PER_MINUTE = 3
    answers = [gql("{ provinces { code } }", remote_addr="203.0.113.7") for _ in range(4)]
    assert [a.status for a in answers] == [200, 200, 200, 429]
    assert answers[3].errors[0]["extensions"]["code"] == "THROTTLED"
    assert gql("{ provinces { code } }", remote_addr="203.0.113.8").status == 200  # another address
    user = make_user()
    assert gql("{ provinces { code } }", user=user, remote_addr="203.0.113.7").status == 200  # signed in


def test_anonymous_cost_per_ip_is_limited(gql: GQL, regions: None, settings: Any, client: Any) -> None:
    settings.GRAPHQL_ANON_COST_PER_MINUTE = 200
    query = "{ provinces { code name } }"  # 69 points
    statuses = [gql(query, remote_addr="203.0.113.9").status for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.post("/graphql/", {"query": query}, content_type="application/json", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429 and response["Retry-After"] == "60"


# --- production defaults ------------------------------------------------------------------------


def test_introspection_is_refused_when_off(gql: GQL, settings: Any) -> None:
    settings.GRAPHQL_INTROSPECTION = False
    result = gql("{ __schema { types { name } } }")
    assert result.status == 400 and "introspection" in result.errors[0]["message"].lower()
    settings.GRAPHQL_INTROSPECTION = True
    assert gql("{ __schema { queryType { name } } }").data == {"__schema": {"queryType": {"name": "Query"}}}


def test_graphiql_is_not_served_when_off(client: Any, settings: Any) -> None:
    settings.GRAPHQL_GRAPHIQL = False
    assert client.get("/graphql/", headers={"Accept": "text/html"}).status_code == 405
    settings.GRAPHQL_GRAPHIQL = True
    answer = client.get("/graphql/", headers={"Accept": "text/html"})
    assert answer.status_code == 200
    # Served from our own static files under the site's policy: no inline or foreign script.
    policy = answer["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "http" not in script_src
