"""Query limits from the settings: depth, aliases, tokens and an estimated cost, checked before execution.

The cost is the number of objects a query may resolve: each field returning an object counts once per
parent it is resolved for, and a list multiplies what is below it by its size: ``first``/``last`` (a variable
counts as the maximum page size), the default page size for a connection without them, and
``LIST_SIZE`` for a plain list. Scalars are free (``MaxTokensLimiter`` bounds the query text instead).

The rules are built once per schema, so strawberry's ValidationCache can reuse validations across requests.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import (
    FieldNode, FragmentSpreadNode, GraphQLError, GraphQLList, GraphQLNonNull, InlineFragmentNode,
    IntValueNode, OperationDefinitionNode, OperationType, SelectionSetNode, ValidationRule, get_named_type,
    is_composite_type,
)
from strawberry.extensions import (
    AddValidationRules, MaxAliasesLimiter, MaxTokensLimiter, ParserCache, QueryDepthLimiter, SchemaExtension,
    ValidationCache,
)

from api.graphql.pagination import DEFAULT_PAGE
from kg.config import Settings

__all__ = ["LIST_SIZE", "MAX_TOKENS", "cost_rule", "limit_extensions"]

LIST_SIZE = 5
"""Assumed length of a plain (unpaginated) list, for the cost estimate."""
MAX_TOKENS = 4_000
"""Longest query document accepted, in GraphQL tokens (Settings has no knob for it yet)."""


def _size(field: FieldNode, is_list: bool, is_connection: bool, max_page: int) -> int:
    for argument in field.arguments or ():
        if argument.name.value in ("first", "last"):
            value = argument.value
            return int(value.value) if isinstance(value, IntValueNode) else max_page
    if is_connection:
        return min(DEFAULT_PAGE, max_page)
    return LIST_SIZE if is_list else 1


def _is_list(type_: Any) -> bool:
    while isinstance(type_, (GraphQLNonNull, GraphQLList)):
        if isinstance(type_, GraphQLList):
            return True
        type_ = type_.of_type
    return False


def cost_rule(max_cost: int, max_page: int) -> type[ValidationRule]:
    """A validation rule refusing operations whose estimated cost is above ``max_cost``."""

    class QueryCostRule(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            schema = self.context.schema
            root = {OperationType.QUERY: schema.query_type, OperationType.MUTATION: schema.mutation_type,
                    OperationType.SUBSCRIPTION: schema.subscription_type}.get(node.operation)
            cost = self._cost(root, node.selection_set, 1, frozenset())
            if cost > max_cost:
                self.report_error(GraphQLError(
                    f"the query may resolve about {cost} objects, above the limit of {max_cost}", node,
                    extensions={"code": "QUERY_TOO_COMPLEX", "cost": cost, "maxCost": max_cost,
                                "hint": "ask for smaller pages (first/last) or fewer nested lists"}))

        def _cost(self, parent: Any, selections: SelectionSetNode | None, factor: int,
                  seen: frozenset[str]) -> int:
            if parent is None or selections is None:
                return 0
            return sum(self._one(parent, s, factor, seen) for s in selections.selections)

        def _one(self, parent: Any, selection: Any, factor: int, seen: frozenset[str]) -> int:
            if isinstance(selection, InlineFragmentNode):
                cond = selection.type_condition
                target = self.context.schema.get_type(cond.name.value) if cond else parent
                return self._cost(target, selection.selection_set, factor, seen)
            if isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.context.get_fragment(name)
                if fragment is None or name in seen:
                    return 0
                target = self.context.schema.get_type(fragment.type_condition.name.value)
                return self._cost(target, fragment.selection_set, factor, seen | {name})
            return self._field(parent, selection, factor, seen)

        def _field(self, parent: Any, field: FieldNode, factor: int, seen: frozenset[str]) -> int:
            name = field.name.value
            definition = getattr(parent, "fields", {}).get(name)
            if name.startswith("__") or definition is None:
                return 0
            named = get_named_type(definition.type)
            if not is_composite_type(named):
                return 0
            in_connection = parent.name.endswith("Connection") and name in ("edges", "nodes")
            size = 1 if in_connection else _size(field, _is_list(definition.type),
                                                 named.name.endswith("Connection"), max_page)
            return factor + self._cost(named, field.selection_set, factor * size, seen)

    return QueryCostRule


def limit_extensions(settings: Settings) -> list[Callable[[], SchemaExtension]]:
    """The schema extensions enforcing the limits, plus the parser and validation caches."""
    rules = [
        *QueryDepthLimiter(max_depth=settings.graphql_max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.graphql_max_aliases).validation_rules,
        cost_rule(settings.graphql_max_complexity, settings.graphql_max_page),
    ]
    return [
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: AddValidationRules(rules),
        ParserCache,
        ValidationCache,
    ]
