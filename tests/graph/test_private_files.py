"""Files holding personal values or keys are the owner's alone (finding F6 of issue 13),
whatever the umask: the ordinary 022 would leave them readable by every account."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

from graph.analytics.export import ExportFormat, export_graph
from graph.crypto.keystore import KeyStore
from graph.private_files import create_private, make_private_dir, open_private
from loaders.rejects import Reject, RejectWriter


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_new_file_is_owner_only_and_an_existing_one_is_tightened(tmp_path: Path) -> None:
    new = tmp_path / "new.txt"
    with open_private(new) as handle:
        handle.write("x")
    assert mode(new) == 0o600
    old = tmp_path / "old.txt"
    old.write_text("before")
    old.chmod(0o644)
    with open_private(old) as handle:
        handle.write("after")
    assert (mode(old), old.read_text()) == (0o600, "after")
    made = tmp_path / "made.bin"
    create_private(made)
    assert (mode(made), made.read_bytes()) == (0o600, b"")


def test_a_directory_made_for_private_files_is_owner_only(tmp_path: Path) -> None:
    made = tmp_path / "a" / "keys"
    make_private_dir(made)
    assert mode(made) == 0o700
    existing = tmp_path / "shared"
    existing.mkdir(mode=0o755)
    make_private_dir(existing)
    assert mode(existing) == 0o755


def test_the_key_store_and_its_directory_are_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "var" / "keystore.sqlite3"
    store = KeyStore(path, os.urandom(32))
    store.ensure_keys(["p-1"])
    assert (mode(path), mode(path.parent)) == (0o600, 0o700)
    # SQLite's journal, if one is left, takes the database's mode.
    assert {p.name: mode(p) for p in path.parent.iterdir()} == {path.name: 0o600}


def test_an_existing_world_readable_key_store_is_tightened_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "keystore.sqlite3"
    KeyStore(path, os.urandom(32))
    path.chmod(0o644)
    KeyStore(path, os.urandom(32))
    assert mode(path) == 0o600


def test_reject_files_are_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "rejects" / "people.rejects.csv"
    with RejectWriter(path, "people.csv") as writer:
        writer.write(Reject(line=2, field="name", reason="missing", row={"name": None}))
    assert mode(path) == 0o600


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_network_exports_are_owner_only(tmp_path: Path, fmt: ExportFormat) -> None:
    path = tmp_path / f"place.{fmt.value}"
    graph = nx.Graph()
    graph.add_node("a", label="CommunityOrganisation", id="org-1", group="micro_asset", name="Hope")
    export_graph(graph, path, fmt)
    assert mode(path) == 0o600
