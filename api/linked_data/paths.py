"""From a request path ``/id/<kind>/<name>`` to the entity IRI it names and the document format it asks for.

``<name>`` is a slug, optionally followed by a file extension (``verkor.ttl``). Slugs never hold a dot, so the
split is unambiguous. IRIs are minted by ``kg.namespaces.Minter`` under the configured base; this module
never writes one by hand.

>>> target = resolve(Minter("https://w3id.org/eu-industrial-kg/"), "company", "verkor.ttl")
>>> target.iri, target.media_type
('https://w3id.org/eu-industrial-kg/id/company/verkor', 'text/turtle')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from api.linked_data.formats import EXTENSIONS
from kg.namespaces import Minter

__all__ = ["BadIdentifier", "MAX_SLUG", "Target", "UnknownIdentifier", "resolve"]

MAX_SLUG = 200
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class UnknownIdentifier(LookupError):
    """The path cannot name anything here: an unknown kind or file extension (answered with 404)."""


class BadIdentifier(ValueError):
    """The path is malformed: not a lower-case ASCII slug, or too long (answered with 400)."""


@dataclass(frozen=True)
class Target:
    """What a request path names.

    Attributes:
        kind: the entity kind (``company``, ``fact``, ``source``…).
        slug: the entity slug.
        iri: the entity IRI under the configured base.
        media_type: the format named by a file extension, or None (negotiate by ``Accept``).
    """

    kind: str
    slug: str
    iri: str
    media_type: str | None

    @property
    def path(self) -> str:
        """The path of the entity, without extension: ``/id/<kind>/<slug>``."""
        return f"/id/{self.kind}/{self.slug}"


def resolve(minter: Minter, kind: str, name: str) -> Target:
    """The target of ``/id/<kind>/<name>``.

    Raises:
        UnknownIdentifier: ``kind`` is not an entity kind, or the extension is not one of ``EXTENSIONS``.
        BadIdentifier: the slug is empty, too long, or not a lower-case ASCII slug.
    """
    if kind not in Minter.KINDS:
        kinds = ", ".join(sorted(Minter.KINDS))
        raise UnknownIdentifier(f"there are no entities of kind {kind!r} (kinds: {kinds})")
    slug, dot, extension = name.partition(".")
    media_type = None
    if dot:
        if extension not in EXTENSIONS:
            raise UnknownIdentifier(f"no document format with extension {extension!r} "
                                    f"(extensions: {', '.join(EXTENSIONS)})")
        media_type = EXTENSIONS[extension]
    if len(slug) > MAX_SLUG:
        raise BadIdentifier(f"identifier longer than {MAX_SLUG} characters")
    if not _SLUG.fullmatch(slug):
        raise BadIdentifier("an identifier is a lower-case ASCII slug: letters, digits and single hyphens")
    return Target(kind, slug, str(minter.entity(kind, slug)), media_type)
