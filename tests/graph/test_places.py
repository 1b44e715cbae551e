"""Places as loads write them (``--place``), and migration 0010 on a database loaded
before places existed."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

import graph.cypher
from graph.migrations import apply_migrations
from graph.settings import Neo4jSettings, get_place_settings
from graph.vocabulary import PLACED_LABELS
from loaders.demo import generate_demo, load_demo_folder
from loaders.registry import load
from tests.schema.place import write_csv

ORGANISATIONS = ["id", "name", "org_type", "founded_year", "website", "area_id"]
SKILLS = ["id", "preferred_label", "alt_labels", "skill_type"]

PLACES_OF = """
MATCH (n {id: $id}) WHERE n:CommunityOrganisation OR n:Skill
RETURN n.place_ids AS places
"""
PLACE_NAMES = "MATCH (p:Place) RETURN p.id AS id, p.name AS name ORDER BY id"


def _places(driver: Driver, database: str, ident: str) -> Any:
    records, _, _ = driver.execute_query(PLACES_OF, id=ident, database_=database)
    return records[0]["places"]


def _organisation(tmp_path: Path, name: str) -> Path:
    return write_csv(tmp_path / f"{name}.csv", ORGANISATIONS,
                     [["org-welcome", name, "frontline", "2007", "", ""]])  # fmt: skip


def test_one_organisation_in_two_places_is_one_node_in_both(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    load("organisations", _organisation(tmp_path, "Refugee Welcome"), driver=clean_db,
         database=db, place="leeds", place_name="Leeds")  # fmt: skip
    load("organisations", _organisation(tmp_path, "Refugee Welcome North"), driver=clean_db,
         database=db, place="bradford")  # fmt: skip
    # Loaded again in Leeds: it stays in both, listed once each.
    load("organisations", _organisation(tmp_path, "Refugee Welcome"), driver=clean_db,
         database=db, place="leeds")  # fmt: skip
    assert _places(clean_db, db, "org-welcome") == ["leeds", "bradford"]
    records, _, _ = clean_db.execute_query(
        "MATCH (o:CommunityOrganisation) RETURN count(o) AS n", database_=db
    )
    assert records[0]["n"] == 1
    # A new place is named after its id until a load names it; a name given stays.
    records, _, _ = clean_db.execute_query(PLACE_NAMES, database_=db)
    assert [r.data() for r in records] == [
        {"id": "bradford", "name": "bradford"},
        {"id": "leeds", "name": "Leeds"},
    ]


def test_a_load_naming_no_place_writes_into_the_default_and_vocabulary_into_none(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    load("organisations", _organisation(tmp_path, "Refugee Welcome"), driver=clean_db,
         database=db)  # fmt: skip
    skills = write_csv(tmp_path / "skills.csv", SKILLS, [["skill-care", "care", "", ""]])
    load("skills", skills, driver=clean_db, database=db, place="leeds")
    assert _places(clean_db, db, "org-welcome") == [get_place_settings().default_place_id]
    assert _places(clean_db, db, "skill-care") is None


@pytest.mark.parametrize(
    ("place", "name", "option"),
    [("Leeds City", None, "--place"), ("leeds;DROP", None, "--place"),
     ("-leeds", None, "--place"), ("x" * 65, None, "--place"), ("leeds", "  ", "--place-name")],
)  # fmt: skip
def test_a_place_a_load_cannot_write_is_refused_naming_the_option_and_writes_nothing(
    clean_db: Driver,
    neo4j_settings: Neo4jSettings,
    tmp_path: Path,
    place: str,
    name: str | None,
    option: str,
) -> None:
    db = neo4j_settings.database
    with pytest.raises(ValueError, match=f"^{option}:"):
        load("organisations", _organisation(tmp_path, "Refugee Welcome"), driver=clean_db,
             database=db, place=place, place_name=name)  # fmt: skip
    records, _, _ = clean_db.execute_query(
        "MATCH (n) WHERE NOT n:SchemaMigration RETURN count(n) AS n", database_=db
    )
    assert records[0]["n"] == 0


# Everything but what the migration adds and the records of writing (audit, journal).
SNAPSHOT = """
MATCH (n) WHERE NOT n:SchemaMigration AND NOT n:AuditEvent AND NOT n:AuditChainHead
  AND NOT n:Change AND NOT n:Place
OPTIONAL MATCH (n)-[r]->(m)
RETURN labels(n) AS labels, properties(n) AS props, type(r) AS type, properties(r) AS rel,
       m.id AS to
ORDER BY n.id, labels(n)[0], type, to
"""
# The shape a load left before places: no place node, no place_ids.
AS_BEFORE_PLACES = """
MATCH (n) WHERE n:Place OR (n:SchemaMigration AND n.id = '0010')
DETACH DELETE n
"""
FORGET_PLACE_IDS = "MATCH (n) WHERE n.place_ids IS NOT NULL REMOVE n.place_ids"


def _snapshot(driver: Driver, database: str) -> list[dict[str, Any]]:
    records, _, _ = driver.execute_query(SNAPSHOT, database_=database)
    return [r.data() for r in records]


def test_0010_puts_a_place_loaded_before_places_into_the_default_and_loses_nothing(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    generate_demo(tmp_path / "demo", people=120, seed=2007)
    load_demo_folder(tmp_path / "demo", driver=clean_db, database=db)
    clean_db.execute_query(AS_BEFORE_PLACES, database_=db)
    clean_db.execute_query(FORGET_PLACE_IDS, database_=db)
    before = _snapshot(clean_db, db)
    placed = {str(label) for label in PLACED_LABELS}
    assert any(set(row["labels"]) & placed for row in before)

    assert apply_migrations(clean_db, db) == ["0010"]

    after = _snapshot(clean_db, db)
    default = get_place_settings().default_place_id
    assert len(after) == len(before)
    for old, new in zip(before, after, strict=True):
        in_place = bool(set(new["labels"]) & placed)
        assert new["props"].pop("place_ids", None) == ([default] if in_place else None), new
        assert new == old
    records, _, _ = clean_db.execute_query(PLACE_NAMES, database_=db)
    assert [r.data() for r in records] == [
        {"id": default, "name": get_place_settings().default_place_name}
    ]
    # Applied once: a second run has nothing to do.
    assert apply_migrations(clean_db, db) == []


# A node of a placed label made or merged by a query must join a place there and then.
_WRITES_PLACED = re.compile(
    r"\b(?:MERGE|CREATE)\s*\(\s*(\w+)\s*:\s*(" + "|".join(map(str, PLACED_LABELS)) + r")\b"
)


def _cypher_constants() -> list[tuple[str, str]]:
    found = []
    for path in sorted(Path(graph.cypher.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                if isinstance(node.value.value, str):
                    name = getattr(node.targets[0], "id", "?")
                    found.append((f"{path.stem}.{name}", node.value.value))
    return found


# Writes that make no new node of their own, only take a lock on one that must exist
# or is checked by the service before anything else is written (openVacancy: the
# vacancy it merges is then written by the vacancy loader's query, which places it).
NOT_PLACING = {"hub_actions.LOCK_VACANCY"}


def test_every_query_that_makes_a_placed_node_puts_it_in_a_place() -> None:
    constants = _cypher_constants()
    writing = [(name, text) for name, text in constants if _WRITES_PLACED.search(text)]
    assert len(writing) >= len(PLACED_LABELS)  # the scan sees the loaders' queries
    missing = [
        name
        for name, text in writing
        if name not in NOT_PLACING
        and not all(f"{var}.place_ids" in text for var, _ in _WRITES_PLACED.findall(text))
    ]
    assert missing == []
