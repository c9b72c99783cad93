"""Ids a client may send: a full IRI, ``kind/slug`` (``company/verkor``) or a bare slug (``verkor``).

>>> mint = Minter("https://w3id.org/eu-industrial-kg/")
>>> short_id(mint, "https://w3id.org/eu-industrial-kg/id/company/verkor")
'company/verkor'
"""

from __future__ import annotations

from strawberry.types import Info

from api.graphql.errors import AmbiguousId, BadId, NotFound
from api.graphql.objects import context
from kg.namespaces import Minter, slugify

__all__ = ["minter", "resolve_id", "short_id"]

_SCHEMES = ("http://", "https://", "urn:")


def minter(info: Info) -> Minter:
    return Minter(context(info).settings.base_iri)


def short_id(mint: Minter, iri: str) -> str:
    """``kind/slug`` of one of our entity IRIs, else the IRI itself."""
    if not mint.is_ours(iri):
        return iri
    kind, slug = mint.split(iri)
    return f"{kind}/{slug}"


def _check_iri(raw: str) -> str:
    if any(ch in raw for ch in '<>" {}|\\^`') or not raw.isprintable():
        raise BadId(f"{raw!r} is not a valid IRI")
    return raw


async def resolve_id(info: Info, raw: str) -> str:
    """The IRI an id names.

    Raises:
        BadId: malformed. NotFound: a slug that no entity has. AmbiguousId: a slug several entities have.
    """
    raw = raw.strip()
    if not raw:
        raise BadId("the id is empty")
    if raw.startswith(_SCHEMES):
        return _check_iri(raw)
    mint = minter(info)
    if "/" in raw:
        kind, _, slug = raw.partition("/")
        try:
            return str(mint.entity(kind, slug))
        except ValueError as exc:
            raise BadId(f"{raw!r} is not `kind/slug`: {exc}") from exc
    if slugify(raw) != raw:
        raise BadId(f"{raw!r} is not a slug (try {slugify(raw)!r})")
    found = await context(info).slugs.load(raw)
    if not found:
        raise NotFound(f"no entity has the slug {raw!r}")
    if len(found) > 1:
        raise AmbiguousId(f"the slug {raw!r} names {len(found)} entities",
                          candidates=[short_id(mint, iri) for iri in found])
    return found[0]
