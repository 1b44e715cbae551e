"""Two places for the place leaders' questions (issue 15), loaded through the loaders with
``--place``, and ways to ask them as one caller or another.

One anchor, Northern Trust, and one organisation work in both places; each place has its
own employment hub of the trust, its vacancy and its people, and every other id names
its place, so "bradford" anywhere in a Leeds caller's answer is a leak.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from neo4j import Driver

from graph.access import Caller, Role
from graph.settings import Neo4jSettings
from loaders.registry import load
from tests.schema.place import load_tables, run, write_csv

PEOPLE = ["id", "home_area_id", "right_to_work", "trained_as", "languages", "stage",
          "stage_history", "consent_given_at", "organisation_ids"]  # fmt: skip
EDGES = ["kind", "from_id", "to_id", "from_kind", "to_kind", "strength", "since", "until"]
VACANCIES = ["id", "title", "anchor_id", "occupation_id", "min_ielts", "shortage", "status",
             "salary_min_gbp", "salary_max_gbp"]  # fmt: skip
CONSENT = "2024-01-01T09:00:00"


def _row(*cells: object) -> list[object]:
    return list(cells)


TABLES: dict[str, list[tuple[str, list[str], list[list[object]]]]] = {
    "leeds": [
        ("areas", ["id", "name", "kind", "parent_id"], [
            ["area-leeds", "Leeds", "local_authority", ""],
        ]),
        ("organisations", ["id", "name", "org_type", "founded_year", "website", "area_id"], [
            ["org-leeds", "Leeds Welcome", "frontline", "2007", "", "area-leeds"],
            ["org-both", "Northern Welcome", "frontline", "2001", "", ""],
        ]),
        ("services", ["id", "name", "service_type", "organisation_id"], [
            ["svc-leeds", "Leeds IELTS", "ielts_tuition", "org-leeds"],
        ]),
        ("anchors", ["id", "name", "sector", "employees", "area_id"], [
            ["anchor-both", "Northern Trust", "health", "9000", ""],
        ]),
        ("departments", ["id", "name", "kind", "anchor_id", "area_id"], [
            ["hub-leeds", "Leeds Works", "employment_hub", "anchor-both", "area-leeds"],
        ]),
        ("vacancies", VACANCIES, [
            ["vac-leeds", "Staff nurse", "anchor-both", "occ-nurse", "7.0", "true", "open",
             "30000", "30000"],
        ]),
        ("people", PEOPLE, [
            ["p-leeds-1", "area-leeds", "yes", "occ-nurse", "en:C1", "engaged",
             "engaged@2024-01-10", CONSENT, "org-leeds"],
            ["p-leeds-2", "area-leeds", "yes", "occ-nurse", "en:C1", "language_training",
             "engaged@2024-01-10;language_training@2024-03-01", CONSENT, "org-leeds"],
            ["p-leeds-3", "area-leeds", "yes", "occ-nurse", "en:C1", "employed",
             "engaged@2023-06-01;language_training@2023-09-01;placement@2024-01-15;"
             "employed@2024-06-01", CONSENT, "org-leeds"],
        ]),
        ("edges", EDGES, [
            ["REFERS_TO", "org-leeds", "hub-leeds", "organisation", "department", "0.8", "", ""],
            ["REFERS_TO", "org-both", "hub-leeds", "organisation", "department", "0.5", "", ""],
            ["PLACED_IN", "p-leeds-3", "vac-leeds", "person", "vacancy", "", "", ""],
        ]),
    ],
    "bradford": [
        ("areas", ["id", "name", "kind", "parent_id"], [
            ["area-bradford", "Bradford", "local_authority", ""],
        ]),
        ("organisations", ["id", "name", "org_type", "founded_year", "website", "area_id"], [
            ["org-bradford", "Bradford Welcome", "frontline", "2010", "", "area-bradford"],
            ["org-both", "Northern Welcome", "frontline", "2001", "", ""],
            ["org-bradford-alone", "Bradford Circle", "faith_group", "2015", "", "area-bradford"],
        ]),
        ("services", ["id", "name", "service_type", "organisation_id"], [
            ["svc-bradford", "Bradford IELTS", "ielts_tuition", "org-bradford"],
        ]),
        ("anchors", ["id", "name", "sector", "employees", "area_id"], [
            ["anchor-both", "Northern Trust", "health", "9000", ""],
        ]),
        ("departments", ["id", "name", "kind", "anchor_id", "area_id"], [
            ["hub-bradford", "Bradford Works", "employment_hub", "anchor-both", "area-bradford"],
        ]),
        ("vacancies", VACANCIES, [
            ["vac-bradford", "Ward nurse", "anchor-both", "occ-nurse", "7.0", "true", "open",
             "50000", "50000"],
        ]),
        ("people", PEOPLE, [
            *[_row(f"p-bradford-{n}", "area-bradford", "yes", "occ-nurse", "en:C1", "employed",
                   "engaged@2023-01-01;employed@2023-06-01", CONSENT, "org-both;org-bradford")
              for n in (1, 2)],
            *[_row(f"p-bradford-{n}", "area-bradford", "yes", "occ-nurse", "en:C1", "engaged",
                   "engaged@2024-02-01", CONSENT, "org-both;org-bradford") for n in (3, 4)],
            ["p-bradford-5", "area-bradford", "yes", "occ-nurse", "en:C1", "engaged",
             "engaged@2024-02-01", CONSENT, "org-bradford-alone"],
        ]),
        ("edges", EDGES, [
            ["REFERS_TO", "org-bradford", "hub-bradford", "organisation", "department", "0.9",
             "", ""],
            ["REFERS_TO", "org-both", "hub-bradford", "organisation", "department", "0.9", "", ""],
            ["PARTNERS_WITH", "hub-bradford", "org-bradford", "department", "organisation", "0.9",
             "", ""],
            *[_row("PLACED_IN", f"p-bradford-{n}", "vac-bradford", "person", "vacancy", "", "", "")
              for n in (1, 2)],
        ]),
    ],
}  # fmt: skip

LEEDS = frozenset({"leeds"})
ADMIN = Caller(subject="t-admin", role=Role.ADMIN)
BOTH = Caller(subject="t-both", role=Role.ANALYST, places=frozenset({"leeds", "bradford"}))
BRADFORD = Caller(subject="t-bradford", role=Role.ANALYST, places=frozenset({"bradford"}))
# A caseworker of the organisation both places share, seeing Leeds only: the Bradford
# people it supports are still not theirs to ask about.
LEEDS_CASEWORKER = Caller(subject="t-cw", role=Role.CASEWORKER, organisation_id="org-both",
                          places=LEEDS)  # fmt: skip
BRADFORD_CASEWORKER = Caller(subject="t-cw-b", role=Role.CASEWORKER, organisation_id="org-both",
                             places=frozenset({"bradford"}))  # fmt: skip


def caller_of_leeds(role: Role) -> Caller:
    return Caller(subject=f"t-{role}", role=role, places=LEEDS)


def load_two_places(driver: Driver, database: str, folder: Path) -> Driver:
    occupations = write_csv(folder / "occupations.csv", ["id", "preferred_label"],
                            [["occ-nurse", "nurse"]])  # fmt: skip
    assert load("occupations", occupations, driver=driver, database=database).rows_rejected == 0
    for place, tables in TABLES.items():
        load_tables(driver, database, folder, tables, place=place)
    return driver


def ask(driver: Driver, settings: Neo4jSettings, query: str, caller: Caller) -> Any:
    body = run(driver, settings, query, caller=caller)
    assert "errors" not in body, body
    return body["data"]


def refused(driver: Driver, settings: Neo4jSettings, query: str, caller: Caller) -> Any:
    body = run(driver, settings, query, caller=caller)
    (error,) = body["errors"]
    return {"message": error["message"], "code": error["extensions"]["code"]}


FUNNEL = '{ funnel(anchorId: "AnchorInstitution:anchor-both"%s) { stages { stage reached } } }'
IMPACT = '{ impact(anchorId: "AnchorInstitution:anchor-both") { placed earningsGbp } }'


def reached(driver: Driver, settings: Neo4jSettings, caller: Caller, args: str = "") -> Any:
    data = ask(driver, settings, FUNNEL % args, caller)
    return {s["stage"]: s["reached"] for s in data["funnel"]["stages"] if s["reached"]}


LEEDS_NOW = {"ENGAGED": 3, "LANGUAGE_TRAINING": 2, "PLACEMENT": 1, "EMPLOYED": 1}
BRADFORD_NOW = {"ENGAGED": 5, "EMPLOYED": 2}
