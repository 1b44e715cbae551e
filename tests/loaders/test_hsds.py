"""The HSDS 3.0 loader on the Open Referral example package and on edited copies of it."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from neo4j import Driver
from pydantic import ValidationError

from graph.models.organisations import ServiceType
from graph.settings import Neo4jSettings, get_place_settings
from loaders.formats.hsds import NOT_MAPPED, LocationRow, service_type_for, to_location
from loaders.pipeline import LoadReport
from loaders.reading import SourceError
from loaders.registry import LOADER_VERSION
from tests.loaders.helpers import graph_counts, load_file

# The place a load names none of (the setting's default).
HOME = get_place_settings().default_place_id

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT.parent / "shared" / "fixtures" / "hsds-3.0"

pytestmark = pytest.mark.skipif(
    not EXAMPLE.is_dir(), reason=f"the HSDS example package is not at {EXAMPLE}"
)

ORG_ID = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
LOCATION_ID = "3a19ff88-4620-4d17-9830-ac1d859eb5d5"

UNMAPPED = [
    "accessibility.csv",
    "addresses.csv",
    "attributes.csv",
    "contacts.csv",
    "cost_options.csv",
    "funding.csv",
    "languages.csv",
    "meta_table_descriptions.csv",
    "metadata.csv",
    "organization_identifiers.csv",
    "phones.csv",
    "programs.csv",
    "required_documents.csv",
    "schedules.csv",
    "service_areas.csv",
    "taxonomies.csv",
    "taxonomy_terms.csv",
]

SERVICE_AND_ITS_ORGANISATION = """
MATCH (o:CommunityOrganisation)-[:OFFERS]->(s:Service {id: $id})
RETURN s {.*} AS service, o {.*} AS organisation
"""

PROPERTY_AND_ITS_USERS = """
MATCH (p:Property {id: $id})
OPTIONAL MATCH (o:CommunityOrganisation)-[:USES]->(p)
OPTIONAL MATCH (s:Service)-[:DELIVERED_AT]->(p)
OPTIONAL MATCH (owner)-[:OWNS]->(p)
RETURN p {.*} AS place, collect(DISTINCT o.id) AS users, collect(DISTINCT s.id) AS services,
       count(owner) AS owners
"""


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _rewrite(path: Path, rows: list[dict[str, str]]) -> None:
    header, _ = _rows(path)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, restval="")
        writer.writeheader()
        writer.writerows(rows)


def _valid_copy(tmp_path: Path) -> Path:
    """The example with its one location made loadable: the example's latitude (100) is
    off the globe and its organization_id names an organisation the package lacks."""
    package = tmp_path / "hsds-valid"
    shutil.copytree(EXAMPLE, package, copy_function=shutil.copyfile)
    package.chmod(0o755)
    _, locations = _rows(package / "locations.csv")
    locations[0].update(latitude="51.5072", longitude="-0.1276", organization_id=ORG_ID)
    _rewrite(package / "locations.csv", locations)
    return package


def _rejects(path: Path) -> list[tuple[str, int, str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            (row["source"], int(row["line"]), row["field"], row["reason"])
            for row in csv.DictReader(handle)
        ]


def _parts(report: LoadReport) -> list[tuple[str, str, int, int, int]]:
    return [
        (part.kind, part.source, part.rows_read, part.rows_loaded, part.rows_rejected)
        for part in report.parts
    ]


def _unmapped_parts() -> list[tuple[str, str, int, int, int]]:
    return [(NOT_MAPPED, name, 0, 0, 0) for name in UNMAPPED]


def _load(
    driver: Driver, database: str, path: Path, rejects: Path, **options: object
) -> LoadReport:
    return load_file(driver, database, "hsds", path, rejects_path=rejects, **options)


def test_the_example_package_loads_its_valid_rows_and_names_every_file(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    rejects = tmp_path / "rejects.csv"
    report = _load(clean_db, neo4j_settings.database, EXAMPLE, rejects)

    assert _parts(report) == [
        ("organisations", "organizations.csv", 1, 1, 0),
        ("services", "services.csv", 1, 1, 0),
        ("locations", "locations.csv", 1, 0, 1),
        ("service_at_location", "service_at_location.csv", 1, 0, 1),
        *_unmapped_parts(),
    ]
    assert (report.kind, report.source) == ("hsds", "hsds-3.0")
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (4, 2, 2)
    assert report.seconds == sum(part.seconds for part in report.parts)
    assert graph_counts(clean_db, neo4j_settings.database) == (
        {"CommunityOrganisation": 1, "Service": 1},
        {"OFFERS": 1},
    )
    assert _rejects(rejects) == [
        ("locations.csv", 2, "latitude", "Input should be less than or equal to 90"),
        ("service_at_location.csv", 2, "location_id", f"unknown Property id '{LOCATION_ID}'"),
    ]


def test_a_service_and_its_organisation_keep_their_hsds_fields(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    _load(clean_db, neo4j_settings.database, EXAMPLE, tmp_path / "rejects.csv")

    records, _, _ = clean_db.execute_query(
        SERVICE_AND_ITS_ORGANISATION, id=SERVICE_ID, database_=neo4j_settings.database
    )
    assert len(records) == 1
    service, organisation = records[0]["service"], records[0]["organisation"]
    assert service.pop("loaded_at").year >= 2024
    assert service == {
        "id": SERVICE_ID,
        "name": "Community Counselling",
        "service_type": "other",
        "description": (
            "Counselling Services provided by trained professionals. Suitable for people with "
            "mental health conditions such as anxiety, depression, or eating disorders as well "
            "as people experiencing difficult life events and circumstances."
        ),
        "source": "hsds-3.0",
        "loader_version": LOADER_VERSION,
        "place_ids": [HOME],
    }
    organisation.pop("loaded_at")
    assert organisation == {
        "id": ORG_ID,
        "name": "Example Organization Inc.",
        "org_type": "other",
        "description": (
            "Example Org is a non-profit organization dedicated to providing services to "
            "qualified beneficiaries"
        ),
        "founded_year": 2011,
        "website": "http://example.com",
        "email": "email@example.com",
        "source": "hsds-3.0",
        "loader_version": LOADER_VERSION,
        "place_ids": [HOME],
    }


def test_a_valid_package_links_services_organisations_and_places(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    report = _load(clean_db, db, _valid_copy(tmp_path), tmp_path / "rejects.csv")

    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (4, 4, 0)
    assert not (tmp_path / "rejects.csv").exists()
    assert graph_counts(clean_db, db) == (
        {"CommunityOrganisation": 1, "Service": 1, "Property": 1},
        {"OFFERS": 1, "USES": 1, "DELIVERED_AT": 1},
    )
    records, _, _ = clean_db.execute_query(PROPERTY_AND_ITS_USERS, id=LOCATION_ID, database_=db)
    place = records[0]["place"]
    place.pop("loaded_at")
    assert place == {
        "id": LOCATION_ID,
        "name": "MyCity Civic Center",
        "kind": "building",
        "use": "service location",
        "available_for_community": False,
        "latitude": 51.5072,
        "longitude": -0.1276,
        "source": "hsds-valid",
        "loader_version": LOADER_VERSION,
        "place_ids": [HOME],
    }
    assert (records[0]["users"], records[0]["services"], records[0]["owners"]) == (
        [ORG_ID],
        [SERVICE_ID],
        0,
    )


def test_a_second_load_changes_no_counts(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    package = _valid_copy(tmp_path)
    first = _load(clean_db, db, package, tmp_path / "first.csv")
    after_first = graph_counts(clean_db, db)
    second = _load(clean_db, db, package, tmp_path / "second.csv")

    assert (
        graph_counts(clean_db, db)
        == after_first
        == (
            {"CommunityOrganisation": 1, "Service": 1, "Property": 1},
            {"OFFERS": 1, "USES": 1, "DELIVERED_AT": 1},
        )
    )
    assert _parts(second) == _parts(first)


def test_a_dry_run_writes_nothing_but_reports_what_would_load(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    report = _load(clean_db, db, _valid_copy(tmp_path), tmp_path / "rejects.csv", dry_run=True)

    assert graph_counts(clean_db, db) == ({}, {})
    # Services name organisations that were never written: the dry run still counts them.
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (4, 4, 0)
    assert report.dry_run
    assert all(part.dry_run for part in report.parts)


@pytest.mark.parametrize("dry_run", [False, True])
def test_rows_naming_unknown_nodes_or_missing_ids_are_rejected_and_the_rest_load(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path, dry_run: bool
) -> None:
    db = neo4j_settings.database
    package = _valid_copy(tmp_path)
    _, services = _rows(package / "services.csv")
    services += [
        {
            "id": "svc-orphan",
            "organization_id": "no-such-org",
            "name": "Orphan",
            "status": "active",
        },
        {"id": "", "organization_id": ORG_ID, "name": "No id", "status": "active"},
    ]
    _rewrite(package / "services.csv", services)
    _, at_location = _rows(package / "service_at_location.csv")
    at_location += [
        {"id": "sal-orphan", "service_id": "svc-orphan", "location_id": LOCATION_ID},
        {"id": "sal-nowhere", "service_id": SERVICE_ID, "location_id": ""},
    ]
    _rewrite(package / "service_at_location.csv", at_location)
    rejects = tmp_path / "rejects.csv"

    report = _load(clean_db, db, package, rejects, dry_run=dry_run)

    # A batch's invalid rows are written as they are read, its reference problems after.
    assert _rejects(rejects) == [
        ("services.csv", 4, "id", "Field required"),
        ("services.csv", 3, "organization_id", "unknown CommunityOrganisation id 'no-such-org'"),
        ("service_at_location.csv", 4, "location_id", "Field required"),
        ("service_at_location.csv", 3, "service_id", "unknown Service id 'svc-orphan'"),
    ]
    assert _parts(report)[:4] == [
        ("organisations", "organizations.csv", 1, 1, 0),
        ("services", "services.csv", 3, 1, 2),
        ("locations", "locations.csv", 1, 1, 0),
        ("service_at_location", "service_at_location.csv", 3, 1, 2),
    ]
    expected = (
        ({}, {})
        if dry_run
        else (
            {"CommunityOrganisation": 1, "Service": 1, "Property": 1},
            {"OFFERS": 1, "USES": 1, "DELIVERED_AT": 1},
        )
    )
    assert graph_counts(clean_db, db) == expected


def test_a_location_that_is_not_a_building_is_rejected_with_its_reason(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    package = _valid_copy(tmp_path)
    _, locations = _rows(package / "locations.csv")
    locations[0].update(location_type="virtual")
    _rewrite(package / "locations.csv", locations)
    rejects = tmp_path / "rejects.csv"

    _load(clean_db, neo4j_settings.database, package, rejects)

    assert _rejects(rejects) == [
        (
            "locations.csv",
            2,
            "location_type",
            "Value error, a virtual location is not a building; only physical ones load",
        ),
        ("service_at_location.csv", 2, "location_id", f"unknown Property id '{LOCATION_ID}'"),
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "not an HSDS data package (no datapackage.json)"),
        ("organizations.csv", "not a folder; an HSDS data package is a folder of CSV files"),
        ("missing", "no such folder"),
    ],
    ids=["no-descriptor", "a-file", "nothing-there"],
)
def test_a_path_that_is_not_an_hsds_package_is_refused_by_name(
    driver: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path, name: str, message: str
) -> None:
    shutil.copyfile(EXAMPLE / "organizations.csv", tmp_path / "organizations.csv")
    path = tmp_path / name
    with pytest.raises(SourceError) as refused:
        _load(driver, neo4j_settings.database, path, tmp_path / "rejects.csv", dry_run=True)
    assert str(refused.value) == f"{path}: {message}"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Community Counselling", ServiceType.OTHER),
        ("IELTS preparation", ServiceType.IELTS_TUITION),
        ("ESOL for beginners", ServiceType.ENGLISH_CLASSES),
        ("Free English classes", ServiceType.ENGLISH_CLASSES),
        ("English-speaking legal clinic", ServiceType.OTHER),
        ("Immigration advice drop-in", ServiceType.IMMIGRATION_ADVICE),
        ("Saturday job club", ServiceType.JOB_SEARCH),
        ("Clinical observerships", ServiceType.OBSERVERSHIP),
    ],
)
def test_a_service_type_is_read_only_from_a_plain_name(name: str, expected: ServiceType) -> None:
    assert service_type_for(name) is expected


@given(latitude=st.floats(allow_nan=False), longitude=st.floats(allow_nan=False))
def test_coordinates_load_on_the_globe_and_are_refused_off_it(
    latitude: float, longitude: float
) -> None:
    row = LocationRow.model_validate(
        {"id": "loc", "location_type": "physical", "name": "Hall"}
        | {"latitude": str(latitude), "longitude": str(longitude)}
    )
    on_globe = -90 <= latitude <= 90 and -180 <= longitude <= 180
    try:
        place = to_location(row).place
    except ValidationError:
        assert not on_globe
    else:
        assert on_globe
        assert (place.latitude, place.longitude) == (latitude, longitude)


@pytest.mark.parametrize(("valid", "exit_code"), [(False, 2), (True, 0)], ids=["example", "valid"])
def test_the_cli_loads_a_package_and_prints_a_summary(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path, valid: bool, exit_code: int
) -> None:
    package = _valid_copy(tmp_path) if valid else EXAMPLE
    rejects = tmp_path / "rejects.csv"
    env = os.environ | {
        "NEO4J_URI": neo4j_settings.uri,
        "NEO4J_PASSWORD": neo4j_settings.password.get_secret_value(),
        "NEO4J_DATABASE": neo4j_settings.database,
        "COLUMNS": "200",
    }
    done = subprocess.run(
        [sys.executable, "-m", "assetbridge", "load", "hsds", str(package)]
        + ["--rejects", str(rejects)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )

    assert done.returncode == exit_code, done.stderr
    out = done.stdout
    assert "Load summary" in out
    loaded_locations = 1 if valid else 0
    for kind, source, read, loaded in [
        ("organisations", "organizations.csv", 1, 1),
        ("services", "services.csv", 1, 1),
        ("locations", "locations.csv", 1, loaded_locations),
        ("service_at_location", "service_at_location.csv", 1, loaded_locations),
        *[(NOT_MAPPED, name, 0, 0) for name in UNMAPPED],
    ]:
        row = rf"│ {kind}\s*│ {re.escape(source)}\s*│\s*{read} │\s*{loaded} │\s*{read - loaded} │"
        assert re.search(row, out), f"no summary row for {source} in:\n{out}"
    if valid:
        assert "row(s) rejected" not in out
        assert not rejects.exists()
    else:
        assert f"2 row(s) rejected; see {rejects}" in out.replace("\n", "")
        assert [source for source, *_ in _rejects(rejects)] == [
            "locations.csv",
            "service_at_location.csv",
        ]
    assert graph_counts(clean_db, neo4j_settings.database)[0] == (
        {"CommunityOrganisation": 1, "Service": 1, "Property": 1}
        if valid
        else {"CommunityOrganisation": 1, "Service": 1}
    )
