"""The view's FastExecutionContext answers exactly as graphql-core's stock executor.

Its short paths (scalar, enum and default-resolved object fields) must keep the
values, the null checks, the error messages, paths and propagation, so every
case below runs through both executors and the results must be identical.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import graphene
import pytest
from graphql import ExecutionContext, execute, parse

from storefront_api.core.execution import FastExecutionContext, is_awaitable_fast


class Color(graphene.Enum):
    RED = "RED"
    GREEN = "GREEN"


class Leaf(graphene.ObjectType):
    name = graphene.String(required=True)
    maybe = graphene.String()
    count = graphene.Int()
    color = graphene.Field(Color)
    shout = graphene.String()
    boom = graphene.String()
    strict_boom = graphene.String(required=True)

    @staticmethod
    def resolve_shout(root: Any, info: graphene.ResolveInfo) -> str:
        return f"{info.field_name}:{root['name'].upper()}"

    @staticmethod
    def resolve_boom(root: Any, info: graphene.ResolveInfo) -> str:
        raise ValueError("boom")

    @staticmethod
    def resolve_strict_boom(root: Any, info: graphene.ResolveInfo) -> str:
        raise ValueError("strict boom")


class Picky(graphene.ObjectType):
    name = graphene.String()

    @classmethod
    def is_type_of(cls, root: object, info: graphene.ResolveInfo) -> bool:
        return isinstance(root, dict) and root.get("picky", False)


@dataclass
class Holder:
    leaf: Any
    name: str = "attr"


class Node(graphene.ObjectType):
    leaf = graphene.Field(Leaf)
    strict_leaf = graphene.Field(graphene.NonNull(Leaf))
    picky = graphene.Field(Picky)
    leaves = graphene.List(graphene.NonNull(Leaf))
    holder_name = graphene.String()


class Query(graphene.ObjectType):
    nodes = graphene.List(Node)
    holder = graphene.Field(Node)
    slow = graphene.String()

    @staticmethod
    def resolve_nodes(root: Any, info: graphene.ResolveInfo) -> list[Any]:
        good = {"name": "a", "maybe": None, "count": 3, "color": "RED"}
        return [
            {"leaf": good, "strict_leaf": good, "picky": {"picky": True, "name": "p"}, "leaves": [good, good]},
            {"leaf": None, "strict_leaf": good, "picky": {"name": "not picky"}, "leaves": [good]},
            {"leaf": {"name": None, "count": "x"}, "strict_leaf": good, "leaves": []},  # null and bad scalar
            {"leaf": {"name": "b", "color": "BLUE", "count": "x"}, "strict_leaf": None, "leaves": [good, None]},
            {"leaf": good, "strict_leaf": {"name": None}, "leaves": None},
        ]

    @staticmethod
    def resolve_holder(root: Any, info: graphene.ResolveInfo) -> Any:
        return Holder(leaf=Holder(leaf=None, name="inner"))


schema = graphene.Schema(query=Query)

QUERIES = [
    "{ nodes { leaf { name maybe count color shout } } }",
    "{ nodes { leaf { boom name } } }",
    "{ nodes { leaf { strictBoom name } } }",
    "{ nodes { strictLeaf { name count } } }",
    "{ nodes { picky { name } } }",
    "{ nodes { leaves { name color } } }",
    "{ nodes { a: leaf { name } b: leaf { n: name count } __typename } }",
    "{ nodes { leaf { ...F } } } fragment F on Leaf { name shout }",
    "{ holder { leaf { name } } }",
]


def _run(query: str, context_class: type[ExecutionContext]) -> Any:
    result = execute(
        schema.graphql_schema,
        parse(query),
        execution_context_class=context_class,
        is_awaitable=is_awaitable_fast if context_class is FastExecutionContext else None,
    )
    assert not asyncio.iscoroutine(result)
    return result.formatted  # type: ignore[union-attr]


@pytest.mark.parametrize("query", QUERIES)
def test_fast_execution_matches_graphql_core(query: str) -> None:
    expected = _run(query, ExecutionContext)
    assert _run(query, FastExecutionContext) == expected


def test_the_cases_do_exercise_errors() -> None:
    formatted = _run(QUERIES[0], FastExecutionContext)
    messages = {error["message"] for error in formatted["errors"]}
    assert "Cannot return null for non-nullable field Leaf.name." in messages
    assert any(message.startswith("Int cannot represent non-integer value") for message in messages)


def test_async_resolvers_still_work() -> None:
    class AsyncQuery(graphene.ObjectType):
        value = graphene.String()
        leaf = graphene.Field(Leaf)

        @staticmethod
        async def resolve_value(root: Any, info: graphene.ResolveInfo) -> str:
            return "later"

        @staticmethod
        async def resolve_leaf(root: Any, info: graphene.ResolveInfo) -> dict[str, Any]:
            return {"name": "x", "count": 1}

    async_schema = graphene.Schema(query=AsyncQuery)
    document = parse("{ value leaf { name count } }")

    async def run(context_class: type[ExecutionContext]) -> Any:
        result = execute(async_schema.graphql_schema, document, execution_context_class=context_class)
        return (await result).formatted  # type: ignore[misc]

    assert asyncio.run(run(FastExecutionContext)) == asyncio.run(run(ExecutionContext))
    assert asyncio.run(run(FastExecutionContext))["data"] == {"value": "later", "leaf": {"name": "x", "count": 1}}
