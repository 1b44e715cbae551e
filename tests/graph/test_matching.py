"""Matching on a real Neo4j, and the score's monotonicity by property-based tests."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from neo4j import Driver

from graph.algorithms.matching import MatchWeights, score_factors, total
from graph.errors import NotFoundError
from graph.models.matching import CandidateFacts, Recognition, SkillRef, VacancyRequirements
from graph.services.matching import CandidateFilter, matching_candidates, opportunities_for
from graph.settings import Neo4jSettings

YES = "consent_given_at: datetime('2024-01-01T00:00:00')"

PLACE = f"""
CREATE (la:Area {{id: 'E08', name: 'City', kind: 'local_authority'}})
CREATE (ward:Area {{id: 'E05', name: 'Ward', kind: 'ward'}})-[:WITHIN]->(la)
CREATE (far:Area {{id: 'E09', name: 'Elsewhere', kind: 'local_authority'}})
CREATE (nurse:Occupation {{id: 'occ-nurse', preferred_label: 'nurse', regulated: true, regulator: 'NMC'}})
CREATE (care:Skill {{id: 'sk-care', preferred_label: 'provide nursing care'}})
CREATE (meds:Skill {{id: 'sk-meds', preferred_label: 'administer medication'}})-[:BROADER]->(care)
CREATE (triage:Skill {{id: 'sk-triage', preferred_label: 'triage patients'}})
CREATE (records:Skill {{id: 'sk-records', preferred_label: 'clinical records'}})
CREATE (trust:AnchorInstitution {{id: 'trust', name: 'City Hospital Trust'}})-[:LOCATED_IN]->(la)
CREATE (hub:Department {{id: 'hub', name: 'Learning Works', kind: 'employment_hub'}})-[:PART_OF]->(trust)
CREATE (v:Vacancy {{id: 'v-nurse', title: 'Staff Nurse', min_ielts: 7.0, shortage: true,
                   status: 'open', registration_required: true}})
CREATE (trust)-[:POSTS]->(v)
CREATE (v)-[:FOR_OCCUPATION]->(nurse)
CREATE (v)-[:REQUIRES {{essential: true}}]->(care)
CREATE (v)-[:REQUIRES {{essential: true}}]->(triage)
CREATE (v)-[:REQUIRES {{essential: false}}]->(records)
CREATE (q:Qualification {{id: 'q-bsc', title: 'BSc Nursing'}})-[:QUALIFIES_FOR {{status: 'recognised'}}]->(nurse)
CREATE (welcome:CommunityOrganisation {{id: 'welcome', name: 'Refugee Welcome'}})
CREATE (english:CommunityOrganisation {{id: 'english', name: 'English for Work'}})
CREATE (english)-[:OFFERS]->(:Service {{id: 's-ielts', name: 'IELTS preparation', service_type: 'ielts_tuition'}})
CREATE (welcome)-[:OFFERS]->(:Service {{id: 's-esol', name: 'ESOL', service_type: 'english_classes'}})
CREATE (welcome)-[:REFERS_TO {{strength: 0.8}}]->(hub)
CREATE (ready:Person {{id: 'ready', {YES}, stage: 'accreditation', right_to_work: true,
                       ielts_overall: 7.5, trained_as: 'occ-nurse'}})
CREATE (ready)-[:HAS_SKILL]->(care)
CREATE (ready)-[:HAS_SKILL]->(triage)
CREATE (ready)-[:HOLDS]->(q)
CREATE (ready)-[:LIVES_IN]->(ward)
CREATE (ready)-[:SUPPORTED_BY {{strength: 0.9}}]->(welcome)
CREATE (learner:Person {{id: 'learner', {YES}, stage: 'language_training', right_to_work: true,
                         ielts_overall: 6.0, trained_as: 'occ-nurse'}})
CREATE (learner)-[:HAS_SKILL]->(meds)
CREATE (learner)-[:HAS_SKILL]->(triage)
CREATE (learner)-[:HOLDS]->(q)
CREATE (learner)-[:LIVES_IN]->(ward)
CREATE (learner)-[:SUPPORTED_BY {{strength: 0.7}}]->(welcome)
CREATE (private:Person {{id: 'private', stage: 'registered', right_to_work: true, ielts_overall: 8.0,
                         trained_as: 'occ-nurse'}})
CREATE (private)-[:HAS_SKILL]->(care)
CREATE (withdrawn:Person {{id: 'withdrawn', {YES}, consent_withdrawn_at: datetime('2024-06-01T00:00:00'),
                           trained_as: 'occ-nurse'}})
"""


@pytest.fixture
def place(clean_db: Driver, neo4j_settings: Neo4jSettings) -> Driver:
    clean_db.execute_query(PLACE, database_=neo4j_settings.database)
    return clean_db


def test_full_match_ranks_above_the_language_gap(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    matches = matching_candidates(place, neo4j_settings.database, "v-nurse")
    assert [m.person_id for m in matches] == ["ready", "learner"]
    ready, learner = matches
    assert ready.gaps == []
    assert ready.score == pytest.approx(0.35 + 0.0 + 0.15 + 0.15 + 0.10 + 0.04 + 0.05)
    language = [g for g in learner.gaps if g.kind == "language"]
    assert [g.description for g in language] == ["IELTS 7.0 needed, has 6.0"]
    assert [p.organisation_name for p in language[0].providers] == [
        "Refugee Welcome",  # supports the learner, so listed first
        "English for Work",
    ]
    assert language[0].providers[0].supports_person is True


def test_factors_explain_the_score(place: Driver, neo4j_settings: Neo4jSettings) -> None:
    learner = matching_candidates(place, neo4j_settings.database, "v-nurse")[1]
    factors = {f.name: f for f in learner.factors}
    # administer medication is narrower than the required nursing care: half credit.
    assert factors["essential_skills"].value == pytest.approx((1 + 0.5) / 2)
    assert factors["essential_skills"].detail == "1 of 2 held, 1 related (provide nursing care)"
    assert factors["language"].value == pytest.approx(6.0 / 7.0)
    assert factors["qualification"].detail == "qualification recognised"
    assert sum(f.contribution for f in learner.factors) == pytest.approx(learner.score, abs=1e-4)


def test_people_without_consent_never_appear(place: Driver, neo4j_settings: Neo4jSettings) -> None:
    ids = [m.person_id for m in matching_candidates(place, neo4j_settings.database, "v-nurse")]
    assert "private" not in ids
    assert "withdrawn" not in ids
    with pytest.raises(NotFoundError):
        opportunities_for(place, neo4j_settings.database, "private")


def test_best_path_from_the_hub(place: Driver, neo4j_settings: Neo4jSettings) -> None:
    ready = matching_candidates(place, neo4j_settings.database, "v-nurse")[0]
    assert ready.referral_path is not None
    assert [n.id for n in ready.referral_path.nodes] == ["hub", "welcome", "ready"]
    assert ready.referral_path.explanation == "Learning Works → Refugee Welcome → this person"


def test_filters(place: Driver, neo4j_settings: Neo4jSettings) -> None:
    db = neo4j_settings.database
    only_training = CandidateFilter(stages=["language_training"])
    assert [
        m.person_id for m in matching_candidates(place, db, "v-nurse", filters=only_training)
    ] == ["learner"]
    assert matching_candidates(place, db, "v-nurse", filters=CandidateFilter(min_score=0.9)) == []


def test_opportunities_for_a_person(place: Driver, neo4j_settings: Neo4jSettings) -> None:
    found = opportunities_for(place, neo4j_settings.database, "learner")
    assert [(m.vacancy_id, m.vacancy_title) for m in found] == [("v-nurse", "Staff Nurse")]
    assert {g.kind for g in found[0].gaps} == {"language"}


# -- monotonicity ---------------------------------------------------------------------

VACANCY = VacancyRequirements(
    id="v", title="Nurse", occupation_id="occ", regulated=True, min_ielts=7.0, places=["E08"],
    essential=[SkillRef(id=f"e{i}") for i in range(4)],
    optional=[SkillRef(id=f"o{i}") for i in range(3)],
)  # fmt: skip
SKILLS = [s.id for s in [*VACANCY.essential, *VACANCY.optional]]
STAGES = ["engaged", "language_training", "accreditation", "placement", "employed", "registered"]

facts_strategy = st.builds(
    CandidateFacts,
    id=st.just("p"),
    stage=st.sampled_from(STAGES),
    right_to_work=st.sampled_from([None, False, True]),
    ielts_overall=st.one_of(st.none(), st.sampled_from([x / 2 for x in range(0, 19)])),
    held=st.lists(st.sampled_from(SKILLS), unique=True),
    related=st.lists(st.sampled_from(SKILLS), unique=True),
    recognitions=st.lists(
        st.builds(
            Recognition,
            occupation_id=st.just("occ"),
            status=st.sampled_from(["recognised", "partial", "pending", "not_recognised"]),
        )
    ),  # fmt: skip
    places=st.lists(st.sampled_from(["E08", "E09"]), unique=True),
)


def _score(facts: CandidateFacts) -> float:
    return total(score_factors(facts, VACANCY, MatchWeights()))


@given(facts_strategy, st.sampled_from(SKILLS))
def test_more_skills_never_lower_the_score(facts: CandidateFacts, skill: str) -> None:
    more = facts.model_copy(update={"held": sorted({*facts.held, skill})})
    assert _score(more) >= _score(facts)


@given(facts_strategy, st.sampled_from(SKILLS))
def test_a_related_skill_never_lowers_the_score(facts: CandidateFacts, skill: str) -> None:
    more = facts.model_copy(update={"related": sorted({*facts.related, skill})})
    assert _score(more) >= _score(facts)


@given(facts_strategy, st.floats(min_value=0, max_value=9))
def test_a_higher_band_never_lowers_the_score(facts: CandidateFacts, band: float) -> None:
    higher = max(band, facts.ielts_overall or 0.0)
    assert _score(facts.model_copy(update={"ielts_overall": higher})) >= _score(facts)


@given(facts_strategy)
def test_a_later_stage_and_the_right_to_work_never_lower_the_score(facts: CandidateFacts) -> None:
    later = STAGES[min(STAGES.index(facts.stage or "engaged") + 1, len(STAGES) - 1)]
    assert _score(facts.model_copy(update={"stage": later})) >= _score(facts)
    assert _score(facts.model_copy(update={"right_to_work": True})) >= _score(facts)
    assert _score(facts.model_copy(update={"places": ["E08"]})) >= _score(facts)


@given(facts_strategy)
def test_the_bare_score_equals_the_breakdowns_total(facts: CandidateFacts) -> None:
    from graph.algorithms.matching import score

    assert score(facts, VACANCY, MatchWeights()) == _score(facts)


def test_a_vacancys_skills_are_in_id_order_whatever_order_the_graph_gives() -> None:
    # Two loads of one file may store a vacancy's REQUIRES ties in different orders.
    given = [SkillRef(id="skill-triage"), SkillRef(id="skill-care"), SkillRef(id="skill-meds")]
    vacancy = VacancyRequirements(id="v", title="Nurse", essential=given, optional=given[::-1])
    assert [s.id for s in vacancy.essential] == ["skill-care", "skill-meds", "skill-triage"]
    assert [s.id for s in vacancy.optional] == ["skill-care", "skill-meds", "skill-triage"]
