"""The /graphql/ endpoint.

A lean view over graphql-core: requests are authenticated only by `Authorization: Bearer` (never by
the session cookie, so the endpoint needs no CSRF token and cannot be driven cross-site), multipart
uploads follow the GraphQL multipart request spec, and unexpected exceptions are logged with the
request id and answered with a generic message.

Cheap checks come first, so an abusive request is refused in milliseconds: the anonymous per-IP
request rate, the document's length (GRAPHQL_MAX_QUERY_LENGTH characters) and tokens
(GRAPHQL_MAX_TOKENS), the depth, alias and cost limits (`limits.py`) and the anonymous per-IP cost
rate; only then validation (cached per query text, without introspection unless
GRAPHQL_INTROSPECTION) and execution. GraphiQL is served only
when GRAPHQL_GRAPHIQL is on (by default in development).
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

import orjson
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    execute,
    parse,
    specified_rules,
    validate,
)
from graphql.validation import NoSchemaIntrospectionCustomRule

from backend.accounts.tokens import InvalidToken, user_from_bearer
from backend.core import response_cache
from backend.core.middleware import current_request_id
from storefront_api.core import ratelimit
from storefront_api.core.execution import FastExecutionContext, is_awaitable_fast
from storefront_api.core.limits import check_limits

logger = logging.getLogger("storefront_api")


class BadRequest(Exception):
    pass


def _schema() -> GraphQLSchema:
    from storefront_api.schema import schema

    return schema.graphql_schema


@lru_cache(maxsize=512)
def parse_document(query: str, max_tokens: int) -> tuple[DocumentNode | None, GraphQLError | None]:
    try:
        return parse(query, max_lexical_tokens=max_tokens, max_comments=max_tokens), None
    except GraphQLError as error:
        if "Parsing aborted" in error.message:  # graphql-core's token limit
            message = f"Query is too long: more than {max_tokens} tokens."
            return None, GraphQLError(message, extensions={"code": "QUERY_TOO_COMPLEX"})
        return None, error


@lru_cache(maxsize=512)
def validation_errors(query: str, max_tokens: int, introspection: bool) -> tuple[GraphQLError, ...]:
    document, _error = parse_document(query, max_tokens)
    assert document is not None
    rules = specified_rules if introspection else (*specified_rules, NoSchemaIntrospectionCustomRule)
    return tuple(validate(_schema(), document, rules=rules))


# Types of resolver results that are never awaitable (skips `is_awaitable` for them).
def _parse_body(request: HttpRequest) -> dict[str, Any]:
    content_type = request.content_type or ""
    if content_type == "multipart/form-data":
        return _parse_multipart(request)
    if content_type == "application/graphql":
        return {"query": request.body.decode()}
    try:
        body = orjson.loads(request.body or b"{}")
    except orjson.JSONDecodeError:
        raise BadRequest("The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise BadRequest("Send one GraphQL operation as a JSON object.")
    return body


def _parse_multipart(request: HttpRequest) -> dict[str, Any]:
    """https://github.com/jaydenseric/graphql-multipart-request-spec"""
    try:
        operations = orjson.loads(request.POST.get("operations", ""))
        files_map = orjson.loads(request.POST.get("map", "{}"))
    except orjson.JSONDecodeError:
        raise BadRequest("Multipart `operations` and `map` must be JSON.") from None
    if not isinstance(operations, dict) or not isinstance(files_map, dict):
        raise BadRequest("Send one operation in a multipart request.")
    for file_key, paths in files_map.items():
        upload = request.FILES.get(file_key)
        if upload is None:
            raise BadRequest(f"File {file_key!r} named in `map` is missing.")
        for path in paths:
            _place(operations, path.split("."), upload)
    return operations


def _place(target: Any, path: list[str], value: Any) -> None:
    *parents, last = path
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target.get(key)
        if target is None:
            raise BadRequest("A `map` path does not exist in `operations`.")
    if isinstance(target, list):
        target[int(last)] = value
    elif isinstance(target, dict):
        target[last] = value
    else:
        raise BadRequest("A `map` path does not exist in `operations`.")


def format_error(error: GraphQLError) -> dict[str, Any]:
    original = error.original_error
    if original is not None and not isinstance(original, GraphQLError):
        request_id = current_request_id()
        logger.error("Unhandled error in GraphQL resolver", exc_info=original)
        return {
            "message": f"Internal server error. Please quote request id {request_id} when reporting it.",
            "path": error.path,
            "extensions": {"code": "INTERNAL_ERROR", "requestId": request_id},
        }
    return dict(error.formatted)


def _json(payload: dict[str, Any], status: int = 200) -> HttpResponse:
    return HttpResponse(orjson.dumps(payload), status=status, content_type="application/json")


@method_decorator(csrf_exempt, name="dispatch")
class StorefrontGraphQLView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        if "text/html" in request.headers.get("Accept", "") and settings.GRAPHQL_GRAPHIQL:
            # GraphiQL from this project's own static files (storefront_api/static/graphiql/): it
            # works offline, loads no script from another site and runs no inline script; React
            # and CodeMirror add <style> elements at run time and its stylesheet embeds its fonts as
            # data: URLs, so only styles and fonts are relaxed here.
            response = render(request, "storefront_api/graphiql.html", {"endpoint": request.path})
            response._csp_update = {  # type: ignore[attr-defined]
                "style-src": ["'unsafe-inline'"],
                "font-src": ["data:"],
            }
            return response
        return HttpResponseNotAllowed(["POST"], "Send GraphQL operations with POST.")

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            request.user = user_from_bearer(request.headers.get("Authorization", "")) or AnonymousUser()
        except InvalidToken as exc:
            error = {"message": str(exc.details[0].message), "extensions": {"code": exc.code}}
            return _json({"errors": [error]}, status=401)
        try:
            body = _parse_body(request)
        except BadRequest as exc:
            return _json({"errors": [{"message": str(exc)}]}, status=400)
        query = body.get("query")
        variables = body.get("variables") or {}
        operation_name = body.get("operationName") or None
        if not isinstance(query, str) or not query.strip():
            return _json({"errors": [{"message": "Must provide a query string."}]}, status=400)
        if not isinstance(variables, dict):
            return _json({"errors": [{"message": "`variables` must be an object."}]}, status=400)

        if not ratelimit.request_allowed(request):
            return ratelimit.throttled_response()
        if len(query) > settings.GRAPHQL_MAX_QUERY_LENGTH:
            message = f"Query is too long: more than {settings.GRAPHQL_MAX_QUERY_LENGTH} characters."
            return _json({"errors": [{"message": message, "extensions": {"code": "QUERY_TOO_COMPLEX"}}]}, status=400)
        document, parse_error = parse_document(query, settings.GRAPHQL_MAX_TOKENS)
        if document is None:
            return _json({"errors": [parse_error.formatted if parse_error else {}]}, status=400)
        limit_errors, cost = check_limits(
            document,
            operation_name=operation_name,
            variables=variables,
            max_depth=settings.GRAPHQL_MAX_DEPTH,
            max_cost=settings.GRAPHQL_MAX_COST,
            max_aliases=settings.GRAPHQL_MAX_ALIASES,
            schema=_schema(),
        )
        if limit_errors:
            return _json({"errors": [e.formatted for e in limit_errors]}, status=400)
        if not ratelimit.cost_allowed(request, cost):
            return ratelimit.throttled_response()
        errors = validation_errors(query, settings.GRAPHQL_MAX_TOKENS, settings.GRAPHQL_INTROSPECTION)
        if errors:
            return _json({"errors": [e.formatted for e in errors]}, status=400)

        cache_key = self._cache_key(request, document, query, variables, operation_name)
        version = 0
        if cache_key is not None:
            cached, version = response_cache.get_response(cache_key)
            if cached is not None:
                return HttpResponse(cached, content_type="application/json", headers={"X-Cache": "hit"})

        result = execute(
            _schema(),
            document,
            context_value=request,
            variable_values=variables,
            operation_name=operation_name,
            execution_context_class=FastExecutionContext,
            is_awaitable=is_awaitable_fast,
        )
        assert isinstance(result, ExecutionResult), "resolvers are synchronous"
        payload: dict[str, Any] = {"data": result.data}
        if result.errors:
            payload["errors"] = [format_error(e) for e in result.errors]
        content = orjson.dumps(payload)
        if cache_key is not None and not result.errors:
            response_cache.store_response(cache_key, content, version=version)
        return HttpResponse(content, content_type="application/json")

    @staticmethod
    def _cache_key(
        request: HttpRequest, document: DocumentNode, query: str, variables: dict[str, Any], operation_name: str | None
    ) -> str | None:
        """Anonymous read-only catalog queries are cacheable; everything else is not."""
        if request.user.is_authenticated or not settings.GRAPHQL_RESPONSE_CACHE:
            return None
        root_fields = _root_fields(document, operation_name)
        if root_fields is None or not root_fields <= CACHEABLE_ROOT_FIELDS:
            return None
        return response_cache.response_key(
            query,
            orjson.dumps(variables, option=orjson.OPT_SORT_KEYS).decode(),
            operation_name or "",
            get_language() or "",
        )


# Public catalog reads whose answer is the same for every anonymous visitor.
CACHEABLE_ROOT_FIELDS = frozenset(
    {"products", "product", "categories", "sellers", "seller", "provinces", "communes", "search", "searchSuggest"}
)


def _root_fields(document: DocumentNode, operation_name: str | None) -> set[str] | None:
    """Root field names of a query operation without fragments at the root; None otherwise."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1 or operations[0].operation != OperationType.QUERY:
        return None
    names = set()
    for selection in operations[0].selection_set.selections:
        if not isinstance(selection, FieldNode):
            return None
        names.add(selection.name.value)
    return names
