"""Open Referral HSDS 3.0 tabular data packages: organisations, their services and the
places those services are delivered at.

A package is a folder holding ``datapackage.json`` and one CSV a table. Four tables map
onto the place graph; every other CSV in the folder is reported as present but not mapped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from neo4j import Driver
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from graph.models.edges import Edge
from graph.models.organisations import CommunityOrganisation, Service, ServiceType
from graph.models.places import Property, PropertyKind
from graph.models.provenance import Provenance
from graph.services import ingest
from graph.services.ingest import Problem
from graph.vocabulary import Label, RelType
from loaders.folder import Accepted, FolderFile, folder_report, load_files
from loaders.pipeline import Format, LoadReport, Progress
from loaders.reading import SourceError
from loaders.rejects import RejectWriter

__all__ = [
    "HSDS_DESCRIPTION",
    "HSDS_ROW_MODELS",
    "NOT_MAPPED",
    "HsdsLocation",
    "LocationRow",
    "OrganizationRow",
    "ServiceAtLocationRow",
    "ServiceRow",
    "load_hsds",
    "service_type_for",
]

HSDS_DESCRIPTION = (
    "Open Referral HSDS 3.0 data package: organisations, services, physical locations "
    "(as properties the organisation USES) and where each service is DELIVERED_AT"
)
NOT_MAPPED = "not mapped"
SERVICE_LOCATION_USE = "service location"

_ROW_CONFIG = ConfigDict(extra="ignore", str_strip_whitespace=True)


class OrganizationRow(BaseModel):
    model_config = _ROW_CONFIG

    id: str = Field(description="The HSDS organisation id, kept as the node id")
    name: str
    description: str | None = None
    email: str | None = None
    website: str | None = None
    # Bounded here as well as on the model so that a reject names the HSDS column.
    year_incorporated: int | None = Field(None, ge=1800, le=2100, description="Founded year")


class ServiceRow(BaseModel):
    model_config = _ROW_CONFIG

    id: str
    organization_id: str = Field(description="The organisation that offers the service")
    name: str
    description: str | None = None


class LocationRow(BaseModel):
    model_config = _ROW_CONFIG

    id: str
    location_type: Literal["physical", "postal", "virtual"]
    organization_id: str | None = Field(None, description="The organisation that USES it")
    name: str = Field(description="The location's name, else its alternate_name")
    alternate_name: str | None = None
    latitude: float | None = Field(None, description="WGS84 decimal degrees")
    longitude: float | None = Field(None, description="WGS84 decimal degrees")

    @model_validator(mode="before")
    @classmethod
    def _alternate_name_stands_in(cls, data: Any) -> Any:
        # HSDS lets a location go unnamed; a property needs a name.
        if isinstance(data, dict) and not data.get("name") and data.get("alternate_name"):
            return {**data, "name": data["alternate_name"]}
        return data

    @field_validator("location_type")
    @classmethod
    def _physical(cls, value: str) -> str:
        if value != "physical":
            raise ValueError(f"a {value} location is not a building; only physical ones load")
        return value


class ServiceAtLocationRow(BaseModel):
    model_config = _ROW_CONFIG

    id: str
    service_id: str
    location_id: str


@dataclass(frozen=True)
class HsdsLocation:
    """A location as a property, with the USES edge from its organisation if it names one."""

    place: Property
    uses: Edge | None


# Phrases that name one of our service types outright; any other service stays OTHER.
_SERVICE_TYPE_PHRASES: tuple[tuple[re.Pattern[str], ServiceType], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), service_type)
    for pattern, service_type in (
        (r"\bielts\b", ServiceType.IELTS_TUITION),
        (r"\besol\b", ServiceType.ENGLISH_CLASSES),
        (r"\benglish (language )?(classes|lessons|courses?)\b", ServiceType.ENGLISH_CLASSES),
        (r"\bimmigration advice\b", ServiceType.IMMIGRATION_ADVICE),
        (r"\bchild ?care\b|\bcr[eè]che\b", ServiceType.CHILDCARE),
        (r"\bmentoring\b", ServiceType.MENTORING),
        (r"\bpeer support\b", ServiceType.PEER_SUPPORT),
        (r"\bjob (club|search)\b", ServiceType.JOB_SEARCH),
        (r"\bobserverships?\b", ServiceType.OBSERVERSHIP),
        (r"\bwork placements?\b", ServiceType.PLACEMENT),
    )
)


def service_type_for(name: str) -> ServiceType:
    """The service type a service's name states plainly, else OTHER."""
    for pattern, service_type in _SERVICE_TYPE_PHRASES:
        if pattern.search(name):
            return service_type
    return ServiceType.OTHER


def to_organisation(row: OrganizationRow) -> CommunityOrganisation:
    # HSDS says nothing our OrganisationType could be read from, so org_type stays OTHER.
    return CommunityOrganisation(
        id=row.id,
        name=row.name,
        description=row.description,
        founded_year=row.year_incorporated,
        website=row.website,
        email=row.email,
    )


def to_service(row: ServiceRow) -> Service:
    return Service(
        id=row.id,
        name=row.name,
        service_type=service_type_for(row.name),
        description=row.description,
        organisation_id=row.organization_id,
    )


def to_location(row: LocationRow) -> HsdsLocation:
    place = Property(
        id=row.id,
        name=row.name,
        kind=PropertyKind.BUILDING,
        use=SERVICE_LOCATION_USE,
        latitude=row.latitude,
        longitude=row.longitude,
    )
    uses = None
    if row.organization_id is not None:
        uses = Edge(
            rel_type=RelType.USES,
            from_label=Label.COMMUNITY_ORGANISATION,
            to_label=Label.PROPERTY,
            from_id=row.organization_id,
            to_id=row.id,
        )
    return HsdsLocation(place, uses)


def to_delivered_at(row: ServiceAtLocationRow) -> Edge:
    return Edge(
        rel_type=RelType.DELIVERED_AT,
        from_label=Label.SERVICE,
        to_label=Label.PROPERTY,
        from_id=row.service_id,
        to_id=row.location_id,
    )


def _write_locations(
    driver: Driver, database: str, locations: Sequence[HsdsLocation], provenance: Provenance
) -> None:
    ingest.write_nodes(driver, database, [location.place for location in locations], provenance)
    uses = [location.uses for location in locations if location.uses is not None]
    if uses:
        ingest.write_edges(driver, database, uses, provenance)


# What a problem's field refers to: (the HSDS column, the label it names, the id).
_Reference = tuple[str, Label, str]


class _Package:
    """The reference checks of one package's files, which let through a reference to
    an id an earlier file accepted (``Accepted``: a dry run writes nothing)."""

    def __init__(self) -> None:
        self.accepted = Accepted()

    def _unknown(
        self, found: list[Problem], references: list[dict[str, _Reference]]
    ) -> list[Problem]:
        """``found`` less references to ids accepted earlier, each naming its HSDS column."""
        problems = []
        for problem in found:
            reference = references[problem.index].get(problem.field)
            if reference is None:
                problems.append(problem)
            elif reference[2] not in self.accepted[reference[1]]:
                problems.append(Problem(problem.index, reference[0], problem.reason))
        return problems

    def services(self, driver: Driver, database: str, services: Sequence[Service]) -> list[Problem]:
        found = ingest.node_problems(driver, database, services)
        references = [
            {
                "organisation_id": (
                    "organization_id",
                    Label.COMMUNITY_ORGANISATION,
                    service.organisation_id,
                )
            }
            for service in services
        ]
        return self._unknown(found, references)

    def locations(
        self, driver: Driver, database: str, locations: Sequence[HsdsLocation]
    ) -> list[Problem]:
        rows = [n for n, location in enumerate(locations) if location.uses is not None]
        edges = [edge for location in locations if (edge := location.uses) is not None]
        # Only the organisation must exist already: the property is the row's own.
        found = [
            Problem(rows[problem.index], problem.field, problem.reason)
            for problem in ingest.edge_problems(driver, database, edges)
            if problem.field == "from_id"
        ]
        references: list[dict[str, _Reference]] = [
            {"from_id": ("organization_id", Label.COMMUNITY_ORGANISATION, location.uses.from_id)}
            if location.uses is not None
            else {}
            for location in locations
        ]
        return self._unknown(found, references)

    def delivered_at(self, driver: Driver, database: str, edges: Sequence[Edge]) -> list[Problem]:
        found = ingest.edge_problems(driver, database, edges)
        references = [
            {
                "from_id": ("service_id", Label.SERVICE, edge.from_id),
                "to_id": ("location_id", Label.PROPERTY, edge.to_id),
            }
            for edge in edges
        ]
        return self._unknown(found, references)

    def files(self) -> list[FolderFile]:
        """Each mapped file and its format, in the order their references need."""
        organisations: Format[OrganizationRow, CommunityOrganisation] = Format(
            kind="organisations",
            row_model=OrganizationRow,
            convert=to_organisation,
            key=lambda organisation: organisation.id,
            check=self.accepted.remembering(
                ingest.node_problems, Label.COMMUNITY_ORGANISATION, lambda o: o.id
            ),
            write=ingest.write_nodes,
        )
        services: Format[ServiceRow, Service] = Format(
            kind="services",
            row_model=ServiceRow,
            convert=to_service,
            key=lambda service: service.id,
            check=self.accepted.remembering(self.services, Label.SERVICE, lambda s: s.id),
            write=ingest.write_nodes,
        )
        locations: Format[LocationRow, HsdsLocation] = Format(
            kind="locations",
            row_model=LocationRow,
            convert=to_location,
            key=lambda location: location.place.id,
            check=self.accepted.remembering(
                self.locations, Label.PROPERTY, lambda location: location.place.id
            ),
            write=_write_locations,
        )
        delivered_at: Format[ServiceAtLocationRow, Edge] = Format(
            kind="service_at_location",
            row_model=ServiceAtLocationRow,
            convert=to_delivered_at,
            key=lambda edge: f"{edge.from_id} at {edge.to_id}",
            check=self.delivered_at,
            write=ingest.write_edges,
        )
        return [
            FolderFile("organizations.csv", organisations),
            FolderFile("services.csv", services),
            FolderFile("locations.csv", locations),
            FolderFile("service_at_location.csv", delivered_at),
        ]


HSDS_ROW_MODELS: dict[str, type[BaseModel]] = {
    file.name: file.fmt.row_model for file in _Package().files()
}


def _package_tables(path: Path) -> set[str]:
    """The CSV files of an HSDS package folder; a clear error when it is not one."""
    if not path.exists():
        raise SourceError(f"{path}: no such folder")
    if not path.is_dir():
        raise SourceError(f"{path}: not a folder; an HSDS data package is a folder of CSV files")
    descriptor = path / "datapackage.json"
    if not descriptor.is_file():
        raise SourceError(f"{path}: not an HSDS data package (no datapackage.json)")
    try:
        package = json.loads(descriptor.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(f"{descriptor}: not a readable JSON file ({exc})") from exc
    if not isinstance(package, dict) or not isinstance(package.get("resources"), list):
        raise SourceError(f"{descriptor}: not a data package descriptor (no resources list)")
    tables = {file.name for file in path.glob("*.csv") if file.is_file()}
    if not tables & HSDS_ROW_MODELS.keys():
        expected = ", ".join(HSDS_ROW_MODELS)
        raise SourceError(f"{path}: none of the HSDS tables this loader reads ({expected})")
    return tables


def load_hsds(
    path: Path,
    *,
    driver: Driver,
    database: str,
    provenance: Provenance,
    rejects: RejectWriter,
    batch_size: int = 2000,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> LoadReport:
    """Load an HSDS 3.0 package folder; ``parts`` has a report for every CSV in it."""
    tables = _package_tables(path)
    parts = load_files(
        path,
        _Package().files(),
        driver=driver,
        database=database,
        provenance=provenance,
        rejects=rejects,
        batch_size=batch_size,
        dry_run=dry_run,
        progress=progress,
    )
    parts += [
        LoadReport(NOT_MAPPED, name, dry_run=dry_run)
        for name in sorted(tables - HSDS_ROW_MODELS.keys())
    ]
    return folder_report("hsds", provenance.source, parts, rejects=rejects, dry_run=dry_run)
