"""The place leaders' questions over two places (issue 15; tests/schema/two_places.py):
funnel, impact and pathway give a caller of one place only its figures (an
administrator both) and answer an id only in the other place as an unknown one;
``asOf`` reads them as they stood on a day; ``placeComparison`` puts places side by
side."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from graph.access import Caller, Role
from graph.errors import NotFoundError
from graph.models.paths import NodeKey
from graph.services import pathway as pathway_service
from graph.services.funnel_rows import FollowedFunnels
from graph.services.history import as_of_day
from graph.services.kept_answers import KeptAnswers
from graph.settings import Neo4jSettings
from graph.vocabulary import Label
from loaders.registry import load
from schema import disclosure
from tests.schema.place import run, write_csv
from tests.schema.two_places import (
    ADMIN,
    BOTH,
    BRADFORD,
    BRADFORD_CASEWORKER,
    BRADFORD_NOW,
    EDGES,
    FUNNEL,
    IMPACT,
    LEEDS,
    LEEDS_CASEWORKER,
    LEEDS_NOW,
    ask,
    caller_of_leeds,
    load_two_places,
    reached,
    refused,
)


@pytest.fixture
def two_places(clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path) -> Driver:
    return load_two_places(clean_db, neo4j_settings.database, tmp_path)


@pytest.fixture
def small_cells_shown(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A place leader sees every count exactly: what tells places apart is then the
    scope alone, not suppression."""
    monkeypatch.setenv("ASSETBRIDGE_DISCLOSURE_THRESHOLD", "1")
    monkeypatch.setenv("ASSETBRIDGE_DISCLOSURE_ROUNDING", "1")
    disclosure.settings.cache_clear()
    yield
    disclosure.settings.cache_clear()


@pytest.mark.usefixtures("small_cells_shown")
@pytest.mark.parametrize("role", [Role.PLACE_LEADER, Role.ANALYST])
def test_funnel_and_impact_count_only_the_callers_places(
    two_places: Driver, neo4j_settings: Neo4jSettings, role: Role
) -> None:
    leeds = caller_of_leeds(role)
    assert reached(two_places, neo4j_settings, leeds) == LEEDS_NOW
    assert reached(two_places, neo4j_settings, BRADFORD) == BRADFORD_NOW
    assert reached(two_places, neo4j_settings, ADMIN) == {
        "ENGAGED": 8, "LANGUAGE_TRAINING": 2, "PLACEMENT": 1, "EMPLOYED": 3,
    }  # fmt: skip
    # Placed and paid: Leeds's one nurse at Leeds's pay, never Bradford's two at theirs.
    assert ask(two_places, neo4j_settings, IMPACT, leeds)["impact"] == {
        "placed": 1, "earningsGbp": 30000.0,
    }  # fmt: skip
    assert ask(two_places, neo4j_settings, IMPACT, ADMIN)["impact"]["placed"] == 3


def test_an_anchor_outside_the_callers_places_is_an_unknown_one(
    two_places: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    # An anchor only in Bradford, asked by Leeds: the words of an unknown id.
    anchors = write_csv(tmp_path / "more.csv", ["id", "name", "sector", "employees", "area_id"],
                        [["anchor-bradford", "Bradford Mills", "health", "500", ""]])  # fmt: skip
    load("anchors", anchors, driver=two_places, database=neo4j_settings.database,
         place="bradford")  # fmt: skip
    leeds = caller_of_leeds(Role.ANALYST)
    for question in ("funnel(anchorId: %s) { anchor }", "impact(anchorId: %s) { placed }"):
        other, unknown = (
            refused(two_places, neo4j_settings, "{ " + question % f'"AnchorInstitution:{i}"'
                     + " }", leeds)
            for i in ("anchor-bradford", "anchor-nowhere")
        )  # fmt: skip
        assert other["code"] == unknown["code"] == "NOT_FOUND"
        assert other["message"] == unknown["message"].replace("anchor-nowhere", "anchor-bradford")
    assert reached(two_places, neo4j_settings, BRADFORD, "") == BRADFORD_NOW


def test_kept_funnel_rows_are_shared_and_each_caller_given_its_places(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    funnels = FollowedFunnels(two_places, neo4j_settings.database)

    def engaged(places: list[str] | None) -> int:
        return funnels.funnel("anchor-both", places=places).stages[0].reached

    assert (engaged(["leeds"]), engaged(["bradford"]), engaged(None)) == (3, 5, 8)
    assert funnels.wholes == 1  # one read of the pipeline for every place
    with pytest.raises(NotFoundError, match="anchorId"):
        funnels.funnel("anchor-both", places=["calderford"])


PATHS = """{ referralPaths(from: "CommunityOrganisation:org-both",
  to: "AnchorInstitution:anchor-both", k: 3) { nodes { id name } hops cost } }"""


def test_a_kept_backbone_gives_each_caller_the_paths_of_its_places(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    """The organisational backbone is kept per places (graph.services.paths): one
    process's kept answers serve callers of each place, in either order, the paths
    they are given read afresh, and Leeds's never step onto Bradford's hub."""
    kept = KeptAnswers(two_places, neo4j_settings.database)
    leeds = caller_of_leeds(Role.ANALYST)
    fresh = {name: ask(two_places, neo4j_settings, PATHS, caller)["referralPaths"]
             for name, caller in (("leeds", leeds), ("bradford", BRADFORD), ("all", ADMIN))}  # fmt: skip
    assert "hub-bradford" not in json.dumps(fresh["leeds"])
    assert "hub-leeds" not in json.dumps(fresh["bradford"])
    assert "hub-leeds" in json.dumps(fresh["all"])
    assert "hub-bradford" in json.dumps(fresh["all"])
    for name, caller in (("bradford", BRADFORD), ("all", ADMIN), ("leeds", leeds)) * 2:
        body = run(two_places, neo4j_settings, PATHS, caller=caller, kept_answers=kept)
        assert body == {"data": {"referralPaths": fresh[name]}}, name
    # Each caller's places read once, then given again.
    assert (kept.misses, kept.hits) == (3, 3)


PATHWAY = """{ pathway(organisationId: "CommunityOrganisation:org-leeds",
  vacancyId: "Vacancy:vac-leeds") { needs { kind providers } unmet { kind }
  routes { steps { node { id } } } } }"""


def test_pathway_reads_only_the_callers_places(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    leeds = ask(two_places, neo4j_settings, PATHWAY, caller_of_leeds(Role.PLACE_LEADER))["pathway"]
    admin = ask(two_places, neo4j_settings, PATHWAY, ADMIN)["pathway"]
    language = [n["providers"] for n in leeds["needs"] if n["kind"] == "language"]
    assert language == [["CommunityOrganisation:org-leeds"]]
    assert [n["providers"] for n in admin["needs"] if n["kind"] == "language"] == [
        ["CommunityOrganisation:org-bradford", "CommunityOrganisation:org-leeds"]
    ]
    assert "bradford" not in json.dumps(leeds)
    # A vacancy only in Bradford is an unknown one to Leeds.
    other, unknown = (
        refused(two_places, neo4j_settings, PATHWAY.replace("vac-leeds", vacancy),
                 caller_of_leeds(Role.PLACE_LEADER))
        for vacancy in ("vac-bradford", "vac-nowhere")
    )  # fmt: skip
    assert other == {**unknown, "message": unknown["message"].replace("nowhere", "bradford")}


def test_a_caseworker_of_one_place_asks_another_places_person_as_an_unknown_one(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database

    def ask(caller: Caller, person: str) -> str:
        try:
            found = pathway_service.pathway(
                two_places, db, caller, NodeKey(label=Label.PERSON, id=person), "vac-bradford"
                if caller.places != LEEDS else "vac-leeds",
            )  # fmt: skip
        except NotFoundError as error:
            return str(error)
        return found.start.id

    # Supported by the caseworker's organisation, but in Bradford only.
    assert ask(LEEDS_CASEWORKER, "p-bradford-1") == ask(LEEDS_CASEWORKER, "p-nobody")
    assert ask(LEEDS_CASEWORKER, "p-bradford-1") == pathway_service.NOBODY_IN_SCOPE
    # Controls: the caseworker of Bradford, and an administrator.
    assert ask(BRADFORD_CASEWORKER, "p-bradford-1") == "p-bradford-1"
    assert ask(ADMIN, "p-bradford-1") == "p-bradford-1"


def test_funnel_as_of_a_day_counts_the_stage_each_person_stood_at(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    leeds = caller_of_leeds(Role.ANALYST)
    # The day before p-leeds-2 moved to language training: only p-leeds-3 had reached
    # it, and nobody was employed yet.
    assert reached(two_places, neo4j_settings, leeds, ', asOf: "2024-02-29"') == {
        "ENGAGED": 3, "LANGUAGE_TRAINING": 1, "PLACEMENT": 1,
    }  # fmt: skip
    # Before anyone of Leeds had a step: an empty pipeline.
    assert reached(two_places, neo4j_settings, leeds, ', asOf: "2023-01-01"') == {}
    assert reached(two_places, neo4j_settings, leeds, f', asOf: "{as_of_day()}"') == LEEDS_NOW


@pytest.mark.parametrize(
    "question",
    [
        FUNNEL % ', asOf: "%s"',
        '{ anchorFootprint(anchorId: "AnchorInstitution:anchor-both", asOf: "%s") '
        "{ communityOrganisations } }",
        '{ partnershipNetwork(anchorId: "AnchorInstitution:anchor-both", asOf: "%s") { anchor } }',
        '{ placeComparison(asOf: "%s") { place } }',
    ],
)
def test_a_day_to_come_is_refused_naming_as_of(
    two_places: Driver, neo4j_settings: Neo4jSettings, question: str
) -> None:
    tomorrow = as_of_day() + timedelta(days=1)
    answer = refused(two_places, neo4j_settings, question % tomorrow, BOTH)
    assert answer["code"] == "BAD_USER_INPUT"
    assert answer["message"].startswith(f"asOf: {tomorrow.isoformat()} is after today")


NETWORK = """{ partnershipNetwork(anchorId: "AnchorInstitution:anchor-both"%s) {
  ties { source target type } } }"""
FOOTPRINT = """{ anchorFootprint(anchorId: "AnchorInstitution:anchor-both"%s) {
  communityOrganisations } }"""
WELCOME_TO_HUB = ("CommunityOrganisation:org-leeds", "Department:hub-leeds", "REFERS_TO")


def test_a_tie_ended_by_an_edge_file_is_there_the_day_before(
    two_places: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    ended = write_csv(tmp_path / "ended.csv", EDGES, [
        ["REFERS_TO", "org-leeds", "hub-leeds", "organisation", "department", "", "",
         "2024-06-01"],
    ])  # fmt: skip
    assert (
        load("edges", ended, driver=two_places, database=neo4j_settings.database).rows_rejected == 0
    )
    leeds = caller_of_leeds(Role.PLACE_LEADER)

    def ties(args: str) -> set[tuple[str, str, str]]:
        found = ask(two_places, neo4j_settings, NETWORK % args, leeds)["partnershipNetwork"]
        return {(t["source"], t["target"], t["type"]) for t in found["ties"]}

    def organisations(args: str) -> Any:
        return ask(two_places, neo4j_settings, FOOTPRINT % args, leeds)["anchorFootprint"][
            "communityOrganisations"
        ]

    assert WELCOME_TO_HUB not in ties("")
    assert WELCOME_TO_HUB in ties(', asOf: "2024-05-31"')
    # The footprint counts the trust's organisations in Leeds: Northern Welcome today,
    # Leeds Welcome as well the day before.
    assert (organisations(""), organisations(', asOf: "2024-05-31"')) == (1, 2)


COMPARISON = """{ placeComparison%s { place name residents hub anchor hubPartners
  funnel { stages { stage reached conversion medianDaysToNext } }
  impactPerThousandResidentsGbp candidates withoutRoute shareWithoutRoute countsRounded } }"""


def _compare(driver: Driver, settings: Neo4jSettings, caller: Caller, args: str = "") -> Any:
    return ask(driver, settings, COMPARISON % args, caller)["placeComparison"]


def _stage(figures: dict[str, Any], stage: str) -> dict[str, Any]:
    (found,) = [s for s in figures["funnel"]["stages"] if s["stage"] == stage]
    return {k: found[k] for k in ("reached", "conversion", "medianDaysToNext")}


def test_place_comparison_puts_each_place_side_by_side(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    bradford, leeds = _compare(two_places, neo4j_settings, BOTH)
    assert {k: leeds[k] for k in ("place", "name", "residents", "hub", "anchor", "hubPartners")} == {
        "place": "leeds", "name": "leeds", "residents": 3, "hub": "Department:hub-leeds",
        "anchor": "AnchorInstitution:anchor-both", "hubPartners": 2,
    }  # fmt: skip
    assert (bradford["place"], bradford["residents"], bradford["hubPartners"]) == (
        "bradford", 5, 2,
    )  # fmt: skip
    # Leeds: three engaged, two went on (in 51 and 92 days: p-leeds-2, p-leeds-3);
    # Bradford: five engaged, two went on, both in 151 days.
    assert _stage(leeds, "ENGAGED") == {
        "reached": 3,
        "conversion": 0.6667,
        "medianDaysToNext": 71.5,
    }
    assert _stage(bradford, "ENGAGED") == {
        "reached": 5,
        "conversion": 0.4,
        "medianDaysToNext": 151.0,
    }
    assert leeds["countsRounded"] is False
    # Per 1,000 people on record: Leeds's one nurse at 30,000 among 3, Bradford's two at
    # 50,000 among 5.
    assert (leeds["impactPerThousandResidentsGbp"], bradford["impactPerThousandResidentsGbp"]) == (
        14907133.33, 26688560.0,
    )  # fmt: skip
    # Every nurse is one step (IELTS) from the vacancy; p-bradford-5's only organisation
    # has no tie to anyone.
    assert [(f["candidates"], f["withoutRoute"], f["shareWithoutRoute"]) for f in (leeds, bradford)] == [
        (3, 0, 0.0), (5, 1, 0.2),
    ]  # fmt: skip
    # An administrator compares every place; a caller of one place only its own.
    assert [f["place"] for f in _compare(two_places, neo4j_settings, ADMIN)] == [
        "bradford", "leeds",
    ]  # fmt: skip
    (only,) = _compare(two_places, neo4j_settings, caller_of_leeds(Role.ANALYST))
    assert only == leeds
    assert "bradford" not in json.dumps(only)


def test_place_comparison_refuses_a_place_not_the_callers_as_an_unknown_one(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    leeds = caller_of_leeds(Role.PLACE_LEADER)
    other, unknown = (
        refused(two_places, neo4j_settings, COMPARISON % f'(places: ["{p}"])', leeds)
        for p in ("bradford", "nowhere")
    )  # fmt: skip
    assert other["code"] == unknown["code"] == "NOT_FOUND"
    assert other["message"] == "places: no place with id 'bradford'"
    assert unknown["message"] == "places: no place with id 'nowhere'"
    named = _compare(two_places, neo4j_settings, BOTH, '(places: ["leeds"])')
    assert [f["place"] for f in named] == ["leeds"]
    caseworker = refused(two_places, neo4j_settings, COMPARISON % "", LEEDS_CASEWORKER)
    assert caseworker["code"] == "FORBIDDEN"


def test_place_comparison_hides_small_cells_from_place_leaders(
    two_places: Driver, neo4j_settings: Neo4jSettings
) -> None:
    # Disclosure as configured by default: cells under 10 hidden, counts rounded to 5.
    (leeds,) = _compare(two_places, neo4j_settings, caller_of_leeds(Role.PLACE_LEADER))
    assert {k: leeds[k] for k in ("residents", "hubPartners", "impactPerThousandResidentsGbp",
                                  "candidates", "withoutRoute", "shareWithoutRoute",
                                  "countsRounded")} == {
        "residents": None, "hubPartners": None, "impactPerThousandResidentsGbp": None,
        "candidates": None, "withoutRoute": None, "shareWithoutRoute": None,
        "countsRounded": True,
    }  # fmt: skip
    assert _stage(leeds, "ENGAGED") == {
        "reached": None,
        "conversion": None,
        "medianDaysToNext": None,
    }
    assert _stage(leeds, "ENGAGED") != _stage(
        _compare(two_places, neo4j_settings, caller_of_leeds(Role.ANALYST))[0], "ENGAGED"
    )
