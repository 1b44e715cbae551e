"""Peak memory of ``assetbridge load people`` against the file's size, and how fast the
files too large to read are refused.

The demo place (all but its people) is loaded first; people files of each size are
then written by repeating the place's residents under new ids, and each is loaded by
the CLI in a process of its own, whose peak resident memory is read from ``wait4``.
A loader that holds the file grows with it; one that streams stays flat. Each size has
ids of its own, so every load creates the same kind of rows.

Also measured in this process: refusing a 300 MiB zip bomb (a few hundred kilobytes
on disk) and a CSV header of 1,000,000 columns.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pydantic import SecretStr

from bench.common import ROOT, fresh_database, stop_server, table, write_section
from graph.driver import create_driver
from graph.migrations import apply_migrations
from graph.settings import Neo4jSettings
from loaders.demo import DEMO_KINDS, generate_demo
from loaders.reading import SourceError, read_table
from loaders.registry import load

FOLDER = ROOT / "var" / "bench" / "loader-memory"
TARGET_MB = 300


@contextmanager
def _database(uri: str | None, password: str | None) -> Iterator[Neo4jSettings]:
    """The server named on the command line as it is, or a fresh benchmark server."""
    if uri:
        settings = Neo4jSettings(uri=uri, password=SecretStr(password or ""))
        with create_driver(settings) as driver:
            apply_migrations(driver, settings.database)
        yield settings
        return
    try:
        with fresh_database() as (_, settings):
            yield settings
    finally:
        stop_server()


def _place(settings: Neo4jSettings) -> Path:
    """The demo place's files, everything but its people and ties loaded."""
    place = FOLDER / "place"
    if not (place / "people.csv").exists():
        generate_demo(place, people=1000, seed=11)
    with create_driver(settings) as driver:
        for kind in DEMO_KINDS:
            if kind not in ("people", "edges"):
                load(kind, place / f"{kind}.csv", driver=driver, database=settings.database,
                     rejects_path=FOLDER / f"{kind}.rejects.csv")  # fmt: skip
    return place / "people.csv"


def _people_file(residents: Path, size_mb: int, prefix: str) -> tuple[Path, int]:
    """At least ``size_mb`` MiB of people: the residents again and again, new ids."""
    path = FOLDER / f"people-{size_mb}mb.csv"
    with residents.open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    ident = header.index("id")
    count = 0
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        while out.tell() < size_mb * 2**20:
            for row in rows:
                count += 1
                writer.writerow([f"p-{prefix}{count:08d}" if i == ident else cell
                                 for i, cell in enumerate(row)])  # fmt: skip
    return path, count


def _load_peak(settings: Neo4jSettings, path: Path, dry_run: bool) -> tuple[float, float]:
    """Peak resident MiB and seconds of ``assetbridge load people`` in a child process."""
    env = {**os.environ, "NEO4J_URI": settings.uri, "NEO4J_USER": settings.user,
           "NEO4J_PASSWORD": settings.password.get_secret_value(),
           "NEO4J_DATABASE": settings.database}  # fmt: skip
    rejects = path.with_suffix(".rejects.csv")
    command = [sys.executable, "-m", "assetbridge", "load", "people", str(path),
               "--rejects", str(rejects), *(["--dry-run"] if dry_run else [])]  # fmt: skip
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"loading {path} ended with exit code {child.returncode}; see {rejects}")
    return usage.ru_maxrss / 1024, seconds


def _refusal_seconds(path: Path) -> tuple[float, str]:
    started = time.perf_counter()
    try:
        next(read_table(path))
    except SourceError as error:
        return time.perf_counter() - started, str(error).removeprefix(f"{path}: ")
    raise SystemExit(f"{path} was read, not refused")


def _zip_bomb() -> Path:
    path = FOLDER / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        with bomb.open("xl/sharedStrings.xml", "w") as part:
            for _ in range(300):
                part.write(b"A" * 2**20)
    return path


def _wide_header() -> Path:
    path = FOLDER / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(1_000_000)) + "\n")
    return path


def _runs(args: argparse.Namespace, settings: Neo4jSettings) -> list[list[str]]:
    residents = _place(settings)
    runs = [(size, False) for size in args.sizes_mb]
    runs += [(size, True) for size in args.dry_run_sizes_mb]
    rows = []
    for number, (size_mb, dry_run) in enumerate(runs):
        path, people = _people_file(residents, size_mb, prefix=chr(ord("a") + number))
        peak, seconds = _load_peak(settings, path, dry_run)
        rows.append([f"{path.stat().st_size / 2**20:,.0f} MiB", f"{people:,}",
                     "dry run" if dry_run else "load", f"**{peak:,.0f} MiB**",
                     f"{seconds:,.0f}", f"{people / seconds:,.0f}"])  # fmt: skip
        print(rows[-1])  # noqa: T201
        path.unlink()
    return rows


def _refusals() -> str:
    bomb = _zip_bomb()
    bomb_s, bomb_message = _refusal_seconds(bomb)
    wide_s, wide_message = _refusal_seconds(_wide_header())
    bomb_name = f"XLSX zip bomb, {bomb.stat().st_size / 1024:,.0f} KiB unpacking to 300 MiB"
    return table(["refused file", "seconds", "message"], [
        [bomb_name, f"{bomb_s:.3f}", bomb_message],
        ["CSV header of 1,000,000 columns", f"{wide_s:.3f}", wide_message],
    ])  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    # Writing people runs at a few hundred rows a second on a shared 2-core machine, so
    # by default 1 GiB is a dry run; pass --sizes-mb 1024 to write it all (hours).
    parser.add_argument("--sizes-mb", type=int, nargs="*", default=[16, 64])
    parser.add_argument(
        "--dry-run-sizes-mb", type=int, nargs="*", default=[1024],
        help="Also these sizes as dry runs: read, validated and checked against the graph "
        "batch by batch, nothing written (for a size too slow to write on this machine)",
    )  # fmt: skip
    parser.add_argument("--uri", help="Use this Neo4j as it is (default: a fresh bench server)")
    parser.add_argument("--password")
    parser.add_argument(
        "--server", default="the benchmark server (4 GiB heap, 2 GiB page cache)",
        help="How the Neo4j given by --uri runs, for the record",
    )  # fmt: skip
    args = parser.parse_args()
    FOLDER.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()[0]
    with _database(args.uri, args.password) as settings:
        rows = _runs(args, settings)
    header = ["people file", "rows", "run", "peak memory of the process", "seconds", "rows/s"]
    body = (
        table(header, rows)
        + f"\n\nTarget: under {TARGET_MB} MiB at 1 GiB, and flat with the file's size. "
        "Before this change a 152 MB file took 900 MB (issue #13). Peak resident memory "
        "of the whole `assetbridge load people` process (Python, the driver, the CLI, the "
        "key store) from `wait4`."
        + (
            " A dry run reads, validates and checks every batch against the graph as a "
            "load does, and writes nothing: it shows the reading side at a size whose "
            "writing would take hours here; the loads show the writing side flat as the "
            "file grows."
            if args.dry_run_sizes_mb
            else ""
        )
        + f" Neo4j: {args.server}.\n\n"
        + _refusals()
        + f"\n\nLoad average (1 min) at the start {load_before:.1f}, at the end "
        f"{os.getloadavg()[0]:.1f}, on a machine shared with other work."
    )
    write_section("Loader memory and refused files", body)
    print(body)  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
