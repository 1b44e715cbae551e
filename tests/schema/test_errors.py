"""Errors carry a code; the unexpected ones are masked, and nothing of the
server's insides (a stack trace, Cypher, bad data) reaches the caller."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Callable, Iterator

import strawberry
from neo4j import Driver
from pydantic import SecretStr
from strawberry.extensions import SchemaExtension

from graph.driver import create_driver
from graph.settings import Neo4jSettings
from schema.errors import INTERNAL_MESSAGE, UNAVAILABLE_MESSAGE, ErrorCodes, Schema
from tests.schema.place import run


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _assert_nothing_leaks(body: dict[str, object], *secrets: str) -> None:
    text = json.dumps(body)
    for leak in ("Traceback", "MATCH", "UNWIND", "neo4j", 'File "', *secrets):
        assert leak not in text, leak


def test_an_unexpected_error_is_masked_as_internal(
    clean_db: Driver, neo4j_settings: Neo4jSettings
) -> None:
    # A node no loader would write: its kind is not an AreaKind, so reading it fails.
    clean_db.execute_query(
        "CREATE (:Area {id: 'E00000001', name: 'Nowhere', kind: 'galaxy'})",
        database_=neo4j_settings.database,
    )
    body = run(clean_db, neo4j_settings, "{ areas { edges { node { name } } } }")
    assert body == {
        "data": None,
        "errors": [
            {
                "message": "Internal server error.",
                "locations": [{"line": 1, "column": 3}],
                "path": ["areas"],
                "extensions": {"code": "INTERNAL"},
            }
        ],
    }
    _assert_nothing_leaks(body, "galaxy", "ValidationError", "AreaKind")


def test_an_unreachable_database_is_unavailable(neo4j_settings: Neo4jSettings) -> None:
    settings = Neo4jSettings(
        uri=f"bolt://127.0.0.1:{_free_port()}",
        password=SecretStr("unused"),
        connection_timeout_s=1.0,
    )
    with create_driver(settings) as driver:
        body = run(driver, settings, '{ node(id: "Area:E08000035") { id } }')
    assert body == {
        "data": {"node": None},
        "errors": [
            {
                "message": "The graph database cannot be reached just now; try again shortly.",
                "locations": [{"line": 1, "column": 3}],
                "path": ["node"],
                "extensions": {"code": "UNAVAILABLE"},
            }
        ],
    }
    _assert_nothing_leaks(body, "127.0.0.1")


def test_request_errors_have_codes(clean_db: Driver, neo4j_settings: Neo4jSettings) -> None:
    cases = {
        "{ areas { ": "GRAPHQL_PARSE_FAILED",
        "{ areas { nope } }": "GRAPHQL_VALIDATION_FAILED",
        "{ people { edges { node { name email } } } }": "GRAPHQL_VALIDATION_FAILED",
    }
    for query, code in cases.items():
        body = run(clean_db, neo4j_settings, query)
        assert body["data"] is None
        assert {error["extensions"]["code"] for error in body["errors"]} == {code}, query
        _assert_nothing_leaks(body)


def _schema_whose_extension_meets(failure: Callable[[], None]) -> Schema:
    """A schema of one field whose extension, after the field has run, calls ``failure``:
    as the people guard does when it checks an answer and Neo4j has just gone."""

    class ChecksTheAnswer(SchemaExtension):
        def on_execute(self) -> Iterator[None]:
            yield
            failure()

    @strawberry.type
    class Query:
        @strawberry.field
        def ping(self) -> str:
            return "pong"

    return Schema(query=Query, extensions=[ErrorCodes, ChecksTheAnswer])


def test_an_extension_meeting_a_gone_database_answers_unavailable() -> None:
    # A real driver to a port nobody listens on: the error Neo4j stopping gives.
    settings = Neo4jSettings(
        uri=f"bolt://127.0.0.1:{_free_port()}",
        password=SecretStr("unused"),
        connection_timeout_s=1.0,
    )
    with create_driver(settings) as driver:
        schema = _schema_whose_extension_meets(driver.verify_connectivity)
        result = asyncio.run(schema.execute("{ ping }"))
        sync_result = schema.execute_sync("{ ping }")
    for answer in (result, sync_result):
        assert answer.data is None
        assert [(e.message, (e.extensions or {}).get("code")) for e in answer.errors or []] == [
            (UNAVAILABLE_MESSAGE, "UNAVAILABLE")
        ]


def test_an_extension_failing_otherwise_is_masked_as_internal() -> None:
    def broken() -> None:
        raise RuntimeError("MATCH (p:Person) secret detail")

    result = asyncio.run(_schema_whose_extension_meets(broken).execute("{ ping }"))
    assert [(e.message, (e.extensions or {}).get("code")) for e in result.errors or []] == [
        (INTERNAL_MESSAGE, "INTERNAL")
    ]
