"""The demo a newcomer sees is large enough for a place leader: loaded as `make demo` loads
it (`assetbridge demo load`, no options), the explorer page's first anchor shows every funnel
stage, most stages of each occupation, the brokerage candidates of each shortage occupation
and most critical brokers' cuts, rather than hiding them all as small cells; and for the
trust's nurses, the page's headline: how many candidates have a referral route in and how
many have none. (Where fewer than 10 of an occupation's candidates have no route in, both
counts stay hidden, as they should.)"""

from __future__ import annotations

from typing import Any

from neo4j import Driver
from typer.testing import CliRunner

from assetbridge.cli import app
from graph.access import Caller, Role
from graph.settings import Neo4jSettings
from loaders.demo import DEMO_PEOPLE
from tests.schema.place import run

LEADER = Caller(subject="demo-leader", role=Role.PLACE_LEADER)

# What the explorer page (api/static/explore.js) asks first, and the fields it shows.
ANCHORS = """{ anchors(first: 50, sort: NAME) { edges { node { id
  vacancies { shortage occupation { id preferredLabel } } } } } }"""
FUNNEL = """query ($a: ID!) { funnel(anchorId: $a, groupBy: OCCUPATION) { countsRounded
  stages { stage reached movedOn } groups { key stages { stage reached } } } }"""
STAGES = ["ENGAGED", "LANGUAGE_TRAINING", "ACCREDITATION", "PLACEMENT", "EMPLOYED", "REGISTERED"]
GAPS = """query ($a: ID!, $o: ID) { brokerageGaps(anchorId: $a, occupation: $o) {
  candidates linked unlinked unlinkedSupply { organisation { name } people }
  criticalBrokers { pairsCut } } }"""
# The circles that refer nobody on and that nobody refers to (loaders/demo/org_data.py):
# the Hazara elders and the Roma families reach the trust through the council.
NO_ROUTE_IN = {"Tigrinya Mothers' Circle", "Yemeni Community Kitchen"}


def _ask(driver: Driver, settings: Neo4jSettings, query: str, **variables: Any) -> Any:
    body = run(driver, settings, query, variables, caller=LEADER)
    assert "errors" not in body, body
    return body["data"]


def _shortage_occupations(anchor: dict[str, Any]) -> list[str]:
    """The page's occupation choices for an anchor, in its order: shortage ones first."""
    labels: dict[str, str] = {}
    shortage: set[str] = set()
    for vacancy in anchor["vacancies"]:
        occupation = vacancy["occupation"]
        if occupation:
            labels[occupation["id"]] = occupation["preferredLabel"]
            if vacancy["shortage"]:
                shortage.add(occupation["id"])
    ordered = sorted(labels, key=lambda o: (o not in shortage, labels[o]))
    return [o for o in ordered if o in shortage]


def test_a_place_leader_sees_the_demos_brokerage_counts_and_funnel(
    clean_db: Driver, neo4j_settings: Neo4jSettings, cli_env: None
) -> None:
    # As the Makefile's demo-data target does: the command's own default size, with the
    # neighbourhood's history; without Calderford, which questions not yet scoped to a
    # place would count among these candidates (docs/places.md, "Left of the demo").
    result = CliRunner().invoke(app, ["demo", "load", "--one-place"])
    assert result.exit_code == 0, result.output
    assert f"{DEMO_PEOPLE:,} people (seed 2007)" in result.output

    anchors = [e["node"] for e in _ask(clean_db, neo4j_settings, ANCHORS)["anchors"]["edges"]]
    # The page starts at the anchor with the most shortage posts: the trust.
    first = max(anchors, key=lambda a: sum(v["shortage"] for v in a["vacancies"]))
    assert first["id"] == "AnchorInstitution:anchor-trust"

    funnel = _ask(clean_db, neo4j_settings, FUNNEL, a=first["id"])["funnel"]
    assert funnel["countsRounded"] is True  # the place leader's view, not the full one
    assert [s["stage"] for s in funnel["stages"] if s["reached"] is not None] == STAGES
    for group in funnel["groups"]:
        shown = [s["stage"] for s in group["stages"] if s["reached"] is not None]
        assert len(shown) >= 4, group  # most stages of every occupation

    occupations = _shortage_occupations(first)
    assert len(occupations) == 6
    for occupation in occupations:
        gaps = _ask(clean_db, neo4j_settings, GAPS, a=first["id"], o=occupation)["brokerageGaps"]
        assert gaps["candidates"] is not None, (occupation, gaps)
        cuts = [b["pairsCut"] for b in gaps["criticalBrokers"]]
        if occupation == occupations[0]:
            # The page's first view: the gap is there, and most brokers' cuts are shown.
            assert gaps["unlinkedSupply"], gaps
            assert gaps["criticalBrokers"], gaps
            assert sum(cut is not None for cut in cuts) * 2 >= len(cuts), cuts
        if occupation.endswith("/nurse"):
            # Who has no way in: both sides of the split shown, and those without one
            # are the members of the circles that refer nobody on.
            assert gaps["linked"] is not None, gaps
            assert gaps["unlinked"] is not None, gaps
            groups = {(g["organisation"] or {}).get("name") for g in gaps["unlinkedSupply"]}
            assert groups == NO_ROUTE_IN, gaps
    assert any(o.endswith("/nurse") for o in occupations), occupations
