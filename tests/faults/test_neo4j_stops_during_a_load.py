"""Neo4j stopped in the middle of a load: the loader fails with a message that says
so (no stack trace), and once Neo4j is back a second run leaves exactly the graph a
clean load leaves, nothing missing and nothing twice."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from neo4j import Driver

from graph.local_server import LocalServer
from graph.settings import Neo4jSettings
from tests.conftest import CLEAR_GRAPH
from tests.faults.conftest import subprocess_env
from tests.faults.graph_state import graph_state
from tests.loaders.helpers import load_file, load_small_place, write_csv

pytestmark = pytest.mark.faults

PEOPLE = 2_000
STAGES = ["engaged", "language_training", "accreditation", "placement"]


def _survey(path: Path) -> Path:
    return write_csv(
        path,
        ["id", "name", "email", "nationality", "home_area_id", "ielts_overall", "stage",
         "skill_ids", "organisation_ids"],
        [
            [f"p-{i}", f"Resident {i}", f"resident{i}@example.org", ["Syrian", "Polish"][i % 2],
             "E01011331", f"{4 + (i % 10) / 2}", STAGES[i % 4],
             "skill-triage;skill-meds" if i % 3 else "skill-meds",
             "org-welcome" if i % 2 else "org-welcome;org-english"]
            for i in range(PEOPLE)
        ],
    )  # fmt: skip


def _load_command(survey: Path) -> list[str]:
    return [sys.executable, "-m", "assetbridge", "load", "people", str(survey),
            "--rejects", str(survey.with_suffix(".rejects.csv"))]  # fmt: skip


def _people(driver: Driver, database: str) -> int:
    records, _, _ = driver.execute_query(
        "MATCH (p:Person) RETURN count(p) AS n", database_=database
    )
    return int(records[0]["n"])


def _empty(driver: Driver, database: str) -> None:
    with driver.session(database=database) as session:
        session.run(CLEAR_GRAPH).consume()


def test_a_load_cut_off_by_neo4j_stopping_fails_clearly_and_a_rerun_equals_a_clean_load(
    fault_server: LocalServer, fault_settings: Neo4jSettings, fault_db: Driver, tmp_path: Path
) -> None:
    db = fault_settings.database
    env = subprocess_env(fault_settings)
    survey = _survey(tmp_path / "people.csv")
    command = _load_command(survey)

    # The reference: a clean load into an empty graph.
    load_small_place(fault_db, db)
    clean = load_file(fault_db, db, "people", survey, rejects_path=tmp_path / "clean.rejects.csv")
    assert (clean.rows_loaded, clean.rows_rejected) == (PEOPLE, 0)
    reference = graph_state(fault_db, db)
    assert reference.nodes["Person"] == PEOPLE

    # The same load again into an emptied graph, with Neo4j stopped under it: the
    # loader is paused once its first batches are in, so that the stop lands half-way
    # whatever the speed of the machine, and resumed against a stopped server.
    _empty(fault_db, db)
    load_small_place(fault_db, db)
    victim = subprocess.Popen(
        [*command, "--batch-size", "20"],
        env={**env, "NEO4J_MAX_TRANSACTION_RETRY_TIME_S": "3"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while _people(fault_db, db) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    victim.send_signal(signal.SIGSTOP)
    fault_server.stop()
    victim.send_signal(signal.SIGCONT)
    stdout, stderr = victim.communicate(timeout=180)

    assert victim.returncode == 1, (stdout, stderr)
    assert "Traceback" not in stdout + stderr
    message = " ".join(stderr.split())
    assert message.startswith(f"error: Neo4j at {fault_settings.uri} is not reachable")
    assert "gave up after retrying for 3 s" in message
    assert "run the same command again" in message

    fault_server.start()
    partial = _people(fault_db, db)
    assert 0 < partial < PEOPLE, "the stop must land half-way for this test to mean anything"

    rerun = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert rerun.returncode == 0, rerun.stderr
    after = graph_state(fault_db, db)
    assert after.nodes == reference.nodes
    assert after.relationships == reference.relationships
    assert after.digest == reference.digest
