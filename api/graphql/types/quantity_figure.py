"""The QuantityFigure interface: a claim about a quantity with a unit."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from api.graphql.descriptions import ontology_doc
from api.graphql.fields import concept_field, onto
from api.graphql.types.claim import Claim
from kg.namespaces import EIP

__all__ = ["QuantityFigure"]


@strawberry.interface(description=ontology_doc("QuantityFigure", "QuantityFigure"))
class QuantityFigure(Claim):
    @strawberry.field(**onto("quantity", "A Decimal scalar (string)."))
    def quantity(self) -> Decimal | None:
        return self.node.decimal(EIP.quantity)

    @strawberry.field(**onto("minQuantity"))
    def min_quantity(self) -> Decimal | None:
        return self.node.decimal(EIP.minQuantity)

    @strawberry.field(**onto("maxQuantity"))
    def max_quantity(self) -> Decimal | None:
        return self.node.decimal(EIP.maxQuantity)

    unit = concept_field("unit")
    figure_kind = concept_field("figureKind")

    @strawberry.field(**onto("referenceYear"))
    def reference_year(self) -> int | None:
        return self.node.integer(EIP.referenceYear)
