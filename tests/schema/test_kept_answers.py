"""Heavy answers kept per version of their facts: given again while nothing they read has
changed, recomputed (and equal to a fresh answer) once a write touches it, dropped whole
after a write round the product, never shared between disclosure levels."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import strawberry
from neo4j import Driver

from graph.access import Caller, Role
from graph.services.kept_answers import KNOWN_KINDS, KeptAnswers, Question
from graph.settings import Neo4jSettings, get_place_settings
from schema.kept import frozen
from schema.types.impact import ImpactAssumptionsInput, OccupationSalaryInput
from tests.schema.place import load_tables, run

ANALYST = Caller(subject="t-analyst", role=Role.ANALYST)
ADMIN = Caller(subject="t-admin", role=Role.ADMIN)
LEADER = Caller(subject="t-leader", role=Role.PLACE_LEADER)
CASEWORKER = Caller(subject="t-caseworker", role=Role.CASEWORKER, organisation_id="org-welcome")

ANCHOR = "AnchorInstitution:anchor-lth"
QUERIES: dict[Question, str] = {
    Question.BROKERAGE_GAPS: f"""{{ brokerageGaps(anchorId: "{ANCHOR}") {{
      candidates linked unlinked unlinkedSupply {{ organisation {{ id }} people }}
      criticalBrokers {{ node {{ id }} pairsCut }}
      criticalTies {{ source {{ id }} target {{ id }} pairsCut }}
      suggestedLinks {{ source {{ id }} target {{ id }} reconnects reason }} }} }}""",
    Question.FUNNEL: f"""{{ funnel(anchorId: "{ANCHOR}", groupBy: OCCUPATION) {{
      countsRounded stages {{ stage reached movedOn conversion medianDaysToNext }}
      groups {{ key stages {{ stage reached movedOn }} }} }} }}""",
    Question.IMPACT: f"""{{ impact(anchorId: "{ANCHOR}") {{
      placed totalGbp components {{ key people amountGbp }} }} }}""",
    Question.ANCHOR_FOOTPRINT: f"""{{ anchorFootprint(anchorId: "{ANCHOR}") {{
      employees communityOrganisations organisationsByYear {{ year organisations }}
      landHoldings {{ id }} }} }}""",
    Question.PARTNERSHIP_NETWORK: f"""{{ partnershipNetwork(anchorId: "{ANCHOR}") {{
      nodes {{ id name role }} ties {{ source target type count }} }} }}""",
    Question.CENTRALITY: "{ centrality(measure: DEGREE, first: 50) { rank node kind score } }",
    Question.BROKERAGE_ROLES: "{ brokerageRoles(first: 50) { rank node total } }",
}
# Questions whose answers count or list people: a consent given or withdrawn changes them.
ABOUT_PEOPLE = [
    Question.BROKERAGE_GAPS,
    Question.FUNNEL,
    Question.IMPACT,
    Question.CENTRALITY,
    Question.BROKERAGE_ROLES,
]
ABOUT_ORGANISATIONS = [Question.ANCHOR_FOOTPRINT, Question.PARTNERSHIP_NETWORK]

PERSONAL_READ = '{ node(id: "Person:p-1") { ... on Person { personal { name } } } }'
REFERRAL = """mutation ($from: ID!) {
  recordReferral(from: $from, to: "Department:dept-hub", on: "2025-02-01") { count } }"""
STAGE_MOVE = """mutation {
  movePersonStage(personId: "Person:p-1", stage: ACCREDITATION, on: "2025-01-15") { id } }"""
WITHDRAWAL = "mutation ($person: ID!) { withdrawConsent(personId: $person) { current } }"
RENAME_ROUND_THE_PRODUCT = (
    "MATCH (o:CommunityOrganisation {id: 'org-church'}) SET o.name = 'Renamed in the Browser'"
)

# A nurse (one gap: her training is not yet recognised) supported only by an organisation with no tie to anyone: unlinked supply
# for the hospital until that organisation refers to its employment hub.
CUT_OFF: list[tuple[str, list[str], list[list[object]]]] = [
    (
        "organisations",
        ["id", "name", "org_type", "founded_year", "website", "area_id"],
        [["org-isolated", "Isolated Aid", "frontline", "2015", "", "E01011332"]],
    ),
    (
        "people",
        ["id", "home_area_id", "right_to_work", "trained_as", "languages", "ielts_overall",
         "stage", "consent_given_at", "skill_ids", "organisation_ids"],
        [["p-5", "E01011332", "yes", "occ-nurse", "en:C1", "7.5", "engaged",
          "2024-03-01T09:00:00", "skill-triage;skill-meds", "org-isolated"]],
    ),
]  # fmt: skip


def _data(body: dict[str, Any]) -> Any:
    assert "errors" not in body, body
    return body["data"]


def _ask(
    place: Driver,
    settings: Neo4jSettings,
    question: Question,
    caller: Caller = ANALYST,
    kept: KeptAnswers | None = None,
) -> Any:
    return _data(run(place, settings, QUERIES[question], caller=caller, kept_answers=kept))


def _fresh(place: Driver, settings: Neo4jSettings, question: Question, caller: Caller) -> Any:
    """The answer with nothing kept: computed from the graph as it is."""
    return _ask(place, settings, question, caller)


def _write(place: Driver, settings: Neo4jSettings, mutation: str, **variables: Any) -> None:
    _data(run(place, settings, mutation, variables, caller=ADMIN))


def _kept(place: Driver, settings: Neo4jSettings) -> KeptAnswers:
    return KeptAnswers(place, settings.database)


def test_a_second_identical_question_is_given_the_kept_answer(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    kept = _kept(place, neo4j_settings)
    first = {q: _ask(place, neo4j_settings, q, kept=kept) for q in QUERIES}
    assert (kept.hits, kept.misses) == (0, len(QUERIES))
    again = {q: _ask(place, neo4j_settings, q, kept=kept) for q in QUERIES}
    assert (kept.hits, kept.misses) == (len(QUERIES), len(QUERIES))
    assert again == first == {q: _fresh(place, neo4j_settings, q, ANALYST) for q in QUERIES}
    assert kept.count == len(QUERIES)


def test_other_arguments_are_other_answers(place: Driver, neo4j_settings: Neo4jSettings) -> None:
    kept = _kept(place, neo4j_settings)
    top = "{ centrality(measure: DEGREE, first: 2) { node } }"
    everyone = "{ centrality(measure: DEGREE, first: 50) { node } }"
    answers = [
        _data(run(place, neo4j_settings, query, caller=ANALYST, kept_answers=kept))
        for query in (top, everyone, top)
    ]
    assert (kept.hits, kept.misses) == (1, 2)
    assert len(answers[0]["centrality"]) == 2 < len(answers[1]["centrality"])
    assert answers[2] == answers[0]


def test_a_referral_recomputes_what_reads_referrals_and_keeps_the_rest(
    place: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    load_tables(place, neo4j_settings.database, tmp_path, CUT_OFF)
    kept = _kept(place, neo4j_settings)
    gaps = _ask(place, neo4j_settings, Question.BROKERAGE_GAPS, kept=kept)["brokerageGaps"]
    network = _ask(place, neo4j_settings, Question.PARTNERSHIP_NETWORK, kept=kept)
    funnel = _ask(place, neo4j_settings, Question.FUNNEL, kept=kept)
    assert gaps["unlinkedSupply"] == [
        {"organisation": {"id": "CommunityOrganisation:org-isolated"}, "people": 1}
    ]

    _write(place, neo4j_settings, REFERRAL, **{"from": "CommunityOrganisation:org-isolated"})

    hits, misses = kept.hits, kept.misses
    gaps_after = _ask(place, neo4j_settings, Question.BROKERAGE_GAPS, kept=kept)["brokerageGaps"]
    network_after = _ask(place, neo4j_settings, Question.PARTNERSHIP_NETWORK, kept=kept)
    assert (kept.hits, kept.misses) == (hits, misses + 2)
    assert gaps_after["unlinkedSupply"] == []
    assert gaps_after["linked"] == gaps["linked"] + 1
    assert network_after != network
    fresh = _fresh(place, neo4j_settings, Question.BROKERAGE_GAPS, ANALYST)["brokerageGaps"]
    assert gaps_after == fresh
    assert network_after == _fresh(place, neo4j_settings, Question.PARTNERSHIP_NETWORK, ANALYST)
    # The funnel reads no referral: its kept answer is still good.
    assert _ask(place, neo4j_settings, Question.FUNNEL, kept=kept) == funnel
    assert kept.hits == hits + 1


TRUST = """mutation ($strength: Float!) {
  recordReferral(from: "CommunityOrganisation:org-welcome", to: "Department:dept-hub",
                 on: "2025-02-01", strength: $strength) { count } }"""


def test_a_referral_on_a_tie_already_there_keeps_brokerage_gaps(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    """org-welcome refers to the hub already: one more referral moves the tie's count and
    last date, which brokerage gaps do not read (a tie's being there, its type and its
    trust) and the partnership network does. A trust moved on it is read by both."""
    kept = _kept(place, neo4j_settings)
    gaps = _ask(place, neo4j_settings, Question.BROKERAGE_GAPS, kept=kept)
    network = _ask(place, neo4j_settings, Question.PARTNERSHIP_NETWORK, kept=kept)

    _write(place, neo4j_settings, REFERRAL, **{"from": "CommunityOrganisation:org-welcome"})
    _write(place, neo4j_settings, TRUST, strength=0.7)  # the trust it has: a count only

    hits, misses = kept.hits, kept.misses
    assert _ask(place, neo4j_settings, Question.BROKERAGE_GAPS, kept=kept) == gaps
    assert (kept.hits, kept.misses) == (hits + 1, misses)
    network_after = _ask(place, neo4j_settings, Question.PARTNERSHIP_NETWORK, kept=kept)
    assert (kept.hits, kept.misses) == (hits + 1, misses + 1)
    assert network_after != network
    assert network_after == _fresh(place, neo4j_settings, Question.PARTNERSHIP_NETWORK, ANALYST)
    assert gaps == _fresh(place, neo4j_settings, Question.BROKERAGE_GAPS, ANALYST)

    _write(place, neo4j_settings, TRUST, strength=0.2)
    gaps_after = _ask(place, neo4j_settings, Question.BROKERAGE_GAPS, kept=kept)
    assert (kept.hits, kept.misses) == (hits + 1, misses + 2)
    assert gaps_after == _fresh(place, neo4j_settings, Question.BROKERAGE_GAPS, ANALYST)


def test_a_stage_move_recomputes_the_funnel_and_keeps_the_network(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    kept = _kept(place, neo4j_settings)
    funnel = _ask(place, neo4j_settings, Question.FUNNEL, kept=kept)
    network = _ask(place, neo4j_settings, Question.PARTNERSHIP_NETWORK, kept=kept)

    _write(place, neo4j_settings, STAGE_MOVE)

    hits, misses = kept.hits, kept.misses
    moved = _ask(place, neo4j_settings, Question.FUNNEL, kept=kept)
    assert (kept.hits, kept.misses) == (hits, misses + 1)
    assert moved != funnel
    assert moved == _fresh(place, neo4j_settings, Question.FUNNEL, ANALYST)
    assert _ask(place, neo4j_settings, Question.PARTNERSHIP_NETWORK, kept=kept) == network
    assert kept.hits == hits + 1


def test_a_withdrawn_consent_leaves_every_answer_about_people_at_once(
    place: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    load_tables(place, neo4j_settings.database, tmp_path, CUT_OFF)
    kept = _kept(place, neo4j_settings)
    before = {q: _ask(place, neo4j_settings, q, kept=kept) for q in QUERIES}
    assert "Person:p-5" in {entry["node"] for entry in before[Question.CENTRALITY]["centrality"]}
    assert before[Question.BROKERAGE_GAPS]["brokerageGaps"]["candidates"] == 1

    _write(place, neo4j_settings, WITHDRAWAL, person="Person:p-5")

    hits, misses = kept.hits, kept.misses
    after = {q: _ask(place, neo4j_settings, q, kept=kept) for q in QUERIES}
    assert (kept.hits, kept.misses) == (
        hits + len(ABOUT_ORGANISATIONS),
        misses + len(ABOUT_PEOPLE),
    )
    assert "Person:p-5" not in {e["node"] for e in after[Question.CENTRALITY]["centrality"]}
    assert after[Question.BROKERAGE_GAPS]["brokerageGaps"]["candidates"] == 0
    assert after == {q: _fresh(place, neo4j_settings, q, ANALYST) for q in QUERIES}


def test_a_personal_details_read_keeps_every_answer(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    kept = _kept(place, neo4j_settings)
    before = {q: _ask(place, neo4j_settings, q, kept=kept) for q in QUERIES}
    seq = kept.follow().seq

    # Reading a person's details writes its audit record, and nothing any question reads.
    assert _data(run(place, neo4j_settings, PERSONAL_READ, caller=ADMIN))["node"]["personal"]
    assert kept.follow().seq == seq + 1

    hits = kept.hits
    assert {q: _ask(place, neo4j_settings, q, kept=kept) for q in QUERIES} == before
    assert kept.hits == hits + len(QUERIES)


def test_a_write_round_the_product_drops_every_answer(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    kept = _kept(place, neo4j_settings)
    before = {q: _ask(place, neo4j_settings, q, kept=kept) for q in QUERIES}
    drops = kept.drops

    place.execute_query(RENAME_ROUND_THE_PRODUCT, database_=neo4j_settings.database)

    kept.follow()
    assert (kept.count, kept.drops) == (0, drops + 1)
    hits, misses = kept.hits, kept.misses
    after = {q: _ask(place, neo4j_settings, q, kept=kept) for q in QUERIES}
    assert (kept.hits, kept.misses) == (hits, misses + len(QUERIES))
    renamed = {n["id"]: n["name"] for n in after[Question.PARTNERSHIP_NETWORK]
               ["partnershipNetwork"]["nodes"]}  # fmt: skip
    assert renamed["CommunityOrganisation:org-church"] == "Renamed in the Browser"
    assert after != before
    assert after == {q: _fresh(place, neo4j_settings, q, ANALYST) for q in QUERIES}


# Where the small place shows a place leader less than an analyst.
@pytest.mark.parametrize("question", [Question.CENTRALITY, Question.FUNNEL, Question.IMPACT])
def test_a_place_leader_is_never_given_an_analysts_answer(
    place: Driver, neo4j_settings: Neo4jSettings, question: Question
) -> None:
    kept = _kept(place, neo4j_settings)
    analyst = _ask(place, neo4j_settings, question, ANALYST, kept)
    leader = _ask(place, neo4j_settings, question, LEADER, kept)
    assert (kept.hits, kept.misses) == (0, 2)
    assert leader != analyst
    assert leader == _fresh(place, neo4j_settings, question, LEADER)
    assert _ask(place, neo4j_settings, question, LEADER, kept) == leader
    assert _ask(place, neo4j_settings, question, ANALYST, kept) == analyst
    assert (kept.hits, kept.misses) == (2, 2)


def test_callers_of_one_disclosure_level_are_shown_the_same_answers(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    """What makes sharing an entry between roles sound: with nothing kept, the roles
    of one level get equal answers to every question they may ask."""
    for question in QUERIES:
        callers = [ANALYST, ADMIN]
        if question not in (Question.FUNNEL, Question.IMPACT, Question.ANCHOR_FOOTPRINT):
            callers.append(CASEWORKER)  # the place view is not a caseworker's
        answers = [_fresh(place, neo4j_settings, question, caller) for caller in callers]
        assert answers == [answers[0]] * len(callers), question
    kept = _kept(place, neo4j_settings)
    _ask(place, neo4j_settings, Question.CENTRALITY, ANALYST, kept)
    _ask(place, neo4j_settings, Question.CENTRALITY, CASEWORKER, kept)
    assert (kept.hits, kept.misses) == (1, 1)


@pytest.mark.parametrize("question", list(QUERIES))
def test_callers_of_other_places_are_never_given_each_others_answers(
    place: Driver, neo4j_settings: Neo4jSettings, question: Question
) -> None:
    """Callers of one level who may see other places are other audiences (each is shown
    its places only), and so is one who may see every place; callers of the same places
    share. (The place the test graph is in is seen by all three, so each may ask.)"""
    kept = _kept(place, neo4j_settings)
    home = get_place_settings().default_place_id
    ours = Caller(subject="t-ours", role=Role.ANALYST, places=frozenset({home}))
    wider = Caller(subject="t-wider", role=Role.ANALYST, places=frozenset({home, "elsewhere"}))
    for caller in (ours, wider, ANALYST):
        _ask(place, neo4j_settings, question, caller, kept)
    assert (kept.hits, kept.misses) == (0, 3)
    again = Caller(subject="t-ours-too", role=Role.ANALYST, places=frozenset({home}))
    _ask(place, neo4j_settings, question, again, kept)
    assert (kept.hits, kept.misses) == (1, 3)


def test_every_kind_the_product_journals_is_declared(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    """A kind no question declares drops every kept answer (never stale, only slower):
    the writes of the place and the hub's must not."""
    _write(place, neo4j_settings, REFERRAL, **{"from": "CommunityOrganisation:org-welcome"})
    _write(place, neo4j_settings, STAGE_MOVE)
    _write(place, neo4j_settings, WITHDRAWAL, person="Person:p-1")
    run(place, neo4j_settings, PERSONAL_READ, caller=ADMIN)
    records, _, _ = place.execute_query(
        "MATCH (c:Change) UNWIND c.kinds AS kind RETURN collect(DISTINCT kind) AS kinds",
        database_=neo4j_settings.database,
    )
    journalled = set(records[0]["kinds"])
    assert {"StageChange", "ConsentEvent", "edges", "REFERS_TO", "ReferralTally"} <= journalled
    assert journalled - KNOWN_KINDS == set()


def test_arguments_are_keyed_by_value() -> None:
    def assumptions(salary: float) -> ImpactAssumptionsInput:
        return ImpactAssumptionsInput(
            salaries=[
                OccupationSalaryInput(
                    occupation=strawberry.ID("Occupation:occ-nurse"), annual_salary_gbp=salary
                )
            ]
        )

    assert frozen(("a", assumptions(30000.0))) == frozen(("a", assumptions(30000.0)))
    assert frozen(("a", assumptions(30000.0))) != frozen(("a", assumptions(31000.0)))
    assert frozen((None, [Role.ANALYST])) == (None, (Role.ANALYST,))
    with pytest.raises(TypeError, match="object"):
        frozen(object())
