"""The CLI's exports of personal values and of the audit log are the owner's alone
(finding F6 of issue 13): with the usual umask they were readable by every account."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from neo4j import Driver

from tests.graph.test_private_files import usual_umask  # noqa: F401 - a fixture
from tests.loaders.conftest import cli_env  # noqa: F401 - a fixture
from tests.test_people_command import invoke, keys_apart, people  # noqa: F401 - fixtures


@pytest.mark.usefixtures("usual_umask")
def test_an_access_export_and_the_audit_export_are_owner_only(
    people: Driver,  # noqa: F811 - the fixture imported above
    tmp_path: Path,
) -> None:
    out = tmp_path / "p-2.json"
    invoke("people", "export", "p-2", "--out", str(out))
    assert "Boris Quillfeather" in out.read_text(encoding="utf-8")
    audit = tmp_path / "audit.jsonl"
    assert "events to" in invoke("audit", "export", "--out", str(audit))
    assert audit.read_text(encoding="utf-8") != ""
    assert (stat.S_IMODE(out.stat().st_mode), stat.S_IMODE(audit.stat().st_mode)) == (0o600, 0o600)
