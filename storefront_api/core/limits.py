"""Reject abusive documents before execution: depth, aliases and estimated cost.

Cost counts every selected field of every alias, root fields included, with the schema's help:

- a field costs 1, plus its selection times how many objects it returns: the page size for a
  paginated field (`first`/`last`, the default page size when absent), an estimate for other
  lists (`LIST_SIZES`, else `DEFAULT_LIST_SIZE`), 1 for a single object;
- root fields that do real work per call (address conversion, search, suggestions, availability,
  dashboards) add their own weight (`ROOT_FIELD_WEIGHTS`);
- a fragment is costed once per type it is spread into (fragments that spread fragments cannot make
  the count itself exponential), and counting stops as soon as the budget is spent.

So `products(first: 100) { edges { node { variants { … } } } }` costs about 100 × the fields of a
card, and 8,000 aliases of `provinces { name code }` cost 8,000 × (1 + 34 × 2). Variables are
substituted before counting. Unknown fields count 1; validation reports them afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    get_nullable_type,
    value_from_ast_untyped,
)

from storefront_api.core.connection import DEFAULT_PAGE_SIZE

DEFAULT_LIST_SIZE = 10
# Lists without pagination whose usual length differs from DEFAULT_LIST_SIZE (generous estimates).
LIST_SIZES: dict[str, int] = {
    "Query.provinces": 34,
    "Order.payments": 3,
    "Order.sellerOrders": 5,
    "Product.variants": 5,
    "Product.images": 6,
    "Query.experienceAvailability": 60,
    "Query.experienceSlots": 60,
    "ProvinceDashboard.byDay": 366,
    "ProvinceDashboard.byCommune": 130,
    "Coverage.uncovered": 130,
    "Checkout.lines": 20,
}
# Root fields whose resolver does real work per call, beyond reading rows.
ROOT_FIELD_WEIGHTS: dict[str, int] = {
    "legacyAddressConvert": 100,
    "search": 100,
    "searchSuggest": 50,
    "experienceAvailability": 100,
    "experienceSlots": 50,
    "provinceDashboard": 1000,
    "provinceAlerts": 50,
}


@dataclass(frozen=True)
class Estimate:
    cost: int
    depth: int
    aliases: int
    root_fields: int


class _OverBudget(Exception):
    pass


@dataclass
class _Walker:
    schema: GraphQLSchema | None
    fragments: dict[str, FragmentDefinitionNode]
    variables: dict[str, Any]
    budget: int
    memo: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    spent: int = 0

    def charge(self, amount: int) -> None:
        self.spent += amount
        if self.spent > self.budget:
            raise _OverBudget

    def _type(self, name: str | None) -> GraphQLNamedType | None:
        return self.schema.get_type(name) if self.schema is not None and name else None

    def _multiplier(self, parent: GraphQLNamedType | None, node: FieldNode, field_def: Any) -> int:
        if field_def is None:
            return 1
        arguments = {a.name.value: a for a in node.arguments or ()}
        if "first" in field_def.args or "last" in field_def.args:
            for name in ("first", "last"):
                if name in arguments:
                    value = value_from_ast_untyped(arguments[name].value, self.variables)
                    return value if isinstance(value, int) and value > 0 else DEFAULT_PAGE_SIZE
            return DEFAULT_PAGE_SIZE
        if parent is not None and parent.name.endswith("Connection") and node.name.value in {"edges", "nodes"}:
            return 1  # the page: already counted by the paginated field above
        if isinstance(get_nullable_type(field_def.type), GraphQLList):
            return LIST_SIZES.get(f"{parent.name if parent else ''}.{node.name.value}", DEFAULT_LIST_SIZE)
        return 1

    def selection_set(self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType | None) -> tuple[int, int]:
        """(cost, depth below this point) of a selection set; charges the budget as it goes."""
        if selection_set is None:
            return 0, 0
        cost = deepest = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                child_cost, child_depth = self.field(selection, parent)
                cost += child_cost
                deepest = max(deepest, child_depth)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition.name.value if selection.type_condition else None
                child_cost, child_depth = self.selection_set(selection.selection_set, self._type(condition) or parent)
                cost += child_cost
                deepest = max(deepest, child_depth)
            elif isinstance(selection, FragmentSpreadNode):
                child_cost, child_depth = self.spread(selection.name.value, parent)
                cost += child_cost
                deepest = max(deepest, child_depth)
        return cost, deepest

    def spread(self, name: str, parent: GraphQLNamedType | None) -> tuple[int, int]:
        fragment = self.fragments.get(name)
        if fragment is None:
            return 0, 0  # unknown fragments are reported by validation
        target = self._type(fragment.type_condition.name.value) or parent
        key = (name, target.name if target is not None else "")
        if key in self.memo:
            cost, depth = self.memo[key]
            self.charge(cost)
            return cost, depth
        self.memo[key] = (0, 0)  # a fragment cycle counts nothing (validation refuses it)
        before = self.spent
        _cost, depth = self.selection_set(fragment.selection_set, target)
        cost = self.spent - before
        self.memo[key] = (cost, depth)
        return cost, depth

    def field(self, node: FieldNode, parent: GraphQLNamedType | None) -> tuple[int, int]:
        if node.name.value.startswith("__"):
            return 0, 1
        field_def = None
        if isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)):
            field_def = parent.fields.get(node.name.value)
        child_type = get_named_type(field_def.type) if field_def is not None else None
        self.charge(1)
        times = self._multiplier(parent, node, field_def)
        if node.selection_set is None:
            return 1, 1
        # Charge the children once, then the other (times - 1) copies of them.
        before = self.spent
        _child, child_depth = self.selection_set(node.selection_set, child_type)
        child_cost = self.spent - before
        self.charge(child_cost * (times - 1))
        return 1 + child_cost * times, child_depth + 1


def _operation(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        return next((o for o in operations if o.name and o.name.value == operation_name), None)
    return operations[0] if len(operations) == 1 else None


def _count_aliases(selection_set: SelectionSetNode | None) -> int:
    if selection_set is None:
        return 0
    count = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode) and selection.alias is not None:
            count += 1
        count += _count_aliases(getattr(selection, "selection_set", None))
    return count


def aliases_in(document: DocumentNode) -> int:
    """Aliased fields written in the document (operations and fragments)."""
    return sum(
        _count_aliases(d.selection_set)
        for d in document.definitions
        if isinstance(d, (OperationDefinitionNode, FragmentDefinitionNode))
    )


def _root_type(schema: GraphQLSchema | None, operation: OperationDefinitionNode) -> GraphQLObjectType | None:
    if schema is None:
        return None
    return {
        OperationType.QUERY: schema.query_type,
        OperationType.MUTATION: schema.mutation_type,
        OperationType.SUBSCRIPTION: schema.subscription_type,
    }[operation.operation]


def estimate(
    document: DocumentNode,
    *,
    operation_name: str | None,
    variables: dict[str, Any],
    schema: GraphQLSchema | None = None,
    budget: int = 2**62,
) -> Estimate | None:
    """The operation's estimated cost and depth; None when the document names no single operation.

    Counting stops once `budget` is exceeded: the estimate then says `budget + 1`.
    """
    operation = _operation(document, operation_name)
    if operation is None:
        return None
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    walker = _Walker(schema=schema, fragments=fragments, variables=variables, budget=budget)
    root = _root_type(schema, operation)
    roots = [s for s in operation.selection_set.selections if isinstance(s, FieldNode)]
    try:
        for node in roots:
            walker.charge(ROOT_FIELD_WEIGHTS.get(node.name.value, 0))
        _cost, depth = walker.selection_set(operation.selection_set, root)
    except _OverBudget:
        return Estimate(cost=budget + 1, depth=0, aliases=aliases_in(document), root_fields=len(roots))
    return Estimate(cost=walker.spent, depth=depth, aliases=aliases_in(document), root_fields=len(roots))


def check_limits(
    document: DocumentNode,
    *,
    operation_name: str | None,
    variables: dict[str, Any],
    max_depth: int,
    max_cost: int,
    max_aliases: int = 2**31,
    schema: GraphQLSchema | None = None,
) -> tuple[list[GraphQLError], int]:
    """Errors for a document over a limit (empty when it may run), and its estimated cost."""
    aliases = aliases_in(document)
    if aliases > max_aliases:
        message = f"Too many aliases: {aliases} exceed the limit of {max_aliases} per document."
        return [GraphQLError(message, extensions={"code": "QUERY_TOO_COMPLEX"})], 0
    found = estimate(document, operation_name=operation_name, variables=variables, schema=schema, budget=max_cost)
    if found is None:
        return [], 0  # execution reports the missing/ambiguous operation
    errors = []
    if found.depth > max_depth:
        errors.append(
            GraphQLError(
                f"Query is too deep: depth {found.depth} exceeds the limit of {max_depth}.",
                extensions={"code": "QUERY_TOO_DEEP"},
            )
        )
    if found.cost > max_cost:
        errors.append(
            GraphQLError(
                f"Query is too expensive: estimated cost above {max_cost}, the limit per request.",
                extensions={"code": "QUERY_TOO_COMPLEX"},
            )
        )
    return errors, found.cost
