"""Every loader batch commits with its audit event (finding 5): a load stopped
midway leaves exactly the batches it committed, each audited; the CLI's loads
and `demo load` name who loaded; `audit verify` checks the chain."""

from __future__ import annotations

import re
from pathlib import Path

from neo4j import Driver
from typer.testing import CliRunner

from assetbridge.cli import app
from graph.access import Caller, Role
from graph.settings import Neo4jSettings
from tests.loaders.helpers import FIXTURES, load_file, write_csv

LOAD_EVENTS = """
MATCH (e:AuditEvent)
WHERE e.operation STARTS WITH 'load:'
RETURN e.operation AS op, e.subject AS who, e.target_ids AS ids, e.detail AS detail
ORDER BY e.seq
"""


def _events(driver: Driver, database: str) -> list[dict[str, object]]:
    return [r.data() for r in driver.execute_query(LOAD_EVENTS, database_=database).records]


def test_each_batch_has_one_event_naming_its_ids_and_loader(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    rows: list[list[object]] = [[f"E0{i:07d}", f"Area {i}", "lsoa"] for i in range(5)]
    path = write_csv(tmp_path / "areas.csv", ["id", "name", "kind"], rows)
    loader = Caller("cli:tester", Role.LOADER, via="cli")
    report = load_file(clean_db, db, "areas", path, batch_size=2, loaded_by=loader)
    assert report.rows_loaded == 5
    assert _events(clean_db, db) == [
        {"op": "load:Area", "who": "cli:tester", "ids": [f"Area:E0{i:07d}" for i in batch],
         "detail": f"source=areas.csv rows={len(batch)}"}
        for batch in ([0, 1], [2, 3], [4])
    ]  # fmt: skip


def test_a_refused_batch_leaves_no_event_of_its_own(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    """Neo4j refuses two rows (too large for an index): each refused batch is rolled
    back with its event, and exactly the pieces that committed are audited."""
    db = neo4j_settings.database
    huge = "\U0001f3e5" * 5000
    rows: list[list[object]] = [
        [f"r-{n}", f"Organisation {n}", huge if n in (2, 4) else "small"] for n in range(6)
    ]
    path = write_csv(tmp_path / "organisations.csv", ["id", "name", "description"], rows)
    clean_db.execute_query(
        "CREATE INDEX test_refusal FOR (n:CommunityOrganisation) ON (n.description)", database_=db
    )
    try:
        clean_db.execute_query("CALL db.awaitIndexes(60)", database_=db)
        report = load_file(clean_db, db, "organisations", path, rejects_path=tmp_path / "r.csv")
    finally:
        clean_db.execute_query("DROP INDEX test_refusal IF EXISTS", database_=db)
    assert (report.rows_loaded, report.rows_rejected) == (4, 2)
    audited = [ident for event in _events(clean_db, db) for ident in event["ids"]]  # type: ignore[attr-defined]
    assert sorted(audited) == [f"CommunityOrganisation:r-{n}" for n in (0, 1, 3, 5)]


def test_cli_load_and_demo_load_are_audited_and_the_chain_verifies(
    clean_db: Driver, neo4j_settings: Neo4jSettings, cli_env: None
) -> None:
    db = neo4j_settings.database
    runner = CliRunner()
    loaded = runner.invoke(app, ["load", "areas", str(FIXTURES / "small" / "areas.csv")])
    assert loaded.exit_code == 0, loaded.output
    demo = runner.invoke(app, ["demo", "load", "--people", "40"])
    assert demo.exit_code == 0, demo.output
    events = _events(clean_db, db)
    who = {str(event["who"]) for event in events}
    assert len(who) == 1
    assert re.fullmatch(r"cli:.+", who.pop())
    assert {"load:Area", "load:Person", "load:edges"} <= {event["op"] for event in events}

    verified = runner.invoke(app, ["audit", "verify"])
    assert verified.exit_code == 0, verified.output
    assert verified.output.startswith(f"{len(events)} events, chain intact\n")

    clean_db.execute_query("MATCH (e:AuditEvent {seq: 3}) SET e.detail = 'rows=0'", database_=db)
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1
    said = " ".join(broken.output.split())  # the console wraps long lines
    assert re.search(r"event 3 \([0-9a-f-]+\) was changed", said), said
