"""A busy place: the questions timed with nobody writing, then, in the same run, while a
writer does what a working day does.

One client times ``referralPaths``, ``matchingCandidates``, ``brokerageGaps`` (a first
computation, and the same question asked again) and ``funnel`` over HTTP against uvicorn
with one worker, first quiet, then while writers, each on its own clock, read a person's
personal details every 2 s (an audit record), move a person's stage every 5 s, record a
referral every 5 s and load a batch of 1,000 people every 30 s (through the people loader,
as a nightly sync would). After each stage move the writer asks for the person again and
counts an answer that does not show the move (read your writes).

It runs against the place in the benchmark server (``bench.load`` leaves the 100,000-person
place there); ``--people`` generates and loads a place of that size first instead.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from neo4j import Driver
from pydantic import SecretStr

from api.auth import AuthSettings, issue_token
from bench.common import fresh_database, running_database, stop_server, table, write_section
from bench.load_test import IDS, SECRET, served
from graph.access import Role
from graph.settings import Neo4jSettings
from loaders.demo import generate_demo, load_demo_folder
from loaders.registry import load

PORT = 8767
TITLE = "A busy place: the questions while people work"

# Organisation -> hub ties to count referrals on; the rest of the place as the load test reads it.
REFERRALS = """
MATCH (o:CommunityOrganisation)-[:REFERS_TO]->(d:Department {kind: 'employment_hub'})
RETURN collect({source: o.id, target: d.id})[..50] AS referrals
"""

PATHS = "query($f: ID!, $t: ID!) { referralPaths(from: $f, to: $t, k: 3, mode: STRONGEST_TRUST) { hops cost } }"
MATCHING = (
    "query($v: ID!) { matchingCandidates(vacancyId: $v, first: 20) { person score gaps { kind } } }"
)
GAPS = "query($a: ID!, $o: ID, $h: Int!) { brokerageGaps(anchorId: $a, occupation: $o, maxHops: $h) { candidates linked criticalBrokers { pairsCut } suggestedLinks { reconnects } } }"
FUNNEL = "query($a: ID!) { funnel(anchorId: $a) { stages { stage reached movedOn conversion } } }"
DETAILS = "query($id: ID!) { node(id: $id) { ... on Person { personal { name } } } }"
STAGE_OF = "query($id: ID!) { node(id: $id) { ... on Person { stage } } }"
MOVE = "mutation($p: ID!, $s: ReadinessStage!) { movePersonStage(personId: $p, stage: $s) { id stage } }"
REFER = "mutation($f: ID!, $t: ID!) { recordReferral(from: $f, to: $t) { count } }"  # fmt: skip
STAGES = ["ENGAGED", "LANGUAGE_TRAINING", "ACCREDITATION", "PLACEMENT", "EMPLOYED", "REGISTERED"]

# p95 targets while busy, in ms (issue 14), and the largest busy/quiet p95 ratio.
TARGETS = {
    "referralPaths": 50.0,
    "matchingCandidates": 150.0,
    "brokerageGaps, first": 1000.0,
    "brokerageGaps, again": 20.0,
    "funnel": 300.0,
}
MAX_RATIO = 1.5


@dataclass(frozen=True)
class Place:
    targets: list[dict[str, str]]
    people: list[str]
    referrals: list[dict[str, str]]
    population: int


@dataclass
class Writer:
    """One kind of write on its own clock: how many, how long, what failed."""

    name: str
    every_s: float
    write: Callable[[], None]
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def run(self, stop: threading.Event) -> None:
        next_at = time.monotonic()
        while not stop.wait(max(0.0, next_at - time.monotonic())):
            next_at += self.every_s
            started = time.perf_counter()
            try:
                self.write()
            except Exception as exc:  # noqa: BLE001 - a failed write is a figure, not the end
                self.errors.append(f"{type(exc).__name__}: {str(exc)[:200]}")
            self.latencies_ms.append((time.perf_counter() - started) * 1000)


class Client:
    """GraphQL over HTTP with one role's token; any error in an answer is raised."""

    def __init__(self, role: Role, organisation: str | None = None) -> None:
        token = issue_token(AuthSettings(secret=SecretStr(SECRET)), f"busy-{role.value}", role,
                            organisation)  # fmt: skip
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{PORT}", timeout=600,
                                 headers={"Authorization": f"Bearer {token}"})  # fmt: skip

    def ask(self, query: str, **variables: Any) -> dict[str, Any]:
        response = self.http.post("/graphql", json={"query": query, "variables": variables})
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            raise RuntimeError(f"{response.status_code}: {response.text[:300]}")
        data: dict[str, Any] = body["data"]
        return data

    def timed(self, query: str, **variables: Any) -> float:
        started = time.perf_counter()
        self.ask(query, **variables)
        return (time.perf_counter() - started) * 1000


def _p(samples: list[float], q: int) -> float:
    if len(samples) < 2:
        return samples[0] if samples else float("nan")
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def _time_questions(
    timed: Callable[..., float], place: Place, seconds: float, rng: random.Random
) -> dict[str, list[float]]:
    """Each question in turn until ``seconds`` have passed; brokerageGaps first with
    arguments not asked before (maxHops cycles), then the very same question again."""
    times: dict[str, list[float]] = {name: [] for name in TARGETS}
    hops = iter(range(10**6))
    deadline = time.monotonic() + seconds
    while True:  # at least one round: a warm-up asks for 0 s
        target = rng.choice(place.targets)
        times["referralPaths"].append(
            timed(PATHS, f=f"Person:{rng.choice(place.people)}", t=f"Vacancy:{target['vacancy']}")
        )
        times["matchingCandidates"].append(timed(MATCHING, v=f"Vacancy:{target['vacancy']}"))
        gap = {
            "a": f"AnchorInstitution:{target['anchor']}",
            "o": f"Occupation:{target['occupation']}",
            "h": 3 + next(hops) % 8,
        }
        times["brokerageGaps, first"].append(timed(GAPS, **gap))
        times["brokerageGaps, again"].append(timed(GAPS, **gap))
        times["funnel"].append(timed(FUNNEL, a=f"AnchorInstitution:{target['anchor']}"))
        if time.monotonic() >= deadline:
            return times  # fmt: skip


def _writers(admin: Client, place: Place, batch_folder: Path, settings: Neo4jSettings,
             driver: Driver, stale: list[str], rejected: list[int]) -> list[Writer]:  # fmt: skip
    rng = random.Random(11)

    def read_details() -> None:
        admin.ask(DETAILS, id=f"Person:{rng.choice(place.people)}")

    def move_stage() -> None:
        person, stage = rng.choice(place.people), rng.choice(STAGES)
        admin.ask(MOVE, p=f"Person:{person}", s=stage)
        seen = admin.ask(STAGE_OF, id=f"Person:{person}")["node"]["stage"]
        if seen != stage:
            stale.append(f"{person}: moved to {stage}, then read {seen}")

    def refer() -> None:
        pair = rng.choice(place.referrals)
        admin.ask(
            REFER, f=f"CommunityOrganisation:{pair['source']}", t=f"Department:{pair['target']}"
        )

    def load_batch() -> None:
        report = load(
            "people",
            batch_folder / "people.csv",
            driver=driver,
            database=settings.database,
            batch_size=1000,
            source="busy-bench",
        )
        # Rows that would restore a withdrawn consent are refused, as they must be.
        rejected.append(report.rows_rejected)

    return [
        Writer("personal details read (audit record)", 2.0, read_details),
        Writer("stage move", 5.0, move_stage),
        Writer("referral recorded", 5.0, refer),
        Writer("people loader batch (1,000)", 30.0, load_batch),
    ]  # fmt: skip


@contextmanager
def _place(people: int | None) -> Iterator[tuple[Driver, Neo4jSettings]]:
    if people is None:
        with running_database() as opened:
            yield opened
        return
    with tempfile.TemporaryDirectory() as tmp, fresh_database() as (driver, settings):
        generate_demo(Path(tmp) / "place", people=people, seed=7)
        load_demo_folder(Path(tmp) / "place", driver=driver, database=settings.database)
        yield driver, settings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=120.0, help="each phase, quiet and busy")
    parser.add_argument("--people", type=int, default=None,
                        help="generate and load a place of this many people first")  # fmt: skip
    args = parser.parse_args()
    rng = random.Random(7)
    load_before = os.getloadavg()[0]
    with _place(args.people) as (driver, settings), tempfile.TemporaryDirectory() as tmp:
        row = driver.execute_query(IDS, database_=settings.database).records[0]
        ties = driver.execute_query(REFERRALS, database_=settings.database).records[0]
        place = Place(row["targets"], row["people"], ties["referrals"], row["population"])
        if not place.targets or not place.people or not place.referrals:
            print("the benchmark place is missing: run `python -m bench.load` first")  # noqa: T201
            return 1
        # A nightly sync's batch: the first 1,000 people of the same generator, re-read
        # with other facts (another seed), so each load changes people the index holds.
        generate_demo(Path(tmp) / "batch", people=1000, seed=8)
        stale: list[str] = []
        rejected: list[int] = []
        with served(settings, PORT, workers=1):
            _wait_for_index()
            asker = _asker(Client(Role.PLACE_LEADER), Client(Role.CASEWORKER, "bench-org"))
            admin = Client(Role.ADMIN)
            _time_questions(asker, place, 0.0, rng)  # once, to warm up
            quiet = _time_questions(asker, place, args.seconds, rng)
            writers = _writers(admin, place, Path(tmp) / "batch", settings, driver, stale, rejected)
            stop = threading.Event()
            threads = [threading.Thread(target=w.run, args=(stop,), daemon=True) for w in writers]
            for thread in threads:
                thread.start()
            try:
                busy = _time_questions(asker, place, args.seconds, rng)
            finally:
                stop.set()
                for thread in threads:
                    thread.join(timeout=300)
            ready = httpx.get(f"http://127.0.0.1:{PORT}/readyz", timeout=10).json()
    if args.people is None:
        stop_server()
    body = _report(place, quiet, busy, writers, stale, ready, load_before, args.seconds)
    if rejected:
        body += (f"\n\nEach people batch refused {max(rejected)} rows or fewer: those that would "
                 "give back a consent the place's people had withdrawn (as it must).")  # fmt: skip
    write_section(TITLE, body)
    print(body)  # noqa: T201
    return 0


def _asker(reader: Client, caseworker: Client) -> Callable[..., float]:
    """Place leaders ask brokerageGaps and funnel; caseworkers paths and matching."""

    def timed(query: str, **variables: Any) -> float:
        return (caseworker if query in (PATHS, MATCHING) else reader).timed(query, **variables)

    return timed


def _wait_for_index() -> None:
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        ready = httpx.get(f"http://127.0.0.1:{PORT}/readyz", timeout=10).json()
        if ready.get("candidateIndex") == "ready":
            return
        time.sleep(1)
    raise RuntimeError("the candidate index was not read within 900 s")


def _report(place: Place, quiet: dict[str, list[float]], busy: dict[str, list[float]],
            writers: list[Writer], stale: list[str], ready: dict[str, Any],
            load_before: float, seconds: float) -> str:  # fmt: skip
    rows, verdicts = [], []
    for name, target in TARGETS.items():
        q95, b95 = _p(quiet[name], 95), _p(busy[name], 95)
        ratio = b95 / q95 if q95 else float("nan")
        rows.append([name, str(len(quiet[name])), f"{_p(quiet[name], 50):.1f}", f"{q95:.1f}",
                     str(len(busy[name])), f"{_p(busy[name], 50):.1f}", f"{b95:.1f}",
                     f"{ratio:.2f}", f"{target:.0f}"])  # fmt: skip
        met = b95 <= target
        verdicts.append(f"{name}: busy p95 {b95:.1f} ms ({'meets' if met else 'MISSES'} "
                        f"{target:.0f} ms); busy/quiet {ratio:.2f}x "
                        f"({'meets' if ratio <= MAX_RATIO else 'MISSES'} {MAX_RATIO}x)")  # fmt: skip
    writes = [[w.name, f"{w.every_s:.0f}", str(len(w.latencies_ms)), str(len(w.errors)),
               f"{_p(w.latencies_ms, 50):.0f}", f"{_p(w.latencies_ms, 95):.0f}"]
              for w in writers]  # fmt: skip
    errors = [f"{w.name}: {w.errors[0]}" for w in writers if w.errors]
    return "\n\n".join([
        table(["question", "quiet runs", "p50 ms", "p95 ms", "busy runs", "p50 ms", "p95 ms",
               "busy/quiet p95", "target p95 ms (busy)"], rows),
        "\n".join(f"- {v}" for v in verdicts),
        "Writers during the busy phase:\n\n" + table(
            ["write", "every s", "done", "errors", "p50 ms", "p95 ms"], writes),
        f"Read your writes: {len(stale)} stale answers after a stage move"
        + (f" (first: {stale[0]})" if stale else "") + "."
        + (f" First error of each writer that had one: {errors}." if errors else ""),
        f"{place.population:,} people; {seconds:.0f} s quiet, then {seconds:.0f} s busy, one client "
        "asking in turn (caseworker: referralPaths, matchingCandidates; place leader: "
        "brokerageGaps, funnel) against uvicorn with 1 worker on 127.0.0.1, the writers in the "
        "same process as the client. brokerageGaps 'first' varies maxHops so no kept answer "
        "serves it; 'again' repeats it at once. At the end /readyz said: "
        f"`{ {k: v for k, v in ready.items() if k not in ('neo4j',)} }`. Load average (1 min) "
        f"at the start {load_before:.1f}, at the end {os.getloadavg()[0]:.1f}.",
    ])  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
