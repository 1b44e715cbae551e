"""The ESCO CSV release: a folder of skills, occupations and the links between them.

Each file present goes through the shared pipeline, in dependency order, as one
part of the folder's report (only the first two are required):

1. ``skills_en.csv`` -> ``Skill``, id and uri = conceptUri;
2. ``occupations_en.csv`` -> ``Occupation``, id and uri = conceptUri;
3. ``regulators.csv`` (ours: occupationUri, regulator), because ESCO names no UK
   regulator (GMC, NMC, GPhC, GDC, HCPC...);
4. ``occupationSkillRelations_en.csv`` -> ``(:Occupation)-[:REQUIRES {essential}]->(:Skill)``;
5. ``broaderRelationsSkillPillar_en.csv`` -> ``(:Skill)-[:BROADER]->(:Skill)``.

Headers arrive lower-cased (``conceptUri`` is ``concepturi``); rejects name those.

- Alternative labels are one a line inside the cell, as ESCO writes them; blank and
  repeated lines are dropped. Hidden labels (search aids) are not kept.
- ``skillType``: "skill/competence" (or "skill", "competence"), "knowledge",
  "language", "transversal"; blank means skill/competence, anything else is rejected.
- ``invented`` is true for every concept whose URI is not under
  ``http://data.europa.eu/esco/``: ours, never to be cited as ESCO.
- Regulation: ``regulatedProfessionNote`` is, in the releases we have read, a URI
  ending ``/regulated`` or ``/unregulated`` (older releases wrote prose). A blank
  note, or one containing "unregulated" or "not regulated", means not regulated;
  any other note means regulated. The note never names a regulator; a row of
  ``regulators.csv`` sets one and makes the occupation regulated, whatever the note.
- A broader row typed ``SkillGroup`` at either end is skipped (counted in
  ``rows_skipped``), not rejected: the pillar's groups are not ``Skill`` nodes.
- Links may name concepts accepted from earlier files of the same load, so a dry
  run rejects exactly what a real run would.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Annotated, TypeVar

from neo4j import Driver
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from graph.models.base import NodeModel
from graph.models.provenance import Provenance
from graph.models.taxonomy import Occupation, Skill, SkillType
from graph.services import ingest, taxonomy
from graph.services.ingest import Problem
from graph.vocabulary import Label
from loaders.folder import Accepted, Check, FolderFile, folder_report, load_files
from loaders.pipeline import Format, LoadReport, Progress
from loaders.reading import SourceError, SourceRow
from loaders.rejects import RejectWriter

__all__ = ["ESCO_DESCRIPTION", "ESCO_NAMESPACE", "ESCO_ROW_MODELS", "load_esco"]

ESCO_NAMESPACE = "http://data.europa.eu/esco/"
ESCO_DESCRIPTION = "The ESCO CSV release: skills, occupations, their links; plus regulators.csv"

SKILLS_FILE = "skills_en.csv"
OCCUPATIONS_FILE = "occupations_en.csv"
REGULATORS_FILE = "regulators.csv"
RELATIONS_FILE = "occupationSkillRelations_en.csv"
BROADER_FILE = "broaderRelationsSkillPillar_en.csv"
REQUIRED_FILES = (SKILLS_FILE, OCCUPATIONS_FILE)

Item = TypeVar("Item")

_ROW_CONFIG = ConfigDict(extra="ignore", str_strip_whitespace=True)

_SKILL_TYPE_ALIASES = {"skill": "skill/competence", "competence": "skill/competence"}


def _lines(value: object) -> object:
    if value is None:
        return []
    if isinstance(value, str):
        return [label for label in dict.fromkeys(s.strip() for s in value.splitlines()) if label]
    return value


def _skill_type(value: object) -> object:
    if isinstance(value, str):
        lowered = value.strip().lower()
        return _SKILL_TYPE_ALIASES.get(lowered, lowered)
    return value


def _lower(value: object) -> object:
    return value.strip().lower() if isinstance(value, str) else value


NewlineList = Annotated[list[str], BeforeValidator(_lines)]
Uri = Annotated[str, Field(min_length=1, max_length=200)]


class RelationType(StrEnum):
    ESSENTIAL = "essential"
    OPTIONAL = "optional"


class SkillRow(BaseModel):
    model_config = _ROW_CONFIG

    concepturi: Uri = Field(description="The skill's id; invented unless under the ESCO namespace")
    preferredlabel: str = Field(min_length=1, max_length=500)
    altlabels: NewlineList = Field(default_factory=list, description="One label a line")
    skilltype: Annotated[SkillType, BeforeValidator(_skill_type)] = Field(
        SkillType.SKILL, description="skill/competence, knowledge, language or transversal"
    )
    reuselevel: str | None = Field(None, max_length=100)
    description: str | None = None


class OccupationRow(BaseModel):
    model_config = _ROW_CONFIG

    concepturi: Uri
    preferredlabel: str = Field(min_length=1, max_length=500)
    altlabels: NewlineList = Field(default_factory=list)
    iscogroup: str | None = Field(None, max_length=20, description="ISCO-08 unit group")
    code: str | None = Field(None, max_length=50)
    regulatedprofessionnote: str | None = Field(
        None, description="Blank or '.../unregulated': not regulated; otherwise regulated"
    )
    description: str | None = None


class RegulatorRow(BaseModel):
    """Ours, not ESCO's: the UK body an occupation registers with."""

    model_config = _ROW_CONFIG

    occupationuri: Uri
    regulator: str = Field(min_length=1, max_length=200, description="e.g. GMC, NMC, GPhC")


class RelationRow(BaseModel):
    model_config = _ROW_CONFIG

    occupationuri: Uri
    relationtype: Annotated[RelationType, BeforeValidator(_lower)] = Field(
        description="essential or optional"
    )
    skilluri: Uri


class BroaderRow(BaseModel):
    model_config = _ROW_CONFIG

    # The two types are read before validation: a SkillGroup at either end skips the row.
    concepttype: str | None = Field(None, description="KnowledgeSkillCompetence or SkillGroup")
    concepturi: Uri
    broadertype: str | None = Field(None, description="KnowledgeSkillCompetence or SkillGroup")
    broaderuri: Uri = Field(description="The more general skill")


def is_invented(uri: str) -> bool:
    return not uri.startswith(ESCO_NAMESPACE)


def is_regulated(note: str | None) -> bool:
    if note is None:
        return False
    lowered = note.lower()
    return "unregulated" not in lowered and "not regulated" not in lowered


def to_skill(row: SkillRow) -> Skill:
    return Skill(
        id=row.concepturi,
        uri=row.concepturi,
        preferred_label=row.preferredlabel,
        alt_labels=row.altlabels,
        skill_type=row.skilltype,
        reuse_level=row.reuselevel,
        description=row.description,
        invented=is_invented(row.concepturi),
    )


def to_occupation(row: OccupationRow) -> Occupation:
    return Occupation(
        id=row.concepturi,
        uri=row.concepturi,
        preferred_label=row.preferredlabel,
        alt_labels=row.altlabels,
        isco_group=row.iscogroup,
        code=row.code,
        regulated=is_regulated(row.regulatedprofessionnote),
        description=row.description,
        invented=is_invented(row.concepturi),
    )


def to_regulator(row: RegulatorRow) -> taxonomy.OccupationRegulator:
    return taxonomy.OccupationRegulator(row.occupationuri, row.regulator)


def to_requirement(row: RelationRow) -> taxonomy.OccupationSkill:
    essential = row.relationtype is RelationType.ESSENTIAL
    return taxonomy.OccupationSkill(row.occupationuri, row.skilluri, essential)


def to_broader(row: BroaderRow) -> taxonomy.BroaderSkill:
    return taxonomy.BroaderSkill(row.concepturi, row.broaderuri)


# -- the folder ----------------------------------------------------------------


def _in_columns(check: Check[Item], columns: dict[str, str]) -> Check[Item]:
    """``check``, with each problem naming the source column rather than the field."""

    def renamed(driver: Driver, database: str, items: Sequence[Item]) -> list[Problem]:
        return [
            Problem(p.index, columns.get(p.field, p.field), p.reason)
            for p in check(driver, database, items)
        ]

    return renamed


def _is_group(value: str | None) -> bool:
    return (value or "").strip().lower() == "skillgroup"


def _names_a_group(row: SourceRow) -> bool:
    return _is_group(row.values.get("concepttype")) or _is_group(row.values.get("broadertype"))


def _files(accepted: Accepted) -> list[FolderFile]:
    def node_id(item: NodeModel) -> str:
        return item.id

    skills: Format[SkillRow, Skill] = Format(
        kind="esco-skills",
        row_model=SkillRow,
        convert=to_skill,
        key=node_id,
        check=accepted.remembering(ingest.node_problems, Label.SKILL, node_id),
        write=ingest.write_nodes,
    )
    occupations: Format[OccupationRow, Occupation] = Format(
        kind="esco-occupations",
        row_model=OccupationRow,
        convert=to_occupation,
        key=node_id,
        check=accepted.remembering(ingest.node_problems, Label.OCCUPATION, node_id),
        write=ingest.write_nodes,
    )
    regulators: Format[RegulatorRow, taxonomy.OccupationRegulator] = Format(
        kind="esco-regulators",
        row_model=RegulatorRow,
        convert=to_regulator,
        key=lambda item: item.occupation_id,
        check=_in_columns(
            partial(taxonomy.regulator_problems, known_occupations=accepted[Label.OCCUPATION]),
            {"occupation_id": "occupationuri"},
        ),
        write=taxonomy.write_regulators,
    )
    requirements: Format[RelationRow, taxonomy.OccupationSkill] = Format(
        kind="esco-relations",
        row_model=RelationRow,
        convert=to_requirement,
        key=lambda item: f"{item.occupation_id} {item.skill_id}",
        check=_in_columns(
            partial(
                taxonomy.occupation_skill_problems,
                known_occupations=accepted[Label.OCCUPATION],
                known_skills=accepted[Label.SKILL],
            ),
            {"occupation_id": "occupationuri", "skill_id": "skilluri"},
        ),
        write=taxonomy.write_occupation_skills,
    )
    broader: Format[BroaderRow, taxonomy.BroaderSkill] = Format(
        kind="esco-broader",
        row_model=BroaderRow,
        convert=to_broader,
        key=lambda item: f"{item.skill_id} {item.broader_id}",
        check=_in_columns(
            partial(taxonomy.broader_skill_problems, known_skills=accepted[Label.SKILL]),
            {"skill_id": "concepturi", "broader_id": "broaderuri"},
        ),
        write=taxonomy.write_broader_skills,
    )
    return [
        FolderFile(SKILLS_FILE, skills),
        FolderFile(OCCUPATIONS_FILE, occupations),
        FolderFile(REGULATORS_FILE, regulators),
        FolderFile(RELATIONS_FILE, requirements),
        FolderFile(BROADER_FILE, broader, skip=_names_a_group),
    ]


ESCO_ROW_MODELS: dict[str, type[BaseModel]] = {
    file.name: file.fmt.row_model for file in _files(Accepted())
}


def _check_folder(path: Path) -> None:
    if not path.is_dir():
        raise SourceError(f"{path}: not a folder; an ESCO release is a folder of CSV files")
    for name in REQUIRED_FILES:
        if not (path / name).is_file():
            needed = " and ".join(REQUIRED_FILES)
            raise SourceError(f"{path / name}: no such file; an ESCO folder needs {needed}")


def load_esco(
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
    """Load an ESCO CSV folder: one report, with a part for each file present."""
    _check_folder(path)
    parts = load_files(
        path,
        _files(Accepted()),
        driver=driver,
        database=database,
        provenance=provenance,
        rejects=rejects,
        batch_size=batch_size,
        dry_run=dry_run,
        progress=progress,
    )
    return folder_report("esco", provenance.source, parts, rejects=rejects, dry_run=dry_run)
