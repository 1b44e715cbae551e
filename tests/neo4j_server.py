"""Finds a real Neo4j for the suite: NEO4J_URI, else Docker, else the local server.

There is no fallback to a fake: when none of the three gives a database, the
suite fails loudly with the reason from each.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from pydantic import SecretStr

from graph.local_server import LocalServer, LocalServerError, LocalServerSettings
from graph.settings import Neo4jSettings

NEO4J_IMAGE = "neo4j:5.26.30-community"
TEST_PASSWORD = "assetbridge-test"
_ROOT = Path(__file__).resolve().parent.parent


def _docker_engine_answers() -> bool:
    try:
        import docker  # noqa: PLC0415 - only needed when probing for an engine

        client = docker.from_env(timeout=3)
        client.ping()
    except Exception:  # noqa: BLE001 - any failure means "no engine here"
        return False
    return True


def make_local_server(port: int) -> LocalServer:
    return LocalServer(
        LocalServerSettings(
            home=_ROOT / "var" / f"neo4j-test-{port}",
            port=port,
            heap_mb=1024,
            pagecache_mb=256,
        ),
        "neo4j",
        SecretStr(TEST_PASSWORD),
    )


@contextlib.contextmanager
def real_neo4j() -> Iterator[Neo4jSettings]:
    if os.environ.get("NEO4J_URI"):
        yield Neo4jSettings()
        return
    if _docker_engine_answers():
        from testcontainers.neo4j import Neo4jContainer  # noqa: PLC0415

        with Neo4jContainer(NEO4J_IMAGE, password=TEST_PASSWORD) as container:
            yield Neo4jSettings(
                uri=container.get_connection_url(), password=SecretStr(TEST_PASSWORD)
            )
        return
    port = int(os.environ.get("ASSETBRIDGE_TEST_NEO4J_PORT", "7688"))
    server = make_local_server(port)
    was_running = server.status().running
    try:
        state = server.start()
    except LocalServerError as exc:
        raise RuntimeError(
            "No Neo4j for the tests: NEO4J_URI is not set, no Docker engine answers, "
            f"and the local server would not start: {exc}"
        ) from exc
    try:
        yield Neo4jSettings(uri=state.uri, password=SecretStr(TEST_PASSWORD))
    finally:
        if not was_running:
            server.stop()
