"""The ESCO folder loader on a real Neo4j: the health fixture, rejects, skips, dry runs."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from neo4j import Driver

from graph.settings import Neo4jSettings
from loaders.formats.esco import SkillRow, is_regulated
from loaders.pipeline import LoadReport
from loaders.reading import SourceError
from loaders.registry import load

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "esco-health"
ESCO = "http://data.europa.eu/esco/"
OURS = "http://data.assetbridge.invalid/esco-invented/"
NURSE = OURS + "occupation/nurse-responsible-for-general-care"
MIDWIFE = OURS + "occupation/midwife"
BIOMEDICAL_SCIENTIST = OURS + "occupation/biomedical-scientist"
HEALTHCARE_ASSISTANT = OURS + "occupation/healthcare-assistant"
PHARMACIST = ESCO + "occupation/7c132147-428b-4ea3-87e1-70f7abb691ce"
ENGLISH = ESCO + "skill/6d3edede-8951-4621-a835-e04323300fa0"
ENGLISH_C1 = OURS + "skill/english-cefr-c1"
ADMINISTER_MEDICATION = OURS + "skill/administer-medication"
VITAL_SIGNS = OURS + "skill/monitor-vital-signs"

# Skill, Occupation, essential REQUIRES, optional REQUIRES, BROADER.
FIXTURE_COUNTS = (52, 8, 81, 36, 31)

COUNT_TAXONOMY = """
CALL () { MATCH (s:Skill) RETURN count(s) AS skills }
CALL () { MATCH (o:Occupation) RETURN count(o) AS occupations }
CALL () {
  MATCH (:Occupation)-[r:REQUIRES {essential: true}]->(:Skill)
  RETURN count(r) AS essential
}
CALL () {
  MATCH (:Occupation)-[r:REQUIRES {essential: false}]->(:Skill)
  RETURN count(r) AS optional
}
CALL () { MATCH (:Skill)-[r:BROADER]->(:Skill) RETURN count(r) AS broader }
RETURN [skills, occupations, essential, optional, broader] AS counts
"""

NODE = "MATCH (n {id: $id}) RETURN properties(n) AS props"
BROADER_OF = "MATCH (:Skill {id: $id})-[:BROADER]->(b:Skill) RETURN collect(b.id) AS ids"


def _load(driver: Driver, database: str, path: Path, rejects: Path, **options: Any) -> LoadReport:
    report = load("esco", path, driver=driver, database=database, rejects_path=rejects, **options)
    assert isinstance(report, LoadReport)
    return report


def _counts(driver: Driver, database: str) -> tuple[int, ...]:
    records, _, _ = driver.execute_query(COUNT_TAXONOMY, database_=database)
    return tuple(records[0]["counts"])


def _node(driver: Driver, database: str, ident: str) -> dict[str, Any]:
    records, _, _ = driver.execute_query(NODE, id=ident, database_=database)
    assert len(records) == 1
    props: dict[str, Any] = records[0]["props"]
    return props


def _rejects(path: Path) -> list[tuple[str, int, str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            (r["source"], int(r["line"]), r["field"], r["reason"]) for r in csv.DictReader(handle)
        ]


def _append(path: Path, *rows: list[str]) -> None:
    with path.open("a", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def test_the_health_fixture_loads_every_file_exactly(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    report = _load(clean_db, db, FIXTURE, tmp_path / "rejects.csv")

    parts = [p for p in report.parts if isinstance(p, LoadReport)]
    assert [(p.kind, p.source, p.rows_read, p.rows_loaded, p.rows_skipped) for p in parts] == [
        ("esco-skills", "skills_en.csv", 52, 52, 0),
        ("esco-occupations", "occupations_en.csv", 8, 8, 0),
        ("esco-regulators", "regulators.csv", 7, 7, 0),
        ("esco-relations", "occupationSkillRelations_en.csv", 117, 117, 0),
        ("esco-broader", "broaderRelationsSkillPillar_en.csv", 41, 31, 10),
    ]
    assert (report.kind, report.source) == ("esco", "esco-health")
    assert (report.rows_read, report.rows_loaded, report.rows_rejected, report.rows_skipped) == (
        225,
        215,
        0,
        10,
    )
    assert _counts(clean_db, db) == FIXTURE_COUNTS
    assert not (tmp_path / "rejects.csv").exists()


def test_labels_types_regulators_and_invented_flags(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    _load(clean_db, db, FIXTURE, tmp_path / "rejects.csv")

    nurse = _node(clean_db, db, NURSE)
    assert nurse["alt_labels"] == [
        "general nurse",
        "registered nurse",
        "adult nurse",
        "staff nurse",
    ]
    assert (nurse["regulator"], nurse["regulated"], nurse["invented"]) == ("NMC", True, True)
    assert (nurse["isco_group"], nurse["uri"], nurse["source"]) == ("2221", NURSE, "esco-health")
    assert _node(clean_db, db, MIDWIFE)["regulator"] == "NMC"
    pharmacist = _node(clean_db, db, PHARMACIST)
    assert (pharmacist["regulator"], pharmacist["invented"]) == ("GPhC", False)
    # ESCO calls the profession unregulated; the regulators file outranks the note.
    scientist = _node(clean_db, db, BIOMEDICAL_SCIENTIST)
    assert (scientist["regulator"], scientist["regulated"]) == ("HCPC", True)
    assistant = _node(clean_db, db, HEALTHCARE_ASSISTANT)
    assert (assistant.get("regulator"), assistant["regulated"]) == (None, False)

    vital_signs = _node(clean_db, db, VITAL_SIGNS)
    assert vital_signs["alt_labels"] == [
        "take observations",
        "record vital signs",
        "check temperature, pulse and blood pressure",
    ]
    assert (vital_signs["skill_type"], vital_signs["reuse_level"]) == (
        "skill/competence",
        "sector-specific",
    )
    english = _node(clean_db, db, ENGLISH)
    assert (english["skill_type"], english["invented"], english["alt_labels"]) == (
        "knowledge",
        False,
        [],
    )
    c1 = _node(clean_db, db, ENGLISH_C1)
    assert (c1["skill_type"], c1["invented"]) == ("language", True)

    records, _, _ = clean_db.execute_query(BROADER_OF, id=ADMINISTER_MEDICATION, database_=db)
    assert records[0]["ids"] == [OURS + "skill/provide-nursing-care"]
    records, _, _ = clean_db.execute_query(BROADER_OF, id=ENGLISH_C1, database_=db)
    assert records[0]["ids"] == [ENGLISH]


def test_loading_twice_leaves_the_same_graph(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    first = _load(clean_db, db, FIXTURE, tmp_path / "rejects.csv")
    second = _load(clean_db, db, FIXTURE, tmp_path / "rejects.csv")

    assert (second.rows_loaded, second.rows_rejected, second.rows_skipped) == (
        first.rows_loaded,
        0,
        10,
    )
    assert _counts(clean_db, db) == FIXTURE_COUNTS
    assert _node(clean_db, db, NURSE)["regulator"] == "NMC"


def test_links_naming_unknown_concepts_are_rejected_with_line_and_column(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    folder = shutil.copytree(FIXTURE, tmp_path / "esco")
    ghost_skill = OURS + "skill/ghost"
    ghost_job = OURS + "occupation/ghost"
    _append(
        folder / "occupationSkillRelations_en.csv",
        [NURSE, "essential", "skill/competence", ghost_skill],
        [ghost_job, "optional", "knowledge", ENGLISH],
        [MIDWIFE, "sometimes", "knowledge", ENGLISH],
    )
    skill = "KnowledgeSkillCompetence"
    _append(
        folder / "broaderRelationsSkillPillar_en.csv",
        [skill, ADMINISTER_MEDICATION, skill, ghost_skill],
    )
    _append(folder / "regulators.csv", [ghost_job, "GMC"])

    report = _load(clean_db, db, folder, tmp_path / "rejects.csv")

    relations = "occupationSkillRelations_en.csv"
    assert _rejects(tmp_path / "rejects.csv") == [
        ("regulators.csv", 9, "occupationuri", f"unknown Occupation id {ghost_job!r}"),
        (relations, 121, "relationtype", "Input should be 'essential' or 'optional'"),
        (relations, 119, "skilluri", f"unknown Skill id {ghost_skill!r}"),
        (relations, 120, "occupationuri", f"unknown Occupation id {ghost_job!r}"),
        (
            "broaderRelationsSkillPillar_en.csv",
            43,
            "broaderuri",
            f"unknown Skill id {ghost_skill!r}",
        ),
    ]
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (230, 215, 5)
    assert _counts(clean_db, db) == FIXTURE_COUNTS


def test_a_dry_run_judges_links_by_the_files_and_writes_nothing(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    report = _load(clean_db, db, FIXTURE, tmp_path / "rejects.csv", dry_run=True)

    assert report.dry_run
    assert (report.rows_loaded, report.rows_rejected, report.rows_skipped) == (215, 0, 10)
    assert _counts(clean_db, db) == (0, 0, 0, 0, 0)


def test_a_bad_skill_type_is_rejected_and_the_rest_of_the_row_rules_hold(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    db = neo4j_settings.database
    folder = tmp_path / "esco"
    folder.mkdir()
    (folder / "skills_en.csv").write_text(
        "conceptUri,skillType,preferredLabel\n"
        f"{OURS}skill/a,Knowledge,a\n"
        f"{OURS}skill/b,attitude,b\n"
        f"{OURS}skill/c,,c\n",
        encoding="utf-8",
    )
    (folder / "occupations_en.csv").write_text(
        "conceptUri,iscoGroup,preferredLabel,regulatedProfessionNote,code\n"
        f"{OURS}occupation/x,2221,x,Regulated in every member state,2221.7\n",
        encoding="utf-8",
    )

    report = _load(clean_db, db, folder, tmp_path / "rejects.csv")

    assert [p.kind for p in report.parts] == ["esco-skills", "esco-occupations"]
    [(source, line, field, _)] = _rejects(tmp_path / "rejects.csv")
    assert (source, line, field) == ("skills_en.csv", 3, "skilltype")
    assert _node(clean_db, db, f"{OURS}skill/a")["skill_type"] == "knowledge"
    assert _node(clean_db, db, f"{OURS}skill/c")["skill_type"] == "skill/competence"
    occupation = _node(clean_db, db, f"{OURS}occupation/x")
    assert (occupation["code"], occupation["regulated"], occupation.get("regulator")) == (
        "2221.7",
        True,
        None,
    )


@pytest.mark.parametrize("missing", ["skills_en.csv", "occupations_en.csv"])
def test_a_folder_without_skills_or_occupations_is_refused(
    driver: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path, missing: str
) -> None:
    folder = shutil.copytree(FIXTURE, tmp_path / "esco")
    (folder / missing).unlink()
    with pytest.raises(SourceError, match=str(folder / missing)):
        _load(driver, neo4j_settings.database, folder, tmp_path / "rejects.csv", dry_run=True)


@pytest.mark.parametrize(
    ("note", "regulated"),
    [
        (None, False),
        ("http://data.europa.eu/esco/regulated-professions/unregulated", False),
        ("http://data.europa.eu/esco/regulated-professions/regulated", True),
        ("This profession is not regulated in the UK", False),
        ("Regulated under Directive 2005/36/EC", True),
    ],
)
def test_the_regulation_rule(note: str | None, regulated: bool) -> None:
    assert is_regulated(note) is regulated


_LABEL = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=30
).map(str.strip)


@given(st.lists(_LABEL, max_size=8))
def test_alternative_labels_are_one_a_line_without_blanks_or_repeats(labels: list[str]) -> None:
    row = SkillRow.model_validate(
        {"concepturi": OURS + "skill/s", "preferredlabel": "s", "altlabels": "\n".join(labels)}
    )
    assert row.altlabels == list(dict.fromkeys(label for label in labels if label))
