"""Every file the product writes for a spreadsheet keeps a formula from a loaded file as
text: the analytics CSVs, the Gephi export and the reject files (finding 8)."""

from __future__ import annotations

import csv
import json
import stat
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from neo4j import Driver
from typer.testing import CliRunner

from assetbridge.cli import app
from graph.csv_cells import FORMULA_TRIGGERS, safe_cell
from graph.settings import Neo4jSettings
from tests.loaders.helpers import load_file, write_csv

HYPERLINK = '=HYPERLINK("http://x","y")'
# A name for each trigger a loaded name can start with (loaders strip tabs and returns
# at the ends of a cell), and one that only looks like a number.
NAMES = {
    "org-link": HYPERLINK,
    "org-plus": "+44 Community Radio",
    "org-minus": "-0.5",
    "org-at": "@home Network",
    "org-plain": "Refugee Welcome Charity",
}


@given(st.text())
def test_a_cell_is_text_a_spreadsheet_never_runs_and_reads_back(text: str) -> None:
    cell = safe_cell(text)
    assert isinstance(cell, str)
    assert not cell.startswith(FORMULA_TRIGGERS)
    assert cell == text or cell == "'" + text


@pytest.mark.parametrize("number", [-0.5, -3, 0, 2.5, True])
def test_numbers_written_as_numbers_stay_numbers(number: float) -> None:
    assert safe_cell(number) is number


def _formula_free(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert [cell for row in rows for cell in row if cell.startswith(FORMULA_TRIGGERS)] == []
    return rows


@pytest.fixture
def formula_network(clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path) -> None:
    db = neo4j_settings.database
    organisations = write_csv(
        tmp_path / "organisations.csv",
        ["id", "name", "org_type"],
        [[ident, name, "frontline"] for ident, name in NAMES.items()],
    )
    assert load_file(clean_db, db, "organisations", organisations).rows_rejected == 0
    # A star around the plain organisation and a chain, so every node has a score.
    ids = list(NAMES)
    ties: list[list[object]] = [["PARTNERS_WITH", "org-plain", o, "0.5"] for o in ids[:-1]]
    ties += [["PARTNERS_WITH", a, b, "0.5"] for a, b in zip(ids[:-2], ids[1:-1], strict=True)]
    edges = write_csv(tmp_path / "edges.csv", ["kind", "from_id", "to_id", "strength"], ties)
    assert load_file(clean_db, db, "edges", edges).rows_rejected == 0


@pytest.mark.parametrize(
    "command", [["centrality", "--measure", "degree"], ["brokerage"], ["communities"]]
)
def test_analytics_csv_keeps_formulas_as_text(
    formula_network: None, cli_env: None, tmp_path: Path, command: list[str]
) -> None:
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(
        app,
        ["analytics", *command, "--label", "CommunityOrganisation",
         "--rel-type", "PARTNERS_WITH", "--top", "0", "--csv", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    header, *rows = _formula_free(out)
    assert rows
    for row in rows:
        ident = row[header.index("node")].removeprefix("CommunityOrganisation:")
        assert row[header.index("name")] == safe_cell(NAMES[ident])
    if command[0] != "brokerage":  # a row a node (brokerage: only those that broker)
        assert len(rows) == len(NAMES)


def test_gephi_export_keeps_formulas_as_text(
    formula_network: None, cli_env: None, tmp_path: Path
) -> None:
    out = tmp_path / "place.gexf"
    result = CliRunner().invoke(
        app, ["analytics", "export", str(out), "--label", "CommunityOrganisation"]
    )
    assert result.exit_code == 0, result.output
    back = nx.read_gexf(out)
    names = {data["external_id"]: data["name"] for _, data in back.nodes(data=True)}
    assert names == {ident: safe_cell(name) for ident, name in NAMES.items()}


def test_reject_files_keep_formulas_as_text(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    organisations = write_csv(
        tmp_path / "organisations.csv",
        ["id", "name", "founded_year"],
        [[HYPERLINK, HYPERLINK, "not a year"], ["org-2", "-2 Below", "-5"]],
    )
    report = load_file(clean_db, neo4j_settings.database, "organisations", organisations)
    assert report.rows_rejected == 2
    header, *rows = _formula_free(tmp_path / "organisations.rejects.csv")
    shown = [json.loads(row[header.index("row")]) for row in rows]
    assert shown == [
        {"id": "'" + HYPERLINK, "name": "'" + HYPERLINK, "founded_year": "not a year"},
        {"id": "org-2", "name": "'-2 Below", "founded_year": "'-5"},
    ]


def test_every_csv_writer_of_the_product_uses_the_one_rule() -> None:
    # A CSV writer added later must go through graph/csv_cells too. The demo generator
    # writes loader inputs, not outputs for people to open.
    root = Path(__file__).resolve().parents[2]
    writers = [
        path.relative_to(root).as_posix()
        for package in ("graph", "schema", "api", "loaders", "assetbridge")
        for path in sorted((root / package).rglob("*.py"))
        if "csv.writer(" in (text := path.read_text()) or "csv.DictWriter(" in text
    ]
    assert "loaders/rejects.py" in writers
    unsafe = [
        path
        for path in writers
        if not path.startswith("loaders/demo/")
        and "from graph.csv_cells import" not in (root / path).read_text()
    ]
    assert unsafe == []
