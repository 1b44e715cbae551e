"""Reading tabular sources (CSV, XLSX) into numbered rows of optional strings."""

from __future__ import annotations

import codecs
import csv
import json
import zipfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

__all__ = [
    "MAX_COLUMNS",
    "MAX_GEOJSON",
    "MAX_LINE",
    "MAX_XLSX_UNPACKED",
    "SourceError",
    "SourceRow",
    "read_table",
]

# A field larger than this is almost certainly a broken quote swallowing the file.
_MAX_FIELD = 1_000_000
# Our widest format has a few dozen columns; a header far past that is a broken or
# hostile file, and refusing it early keeps a row's memory small.
MAX_COLUMNS = 1_000
# A physical line is read whole, so one with no line break must not be the whole file.
MAX_LINE = 16 * 2**20
# openpyxl unpacks shared strings whole: a workbook is refused, before anything is
# unpacked, when its parts declare more than this (a 400 KB zip bomb declares 950 MB).
MAX_XLSX_UNPACKED = 256 * 2**20
# GeoJSON is one JSON document, parsed whole: its size is its memory, several times over.
MAX_GEOJSON = 64 * 2**20
_CHUNK = 2**20


class SourceError(ValueError):
    """The file as a whole cannot be read (missing, wrong kind, no header)."""


@dataclass(frozen=True)
class SourceRow:
    """One data row: ``line`` is its 1-based line number in the file (header is line 1)."""

    line: int
    values: dict[str, str | None]
    # Set when the row's cells do not line up with the header (an unquoted comma): then
    # no value can be trusted to be in its column, and none may be shown.
    misaligned: str | None = None


def _normalise_header(name: object) -> str:
    return str(name or "").strip().lower().replace(" ", "_").replace("-", "_")


def _cell(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _decode(raw: bytes, path: Path) -> str:
    # Surveys arrive from spreadsheets saved as UTF-8 (often with a BOM) or as
    # Windows-1252; anything else is refused rather than silently mangled.
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SourceError(f"{path}: not UTF-8 or Windows-1252 text")


def _encoding(path: Path) -> str:
    """The file's encoding, found by decoding it once in chunks, so that rows are only
    handed on from a file known to decode to the end."""
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(_CHUNK):
                    decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise SourceError(f"{path}: not UTF-8 or Windows-1252 text")


def _header(path: Path, cells: Sequence[object]) -> list[str]:
    """The header's names, checked: not too many (counted before any is touched), not
    blank, none twice (counted in one pass)."""
    if len(cells) > MAX_COLUMNS:
        raise SourceError(
            f"{path}: the header has {len(cells):,} columns; at most {MAX_COLUMNS:,} are read"
        )
    header = [_normalise_header(cell) for cell in cells]
    counts = Counter(name for name in header if name)
    if not counts:
        raise SourceError(f"{path}: the header row is blank")
    twice = sorted(name for name, count in counts.items() if count > 1)
    if twice:
        # Which of the two cells a row means cannot be known; refuse rather than guess.
        raise SourceError(f"{path}: the header names {', '.join(twice)} more than once")
    return header


def _lines(handle: TextIO, path: Path) -> Iterator[str]:
    number = 0
    while line := handle.readline(MAX_LINE):
        number += 1
        if len(line) == MAX_LINE and not line.endswith(("\n", "\r")):
            raise SourceError(f"{path}: line {number} is longer than {MAX_LINE:,} characters")
        yield line.replace("\x00", "")


def _read_csv(path: Path) -> Iterator[SourceRow]:
    encoding = _encoding(path)
    csv.field_size_limit(_MAX_FIELD)
    # Row by row from the open file: a file of any size is held one row at a time.
    with path.open(encoding=encoding, newline="") as handle:
        reader = csv.reader(_lines(handle, path))
        try:
            header = _header(path, next(reader))
        except StopIteration:
            raise SourceError(f"{path}: empty file, no header row") from None
        except csv.Error as exc:
            raise SourceError(f"{path}: line 1: {exc}") from None
        # A quoted cell may span lines; a row is named by the line it starts on.
        start = reader.line_num + 1
        try:
            for cells in reader:
                line, start = start, reader.line_num + 1
                if not any(cell.strip() for cell in cells):
                    continue
                values = {
                    name: _cell(cells[i]) if i < len(cells) else None
                    for i, name in enumerate(header)
                }
                misaligned = None
                if len(cells) != len(header):
                    misaligned = (
                        f"{len(cells)} cells where the header has {len(header)} columns; "
                        "is a comma left unquoted?"
                    )
                yield SourceRow(line, values, misaligned)
        except csv.Error as exc:
            # Past the limit, a quote left open has swallowed the rest of the file.
            raise SourceError(
                f"{path}: line {start}: {exc}; is a quote left open from there on?"
            ) from None


def _check_workbook(path: Path) -> None:
    """Refuse a workbook whose parts declare more than ``MAX_XLSX_UNPACKED`` bytes.

    The declared sizes bind: ``zipfile`` stops at a part's declared size and fails its
    checksum when the data runs on, so a part cannot unpack to more than it declares.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(
            f"{path}: not a readable XLSX workbook ({exc.__class__.__name__})"
        ) from None
    if unpacked > MAX_XLSX_UNPACKED:
        raise SourceError(
            f"{path}: the workbook unpacks to {unpacked / 2**20:,.0f} MiB; at most "
            f"{MAX_XLSX_UNPACKED / 2**20:,.0f} MiB is read (save large surveys as CSV)"
        )


def _read_xlsx(path: Path) -> Iterator[SourceRow]:
    from openpyxl import load_workbook  # noqa: PLC0415 - only XLSX sources need it

    _check_workbook(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise SourceError(
            f"{path}: not a readable XLSX workbook ({exc.__class__.__name__})"
        ) from exc
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        try:
            header = _header(path, next(rows))
        except StopIteration:
            raise SourceError(f"{path}: empty sheet, no header row") from None
        for number, cells in enumerate(rows, start=2):
            if not any(_cell(c) for c in cells):
                continue
            values = {
                name: _cell(_xlsx_text(cells[i])) if i < len(cells) else None
                for i, name in enumerate(header)
                if name
            }
            yield SourceRow(number, values)
    finally:
        book.close()


def _xlsx_text(value: object) -> object:
    # Excel hands back dates as datetimes and whole numbers as floats.
    if hasattr(value, "isoformat"):
        iso: str = value.isoformat()
        return iso[:10] if iso.endswith("T00:00:00") else iso
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _read_geojson(path: Path) -> Iterator[SourceRow]:
    """Features as rows (``line`` is the feature's 1-based number); a Point's
    coordinates become ``longitude`` and ``latitude``."""
    size = path.stat().st_size
    if size > MAX_GEOJSON:
        raise SourceError(
            f"{path}: {size:,} bytes of GeoJSON; at most {MAX_GEOJSON:,} are read "
            "(split it, or give the buildings as CSV)"
        )
    try:
        document = json.loads(_decode(path.read_bytes(), path))
    except json.JSONDecodeError as exc:
        raise SourceError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from exc
    except RecursionError:
        raise SourceError(f"{path}: JSON nested too deeply to be GeoJSON") from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise SourceError(f"{path}: expected a GeoJSON FeatureCollection")
    features = document.get("features") or []
    if not isinstance(features, list):
        raise SourceError(f"{path}: the FeatureCollection's features are not a list")
    for number, feature in enumerate(features, start=1):
        # A feature that is not an object, or has no properties object, is a row of
        # nothing: it is rejected for the fields it lacks.
        properties = feature.get("properties") if isinstance(feature, dict) else None
        values = {
            _normalise_header(name): _cell(value)
            for name, value in (properties if isinstance(properties, dict) else {}).items()
            if not isinstance(value, dict | list)
        }
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if isinstance(geometry, dict) and geometry.get("type") == "Point":
            coordinates = geometry.get("coordinates")
            if isinstance(coordinates, list) and len(coordinates) >= 2:
                values["longitude"] = _cell(coordinates[0])
                values["latitude"] = _cell(coordinates[1])
        yield SourceRow(number, values)


def read_table(path: Path) -> Iterator[SourceRow]:
    """Rows of a CSV, XLSX or GeoJSON file, header names lower-cased with underscores."""
    if not path.is_file():
        raise SourceError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".geojson", ".json"):
        return _read_geojson(path)
    raise SourceError(f"{path}: expected a .csv, .xlsx or .geojson file")
