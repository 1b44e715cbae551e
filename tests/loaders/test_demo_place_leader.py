"""The demo a newcomer sees is large enough for a place leader: loaded as `make demo` loads
it (`assetbridge demo load`, no options), the explorer page's first anchor shows every funnel
stage, most stages of each occupation, the brokerage candidates of each shortage occupation
and most critical brokers' cuts, rather than hiding them all as small cells; and for the
trust's nurses, the page's headline: how many candidates have a referral route in and how
many have none. (Where fewer than 10 of an occupation's candidates have no route in, both
counts stay hidden, as they should.) Both places are loaded, as `make demo` does, and the
neighbourhood's place leader's answers are the same with Calderford taken out again."""

from __future__ import annotations

from typing import Any

from neo4j import Driver
from typer.testing import CliRunner

from assetbridge.cli import app
from graph.access import Caller, Role
from graph.settings import Neo4jSettings, get_place_settings
from loaders.demo import DEMO_PEOPLE
from loaders.demo.places import SECOND_PLACE
from tests.schema.place import run

HOME = get_place_settings().default_place_id
# The neighbourhood's place leader, as `make demo`'s token for it names the place.
LEADER = Caller(subject="demo-leader", role=Role.PLACE_LEADER, places=frozenset({HOME}))
# Calderford taken out: its own nodes (with their ties), and its id from the nodes the two
# places share.
WITHOUT_CALDERFORD = [
    "MATCH (n) WHERE n.place_ids = [$place] DETACH DELETE n",
    "MATCH (n) WHERE $place IN n.place_ids SET n.place_ids = [p IN n.place_ids WHERE p <> $place]",
    "MATCH (p:Place {id: $place}) DETACH DELETE p",
]

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


def _page(driver: Driver, settings: Neo4jSettings) -> dict[str, Any]:
    """What the page shows the leader first: the anchors, the first one's funnel, and the
    brokerage gaps of each of its shortage occupations."""
    anchors = [e["node"] for e in _ask(driver, settings, ANCHORS)["anchors"]["edges"]]
    # The page starts at the anchor with the most shortage posts: the trust.
    first = max(anchors, key=lambda a: sum(v["shortage"] for v in a["vacancies"]))
    return {
        "anchors": anchors,
        "first": first,
        "funnel": _ask(driver, settings, FUNNEL, a=first["id"])["funnel"],
        "gaps": {
            occupation: _ask(driver, settings, GAPS, a=first["id"], o=occupation)["brokerageGaps"]
            for occupation in _shortage_occupations(first)
        },
    }


def test_a_place_leader_sees_the_demos_brokerage_counts_and_funnel(
    clean_db: Driver, neo4j_settings: Neo4jSettings, cli_env: None
) -> None:
    # As the Makefile's demo-data target does: the command's own default size, both
    # places, with their history.
    result = CliRunner().invoke(app, ["demo", "load"])
    assert result.exit_code == 0, result.output
    assert f"{DEMO_PEOPLE:,} people (seed 2007)" in result.output
    page = _page(clean_db, neo4j_settings)
    assert ":" + SECOND_PLACE.prefix not in str(page)  # no id of Calderford's own
    # The same answers with Calderford gone: the leader's questions read their place alone.
    for statement in WITHOUT_CALDERFORD:
        clean_db.execute_query(statement, place=SECOND_PLACE.id, database_=neo4j_settings.database)
    left = clean_db.execute_query(
        "MATCH (n) WHERE $place IN n.place_ids RETURN count(n) AS n",
        place=SECOND_PLACE.id, database_=neo4j_settings.database,
    ).records[0]["n"]  # fmt: skip
    assert left == 0
    assert _page(clean_db, neo4j_settings) == page

    first = page["first"]
    assert first["id"] == "AnchorInstitution:anchor-trust"
    funnel = page["funnel"]
    assert funnel["countsRounded"] is True  # the place leader's view, not the full one
    assert [s["stage"] for s in funnel["stages"] if s["reached"] is not None] == STAGES
    for group in funnel["groups"]:
        shown = [s["stage"] for s in group["stages"] if s["reached"] is not None]
        assert len(shown) >= 4, group  # most stages of every occupation

    occupations = _shortage_occupations(first)
    assert len(occupations) == 6
    for occupation in occupations:
        gaps = page["gaps"][occupation]
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
