import pytest

from kg.linking.normalise import acronym, normalise, variants


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("VERKOR SAS", "verkor"),
        ("Verkor S.A.S.", "verkor"),
        ("Siemens Energy AG", "siemens energy"),
        ("Automobili Lamborghini S.p.A.", "automobili lamborghini"),
        ("Beispiel GmbH", "beispiel"),
        ("Commission européenne", "commission europeenne"),
        ("Grand Port Maritime de Dunkerque", "grand port maritime dunkerque"),
        ("The European Investment Bank", "european investment bank"),
        ("Hauts-de-France", "hauts france"),
        ("ProLogium Technology Co., Ltd.", "prologium technology"),
    ],
)
def test_normalise_folds_case_accents_legal_forms_and_articles(name, key):
    assert normalise(name) == key


def test_normalise_keeps_a_name_made_only_of_a_legal_form():
    assert normalise("SE") == "se"


def test_variants_split_bracketed_acronyms_and_alternative_names():
    assert variants("Automotive Cells Company (ACC)") == ["automotive cells company", "acc"]
    assert variants("AESC (Automotive Energy Supply Corporation)") == [
        "aesc",
        "automotive energy supply corporation",
    ]


def test_acronym_found_only_in_upper_case_brackets():
    assert acronym("Automotive Cells Company (ACC)") == "acc"
    assert acronym("Verkor Gigafactory (Bourbourg / Port of Dunkirk)") is None
