"""`assetbridge db reset` (issue 16): empties a graph, asks first, refuses a remote one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from assetbridge.cli import app
from assetbridge.db_commands import is_local
from graph.crypto import get_key_settings, open_key_store
from graph.services.audit_chain import verify_chain
from graph.settings import Neo4jSettings, get_neo4j_settings
from tests.graph.people_rights_place import small_place
from tests.loaders.conftest import cli_env  # noqa: F401 - a fixture

COUNT = """
MATCH (n)
RETURN [label IN labels(n) WHERE label IN $kept][0] AS kept, count(*) AS nodes
ORDER BY kept
"""
KEPT = ["SchemaMigration", "AuditEvent", "AuditChainHead", "Change", "ApiKey"]


@pytest.fixture
def place(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, cli_env: None,  # noqa: F811 - the fixture imported above
) -> Iterator[Driver]:  # fmt: skip
    monkeypatch.setenv("ASSETBRIDGE_KEYSTORE_PATH", str(tmp_path / "keys.sqlite3"))
    get_key_settings.cache_clear()
    small_place(clean_db, neo4j_settings.database, tmp_path)
    yield clean_db
    get_key_settings.cache_clear()


def _counts(driver: Driver, database: str) -> dict[str | None, int]:
    records, _, _ = driver.execute_query(COUNT, kept=KEPT, database_=database)
    return {r["kept"]: r["nodes"] for r in records}


def test_reset_asks_then_empties_the_place_and_destroys_its_keys(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    assert open_key_store().keys_for(["p-1", "p-2"]).keys() == {"p-1", "p-2"}
    declined = CliRunner().invoke(app, ["db", "reset"], input="n\n")
    assert declined.exit_code == 1
    assert "nothing deleted" in declined.output
    assert _counts(place, neo4j_settings.database).get(None, 0) > 0

    before = sum(n for kept, n in _counts(place, neo4j_settings.database).items() if not kept)
    done = CliRunner().invoke(app, ["db", "reset"], input="y\n")
    assert done.exit_code == 0, done.output
    counts = _counts(place, neo4j_settings.database)
    assert None not in counts  # every node of the place is gone
    assert set(counts) == {"SchemaMigration", "AuditEvent", "AuditChainHead", "Change"}
    resets, _, _ = place.execute_query(
        "MATCH (e:AuditEvent {operation: 'reset_graph'}) RETURN e.detail AS detail",
        database_=neo4j_settings.database,
    )
    assert [r["detail"] for r in resets] == [f"nodes={before}"]
    assert open_key_store().keys_for(["p-1", "p-2"]) == {}
    # The reset is itself in the audit log, and the chain still holds.
    assert verify_chain(place, neo4j_settings.database).intact


def test_reset_refuses_a_database_elsewhere_unless_forced(
    place: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEO4J_URI", "neo4j+s://abc.databases.neo4j.io")
    get_neo4j_settings.cache_clear()
    refused = CliRunner().invoke(app, ["db", "reset", "--yes"])
    assert refused.exit_code == 1
    assert "not on this machine" in refused.output
    assert "--force" in refused.output


@pytest.mark.parametrize(
    ("uri", "local"),
    [("bolt://127.0.0.1:7687", True), ("bolt://localhost:7687", True),
     ("neo4j://[::1]:7687", True), ("bolt://10.0.0.5:7687", False),
     ("neo4j+s://db.example.org", False)],
)  # fmt: skip
def test_what_counts_as_local(uri: str, local: bool) -> None:
    assert is_local(uri) is local
