"""Reject abusive queries before execution: depth and estimated cost.

Cost counts every selected field once, multiplied by the page size of each
enclosing connection (`first`, default page size when absent), so
`products(first: 100) { edges { node { variants { … } } } }` costs about
100 × the fields of a card. Variables are substituted before counting.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    value_from_ast_untyped,
)

from storefront_api.core.connection import DEFAULT_PAGE_SIZE


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def _operation(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        return next((o for o in operations if o.name and o.name.value == operation_name), None)
    return operations[0] if len(operations) == 1 else None


def _page_size(field: FieldNode, variables: dict[str, Any]) -> int:
    for argument in field.arguments or ():
        if argument.name.value in {"first", "last"}:
            value = value_from_ast_untyped(argument.value, variables)
            if isinstance(value, int) and value > 0:
                return value
            return DEFAULT_PAGE_SIZE
    return 1


def _walk(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    variables: dict[str, Any],
    depth: int,
    visiting: frozenset[str],
) -> tuple[int, int]:
    """(cost, max depth) of a selection set."""
    if selection_set is None:
        return 0, depth
    cost, deepest = 0, depth
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value.startswith("__"):
                continue
            child_cost, child_depth = _walk(selection.selection_set, fragments, variables, depth + 1, visiting)
            cost += 1 + _page_size(selection, variables) * child_cost
            deepest = max(deepest, child_depth if selection.selection_set else depth + 1)
        else:
            if isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in visiting or name not in fragments:
                    continue  # cycles and unknown fragments are reported by validation
                inner = fragments[name].selection_set
                next_visiting = visiting | {name}
            elif isinstance(selection, InlineFragmentNode):
                inner, next_visiting = selection.selection_set, visiting
            else:  # pragma: no cover - graphql-core has no other selection kinds
                continue
            child_cost, child_depth = _walk(inner, fragments, variables, depth, next_visiting)
            cost += child_cost
            deepest = max(deepest, child_depth)
    return cost, deepest


def check_limits(
    document: DocumentNode,
    *,
    operation_name: str | None,
    variables: dict[str, Any],
    max_depth: int,
    max_cost: int,
) -> list[GraphQLError]:
    operation = _operation(document, operation_name)
    if operation is None:
        return []  # execution reports the missing/ambiguous operation
    cost, depth = _walk(operation.selection_set, _fragments(document), variables, 0, frozenset())
    errors = []
    if depth > max_depth:
        errors.append(
            GraphQLError(
                f"Query is too deep: depth {depth} exceeds the limit of {max_depth}.",
                extensions={"code": "QUERY_TOO_DEEP"},
            )
        )
    if cost > max_cost:
        errors.append(
            GraphQLError(
                f"Query is too expensive: estimated cost {cost} exceeds the limit of {max_cost}.",
                extensions={"code": "QUERY_TOO_COMPLEX"},
            )
        )
    return errors
