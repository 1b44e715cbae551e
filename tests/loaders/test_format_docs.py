from __future__ import annotations

import re
from pathlib import Path

from loaders.format_docs import render_format_docs
from loaders.registry import default_rejects_path

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


def test_the_documented_reject_file_name_is_the_one_written(tmp_path: Path) -> None:
    """Issue 16: the docs said `<file>.rejects.csv` while the loader wrote
    `<stem>.rejects.csv`. Every example name in the docs must be what the loader writes."""
    text = render_format_docs()["docs/formats.md"]
    examples = re.findall(r"`([\w/.]+)` rejects to\s+`([\w.]+)`", text)
    assert len(examples) == 2
    for source, written in examples:
        path = tmp_path / source.rstrip("/")
        if source.endswith("/"):
            path.mkdir()
        assert default_rejects_path(path) == tmp_path / written
