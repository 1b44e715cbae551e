"""The committed SDL (schema.graphql) is the built schema, for clients' code generators
and for reviewing schema changes (issue 16). Refresh it with `make schema`."""

from __future__ import annotations

from pathlib import Path

from schema import build_schema

SDL = Path(__file__).resolve().parent.parent.parent / "schema.graphql"


def test_the_committed_sdl_is_the_built_schema() -> None:
    built = build_schema().as_str() + "\n"
    assert SDL.read_text(encoding="utf-8") == built, "the schema changed: run `make schema`"
