"""The schema against its two references: the committed SDL (api/schema.graphql) and the ontology."""

from __future__ import annotations

import re

import pytest
import rdflib
from graphql import (
    GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType, build_schema,
    find_breaking_changes, get_introspection_query,
)

from api.graphql.descriptions import HIDDEN, REGISTRY, ontology_terms
from api.graphql.export import EXPORT_COMMAND, SDL_PATH, canonical_sdl
from api.graphql.kinds import DatePrecision, Rank
from api.graphql.schema import schema
from api.graphql.textfold import FOLD_TABLE, fold, sparql_fold
from kg.config import get_settings
from kg.namespaces import EIP, SKOS, vocab
from kg.store import load_query
from tests.api.graphql_fixtures import GraphQLClient, client_for, curated_settings


@pytest.fixture(scope="module")
def client() -> GraphQLClient:
    return client_for(curated_settings())


def _exposed_terms() -> dict[str, set[str]]:
    exposed = {term: set(places) for term, places in REGISTRY.items()}
    for name in schema._schema.type_map:
        definition = schema.get_type_by_name(name)
        for field in getattr(definition, "fields", None) or []:
            term = (field.metadata or {}).get("ontology")
            if term:
                exposed.setdefault(term, set()).add(f"{name}.{field.python_name}")
    return exposed


def test_schema_sdl_matches_committed_file_through_introspection(client: GraphQLClient) -> None:
    introspection = client.data(get_introspection_query(descriptions=True))
    live = canonical_sdl(introspection)
    committed = SDL_PATH.read_text(encoding="utf-8")
    breaking = find_breaking_changes(build_schema(committed), build_schema(live))
    assert live == committed, (f"{SDL_PATH.name} differs from the live schema; regenerate it with "
                               f"`{EXPORT_COMMAND}` and review the diff. Breaking changes for clients: "
                               f"{[change.description for change in breaking] or 'none'}")


def test_every_ontology_term_has_a_graphql_counterpart() -> None:
    terms = ontology_terms()
    exposed = _exposed_terms()
    missing = sorted((terms["classes"] | terms["properties"]) - set(exposed) - set(HIDDEN))
    assert not missing, (f"ontology terms without a GraphQL counterpart: {missing}; expose each one (a "
                         "field made by api.graphql.fields, a type or an enum value) or list it in "
                         "api.graphql.descriptions.HIDDEN with the reason")


def test_every_graphql_ontology_reference_exists_in_the_ontology() -> None:
    terms = ontology_terms()
    known = terms["classes"] | terms["properties"]
    stale = sorted(t for t in _exposed_terms() if t.startswith(str(EIP)) and t not in known)
    assert not stale, f"GraphQL exposes eip: terms the ontology no longer has: {stale}"
    assert not set(HIDDEN) - known, "HIDDEN lists terms the ontology does not have"


def test_every_type_field_and_enum_has_a_description() -> None:
    undocumented = []
    for name, type_ in schema._schema.type_map.items():
        if name.startswith("__") or not isinstance(
                type_, (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType, GraphQLEnumType)):
            continue
        if not type_.description:
            undocumented.append(name)
        undocumented += [f"{name}.{f}" for f, d in (getattr(type_, "fields", None) or {}).items()
                         if not d.description]
    assert not undocumented


def test_field_descriptions_come_from_the_ontology_definitions() -> None:
    graph = rdflib.Graph().parse(get_settings().ontology_dir / "eip.ttl")
    definition = str(next(o for o in graph.objects(EIP.operatedBy, SKOS.definition) if o.language == "en"))
    facility = schema._schema.type_map["Facility"]
    assert facility.fields["operatedBy"].description.startswith(definition)
    assert facility.description.startswith(str(next(
        o for o in graph.objects(EIP.Facility, SKOS.definition) if o.language == "en")))


@pytest.mark.parametrize("enum, scheme", [(Rank, "rank"), (DatePrecision, "precision")])
def test_vocabulary_enums_cover_their_concept_scheme(enum: type, scheme: str) -> None:
    graph = rdflib.Graph().parse(get_settings().ontology_dir / "vocabularies.ttl")
    concepts = {str(s) for s in graph.subjects(SKOS.inScheme, vocab(scheme))}
    assert concepts == {str(vocab(scheme, member.value)) for member in enum}


def test_search_text_rule_folds_labels_like_python() -> None:
    query = re.sub(r"\s+", " ", load_query("inference/search-text"))
    assert re.sub(r"\s+", " ", sparql_fold("name")) in query
    for chars, ascii_ in FOLD_TABLE:
        assert fold(chars) == ascii_ * len(chars)
    assert fold("ÎLE-DE-FRANCE") == fold("Île de France") == "ile de france"
