"""Never stale (issue 14): random interleavings of every write path, and after each step
every question answered with the derived state on (the candidate index, the kept
answers) equals the same question answered from the graph alone.

A hypothesis state machine over a generated place loaded through the real loaders into
a real Neo4j. Its steps are the product's writes (tests/schema/never_stale_writes.py:
loader batches of people, edges, vacancies, skills, qualifications and areas; the
taxonomy's BROADER links; each hub action; consent recorded and withdrawn; erasure; a
personal-details read, which writes only an audit record) and writes made round the
product with plain Cypher, as cypher-shell would, in rounds that run every path once in
an order hypothesis draws. One ``CandidateIndexHolder`` and one ``KeptAnswers`` live
through all the steps and are never refreshed by the test: they follow the journal, and
reread in the background, as the product makes them. After every step:

- ``matching_candidates`` for the asked vacancies (each unfiltered and with each filter)
  and ``brokerage_gaps`` for the shortage anchors (and one anchor and occupation, in
  turn) equal the answers with no index;
- through the schema, as the API answers, the seven kept questions of one anchor and
  ``matchingCandidates`` equal the answers with no index and nothing kept;
- a write round the product is detected: the holder stops answering;
- after a step of the product's own writes the holder still answers (unless Neo4j had
  to name a label, type or property for the first time, a commit of its own that the
  journal cannot show), and after a personal-details read every kept answer is given
  again, so the test cannot pass by the derived state being always off.
"""

from __future__ import annotations

import asyncio
import functools
import os
from pathlib import Path
from typing import Any, ClassVar

import strawberry
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from neo4j import Driver

from graph.algorithms.matching import MatchWeights
from graph.services.brokerage import brokerage_gaps
from graph.services.candidate_index import CandidateIndexHolder
from graph.services.funnel_rows import FollowedFunnels
from graph.services.kept_answers import KeptAnswers
from graph.services.matching import (
    MAX_FIRST,
    CandidateFilter,
    matching_candidates,
    vacancy_requirements,
)
from graph.settings import Neo4jSettings
from schema import GraphContext, build_schema
from schema.limits import GraphQLSettings
from tests.schema.never_stale_writes import ADMIN, ASKED, WRITE_PATHS, PlaceWrites

SEEDS = (2007, 31, 5, 77)
FILTERS = [
    CandidateFilter(right_to_work_only=True),
    CandidateFilter(stages=["placement", "employed", "registered"]),
    CandidateFilter(local_only=True, min_score=0.3),
]
SHORTAGE = """
MATCH (a:AnchorInstitution)-[:POSTS]->(v:Vacancy {shortage: true})-[:FOR_OCCUPATION]->(o:Occupation)
RETURN DISTINCT a.id AS anchor, o.id AS occupation ORDER BY anchor, occupation
"""
TOKENS = [
    "CALL db.labels() YIELD label RETURN label AS token",
    "CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType AS token",
    "CALL db.propertyKeys() YIELD propertyKey RETURN propertyKey AS token",
]
# The heavy questions whose answers are kept (graph.services.kept_answers), each asked of
# one anchor the whole example long, so that a kept answer is given again where it may.
KEPT_QUESTIONS = {
    "brokerageGaps": """query ($anchor: ID!) { brokerageGaps(anchorId: $anchor) {
      candidates linked unlinked unlinkedSupply { organisation { id } people personIds }
      criticalBrokers { node { id } pairsCut } criticalTies { source { id } target { id }
      type pairsCut } suggestedLinks { source { id } target { id } reconnects reason } } }""",
    "funnel": """query ($anchor: ID!) { funnel(anchorId: $anchor, groupBy: OCCUPATION) {
      countsRounded stages { stage reached movedOn conversion medianDaysToNext }
      groups { key stages { stage reached movedOn } } } }""",
    "impact": """query ($anchor: ID!) { impact(anchorId: $anchor) {
      placed totalGbp components { key people amountGbp } } }""",
    "anchorFootprint": """query ($anchor: ID!) { anchorFootprint(anchorId: $anchor) {
      employees communityOrganisations organisationsByYear { year organisations }
      undatedOrganisations landHoldings { id } } }""",
    "partnershipNetwork": """query ($anchor: ID!) { partnershipNetwork(anchorId: $anchor) {
      nodes { id kind name role } ties { source target type strength count } } }""",
    # Every node ranked: a person who leaves (consent withdrawn) changes the answer.
    "centrality": """query { centrality(measure: DEGREE, first: 1000) {
      rank node kind score } }""",
    "brokerageRoles": """query { brokerageRoles(first: 1000) {
      rank node group coordinator itinerant } }""",
}
# The kept questions that read no referral tie's count or date.
KEPT_THROUGH_A_TALLY = {"brokerageGaps", "impact", "anchorFootprint"}
# Answers not only given again or computed afresh: brokerage gaps consult the candidate
# index, and the funnel is worked out from the pipeline kept person by person.
FOLLOWED = {"brokerageGaps", "funnel"}
MATCHING = """query ($vacancy: ID!, $first: Int!) {
  matchingCandidates(vacancyId: $vacancy, first: $first) {
    person score factors { name value contribution detail }
    gaps { kind description closedBy providers { organisation supportsPerson } }
    referralPath { nodes { id } hops cost explanation } } }"""
# Over the kept organisational backbone (graph.services.paths) and the people read afresh.
PATHS = """query ($from: ID!, $to: ID!) {
  referralPaths(from: $from, to: $to, k: 3, mode: STRONGEST_TRUST) {
    nodes { id name } relationships { type strength } hops cost explanation } }"""

NEVER_STALE_SETTINGS = settings(
    max_examples=int(os.environ.get("ASSETBRIDGE_NEVER_STALE_EXAMPLES", "2")),
    # The place's first read, then one round of the 17 write paths.
    stateful_step_count=int(os.environ.get("ASSETBRIDGE_NEVER_STALE_STEPS", "18")),
    deadline=None,
    derandomize=True,
    # Shrinking reloads whole places for minutes; the failing steps are printed as run.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)


@functools.cache
def _schema() -> strawberry.Schema:
    # The questions are compared, not priced: the request limits are lifted.
    return build_schema(GraphQLSettings(max_cost=10_000_000))


class NeverStale(PlaceWrites, RuleBasedStateMachine):
    settings: ClassVar[Neo4jSettings]

    def __init__(self) -> None:
        super().__init__()
        self.holder: CandidateIndexHolder | None = None
        self.kept: KeptAnswers | None = None
        self.funnels: FollowedFunnels | None = None
        self.anchor = ""
        self.sizes: dict[str, int] = {}
        self.steps = 0
        self.last = "the first read"
        self.expect_answer = True
        self.tokens: set[str] = set()
        self.round: list[str] = []

    # -- the place ---------------------------------------------------------------

    @initialize(
        seed=st.sampled_from(SEEDS),
        people=st.integers(60, 90),
        picks=st.lists(st.integers(0, 10**6), min_size=ASKED, max_size=ASKED),
    )
    def place_loaded(self, seed: int, people: int, picks: list[int]) -> None:
        self.load_place(seed, people)
        # As the API does at start-up; from here on only the product reads it again.
        self.holder = CandidateIndexHolder(self.driver, self.db, rebuild_interval_s=0)
        assert self.holder.refresh()
        index = self.holder.current()
        assert index is not None
        # Ask about vacancies among those with the most candidates: a change to any of
        # them shows in the answers.
        found = vacancy_requirements(self.driver, self.db, self.vacancy_rows)
        sizes = {v: len(index.rank(found[v], MatchWeights(), MAX_FIRST)) for v in found}
        ranked = sorted(found, key=lambda v: (-sizes[v], v))[:8]
        assert sizes[ranked[ASKED - 1]] >= 2, "the place must have vacancies with candidates"
        self.asked = []
        for pick in picks:
            remaining = [v for v in ranked if v not in self.asked]
            self.asked.append(remaining[pick % len(remaining)])
        self.kept = KeptAnswers(self.driver, self.db)
        self.funnels = FollowedFunnels(self.driver, self.db)
        self.anchor = f"AnchorInstitution:{self.vacancy_rows[self.asked[0]]['anchor_id']}"
        self.tokens = self._tokens()

    def teardown(self) -> None:
        if self.holder is not None:
            self.holder.close()

    @rule(data=st.data())
    def write(self, data: st.DataObject) -> None:
        """The next write path of the round: a round runs every path once, in an order
        hypothesis draws. (Given one rule a path, hypothesis repeats one rule throughout
        its first example, and the rules it switches off while exploring leave paths out
        of whole examples.)"""
        if not self.round:
            self.round = data.draw(st.permutations(sorted(WRITE_PATHS)), label="round")
        self.last, function = WRITE_PATHS[self.round.pop(0)]
        function(self, data)

    # -- after every step ----------------------------------------------------------------

    @invariant()
    def answers_equal_the_graph(self) -> None:
        if self.holder is None:
            return
        self.steps += 1
        answering = self.holder.current() is not None
        tokens = self._tokens()
        if self.outside_write:
            assert not answering, "a write round the product went unnoticed"
        elif self.expect_answer and not answering:
            assert tokens - self.tokens, f"the index stopped answering after {self.last}"
        # Neo4j naming a label, type or property for the first time commits on its own,
        # which the journal cannot show: every kept answer is then dropped, rightly.
        accounted = not tokens - self.tokens
        self.expect_answer, self.outside_write, self.tokens = answering, False, tokens
        for vacancy in self.asked:
            for filters in (None, *FILTERS):
                off = matching_candidates(self.driver, self.db, vacancy, first=MAX_FIRST,
                                          filters=filters)  # fmt: skip
                # Asked for as many as the graph has: the people of an answer are read
                # afresh, so one the index should have dropped (consent withdrawn) is
                # left out of a longer list, but here takes a place and shows.
                first = min(max(len(off), 1), MAX_FIRST)
                on = matching_candidates(self.driver, self.db, vacancy, first=first,
                                         filters=filters, index=self.holder)  # fmt: skip
                assert on == off, (vacancy, filters, self.last)
                if filters is None:
                    self.sizes[vacancy] = first
        self.aim(vacancy_requirements(self.driver, self.db, self.asked).values())
        pairs = [r.data() for r in self.driver.execute_query(SHORTAGE, database_=self.db).records]
        shortages = [(anchor, None) for anchor in sorted({p["anchor"] for p in pairs})]
        if pairs:
            pair = pairs[self.steps % len(pairs)]
            shortages.append((pair["anchor"], pair["occupation"]))
        for anchor, occupation in shortages:
            on_gaps = brokerage_gaps(self.driver, self.db, anchor, occupation_id=occupation,
                                     index=self.holder)  # fmt: skip
            off_gaps = brokerage_gaps(self.driver, self.db, anchor, occupation_id=occupation)
            assert on_gaps == off_gaps, (anchor, occupation, self.last)
        self._graphql_answers_equal(accounted)
        self.tally_only = False

    def _graphql_answers_equal(self, accounted: bool) -> None:
        """The same through the schema, as the API answers: with the candidate index
        and the kept answers on, and with both off."""
        assert self.kept is not None
        assert self.funnels is not None
        patches = self.funnels.patches
        given_again: set[str] = set()
        for question, document in KEPT_QUESTIONS.items():
            variables = {"anchor": self.anchor} if "$anchor" in document else {}
            hits = self.kept.hits
            on = self._graphql(document, variables, derived=True)
            if self.kept.hits > hits:
                given_again.add(question)
            # An answer computed afresh ran what the fresh one runs, but for the index
            # brokerage gaps consult and the funnel's kept pipeline: only those, and kept
            # answers given again, can differ.
            if self.kept.hits > hits or question in FOLLOWED:
                off = self._graphql(document, variables, derived=False)
                assert on == off, (question, self.last)
        if self.last == WRITE_PATHS["details_read"][0]:
            # It wrote an audit record and no fact: every kept answer holds.
            assert given_again == set(KEPT_QUESTIONS), given_again
        if self.tally_only and accounted:
            # One more referral on a tie already there moved its count and date only:
            # what reads neither holds.
            assert given_again >= KEPT_THROUGH_A_TALLY, given_again
        if self.last == WRITE_PATHS["stage_moved"][0] and accounted:
            # A stage move names one person: the funnel's pipeline took it as a patch.
            assert self.funnels.patches == patches + 1, (patches, self.funnels.patches)
        vacancy = self.asked[self.steps % len(self.asked)]
        asked = {"vacancy": f"Vacancy:{vacancy}", "first": self.sizes[vacancy]}
        on = self._graphql(MATCHING, asked, derived=True)
        assert on == self._graphql(MATCHING, asked, derived=False), (vacancy, self.last)
        self._paths_equal(on["matchingCandidates"], vacancy)

    def _paths_equal(self, matches: list[dict[str, Any]], vacancy: str) -> None:
        """Referral paths from a candidate to the vacancy and from each organisation to
        the anchor, over the kept backbone and over the network read whole."""
        assert self.kept is not None
        ends = [(match["person"], f"Vacancy:{vacancy}") for match in matches[:2]]
        ends += [(f"CommunityOrganisation:{o}", self.anchor) for o in self.organisations]
        hits = self.kept.hits
        for source, target in ends:
            asked = {"from": source, "to": target}
            on = self._graphql(PATHS, asked, derived=True)
            assert on == self._graphql(PATHS, asked, derived=False), (asked, self.last)
        if self.last == WRITE_PATHS["details_read"][0]:
            # No organisation or tie changed: every path was read over the kept backbone.
            assert self.kept.hits - hits == len(ends), (hits, self.kept.hits)

    def _graphql(self, document: str, variables: dict[str, Any], *, derived: bool) -> Any:
        context = GraphContext(
            self.driver, self.settings, caller=ADMIN,
            candidate_index=self.holder if derived else None,
            kept_answers=self.kept if derived else None,
            funnels=self.funnels if derived else None,
        )  # fmt: skip
        result = asyncio.run(
            _schema().execute(document, variable_values=variables, context_value=context)
        )
        assert not result.errors, result.errors
        return result.data

    # -- helpers ---------------------------------------------------------------------

    def _tokens(self) -> set[str]:
        return {
            str(record["token"])
            for query in TOKENS
            for record in self.driver.execute_query(query, database_=self.db).records
        }


def test_no_answer_is_ever_stale(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    NeverStale.driver, NeverStale.settings, NeverStale.folder = clean_db, neo4j_settings, tmp_path
    NeverStale.db = neo4j_settings.database
    run_state_machine_as_test(NeverStale, settings=NEVER_STALE_SETTINGS)
