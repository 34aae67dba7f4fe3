"""GraphQL conventions every domain relies on: limits, errors, transport."""

import pytest

pytestmark = pytest.mark.django_db

COMMUNES = """
query Communes($first: Int, $after: String) {
  communes(province: "lam-dong", first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id name province { name } } }
  }
}
"""


def test_first_above_100_is_an_error_not_a_silent_cut(gql, regions) -> None:
    result = gql(COMMUNES, {"first": 101})
    assert result.errors
    assert "100" in result.errors[0]["message"]
    assert gql(COMMUNES, {"first": 100}).data["communes"]["totalCount"] >= 100


def test_depth_limit_rejects_before_execution(gql, settings, regions, django_assert_num_queries) -> None:
    settings.GRAPHQL_MAX_DEPTH = 4
    with django_assert_num_queries(0):
        result = gql(COMMUNES, {"first": 5})
    assert result.status == 400
    assert result.errors[0]["extensions"]["code"] == "QUERY_TOO_DEEP"


def test_cost_limit_counts_page_sizes_from_variables(gql, settings, regions) -> None:
    settings.GRAPHQL_MAX_COST = 300
    assert gql(COMMUNES, {"first": 10}).status == 200
    expensive = gql(COMMUNES, {"first": 100})
    assert expensive.status == 400
    assert expensive.errors[0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"


def test_unexpected_exception_is_logged_and_answered_generically(gql, regions, monkeypatch, caplog) -> None:
    from storefront_api.regions import queries

    def explode(*args, **kwargs):
        raise RuntimeError("secret internals: password=hunter2")

    monkeypatch.setattr(queries, "communes_list", explode)
    result = gql(COMMUNES, {"first": 5}, headers={"X-Request-ID": "req-test-12345"})
    assert result.status == 200
    error = result.errors[0]
    assert error["extensions"] == {"code": "INTERNAL_ERROR", "requestId": "req-test-12345"}
    assert "hunter2" not in str(result.json)
    assert "Traceback" not in str(result.json)
    assert any("hunter2" in str(record.exc_info) for record in caplog.records if record.exc_info)


def test_parse_errors_and_bad_bodies_are_400(client) -> None:
    assert client.post("/graphql/", "{not json", content_type="application/json").status_code == 400
    response = client.post("/graphql/", {"query": "{ communes {"}, content_type="application/json")
    assert response.status_code == 400
    assert "Syntax Error" in response.json()["errors"][0]["message"]
    assert client.post("/graphql/", {"variables": {}}, content_type="application/json").status_code == 400


def test_get_serves_graphiql_in_the_browser(client) -> None:
    response = client.get("/graphql/", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert b"graphiql" in response.content.lower()


def test_multipart_request_is_understood(client, regions) -> None:
    import json

    operations = json.dumps({"query": "{ provinces { slug } }", "variables": {}})
    response = client.post("/graphql/", {"operations": operations, "map": "{}"})
    assert response.status_code == 200
    assert {"slug": "lam-dong"} in response.json()["data"]["provinces"]


def test_session_cookie_does_not_authenticate_graphql(client, make_user) -> None:
    user = make_user(email="cookie@example.vn")
    client.force_login(user)
    response = client.post("/graphql/", {"query": "{ me { email } }"}, content_type="application/json")
    assert response.json()["data"]["me"] is None
