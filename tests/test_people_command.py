"""`assetbridge people ...` and `assetbridge keys rotate` on a real Neo4j."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from assetbridge.cli import app
from graph.access import Caller, Role
from graph.crypto import get_key_settings
from graph.crypto.keystore import DEVELOPMENT_MASTER_KEY
from graph.services.personal import personal_details
from graph.settings import Neo4jSettings
from tests.graph.people_rights_place import small_place
from tests.loaders.conftest import cli_env  # noqa: F401 - a fixture

ADMIN = Caller(subject="test-admin", role=Role.ADMIN)


@pytest.fixture
def keys_apart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A key store of this test's own."""
    path = tmp_path / "keys.sqlite3"
    monkeypatch.setenv("ASSETBRIDGE_KEYSTORE_PATH", str(path))
    get_key_settings.cache_clear()
    yield path
    get_key_settings.cache_clear()


@pytest.fixture
def people(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path, keys_apart: Path,
    cli_env: None,  # noqa: F811 - the fixture imported above
) -> Driver:  # fmt: skip
    small_place(clean_db, neo4j_settings.database, tmp_path)
    return clean_db


def invoke(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_consent_withdraw_export_and_erase(
    people: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    assert "consent of p-1: matching, referral" in invoke(
        "people", "consent", "p-1", "--scope", "matching", "--scope", "referral",
        "--evidence", "signed form CF-0042",
    )  # fmt: skip
    exported = json.loads(invoke("people", "export", "Person:p-2"))
    assert exported["personal_record"]["name"] == "Boris Quillfeather"
    out = tmp_path / "p-2.json"
    invoke("people", "export", "p-2", "--out", str(out))
    assert "Boris Quillfeather" in out.read_text(encoding="utf-8")
    assert "1 export file(s) removed" in invoke("people", "erase", "p-2")
    assert not out.exists()
    assert "withdrawn" in invoke("people", "withdraw", "p-1")
    assert personal_details(people, neo4j_settings.database, ADMIN, ["p-1", "p-2"]) == {}


def test_consent_needs_evidence_named_in_one_line(people: Driver) -> None:  # noqa: ARG001
    result = CliRunner().invoke(app, ["people", "consent", "p-1", "--scope", "matching"])
    assert result.exit_code == 2
    assert "--evidence" in result.output
    result = CliRunner().invoke(
        app, ["people", "consent", "p-1", "--scope", "matching", "--evidence", " "]
    )
    assert result.exit_code == 1
    assert "evidence: say what the consent rests on" in result.output
    assert "Traceback" not in result.output


def test_errors_are_one_line_naming_the_person(people: Driver) -> None:  # noqa: ARG001
    result = CliRunner().invoke(app, ["people", "erase", "p-404"])
    assert result.exit_code == 1
    assert "no person with id 'p-404'" in result.output
    assert "Traceback" not in result.output


def test_purge_dry_run_lists_and_changes_nothing(
    people: Driver, neo4j_settings: Neo4jSettings
) -> None:
    people.execute_query(
        "MATCH (p:Person {id: 'p-2'})-[:HAS_CONSENT_EVENT]->(e) "
        "SET p.loaded_at = datetime('2020-01-01T00:00:00Z'), p.stage_dates = [], "
        "p.changed_at = datetime('2020-01-01T00:00:00Z'), "
        "e.recorded_at = datetime('2020-01-01T00:00:00Z')",
        database_=neo4j_settings.database,
    )
    output = invoke("people", "purge", "--inactive-months", "6", "--dry-run")
    assert "p-2\tlast active 2020-01-01" in output
    assert "1 would be erased (dry run)" in output
    assert len(personal_details(people, neo4j_settings.database, ADMIN, ["p-1", "p-2"])) == 2
    assert "erased 1 inactive people" in invoke("people", "purge", "--inactive-months", "6")
    assert personal_details(people, neo4j_settings.database, ADMIN, ["p-1", "p-2"]).keys() == {
        "p-1"
    }


def test_keys_rotate_rewraps_with_the_new_master_key(
    people: Driver, neo4j_settings: Neo4jSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = base64.b64encode(os.urandom(32)).decode()
    monkeypatch.setenv("ASSETBRIDGE_MASTER_KEY", new)
    get_key_settings.cache_clear()
    # Under the new master key alone the old wrapping does not open.
    result = CliRunner().invoke(app, ["people", "export", "p-1"])
    assert result.exit_code == 1
    assert "does not open with this master key" in result.output
    monkeypatch.setenv("ASSETBRIDGE_PREVIOUS_MASTER_KEY", DEVELOPMENT_MASTER_KEY)
    get_key_settings.cache_clear()
    assert "re-wrapped 2 person key(s)" in invoke("keys", "rotate")
    monkeypatch.delenv("ASSETBRIDGE_PREVIOUS_MASTER_KEY")
    get_key_settings.cache_clear()
    found = personal_details(people, neo4j_settings.database, ADMIN, ["p-1"])
    assert found["p-1"].name == "Amina Zephyrine"
