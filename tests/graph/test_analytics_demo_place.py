"""The analytics CLI (as a subprocess) and the notebook, on the demo place loaded
through the loaders, checked against networkx on the ties read independently."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import nbformat
import networkx as nx
import pytest
from nbclient import NotebookClient
from neo4j import Driver

from graph.analytics.brokerage_roles import brokerage_roles
from graph.settings import Neo4jSettings, get_place_settings
from loaders.demo import generate_demo, load_demo_folder
from tests.conftest import CLEAR_GRAPH

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "centrality.ipynb"

# The default projection, read without it: the four labels (people with current consent
# only), the six types.
NODES = """
MATCH (n)
WHERE (n:Person AND n.consent_given_at IS NOT NULL AND n.consent_withdrawn_at IS NULL)
   OR n:CommunityOrganisation OR n:Department OR n:AnchorInstitution
RETURN labels(n)[0] AS label, n.id AS id
"""
TIES = """
MATCH (a)-[r:KNOWS|MENTORED_BY|SUPPORTED_BY|REFERS_TO|PARTNERS_WITH|PART_OF]->(b)
WHERE (a:Person OR a:CommunityOrganisation OR a:Department OR a:AnchorInstitution)
  AND (b:Person OR b:CommunityOrganisation OR b:Department OR b:AnchorInstitution)
  AND a <> b
RETURN labels(a)[0] AS al, a.id AS a, labels(b)[0] AS bl, b.id AS b, type(r) AS type
"""
GROUP = {"Person": "micro_asset", "CommunityOrganisation": "intermediary",
         "Department": "intermediary", "AnchorInstitution": "macro_asset"}  # fmt: skip


@pytest.fixture(scope="module")
def demo_place(
    driver: Driver, neo4j_settings: Neo4jSettings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Driver]:
    db = neo4j_settings.database
    _clear(driver, db)
    folder = tmp_path_factory.mktemp("demo")
    generate_demo(folder)
    reports = load_demo_folder(folder, driver=driver, database=db)
    assert sum(report.rows_rejected for report in reports) == 0
    yield driver
    _clear(driver, db)


def _clear(driver: Driver, db: str) -> None:
    with driver.session(database=db) as session:
        session.run(CLEAR_GRAPH).consume()


def _network(driver: Driver, db: str, *, directed: bool) -> nx.Graph:
    graph = nx.DiGraph() if directed else nx.Graph()
    for r in driver.execute_query(NODES, database_=db).records:
        graph.add_node(f"{r['label']}:{r['id']}", group=GROUP[r["label"]])
    for r in driver.execute_query(TIES, database_=db).records:
        a, b = f"{r['al']}:{r['a']}", f"{r['bl']}:{r['b']}"
        if a not in graph or b not in graph:
            continue  # a tie of someone without consent leaves with them
        graph.add_edge(a, b)
        if directed and r["type"] in ("KNOWS", "MENTORED_BY", "PARTNERS_WITH"):
            graph.add_edge(b, a)
    return graph


def _cli(settings: Neo4jSettings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEO4J_URI": settings.uri,
           "NEO4J_PASSWORD": settings.password.get_secret_value(), "COLUMNS": "160"}  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "assetbridge", "analytics", *args],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_betweenness_from_the_cli_equals_networkx(
    demo_place: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    out = tmp_path / "betweenness.csv"
    run = _cli(neo4j_settings, "centrality", "--measure", "betweenness", "--top", "0",
               "--csv", str(out))  # fmt: skip
    assert run.returncode == 0, run.stderr
    expected = nx.betweenness_centrality(_network(demo_place, neo4j_settings.database,
                                                  directed=False))  # fmt: skip
    rows = _rows(out)
    assert {row["node"]: float(row["betweenness"]) for row in rows} == pytest.approx(
        expected, abs=1e-9
    )
    # The same ranking: position by position, networkx's values match to 1e-9
    # (equal values may come in either order).
    ranked = sorted(expected, key=lambda node: -expected[node])
    assert [expected[row["node"]] for row in rows] == pytest.approx(
        [expected[node] for node in ranked], abs=1e-9
    )
    assert [int(row["rank"]) for row in rows] == list(range(1, len(expected) + 1))
    assert all(row["name"] == "" for row in rows if row["node"].startswith("Person:"))
    assert "exact" in run.stdout


def test_table_and_write_back(demo_place: Driver, neo4j_settings: Neo4jSettings) -> None:
    run = _cli(neo4j_settings, "centrality", "--measure", "pagerank", "--top", "5", "--write-back")
    assert run.returncode == 0, run.stderr
    # Piped, the table is plain tab-separated lines, no word folded to fit a width.
    lines = [line.split("\t") for line in run.stdout.splitlines()[:6]]
    assert lines[0] == ["rank", "node", "name", "group", "pagerank"]
    assert [line[0] for line in lines[1:]] == ["1", "2", "3", "4", "5"]
    assert "Riverbridge" in run.stdout
    nodes = _network(demo_place, neo4j_settings.database, directed=False).number_of_nodes()
    assert f"wrote centrality_pagerank to {nodes} node(s)" in run.stdout
    stored = demo_place.execute_query(
        "MATCH (n) WHERE n.centrality_pagerank IS NOT NULL RETURN count(n) AS n",
        database_=neo4j_settings.database,
    ).records[0]["n"]
    assert stored == nodes


def test_brokerage_and_communities_from_the_cli(
    demo_place: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    out = tmp_path / "roles.csv"
    run = _cli(neo4j_settings, "brokerage", "--top", "0", "--csv", str(out))
    assert run.returncode == 0, run.stderr
    directed = _network(demo_place, neo4j_settings.database, directed=True)
    expected = {node: counts for node, counts in brokerage_roles(directed).items()
                if sum(counts.values())}  # fmt: skip
    rows = _rows(out)
    assert {
        row["node"]: {role: int(row[role]) for role in expected[row["node"]]} for row in rows
    } == expected
    assert [int(row["total"]) for row in rows] == sorted(
        (sum(c.values()) for c in expected.values()), reverse=True
    )
    run = _cli(neo4j_settings, "communities", "--top", "3")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].split("\t") == ["community", "size", "groups", "best connected"]
    assert [line.split("\t")[0] for line in lines[1:4]] == ["0", "1", "2"]
    assert "modularity" in run.stdout
    # Brokerage roles' names come whole, not folded (`coord/inato/r`).
    run = _cli(neo4j_settings, "brokerage", "--top", "2")
    assert run.stdout.splitlines()[0].split("\t")[4:] == [
        "coordinator", "itinerant", "representative", "gatekeeper", "liaison", "total",
    ]  # fmt: skip


def test_csv_is_whole_unless_asked_and_communities_give_each_nodes_membership(
    demo_place: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    """Issue 16: --top (20 by default) also cut --csv, and communities --csv had no
    per-node membership to join with other data."""
    network = _network(demo_place, neo4j_settings.database, directed=False)
    out = tmp_path / "degree.csv"
    run = _cli(neo4j_settings, "centrality", "--measure", "degree", "--csv", str(out))
    assert run.returncode == 0, run.stderr
    assert len(_rows(out)) == network.number_of_nodes()
    run = _cli(neo4j_settings, "centrality", "--measure", "degree", "--top", "7", "--csv", str(out))
    assert len(_rows(out)) == 7
    out = tmp_path / "communities.csv"
    run = _cli(neo4j_settings, "communities", "--csv", str(out))
    assert run.returncode == 0, run.stderr
    rows = _rows(out)
    assert sorted(row["node"] for row in rows) == sorted(network)
    sizes = Counter(row["community"] for row in rows)
    assert {row["community"]: int(row["community_size"]) for row in rows} == dict(sizes)


def test_export_for_gephi(
    demo_place: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    out = tmp_path / "place.gexf"
    run = _cli(neo4j_settings, "export", str(out), "--measure", "betweenness", "--communities")
    assert run.returncode == 0, run.stderr
    back = nx.read_gexf(out)
    network = _network(demo_place, neo4j_settings.database, directed=False)
    assert sorted(back.nodes) == sorted(network)
    trust = back.nodes["AnchorInstitution:anchor-trust"]
    assert trust["label"] == "Riverbridge University Hospitals NHS Foundation Trust"
    assert {"betweenness", "community", "group", "kind"} <= set(trust)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["centrality", "--label", "PersonalRecord"], "unknown label 'PersonalRecord'"),
        (["centrality", "--rel-type", "HAS_PERSONAL_RECORD"], "unknown relationship type"),
        (["centrality", "--area", "nowhere"], "no area with id 'nowhere'"),
        (["brokerage", "--group-by", "colour"], "groupBy must be one of group, label"),
        (["export", "place.txt"], "cannot tell the format from place.txt"),
    ],
)
def test_refusals_are_plain_messages(
    demo_place: Driver, neo4j_settings: Neo4jSettings, args: list[str], message: str
) -> None:
    run = _cli(neo4j_settings, *args)
    assert run.returncode == 1
    assert message in " ".join(run.stderr.split())
    assert "Traceback" not in run.stderr + run.stdout


def test_an_unreachable_database_is_named() -> None:
    run = _cli(Neo4jSettings(uri="bolt://127.0.0.1:9"), "centrality")
    assert run.returncode == 1
    assert "bolt://127.0.0.1:9" in run.stderr
    assert "Traceback" not in run.stderr


def test_the_notebook_runs_top_to_bottom(demo_place: Driver, neo4j_settings: Neo4jSettings) -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)  # type: ignore[no-untyped-call]
    env = {**os.environ, "NEO4J_URI": neo4j_settings.uri,
           "NEO4J_PASSWORD": neo4j_settings.password.get_secret_value()}  # fmt: skip
    client = NotebookClient(notebook, timeout=180, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT)}})  # fmt: skip
    client.execute(env=env)
    outputs = [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]
    assert [out for out in outputs if out.output_type == "error"] == []
    figures = [out for out in outputs if "image/png" in out.get("data", {})]
    assert len(figures) == 4
    shown = "".join(out.get("data", {}).get("text/markdown", "") for out in outputs)
    # The consenting network: 254 of the demo's 300 residents consent today.
    network = _network(demo_place, neo4j_settings.database, directed=False)
    people = sum(1 for node in network if node.startswith("Person:"))
    assert (network.number_of_nodes(), network.number_of_edges(), people) == (317, 911, 254)
    assert "**317 nodes, 911 ties**: 254 micro_asset, 58 intermediary, 5 macro_asset" in shown
    assert "Routes from 254 residents to Riverbridge University Hospitals" in shown
    assert "articulation points" in shown
    assert "communities, modularity" in shown


def _ties(stdout: str) -> int:
    line = next(line for line in stdout.splitlines() if " ties; " in line)
    return int(line.split(" nodes, ")[1].split(" ties")[0].replace(",", ""))


def test_the_cli_reads_the_network_as_of_a_day(
    demo_place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    today = _cli(neo4j_settings, "centrality", "--measure", "degree", "--top", "1")
    assert today.returncode == 0, today.stderr
    # Before the partnership's first ties began, only the undated ones held.
    long_ago = _cli(neo4j_settings, "centrality", "--measure", "degree", "--top", "1",
                    "--as-of", "2000-01-01")  # fmt: skip
    assert long_ago.returncode == 0, long_ago.stderr
    assert _ties(long_ago.stdout) < _ties(today.stdout)
    bad = _cli(neo4j_settings, "centrality", "--as-of", "2024-13-01")
    assert bad.returncode != 0
    assert "--as-of" in bad.stderr
    assert "Traceback" not in bad.stderr
    written = _cli(neo4j_settings, "centrality", "--as-of", "2024-01-01", "--write-back")
    assert written.returncode != 0
    assert "--write-back" in written.stderr
    assert "Traceback" not in written.stderr


def test_the_cli_keeps_the_places_asked(demo_place: Driver, neo4j_settings: Neo4jSettings) -> None:
    every = _cli(neo4j_settings, "centrality", "--measure", "degree", "--top", "1")
    assert every.returncode == 0, every.stderr
    # The demo place is the default one: asked by name, it is the whole network.
    home = _cli(neo4j_settings, "centrality", "--measure", "degree", "--top", "1",
                "--place", get_place_settings().default_place_id)  # fmt: skip
    assert home.returncode == 0, home.stderr
    assert _ties(home.stdout) == _ties(every.stdout) > 0
    elsewhere = _cli(neo4j_settings, "brokerage", "--place", "nowhere")
    assert elsewhere.returncode == 0, elsewhere.stderr
    assert "0 nodes, 0 directed ties" in elsewhere.stdout
