import pytest

from kg.linking.linker import link_subjects
from kg.linking.records import Verdict
from kg.linking.reference import GeoNamesCities, GeoNamesCountries, Iso3166Countries, NutsTable
from kg.linking.subjects import subjects_from_graph


@pytest.fixture(scope="module")
def sources():
    return {
        "nuts": [NutsTable()],
        "iso3166-1": [Iso3166Countries()],
        "geonames": [GeoNamesCountries(), GeoNamesCities()],
    }


def _by_slug(run, verdict):
    return {(d.subject.slug, d.scheme): d for d in run.by_verdict(verdict)}


def test_subjects_from_graph_reads_names_class_country_and_known_codes(sample_graph):
    subjects = {s.slug: s for s in subjects_from_graph(sample_graph)}
    assert subjects["dunkirk"].country == "FR"
    assert subjects["dunkirk"].names == (("Dunkirk", "en"), ("Dunkerque", "fr"))
    assert subjects["france"].known == {"nuts": "FR"}
    assert subjects["exemple-batteries"].kind == "organisation"
    assert subjects["exemple-batteries"].country == "FR"
    assert ("EXEMPLE BATTERIES SAS", "") in subjects["exemple-batteries"].names


def test_link_subjects_links_a_french_town_to_geonames(sample_graph, sources):
    sure = _by_slug(link_subjects(subjects_from_graph(sample_graph), sources), Verdict.SURE)
    assert sure[("dunkirk", "geonames")].best.candidate.notation == "3020686"


def test_link_subjects_confirms_a_country_by_its_nuts_code(sample_graph, sources):
    sure = _by_slug(link_subjects(subjects_from_graph(sample_graph), sources), Verdict.SURE)
    iso = sure[("france", "iso3166-1")].best
    assert (iso.candidate.notation, iso.method) == ("FR", "reference-code")
    assert sure[("france", "geonames")].best.candidate.notation == "3017382"


def test_link_subjects_sends_a_place_that_is_both_city_and_country_to_review(sample_graph, sources):
    run = link_subjects(subjects_from_graph(sample_graph), sources)
    assert not [d for d in run.by_verdict(Verdict.SURE) if d.subject.slug == "luxembourg"]
    review = _by_slug(run, Verdict.REVIEW)
    assert {s.candidate.feature for s in review[("luxembourg", "geonames")].ranked} >= {
        "country",
        "municipality",
    }


def test_link_subjects_leaves_a_town_missing_from_the_reference_unlinked(sample_graph, sources):
    run = link_subjects(subjects_from_graph(sample_graph), sources)
    assert not [d for d in run.decisions if d.subject.slug == "bourbourg" and d.verdict is not Verdict.NONE]
