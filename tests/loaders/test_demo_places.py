"""`assetbridge demo load` makes two places in two cities, each with five years of history:
each place holds its own people, organisations and anchors, one programme is one node in
both, ties end, and the employment hub's partners grow year by year while today's stay
those of the place's own files."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from assetbridge.cli import app
from graph.access import Caller, Role
from graph.settings import Neo4jSettings, get_neo4j_settings, get_place_settings
from loaders.demo.places import SECOND_PLACE, SHARED_IDS
from loaders.demo.relocate import relocate_place
from tests.conftest import CLEAR_GRAPH
from tests.loaders.conftest import point_cli_at
from tests.schema.place import run

HOME = get_place_settings().default_place_id
SECOND = SECOND_PLACE.id
HUBS = {HOME: "dept-learning-works", SECOND: "cal-dept-learning-works"}

PLACED = """
MATCH (n)
WHERE $place IN n.place_ids AND (n:Person OR n:CommunityOrganisation OR n:AnchorInstitution
  OR n:Vacancy OR n:Area)
RETURN labels(n)[0] AS label, count(*) AS nodes
"""
IN_BOTH = """
MATCH (n)
WHERE $a IN n.place_ids AND $b IN n.place_ids
RETURN n.id AS id ORDER BY id
"""
# A community organisation is the hub's partner on a day when a referral either way or a
# partnership between them held that day.
HUB_PARTNERS = """
MATCH (:Department {id: $hub})-[t:REFERS_TO|PARTNERS_WITH]-(o:CommunityOrganisation)
WHERE (t.since IS NULL OR t.since <= $day) AND (t.until IS NULL OR $day < t.until)
RETURN count(DISTINCT o) AS partners
"""
ENDED = """
MATCH (:Department {id: $hub})-[t:REFERS_TO|PARTNERS_WITH]-(:CommunityOrganisation)
WHERE t.until IS NOT NULL
RETURN count(t) AS ended
"""


@pytest.fixture(scope="module")
def two_places(
    driver: Driver,
    neo4j_settings: Neo4jSettings,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Driver, Path, str]:
    """`demo load --people 300` run once, as a user runs it, into an empty graph."""
    with driver.session(database=neo4j_settings.database) as session:
        session.run(CLEAR_GRAPH).consume()
    out = tmp_path_factory.mktemp("places")
    with pytest.MonkeyPatch.context() as patch:
        point_cli_at(neo4j_settings, patch, out)
        result = CliRunner().invoke(
            app, ["demo", "load", "--people", "300", "--out", str(out / "files")]
        )
        get_neo4j_settings.cache_clear()
    assert result.exit_code == 0, result.output
    return driver, out / "files", result.output


def _one(driver: Driver, settings: Neo4jSettings, query: str, **params: object) -> object:
    records, _, _ = driver.execute_query(query, params, database_=settings.database)
    return records[0][0]


def test_each_place_holds_its_own_nodes_and_the_programme_is_in_both(
    two_places: tuple[Driver, Path, str], neo4j_settings: Neo4jSettings
) -> None:
    driver, _, output = two_places
    assert f"{HOME}: 300 people (seed 2007)" in output
    assert f"{SECOND}: 300 people (seed 2008)" in output
    for place in (HOME, SECOND):
        records, _, _ = driver.execute_query(PLACED, place=place, database_=neo4j_settings.database)
        counts = {r["label"]: r["nodes"] for r in records}
        # The reference place's counts (docs/model.md), the shared programme among the 50.
        assert counts == {
            "Person": 300,
            "CommunityOrganisation": 50,
            "AnchorInstitution": 5,
            "Vacancy": 27,
            "Area": 17,
        }, place
    records, _, _ = driver.execute_query(
        IN_BOTH, a=HOME, b=SECOND, database_=neo4j_settings.database
    )
    assert [r["id"] for r in records] == [
        "org-healthcare-pathways",
        "svc-healthcare-pathways-1",
        "svc-healthcare-pathways-2",
    ]
    assert list(SHARED_IDS) == ["org-healthcare-pathways"]
    # The second place's load left the shared node where the first put it.
    area = _one(
        driver,
        neo4j_settings,
        "MATCH (:CommunityOrganisation {id: $id})-[:LOCATED_IN]->(a:Area) RETURN a.id",
        id=SHARED_IDS[0],
    )
    assert area == "E01090006"


def _partners_by_year(driver: Driver, settings: Neo4jSettings, hub: str) -> list[int]:
    return [
        int(_one(driver, settings, HUB_PARTNERS, hub=hub, day=date(year, 1, 1)))  # type: ignore[call-overload]
        for year in range(2016, 2027)
    ]


def test_ties_end_and_the_hubs_partners_grow_year_by_year(
    two_places: tuple[Driver, Path, str], neo4j_settings: Neo4jSettings
) -> None:
    driver, _, _ = two_places
    ended = {p: _one(driver, neo4j_settings, ENDED, hub=h) for p, h in HUBS.items()}
    assert ended == {HOME: 22, SECOND: 27}
    # On the first of January of 2016 ... 2026: joining over the years, some leaving.
    assert _partners_by_year(driver, neo4j_settings, HUBS[HOME]) == [
        1, 9, 15, 19, 22, 27, 32, 39, 41, 36, 28,
    ]  # fmt: skip
    assert _partners_by_year(driver, neo4j_settings, HUBS[SECOND]) == [
        2, 12, 16, 19, 22, 29, 32, 40, 41, 41, 28,
    ]  # fmt: skip


def _partners_in_files(folder: Path, hub: str) -> int:
    """The hub's partners in a place's own edge list: today's, with no history."""
    with (folder / "edges.csv").open(newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["kind"] in ("REFERS_TO", "PARTNERS_WITH")]
    return len({r["to_id"] if r["from_id"] == hub else r["from_id"] for r in rows
                if hub in (r["from_id"], r["to_id"])})  # fmt: skip


def test_today_the_hub_has_only_the_partners_of_its_own_files(
    two_places: tuple[Driver, Path, str], neo4j_settings: Neo4jSettings
) -> None:
    # The history is ties that ended: every figure read today is the place's own.
    driver, files, _ = two_places
    for place, hub in HUBS.items():
        today = _one(driver, neo4j_settings, HUB_PARTNERS, hub=hub, day=date.today())
        assert today == _partners_in_files(files / place, hub) == 28, place


COMPARISON = """{ placeComparison { place hubPartners residents candidates withoutRoute } }"""


def test_the_acceptance_an_analyst_compares_both_and_a_leader_sees_only_theirs(
    two_places: tuple[Driver, Path, str], neo4j_settings: Neo4jSettings
) -> None:
    """Issue 15's acceptance on the demo as loaded: placeComparison shows both places to an
    analyst of both, and a place leader of one sees only it, there and by id."""
    driver, files, _ = two_places
    analyst = Caller(subject="demo-analyst", role=Role.ANALYST, places=frozenset(HUBS))
    body = run(driver, neo4j_settings, COMPARISON, caller=analyst)
    assert "errors" not in body, body
    figures = {row["place"]: row for row in body["data"]["placeComparison"]}
    assert set(figures) == set(HUBS)
    for place, hub in HUBS.items():
        assert figures[place]["hubPartners"] == _partners_in_files(files / place, hub)
        assert figures[place]["residents"] > 0
    leader = Caller(subject="demo-leader", role=Role.PLACE_LEADER, places=frozenset({HOME}))
    body = run(driver, neo4j_settings, COMPARISON, caller=leader)
    assert [row["place"] for row in body["data"]["placeComparison"]] == [HOME], body
    other = run(driver, neo4j_settings, f'{{ node(id: "Department:{HUBS[SECOND]}") {{ id }} }}',
                caller=leader)  # fmt: skip
    assert other["data"] == {"node": None}
    assert other["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def test_relocating_renames_every_reference_and_keeps_the_shared_rows(tmp_path: Path) -> None:
    tables = {
        "areas": [["id", "name"], ["E01", "Riverbridge 001A"]],
        "organisations": [["id", "name", "area_id"], ["org-a", "Riverbridge Aid", "E01"],
                          ["org-s", "Regional Riverbridge Programme", "E01"]],
        "services": [["id", "organisation_id"], ["svc-a", "org-a"], ["svc-s", "org-s"]],
        "anchors": [["id", "area_id"]],
        "departments": [["id", "anchor_id"]],
        "vacancies": [["id", "occupation_id"]],
        "properties": [["id", "owner_id"]],
        "people": [["id", "consent_scopes", "organisation_ids", "skill_ids"],
                   ["p-1", "matching;share:org-a", "org-a;org-s", "skill-x"]],
        "edges": [["kind", "from_id", "to_id", "evidence"],
                  ["REFERS_TO", "org-a", "org-s", "Riverbridge log"]],
    }  # fmt: skip
    for kind, rows in tables.items():
        _write(tmp_path / f"{kind}.csv", rows)
    relocate_place(tmp_path, prefix="cal-", city="Calderford", was="Riverbridge", shared=["org-s"])

    def read(kind: str) -> list[list[str]]:
        with (tmp_path / f"{kind}.csv").open(newline="", encoding="utf-8") as handle:
            return list(csv.reader(handle))[1:]

    assert read("areas") == [["cal-E01", "Calderford 001A"]]
    assert read("organisations") == [
        ["cal-org-a", "Calderford Aid", "cal-E01"],
        ["org-s", "Regional Riverbridge Programme", "E01"],
    ]
    assert read("services") == [["cal-svc-a", "cal-org-a"], ["svc-s", "org-s"]]
    assert read("people") == [["cal-p-1", "matching;share:cal-org-a", "cal-org-a;org-s", "skill-x"]]
    assert read("edges") == [["REFERS_TO", "cal-org-a", "org-s", "Calderford log"]]
