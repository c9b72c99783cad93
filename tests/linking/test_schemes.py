import pytest

from kg.errors import LinkError
from kg.linking.schemes import SCHEMES, lei_is_valid, scheme


def test_lei_is_valid_checks_iso_17442_check_digits():
    assert lei_is_valid("ZZZZ00TESTEXBAT00163")
    assert not lei_is_valid("ZZZZ00TESTEXBAT00164")
    assert not lei_is_valid("zzzz00testexbat00163")


@pytest.mark.parametrize(
    ("code", "notation", "iri"),
    [
        ("wikidata", "Q142", "http://www.wikidata.org/entity/Q142"),
        ("nuts", "FRE1", "http://data.europa.eu/nuts/code/FRE1"),
        ("geonames", "3020686", "https://sws.geonames.org/3020686/"),
        ("lei", "ZZZZ00TESTEXBAT00163", "https://lei.info/ZZZZ00TESTEXBAT00163"),
        ("iso3166-1", "FR", None),
    ],
)
def test_scheme_external_iri_follows_the_model(code, notation, iri):
    assert SCHEMES[code].is_valid(notation)
    assert SCHEMES[code].external_iri(notation) == iri


def test_scheme_unknown_code_raises_link_error():
    with pytest.raises(LinkError, match="unknown identifier scheme"):
        scheme("duns")
