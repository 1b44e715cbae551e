"""What the revocation check costs each request: the real app under uvicorn on
127.0.0.1, a bearer token on every request, timed with the check as it is and with
the check taken out (the baseline), in turn. The store holds many revoked tokens and
subjects, so the figure is that of the indexed lookups, not of an empty label.

Writes its revocations under a prefix of its own and removes them afterwards.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import httpx
import uvicorn
from pydantic import SecretStr

import api.auth
from api.auth import get_auth_settings, issue_token
from api.main import create_app
from api.settings import ApiSettings
from bench.common import running_database, table, write_section
from graph.access import Role
from graph.driver import create_driver
from graph.migrations import apply_migrations
from graph.services.revocations import token_revoked
from graph.settings import Neo4jSettings

PREFIX = "bench-revoked-"
SEED_REVOCATIONS = """
UNWIND range(1, $n) AS i
MERGE (t:RevokedToken {jti: $prefix + toString(i)})
SET t.revoked_at = datetime()
MERGE (s:RevokedSubject {subject: $prefix + toString(i)})
SET s.revoked_before = 0, s.revoked_at = datetime()
"""
DROP_REVOCATIONS = """
MATCH (n)
WHERE (n:RevokedToken AND n.jti STARTS WITH $prefix)
   OR (n:RevokedSubject AND n.subject STARTS WITH $prefix)
DETACH DELETE n
"""
QUESTION = {"query": "{ serviceInfo { name } }"}


@contextmanager
def _serving(settings: Neo4jSettings) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(ApiSettings(candidate_index=False), settings)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


async def _not_checked(*_: Any) -> bool:
    return False


def _time(client: httpx.Client, base: str, headers: dict[str, str], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.post(f"{base}/graphql", json=QUESTION, headers=headers)
        out.append((time.perf_counter() - started) * 1000)
        assert response.json() == {"data": {"serviceInfo": {"name": "assetbridge"}}}
    return out


def measure(settings: Neo4jSettings, runs: int, revoked: int) -> str:
    with create_driver(settings) as driver:
        apply_migrations(driver, settings.database)
        driver.execute_query(
            SEED_REVOCATIONS, n=revoked, prefix=PREFIX, database_=settings.database
        )
        lookup = []
        for _ in range(runs):
            started = time.perf_counter()
            token_revoked(driver, settings.database, "bench-live", "bench-reader", 0)
            lookup.append((time.perf_counter() - started) * 1000)
    token = issue_token(get_auth_settings(), "bench-reader", Role.ANALYST)
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    checked: list[float] = []
    unchecked: list[float] = []
    try:
        with _serving(settings) as base, httpx.Client(timeout=30) as client:
            _time(client, base, headers, 50)
            # In turn, in blocks, so a shared machine's changes of pace weigh on both.
            for _ in range(10):
                checked += _time(client, base, headers, runs // 10)
                with mock.patch.object(api.auth, "run_in_threadpool", _not_checked):
                    unchecked += _time(client, base, headers, runs // 10)
    finally:
        with create_driver(settings) as driver:
            driver.execute_query(DROP_REVOCATIONS, prefix=PREFIX, database_=settings.database)
    with_check, without = statistics.median(checked), statistics.median(unchecked)
    load = os.getloadavg()[0]
    return table(
        ["request (`serviceInfo`, bearer token)", "median ms", "ratio"],
        [
            ["without the revocation check (baseline)", f"{without:.2f}", "1.00"],
            ["with it", f"{with_check:.2f}", f"{with_check / without:.2f}"],
            ["the check's own cost", f"{with_check - without:.2f}", ""],
            ["the lookup alone (driver call, no HTTP)", f"{statistics.median(lookup):.2f}", ""],
        ],
    ) + (
        f"\n\nLoad average {load:.1f} on {os.cpu_count()} cores when it ran. "
        f"{len(checked)} requests each way over one keep-alive connection, with "
        f"{revoked:,} revoked tokens and {revoked:,} revoked subjects in the store. The "
        "check is one read (two unique-constraint lookups) in a worker thread; "
        "`serviceInfo` reads nothing else, so this is the check's largest share of a request."
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--revoked", type=int, default=10_000)
    parser.add_argument("--uri", help="a Neo4j other than the benchmark server")
    parser.add_argument("--password", default="", help="its password (with --uri)")
    args = parser.parse_args()
    if args.uri:
        settings = Neo4jSettings(uri=args.uri, password=SecretStr(args.password))
        body = measure(settings, args.runs, args.revoked)
    else:
        with running_database() as (_, settings):
            body = measure(settings, args.runs, args.revoked)
    write_section("The token revocation check on each request", body)
    print(body)  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
