"""Places and history: one place of four, today and as it stood years ago, against the
undivided place (issue 15).

On a server of its own (var/neo4j-bench-places, port 7696; the main benchmark server is
left to the benchmarks reading it), two stores in turn, each timed by one client over
HTTP against uvicorn with one worker, as ``bench.busy`` asks, nobody writing:

- the undivided place: ``bench.load``'s generator and seed at ``--people``, no history,
  asked today;
- four places of a quarter of the people each, each generated as the demo's second place
  is (its own seed, its ids prefixed, moved to a city of its own, five years of ties that
  ended in ``history.csv``), loaded with ``--place``; a caller scoped to the first asks
  today and as of 1, 2.5 and 4 years back, the days taken in turn within each round so
  that a change in the machine's load falls on every day alike.

The figures are the asOf/today ratio of each question (target at most 1.5) and the one
place/undivided ratio today (target at most 1.0), of medians and of p95s.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from neo4j import Driver

from bench.common import ROOT, bench_server, fresh_database, percentile, table, write_section
from bench.load_test import served, wait_for_index
from bench.writers import Client
from graph.access import Role
from graph.settings import Neo4jSettings, get_place_settings
from loaders.demo import generate_demo, load_demo_folder
from loaders.demo.history import write_history
from loaders.demo.places import SHARED_IDS
from loaders.demo.relocate import relocate_place

PORT = 8769
TITLE = "Places: one place of four, today and asOf, against the undivided place"
KEYSTORE = ROOT / "var" / "keystore-bench-places.sqlite3"
SEED = 7  # bench.load's
# The generator's city, which relocate_place renames.
GENERATED_CITY = "Riverbridge"
# The first keeps the generator's ids and city, as the demo's first place does: the shared
# programme's row names the first place's area, which a relocated place's ids would miss.
PLACES = (("riverbridge", GENERATED_CITY), ("eastwick", "Eastwick"), ("southport", "Southport"),
          ("westmere", "Westmere"))  # fmt: skip
# How far back each asOf day is, in years; 0 is today (asOf not given).
YEARS_BACK = (0.0, 1.0, 2.5, 4.0)
MAX_AS_OF = 1.5
MAX_PLACE = 1.0

PATHS = "query($f: ID!, $t: ID!, $d: Date) { referralPaths(from: $f, to: $t, k: 3, mode: STRONGEST_TRUST, asOf: $d) { hops cost } }"
MATCHING = (
    "query($v: ID!) { matchingCandidates(vacancyId: $v, first: 20) { person score gaps { kind } } }"
)
GAPS = "query($a: ID!, $o: ID, $h: Int!, $d: Date) { brokerageGaps(anchorId: $a, occupation: $o, maxHops: $h, asOf: $d) { candidates linked criticalBrokers { pairsCut } suggestedLinks { reconnects } } }"
NETWORK = "query($a: ID!, $d: Date) { partnershipNetwork(anchorId: $a, asOf: $d) { nodes { id } ties { source target type } } }"
FUNNEL = "query($a: ID!, $d: Date) { funnel(anchorId: $a, asOf: $d) { stages { stage reached movedOn conversion } } }"
QUESTIONS = ("referralPaths", "matchingCandidates", "brokerageGaps, first",
             "partnershipNetwork", "funnel")  # fmt: skip
THE_THREE = QUESTIONS[:3]

# The ids asked about, read from one place (bench.load_test's IDS, within $place).
IDS = """
CALL () {
  MATCH (a:AnchorInstitution)-[:POSTS]->(v:Vacancy {shortage: true})-[:FOR_OCCUPATION]->(o:Occupation)
  WHERE $place IN a.place_ids AND $place IN v.place_ids
    AND EXISTS { (d:Department {kind: 'employment_hub'})-[:PART_OF]->(a) WHERE $place IN d.place_ids }
  RETURN collect(DISTINCT {anchor: a.id, vacancy: v.id, occupation: o.id})[..20] AS targets
}
CALL () {
  MATCH (p:Person)-[:SUPPORTED_BY]->(:CommunityOrganisation)-[:REFERS_TO]->(:Department {kind: 'employment_hub'})
  WHERE $place IN p.place_ids AND p.consent_given_at IS NOT NULL AND p.consent_withdrawn_at IS NULL
  WITH DISTINCT p LIMIT 500
  RETURN collect(p.id) AS people
}
MATCH (person:Person) WHERE $place IN person.place_ids
RETURN targets, people, count(person) AS population
"""


@dataclass(frozen=True)
class Place:
    id: str
    targets: list[dict[str, str]]
    people: list[str]
    population: int


# question -> day (years back) -> milliseconds
Times = dict[str, dict[float, list[float]]]


def _undivided_folder(people: int) -> Path:
    folder = ROOT / "var" / "bench" / f"place-{people}-{SEED}"
    if not (folder / "edges.csv").exists():
        generate_demo(folder, people=people, seed=SEED)
    return folder


def _place_folders(people: int) -> list[tuple[str, str, Path]]:
    """Each of the four places' files, written once and kept (relocating rewrites them,
    so a stamp says the folder is whole)."""
    out = ROOT / "var" / "bench" / f"places-4x{people}-{SEED}"
    folders = []
    for index, (place_id, city) in enumerate(PLACES):
        folder = out / place_id
        if not (folder / ".whole").exists():
            report = generate_demo(folder, people=people, seed=SEED + index)
            write_history(folder, report.seed)
            if index:
                relocate_place(folder, prefix=f"{place_id}-", city=city, was=GENERATED_CITY,
                               shared=SHARED_IDS)  # fmt: skip
            (folder / ".whole").touch()
        folders.append((place_id, city, folder))
    return folders


def _read_place(driver: Driver, settings: Neo4jSettings, place_id: str) -> Place:
    row = driver.execute_query(IDS, place=place_id, database_=settings.database).records[0]
    if not row["targets"] or not row["people"]:
        raise RuntimeError(f"place {place_id!r} has no shortage vacancy or no referred person")
    return Place(place_id, row["targets"], row["people"], row["population"])


def _gaps(place: Place, rng: random.Random) -> list[dict[str, Any]]:
    """Every brokerageGaps question of the place (anchor, occupation, maxHops 2 to 10),
    shuffled: each is asked once a day, so each is a first computation for that day
    (kept answers key on the day)."""
    keys = sorted({(t["anchor"], t["occupation"]) for t in place.targets})
    questions = [{"a": f"AnchorInstitution:{anchor}", "o": f"Occupation:{occupation}", "h": hops}
                 for anchor, occupation in keys for hops in range(2, 11)]  # fmt: skip
    rng.shuffle(questions)
    return questions


def _day(years: float) -> str | None:
    if not years:
        return None
    return (datetime.now(UTC).date() - timedelta(days=round(years * 365.25))).isoformat()


def _time(place: Place, days: tuple[float, ...], rounds: int, rng: random.Random) -> Times:
    """``rounds`` rounds (after one to warm up), each asking every question on every day.
    Caseworkers ask paths and matching, place leaders the rest, both scoped to the place."""
    places = [place.id]
    caseworker = Client(PORT, Role.CASEWORKER, "bench-org", places=places)
    leader = Client(PORT, Role.PLACE_LEADER, places=places)
    gaps = _gaps(place, rng)
    times: Times = {name: {years: [] for years in days} for name in QUESTIONS}
    for round_ in range(rounds + 1):
        target = rng.choice(place.targets)
        person = f"Person:{rng.choice(place.people)}"
        anchor = f"AnchorInstitution:{target['anchor']}"
        gap = gaps[round_] if round_ < len(gaps) else None
        for years in days:
            d = _day(years)
            asked = {
                "referralPaths": caseworker.timed(PATHS, f=person,
                                                  t=f"Vacancy:{target['vacancy']}", d=d),
                "matchingCandidates": caseworker.timed(MATCHING, v=f"Vacancy:{target['vacancy']}"),
                "partnershipNetwork": leader.timed(NETWORK, a=anchor, d=d),
                "funnel": leader.timed(FUNNEL, a=anchor, d=d),
            }  # fmt: skip
            if gap is not None:
                asked["brokerageGaps, first"] = leader.timed(GAPS, d=d, **gap)
            if round_:  # the first round warms up
                for name, ms in asked.items():
                    times[name][years].append(ms)
    return times


@contextmanager
def _store(
    loaded: list[tuple[str | None, str | None, Path]],
) -> Iterator[tuple[Driver, Neo4jSettings]]:
    """A fresh store on the places server with each folder loaded into its place, and the
    API over it (the candidate index read)."""
    with fresh_database(second=True) as (driver, settings):
        for place_id, name, folder in loaded:
            load_demo_folder(folder, driver=driver, database=settings.database,
                             place=place_id, place_name=name)  # fmt: skip
        with served(settings, PORT, workers=1, keystore=KEYSTORE):
            wait_for_index(PORT)
            yield driver, settings


@dataclass(frozen=True)
class Side:
    place: Place
    times: Times
    load: tuple[float, float]  # 1-minute load average before and after
    loading_s: float


def _side(loaded: list[tuple[str | None, str | None, Path]], place_id: str,
          days: tuple[float, ...], rounds: int) -> Side:  # fmt: skip
    before = os.getloadavg()[0]
    started = time.perf_counter()
    with _store(loaded) as (driver, settings):
        loading_s = time.perf_counter() - started
        place = _read_place(driver, settings, place_id)
        times = _time(place, days, rounds, random.Random(SEED))
    return Side(place, times, (before, os.getloadavg()[0]), loading_s)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100_000,
                        help="the undivided place's; each of the four has a quarter")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=30, help="timed rounds on each store")
    args = parser.parse_args()
    default = get_place_settings().default_place_id
    try:
        undivided = _side([(None, None, _undivided_folder(args.people))], default, (0.0,),
                          args.rounds)  # fmt: skip
        folders = _place_folders(args.people // 4)
        divided = _side([(pid, city, folder) for pid, city, folder in folders], folders[0][0],
                        YEARS_BACK, args.rounds)  # fmt: skip
    finally:
        bench_server(second=True).stop()
    body = _report(undivided, divided, args.people, args.rounds)
    write_section(TITLE, body)
    print(body)  # noqa: T201
    return 0


def _ms(samples: list[float]) -> str:
    return f"{percentile(samples, 50):.0f} / {percentile(samples, 95):.0f}" if samples else "—"


def _ratio(over: list[float], under: list[float], q: int) -> float:
    return percentile(over, q) / percentile(under, q) if over and under else float("nan")


def _report(undivided: Side, divided: Side, people: int, rounds: int) -> str:
    rows, verdicts = [], []
    for name in QUESTIONS:
        today = divided.times[name][0.0]
        whole = undivided.times[name][0.0]
        dated = name != "matchingCandidates"
        as_of = [_ratio(divided.times[name][y], today, 50) for y in YEARS_BACK[1:]] if dated else []
        place = _ratio(today, whole, 50)
        rows.append([name, _ms(whole), _ms(today)]
                    + [_ms(divided.times[name][y]) if dated else "no asOf" for y in YEARS_BACK[1:]]
                    + [f"{max(as_of):.2f}" if as_of else "—", f"{place:.2f}",
                       f"{_ratio(today, whole, 95):.2f}"])  # fmt: skip
        if name in THE_THREE:
            if as_of:
                verdicts.append(f"{name}: asOf/today (median) at most {max(as_of):.2f} "
                                f"({'meets' if max(as_of) <= MAX_AS_OF else 'MISSES'} {MAX_AS_OF})")  # fmt: skip
            verdicts.append(f"{name}: one place/undivided (median) {place:.2f} "
                            f"({'meets' if place <= MAX_PLACE else 'MISSES'} {MAX_PLACE})")  # fmt: skip
    header = ["question (p50 / p95 ms)", f"undivided {people:,}, today", "one place, today"]
    header += [f"asOf {y:g} y back" for y in YEARS_BACK[1:]]
    header += ["worst asOf/today p50", "place/undivided p50", "place/undivided p95"]
    u, d = undivided, divided
    return "\n\n".join([
        table(header, rows),
        "\n".join(f"- {v}" for v in verdicts),
        f"The undivided place: {u.place.population:,} people (bench.load's generator, seed "
        f"{SEED}, no history), loaded and indexed in {u.loading_s:.0f} s. The four places: "
        f"{d.place.population:,} people each, seeds {SEED} to {SEED + 3}, ids prefixed in all "
        "but the first (one programme is in all four), each with five years of ties that ended (history.csv), loaded with --place "
        f"and indexed in {d.loading_s:.0f} s; the caller is scoped to `{d.place.id}`. "
        "matchingCandidates takes no asOf (it reads people and vacancies as they are), so it "
        "is timed today only, per place against undivided. brokerageGaps 'first' asks each "
        "(anchor, occupation, maxHops) once a day, so no kept answer serves it. "
        f"{rounds} timed rounds after one to warm up, one client over HTTP (caseworker: "
        "referralPaths, matchingCandidates; place leader: the rest) against uvicorn with 1 "
        "worker on 127.0.0.1, nobody writing; each round asks every question on every day in "
        "turn. Load average (1 min): undivided "
        f"{u.load[0]:.1f} at the start, {u.load[1]:.1f} at the end; four places "
        f"{d.load[0]:.1f} and {d.load[1]:.1f}.",
    ])  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
