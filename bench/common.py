"""Shared pieces of the benchmarks: a dedicated Neo4j, fresh stores, and the report file.

Benchmarks never touch the development server: they run their own local server
(``var/neo4j-bench``, port 7695) and wipe its store between runs, unless
``BENCH_NEO4J_URI`` points at another server (which they will also wipe).
"""

from __future__ import annotations

import base64
import os
import platform
import re
import secrets
import shutil
import sqlite3
import statistics
import subprocess
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from neo4j import Driver
from pydantic import SecretStr

from graph.crypto.keystore import (
    DEVELOPMENT_MASTER_KEY,
    KeyStore,
    decode_master,
    get_key_settings,
)
from graph.driver import create_driver
from graph.local_server import LocalServer, LocalServerSettings
from graph.migrations import apply_migrations
from graph.private_files import create_private
from graph.settings import Neo4jSettings

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "benchmarks.md"
PASSWORD = "assetbridge-bench"
# The benchmark APIs' signing secret, made for each run: production refuses a secret
# that does not look generated, and one written here would be published.
SECRET = secrets.token_urlsafe(48)
BENCH_KEYSTORE = ROOT / "var" / "keystore-bench.sqlite3"


def production_keys(keystore: Path = BENCH_KEYSTORE) -> dict[str, str]:
    """The key store settings for a bench API in production mode, used by this process
    from now on as well.

    The bench loads its place in development mode, where people's keys are wrapped with
    the published development master key, which production refuses. So the key store is
    copied and its keys re-wrapped under a master key made for this run; this process
    switches to the copy too, so that people its writers load later open in the API.
    A benchmark running beside another gives its own ``keystore``: re-wrapping the
    other's copy under a new master key would leave the other's API unable to open it."""
    return _production_keys(keystore.resolve())


# One master key per key store per run, however the path was spelt.
@lru_cache(maxsize=2)
def _production_keys(keystore: Path) -> dict[str, str]:
    master = os.urandom(32)
    create_private(keystore)
    kept = get_key_settings().keystore_path
    if kept.exists():
        with (
            closing(sqlite3.connect(kept)) as source,
            closing(sqlite3.connect(keystore)) as copy,
        ):
            source.backup(copy)
    development = decode_master(DEVELOPMENT_MASTER_KEY, "the development master key")
    KeyStore(keystore, master).rotate(development)
    env = {
        "ASSETBRIDGE_MASTER_KEY": base64.b64encode(master).decode(),
        "ASSETBRIDGE_KEYSTORE_PATH": str(keystore),
    }
    os.environ.update(env)
    get_key_settings.cache_clear()
    return env


def bench_server(second: bool = False) -> LocalServer:
    """The benchmark server, or with ``second`` a server of its own (var/neo4j-bench-places,
    port 7696) for a benchmark that wipes its store while others read the first one's."""
    home, port = ("neo4j-bench-places", os.environ.get("BENCH_PLACES_NEO4J_PORT", "7696")) if (
        second
    ) else ("neo4j-bench", os.environ.get("BENCH_NEO4J_PORT", "7695"))  # fmt: skip
    return LocalServer(
        LocalServerSettings(
            home=ROOT / "var" / home,
            port=int(port),
            heap_mb=int(os.environ.get("BENCH_NEO4J_HEAP_MB", "4096")),
            pagecache_mb=int(os.environ.get("BENCH_NEO4J_PAGECACHE_MB", "2048")),
        ),
        "neo4j",
        SecretStr(PASSWORD),
    )


@contextmanager
def fresh_database(second: bool = False) -> Iterator[tuple[Driver, Neo4jSettings]]:
    """An empty, migrated database on the benchmark server, or the ``second`` one (a new
    store each time)."""
    server = bench_server(second)
    server.stop()
    shutil.rmtree(server.settings.home / "data", ignore_errors=True)
    state = server.start()
    settings = Neo4jSettings(uri=state.uri, password=SecretStr(PASSWORD))
    with create_driver(settings) as driver:
        apply_migrations(driver, settings.database)
        yield driver, settings


@contextmanager
def running_database() -> Iterator[tuple[Driver, Neo4jSettings]]:
    """The benchmark server as it is (started if needed), for read benchmarks."""
    state = bench_server().start()
    settings = Neo4jSettings(uri=state.uri, password=SecretStr(PASSWORD))
    with create_driver(settings) as driver:
        yield driver, settings


def stop_server() -> None:
    bench_server().stop()


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    java = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False)
    java_line = (java.stderr or java.stdout).splitlines()[0] if (java.stderr or java.stdout) else ""
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB RAM, "
        f"Python {platform.python_version()}, "
        f"{java_line.strip()}, Neo4j Community 5.26 (local server)"
    )


def write_section(title: str, body: str) -> None:
    """Replace (or add) one ``## title`` section of docs/benchmarks.md, dated."""
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    text = REPORT.read_text() if REPORT.exists() else (
        "# Benchmarks\n\nWritten by `make bench`; every figure is a ratio against a baseline "
        "measured in the same run, on the machine named in each section.\n"
    )  # fmt: skip
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = f"## {title}\n\nRun {stamp} on {machine()}.\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _: section + "\n", text) if pattern.search(text) else (
        text.rstrip() + "\n\n" + section
    )  # fmt: skip
    REPORT.write_text(text.rstrip() + "\n")


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def percentile(samples: list[float], q: int) -> float:
    """The ``q``-th percentile (inclusive method); the one sample, or NaN, when too few."""
    if len(samples) < 2:
        return samples[0] if samples else float("nan")
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]
