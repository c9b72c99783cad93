"""The error tree of kg. Callers catch by kind; only ``api/errors.py`` maps these to HTTP or GraphQL.

    KgError
    ├── SourceError        a curated or imported file cannot be read (syntax, encoding, unknown key)
    ├── MappingError       a record does not fit the ontology (unknown property, entity or unit)
    ├── ValidationFailed   SHACL reported violations; carries the report
    ├── StoreError         the store is missing, locked or corrupt
    ├── QueryError         a SPARQL query is malformed, refused or over a limit
    │   └── QueryTimeout   a query ran past its time limit and was stopped
    └── LinkError          linking against a reference dataset failed

Every error has a ``message`` naming the file/line or entity, property and rule, and a ``hint``: what to do.
"""

from __future__ import annotations

__all__ = [
    "KgError",
    "LinkError",
    "MappingError",
    "QueryError",
    "QueryTimeout",
    "SourceError",
    "StoreError",
    "ValidationFailed",
]


class KgError(Exception):
    """Base of every error kg raises on purpose."""

    hint: str = ""

    def __init__(self, message: str, *, hint: str = "", location: str = "") -> None:
        self.message = message
        self.location = location
        if hint:
            self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.message}"


class SourceError(KgError):
    """A source file cannot be read: syntax, encoding, unknown key, duplicate id."""

    hint = "fix the file at the position given and run `kg build` again"


class MappingError(KgError):
    """A record does not fit the ontology: unknown property, entity reference, unit or value."""

    hint = "fix the fact, or extend kg/data/curated/properties.yaml and the ontology"


class ValidationFailed(KgError):
    """SHACL found violations; ``report`` holds them (see kg.validate.Report)."""

    hint = "each problem names the entity, property and rule; fix the sources and rebuild"

    def __init__(self, message: str, *, report: object = None, **kwargs: str) -> None:
        self.report = report
        super().__init__(message, **kwargs)


class StoreError(KgError):
    """The store is missing, locked or corrupt."""

    hint = "run `kg build` to rebuild and publish the graph from the sources"


class QueryError(KgError):
    """A SPARQL query is malformed, refused (update, SERVICE) or over a limit."""

    hint = "check the query text; updates are refused and SERVICE is limited to the allow-list"


class QueryTimeout(QueryError):
    """A query ran past its time limit and was stopped."""

    hint = "narrow the query (LIMIT, more selective patterns) or raise KG_SPARQL_TIMEOUT_S"


class LinkError(KgError):
    """Linking against a reference dataset or live service failed."""

    hint = "check the reference file or run with --offline"
