"""The /graphql/ endpoint.

A lean view over graphql-core: parsed and validated documents are cached per
query text, depth and cost limits run before execution, requests are
authenticated only by `Authorization: Bearer` (never by the session cookie, so
the endpoint needs no CSRF token and cannot be driven cross-site), multipart
uploads follow the GraphQL multipart request spec, and unexpected exceptions
are logged with the request id and answered with a generic message.
"""

from __future__ import annotations

import logging
from asyncio import gather
from functools import lru_cache, partial
from typing import Any

import orjson
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from graphene.types.resolver import dict_or_attr_resolver
from graphene_django.views import GraphQLView
from graphql import (
    DocumentNode,
    ExecutionContext,
    ExecutionResult,
    FieldNode,
    GraphQLError,
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    Undefined,
    execute,
    is_leaf_type,
    is_object_type,
    located_error,
    parse,
    validate,
)
from graphql.execution.execute import get_field_def, invalid_return_type_error
from graphql.pyutils import Path, inspect, is_awaitable

from backend.accounts.tokens import InvalidToken, user_from_bearer
from backend.core import response_cache
from backend.core.middleware import current_request_id
from storefront_api.core.limits import check_limits

logger = logging.getLogger("storefront_api")


class BadRequest(Exception):
    pass


def _schema() -> GraphQLSchema:
    from storefront_api.schema import schema

    return schema.graphql_schema


@lru_cache(maxsize=512)
def parse_and_validate(query: str) -> tuple[DocumentNode | None, tuple[GraphQLError, ...]]:
    try:
        document = parse(query)
    except GraphQLError as error:
        return None, (error,)
    return document, tuple(validate(_schema(), document))


# Types of resolver results that are never awaitable (skips `is_awaitable` for them).
_PLAIN_TYPES = frozenset({str, int, bool, float, type(None), dict, list})


def _is_awaitable(value: Any) -> bool:
    """graphql-core's check, answered at once for the plain values most resolvers return."""
    return type(value) not in _PLAIN_TYPES and is_awaitable(value)


_GENERIC, _LEAF, _OBJECT = 0, 1, 2


class FieldPlan:
    """How `FastExecutionContext` executes one field of a selection set."""

    __slots__ = ("attname", "default", "field_def", "field_nodes", "kind", "named_type", "non_null", "response_name")

    def __init__(
        self, response_name: str, field_nodes: list[FieldNode], field_def: GraphQLField | None, fast: bool
    ) -> None:
        self.response_name = response_name
        self.field_nodes = field_nodes
        self.field_def = field_def
        self.kind = _GENERIC
        self.non_null = False
        self.named_type: Any = None
        self.attname: str | None = None
        self.default: Any = None
        if field_def is None or not fast or field_def.args:
            return
        field_type = field_def.type
        self.non_null = isinstance(field_type, GraphQLNonNull)
        self.named_type = field_type.of_type if isinstance(field_type, GraphQLNonNull) else field_type
        resolve = field_def.resolve
        # graphene's default resolver, partial(dict_or_attr_resolver, name, default): read the key inline.
        if (
            isinstance(resolve, partial)
            and resolve.func is dict_or_attr_resolver
            and len(resolve.args) == 2
            and not resolve.keywords
        ):
            self.attname, self.default = resolve.args
        if is_leaf_type(self.named_type):
            self.kind = _LEAF
        elif is_object_type(self.named_type) and self.attname is not None:
            self.kind = _OBJECT


class FastExecutionContext(ExecutionContext):
    """graphql-core's executor with short paths for the fields of a product grid.

    A grid page resolves ~2,500 fields, most of them read from dict rows. Fields
    without arguments whose type is a scalar or enum (any resolver), or an
    object type read by graphene's default resolver, skip the generic machinery
    (argument coercion, resolve info where no resolver needs it, the
    `complete_value` dispatch) and keep its results: the same resolver, the same
    `serialize` and `is_type_of` calls, the same null checks and messages,
    errors located and propagated by `handle_field_error`. Lists, abstract
    types, fields with arguments and awaitable results take the stock path.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # id(fields) -> (fields, parent_type, plans); holding `fields` keeps its id unique.
        self._plans: dict[int, tuple[dict[str, list[FieldNode]], GraphQLObjectType, list[FieldPlan]]] = {}

    def _plans_for(self, parent_type: GraphQLObjectType, fields: dict[str, list[FieldNode]]) -> list[FieldPlan]:
        entry = self._plans.get(id(fields))
        if entry is not None and entry[0] is fields and entry[1] is parent_type:
            return entry[2]
        fast = self.middleware_manager is None
        plans = [
            FieldPlan(name, nodes, get_field_def(self.schema, parent_type, nodes[0]), fast)
            for name, nodes in fields.items()
        ]
        self._plans[id(fields)] = (fields, parent_type, plans)
        return plans

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        fields: dict[str, list[FieldNode]],
    ) -> Any:
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        for plan in self._plans_for(parent_type, fields):
            if plan.kind == _LEAF:
                result = self._execute_leaf(plan, parent_type, source_value, path)
            elif plan.kind == _OBJECT:
                result = self._execute_object(plan, parent_type, source_value, path)
            else:
                result = self.execute_field(
                    parent_type, source_value, plan.field_nodes, Path(path, plan.response_name, parent_type.name)
                )
                if result is Undefined:
                    continue
            results[plan.response_name] = result
            if type(result) not in _PLAIN_TYPES and is_awaitable(result):
                awaitable_fields.append(plan.response_name)
        if not awaitable_fields:
            return results

        async def get_results() -> dict[str, Any]:
            values = await gather(*(results[name] for name in awaitable_fields))
            results.update(zip(awaitable_fields, values, strict=True))
            return results

        return get_results()

    def _read(self, plan: FieldPlan, source: Any) -> Any:
        if isinstance(source, dict):
            return source.get(plan.attname, plan.default)
        return getattr(source, plan.attname, plan.default)  # type: ignore[arg-type]

    def _execute_leaf(self, plan: FieldPlan, parent_type: GraphQLObjectType, source: Any, path: Path | None) -> Any:
        """`execute_field` + `complete_value` for a scalar or enum field without arguments."""
        field_def = plan.field_def
        assert field_def is not None
        field_nodes = plan.field_nodes
        try:
            if plan.attname is not None:
                if isinstance(source, dict):
                    result = source.get(plan.attname, plan.default)
                else:
                    result = getattr(source, plan.attname, plan.default)
                if type(result) not in _PLAIN_TYPES and self.is_awaitable(result):
                    # Rare: reading the key again is harmless, let the stock path await it.
                    return self.execute_field(
                        parent_type, source, field_nodes, Path(path, plan.response_name, parent_type.name)
                    )
            else:
                field_path = Path(path, plan.response_name, parent_type.name)
                info = self.build_resolve_info(field_def, field_nodes, parent_type, field_path)
                result = (field_def.resolve or self.field_resolver)(source, info)
                if self.is_awaitable(result):
                    return self._complete_awaitable(field_def, field_nodes, info, field_path, result)
            if isinstance(result, Exception):
                raise result
            if result is None or result is Undefined:
                if plan.non_null:
                    raise TypeError(
                        f"Cannot return null for non-nullable field {parent_type.name}.{field_nodes[0].name.value}."
                    )
                return None
            serialized = plan.named_type.serialize(result)
            if serialized is Undefined or serialized is None:
                raise TypeError(
                    f"Expected `{inspect(plan.named_type)}.serialize({inspect(result)})`"
                    f" to return non-nullable value, returned: {inspect(serialized)}"
                )
            return serialized
        except Exception as raw_error:  # noqa: BLE001 - as graphql-core's execute_field: located, then handled
            field_path = Path(path, plan.response_name, parent_type.name)
            error = located_error(raw_error, field_nodes, field_path.as_list())
            self.handle_field_error(error, field_def.type, field_path)
            return None

    def _execute_object(self, plan: FieldPlan, parent_type: GraphQLObjectType, source: Any, path: Path | None) -> Any:
        """`execute_field` + `complete_value` for an object field read by the default resolver."""
        field_def = plan.field_def
        assert field_def is not None
        field_nodes = plan.field_nodes
        field_path = Path(path, plan.response_name, parent_type.name)
        try:
            result = self._read(plan, source)
            if self.is_awaitable(result):
                return self.execute_field(parent_type, source, field_nodes, field_path)
            if isinstance(result, Exception):
                raise result
            if result is None or result is Undefined:
                if plan.non_null:
                    raise TypeError(
                        f"Cannot return null for non-nullable field {parent_type.name}.{field_nodes[0].name.value}."
                    )
                return None
            object_type: GraphQLObjectType = plan.named_type
            if object_type.is_type_of:
                info = self.build_resolve_info(field_def, field_nodes, parent_type, field_path)
                is_type_of = object_type.is_type_of(result, info)
                if self.is_awaitable(is_type_of):
                    return self.execute_field(parent_type, source, field_nodes, field_path)
                if not is_type_of:
                    raise invalid_return_type_error(object_type, result, field_nodes)
            completed = self.execute_fields(
                object_type, result, field_path, self.collect_subfields(object_type, field_nodes)
            )
            if self.is_awaitable(completed):
                return self._await_completed(field_def, field_nodes, field_path, completed)
            return completed
        except Exception as raw_error:  # noqa: BLE001 - as graphql-core's execute_field: located, then handled
            error = located_error(raw_error, field_nodes, field_path.as_list())
            self.handle_field_error(error, field_def.type, field_path)
            return None

    def _complete_awaitable(
        self, field_def: GraphQLField, field_nodes: list[FieldNode], info: Any, path: Path, result: Any
    ) -> Any:
        async def await_result() -> Any:
            try:
                completed = self.complete_value(field_def.type, field_nodes, info, path, await result)
                if self.is_awaitable(completed):
                    return await completed
                return completed
            except Exception as raw_error:  # noqa: BLE001 - as graphql-core's execute_field
                error = located_error(raw_error, field_nodes, path.as_list())
                self.handle_field_error(error, field_def.type, path)
                return None

        return await_result()

    def _await_completed(
        self, field_def: GraphQLField, field_nodes: list[FieldNode], path: Path, completed: Any
    ) -> Any:
        async def await_completed() -> Any:
            try:
                return await completed
            except Exception as raw_error:  # noqa: BLE001 - as graphql-core's execute_field
                error = located_error(raw_error, field_nodes, path.as_list())
                self.handle_field_error(error, field_def.type, path)
                return None

        return await_completed()


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
    graphiql_view = staticmethod(GraphQLView.as_view(graphiql=True))

    def get(self, request: HttpRequest) -> HttpResponse:
        if "text/html" in request.headers.get("Accept", ""):
            return self.graphiql_view(request)
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

        document, errors = parse_and_validate(query)
        if document is None or errors:
            return _json({"errors": [e.formatted for e in errors]}, status=400)
        limit_errors = check_limits(
            document,
            operation_name=operation_name,
            variables=variables,
            max_depth=settings.GRAPHQL_MAX_DEPTH,
            max_cost=settings.GRAPHQL_MAX_COST,
        )
        if limit_errors:
            return _json({"errors": [e.formatted for e in limit_errors]}, status=400)

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
            is_awaitable=_is_awaitable,
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
