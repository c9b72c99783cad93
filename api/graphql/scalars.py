"""The Decimal scalar: exact amounts and quantities as strings, without exponent (never a float).

>>> DECIMAL.serialize(Decimal("4E+9")), DECIMAL.serialize(Decimal("0.00000001"))
('4000000000', '0.00000001')
"""

from __future__ import annotations

import decimal
from decimal import Decimal

from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.types.scalar import ScalarDefinition

from api.graphql.records import decimal_text

__all__ = ["DECIMAL", "SCALAR_OVERRIDES"]


def _serialize(value: object) -> str:
    return decimal_text(value if isinstance(value, Decimal) else Decimal(str(value)))


def _parse(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise StrawberryInputCoercionError(f'Value cannot represent a Decimal: "{value}". Expected a string.')
    try:
        parsed = Decimal(str(value).strip())
    except decimal.DecimalException:
        raise StrawberryInputCoercionError(f'Value cannot represent a Decimal: "{value}".') from None
    if not parsed.is_finite():
        raise StrawberryInputCoercionError(f'Value cannot represent a Decimal: "{value}" is not finite.')
    return parsed


DECIMAL = ScalarDefinition(
    name="Decimal",
    description="An exact decimal number written as a string without exponent, e.g. \"4000000000\" for EUR 4 "
                "bn or \"334505608.13\"; inputs may be strings or JSON integers.",
    specified_by_url=None,
    serialize=_serialize,
    parse_value=_parse,
    parse_literal=None,
    origin=Decimal,
)

SCALAR_OVERRIDES = {Decimal: DECIMAL}
