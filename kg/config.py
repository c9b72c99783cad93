"""The one settings object: every knob of kg and api, read from environment variables (prefix ``KG_``).

Flags of the CLI override the environment by building a new ``Settings`` with ``settings.model_copy(update=...)``.
No other module reads ``os.environ``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent

DEFAULT_BASE_IRI = "https://w3id.org/eu-industrial-kg/"

__all__ = ["PACKAGE_DIR", "PROJECT_ROOT", "Settings", "get_settings"]


class Settings(BaseSettings):
    """Configuration of the build and of the service.

    Attributes:
        base_iri: base under which entity IRIs are minted (``<base>id/<kind>/<slug>``).
        data_dir: where published stores live (``<data_dir>/current`` points at the served one).
        store: ``oxigraph`` (embedded, default) or ``sparql+http://host:port/sparql`` for a remote server.
        store_graphs: with a remote store, the graphs of the served release (sent as ``default-graph-uri`` and
            ``named-graph-uri``, so the default graph is their union); empty: the endpoint's own default dataset
            (on Virtuoso every graph, its system graphs included). See docs/deployment.md.
        store_timeout_param: with a remote store, the query parameter carrying the server-side time limit in
            milliseconds (Virtuoso: ``timeout``); empty: none is sent, only the HTTP client's timeout applies.
        curated_dir: the curated YAML sources.
        ontology_dir: the OWL ontology (Turtle) and its vocabularies.
        shapes_dir: the SHACL shapes.
        shacl_engine: ``turbo`` (pyshacl-turbo, a Rust engine; default) or ``pyshacl`` (the Python reference
            engine); both give the same reports (tests/shapes, tests/kg/test_validate.py).
        sparql_timeout_s: wall-clock limit of one /sparql query; the worker running it is killed past it.
        sparql_max_rows: result-row cap of one /sparql query.
        sparql_max_query_bytes: longest accepted query text.
        sparql_workers: query worker processes behind /sparql.
        service_allowlist: endpoints a SERVICE clause may call (empty: SERVICE refused).
        graphql_max_depth / graphql_max_aliases / graphql_max_complexity / graphql_max_page: GraphQL limits.
        graphql_cache_entries / graphql_cache_bytes: bounds of the GraphQL response cache (answers of queries
            per published build, least recently used evicted; either at 0 turns it off).
        graphql_order_cache_entries: entity-list orders kept per published build (0: computed every time).
        max_body_bytes: largest request body accepted by any route.
        rate_limit_per_minute: requests per client address per minute (0: off).
        cors_origins: origins allowed by CORS (``*`` by default: the data is public and read-only).
        admin_token: token for admin routes; they are off when it is empty.
        cache_dir: on-disk cache of the live linking clients.
        user_agent: User-Agent of the live linking clients.
    """

    model_config = SettingsConfigDict(env_prefix="KG_", env_file=".env", extra="ignore")

    base_iri: str = DEFAULT_BASE_IRI
    data_dir: Path = PROJECT_ROOT / "var"
    store: str = "oxigraph"
    store_graphs: list[str] = []
    store_timeout_param: str = "timeout"
    curated_dir: Path = PACKAGE_DIR / "data" / "curated"
    ontology_dir: Path = PROJECT_ROOT / "ontology"
    shapes_dir: Path = PROJECT_ROOT / "shapes"
    shacl_engine: Literal["turbo", "pyshacl"] = "turbo"

    sparql_timeout_s: float = 10.0
    sparql_max_rows: int = 100_000
    sparql_max_query_bytes: int = 100_000
    sparql_workers: int = 2
    service_allowlist: list[str] = []

    graphql_max_depth: int = 10
    graphql_max_aliases: int = 30
    graphql_max_complexity: int = 5_000
    graphql_max_page: int = 100
    graphql_cache_entries: int = 2_000
    graphql_cache_bytes: int = 64_000_000
    graphql_order_cache_entries: int = 256

    max_body_bytes: int = 1_000_000
    rate_limit_per_minute: int = 0
    cors_origins: list[str] = ["*"]
    admin_token: str = ""

    cache_dir: Path = PROJECT_ROOT / "var" / "cache"
    user_agent: str = "eu-industrial-kg/0.1 (https://w3id.org/eu-industrial-kg)"

    @field_validator("base_iri")
    @classmethod
    def _base_ends_with_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"KG_BASE_IRI must be an http(s) IRI, got {value!r}")
        return value if value.endswith("/") else value + "/"

    @field_validator("admin_token")
    @classmethod
    def _refuse_placeholder_token(cls, value: str) -> str:
        if value in {"changeme", "change-me", "secret", "token"}:
            raise ValueError("KG_ADMIN_TOKEN is a placeholder; set a real secret or leave it empty")
        return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings read from the environment, built once per process."""
    return Settings()
