"""No credential reaches a log: the real `assetbridge serve` (uvicorn's access log on) is
sent tokens and keys the ways a browser or a client might send them, and its whole
output is searched for them afterwards."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from neo4j import Driver

from api.auth import get_auth_settings, issue_token
from api.log_redaction import REDACTED, install_log_redaction, redact
from graph.access import Role
from graph.settings import Neo4jSettings

# Bounds on waiting for the server to start and to answer (the first GraphQL request on
# a busy machine takes seconds), not measures of speed.
START_WAIT_S = 120
ANSWER_WAIT_S = 60


@contextmanager
def served(settings: Neo4jSettings, log: Path) -> Iterator[str]:
    """`assetbridge serve` in development mode on a free port, its output into ``log``."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "NEO4J_URI": settings.uri,
        "NEO4J_USER": settings.user,
        "NEO4J_PASSWORD": settings.password.get_secret_value(),
        "NEO4J_DATABASE": settings.database,
        "ASSETBRIDGE_API_ENVIRONMENT": "development",
    }
    base = f"http://127.0.0.1:{port}"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "assetbridge", "serve", "--host", "127.0.0.1",
             "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + START_WAIT_S
            while True:
                assert server.poll() is None, log.read_text()
                try:
                    if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=60)


def test_the_access_log_never_holds_a_token_or_key(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    token = issue_token(get_auth_settings(), "leader", Role.PLACE_LEADER)
    other = issue_token(get_auth_settings(), "analyst", Role.ANALYST)
    api_key = "ab_" + "k" * 43
    # A JWT's payload and signature pass through percent-encoding unchanged, so finding
    # neither means no encoding of the token reached the log.
    secrets = [token, other, api_key, "SECRET-ACCESS", "SECRET-KEY", "SECRET-PASSWORD",
               *token.split(".")[1:], "k" * 43, "hunter2"]  # fmt: skip
    log = tmp_path / "serve.log"
    with served(neo4j_settings, log) as base:
        # The old way of opening the page: the token in the query string.
        assert httpx.get(f"{base}/explore?token={token}", timeout=ANSWER_WAIT_S).status_code == 200
        assert (
            httpx.get(
                f"{base}/explore?anchor=a&access_token=SECRET-ACCESS&api_key=SECRET-KEY"
                "&Password=SECRET-PASSWORD",
                timeout=ANSWER_WAIT_S,
            ).status_code
            == 200
        )
        answer = httpx.post(
            f"{base}/graphql",
            json={"query": "{ areas(first: 1) { totalCount } }"},
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            timeout=ANSWER_WAIT_S,
        )
        assert answer.json() == {"data": {"areas": {"totalCount": 0}}}
        refused = httpx.post(
            f"{base}/graphql?key={other}",
            json={"query": "{ areas(first: 1) { totalCount } }"},
            headers={"X-API-Key": api_key, "Accept": "application/json"},
            timeout=ANSWER_WAIT_S,
        )
        assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        # The outside probe of issue 13 (F4): encoded so that no rule on the raw text saw it.
        for probe in _encoded_probes(token, api_key):
            httpx.get(f"{base}{probe}", timeout=ANSWER_WAIT_S)
    text = log.read_text()
    assert [s for s in secrets if s in text] == []
    # The access log was on and every request is in it, with the values taken out.
    assert f'"GET /explore?token={REDACTED} HTTP/1.1" 200' in text
    assert f"access_token={REDACTED}&api_key={REDACTED}&Password={REDACTED}" in text
    assert '"POST /graphql HTTP/1.1" 200' in text
    assert f'"POST /graphql?key={REDACTED} HTTP/1.1" 200' in text
    for line in (
        f"/explore?next={REDACTED}",
        f"/graphql?operationName=Areas&authorization_header={REDACTED}",
        f"/explore?x={REDACTED}",
        f"/explore?k={REDACTED}",
        f"/explore?pwd={REDACTED}",
        f"/explore/{REDACTED}",
    ):
        assert f'"GET {line} HTTP/1.1"' in text


def _encoded_probes(token: str, api_key: str) -> list[str]:
    return [
        f"/explore?next=%2Fexplore%3Ftoken%3D{token}",
        f"/graphql?operationName=Areas&authorization_header=Bearer%20{token}",
        f"/explore?x={token.replace('.', '%2E')}",
        f"/explore?k=ab%5F{api_key.removeprefix('ab_')}",
        "/explore?pwd=hunter2",
        f"/explore/{token.replace('.', '%252E')}",
    ]


def test_our_own_loggers_redact_before_any_handler(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_log_redaction()
    token = issue_token(get_auth_settings(), "leader", Role.PLACE_LEADER)
    # An app served earlier in the session leaves uvicorn's loggers configured its own way
    # (not propagating, or above INFO); this test is about the filter, not that set-up.
    monkeypatch.setattr(logging.getLogger("uvicorn.error"), "propagate", True)
    with caplog.at_level(logging.INFO), caplog.at_level(logging.INFO, logger="uvicorn.error"):
        logging.getLogger("assetbridge.api").warning("refused %s with %s", "/explore", token)
        logging.getLogger("assetbridge.graphql").info("headers: {'authorization': 'Bearer %s'}",
                                                      token)  # fmt: skip
        logging.getLogger("uvicorn.error").info("X-API-Key: ab_%s", "z" * 40)
    assert token not in caplog.text
    assert "z" * 40 not in caplog.text
    assert caplog.text.count(REDACTED) == 3


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/explore?token=abc", "/explore?token=[redacted]"),
        ("/x?a=1&ACCESS_TOKEN=abc&b=2", "/x?a=[redacted]&ACCESS_TOKEN=[redacted]&b=[redacted]"),
        ("/x?api-key=abc;key=def", "/x?api-key=[redacted];key=[redacted]"),
        # Only the allow-listed parameters keep their values, whatever the others' names.
        ("/x?client_secret=s&monkey=banana", "/x?client_secret=[redacted]&monkey=[redacted]"),
        ("/x?id_token=a#frag", "/x?id_token=[redacted]#[redacted]"),
        ("/x?hunter2&anchor=a", "/x?[redacted]&anchor=a"),
        ("/x?anchor=eyJh.eyJz.c2ln", "/x?anchor=[redacted]"),
        ("/x?%74oken%3D=1", "/x?[redacted]"),
        ("Authorization: Basic dXNlcjpwYXNz", "Authorization: Basic [redacted]"),
        ('{"authorization": "secret-value"}', '{"authorization": "[redacted]"}'),
        ("x-api-key=ab_0123456789abcdefghij", "x-api-key=[redacted]"),
        (
            "/explore?anchor=AnchorInstitution:anchor-trust",
            "/explore?anchor=AnchorInstitution:anchor-trust",
        ),
    ],
)
def test_redact(line: str, expected: str) -> None:
    assert redact(line) == expected


JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsZWFkZXIifQ.c2lnbmF0dXJl"
KEY = "ab_" + "q" * 43


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # The outside probe of issue 13 (F4), each of which put the whole JWT in the log.
        (f"GET /explore?next=%2Fexplore%3Ftoken%3D{JWT} HTTP/1.1",
         "GET /explore?next=[redacted] HTTP/1.1"),
        (f"GET /graphql?operationName=A&authorization_header=Bearer%20{JWT} HTTP/1.1",
         "GET /graphql?operationName=A&authorization_header=[redacted] HTTP/1.1"),
        (f"GET /x?x={JWT.replace('.', '%2E')} HTTP/1.1", "GET /x?x=[redacted] HTTP/1.1"),
        (f"GET /x?k=ab%5F{KEY[3:]} HTTP/1.1", "GET /x?k=[redacted] HTTP/1.1"),
        ("GET /x?pwd=hunter2 HTTP/1.1", "GET /x?pwd=[redacted] HTTP/1.1"),
        # Outside a query: in a path, encoded twice, right after other text.
        (f"GET /p/{JWT.replace('.', '%252E')}/q HTTP/1.1", "GET /p/[redacted]/q HTTP/1.1"),
        (f"refused token{JWT} and Bearer%20{JWT}", "refused token[redacted] and [redacted]"),
        (f"sent X{KEY}", "sent X[redacted]"),
        ("retry with pwd=hunter2", "retry with pwd=[redacted]"),
        ("nested %" + "25" * 9 + "41", "nested [redacted]"),
    ],
)  # fmt: skip
def test_redact_sees_through_percent_encoding(line: str, expected: str) -> None:
    assert redact(line) == expected
    assert redact(expected) == expected
