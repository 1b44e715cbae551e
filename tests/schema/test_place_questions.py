"""Funnel, impact and pathway over two places (issue 15, isolation): a caller of one place
is given only its figures, an administrator both, and an id only in the other place is
answered as an unknown one (tests/schema/two_places.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import Driver

from graph.access import Caller, Role
from graph.errors import NotFoundError
from graph.models.paths import NodeKey
from graph.services import pathway as pathway_service
from graph.services.funnel_rows import FollowedFunnels
from graph.settings import Neo4jSettings
from graph.vocabulary import Label
from loaders.registry import load
from schema import disclosure
from tests.schema.place import write_csv
from tests.schema.two_places import (
    ADMIN,
    BRADFORD,
    BRADFORD_CASEWORKER,
    BRADFORD_NOW,
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
