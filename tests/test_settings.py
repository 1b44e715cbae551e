from __future__ import annotations

import pytest
from pydantic import ValidationError

from graph.settings import Neo4jSettings


@pytest.mark.parametrize(
    "uri", ["bolt://127.0.0.1:7687", "neo4j://db:7687", "neo4j+s://abc.databases.neo4j.io"]
)
def test_bolt_and_routing_uris_are_accepted(uri: str) -> None:
    assert Neo4jSettings(uri=uri).uri == uri


@pytest.mark.parametrize("uri", ["http://127.0.0.1:7474", "127.0.0.1:7687"])
def test_other_uris_are_refused_with_the_field_named(uri: str) -> None:
    with pytest.raises(ValidationError, match="NEO4J_URI"):
        Neo4jSettings(uri=uri)


def test_password_is_not_shown_in_repr() -> None:
    assert "s3cret-pass" not in repr(Neo4jSettings(password="s3cret-pass"))
