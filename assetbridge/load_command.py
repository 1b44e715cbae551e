"""`assetbridge load KIND PATH`: import a file of asset-mapping output."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress as RichProgress
from rich.progress import SpinnerColumn, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from assetbridge.console import console, err_console, fail, load_errors
from graph.access import Caller, Role
from graph.driver import create_driver
from graph.settings import get_neo4j_settings
from loaders.pipeline import LoadReport, Progress
from loaders.reading import SourceError
from loaders.registry import DIRECTORY_LOADERS, TABLE_FORMATS, load

EXIT_REJECTED = 2


class BarProgress(Progress):
    """Rows so far and rows per second, drawn only on a terminal."""

    def __init__(self, bar: RichProgress, task: int) -> None:
        self.bar = bar
        self.task = task

    def advance(self, rows: int) -> None:
        self.bar.advance(self.task, rows)  # type: ignore[arg-type]


def cli_loader() -> Caller:
    """Who a load from this command is audited as: each batch commits with its event."""
    return Caller(subject=f"cli:{getpass.getuser()}", role=Role.LOADER, via="cli")


def summary_table(reports: list[LoadReport]) -> Table:
    table = Table(title="Load summary")
    for column in ("kind", "source", "read", "loaded", "rejected", "skipped", "rows/s"):
        table.add_column(column, justify="right" if column not in ("kind", "source") else "left")
    for report in reports:
        table.add_row(
            report.kind,
            report.source,
            str(report.rows_read),
            str(report.rows_loaded),
            str(report.rows_rejected),
            str(report.rows_skipped),
            f"{report.rows_per_second:,.0f}",
        )
    return table


def load_command(
    kind: Annotated[str, typer.Argument(help="What the file holds (kinds above)")],
    path: Annotated[Path, typer.Argument(help="The file (or folder, for hsds and esco)")],
    rejects: Annotated[Path | None, typer.Option(help="Where to write rejected rows")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate; write nothing")] = False,
    batch_size: Annotated[
        int, typer.Option(min=1, max=100_000, help="Rows per transaction")
    ] = 2000,
    source: Annotated[str | None, typer.Option(help="Provenance name; default file name")] = None,
    place: Annotated[
        str | None,
        typer.Option(
            help="The place what is loaded belongs to (an id, e.g. 'leeds'); "
            "default ASSETBRIDGE_DEFAULT_PLACE_ID"
        ),
    ] = None,
    place_name: Annotated[
        str | None, typer.Option(help="The place's name, if it is new or renamed")
    ] = None,
) -> None:
    """Load a file; bad rows go to a reject file and the rest still load.

    Exit 0: everything loaded; 2: some rows were rejected; 1: nothing could be loaded.
    """
    settings = get_neo4j_settings()
    with create_driver(settings) as driver, load_errors(settings):
        with RichProgress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TextColumn("{task.completed:,.0f} rows"),
            TaskProgressColumn(show_speed=True),
            TimeElapsedColumn(),
            console=err_console,
            disable=not err_console.is_terminal,
            transient=True,
        ) as bar:
            task = bar.add_task(f"loading {kind}", total=None)
            try:
                report = load(
                    kind,
                    path,
                    driver=driver,
                    database=settings.database,
                    rejects_path=rejects,
                    dry_run=dry_run,
                    batch_size=batch_size,
                    progress=BarProgress(bar, task),
                    source=source,
                    loaded_by=cli_loader(),
                    place=place,
                    place_name=place_name,
                )
            except (SourceError, ValueError) as exc:
                fail(str(exc))
    reports = report.parts or [report]
    console.print(summary_table(reports))
    if dry_run:
        console.print("dry run: nothing was written")
    if report.rows_rejected:
        console.print(
            f"{report.rows_rejected} row(s) rejected; see {report.rejects_path}", highlight=False
        )
        raise typer.Exit(EXIT_REJECTED)


def kinds_help() -> str:
    kinds = sorted([*TABLE_FORMATS, *DIRECTORY_LOADERS])
    return "Import asset-mapping outputs. Kinds: " + ", ".join(kinds)
