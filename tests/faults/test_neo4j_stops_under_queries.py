"""Neo4j stopped while clients keep querying the API: every answer is a success or a
coded UNAVAILABLE error (no 500, no stack trace, no Cypher), /readyz says 503 and
/healthz 200 while it is down, and the same API process serves again once it is back."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from neo4j import Driver

from graph.access import Caller as Operator
from graph.access import Role
from graph.local_server import LocalServer
from graph.services.api_keys import issue_api_key
from graph.settings import Neo4jSettings
from tests.conftest import bearer
from tests.faults.conftest import served_api
from tests.schema.place import load_place

pytestmark = pytest.mark.faults

CLIENTS = 4
# Retried for 2 s, not the default 30, so that answers come while the test waits.
RETRY_S = "2"

QUERIES: dict[str, str] = {
    "organisations": "{ organisations(first: 10) { totalCount edges { node { id name peopleCount } } } }",
    "people": "{ people(first: 10) { edges { node { id stage personal { name } } } } }",
    "referralPaths": '{ referralPaths(from: "Person:p-1", to: "Vacancy:vac-nurse", k: 2) { hops explanation } }',
    "matchingCandidates": '{ matchingCandidates(vacancyId: "Vacancy:vac-nurse", first: 5) { person score } }',
    "brokerageGaps": '{ brokerageGaps(anchorId: "AnchorInstitution:anchor-lth") { candidates linked } }',
}  # fmt: skip
# Words of Cypher or Python internals that must never reach a caller.
LEAKS = ("Traceback", "MATCH (", "RETURN ", "neo4j.exceptions", 'File "')


Caller = int  # an index into the callers' headers


@dataclass(frozen=True)
class Answer:
    phase: str
    query: str
    caller: Caller
    status: int
    body: str

    @property
    def codes(self) -> set[str]:
        try:
            errors: list[dict[str, Any]] = json.loads(self.body).get("errors") or []
        except ValueError:
            return {"not JSON"}
        return {str((e.get("extensions") or {}).get("code")) for e in errors}


def _ask(http: httpx.Client, query: str, headers: dict[str, str]) -> httpx.Response:
    return http.post("/graphql", json={"query": QUERIES[query]}, headers=headers)


class QueryLoad:
    """Clients sending every query as every caller in turn until told to stop; every
    answer is kept, and compared with what the same question got before the fault."""

    def __init__(
        self, base: str, callers: list[dict[str, str]], before: dict[tuple[str, Caller], str]
    ) -> None:
        self.base = base
        self.callers = callers
        self.before = before
        self.phase = "up"
        self.answers: list[Answer] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._client, args=(n,), daemon=True) for n in range(CLIENTS)
        ]

    def __enter__(self) -> QueryLoad:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=120)

    def _client(self, number: int) -> None:
        questions = sorted(self.before)
        with httpx.Client(base_url=self.base, timeout=120) as http:
            turn = number
            while not self._stop.is_set():
                query, caller = questions[turn % len(questions)]
                phase = self.phase
                response = _ask(http, query, self.callers[caller])
                with self._lock:
                    self.answers.append(
                        Answer(phase, query, caller, response.status_code, response.text)
                    )
                turn += 1
                if response.status_code == 503:
                    # As a client should: wait as told, rather than spin against an outage
                    # (and starve the server starting up on this shared machine).
                    self._stop.wait(float(response.headers.get("Retry-After", "1")))

    def as_before(self, answer: Answer) -> bool:
        return answer.status == 200 and answer.body == self.before[answer.query, answer.caller]

    def wait_for(self, phase: str, wanted: str, timeout_s: float = 40) -> None:
        """Until every query has had an answer of the ``wanted`` kind in ``phase``."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if set(QUERIES) <= self.seen(phase, wanted):
                return
            time.sleep(0.2)
        raise AssertionError(f"not every query was answered {wanted} while {phase}: "
                             f"{sorted(self.seen(phase, wanted))}; {self.summary()}")  # fmt: skip

    def summary(self) -> Counter[tuple[str, str, int, tuple[str, ...]]]:
        with self._lock:
            return Counter((a.phase, a.query, a.status, tuple(sorted(a.codes)))
                           for a in self.answers)  # fmt: skip

    def seen(self, phase: str, wanted: str) -> set[str]:
        with self._lock:
            answers = [a for a in self.answers if a.phase == phase]
        if wanted == "as before":
            return {a.query for a in answers if self.as_before(a)}
        return {a.query for a in answers if a.codes == {"UNAVAILABLE"}}


def _poll(http: httpx.Client, path: str, status: int, timeout_s: float = 40) -> httpx.Response:
    deadline = time.monotonic() + timeout_s
    while True:
        response = http.get(path)
        if response.status_code == status or time.monotonic() > deadline:
            return response
        time.sleep(0.3)


def _round(http: httpx.Client, callers: list[dict[str, str]]) -> dict[tuple[str, Caller], str]:
    answers = {}
    for query in QUERIES:
        for caller, headers in enumerate(callers):
            response = _ask(http, query, headers)
            assert response.status_code == 200, response.text
            answers[query, caller] = response.text
    return answers


def test_the_api_answers_unavailable_while_neo4j_is_down_and_recovers_by_itself(
    fault_server: LocalServer, fault_settings: Neo4jSettings, fault_db: Driver, tmp_path: Path
) -> None:
    load_place(fault_db, fault_settings.database, tmp_path)
    # A caseworker signing in with an API key: checking the key needs Neo4j too.
    _, key = issue_api_key(fault_db, fault_settings.database, "faults", Role.CASEWORKER,
                           "org-welcome", caller=Operator("faults", Role.ADMIN))  # fmt: skip
    callers = [bearer(Role.ADMIN), {"X-API-Key": key}, bearer(Role.PLACE_LEADER),
               bearer(Role.CASEWORKER, "org-welcome")]  # fmt: skip

    with (
        served_api(
            fault_settings, tmp_path / "api.log", NEO4J_MAX_TRANSACTION_RETRY_TIME_S=RETRY_S
        ) as base,
        httpx.Client(base_url=base, timeout=60) as http,
    ):
        before = _round(http, callers)
        assert "Person:p-1" in before["people", 1], "the key signs its caseworker in"
        with QueryLoad(base, callers, before) as load:
            load.wait_for("up", "as before")

            load.phase = "stopping"
            fault_server.stop()
            load.phase = "down"
            load.wait_for("down", "UNAVAILABLE")
            ready = _poll(http, "/readyz", 503)
            assert ready.status_code == 503
            assert ready.json()["status"] == "unavailable"
            assert http.get("/healthz").json() == {"status": "ok"}

            load.phase = "restarting"
            fault_server.start()
            load.phase = "back"
            assert _poll(http, "/readyz", 200).status_code == 200
            load.wait_for("back", "as before")
        # The same process, never restarted, answers everything as it did before.
        assert _round(http, callers) == before

    kinds = Counter((a.phase, a.status, tuple(sorted(a.codes))) for a in load.answers)
    for answer in load.answers:
        assert load.as_before(answer) or answer.codes == {"UNAVAILABLE"}, (answer, kinds)
        assert answer.status in (200, 503), (answer, kinds)
        assert not [leak for leak in LEAKS if leak in answer.body], answer
