"""Links within a skills taxonomy: what an occupation requires, which skill is
broader than which, and who regulates an occupation.

Checks return a :class:`~graph.services.ingest.Problem` for every link whose
ends are unknown. Ids the caller has just accepted from another file of the
same load (``known_*``) count as present, so a dry run judges links exactly as
a real run would. Writes are one ``execute_write`` per batch of MERGE or SET on
constrained ids, so a retried or re-run batch leaves the same graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass
from typing import LiteralString

from neo4j import Driver, ManagedTransaction

from graph.cypher import ingest_links as lk
from graph.cypher import taxonomy as tx_cypher
from graph.models.provenance import Provenance
from graph.services.audit import audit_batch
from graph.services.ingest import Problem, existing_ids
from graph.vocabulary import Label

__all__ = [
    "BroaderSkill",
    "OccupationRegulator",
    "OccupationSkill",
    "broader_skill_problems",
    "occupation_skill_problems",
    "regulator_problems",
    "write_broader_skills",
    "write_occupation_skills",
    "write_regulators",
]


@dataclass(frozen=True)
class OccupationSkill:
    """``(occupation)-[:REQUIRES {essential}]->(skill)``."""

    occupation_id: str
    skill_id: str
    essential: bool


@dataclass(frozen=True)
class BroaderSkill:
    """``(skill)-[:BROADER]->(broader)``: ``broader_id`` is the more general skill."""

    skill_id: str
    broader_id: str


@dataclass(frozen=True)
class OccupationRegulator:
    """The body an occupation must register with to practise."""

    occupation_id: str
    regulator: str


# -- checks --------------------------------------------------------------------


def _missing(
    driver: Driver, database: str, label: Label, ids: Iterable[str], known: Set[str]
) -> set[str]:
    wanted = set(ids) - known
    return wanted - existing_ids(driver, database, label, wanted)


def _reason(label: Label, ident: str) -> str:
    return f"unknown {label} id {ident!r}"


def occupation_skill_problems(
    driver: Driver,
    database: str,
    links: Sequence[OccupationSkill],
    *,
    known_occupations: Set[str] = frozenset(),
    known_skills: Set[str] = frozenset(),
) -> list[Problem]:
    """Links naming an occupation or skill that is neither known nor in the graph."""
    occupations = _missing(
        driver, database, Label.OCCUPATION, (x.occupation_id for x in links), known_occupations
    )
    skills = _missing(driver, database, Label.SKILL, (x.skill_id for x in links), known_skills)
    problems = []
    for index, link in enumerate(links):
        if link.occupation_id in occupations:
            problems.append(
                Problem(index, "occupation_id", _reason(Label.OCCUPATION, link.occupation_id))
            )
        if link.skill_id in skills:
            problems.append(Problem(index, "skill_id", _reason(Label.SKILL, link.skill_id)))
    return problems


def broader_skill_problems(
    driver: Driver,
    database: str,
    links: Sequence[BroaderSkill],
    *,
    known_skills: Set[str] = frozenset(),
) -> list[Problem]:
    """Links naming an unknown skill at either end, or a skill broader than itself."""
    ends = [ident for link in links for ident in (link.skill_id, link.broader_id)]
    missing = _missing(driver, database, Label.SKILL, ends, known_skills)
    problems = []
    for index, link in enumerate(links):
        if link.skill_id == link.broader_id:
            problems.append(Problem(index, "broader_id", "a skill cannot be broader than itself"))
            continue
        for field, ident in (("skill_id", link.skill_id), ("broader_id", link.broader_id)):
            if ident in missing:
                problems.append(Problem(index, field, _reason(Label.SKILL, ident)))
    return problems


def regulator_problems(
    driver: Driver,
    database: str,
    regulators: Sequence[OccupationRegulator],
    *,
    known_occupations: Set[str] = frozenset(),
) -> list[Problem]:
    """Rows naming an occupation that is neither known nor in the graph."""
    missing = _missing(
        driver,
        database,
        Label.OCCUPATION,
        (x.occupation_id for x in regulators),
        known_occupations,
    )
    return [
        Problem(index, "occupation_id", _reason(Label.OCCUPATION, row.occupation_id))
        for index, row in enumerate(regulators)
        if row.occupation_id in missing
    ]


# -- writes --------------------------------------------------------------------


def _write(
    driver: Driver,
    database: str,
    query: LiteralString,
    rows: list[dict[str, object]],
    audit: tuple[Provenance, str, list[str]],
) -> None:
    if not rows:
        return
    provenance, kind, ids = audit

    def work(tx: ManagedTransaction) -> None:
        tx.run(query, {"rows": rows}).consume()
        audit_batch(tx, provenance, kind, ids, len(rows))

    with driver.session(database=database) as session:
        session.execute_write(work)


# The links carry no provenance of their own: the taxonomy's nodes, written by
# the same load, are stamped with it. Each batch's audit event names the loader.
def write_occupation_skills(
    driver: Driver, database: str, links: Sequence[OccupationSkill], provenance: Provenance
) -> None:
    """MERGE one batch of REQUIRES links (``essential`` updated on reload)."""
    rows: list[dict[str, object]] = [
        {"occupation_id": x.occupation_id, "skill_id": x.skill_id, "essential": x.essential}
        for x in links
    ]
    ids = [f"{Label.OCCUPATION}:{x.occupation_id}" for x in links]
    audit = (provenance, "occupation_skills", ids + [f"{Label.SKILL}:{x.skill_id}" for x in links])
    _write(driver, database, lk.LINK_OCCUPATION_SKILLS, rows, audit)


def write_broader_skills(
    driver: Driver, database: str, links: Sequence[BroaderSkill], provenance: Provenance
) -> None:
    """MERGE one batch of BROADER links."""
    rows: list[dict[str, object]] = [{"id": x.skill_id, "broader_id": x.broader_id} for x in links]
    ids = [f"{Label.SKILL}:{skill}" for x in links for skill in (x.skill_id, x.broader_id)]
    _write(driver, database, lk.LINK_SKILL_BROADER, rows, (provenance, "broader_skills", ids))


def write_regulators(
    driver: Driver,
    database: str,
    regulators: Sequence[OccupationRegulator],
    provenance: Provenance,
) -> None:
    """Set the regulator (and so ``regulated``) of one batch of occupations."""
    rows: list[dict[str, object]] = [
        {"occupation_id": x.occupation_id, "regulator": x.regulator} for x in regulators
    ]
    ids = [f"{Label.OCCUPATION}:{x.occupation_id}" for x in regulators]
    audit = (provenance, "regulators", ids)
    _write(driver, database, tx_cypher.SET_OCCUPATION_REGULATORS, rows, audit)
