"""`assetbridge neo4j start|stop|status` as a person runs it, on its own port and home."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from neo4j import GraphDatabase
from pydantic import SecretStr

from graph.local_server.manager import LocalServer, LocalServerSettings

ROOT = Path(__file__).resolve().parents[2]
PORT = 7689
PASSWORD = "cli-test-password"


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.update(
        {
            "ASSETBRIDGE_LOCAL_NEO4J_HOME": str(ROOT / "var" / "neo4j-clitest"),
            "ASSETBRIDGE_LOCAL_NEO4J_PORT": str(PORT),
            "ASSETBRIDGE_LOCAL_NEO4J_HEAP_MB": "768",
            "ASSETBRIDGE_LOCAL_NEO4J_PAGECACHE_MB": "128",
            "NEO4J_PASSWORD": PASSWORD,
            "COLUMNS": "200",
        }
    )
    return subprocess.run(
        [sys.executable, "-m", "assetbridge", "neo4j", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def started() -> Iterator[subprocess.CompletedProcess[str]]:
    result = cli("start")
    try:
        yield result
    finally:
        cli("stop")


def test_start_prints_a_uri_that_answers_with_the_kernel_version(
    started: subprocess.CompletedProcess[str],
) -> None:
    assert started.returncode == 0, started.stderr
    uri = started.stdout.strip().splitlines()[-1]
    assert uri == f"bolt://127.0.0.1:{PORT}"
    with GraphDatabase.driver(uri, auth=("neo4j", PASSWORD)) as driver:
        records, _, _ = driver.execute_query("CALL dbms.components()")
    kernel = [r for r in records if r["name"] == "Neo4j Kernel"]
    assert kernel[0]["versions"] == ["5.26.30"]
    assert kernel[0]["edition"] == "community"


def test_start_again_reuses_the_running_server(started: subprocess.CompletedProcess[str]) -> None:
    again = cli("start")
    assert again.returncode == 0
    assert again.stdout == started.stdout


def test_status_reports_running(started: subprocess.CompletedProcess[str]) -> None:
    result = cli("status")
    assert result.returncode == 0
    assert "running" in result.stdout


def test_stop_ends_only_its_own_process(started: subprocess.CompletedProcess[str]) -> None:
    bystander = subprocess.Popen(["sleep", "60"])  # noqa: S607
    home = ROOT / "var" / "neo4j-clitest"
    real_pid_file = (home / "server.pid").read_text()
    try:
        # A pid file naming some other process must not get that process killed.
        (home / "server.pid").write_text(f'{{"pid": {bystander.pid}, "port": {PORT}}}')
        assert cli("stop").returncode == 0
        assert bystander.poll() is None
    finally:
        bystander.kill()
        bystander.wait()
    (home / "server.pid").write_text(real_pid_file)
    assert cli("stop").returncode == 0
    status = cli("status")
    assert status.returncode == 1
    assert "not running" in status.stdout


def test_servers_preparing_at_once_take_turns(tmp_path: Path) -> None:
    """Two servers starting at once on a fresh clone (the suite and its fault tests) share
    one distribution folder: the second waits for the first's fetch instead of copying
    into the same folder (which failed a clean-clone CI run)."""
    dist = tmp_path / "dist"
    servers = [
        LocalServer(
            LocalServerSettings(home=tmp_path / f"home-{i}", dist=dist, port=7600 + i),
            "neo4j",
            SecretStr(PASSWORD),
        )
        for i in range(3)
    ]
    with ThreadPoolExecutor(len(servers)) as pool:
        classpaths = list(pool.map(lambda server: server.prepare(), servers))
    assert len(set(classpaths)) == 1
    jars = sorted(p.name for p in (dist / "lib").glob("*.jar"))
    assert any(name.startswith("neo4j-kernel-") for name in jars)
