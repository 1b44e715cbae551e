"""`assetbridge analytics centrality|brokerage|communities|export`: network measures
for analysts, as a ranked table, a CSV file, scores written back, or a file for Gephi."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from neo4j import Driver
from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired
from rich.table import Table

from assetbridge.console import console, err_console, fail
from graph.analytics.centrality import Measure, scores
from graph.analytics.communities import louvain_communities, membership
from graph.analytics.engines import Engine
from graph.analytics.export import ExportFormat, export_graph
from graph.analytics.projection import (
    DEFAULT_LABELS,
    DEFAULT_REL_TYPES,
    GROUPS,
    PROJECTABLE_LABELS,
    PROJECTABLE_TYPES,
    Projection,
    WeightProperty,
    project,
)
from graph.analytics.ranking import (
    DEFAULT_SEED,
    GROUP_ATTRIBUTES,
    brokerage_ranking,
    centrality_ranking,
    community_report,
)
from graph.csv_cells import safe_row
from graph.driver import create_driver, probe
from graph.errors import GraphError
from graph.models.paths import PathNode
from graph.private_files import open_private
from graph.settings import get_neo4j_settings
from graph.vocabulary import Label, RelType

app = typer.Typer(help="Centrality, brokerage roles and communities of the place's network.",
                  no_args_is_help=True)  # fmt: skip

T = TypeVar("T")

_LABEL_CHOICES = ", ".join(sorted(label.value for label in PROJECTABLE_LABELS))
_TYPE_CHOICES = ", ".join(sorted(t.value for t in PROJECTABLE_TYPES))

Labels = Annotated[
    list[str] | None,
    typer.Option("--label", "-l", help=f"Node label to include (repeat). One of: {_LABEL_CHOICES}. "
                 f"Default: {', '.join(DEFAULT_LABELS)}"),
]  # fmt: skip
RelTypes = Annotated[
    list[str] | None,
    typer.Option("--rel-type", "-r", help=f"Relationship type to include (repeat). One of: "
                 f"{_TYPE_CHOICES}. Default: {', '.join(DEFAULT_REL_TYPES)}"),
]  # fmt: skip
Area = Annotated[str | None, typer.Option(help="Keep only what lies within this area (ONS code)")]
Anchor = Annotated[str | None, typer.Option(help="Keep only what lies near this anchor (its id)")]
Hops = Annotated[int, typer.Option(min=1, max=10, help="How near, in ties, for --anchor")]
Directed = Annotated[bool, typer.Option("--directed/--undirected", help="Keep tie directions")]
Weight = Annotated[str, typer.Option(help="Tie weight: strength, count or none")]
Top = Annotated[
    int | None,
    typer.Option(min=0, help="Rows to show or write; 0 for all. Default: 20 shown, all written"),
]
SHOWN_BY_DEFAULT = 20
CsvPath = Annotated[Path | None, typer.Option("--csv", help="Write the ranking to this CSV file")]
Seed = Annotated[int, typer.Option(help="Seed for anything random (sampling, Louvain)")]
AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="Read the network as it stood that day (YYYY-MM-DD); default today"
    ),
]
Places = Annotated[
    list[str] | None,
    typer.Option("--place", help="Keep only the nodes of this place (repeat); default every place"),
]


def _parse(
    values: Sequence[str] | None,
    kind: Callable[[str], T],
    allowed: frozenset[T],
    default: tuple[T, ...],
    what: str,
) -> tuple[T, ...]:
    if not values:
        return default
    chosen = []
    for value in values:
        try:
            parsed = kind(value)
        except ValueError:
            parsed = None
        if parsed is None or parsed not in allowed:
            fail(f"unknown {what} {value!r}")
        chosen.append(parsed)
    return tuple(chosen)


def _projection(
    labels: list[str] | None,
    rel_types: list[str] | None,
    area: str | None,
    anchor: str | None,
    hops: int,
    directed: bool,
    weight: str,
    as_of: str | None = None,
    places: list[str] | None = None,
) -> Projection:
    if weight not in ("none", *WeightProperty):
        fail(f"--weight must be strength, count or none, not {weight!r}")
    try:
        day = date.fromisoformat(as_of) if as_of is not None else None
    except ValueError:
        fail(f"--as-of must be a day written YYYY-MM-DD, not {as_of!r}")
    return Projection(
        labels=_parse(labels, Label, PROJECTABLE_LABELS, DEFAULT_LABELS, "label"),
        rel_types=_parse(
            rel_types, RelType, PROJECTABLE_TYPES, DEFAULT_REL_TYPES, "relationship type"
        ),  # fmt: skip
        directed=directed,
        area_id=area,
        anchor_id=anchor,
        anchor_hops=hops,
        weight=None if weight == "none" else WeightProperty(weight),
        as_of=day,
        places=tuple(places) if places else None,
    )


@contextmanager
def _graph_driver() -> Iterator[tuple[Driver, str]]:
    settings = get_neo4j_settings()
    with create_driver(settings) as driver:
        # A probe answers at once; a managed transaction would retry for half a
        # minute against a server that is not there.
        status = probe(driver, settings)
        if not status.reachable:
            fail(f"{settings.uri}: {status.reason}")
        try:
            yield driver, settings.database
        except GraphError as exc:
            fail(str(exc))
        except (ServiceUnavailable, SessionExpired) as exc:
            fail(f"Neo4j at {settings.uri} is not reachable ({exc}); start it and run again")
        except Neo4jError as exc:
            fail(f"Neo4j refused the query: {exc.code}")


def _node_cells(node: PathNode) -> list[str]:
    return [f"{node.label.value}:{node.id}", node.name or ""]


def _write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    try:
        with open_private(path, newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(safe_row(header))
            # Node names come from loaded files: a name that is a formula stays text.
            writer.writerows(safe_row(row) for row in rows)
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}")
    console.print(f"wrote {len(rows)} row(s) to {path}", highlight=False)


def _limit(top: int | None, csv_path: Path | None) -> int | None:
    """How many rows to rank: as asked, else a screenful shown or the whole file written."""
    if top is not None:
        return top or None
    return None if csv_path is not None else SHOWN_BY_DEFAULT


def _show(title: str, header: list[str], rows: list[list[str]], numeric_from: int) -> None:
    """A table on a terminal; tab-separated lines when piped or redirected, where a table
    would be cut to an assumed width and fold words (``coord/inato/r``)."""
    if console.is_terminal:
        console.print(_table(title, header, rows, numeric_from))
        return
    for line in (header, *rows):
        print("\t".join(line))  # noqa: T201 - plain output for pipes, on purpose


def _table(title: str, header: list[str], rows: list[list[str]], numeric_from: int) -> Table:
    table = Table(title=title)
    for position, column in enumerate(header):
        numeric = position >= numeric_from or position == 0
        # Fold rather than cut: a node id cut short names nothing.
        table.add_column(column, justify="right" if numeric else "left", overflow="fold")
    for row in rows:
        table.add_row(*row)
    return table


@app.command()
def centrality(
    measure: Annotated[Measure, typer.Option(help="What to rank by")] = Measure.BETWEENNESS,
    label: Labels = None,
    rel_type: RelTypes = None,
    area: Area = None,
    anchor: Anchor = None,
    hops: Hops = 3,
    as_of: AsOf = None,
    place: Places = None,
    directed: Directed = False,
    weight: Weight = "strength",
    top: Top = None,
    csv_path: CsvPath = None,
    write_back: Annotated[
        bool,
        typer.Option(
            "--write-back", help="Store every node's score in Neo4j as centrality_<measure>"
        ),
    ] = False,  # fmt: skip
    sample: Annotated[
        int | None, typer.Option(min=1, help="Estimate betweenness from this many sampled sources")
    ] = None,  # fmt: skip
    seed: Seed = DEFAULT_SEED,
    engine: Annotated[Engine, typer.Option(help="Betweenness engine")] = Engine.AUTO,
) -> None:
    """Rank nodes by a centrality measure, most central first (constraint: least first)."""
    if write_back and as_of is not None:
        # Stored scores are dated the day they were computed and read as today's.
        fail("--write-back stores today's scores: leave out --as-of to write them")
    chosen = _projection(label, rel_type, area, anchor, hops, directed, weight, as_of, place)
    with _graph_driver() as (driver, database):
        found = centrality_ranking(driver, database, measure, chosen,
                                   first=_limit(top, csv_path), k=sample, seed=seed,
                                   engine=engine, write_back=write_back)  # fmt: skip
    header = ["rank", "node", "name", "group", measure.value]
    rows = [[e.rank, *_node_cells(e.node), e.group, e.score] for e in found.ranked]
    how = (f"estimated from {found.sampled_sources} sources (seed {seed})"
           if found.sampled_sources else "exact")  # fmt: skip
    if csv_path is not None:
        _write_csv(csv_path, header, rows)
    else:
        shown = [[str(c) if i != 4 else f"{c:.6g}" for i, c in enumerate(row)] for row in rows]
        _show(f"{measure.value} centrality", header, shown, 4)
    console.print(f"{found.nodes:,} nodes, {found.relationships:,} ties; "
                  f"{measure.value} {how if measure is Measure.BETWEENNESS else 'exact'}",
                  highlight=False)  # fmt: skip
    if found.written is not None:
        console.print(f"wrote centrality_{measure.value} to {found.written:,} node(s), "
                      f"dated {found.computed_on.isoformat()}", highlight=False)  # fmt: skip


@app.command()
def brokerage(
    group_by: Annotated[
        str, typer.Option(help="Node attribute naming the groups: " + " or ".join(GROUP_ATTRIBUTES))
    ] = "group",  # fmt: skip
    label: Labels = None,
    rel_type: RelTypes = None,
    area: Area = None,
    anchor: Anchor = None,
    hops: Hops = 3,
    as_of: AsOf = None,
    place: Places = None,
    top: Top = None,
    csv_path: CsvPath = None,
) -> None:
    """Gould-Fernandez brokerage roles on the directed network, most brokerage first."""
    chosen = _projection(label, rel_type, area, anchor, hops, True, "none", as_of, place)
    with _graph_driver() as (driver, database):
        found = brokerage_ranking(
            driver, database, chosen, group_by=group_by, first=_limit(top, csv_path)
        )
    roles = ["coordinator", "itinerant", "representative", "gatekeeper", "liaison", "total"]
    header = ["rank", "node", "name", group_by, *roles]
    rows = [[e.rank, *_node_cells(e.node), e.group, e.coordinator, e.itinerant,
             e.representative, e.gatekeeper, e.liaison, e.total] for e in found.ranked]  # fmt: skip
    if csv_path is not None:
        _write_csv(csv_path, header, rows)
    else:
        shown = [[str(cell) for cell in row] for row in rows]
        _show(f"Brokerage roles by {group_by}", header, shown, 4)
    console.print(f"{found.nodes:,} nodes, {found.relationships:,} directed ties; "
                  f"{len(found.ranked)} broker(s) shown", highlight=False)  # fmt: skip


@app.command()
def communities(
    label: Labels = None,
    rel_type: RelTypes = None,
    area: Area = None,
    anchor: Anchor = None,
    hops: Hops = 3,
    as_of: AsOf = None,
    place: Places = None,
    weight: Weight = "strength",
    resolution: Annotated[float, typer.Option(min=0.0, help="Louvain resolution")] = 1.0,
    seed: Seed = DEFAULT_SEED,
    top: Top = None,
    csv_path: CsvPath = None,
) -> None:
    """Louvain communities, largest first, with their mix of groups."""
    chosen = _projection(label, rel_type, area, anchor, hops, False, weight, as_of, place)
    with _graph_driver() as (driver, database):
        found = community_report(driver, database, chosen, seed=seed, resolution=resolution,
                                 first=_limit(top, csv_path),
                                 with_members=csv_path is not None)  # fmt: skip
    if csv_path is not None:
        # One row a node, to join with other data; the summary is what the screen shows.
        _write_csv(csv_path, ["node", "name", "group", "community", "community_size"], [
            [*_node_cells(node), GROUPS[node.label].value, c.index, c.size]
            for c in found.communities for node in c.members or []
        ])  # fmt: skip
    else:
        header = ["community", "size", "groups", "best connected"]
        rows = [[c.index, c.size, "; ".join(f"{g} {n}" for g, n in c.groups.items()),
                 "; ".join(n.name or f"{n.label.value}:{n.id}" for n in c.leading)]
                for c in found.communities]  # fmt: skip
        _show("Communities (Louvain)", header, [[str(c) for c in r] for r in rows], 1)
    console.print(f"{found.nodes:,} nodes, {found.relationships:,} ties; modularity "
                  f"{found.modularity:.3f} (seed {seed})", highlight=False)  # fmt: skip


@app.command()
def export(
    path: Annotated[Path, typer.Argument(help="File to write (.graphml or .gexf)")],
    fmt: Annotated[
        ExportFormat | None, typer.Option("--format", help="Default: from the file's suffix")
    ] = None,  # fmt: skip
    measure: Annotated[
        list[Measure] | None, typer.Option(help="Score to add to every node (repeat)")
    ] = None,  # fmt: skip
    with_communities: Annotated[
        bool, typer.Option("--communities", help="Add each node's Louvain community")
    ] = False,  # fmt: skip
    label: Labels = None,
    rel_type: RelTypes = None,
    area: Area = None,
    anchor: Anchor = None,
    hops: Hops = 3,
    as_of: AsOf = None,
    place: Places = None,
    directed: Directed = False,
    weight: Weight = "strength",
    seed: Seed = DEFAULT_SEED,
) -> None:
    """Write the projected network, with node attributes, for Gephi or yEd."""
    if fmt is None and path.suffix.lstrip(".").lower() not in set(ExportFormat):
        fail(f"cannot tell the format from {path.name}; name it .graphml or .gexf or pass --format")
    chosen = _projection(label, rel_type, area, anchor, hops, directed, weight, as_of, place)
    with _graph_driver() as (driver, database):
        graph = project(driver, database, chosen)
    tie_weight = "weight" if chosen.weight is not None else None
    values: dict[str, dict[object, float | int]] = {}
    with err_console.status("computing"):
        for each in measure or []:
            values[each.value] = dict(scores(graph, each, weight=tie_weight, seed=seed))
        if with_communities:
            found = louvain_communities(graph, seed=seed, weight=tie_weight)
            values["community"] = dict(membership(found))
    try:
        written = export_graph(graph, path, fmt, node_values=values)
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}")
    console.print(f"wrote {graph.number_of_nodes():,} nodes and {graph.number_of_edges():,} ties "
                  f"to {path} ({written.value})", highlight=False)  # fmt: skip
