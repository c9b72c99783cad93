"""A monetary amount: exact decimal value(s) in currency units, and the currency."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from api.graphql.descriptions import ontology_doc, register
from api.graphql.fields import onto
from api.graphql.records import Node
from kg.namespaces import EIP, SCHEMA

__all__ = ["MonetaryAmount"]


@strawberry.type(description=ontology_doc("MonetaryAmount", "MonetaryAmount",
                                          "Values are Decimal scalars (strings), never floats."))
class MonetaryAmount:
    node: strawberry.Private[Node]

    @strawberry.field(description="The amount in currency units (schema:value), e.g. \"4000000000\" for EUR "
                                  "4 bn; null for a range.")
    def value(self) -> Decimal | None:
        return self.node.decimal(SCHEMA.value)

    @strawberry.field(description="The lower bound of a range (schema:minValue).")
    def min_value(self) -> Decimal | None:
        return self.node.decimal(SCHEMA.minValue)

    @strawberry.field(description="The upper bound of a range (schema:maxValue).")
    def max_value(self) -> Decimal | None:
        return self.node.decimal(SCHEMA.maxValue)

    @strawberry.field(description="The ISO 4217 currency code (schema:currency), e.g. EUR.")
    def currency(self) -> str | None:
        return self.node.text(SCHEMA.currency)

    @strawberry.field(**onto("currency"))
    def currency_iri(self) -> str | None:
        return self.node.iri_of(EIP.currency)


register("MonetaryAmount", "MonetaryAmount")
