"""The three questions over HTTP (uvicorn, GraphQL) against the same service calls
in-process (the same Cypher and algorithms on the bare driver), on the place that
bench/load.py left in the benchmark server.

Requests go only to 127.0.0.1; each question runs a fixed number of times.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import httpx
from pydantic import SecretStr

from api.auth import AuthSettings, issue_token
from bench.common import (
    PASSWORD,
    ROOT,
    SECRET,
    production_keys,
    running_database,
    stop_server,
    table,
    write_section,
)
from graph.access import Role
from graph.algorithms.referral_paths import PathMode
from graph.models.paths import NodeKey
from graph.services import explore_filters as ef
from graph.services import explore_lists as el
from graph.services.brokerage import brokerage_gaps
from graph.services.candidate_index import CandidateIndexHolder
from graph.services.matching import matching_candidates
from graph.services.paths import referral_paths
from graph.vocabulary import Label

PORT = 8765
SAMPLES = """
MATCH (p:Person)-[:SUPPORTED_BY]->(:CommunityOrganisation)-[:REFERS_TO]->(:Department {kind: 'employment_hub'})
WHERE p.consent_given_at IS NOT NULL AND p.consent_withdrawn_at IS NULL
WITH p LIMIT $n
RETURN collect(p.id) AS people
"""
VACANCIES = """
MATCH (a:AnchorInstitution)-[:POSTS]->(v:Vacancy {shortage: true})-[:FOR_OCCUPATION]->(o:Occupation)
WHERE EXISTS { (:Department {kind: 'employment_hub'})-[:PART_OF]->(a) }
RETURN a.id AS anchor, v.id AS vacancy, o.id AS occupation
ORDER BY v.id
LIMIT $n
"""


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def _timed(call: Callable[[], Any], runs: int) -> list[float]:
    # Warm caches, query plans and the JIT outside the figures: the server is freshly
    # started, and a side timed first would otherwise pay for both.
    for _ in range(3):
        call()
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        out.append((time.perf_counter() - started) * 1000)
    return out


def _timed_in_turn(
    first: Callable[[], Any], second: Callable[[], Any], runs: int
) -> tuple[list[float], list[float]]:
    """Both calls timed in turn, so that the machine speeding up or slowing down
    (it is shared) weighs on both alike."""
    for _ in range(3):
        first()
        second()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for call, out in ((first, times[0]), (second, times[1])):
            started = time.perf_counter()
            call()
            out.append((time.perf_counter() - started) * 1000)
    return times


TOP_AREA = """
MATCH (a:Area) WHERE NOT EXISTS { (a)-[:WITHIN]->(:Area) }
RETURN a.id AS id ORDER BY id LIMIT 1
"""


def _list_timings(driver: Any, db: str, runs: int) -> str:
    """Each listing's first page of 20 in every sort order, and its count, under one
    typical filter: the place's top area where a listing filters by area (it
    walks every row's area chain), otherwise a common value or search."""
    top = driver.execute_query(TOP_AREA, database_=db).records[0]["id"]
    cases: list[tuple[el.Listing[Any, Any], ef.ListFilter, str]] = [
        (el.PEOPLE, ef.PeopleFilter(area_id=top), f"area {top}"),
        (el.ORGANISATIONS, ef.OrganisationFilter(area_id=top), f"area {top}"),
        (el.SERVICES, ef.ServiceFilter(search="a"), "search 'a'"),
        (el.ANCHORS, ef.AnchorFilter(area_id=top), f"area {top}"),
        (el.DEPARTMENTS, ef.DepartmentFilter(search="a"), "search 'a'"),
        (el.VACANCIES, ef.VacancyFilter(status=ef.VacancyStatus.OPEN), "status open"),
        (el.SKILLS, ef.SkillFilter(search="care"), "search 'care'"),
        (el.OCCUPATIONS, ef.OccupationFilter(search="nurse"), "search 'nurse'"),
        (el.QUALIFICATIONS, ef.QualificationFilter(search="a"), "search 'a'"),
        (el.PROPERTIES, ef.PropertyFilter(area_id=top), f"area {top}"),
        (el.AREAS, ef.AreaFilter(search="a"), "search 'a'"),
    ]
    rows: list[list[str]] = []
    for listing, filters, described in cases:
        sorts: list[Any] = list(listing.key_types)
        for sort in sorts:

            def page(sort: Any = sort, listing: Any = listing, filters: Any = filters) -> object:
                # The bench's place is one undivided place: read as an administrator.
                return el.list_page(driver, db, listing, sort, filters, first=20, places=None)

            p50, p95 = _percentiles(_timed(page, runs))
            rows.append(
                [listing.name, f"page by {sort.value}", described, f"{p50:.1f}", f"{p95:.1f}"]
            )

        def count(listing: Any = listing, filters: Any = filters) -> object:
            return el.count_rows(driver, db, listing, filters, places=None)

        p50, p95 = _percentiles(_timed(count, runs))
        rows.append([listing.name, "count", described, f"{p50:.1f}", f"{p95:.1f}"])
    return table(["listing", "query", "filter", "p50 ms", "p95 ms"], rows)


def _serve(uri: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NEO4J_URI": uri, "NEO4J_PASSWORD": PASSWORD,
           "ASSETBRIDGE_API_ENVIRONMENT": "production", "ASSETBRIDGE_AUTH_SECRET": SECRET,
           **production_keys()}  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "assetbridge", "serve", "--host", "127.0.0.1", "--port", str(PORT)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    # Ready, and its candidate index read: the figures are of the service in its
    # steady state (until then matching reads the graph, as the baseline rows show).
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            ready = httpx.get(f"http://127.0.0.1:{PORT}/readyz", timeout=2)
            if ready.status_code == 200 and ready.json().get("candidateIndex") == "ready":
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    process.kill()
    raise RuntimeError("the API and its candidate index were not ready within 180 s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument(
        "--lists", action="store_true",
        help="time only the list queries (in-process) and print them; docs/benchmarks.md is not written",
    )  # fmt: skip
    args = parser.parse_args()
    if args.lists:
        load_start = os.getloadavg()[0]
        with running_database() as (driver, settings):
            body = _list_timings(driver, settings.database, args.runs)
        print(
            f"{body}\n\nLoad average (1 min) {load_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
        )  # noqa: T201
        return 0
    rows: list[list[str]] = []
    verdicts: list[str] = []
    load_before = os.getloadavg()[0]
    with running_database() as (driver, settings):
        db = settings.database
        people = driver.execute_query(SAMPLES, n=args.runs, database_=db).records[0]["people"]
        targets = [r.data() for r in driver.execute_query(VACANCIES, n=5, database_=db).records]
        if not people or not targets:
            print("the benchmark place is missing: run `python -m bench.load` first")  # noqa: T201
            return 1
        anchor, vacancy, occupation = (
            targets[0]["anchor"],
            targets[0]["vacancy"],
            targets[0]["occupation"],
        )
        person_cycle = iter(people * (args.runs + 2))
        index = CandidateIndexHolder(driver, db)
        if not any(index.refresh() for _ in range(3)):
            print("the benchmark place kept changing while its index was read")  # noqa: T201
            return 1

        def service_paths() -> object:
            return referral_paths(driver, db, NodeKey(label=Label.PERSON, id=next(person_cycle)),
                                  NodeKey(label=Label.VACANCY, id=vacancy), k=3, max_hops=6,
                                  mode=PathMode.STRONGEST_TRUST)  # fmt: skip

        questions: list[tuple[str, Callable[[], object], Callable[[], dict[str, Any]], int, float]] = [
            ("referralPaths (k=3, strongest trust)", service_paths, lambda: {
                "query": "query($f: ID!, $t: ID!) { referralPaths(from: $f, to: $t, k: 3, mode: STRONGEST_TRUST) { hops cost explanation } }",
                "variables": {"f": f"Person:{next(person_cycle)}", "t": f"Vacancy:{vacancy}"}}, args.runs, 50.0),
            ("matchingCandidates (first 20)",
             lambda: matching_candidates(driver, db, vacancy, first=20, index=index), lambda: {
                "query": "query($v: ID!) { matchingCandidates(vacancyId: $v, first: 20) { person score gaps { kind providers { name } } referralPath { hops } } }",
                "variables": {"v": f"Vacancy:{vacancy}"}}, max(5, args.runs // 4), 150.0),
            ("brokerageGaps (one anchor, one occupation)",
             lambda: brokerage_gaps(driver, db, anchor, occupation_id=occupation, index=index),
             lambda: {
                "query": "query($a: ID!, $o: ID) { brokerageGaps(anchorId: $a, occupation: $o) { candidates linked criticalBrokers { pairsCut } suggestedLinks { reconnects } } }",
                "variables": {"a": f"AnchorInstitution:{anchor}", "o": f"Occupation:{occupation}"}}, 5, 2000.0),
        ]  # fmt: skip
        server = _serve(settings.uri)
        try:
            # The in-process calls run as nobody in particular; over HTTP a caseworker's
            # token is checked on every request, as it would be in service.
            token = issue_token(AuthSettings(secret=SecretStr(SECRET)), "bench", Role.CASEWORKER,
                                "bench-org")  # fmt: skip
            headers = {"Authorization": f"Bearer {token}"}
            with httpx.Client(
                base_url=f"http://127.0.0.1:{PORT}", timeout=900, headers=headers
            ) as http:
                for name, service, request, runs, target_ms in questions:

                    def over_http(
                        make: Callable[[], dict[str, Any]] = request, name: str = name
                    ) -> None:
                        response = http.post("/graphql", json=make(),
                                             headers={"Accept": "application/graphql-response+json"})  # fmt: skip
                        body = response.json()
                        if response.status_code != 200 or body.get("errors"):
                            raise RuntimeError(f"{name} failed: {response.text[:300]}")

                    direct, via_http = _timed_in_turn(service, over_http, runs)
                    d50, d95 = _percentiles(direct)
                    h50, h95 = _percentiles(via_http)
                    rows.append([name, str(runs), f"{d50:.1f}", f"{d95:.1f}", f"{h50:.1f}", f"{h95:.1f}",
                                 f"{h50 / d50:.2f}", f"{target_ms:.0f}"])  # fmt: skip
                    verdicts.append(
                        f"{name}: p95 {h95:.0f} ms over HTTP ({'meets' if h95 <= target_ms else 'misses'} "
                        f"{target_ms:.0f} ms); HTTP/GraphQL {h50 / d50:.2f}x the in-process call "
                        f"({'meets' if h50 / d50 <= 1.5 else 'misses'} 1.5x)"
                    )  # fmt: skip
        finally:
            server.terminate()
            server.wait(timeout=30)
        # The baseline: the same two questions with no index, ranking from the graph.
        for name, service, runs in (
            ("matchingCandidates, from the graph (no index)",
             lambda: matching_candidates(driver, db, vacancy, first=20), max(5, args.runs // 4)),
            ("brokerageGaps, from the graph (no index)",
             lambda: brokerage_gaps(driver, db, anchor, occupation_id=occupation), 3),
        ):  # fmt: skip
            d50, d95 = _percentiles(_timed(service, runs))
            rows.append([name, str(runs), f"{d50:.1f}", f"{d95:.1f}", "-", "-", "-", "-"])
    stop_server()
    body = table(
        ["question", "runs", "in-process p50 ms", "p95 ms", "HTTP p50 ms", "p95 ms", "HTTP / in-process (p50)", "target p95 ms"],
        rows,
    ) + "\n\n" + "\n".join(f"- {v}" for v in verdicts) + (
        "\n\nIn-process = the graph service called directly (same Cypher, same candidate index, "
        "same algorithms, the bare driver, no HTTP or GraphQL); HTTP = uvicorn (1 worker) serving "
        "GraphQL on 127.0.0.1, timed once its candidate index is read. The index answers only while "
        "nothing has been committed since it was read (graph/services/candidate_index.py); the "
        "'from the graph' rows are the same questions without it, in the same run. "
        f"Load average (1 min) at the start {load_before:.1f}, at the end {os.getloadavg()[0]:.1f}: "
        "the machine is shared, and everything else running on it slows both sides."
    )  # fmt: skip
    write_section("The three questions on the generated place", body)
    print(body)  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
