"""A faster graphql-core executor for hot listing paths.

Fields without arguments whose value is a scalar, an enum or an object read
by the default resolver skip the generic per-field machinery; everything
else (lists, arguments, custom resolvers, async) takes the stock path. The
output, null checks, errors and paths are the same as stock graphql-core:
tests/catalog/test_fast_execution.py runs both and compares.
"""

from __future__ import annotations

from asyncio import gather
from functools import partial
from typing import Any

from graphene.types.resolver import dict_or_attr_resolver
from graphql import (
    ExecutionContext,
    FieldNode,
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    Undefined,
    is_leaf_type,
    is_object_type,
    located_error,
)
from graphql.execution.execute import get_field_def, invalid_return_type_error
from graphql.pyutils import Path, inspect, is_awaitable

_PLAIN_TYPES = frozenset({str, int, bool, float, type(None), dict, list})


def is_awaitable_fast(value: Any) -> bool:
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
