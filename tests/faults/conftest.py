"""A Neo4j server of the fault tests' own, which they stop and start under the code.

Never the session server the other tests share: stopping that would fail them.
Its port is ``ASSETBRIDGE_FAULTS_NEO4J_PORT``, by default the session server's port
plus 43 (7731 beside the default 7688), so that runs given different ports do not
stop each other's; its store is ``var/neo4j-test-<port>``.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from neo4j import Driver
from pydantic import SecretStr

from graph.driver import create_driver
from graph.local_server import LocalServer
from graph.migrations import apply_migrations
from graph.settings import Neo4jSettings
from tests.conftest import CLEAR_GRAPH
from tests.neo4j_server import TEST_PASSWORD, make_local_server

FAULTS_PORT = int(
    os.environ.get("ASSETBRIDGE_FAULTS_NEO4J_PORT")
    or int(os.environ.get("ASSETBRIDGE_TEST_NEO4J_PORT", "7688")) + 43
)


@pytest.fixture(scope="session")
def fault_server() -> Iterator[LocalServer]:
    server = make_local_server(FAULTS_PORT)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def fault_settings(fault_server: LocalServer) -> Neo4jSettings:
    # A test that failed half-way may have left it stopped.
    fault_server.start()
    return Neo4jSettings(uri=fault_server.uri, password=SecretStr(TEST_PASSWORD))


@pytest.fixture
def fault_db(fault_settings: Neo4jSettings) -> Iterator[Driver]:
    """An empty, migrated graph on the fault server, and a driver to it."""
    with create_driver(fault_settings) as driver:
        apply_migrations(driver, fault_settings.database)
        with driver.session(database=fault_settings.database) as session:
            session.run(CLEAR_GRAPH).consume()
        yield driver


def subprocess_env(settings: Neo4jSettings, **extra: str) -> dict[str, str]:
    """The environment for an ``assetbridge`` command pointed at ``settings``."""
    return {
        **os.environ,
        "NEO4J_URI": settings.uri,
        "NEO4J_PASSWORD": settings.password.get_secret_value(),
        **extra,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def served_api(settings: Neo4jSettings, log: Path, **env: str) -> Iterator[str]:
    """The API under uvicorn in its own process, as in service; yields its base URL.
    Its log goes to ``log``."""
    port = free_port()
    command = [sys.executable, "-m", "assetbridge", "serve", "--host", "127.0.0.1",
               "--port", str(port)]  # fmt: skip
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, env=subprocess_env(settings, **env), stdout=output, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/readyz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert process.poll() is None, "the API exited during start-up"
            time.sleep(0.3)
        else:
            raise AssertionError("the API did not become ready within 60 s")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
