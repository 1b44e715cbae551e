"""A working day's writes, for the benchmarks that measure questions while people work.

Each kind of write runs on its own clock in a thread of its own: a caseworker reads a
person's personal details every 2 s (each read writes an audit record), moves a person
along the pathway every 5 s, the hub records a referral every 5 s, and a loader syncs a
batch of 1,000 people every 30 s. After each stage move the writer asks for the person
again and counts an answer that does not show the move (read your writes).

The writers run in a process of their own, as caseworkers' browsers and a nightly sync
do: in the timing client's process the loader's Python work would hold the interpreter
lock while a question's answer waited to be read, and the client would time that wait.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.synchronize
import random
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
from bench.common import SECRET, percentile, table
from graph.access import Role
from graph.driver import create_driver
from graph.settings import Neo4jSettings
from loaders.demo import generate_demo
from loaders.registry import load

__all__ = ["Client", "WorkingDay", "Writer", "WriterFigures", "working_day", "writers_table"]

DETAILS = "query($id: ID!) { node(id: $id) { ... on Person { personal { name } } } }"
STAGE_OF = "query($id: ID!) { node(id: $id) { ... on Person { stage } } }"
MOVE = "mutation($p: ID!, $s: ReadinessStage!) { movePersonStage(personId: $p, stage: $s) { id stage } }"  # fmt: skip
REFER = "mutation($f: ID!, $t: ID!) { recordReferral(from: $f, to: $t) { count } }"
STAGES = ["ENGAGED", "LANGUAGE_TRAINING", "ACCREDITATION", "PLACEMENT", "EMPLOYED", "REGISTERED"]

# Organisation -> hub ties to count referrals on.
REFERRAL_TIES = """
MATCH (o:CommunityOrganisation)-[:REFERS_TO]->(d:Department {kind: 'employment_hub'})
RETURN collect({source: o.id, target: d.id})[..50] AS referrals
"""


# The writer whose batches the busy bench tells apart (bench/busy.py).
PEOPLE_BATCH = "people loader batch (1,000)"


class Client:
    """GraphQL over HTTP with one role's token; any error in an answer is raised."""

    def __init__(
        self, port: int, role: Role, organisation: str | None = None, *, secret: str = SECRET,
        places: list[str] | None = None,
    ) -> None:  # fmt: skip
        token = issue_token(AuthSettings(secret=SecretStr(secret)), f"bench-{role.value}", role,
                            organisation, places=places)  # fmt: skip
        # Idle connections are let go before uvicorn's keep-alive timeout (5 s): a write
        # every 5 s on one it was closing as the request went out was reset.
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600,
                                 headers={"Authorization": f"Bearer {token}"},
                                 limits=httpx.Limits(keepalive_expiry=2.0))  # fmt: skip

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


@dataclass
class Writer:
    """One kind of write on its own clock: how many, how long, what failed."""

    name: str
    every_s: float
    write: Callable[[], None]
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Wall-clock starts (time.time()), to tell which answers a write overlapped.
    started_at: list[float] = field(default_factory=list)

    def run(self, stop: threading.Event) -> None:
        next_at = time.monotonic()
        while not stop.wait(max(0.0, next_at - time.monotonic())):
            next_at += self.every_s
            self.started_at.append(time.time())
            started = time.perf_counter()
            try:
                self.write()
            except Exception as exc:  # noqa: BLE001 - a failed write is a figure, not the end
                self.errors.append(f"{type(exc).__name__}: {str(exc)[:200]}")
            self.latencies_ms.append((time.perf_counter() - started) * 1000)


@dataclass(frozen=True)
class WriterFigures:
    """What one writer did, sent back from the writers' process."""

    name: str
    every_s: float
    latencies_ms: list[float]
    errors: list[str]
    started_at: list[float]


@dataclass
class WorkingDay:
    """The writers' figures, and what they saw: stale answers after a write, rows a sync
    refused. Filled when the working day ends."""

    writers: list[WriterFigures] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    rejected: list[int] = field(default_factory=list)

    def errors(self) -> list[str]:
        return [f"{w.name}: {w.errors[0]}" for w in self.writers if w.errors]


@contextmanager
def working_day(
    port: int, driver: Driver, settings: Neo4jSettings, people: list[str]
) -> Iterator[WorkingDay]:
    """The writers running in a process of their own against the API on ``port`` (and
    the loader against Neo4j) for as long as the block lasts."""
    ties = driver.execute_query(REFERRAL_TIES, database_=settings.database).records[0]
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    started = context.Event()
    results: multiprocessing.Queue[WorkingDay] = context.Queue()
    child = context.Process(
        target=_write_all_day,
        # The API's signing secret is made anew in each process that imports bench.common.
        args=(port, SECRET, settings, people, ties["referrals"], stop, started, results),
        daemon=True,
    )
    child.start()
    day = WorkingDay()
    deadline = time.monotonic() + 300
    while not started.wait(timeout=1):
        if not child.is_alive() or time.monotonic() > deadline:
            child.kill()
            raise RuntimeError(f"the writers' process did not start (exit code {child.exitcode})")
    try:
        yield day
    finally:
        stop.set()
        done = results.get(timeout=600)
        child.join(timeout=60)
        day.writers, day.stale, day.rejected = done.writers, done.stale, done.rejected


def _write_all_day(
    port: int,
    secret: str,
    settings: Neo4jSettings,
    people: list[str],
    referrals: list[dict[str, str]],
    stop: multiprocessing.synchronize.Event,
    started: multiprocessing.synchronize.Event,
    results: multiprocessing.Queue[WorkingDay],
) -> None:
    """The writers' process: each writer on its own clock until ``stop``."""
    rng = random.Random(11)
    admin = Client(port, Role.ADMIN, secret=secret)
    day = WorkingDay()
    with tempfile.TemporaryDirectory() as tmp, create_driver(settings) as driver:
        # A nightly sync's batch: the first 1,000 people of the same generator, read with
        # other facts (another seed), so each load changes people the index holds.
        generate_demo(Path(tmp) / "batch", people=1000, seed=8)

        def read_details() -> None:
            admin.ask(DETAILS, id=f"Person:{rng.choice(people)}")

        def move_stage() -> None:
            person, stage = rng.choice(people), rng.choice(STAGES)
            admin.ask(MOVE, p=f"Person:{person}", s=stage)
            seen = admin.ask(STAGE_OF, id=f"Person:{person}")["node"]["stage"]
            if seen != stage:
                day.stale.append(f"{person}: moved to {stage}, then read {seen}")

        def refer() -> None:
            pair = rng.choice(referrals)
            admin.ask(REFER, f=f"CommunityOrganisation:{pair['source']}",
                      t=f"Department:{pair['target']}")  # fmt: skip

        def load_batch() -> None:
            report = load("people", Path(tmp) / "batch" / "people.csv", driver=driver,
                          database=settings.database, batch_size=1000, source="bench-sync")  # fmt: skip
            # Rows that would give back a consent someone withdrew are refused, as they must be.
            day.rejected.append(report.rows_rejected)

        writers = [
            Writer("personal details read (audit record)", 2.0, read_details),
            Writer("stage move", 5.0, move_stage),
            Writer("referral recorded", 5.0, refer),
            Writer(PEOPLE_BATCH, 30.0, load_batch),
        ]
        halt = threading.Event()
        threads = [threading.Thread(target=w.run, args=(halt,), daemon=True) for w in writers]
        for thread in threads:
            thread.start()
        started.set()
        stop.wait()
        halt.set()
        for thread in threads:
            thread.join(timeout=300)
    day.writers = [WriterFigures(w.name, w.every_s, w.latencies_ms, w.errors, w.started_at)
                   for w in writers]  # fmt: skip
    results.put(day)


def writers_table(day: WorkingDay) -> str:
    """What the writers did, and what they saw."""
    rows = [[w.name, f"{w.every_s:.0f}", str(len(w.latencies_ms)), str(len(w.errors)),
             f"{percentile(w.latencies_ms, 50):.0f}", f"{percentile(w.latencies_ms, 95):.0f}"]
            for w in day.writers]  # fmt: skip
    text = table(["write", "every s", "done", "errors", "p50 ms", "p95 ms"], rows)
    text += (f"\n\nRead your writes: {len(day.stale)} stale answers after a stage move"
             + (f" (first: {day.stale[0]})" if day.stale else "") + ".")  # fmt: skip
    if day.rejected:
        text += (f" Each people batch refused at most {max(day.rejected)} rows: those that "
                 "would give back a consent the place's people had withdrawn (as it must).")  # fmt: skip
    if day.errors():
        text += f" First error of each writer that had one: {day.errors()}."
    return text
