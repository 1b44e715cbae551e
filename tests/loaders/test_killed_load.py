"""A load killed with SIGKILL half-way, then run again, ends with exactly the full result."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from neo4j import Driver

from graph.settings import Neo4jSettings
from tests.loaders.helpers import graph_counts, load_small_place, write_csv

pytestmark = pytest.mark.faults

PEOPLE = 20_000


def _count_people(driver: Driver, database: str) -> int:
    records, _, _ = driver.execute_query(
        "MATCH (p:Person) RETURN count(p) AS n", database_=database
    )
    return int(records[0]["n"])


def test_rerun_after_sigkill_gives_the_exact_full_result(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    load_small_place(clean_db, db)
    survey = write_csv(
        tmp_path / "people.csv",
        ["id", "name", "stage", "skill_ids", "organisation_ids"],
        [
            [f"p-{i}", f"Person {i}", "engaged", "skill-triage;skill-meds", "org-welcome"]
            for i in range(PEOPLE)
        ],
    )
    env = {
        **os.environ,
        "NEO4J_URI": neo4j_settings.uri,
        "NEO4J_PASSWORD": neo4j_settings.password.get_secret_value(),
    }
    command = [sys.executable, "-m", "assetbridge", "load", "people", str(survey)]
    victim = subprocess.Popen(
        [*command, "--batch-size", "200"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while _count_people(clean_db, db) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    partial = _count_people(clean_db, db)
    assert 0 < partial < PEOPLE, "the kill must land half-way for this test to mean anything"

    rerun = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert rerun.returncode == 0, rerun.stderr
    nodes, rels = graph_counts(clean_db, db)
    assert nodes["Person"] == PEOPLE
    assert nodes["PersonalRecord"] == PEOPLE
    assert rels["HAS_SKILL"] == 2 * PEOPLE
    assert rels["SUPPORTED_BY"] == PEOPLE
    assert rels["HAS_PERSONAL_RECORD"] == PEOPLE
