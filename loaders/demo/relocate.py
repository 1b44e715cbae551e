"""Move a generated place to another city: new ids and the city's name, some nodes shared.

The generator writes one neighbourhood with fixed ids (``org-refugee-support``,
``anchor-trust``); a second place made by it would merge into the first. Rewriting the
files rather than threading a prefix through every part of the generator keeps the first
place's bytes, and so the case study's figures, exactly as they were.
"""

from __future__ import annotations

import csv
from collections.abc import Collection
from pathlib import Path

from loaders.demo.csvout import DEMO_KINDS

__all__ = ["PLACED_KINDS", "relocate_place"]

# The files whose rows are nodes that belong to a place; the vocabulary (skills,
# occupations, qualifications) is the same everywhere and keeps its ids.
PLACED_KINDS = tuple(
    kind for kind in DEMO_KINDS if kind not in ("skills", "occupations", "qualifications", "edges")
)
_OWNERS = {"services": "organisation_id", "departments": "anchor_id"}


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, list(reader)


def relocate_place(
    folder: Path, *, prefix: str, city: str, was: str, shared: Collection[str] = ()
) -> None:
    """Rewrite every CSV of ``folder`` in place as the same place in another city.

    Each id of a placed node becomes ``prefix`` + id wherever it appears (a cell, an item
    of a ``;`` list, or after ``kind:`` as in a consent scope ``share:<org>``), and ``was``
    becomes ``city`` in every other cell. A ``shared`` id stays as it is, and so does its
    row and those of its services and departments: the node is the first place's, and
    loading this place adds it to this place too.
    """
    files = sorted(folder.glob("*.csv"))
    placed: set[str] = set()
    keep = set(shared)
    for kind in PLACED_KINDS:
        header, rows = _read(folder / f"{kind}.csv")
        owner = header.index(_OWNERS[kind]) if kind in _OWNERS else None
        for row in rows:
            placed.add(row[0])
            if owner is not None and row[owner] in shared:
                keep.add(row[0])
    renamed = {old: prefix + old for old in placed - keep}

    def part(text: str) -> str:
        if text in renamed:
            return renamed[text]
        head, colon, tail = text.partition(":")
        return f"{head}:{renamed[tail]}" if colon and tail in renamed else text

    def cell(text: str) -> str:
        moved = ";".join(part(item) for item in text.split(";"))
        return moved if moved != text else text.replace(was, city)

    for path in files:
        if path.name.endswith(".rejects.csv"):
            continue
        header, rows = _read(path)
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            for row in rows:
                writer.writerow(row if row and row[0] in keep else [cell(c) for c in row])
