"""Fetch, start, stop and inspect the local Neo4j server.

The server is Neo4j Community's own kernel and Bolt connector, taken from Maven
Central and run by a small Java launcher (``LocalNeo4j.java``) as a separate
process. The jars are cached under the distribution folder, so only the first
start needs the network; Maven's own cache makes even that cheap after a wipe.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, ServiceUnavailable
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["LocalServer", "LocalServerError", "LocalServerSettings", "ServerState"]

_HERE = Path(__file__).resolve().parent
_PROJECT_ROOT = _HERE.parent.parent
_LAUNCHER = _HERE / "LocalNeo4j.java"
_POM = _HERE / "pom.xml"
_LAUNCHER_CLASS = "LocalNeo4j"


class LocalServerError(RuntimeError):
    """A problem a person can act on; the message says what and what to do."""


class LocalServerSettings(BaseSettings):
    """Where and how the local server runs (``ASSETBRIDGE_LOCAL_NEO4J_*``)."""

    model_config = SettingsConfigDict(
        env_prefix="ASSETBRIDGE_LOCAL_NEO4J_", env_file=".env", extra="ignore"
    )

    home: Path = _PROJECT_ROOT / "var" / "neo4j"
    dist: Path = _PROJECT_ROOT / "var" / "neo4j-dist"
    host: str = "127.0.0.1"
    port: int = 7687
    heap_mb: int = 2048
    pagecache_mb: int = 1024
    java_home: Path | None = None
    start_timeout_s: float = 180.0


@dataclass(frozen=True)
class ServerState:
    running: bool
    uri: str
    pid: int | None = None
    detail: str = ""


class LocalServer:
    """One local server instance: its home (data, logs, pid file) and its port."""

    def __init__(self, settings: LocalServerSettings, user: str, password: SecretStr) -> None:
        self.settings = settings
        self.user = user
        self._password = password

    @property
    def uri(self) -> str:
        return f"bolt://{self.settings.host}:{self.settings.port}"

    @property
    def pid_file(self) -> Path:
        return self.settings.home / "server.pid"

    @property
    def ready_file(self) -> Path:
        return self.settings.home / "ready"

    @property
    def log_file(self) -> Path:
        return self.settings.home / "logs" / "server.out"

    # -- public operations -------------------------------------------------

    def status(self) -> ServerState:
        """Whether the server this home started is alive and answering Bolt."""
        pid = self._live_pid()
        if pid is None:
            return ServerState(False, self.uri, detail="not running")
        if self.ready_file.exists() and self._bolt_answers():
            return ServerState(True, self.uri, pid, "running")
        return ServerState(False, self.uri, pid, "process alive but not ready yet")

    def start(self) -> ServerState:
        """Start the server unless it already runs; return once Bolt answers."""
        state = self.status()
        if state.running:
            return state
        if state.pid is not None:
            # Our process is still starting up (or hung): wait for it rather than start another.
            return self._wait_until_ready(state.pid)
        if _port_in_use(self.settings.host, self.settings.port):
            raise LocalServerError(
                f"port {self.settings.port} on {self.settings.host} is in use by another process; "
                "stop it or set ASSETBRIDGE_LOCAL_NEO4J_PORT to a free port"
            )
        classpath = self.prepare()
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        env["ASSETBRIDGE_LOCAL_NEO4J_PASSWORD"] = self._password.get_secret_value()
        command = [
            str(self._java("java")),
            f"-Xmx{self.settings.heap_mb}m",
            "-XX:+UseG1GC",
            "-cp",
            classpath,
            _LAUNCHER_CLASS,
            "--home",
            str(self.settings.home / "data"),
            "--host",
            self.settings.host,
            "--port",
            str(self.settings.port),
            "--user",
            self.user,
            "--pagecache-mb",
            str(self.settings.pagecache_mb),
            "--ready-file",
            str(self.ready_file),
        ]
        self.ready_file.unlink(missing_ok=True)
        with self.log_file.open("wb") as log:
            process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                start_new_session=True,
            )
        self.pid_file.write_text(
            json.dumps({"pid": process.pid, "port": self.settings.port, "started": time.time()})
        )
        return self._wait_until_ready(process.pid)

    def stop(self, timeout_s: float = 60.0) -> ServerState:
        """Stop only the process this home started (by its pid file)."""
        pid = self._live_pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return ServerState(False, self.uri, detail="was not running")
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.2)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
            _wait_gone(pid, 10.0)
        self.pid_file.unlink(missing_ok=True)
        self.ready_file.unlink(missing_ok=True)
        return ServerState(False, self.uri, pid, "stopped")

    def prepare(self) -> str:
        """Fetch the jars (once) and compile the launcher (once); return the classpath.

        Servers on other ports share the distribution: several starting at once (the
        test suite and its fault tests, on a fresh clone) take turns, so the second finds
        it complete rather than fetching into the same folder."""
        self.settings.dist.mkdir(parents=True, exist_ok=True)
        with open(self.settings.dist / ".prepare.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            return self._prepare()

    def _prepare(self) -> str:
        lib = self.settings.dist / "lib"
        marker = lib / ".complete"
        pom_digest = _digest(_POM)
        if not marker.exists() or marker.read_text() != pom_digest:
            self._fetch_jars(lib)
            marker.write_text(pom_digest)
        classes = self.settings.dist / "classes"
        class_marker = classes / ".source-digest"
        source_digest = _digest(_LAUNCHER)
        if not class_marker.exists() or class_marker.read_text() != source_digest:
            classes.mkdir(parents=True, exist_ok=True)
            _run(
                [str(self._java("javac")), "-cp", f"{lib}/*", "-d", str(classes), str(_LAUNCHER)],
                "compiling the launcher",
            )
            class_marker.write_text(source_digest)
        return f"{classes}{os.pathsep}{lib}/*"

    # -- helpers -------------------------------------------------------------

    def _fetch_jars(self, lib: Path) -> None:
        mvn = shutil.which("mvn")
        if mvn is None:
            raise LocalServerError(
                "Maven (mvn) is needed to fetch Neo4j from Maven Central; install it "
                "(apt-get install maven) or point NEO4J_URI at a running Neo4j"
            )
        if lib.exists():
            shutil.rmtree(lib)
        lib.mkdir(parents=True)
        _run(
            [
                mvn,
                "-B",
                "-q",
                "-f",
                str(_POM),
                "dependency:copy-dependencies",
                f"-DoutputDirectory={lib}",
                "-DincludeScope=runtime",
            ],
            "fetching Neo4j Community from Maven Central",
        )

    def _java(self, tool: str) -> Path:
        if self.settings.java_home is not None:
            return self.settings.java_home / "bin" / tool
        found = shutil.which(tool)
        if found is None:
            raise LocalServerError(
                f"{tool} was not found; install JDK 17 or 21, "
                "or set ASSETBRIDGE_LOCAL_NEO4J_JAVA_HOME"
            )
        return Path(found)

    def _live_pid(self) -> int | None:
        try:
            pid = int(json.loads(self.pid_file.read_text())["pid"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not _alive(pid):
            return None
        # A recycled pid that now belongs to something else is not ours to signal.
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            return None
        home = str(self.settings.home / "data").encode()
        if _LAUNCHER_CLASS.encode() in cmdline and home in cmdline:
            return pid
        return None

    def _bolt_answers(self) -> bool:
        try:
            with GraphDatabase.driver(
                self.uri,
                auth=(self.user, self._password.get_secret_value()),
                connection_timeout=2.0,
            ) as driver:
                driver.verify_connectivity()
        except AuthError as exc:
            raise LocalServerError(
                f"the local server at {self.uri} refused user {self.user!r}: its store was made "
                f"with another password; set NEO4J_PASSWORD to that one or remove "
                f"{self.settings.home} to start afresh"
            ) from exc
        except (ServiceUnavailable, OSError):
            return False
        return True

    def _wait_until_ready(self, pid: int) -> ServerState:
        deadline = time.monotonic() + self.settings.start_timeout_s
        while time.monotonic() < deadline:
            if not _alive(pid):
                self.pid_file.unlink(missing_ok=True)
                raise LocalServerError(
                    f"Neo4j exited during start-up; the last lines of {self.log_file}:\n"
                    + _tail(self.log_file)
                )
            if self.ready_file.exists() and self._bolt_answers():
                return ServerState(True, self.uri, pid, "running")
            time.sleep(0.5)
        raise LocalServerError(
            f"Neo4j did not answer on {self.uri} within {self.settings.start_timeout_s:.0f} s; "
            f"see {self.log_file}"
        )


def _run(command: list[str], what: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip().splitlines()[-20:]
        raise LocalServerError(f"{what} failed (exit {result.returncode}):\n" + "\n".join(output))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child still answers kill(0); treat it as gone.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _wait_gone(pid: int, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.1)


def _port_in_use(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        return sock.connect_ex((host, port)) == 0


def _tail(path: Path, lines: int = 15) -> str:
    """The last lines of the log, without Java stack frames (the messages are what help)."""
    try:
        text = path.read_text(errors="replace").splitlines()
    except OSError:
        return "(no log written)"
    kept = [line for line in text if not line.lstrip().startswith(("at ", "... "))]
    return "\n".join(kept[-lines:])
