from __future__ import annotations

from pathlib import Path

from loaders.format_docs import render_format_docs

ROOT = Path(__file__).resolve().parents[2]


def test_docs_match_the_row_models() -> None:
    stale = [
        relative
        for relative, text in render_format_docs().items()
        if not (ROOT / relative).exists() or (ROOT / relative).read_text(encoding="utf-8") != text
    ]
    assert stale == [], "run `.venv/bin/python scripts/export_formats.py` and commit the result"


def test_every_table_format_is_documented_with_its_columns() -> None:
    text = render_format_docs()["docs/formats.md"]
    assert "## `people`" in text
    assert "| `date_of_birth` | string (date) |" in text
    assert (
        "| `kind` | one of `lsoa`, `ward`, `local_authority`, `postcode_district` | yes |" in text
    )
