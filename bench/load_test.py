"""Load test: concurrent clients send a mixed workload of the real queries to the API
served by uvicorn with several workers, for a bounded time and number of requests.

It reports requests per second, p50/p95/p99 latency and errors per query, and samples
the API workers' memory and Bolt connections, Neo4j's memory, open connections and
transactions after a warm-up and at the end, to show whether anything grows.

By default it runs against the place in the benchmark server (var/neo4j-bench, which
``bench.load`` fills); ``--uri`` points it at another Neo4j (never wiped). Requests
go only to 127.0.0.1; every client stops at the deadline or when the request budget
is spent, whichever comes first.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from neo4j import Driver
from pydantic import SecretStr

from api.auth import AuthSettings, issue_token
from bench.common import (
    BENCH_KEYSTORE,
    PASSWORD,
    ROOT,
    SECRET,
    bench_server,
    production_keys,
    running_database,
    table,
    write_section,
)
from bench.writers import WorkingDay, working_day, writers_table
from graph.access import Role
from graph.driver import create_driver
from graph.settings import Neo4jSettings

HOST = "127.0.0.1"

# Ids the workload asks about, read from the place itself.
IDS = """
CALL () {
  MATCH (a:AnchorInstitution)-[:POSTS]->(v:Vacancy {shortage: true})-[:FOR_OCCUPATION]->(o:Occupation)
  WHERE EXISTS { (:Department {kind: 'employment_hub'})-[:PART_OF]->(a) }
  RETURN collect(DISTINCT {anchor: a.id, vacancy: v.id, occupation: o.id})[..20] AS targets
}
CALL () {
  MATCH (p:Person)-[:SUPPORTED_BY]->(:CommunityOrganisation)-[:REFERS_TO]->(:Department {kind: 'employment_hub'})
  WHERE p.consent_given_at IS NOT NULL AND p.consent_withdrawn_at IS NULL
  WITH DISTINCT p LIMIT 500
  RETURN collect(p.id) AS people
}
MATCH (person:Person)
RETURN targets, people, count(person) AS population
"""
SERVER_CONNECTIONS = (
    "CALL dbms.listConnections() YIELD connector WHERE connector = 'bolt' RETURN count(*) AS n"
)
SERVER_TRANSACTIONS = "SHOW TRANSACTIONS YIELD transactionId RETURN count(*) AS n"


@dataclass(frozen=True)
class Place:
    targets: list[dict[str, str]]
    people: list[str]
    population: int


@dataclass(frozen=True)
class Query:
    """One question of the workload: who asks it, how often, and how it is built."""

    name: str
    role: Role
    weight: int
    document: str
    variables: Callable[[random.Random, Place], dict[str, Any]]


def _target(rng: random.Random, place: Place) -> dict[str, str]:
    return rng.choice(place.targets)


WORKLOAD = [
    Query("organisations (list, peopleCount)", Role.PLACE_LEADER, 14,
          "query { organisations(first: 20) { totalCount edges { node { id name orgType peopleCount } } } }",
          lambda _rng, _place: {}),
    Query("vacancies (list, shortage)", Role.PLACE_LEADER, 10,
          "query($a: ID) { vacancies(first: 20, filter: {shortage: true, anchor: $a}) { totalCount edges { node { id title status closes } } } }",
          lambda rng, place: {"a": f"AnchorInstitution:{_target(rng, place)['anchor']}"}),
    Query("people (list, by stage)", Role.ANALYST, 10,
          "query($s: ReadinessStage) { people(first: 20, filter: {stage: $s}) { edges { node { id stage ielts { overall } skills { preferredLabel } } } } }",
          lambda rng, _place: {"s": rng.choice(["ENGAGED", "LANGUAGE_TRAINING", "ACCREDITATION"])}),
    Query("node (a person)", Role.ANALYST, 10,
          "query($id: ID!) { node(id: $id) { ... on Person { id stage supportedBy { organisation { name } strength } } } }",
          lambda rng, place: {"id": f"Person:{rng.choice(place.people)}"}),
    Query("referralPaths (k=3, strongest trust)", Role.CASEWORKER, 16,
          "query($f: ID!, $t: ID!) { referralPaths(from: $f, to: $t, k: 3, mode: STRONGEST_TRUST) { hops cost explanation } }",
          lambda rng, place: {"f": f"Person:{rng.choice(place.people)}",
                              "t": f"Vacancy:{_target(rng, place)['vacancy']}"}),
    Query("matchingCandidates (first 20)", Role.CASEWORKER, 10,
          "query($v: ID!) { matchingCandidates(vacancyId: $v, first: 20) { person score gaps { kind } } }",
          lambda rng, place: {"v": f"Vacancy:{_target(rng, place)['vacancy']}"}),
    Query("brokerageGaps (anchor, occupation)", Role.PLACE_LEADER, 2,
          "query($a: ID!, $o: ID) { brokerageGaps(anchorId: $a, occupation: $o) { candidates linked unlinked criticalBrokers { pairsCut } } }",
          lambda rng, place: {"a": f"AnchorInstitution:{(t := _target(rng, place))['anchor']}",
                              "o": f"Occupation:{t['occupation']}"}),
    Query("funnel (aggregate)", Role.PLACE_LEADER, 8,
          "query($a: ID!) { funnel(anchorId: $a) { stages { stage reached movedOn conversion } } }",
          lambda rng, place: {"a": f"AnchorInstitution:{_target(rng, place)['anchor']}"}),
]  # fmt: skip


@dataclass
class Tally:
    """What one query got: each answer's latency, and the errors by kind."""

    latencies_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)

    def row(self, name: str, seconds: float) -> list[str]:
        done = len(self.latencies_ms)
        if done >= 2:
            cuts = statistics.quantiles(self.latencies_ms, n=100, method="inclusive")
            p50, p95, p99 = cuts[49], cuts[94], cuts[98]
        else:
            p50 = p95 = p99 = self.latencies_ms[0] if done else float("nan")
        failed = sum(self.errors.values())
        return [name, str(done), str(failed), f"{done / seconds:.1f}",
                f"{p50:.0f}", f"{p95:.0f}", f"{p99:.0f}"]  # fmt: skip


class Budget:
    """The requests still allowed; clients share it (one event loop, so no lock)."""

    def __init__(self, requests: int) -> None:
        self.left = requests

    def take(self) -> bool:
        if self.left <= 0:
            return False
        self.left -= 1
        return True


# -- the server ------------------------------------------------------------------------


@contextmanager
def served(settings: Neo4jSettings, port: int, workers: int,
           keystore: Path = BENCH_KEYSTORE) -> Iterator[subprocess.Popen[bytes]]:  # fmt: skip
    """The API under uvicorn with ``workers`` processes, as in service (production mode),
    its people's keys in ``keystore`` (see ``production_keys``)."""
    env = {**os.environ, "NEO4J_URI": settings.uri,
           "NEO4J_PASSWORD": settings.password.get_secret_value(),
           "ASSETBRIDGE_API_ENVIRONMENT": "production", "ASSETBRIDGE_AUTH_SECRET": SECRET,
           **production_keys(keystore)}  # fmt: skip
    command = [sys.executable, "-m", "assetbridge", "serve", "--host", HOST, "--port", str(port),
               "--workers", str(workers)]  # fmt: skip
    # The API's log is kept (var/bench/api-<port>.log): a dropped index or kept answers
    # say why there, which a benchmark's figures alone cannot.
    log = ROOT / "var" / "bench" / f"api-{port}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as output:
        process = subprocess.Popen(command, env=env, cwd=ROOT,
                                   stdout=output, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while (workers > 1 and len(_workers(process.pid)) < workers) or not _ready(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the API did not start (or not all its workers) within 120 s")
            time.sleep(0.5)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=60)


def wait_for_index(port: int) -> None:
    """Until the API on ``port`` says its candidate index is read (at most 900 s)."""
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        ready = httpx.get(f"http://{HOST}:{port}/readyz", timeout=10).json()
        if ready.get("candidateIndex") == "ready":
            return
        time.sleep(1)
    raise RuntimeError("the candidate index was not read within 900 s")


def _ready(port: int) -> bool:
    try:
        return httpx.get(f"http://{HOST}:{port}/readyz", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


# -- resources, from /proc ---------------------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return sorted(found)


def _workers(api_pid: int) -> list[int]:
    """uvicorn's worker processes (spawned children), or the process itself with one."""
    spawned = []
    for pid in _children(api_pid):
        try:
            if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                spawned.append(pid)
        except OSError:
            continue
    return spawned or [api_pid]


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").glob("*"):
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def _established_to(port: int, inodes: set[str]) -> int:
    """How many of these sockets are ESTABLISHED connections to ``port``."""
    count = 0
    for table_path in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table_path).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            remote_port = int(fields[2].rsplit(":", 1)[1], 16)
            if remote_port == port and fields[3] == "01" and fields[9] in inodes:
                count += 1
    return count


def _listener(port: int) -> int | None:
    """The pid listening on ``port`` on this machine, found through its socket inode."""
    listening = set()
    for table_path in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table_path).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":
                listening.add(fields[9])
    for proc in Path("/proc").glob("[0-9]*"):
        if _socket_inodes_safe(proc) & listening:
            return int(proc.name)
    return None


def _socket_inodes_safe(proc: Path) -> set[str]:
    try:
        return _socket_inodes(int(proc.name))
    except (OSError, ValueError):
        return set()


@dataclass(frozen=True)
class Resources:
    workers_rss_mb: float
    workers_bolt: int
    workers_fds: int
    neo4j_rss_mb: float
    server_bolt: int
    server_transactions: int


def sample(api_pid: int, driver: Driver, settings: Neo4jSettings) -> Resources:
    workers = _workers(api_pid)
    bolt_port = int(settings.uri.rsplit(":", 1)[1])
    inodes: set[str] = set()
    fds = 0
    for pid in workers:
        worker_inodes = _socket_inodes(pid)
        inodes |= worker_inodes
        fds += len(list(Path(f"/proc/{pid}/fd").glob("*")))
    neo4j_pid = _listener(bolt_port)
    server_bolt = driver.execute_query(SERVER_CONNECTIONS, database_=settings.database).records[0][
        "n"
    ]
    transactions = driver.execute_query(SERVER_TRANSACTIONS, database_=settings.database).records[
        0
    ]["n"]
    return Resources(
        workers_rss_mb=sum(_rss_mb(pid) for pid in workers),
        workers_bolt=_established_to(bolt_port, inodes),
        workers_fds=fds,
        neo4j_rss_mb=_rss_mb(neo4j_pid) if neo4j_pid else float("nan"),
        server_bolt=int(server_bolt),
        # Less the SHOW TRANSACTIONS that counts them.
        server_transactions=int(transactions) - 1,
    )


# -- the clients ---------------------------------------------------------------------------


async def _client(
    number: int,
    http: httpx.AsyncClient,
    place: Place,
    tokens: dict[Role, str],
    seed: int,
    until: float,
    budget: Budget,
    tallies: dict[str, Tally] | None,
) -> None:
    rng = random.Random(seed * 1000 + number)
    weights = [query.weight for query in WORKLOAD]
    while time.monotonic() < until and budget.take():
        query = rng.choices(WORKLOAD, weights)[0]
        body = {"query": query.document, "variables": query.variables(rng, place)}
        headers = {"Authorization": f"Bearer {tokens[query.role]}"}
        started = time.perf_counter()
        error = None
        try:
            response = await http.post("/graphql", json=body, headers=headers)
            if response.status_code != 200:
                error = f"HTTP {response.status_code}"
            elif errors := response.json().get("errors"):
                error = str(errors[0].get("extensions", {}).get("code", "uncoded"))
        except httpx.HTTPError as exc:
            error = type(exc).__name__
        elapsed_ms = (time.perf_counter() - started) * 1000
        if tallies is not None:
            tally = tallies.setdefault(query.name, Tally())
            tally.latencies_ms.append(elapsed_ms)
            if error:
                tally.errors[error] += 1


async def run_clients(
    port: int, place: Place, clients: int, seconds: float, requests: int, timeout_s: float,
    seed: int, tallies: dict[str, Tally] | None, halfway: Callable[[], Resources] | None = None,
) -> tuple[float, Resources | None]:  # fmt: skip
    """Send the workload from ``clients`` clients; return the seconds it took, and what
    ``halfway`` sampled half-way through."""
    auth = AuthSettings(secret=SecretStr(SECRET))
    tokens = {role: issue_token(auth, f"load-{role}", role, "load-test-org" if role is Role.CASEWORKER else None)
              for role in {query.role for query in WORKLOAD}}  # fmt: skip
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    budget = Budget(requests)
    async with httpx.AsyncClient(base_url=f"http://{HOST}:{port}", timeout=timeout_s,
                                 limits=limits) as http:  # fmt: skip
        started = time.monotonic()
        until = started + seconds
        sampled = asyncio.create_task(_later(seconds / 2, halfway)) if halfway else None
        await asyncio.gather(*(_client(n, http, place, tokens, seed, until, budget, tallies)
                               for n in range(clients)))  # fmt: skip
        elapsed = time.monotonic() - started
        return elapsed, (await sampled if sampled else None)


async def _later(delay: float, take: Callable[[], Resources]) -> Resources:
    await asyncio.sleep(delay)
    return await asyncio.to_thread(take)


# -- the run -------------------------------------------------------------------------------


def _read_place(driver: Driver, database: str) -> Place:
    record = driver.execute_query(IDS, database_=database).records[0]
    return Place(list(record["targets"]), list(record["people"]), int(record["population"]))


@contextmanager
def _database(uri: str | None, password: str) -> Iterator[tuple[Driver, Neo4jSettings, bool]]:
    """The Neo4j to test against, and whether this run started it (and so stops it)."""
    if uri is None:
        was_running = bench_server().status().running
        with running_database() as (driver, settings):
            yield driver, settings, not was_running
        return
    settings = Neo4jSettings(uri=uri, password=SecretStr(password))
    with create_driver(settings) as driver:
        yield driver, settings, False


def _resources_table(samples: list[Resources]) -> str:
    measures: list[tuple[str, Callable[[Resources], str]]] = [
        ("API workers' memory (RSS, MB, all workers)", lambda r: f"{r.workers_rss_mb:.0f}"),
        ("API workers' Bolt connections (ESTABLISHED)", lambda r: str(r.workers_bolt)),
        ("API workers' open file descriptors", lambda r: str(r.workers_fds)),
        ("Neo4j memory (JVM RSS, MB)", lambda r: f"{r.neo4j_rss_mb:.0f}"),
        ("Neo4j Bolt connections, all clients (dbms.listConnections)", lambda r: str(r.server_bolt)),
        ("Neo4j open transactions (SHOW TRANSACTIONS)", lambda r: str(r.server_transactions)),
    ]  # fmt: skip
    rows = [[name, *(shown(sample) for sample in samples)] for name, shown in measures]
    return table(["measure", "after warm-up", "half-way", "at the end"], rows)


def _verdicts(tallies: dict[str, Tally], samples: list[Resources]) -> list[str]:
    """Against the goals: no errors; nothing that grows once the pools have settled
    (the first half of the run), and no transaction left open."""
    errors = Counter[str]()
    for name, tally in tallies.items():
        for kind, count in tally.errors.items():
            errors[f"{name}: {kind}"] += count
    failed = sum(errors.values())
    shown = ", ".join(f"{kind} x{count}" for kind, count in errors.most_common())
    start, mid, end = samples
    memory = (end.workers_rss_mb - mid.workers_rss_mb) / mid.workers_rss_mb * 100
    settled = end.workers_bolt <= mid.workers_bolt and end.workers_fds <= mid.workers_fds
    return [
        f"Errors: {failed}{f' ({shown})' if failed else ''}; goal none: "
        f"{'met' if not failed else 'missed'}.",
        f"Bolt connections of the API workers: {start.workers_bolt} after warm-up, "
        f"{mid.workers_bolt} half-way, {end.workers_bolt} at the end; goal no growth once "
        f"settled: {'met' if settled else 'missed'}.",
        f"Open transactions at the end: {end.server_transactions}; goal none: "
        f"{'met' if end.server_transactions == 0 else 'missed'}.",
        f"API workers' memory: {start.workers_rss_mb:.0f} -> {mid.workers_rss_mb:.0f} -> "
        f"{end.workers_rss_mb:.0f} MB ({memory:+.1f}% in the second half); Neo4j's: "
        f"{start.neo4j_rss_mb:.0f} -> {end.neo4j_rss_mb:.0f} MB.",
    ]


def _measure(
    args: argparse.Namespace,
) -> tuple[Place, dict[str, Tally], float, list[Resources], WorkingDay | None]:
    with _database(args.uri, args.password) as (driver, settings, started_here):
        place = _read_place(driver, settings.database)
        if not place.targets or not place.people:
            raise SystemExit(
                "no place to test: load one first (`python -m bench.load`, or `assetbridge demo load`)"
            )
        with served(settings, args.port, args.workers) as api:
            # Warm-up: plans cached, pools filled, every worker's imports done.
            asyncio.run(run_clients(args.port, place, args.clients, args.warmup, args.max_requests,
                                    args.timeout, args.seed + 1, None))  # fmt: skip
            start = sample(api.pid, driver, settings)
            tallies: dict[str, Tally] = {}
            writing = (working_day(args.port, driver, settings, place.people) if args.writers
                       else nullcontext(None))  # fmt: skip
            with writing as day:
                seconds, mid = asyncio.run(run_clients(
                    args.port, place, args.clients, args.duration, args.max_requests, args.timeout,
                    args.seed, tallies, halfway=lambda: sample(api.pid, driver, settings),
                ))  # fmt: skip
            end = sample(api.pid, driver, settings)
        if started_here:
            bench_server().stop()
    assert mid is not None
    return place, tallies, seconds, [start, mid, end], day


# Before issue 14: 32 clients, reads only, 4 workers, 100,000 people (2026-11-28).
READS_ONLY_BEFORE_RPS = 10.2


def _throughput(rps: float, day: WorkingDay | None) -> str:
    if day is None:
        return f"No writers (--no-writers): {rps:.1f} requests/s, reads only."
    return (
        f"Writers beside the clients (bench/writers.py), throughout the measured phase:\n\n"
        f"{writers_table(day)}\n\nThroughput {rps:.1f} requests/s with the writers, against "
        f"{READS_ONLY_BEFORE_RPS} requests/s for reads only before issue 14 (100,000 people): "
        f"{rps / READS_ONLY_BEFORE_RPS:.1f}x (target at least 3x)."
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (32)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds measured (60)")
    parser.add_argument("--max-requests", type=int, default=50_000,
                        help="requests at most, measured phase (50,000)")  # fmt: skip
    # A Neo4j just started compiles its hot paths (about 30 s of CPU) while it answers.
    parser.add_argument("--warmup", type=float, default=30.0, help="seconds of warm-up (30)")
    parser.add_argument("--workers", type=int, default=1,
                        help="uvicorn worker processes (1, as deployed)")  # fmt: skip
    parser.add_argument("--port", type=int, default=8766, help="API port on 127.0.0.1 (8766)")
    parser.add_argument("--uri", help="Neo4j to use instead of the benchmark server")
    parser.add_argument("--password", default=PASSWORD, help="its password")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per request (120)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-write", action="store_true", help="print only; leave the docs")
    parser.add_argument("--writers", action=argparse.BooleanOptionalAction, default=True,
                        help="a working day's writes beside the clients (bench/writers.py)")  # fmt: skip
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    place, tallies, seconds, samples, day = _measure(args)
    load_after = os.getloadavg()[0]
    total = sum(len(t.latencies_ms) for t in tallies.values())
    failed = sum(sum(t.errors.values()) for t in tallies.values())
    rows = [tallies[q.name].row(q.name, seconds) for q in WORKLOAD if q.name in tallies]
    rows.append(["all", str(total), str(failed), f"{total / seconds:.1f}", "", "", ""])
    body = "\n\n".join([
        f"{args.clients} clients for {seconds:.0f} s ({args.warmup:.0f} s warm-up before), "
        f"uvicorn with {args.workers} workers on 127.0.0.1, against a place of "
        f"{place.population:,} people; each client sends the next request as soon as the "
        "last is answered, picking the query at random by the weights in bench/load_test.py. "
        f"The clients run on the same 2 cores as the API and Neo4j; load average (1 min) "
        f"{load_before:.1f} before, {load_after:.1f} after, on a machine shared with others.",
        table(["query", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms"], rows),
        _resources_table(samples),
        "\n".join(f"- {verdict}" for verdict in _verdicts(tallies, samples)),
        _throughput(total / seconds, day),
    ])  # fmt: skip
    print(body)
    if not args.no_write:
        workers = f"{args.workers} worker{'s' if args.workers != 1 else ''}"
        writes = "with writers" if args.writers else "reads only"
        write_section(
            f"Load test: {args.clients} clients on {place.population:,} people, {workers}, "
            f"{writes}",
            body,
        )
    # Errors are reported against the goal, not raised: the benchmarks after it still run.
    return 0


if __name__ == "__main__":
    sys.exit(main())
