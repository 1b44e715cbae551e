"""The place leaders' funnel in-process on the place that bench/load.py left in the
benchmark server: every grouping, with and without a period. Reads only; prints
the median and the spread of the runs (the machine is shared, so one run says little).
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date

from bench.common import running_database, table
from graph.models.funnel import FunnelGroupBy
from graph.services.place_view import funnel

CASES: list[tuple[str, date | None, date | None, FunnelGroupBy | None]] = [
    ("all time", None, None, None),
    ("all time, by occupation", None, None, FunnelGroupBy.OCCUPATION),
    ("all time, by area", None, None, FunnelGroupBy.AREA),
    ("2023-01-01 to 2024-06-30, by area", date(2023, 1, 1), date(2024, 6, 30), FunnelGroupBy.AREA),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--anchor", default="anchor-trust")
    args = parser.parse_args()
    rows = []
    with running_database() as (driver, settings):
        for label, start, end, group_by in CASES:
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                found = funnel(driver, settings.database, args.anchor, start=start, end=end,
                               group_by=group_by)  # fmt: skip
                times.append(time.perf_counter() - started)
            rows.append([label, str(found.stages[0].reached), f"{statistics.median(times):.3f}",
                         f"{min(times):.3f}-{max(times):.3f}"])  # fmt: skip
    print(table(["funnel", "people engaged", "median s", "range s"], rows))  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
