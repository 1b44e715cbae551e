"""The newest audit events removed with the chain head moved back (issue 13 loose end):
a shorter chain that is whole, which the chain alone cannot tell from the real one. The
change journal and the witness kept outside the graph by the last check can."""

from __future__ import annotations

import json
import stat
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from assetbridge.cli import app
from graph.services.audit import event_hash
from graph.services.audit_chain import ChainReport, verify_chain, verify_with_witness
from graph.services.audit_witness import (
    Witness,
    WitnessError,
    database_id,
    read_witness,
    write_witness,
)
from graph.settings import Neo4jSettings
from tests.graph.test_audit_chain import _append, _events
from tests.loaders.conftest import cli_env  # noqa: F401 - a fixture

# The newest events deleted and the head set to the last one left: what a hand with
# write access to the graph does to hide its own last writes.
CUT_TAIL = """
MATCH (e:AuditEvent)
WHERE e.seq > $keep
DETACH DELETE e
WITH count(*) AS removed
MATCH (last:AuditEvent {seq: $keep}), (h:AuditChainHead {id: 'audit'})
SET h.seq = last.seq, h.hash = last.hash
"""
CUT_JOURNAL = "MATCH (c:Change) WHERE c.seq > $keep DELETE c"


@pytest.fixture
def seven(clean_db: Driver, neo4j_settings: Neo4jSettings) -> Driver:
    _append(clean_db, neo4j_settings.database, 7)
    return clean_db


def test_the_tail_cut_with_the_head_moved_back_is_found_by_the_journal(
    seven: Driver, neo4j_settings: Neo4jSettings
) -> None:
    db = neo4j_settings.database
    seven.execute_query(CUT_TAIL, keep=5, database_=db)
    report = verify_chain(seven, db)
    assert report == ChainReport(
        5,
        "the chain ends at event 5 but the change journal records writes up to 7: "
        "the newest events were removed, with the chain head moved back",
    )


def test_the_tail_and_journal_cut_is_found_by_the_witness(
    seven: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db, path = neo4j_settings.database, tmp_path / "witness.json"
    first = verify_with_witness(seven, db, path)
    assert first.intact
    assert first.witness is None  # the first check has nothing to compare with
    ident = database_id(seven, db)
    held = read_witness(path, ident)
    assert held is not None
    assert (held.seq, held.hash) == (7, _events(seven, db)[-1]["hash"])

    seven.execute_query(CUT_TAIL, keep=5, database_=db)
    seven.execute_query(CUT_JOURNAL, keep=5, database_=db)
    # What the chain alone cannot see: five events, whole.
    assert verify_chain(seven, db) == ChainReport(5, None)
    report = verify_with_witness(seven, db, path)
    assert report.problem is not None
    assert report.problem.startswith(
        "the chain ends at event 5, but the witness saw event 7 on "
        f"{held.at:%Y-%m-%d %H:%M} UTC: the newest 2 event(s) were removed"
    )
    # A failed check leaves the witness as it was, so the next one fails too.
    assert read_witness(path, ident) == held
    assert verify_with_witness(seven, db, path).problem == report.problem


def test_a_chain_rebuilt_at_the_witnessed_event_is_found(
    seven: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    """Event 7 changed, its hash recomputed and the head set to match: the chain is
    whole again, but it is not the chain the witness saw."""
    db, path = neo4j_settings.database, tmp_path / "witness.json"
    assert verify_with_witness(seven, db, path).intact
    last = _events(seven, db)[-1]
    forged = event_hash({**last, "detail": "nothing to see"}, str(last["prev_hash"]))
    seven.execute_query(
        "MATCH (e:AuditEvent {seq: 7}), (h:AuditChainHead {id: 'audit'}) "
        "SET e.detail = 'nothing to see', e.hash = $hash, h.hash = $hash",
        hash=forged,
        database_=db,
    )
    assert verify_chain(seven, db).intact
    report = verify_with_witness(seven, db, path)
    assert report.problem is not None
    assert report.problem.startswith("event 7 is not the one the witness saw on ")
    assert "the chain was rebuilt from that event or before" in report.problem


def test_the_witness_moves_on_with_the_chain_and_is_owner_only(
    seven: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db, path = neo4j_settings.database, tmp_path / "keys" / "witness.json"
    other = Witness("another-database", 40, "f" * 64, datetime(2026, 1, 2, tzinfo=UTC))
    write_witness(path, other)
    assert verify_with_witness(seven, db, path).intact
    _append(seven, db, 3)
    report = verify_with_witness(seven, db, path)
    assert report == ChainReport(10, None)
    assert report.witness is not None
    assert report.witness.seq == 7
    held = read_witness(path, database_id(seven, db))
    assert held is not None
    assert held.seq == 10
    # Another database's witness is kept apart, and untouched.
    assert read_witness(path, "another-database") == other
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_check_never_moves_the_witness_back(tmp_path: Path) -> None:
    """Two checks at once: the one that read the shorter chain finishes last."""
    path = tmp_path / "witness.json"
    later = Witness("db", 9, "9" * 64, datetime(2026, 1, 2, tzinfo=UTC))
    earlier = Witness("db", 7, "7" * 64, datetime(2026, 1, 3, tzinfo=UTC))
    write_witness(path, later)
    assert write_witness(path, earlier) == later
    assert read_witness(path, "db") == later
    assert write_witness(path, earlier, replace=True) == earlier
    assert read_witness(path, "db") == earlier


def test_a_restore_is_accepted_only_when_asked(
    seven: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db, path = neo4j_settings.database, tmp_path / "witness.json"
    assert verify_with_witness(seven, db, path).intact
    # A restore from last night's backup: the log is shorter, journal and all.
    seven.execute_query(CUT_TAIL, keep=4, database_=db)
    seven.execute_query(CUT_JOURNAL, keep=4, database_=db)
    assert not verify_with_witness(seven, db, path).intact
    assert verify_with_witness(seven, db, path, reset=True).intact
    held = read_witness(path, database_id(seven, db))
    assert held is not None
    assert held.seq == 4
    assert verify_with_witness(seven, db, path).intact


def test_checks_while_writers_append_find_nothing_wrong(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    """The journal is read before the head and the witness before the chain: writes
    landing during a check only move both on, never look like a cut."""
    db, path = neo4j_settings.database, tmp_path / "witness.json"
    writers = [threading.Thread(target=_append, args=(clean_db, db, 25)) for _ in range(4)]
    for writer in writers:
        writer.start()
    problems = []
    while any(writer.is_alive() for writer in writers):
        report = verify_with_witness(clean_db, db, path)
        if report.problem is not None:
            problems.append(report.problem)
    for writer in writers:
        writer.join()
    assert problems == []
    assert verify_with_witness(clean_db, db, path) == ChainReport(100, None)


def test_unreadable_witness_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "witness.json"
    path.write_text("{not json")
    with pytest.raises(WitnessError, match=f"the audit witness {path} is not a witness file"):
        read_witness(path, "db")
    path.write_text(json.dumps({"version": 1, "databases": {"db": {"seq": "x"}}}))
    with pytest.raises(WitnessError, match="malformed entry for database db"):
        read_witness(path, "db")


@pytest.mark.usefixtures("cli_env")
def test_audit_verify_keeps_a_witness_and_finds_the_tail_cut(
    seven: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db, runner = neo4j_settings.database, CliRunner()
    first = runner.invoke(app, ["audit", "verify"])
    assert first.exit_code == 0, first.output
    said = " ".join(first.output.split())
    assert said.startswith("7 events, chain intact witness kept in ")
    assert f"event 7, hash {_events(seven, db)[-1]['hash']}" in said
    assert (tmp_path / "audit-witness.json").exists()  # cli_env's witness path

    seven.execute_query(CUT_TAIL, keep=6, database_=db)
    seven.execute_query(CUT_JOURNAL, keep=6, database_=db)
    cut = runner.invoke(app, ["audit", "verify"])
    assert cut.exit_code == 1
    said = " ".join(cut.output.split())
    assert "audit chain broken: the chain ends at event 6, but the witness saw event 7" in said
    assert "--reset-witness" in said
    assert "Traceback" not in cut.output

    (tmp_path / "audit-witness.json").write_text("garbage")
    garbled = runner.invoke(app, ["audit", "verify"])
    assert garbled.exit_code == 1
    assert "is not a witness file" in " ".join(garbled.output.split())
    assert "Traceback" not in garbled.output
    reset = runner.invoke(app, ["audit", "verify", "--reset-witness"])
    assert reset.exit_code == 0, reset.output
    assert " ".join(reset.output.split()).startswith("6 events, chain intact")
