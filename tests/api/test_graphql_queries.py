"""GraphQL queries over the curated graph, through httpx against the ASGI app."""

from __future__ import annotations

import pytest

from tests.api.backends import BACKENDS, on_backend
from tests.api.graphql_fixtures import GraphQLClient, client_for, codes, curated_settings

VERKOR = "https://w3id.org/eu-industrial-kg/id/company/verkor"


@pytest.fixture(scope="module", params=BACKENDS)
def client(request: pytest.FixtureRequest) -> GraphQLClient:
    return client_for(on_backend(request.param, curated_settings()))


@pytest.mark.parametrize("given", [VERKOR, "company/verkor", "verkor"])
def test_entity_lookup_accepts_iri_short_id_and_slug(client: GraphQLClient, given: str) -> None:
    data = client.data("query($id: ID!) { entity(id: $id) { id shortId slug kind __typename } }",
                       {"id": given})
    assert data["entity"] == {"id": VERKOR, "shortId": "company/verkor", "slug": "verkor", "kind": "COMPANY",
                              "__typename": "Organisation"}


def test_entity_unknown_id_is_null_with_not_found(client: GraphQLClient) -> None:
    body = client.post('{ entity(id: "company/no-such-company") { id } facility(id: "no-such-slug") { id } }')
    assert body["data"] == {"entity": None, "facility": None}
    assert codes(body["errors"]) == ["NOT_FOUND", "NOT_FOUND"]
    assert all(error["extensions"]["hint"] for error in body["errors"])


def test_typed_lookup_of_other_kind_names_the_kind(client: GraphQLClient) -> None:
    errors = client.errors('{ facility(id: "verkor") { id } }')
    assert errors[0]["extensions"]["code"] == "NOT_FOUND"
    assert errors[0]["extensions"]["actualKind"] == "COMPANY"


def test_lookup_malformed_id_is_bad_id(client: GraphQLClient) -> None:
    assert codes(client.errors('{ entity(id: "not a slug!") { id } }')) == ["BAD_ID"]


def test_facilities_within_hauts_de_france_use_transitive_containment(client: GraphQLClient) -> None:
    data = client.data('{ facilities(filter: {within: "place/hauts-de-france"}, first: 50) '
                       '{ totalCount nodes { slug places { slug } } } }')
    slugs = {node["slug"] for node in data["facilities"]["nodes"]}
    assert "verkor-gigafactory-bourbourg" in slugs
    assert data["facilities"]["totalCount"] == len(slugs)
    for node in data["facilities"]["nodes"]:
        assert "hauts-de-france" in {place["slug"] for place in node["places"]}


def test_everything_in_a_region_includes_towns_and_sites(client: GraphQLClient) -> None:
    data = client.data('{ entities(filter: {within: "hauts-de-france"}, first: 100) { nodes { shortId } } }')
    found = {node["shortId"] for node in data["entities"]["nodes"]}
    assert {"place/bourbourg", "place/dunkirk", "facility/verkor-gigafactory-bourbourg"} <= found
    assert "place/hauts-de-france" not in found


@pytest.mark.parametrize("text, expected", [
    ("dunkerque", "place/dunkirk"),
    ("DUNKERQUE", "place/dunkirk"),
    ("europeenne", "public-body/european-commission"),
    ("Européenne", "public-body/european-commission"),
    ("banque europeenne d investissement", "public-body/eib"),
    ("Linkoping", "facility/aif-mimer"),
])
def test_text_search_ignores_case_accents_and_punctuation(client: GraphQLClient, text: str,
                                                          expected: str) -> None:
    data = client.data("query($t: String) { entities(filter: {text: $t}, first: 100) { nodes { shortId } } }",
                       {"t": text})
    assert expected in {node["shortId"] for node in data["entities"]["nodes"]}


def test_text_search_with_accent_equals_search_without(client: GraphQLClient) -> None:
    query = "query($t: String) { sources(filter: {text: $t}, first: 100) { totalCount nodes { id } } }"
    with_accent = client.data(query, {"t": "Île"})["sources"]
    without = client.data(query, {"t": "ile"})["sources"]
    assert with_accent == without
    assert with_accent["totalCount"] > 0


def test_pagination_walks_all_pages_with_cursors(client: GraphQLClient) -> None:
    query = ("query($after: String) { facilities(first: 7, after: $after) { totalCount "
             "edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage endCursor } } }")
    seen, after, pages = [], None, 0
    while True:
        page = client.data(query, {"after": after})["facilities"]
        seen += [edge["node"]["id"] for edge in page["edges"]]
        pages += 1
        assert page["pageInfo"]["hasPreviousPage"] is (pages > 1)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == page["totalCount"] == 31
    assert pages == 5


def test_pagination_backwards_with_last_and_before(client: GraphQLClient) -> None:
    everything = client.data("{ facilities(first: 50) { edges { cursor node { id } } } }")
    everything = everything["facilities"]["edges"]
    page = client.data("query($b: String) { facilities(last: 3, before: $b) { nodes { id } } }",
                       {"b": everything[10]["cursor"]})["facilities"]
    assert [n["id"] for n in page["nodes"]] == [e["node"]["id"] for e in everything[7:10]]


def test_pagination_rejects_unknown_cursor_and_oversized_page(client: GraphQLClient) -> None:
    settings = curated_settings()
    body = client.post(f'{{ a: facilities(after: "bm90LWEtY3Vyc29y") {{ totalCount }} '
                       f'b: facilities(first: {settings.graphql_max_page + 1}) {{ totalCount }} }}')
    assert body["data"] == {"a": None, "b": None}
    assert sorted(codes(body["errors"])) == ["BAD_CURSOR", "PAGE_SIZE_EXCEEDED"]


def test_disputed_jobs_show_every_competing_claim_with_rank(client: GraphQLClient) -> None:
    data = client.data('{ facility(id: "verkor-2-3") { employment { jobs rank rankReason disputed '
                       'sources { url issued { value } } asOf { value precision } '
                       'competing { rank ... on EmploymentFigure { jobs } } } } }')
    figures = data["facility"]["employment"]
    by_jobs = {(f["jobs"], f["rank"]) for f in figures}
    assert {(4000, "PREFERRED"), (40000, "DEPRECATED")} <= by_jobs
    assert all(f["disputed"] for f in figures)
    deprecated = next(f for f in figures if f["jobs"] == 40000)
    assert "typo" in deprecated["rankReason"]
    assert {(c["jobs"], c["rank"]) for c in deprecated["competing"]} == by_jobs
    assert all(f["asOf"] == {"value": "2025", "precision": "YEAR"} for f in figures)
    assert any(s["url"] for f in figures for s in f["sources"])


def test_disputed_claims_list_filters_by_rank(client: GraphQLClient) -> None:
    data = client.data('{ claims(filter: {subject: "verkor-2-3", sourceProperty: "jobs_expected", '
                       'disputed: true, ranks: [DEPRECATED]}) { totalCount nodes { rank rankReason } } }')
    assert data["claims"]["totalCount"] == 1
    assert data["claims"]["nodes"][0]["rank"] == "DEPRECATED"


def test_amounts_are_exact_decimal_strings_with_currency(client: GraphQLClient) -> None:
    data = client.data('{ facility(id: "verkor-2-3") { investments { rank amount { value currency } } } }')
    preferred = [i["amount"] for i in data["facility"]["investments"] if i["rank"] == "PREFERRED"]
    assert {"value": "4000000000", "currency": "EUR"} in preferred


def test_label_language_fallback_chain(client: GraphQLClient) -> None:
    data = client.data('{ d: place(id: "dunkirk") { fr: label(lang: "fr") en: label(lang: "en") '
                       'de: label(lang: "de") default: label } '
                       'i: initiative(id: "investai") { fr: label(lang: "fr") } }')
    assert data["d"] == {"fr": "Dunkerque", "en": "Dunkirk", "de": "Dunkirk", "default": "Dunkirk"}
    assert data["i"] == {"fr": "InvestAI"}


def test_accept_language_sets_the_default_label_language(client: GraphQLClient) -> None:
    data = client.data('{ place(id: "dunkirk") { label } }', headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert data["place"]["label"] == "Dunkerque"


def test_timeline_of_a_region_is_ordered_with_precision(client: GraphQLClient) -> None:
    data = client.data('{ timeline(id: "hauts-de-france", first: 100) { totalCount nodes { earliest latest '
                       'precision dateAsStated subject { shortId } milestoneType { code } } } }')
    nodes = data["timeline"]["nodes"]
    assert [n["earliest"] for n in nodes] == sorted(n["earliest"] for n in nodes)
    inauguration = [n for n in nodes if n["subject"]["shortId"] == "facility/verkor-gigafactory-bourbourg"
                    and n["milestoneType"]["code"] == "inaugurated"]
    assert inauguration and inauguration[0]["precision"] == "DAY"
    assert inauguration[0]["earliest"] == inauguration[0]["latest"] == "2025-12-11"
    assert all(n["earliest"] <= n["latest"] for n in nodes)


def test_filters_by_programme_status_dates_and_amounts(client: GraphQLClient) -> None:
    data = client.data('{ p: facilities(filter: {programme: "eurohpc-ai-factories"}) { totalCount } '
                       's: entities(filter: {status: "underDeployment"}) { nodes { shortId } } '
                       'd: facilities(filter: {milestoneFrom: "2025-12-01", milestoneTo: "2025-12-31", '
                       'milestoneType: "inaugurated"}) { nodes { shortId } } '
                       'a: facilities(filter: {amountMin: "10000000000", currency: "EUR"}) '
                       '{ nodes { shortId } } }')
    assert data["p"]["totalCount"] == 19
    assert {"shortId": "facility/sc-daedalus"} in data["s"]["nodes"]
    assert data["d"]["nodes"] == [{"shortId": "facility/verkor-gigafactory-bourbourg"}]
    assert data["a"]["nodes"] == [{"shortId": "facility/verkor-gigafactory-bourbourg"}]


def test_sort_by_largest_amount_descending(client: GraphQLClient) -> None:
    data = client.data('{ facilities(sort: {by: LARGEST_AMOUNT, direction: DESC}, first: 3) '
                       '{ nodes { slug } } }')
    assert data["facilities"]["nodes"][0]["slug"] == "verkor-gigafactory-bourbourg"


def test_company_to_facilities_to_investments_to_programmes(client: GraphQLClient) -> None:
    data = client.data('{ organisation(id: "verkor") { facilities { slug operator { slug } investments { '
                       'amount { value } sources { url } underProgramme { id } } } } }')
    facilities = {f["slug"]: f for f in data["organisation"]["facilities"]}
    assert {"verkor-gigafactory-bourbourg", "verkor-2-3"} <= set(facilities)
    assert facilities["verkor-gigafactory-bourbourg"]["operator"] == {"slug": "verkor"}
    assert len(facilities["verkor-gigafactory-bourbourg"]["investments"]) >= 3


def test_programme_to_investments_to_recipients_to_places(client: GraphQLClient) -> None:
    data = client.data('{ programme(id: "eurohpc-ai-factories") { investments { amount { value currency } '
                       'beneficiary { shortId places { slug } } } parts { shortId } } }')
    programme = data["programme"]
    beneficiaries = {i["beneficiary"]["shortId"] for i in programme["investments"]}
    assert "facility/aif-nlaif" in beneficiaries
    assert beneficiaries <= {p["shortId"] for p in programme["parts"]}
    assert {"value": "340000000", "currency": "PLN"} in [i["amount"] for i in programme["investments"]]


def test_identifiers_and_sources_of_a_place(client: GraphQLClient) -> None:
    data = client.data('{ place(id: "hauts-de-france") { kind exactMatch identifiers { notation '
                       'scheme { code } linkMethod { code } } sources { id } } }')
    place = data["place"]
    assert place["kind"] == "REGION"
    assert "FRE" in {i["notation"] for i in place["identifiers"]}
    assert place["sources"]


def test_relation_claims_expose_predicate_and_object(client: GraphQLClient) -> None:
    data = client.data('{ facility(id: "verkor-gigafactory-bourbourg") { claims(kind: RELATION, '
                       'first: 100) { nodes { ... on RelationClaim { predicate { name } '
                       'object { shortId } } } } } }')
    pairs = {(n["predicate"]["name"], (n["object"] or {}).get("shortId"))
             for n in data["facility"]["claims"]["nodes"]}
    assert ("operatedBy", "company/verkor") in pairs


def test_graphiql_is_served_to_browsers(client: GraphQLClient) -> None:
    response = client.request("GET", "/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()
