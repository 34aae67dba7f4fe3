"""Custom scalars: BigInt (whole đồng as a JSON number) and Upload (multipart)."""

from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLError
from graphql.language import ast

# JavaScript's Number.MAX_SAFE_INTEGER: clients must not silently lose precision.
MAX_SAFE_INTEGER = 2**53 - 1


def _as_bigint(value: Any) -> int:
    if isinstance(value, bool):
        raise GraphQLError("BigInt cannot represent a boolean.")
    if isinstance(value, int):
        result = value
    elif isinstance(value, str) and value.strip().lstrip("-").isdigit():
        result = int(value.strip())
    elif isinstance(value, float) and value.is_integer():
        result = int(value)
    else:
        raise GraphQLError(f"BigInt must be a whole number, got {value!r}.")
    if abs(result) > MAX_SAFE_INTEGER:
        raise GraphQLError("BigInt is outside the safe integer range.")
    return result


class BigInt(graphene.Scalar):
    """A whole number up to 2^53-1, serialised as a JSON number (amounts in đồng)."""

    @staticmethod
    def serialize(value: Any) -> int:
        return _as_bigint(value)

    @staticmethod
    def parse_value(value: Any) -> int:
        return _as_bigint(value)

    @staticmethod
    def parse_literal(node: ast.ValueNode, _variables: Any = None) -> int:
        if isinstance(node, (ast.IntValueNode, ast.StringValueNode)):
            return _as_bigint(node.value)
        raise GraphQLError("BigInt must be a whole number.")


class Upload(graphene.Scalar):
    """A file sent per the GraphQL multipart request spec."""

    @staticmethod
    def serialize(value: Any) -> Any:
        raise GraphQLError("Upload is an input-only scalar.")

    @staticmethod
    def parse_value(value: Any) -> Any:
        return value

    @staticmethod
    def parse_literal(node: ast.ValueNode, _variables: Any = None) -> Any:
        raise GraphQLError("Upload must be sent as a multipart variable.")
