"""Neo4j killed (SIGKILL, no clean shutdown) while the hub's writes run: after its
recovery every change has its audit event and every event its change, because a
write and its audit record are one transaction (finding 5)."""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from neo4j import Driver

from graph.access import Caller, Role
from graph.driver import create_driver
from graph.local_server import LocalServer
from graph.models.anchors import Vacancy
from graph.models.paths import NodeKey
from graph.models.people import ReadinessStage
from graph.services.audit_chain import verify_chain
from graph.services.hub_actions import (
    close_vacancy,
    move_person_stage,
    open_vacancy,
    record_referral,
)
from graph.settings import Neo4jSettings
from graph.vocabulary import Label
from tests.schema.place import load_place

pytestmark = pytest.mark.faults

# Writers on each kind of write: referrals are counted exactly, so most write them.
KILLS = 2
ADMIN = Caller("fault-admin", Role.ADMIN)
WELCOME = Caller("fault-welcome", Role.CASEWORKER, "org-welcome")
HUB = Caller("fault-hub", Role.CASEWORKER, "dept-hub")
WELCOME_ORG = NodeKey(label=Label.COMMUNITY_ORGANISATION, id="org-welcome")
HUB_DEPT = NodeKey(label=Label.DEPARTMENT, id="dept-hub")
ON = date(2030, 1, 1)  # after every stage in the place, so every move is allowed

REFERRAL_COUNT = """
MATCH (:CommunityOrganisation {id: 'org-welcome'})-[r:REFERS_TO]->(:Department {id: 'dept-hub'})
RETURN r.count AS n
"""
STAGES = "MATCH (p:Person {id: 'p-1'}) RETURN size(p.stage_names) AS n"
VACANCY = "MATCH (v:Vacancy {id: 'vac-hca'}) RETURN v.status AS status"
EVENTS = """
MATCH (e:AuditEvent)
WHERE e.operation IN ['record_referral', 'move_person_stage', 'open_vacancy', 'close_vacancy']
RETURN e.operation AS op, e.detail AS detail
ORDER BY e.seq
"""


def _value(driver: Driver, database: str, query: str) -> object:
    return driver.execute_query(query, database_=database).records[0][0]


def _writes(driver: Driver, db: str) -> list[tuple[str, Callable[[int], object]]]:
    hca = Vacancy(id="vac-hca", title="Healthcare assistant", anchor_id="anchor-lth")
    stages = list(ReadinessStage)
    refer = (
        "record_referral",
        lambda _i: record_referral(driver, db, WELCOME, WELCOME_ORG, HUB_DEPT),
    )
    return [
        refer, refer, refer,
        ("move_person_stage",
         lambda i: move_person_stage(driver, db, ADMIN, "p-1", stages[i % len(stages)], ON)),
        ("open_vacancy", lambda _i: open_vacancy(driver, db, HUB, hca, given={"id", "title"})),
        ("close_vacancy", lambda _i: close_vacancy(driver, db, HUB, "vac-hca")),
    ]  # fmt: skip


class Writers:
    """A thread for each write, making it again and again until told to stop; counts
    what each was told (a success, or an error)."""

    def __init__(self, writes: list[tuple[str, Callable[[int], object]]]) -> None:
        self.done = threading.Event()
        self.lock = threading.Lock()
        self.succeeded: Counter[str] = Counter()
        self.failed: Counter[str] = Counter()
        self.threads = [threading.Thread(target=self._run, args=(w,)) for w in writes]

    def _run(self, write_of: tuple[str, Callable[[int], object]]) -> None:
        operation, write = write_of
        i = 0
        while not self.done.is_set():
            try:
                write(i)
                outcome = self.succeeded
            except Exception:  # noqa: BLE001 - any failure while Neo4j is down is expected
                outcome = self.failed
                time.sleep(0.1)
            with self.lock:
                outcome[operation] += 1
            i += 1

    def total(self) -> int:
        with self.lock:
            return sum(self.succeeded.values())

    def wait_for(self, successes: int, timeout_s: float = 120.0) -> None:
        deadline = time.monotonic() + timeout_s
        while self.total() < successes:
            assert time.monotonic() < deadline, "the writers made no progress"
            time.sleep(0.05)


def test_every_change_has_its_audit_event_after_neo4j_is_killed_mid_write(
    fault_server: LocalServer, fault_settings: Neo4jSettings, fault_db: Driver, tmp_path: Path
) -> None:
    db = fault_settings.database
    load_place(fault_db, db, tmp_path)
    referrals_before = int(_value(fault_db, db, REFERRAL_COUNT))  # type: ignore[call-overload]
    stages_before = int(_value(fault_db, db, STAGES))  # type: ignore[call-overload]

    settings = fault_settings.model_copy(update={"max_transaction_retry_time_s": 1.0})
    with create_driver(settings) as driver:
        writers = Writers(_writes(driver, db))
        for thread in writers.threads:
            thread.start()
        try:
            for _ in range(KILLS):
                writers.wait_for(writers.total() + 40)
                pid = fault_server.status().pid
                assert pid is not None
                os.kill(pid, signal.SIGKILL)  # our own test server: no clean shutdown
                time.sleep(2)
                fault_server.start()
            writers.wait_for(writers.total() + 40)
        finally:
            writers.done.set()
            for thread in writers.threads:
                thread.join(timeout=120)

    assert sum(writers.failed.values()) > 0, "the kill must land while writes run"
    events = [r.data() for r in fault_db.execute_query(EVENTS, database_=db).records]
    audited = Counter(str(event["op"]) for event in events)
    # Every change has its event, and every event its change.
    referrals = int(_value(fault_db, db, REFERRAL_COUNT))  # type: ignore[call-overload]
    assert referrals - referrals_before == audited["record_referral"]
    counted = [
        int(re.fullmatch(r"from=\S+ to=\S+ count=(\d+)", str(e["detail"])).group(1))  # type: ignore[union-attr]
        for e in events
        if e["op"] == "record_referral"
    ]
    assert sorted(counted) == list(range(referrals_before + 1, referrals + 1))
    stages = int(_value(fault_db, db, STAGES))  # type: ignore[call-overload]
    assert stages - stages_before == audited["move_person_stage"]
    last_vacancy_event = [e["op"] for e in events if str(e["op"]).endswith("_vacancy")][-1]
    expected = "open" if last_vacancy_event == "open_vacancy" else "closed"
    assert _value(fault_db, db, VACANCY) == expected
    # A write whose answer was lost with the server may have committed: never fewer.
    for operation, told in writers.succeeded.items():
        assert audited[operation] >= told, operation
    assert verify_chain(fault_db, db).intact
