"""Files read in bounded memory, and files too large to read refused by name, at once."""

from __future__ import annotations

import tracemalloc
import zipfile
from pathlib import Path

import pytest

from loaders.reading import MAX_COLUMNS, MAX_GEOJSON, MAX_LINE, SourceError, read_table

HEADER = "id,name,stage,skill_ids\n"


def _zip_bomb(path: Path, unpacked_mib: int) -> Path:
    """A workbook-shaped zip whose shared strings unpack to ``unpacked_mib`` MiB of
    one repeated byte: a few hundred kilobytes on disk."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        bomb.writestr("[Content_Types].xml", "<Types/>")
        with bomb.open("xl/sharedStrings.xml", "w") as part:
            block = b"A" * 2**20
            for _ in range(unpacked_mib):
                part.write(block)
    return path


def test_a_zip_bomb_is_refused_by_name_before_anything_is_unpacked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = _zip_bomb(tmp_path / "survey.xlsx", 300)
    assert bomb.stat().st_size < 1_000_000

    def unpacked(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("openpyxl was asked to unpack the bomb")

    monkeypatch.setattr("openpyxl.load_workbook", unpacked)
    with pytest.raises(SourceError) as refused:
        list(read_table(bomb))
    assert str(refused.value) == (
        f"{bomb}: the workbook unpacks to 300 MiB; at most 256 MiB is read "
        "(save large surveys as CSV)"
    )


def test_a_file_that_is_not_a_zip_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "survey.xlsx"
    path.write_text("id,name\n")
    with pytest.raises(
        SourceError, match=r"survey\.xlsx: not a readable XLSX workbook \(BadZipFile\)"
    ):
        list(read_table(path))


def test_a_header_of_a_million_columns_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(",".join(f"c{i}" for i in range(1_000_000)) + "\np-1\n")
    with pytest.raises(SourceError) as refused:
        list(read_table(path))
    assert str(refused.value) == (
        f"{path}: the header has 1,000,000 columns; at most {MAX_COLUMNS:,} are read"
    )


def test_columns_named_twice_are_all_named_in_a_wide_header(tmp_path: Path) -> None:
    names = [f"c{i}" for i in range(MAX_COLUMNS - 3)] + ["c7", "Name", "name"]
    path = tmp_path / "people.csv"
    path.write_text(",".join(names) + "\n")
    with pytest.raises(SourceError) as refused:
        list(read_table(path))
    assert str(refused.value) == f"{path}: the header names c7, name more than once"


def test_a_line_with_no_end_is_refused_by_number(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(HEADER + "p-1,Amina,engaged,\n" + "x" * (MAX_LINE + 10))
    rows = read_table(path)
    assert next(rows).values["name"] == "Amina"
    with pytest.raises(SourceError) as refused:
        next(rows)
    assert str(refused.value) == f"{path}: line 3 is longer than {MAX_LINE:,} characters"


def test_a_windows_1252_file_is_known_by_its_last_byte(tmp_path: Path) -> None:
    # Read as a stream, the first rows are handed on before the end is read: the
    # encoding must already be known from the whole file.
    path = tmp_path / "people.csv"
    filler = "".join(f"p-{i},Someone,engaged,\n" for i in range(200_000))
    path.write_bytes((HEADER + filler + "p-last,Ren\xe9e,engaged,\n").encode("cp1252"))
    rows = list(read_table(path))
    assert len(rows) == 200_001
    assert rows[-1].values["name"] == "Ren\u00e9e"


def test_a_file_of_neither_encoding_is_refused_before_any_row(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    # 0x81 is unassigned in Windows-1252 and never starts a UTF-8 character.
    path.write_bytes(HEADER.encode() + b"p-1,Amina,engaged,\n" + b"p-2,\x81,engaged,\n")
    with pytest.raises(SourceError, match="not UTF-8 or Windows-1252 text"):
        next(read_table(path))


def test_a_large_csv_is_read_a_row_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    # Long cells: few allocations per byte, so tracing memory stays quick.
    skills = ";".join(f"skill-{i}" for i in range(250))
    with path.open("w", encoding="utf-8") as handle:
        handle.write(HEADER)
        for i in range(8_000):
            handle.write(f"p-{i},Someone Somebody,engaged,{skills}\n")
    size = path.stat().st_size
    assert size > 19_000_000
    tracemalloc.start()
    try:
        count = sum(1 for _ in read_table(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 8_000
    # Holding the file (bytes, then text) would take at least twice its size.
    assert peak < size / 4


def test_a_geojson_larger_than_the_limit_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "properties.geojson"
    with path.open("wb") as handle:
        handle.write(b'{"type": "FeatureCollection", "features": [')
        handle.truncate(MAX_GEOJSON + 1)  # sparse: the size without the writing
    with pytest.raises(SourceError) as refused:
        list(read_table(path))
    assert str(refused.value) == (
        f"{path}: 67,108,865 bytes of GeoJSON; at most 67,108,864 are read (split it, or give "
        "the buildings as CSV)"
    )
