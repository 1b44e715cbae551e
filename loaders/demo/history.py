"""Five years of a demo place's partnership history, as an edge list of ties that ended.

The place's own files hold its ties as they stand today, and the case study's figures are
read from them (tests/graph/test_analytics_demo_place.py); so the history is only ties
that held for a while and stopped (every ``until`` before today), loaded after them: a
question about today never counts one, and the day slider sees partners join and leave.
Three kinds: community organisations that referred to the employment hub and stopped,
earlier periods of ties that hold today (a partner that left and came back), and formal
partnerships that lapsed.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from random import Random

from loaders.demo.csvout import TableWriter

__all__ = ["HISTORY_END", "HISTORY_FILE", "HISTORY_START", "write_history"]

HISTORY_FILE = "history.csv"
# Fixed rather than counted back from today, so the same seed gives the same bytes; every
# tie ends by HISTORY_END, which is before any day the demo is loaded on.
HISTORY_START = date(2020, 7, 1)
HISTORY_END = date(2025, 7, 1)

Row = dict[str, object]


def _month(offset: int) -> date:
    months = HISTORY_START.month - 1 + offset
    return date(HISTORY_START.year + months // 12, months % 12 + 1, 1)


def _offset(day: date) -> int:
    return (day.year - HISTORY_START.year) * 12 + day.month - HISTORY_START.month


def _period(rng: Random, *, before: date = HISTORY_END) -> tuple[date, date] | None:
    """A start in the window and an end 12 to 48 months later (or at ``before``)."""
    last = min(_offset(HISTORY_END), _offset(before))
    if last < 6:
        return None
    start = rng.randint(0, last - 6)
    return _month(start), _month(min(start + rng.randint(12, 48), last))


def _read(folder: Path, kind: str) -> list[dict[str, str]]:
    with (folder / f"{kind}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write_history(folder: Path, seed: int) -> int:
    """Write ``history.csv`` (the edges format) beside a generated place; its rows.

    Reads the place's own files, so it serves any place the generator wrote, and draws
    from its own stream of ``seed``; the place's other files are not touched.
    """
    rng = Random(f"assetbridge-demo/{seed}/history")
    hub = next(r["id"] for r in _read(folder, "departments") if r["kind"] == "employment_hub")
    organisations = [r["id"] for r in _read(folder, "organisations")]
    ties = [r for r in _read(folder, "edges") if r["kind"] in ("REFERS_TO", "PARTNERS_WITH")]
    opened: dict[str, date] = {}
    for row in ties:
        if hub in (row["from_id"], row["to_id"]) and row["since"]:
            other = row["to_id"] if row["from_id"] == hub else row["from_id"]
            first = date.fromisoformat(row["since"])
            opened[other] = min(first, opened.get(other, first))
    rows: list[Row] = []
    for org in organisations:
        if org not in opened:
            # A referrer that came and went; most of the place's groups did at some time.
            if rng.random() < 0.95 and (period := _period(rng)):
                rows.append(_referral(org, hub, period, rng))
        elif rng.random() < 0.3 and (period := _period(rng, before=opened[org])):
            # The same partner, in an earlier spell before the tie that holds today.
            rows.append(_referral(org, hub, period, rng))
    for org in sorted(rng.sample(organisations, k=min(6, len(organisations)))):
        if org not in opened and (period := _period(rng)):
            since, until = period
            rows.append({"kind": "PARTNERS_WITH", "from_id": hub, "to_id": org,
                         "from_kind": "department", "to_kind": "organisation",
                         "since": since, "until": until})  # fmt: skip
    with (folder / HISTORY_FILE).open("w", newline="", encoding="utf-8") as handle:
        TableWriter(handle, "edges").write_all(rows)
    return len(rows)


def _referral(org: str, hub: str, period: tuple[date, date], rng: Random) -> Row:
    since, until = period
    return {"kind": "REFERS_TO", "from_id": org, "to_id": hub, "from_kind": "organisation",
            "to_kind": "department", "since": since, "until": until,
            "strength": round(rng.uniform(0.2, 0.7), 2), "count": rng.randint(1, 15),
            "evidence": "referral log"}  # fmt: skip
