"""`assetbridge demo generate|load`: a synthetic place, at any scale."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from assetbridge.console import console, err_console, fail, load_errors
from assetbridge.load_command import cli_loader, summary_table
from graph.driver import create_driver, probe
from graph.settings import get_neo4j_settings, get_place_settings
from loaders.demo import (
    DEFAULT_SEED,
    DEMO_PEOPLE,
    GenerationReport,
    GraphCounts,
    generate_demo,
    graph_counts,
)
from loaders.demo.places import generate_places, load_places

app = typer.Typer(help="Generate and load the demo: two places in two cities, with history.")

EXIT_REJECTED = 2

PeopleOption = Annotated[
    int,
    typer.Option(
        min=1,
        max=5_000_000,
        help="Residents to generate; the place grows with them. The default is large enough "
        "for a place leader's counts to clear small-cell suppression; 300 is the reference "
        "place docs/model.md counts",
    ),
]
SeedOption = Annotated[int, typer.Option(help="Random seed: the same seed gives the same files")]


def files_table(report: GenerationReport) -> Table:
    table = Table(title=f"Demo files in {report.folder}")
    table.add_column("file")
    table.add_column("rows", justify="right")
    for kind, rows in report.rows.items():
        table.add_row(f"{kind}.csv", f"{rows:,}")
    table.add_row("total", f"{sum(report.rows.values()):,}", style="bold")
    return table


def counts_tables(counts: GraphCounts) -> tuple[Table, Table]:
    nodes = Table(title="Nodes per label")
    nodes.add_column("label")
    nodes.add_column("nodes", justify="right")
    for label, count in counts.labels.items():
        nodes.add_row(label, f"{count:,}")
    nodes.add_row("total", f"{sum(counts.labels.values()):,}", style="bold")
    rels = Table(title="Relationships per type")
    rels.add_column("type")
    rels.add_column("relationships", justify="right")
    for rel_type, count in counts.relationships.items():
        rels.add_row(rel_type, f"{count:,}")
    rels.add_row("total", f"{sum(counts.relationships.values()):,}", style="bold")
    return nodes, rels


@contextmanager
def _folder(out: Path | None) -> Iterator[Path]:
    if out is not None:
        yield out
        return
    with tempfile.TemporaryDirectory(prefix="assetbridge-demo-") as tmp:
        yield Path(tmp)


@app.command()
def generate(
    out: Annotated[Path, typer.Option(help="Folder to write the CSV files into")],
    people: PeopleOption = DEMO_PEOPLE,
    seed: SeedOption = DEFAULT_SEED,
) -> None:
    """Write the demo place as loader input files (one CSV a format); load nothing."""
    try:
        report = generate_demo(out, people=people, seed=seed)
    except OSError as exc:
        fail(f"cannot write the demo files to {out}: {exc.strerror or exc}")
    console.print(files_table(report))
    console.print(
        f"{report.people:,} people, seed {report.seed}: generated in {report.seconds:.1f} s",
        highlight=False,
    )


@app.command()
def load(
    people: PeopleOption = DEMO_PEOPLE,
    seed: SeedOption = DEFAULT_SEED,
    out: Annotated[
        Path | None,
        typer.Option(help="Keep the files (and any rejects) here; default a temp folder"),
    ] = None,
    batch_size: Annotated[
        int, typer.Option(min=1, max=100_000, help="Rows per transaction")
    ] = 2000,
    one_place: Annotated[
        bool,
        typer.Option(
            "--one-place",
            help="Load only the neighbourhood, into the default place, without Calderford",
        ),
    ] = False,
    history: Annotated[
        bool,
        typer.Option(
            help="Load each place's five years of ties that ended; --one-place "
            "--no-history is the reference place docs/model.md counts",
        ),
    ] = True,
) -> None:
    """Generate the demo and load it through the ordinary loaders, place by place.

    Two places in two cities: the neighbourhood (PEOPLE residents, in the default place)
    and Calderford (a fifth of them, seed + 1), one programme working in both, and five
    years of ties that ended in each. Loading merges into whatever the database holds;
    on an empty database the counts printed are the demo's own. Exit 0: all rows
    loaded; 2: some rows were rejected; 1: nothing could be loaded.
    """
    settings = get_neo4j_settings()
    with create_driver(settings) as driver:
        status = probe(driver, settings)
        if not status.reachable:
            fail(f"{settings.uri}: {status.reason}")
        existing = sum(graph_counts(driver, settings.database).labels.values())
        if existing:
            err_console.print(
                f"[yellow]warning:[/] the database already holds {existing:,} nodes; the demo "
                "place merges into them (same ids, other people) and the counts include them",
                highlight=False,
            )
        with _folder(out) as folder:
            places = generate_places(
                folder,
                people=people,
                seed=seed,
                first_place_id=get_place_settings().default_place_id,
                second=not one_place,
                history=history,
            )
            with load_errors(settings):
                with err_console.status("loading the demo"):
                    reports = load_places(
                        places,
                        driver=driver,
                        database=settings.database,
                        batch_size=batch_size,
                        loaded_by=cli_loader(),
                    )
                counts = graph_counts(driver, settings.database)
    console.print(summary_table(reports))
    for table in counts_tables(counts):
        console.print(table)
    for place in places:
        generated = place.report
        ended = f"; {place.history_rows:,} ties that ended" if place.history_rows else ""
        console.print(
            f"{place.place_id}: {generated.people:,} people (seed {generated.seed}); "
            f"{generated.gap_people:,} of them reach only organisations that refer nobody on"
            f"{ended}",
            highlight=False,
        )
    rejected = sum(report.rows_rejected for report in reports)
    if rejected:
        where = f"see the .rejects.csv files in {out}" if out else "rerun with --out to keep them"
        console.print(f"{rejected} row(s) rejected; {where}", highlight=False)
        raise typer.Exit(EXIT_REJECTED)
