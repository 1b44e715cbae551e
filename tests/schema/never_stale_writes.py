"""The write paths of the never-stale machine (tests/schema/test_never_stale.py): every
way the product writes (loader batches, hub actions, consent, erasure, a personal-details
read), and writes made round it with plain Cypher, each drawing its targets from the
place as it is, mostly among what the questions can see, so that a stale answer shows."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, ClassVar

from hypothesis import assume
from hypothesis import strategies as st
from neo4j import Driver

from graph.access import Caller, Role
from graph.models.anchors import Vacancy
from graph.models.matching import VacancyRequirements
from graph.models.paths import NodeKey
from graph.models.people import ConsentScope, ReadinessStage
from graph.models.provenance import Provenance
from graph.services.consent import record_consent, withdraw_consent
from graph.services.erasure import erase_person
from graph.services.hub_actions import (
    close_vacancy,
    move_person_stage,
    open_vacancy,
    record_referral,
)
from graph.services.journal import transaction_id
from graph.services.personal import personal_details
from graph.services.taxonomy import BroaderSkill, write_broader_skills
from graph.vocabulary import Label
from loaders.demo import generate_demo, load_demo_folder
from loaders.registry import load
from tests.conftest import CLEAR_GRAPH

__all__ = ["ADMIN", "ASKED", "WRITE_PATHS", "PlaceWrites"]

ADMIN = Caller("never-stale", Role.ADMIN)
SOURCE = "never-stale"
ASKED = 2  # vacancies asked about from the start; one more a write opened or loaded
STAGES = [stage.value for stage in ReadinessStage]
RECOGNITIONS = ["recognised", "partial", "pending", "not_recognised"]
# A local authority of no vacancy: an area moved into it is no longer local to any.
ELSEWHERE = {"id": "E08099999", "name": "Elsewhere", "kind": "local_authority", "parent_id": ""}
NEAR_PEOPLE = """
MATCH (p:Person)
WHERE p.trained_as IN $occupations
   OR EXISTS { (p)-[:HAS_SKILL]->(s:Skill) WHERE s.id IN $skills }
RETURN p.id AS id ORDER BY id
"""
# An application or a placement: what the funnel and impact follow.
EDGE_KINDS = [
    "HAS_SKILL", "KNOWS", "HOLDS", "REFERS_TO", "SUPPORTED_BY", "APPLIED_TO", "PLACED_IN",
]  # fmt: skip
# The referral ties recordReferral can count again.
REFERRAL_TIES = """
MATCH (a:CommunityOrganisation)-[:REFERS_TO]->(b:CommunityOrganisation|Department)
RETURN DISTINCT a.id AS source, labels(b)[0] AS label, b.id AS target
ORDER BY source, label, target
"""
# Qualifications for the asked vacancies' occupations, held by people near them.
HELD_FOR = """
MATCH (p:Person)-[:HOLDS]->(q:Qualification)-[:QUALIFIES_FOR]->(o:Occupation)
WHERE p.id IN $people AND o.id IN $occupations
RETURN DISTINCT q.id AS id ORDER BY id
"""
PEOPLE = """
MATCH (p:Person)
RETURN p.id AS id, p.consent_given_at AS given, p.consent_withdrawn_at AS withdrawn,
       coalesce(p.consent_scopes, []) AS scopes
ORDER BY id
"""
# Writes made round the product, as cypher-shell would: the journal never hears of them.
# Every parameter is given to each statement; each uses those it names.
OUTSIDE_PERSON = {
    "stage set": "MATCH (p:Person {id: $person}) SET p.stage = $stage",
    "right to work set": "MATCH (p:Person {id: $person}) SET p.right_to_work = $flag",
    "consent withdrawn": "MATCH (p:Person {id: $person}) SET p.consent_withdrawn_at = datetime()",
    "skill added": """
        MATCH (p:Person {id: $person}), (s:Skill {id: $skill})
        MERGE (p)-[:HAS_SKILL]->(s)""",
    "skill deleted": "MATCH (:Person {id: $person})-[r:HAS_SKILL]->() WITH r LIMIT 1 DELETE r",
    "home moved": """
        MATCH (p:Person {id: $person}), (a:Area {id: $lsoa})
        OPTIONAL MATCH (p)-[old:LIVES_IN]->()
        DELETE old
        MERGE (p)-[:LIVES_IN]->(a)""",
}
OUTSIDE_AROUND = {
    "broader added": """
        MATCH (s:Skill {id: $skill}), (b:Skill {id: $other})
        WHERE s <> b
        MERGE (s)-[:BROADER]->(b)""",
    "broader deleted": "MATCH (:Skill)-[r:BROADER]->(:Skill) WITH r LIMIT 1 DELETE r",
    "recognition set": """
        MATCH (:Qualification {id: $qualification})-[r:QUALIFIES_FOR]->()
        SET r.status = $recognition""",
    "area moved": """
        MATCH (a:Area {id: $lsoa}), (w:Area {id: $parent})
        OPTIONAL MATCH (a)-[old:WITHIN]->()
        DELETE old
        MERGE (a)-[:WITHIN]->(w)""",
}

Step = Callable[..., None]
# Every write path, by method name: what it is called in messages, and the method.
WRITE_PATHS: dict[str, tuple[str, Step]] = {}


def write_path(description: str) -> Callable[[Step], Step]:
    def register(function: Step) -> Step:
        WRITE_PATHS[function.__name__] = (description, function)
        return function

    return register


def _aimed(data: st.DataObject) -> bool:
    """Three times in four: aim at what the questions see."""
    return data.draw(st.integers(0, 3)) > 0


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _iso(value: Any) -> str:
    if value is None:
        return ""
    native = value.to_native() if hasattr(value, "to_native") else value
    return str(native.isoformat())


class PlaceWrites:
    """A generated place and every way to write to it; the machine asks the questions."""

    driver: ClassVar[Driver]
    db: ClassVar[str]
    folder: ClassVar[Path]

    def __init__(self) -> None:
        super().__init__()
        self.serial = 0
        # Set by a write round the product that committed: the holder must notice it.
        self.outside_write = False
        # Set by a referral that only counted one more on a tie already there.
        self.tally_only = False
        # What the questions see, for the writes to aim at: the asked vacancies, the
        # skills they require and the people who hold one or are trained for one
        # (whatever their consent: a grant brings them in).
        self.asked: list[str] = []
        self.near_skills: list[str] = []
        self.near_people: list[str] = []
        self.near_occupations: list[str] = []
        self.tables: dict[str, list[dict[str, str]]] = {}
        self.people_rows: dict[str, dict[str, str]] = {}
        self.vacancy_rows: dict[str, dict[str, str]] = {}
        self.skills: list[str] = []
        self.lsoas: list[str] = []
        self.wards: list[str] = []
        self.authorities: list[str] = []
        self.organisations: list[str] = []

    def load_place(self, seed: int, people: int) -> None:
        """The demo place of ``people`` people, through the real loaders, alone in the
        database."""
        with self.driver.session(database=self.db) as session:
            session.run(CLEAR_GRAPH).consume()
        demo = self._path("demo")
        generate_demo(demo, people=people, seed=seed)
        load_demo_folder(demo, driver=self.driver, database=self.db)
        self.tables = {kind: _rows(demo / f"{kind}.csv") for kind in (
            "people", "vacancies", "skills", "qualifications", "areas", "organisations",
            "departments")}  # fmt: skip
        self.people_rows = {row["id"]: row for row in self.tables["people"]}
        self.vacancy_rows = {row["id"]: row for row in self.tables["vacancies"]}
        self.skills = [row["id"] for row in self.tables["skills"]]
        self.lsoas = [row["id"] for row in self.tables["areas"] if row["kind"] == "lsoa"]
        self.wards = [row["id"] for row in self.tables["areas"] if row["kind"] == "ward"]
        self.authorities = [ELSEWHERE["id"]] + [
            row["id"] for row in self.tables["areas"] if row["kind"] == "local_authority"
        ]
        self.organisations = [row["id"] for row in self.tables["organisations"]]

    # -- loader batches ----------------------------------------------------------

    @write_path("a people re-load")
    def people_reloaded(self, data: st.DataObject) -> None:
        """A survey re-load of a few people: skills, stage, right to work, home,
        English, and consent given, kept or withdrawn by the file."""
        now = datetime.now(UTC)
        states = self._people()
        rows = []
        for person in self._draw_people(data, 4):
            row = dict(self.people_rows[person])
            given, withdrawn, scopes = states[person]
            changes = data.draw(st.sets(st.sampled_from(
                ["skills", "stage", "right_to_work", "home", "english"]), max_size=3))  # fmt: skip
            if "skills" in changes:
                held = data.draw(
                    st.lists(st.sampled_from(self._skills(data)), max_size=4, unique=True)
                )
                row["skill_ids"] = ";".join(held)
            if "stage" in changes:
                stage = data.draw(st.sampled_from(STAGES))
                history = [part for part in row["stage_history"].split(";") if part]
                row["stage"] = stage
                row["stage_history"] = ";".join([*history, f"{stage}@{date.today()}"])
            if "right_to_work" in changes:
                row["right_to_work"] = data.draw(st.sampled_from(["true", "false", ""]))
            if "home" in changes:
                row["home_area_id"] = data.draw(st.sampled_from(self.lsoas))
            if "english" in changes:
                row["ielts_overall"] = data.draw(st.sampled_from(["", "5.5", "6.5", "7", "8"]))
            # A load cannot undo a withdrawal: the file carries what the graph holds.
            row["consent_given_at"], row["consent_withdrawn_at"] = _iso(given), _iso(withdrawn)
            row["consent_scopes"] = ";".join(scopes) or row["consent_scopes"]
            consent = data.draw(st.sampled_from(["kept", "withdrawn", "given"]))
            if consent == "withdrawn" and given is not None and withdrawn is None:
                row["consent_withdrawn_at"] = now.isoformat()
            if consent == "given" and given is None and withdrawn is None:
                row["consent_given_at"], row["consent_scopes"] = now.isoformat(), "matching"
            rows.append(row)
        self._load("people", rows)

    @write_path("an edges load")
    def edges_loaded(self, data: st.DataObject) -> None:
        """A batch of edges of one kind (what a batch journals must say what it changed,
        kind by kind), or of several mixed."""
        if data.draw(st.booleans()):
            kinds = [data.draw(st.sampled_from(EDGE_KINDS))] * data.draw(st.integers(1, 3))
        else:
            counts = {kind: data.draw(st.integers(0, 2)) for kind in EDGE_KINDS}
            kinds = [kind for kind, count in counts.items() for _ in range(count)] or EDGE_KINDS
        self._load("edges", [self._edge(data, kind) for kind in kinds])

    @write_path("a vacancies load")
    def vacancies_loaded(self, data: st.DataObject) -> None:
        """An asked vacancy's requirements changed by a re-load, or a new one loaded."""
        new = data.draw(st.booleans())
        base = data.draw(st.sampled_from(sorted(self.vacancy_rows) if new else self.asked))
        row = dict(self.vacancy_rows[base])
        if new:
            row["id"] = f"vac-never-stale-{self.serial}"
        row["essential_skill_ids"] = ";".join(data.draw(
            st.lists(st.sampled_from(self.skills), min_size=1, max_size=3, unique=True)))  # fmt: skip
        row["optional_skill_ids"] = ";".join(data.draw(
            st.lists(st.sampled_from(self.skills), max_size=2, unique=True)))  # fmt: skip
        row["min_ielts"] = data.draw(st.sampled_from(["", "6.5", "7"]))
        row["min_cefr"] = ""
        row["area_id"] = data.draw(st.sampled_from(self.lsoas))
        row["shortage"] = data.draw(st.sampled_from(["true", "false"]))
        row["status"] = data.draw(st.sampled_from(["open", "closed", "filled"]))
        self._load("vacancies", [row])
        self.vacancy_rows[row["id"]] = row
        if new:
            self._ask(row["id"])

    @write_path("a taxonomy load")
    def taxonomy_loaded(self, data: st.DataObject) -> None:
        """A new skill (through the skills loader) or none, and BROADER links as the
        ESCO loader writes them."""
        new = data.draw(st.booleans())
        if new:
            skill = dict(self.tables["skills"][0])
            skill["id"] = skill["uri"] = f"http://data.assetbridge.invalid/skill/ns-{self.serial}"
            skill["preferred_label"] = f"never stale {self.serial}"
            self._load("skills", [skill])
            self.skills.append(skill["id"])
        pair = st.lists(st.sampled_from(self._skills(data)), min_size=2, max_size=2, unique=True)
        pairs = data.draw(st.lists(pair, min_size=1, max_size=2))
        provenance = Provenance(source=SOURCE, loader_version="test", loaded_by=ADMIN)
        links = [BroaderSkill(skill, broader) for skill, broader in pairs]
        write_broader_skills(self.driver, self.db, links, provenance)

    @write_path("a qualifications re-load")
    def qualification_reloaded(self, data: st.DataObject) -> None:
        """A qualification's recognition (and now and then its occupation) changed:
        every holder's recognitions change with it."""
        rows = {row["id"]: row for row in self.tables["qualifications"]}
        row = dict(rows[data.draw(st.sampled_from(self._qualifications(data)))])
        row["recognition"] = data.draw(st.sampled_from(RECOGNITIONS))
        if data.draw(st.booleans()):
            occupations = sorted({r["occupation_id"] for r in rows.values()})
            row["occupation_id"] = data.draw(st.sampled_from(occupations))
        self._load("qualifications", [row])

    @write_path("an areas re-load")
    def area_moved(self, data: st.DataObject) -> None:
        """An LSOA or a ward re-loaded under another area, perhaps in a local authority
        of no vacancy: who lives locally to a vacancy changes."""
        rows = [r for r in self.tables["areas"] if r["kind"] in ("lsoa", "ward")]
        row = dict(data.draw(st.sampled_from(rows)))
        parents = self.authorities + (self.wards if row["kind"] == "lsoa" else [])
        row["parent_id"] = data.draw(st.sampled_from(parents))
        self._load("areas", [ELSEWHERE, row])

    # -- mutations -----------------------------------------------------------------

    @write_path("recordReferral on a tie already there")
    def referral_counted(self, data: st.DataObject) -> None:
        """A caseworker's referral on a tie already there: its count and date move, and
        nothing a question reads of a tie but those."""
        ties = self._referral_ties()
        assume(ties)
        source, target = data.draw(st.sampled_from(ties))
        record_referral(self.driver, self.db, ADMIN, source, target)
        self.tally_only = True

    @write_path("recordReferral on a new tie")
    def referral_tied(self, data: st.DataObject) -> None:
        """A new tie, with or without a trust; and now and then another referral on it
        that may give it another trust."""
        ties = set(self._referral_ties())
        departments = [NodeKey(label=Label.DEPARTMENT, id=row["id"])
                       for row in self.tables["departments"]]  # fmt: skip
        organisations = [NodeKey(label=Label.COMMUNITY_ORGANISATION, id=o)
                         for o in self.organisations]  # fmt: skip
        new = [(a, b) for a in organisations for b in [*organisations, *departments]
               if a != b and (a, b) not in ties]  # fmt: skip
        source, target = data.draw(st.sampled_from(new))
        trusts = st.sampled_from([None, 0.3, 0.9])
        record_referral(self.driver, self.db, ADMIN, source, target, strength=data.draw(trusts))
        if data.draw(st.booleans(), label="referred again"):
            record_referral(self.driver, self.db, ADMIN, source, target,
                            strength=data.draw(trusts))  # fmt: skip

    @write_path("a stage move")
    def stage_moved(self, data: st.DataObject) -> None:
        person = self._draw_people(data, 1, consenting=True)[0]
        stage = data.draw(st.sampled_from(list(ReadinessStage)))
        move_person_stage(self.driver, self.db, ADMIN, person, stage)

    @write_path("openVacancy")
    def vacancy_opened(self, data: st.DataObject) -> None:
        """A hub opens a new vacancy, or reopens an asked one with other requirements."""
        new = data.draw(st.booleans())
        row = self.vacancy_rows[data.draw(st.sampled_from(
            sorted(self.vacancy_rows) if new else self.asked))]  # fmt: skip
        ident = f"vac-opened-{self.serial}" if new else row["id"]
        essential = data.draw(st.lists(st.sampled_from(self.skills), min_size=1, max_size=3,
                                       unique=True))  # fmt: skip
        vacancy = Vacancy(
            id=ident, title=row["title"], anchor_id=row["anchor_id"],
            occupation_id=row["occupation_id"] or None, essential_skill_ids=essential,
            min_ielts=data.draw(st.sampled_from([None, 6.5, 7.0])),
            area_id=data.draw(st.sampled_from(self.lsoas)), shortage=data.draw(st.booleans()),
        )  # fmt: skip
        given = None if new else {"essential_skill_ids", "min_ielts", "area_id", "shortage"}
        open_vacancy(self.driver, self.db, ADMIN, vacancy, given=given)
        self.serial += 1
        if new:
            self.vacancy_rows[ident] = {**row, "id": ident}
            self._ask(ident)

    @write_path("closeVacancy")
    def vacancy_closed(self, data: st.DataObject) -> None:
        vacancy = data.draw(st.sampled_from(self.asked))
        close_vacancy(self.driver, self.db, ADMIN, vacancy, filled=data.draw(st.booleans()))

    @write_path("recordConsent")
    def consent_recorded(self, data: st.DataObject) -> None:
        """A grant (again, after a withdrawal, or for the first time) or new scopes."""
        grant = data.draw(st.booleans())
        person = self._draw_people(data, 1, consenting=False if grant else None)[0]
        scopes = data.draw(st.lists(st.sampled_from([s.value for s in ConsentScope]),
                                    min_size=1, unique=True))  # fmt: skip
        record_consent(self.driver, self.db, ADMIN, person, scopes, evidence="form NS-1",
                       source=SOURCE)  # fmt: skip

    @write_path("withdrawConsent")
    def consent_withdrawn(self, data: st.DataObject) -> None:
        person = self._draw_people(data, 1, consenting=True)[0]
        withdraw_consent(self.driver, self.db, ADMIN, person, source=SOURCE)

    @write_path("an erasure")
    def person_erased(self, data: st.DataObject) -> None:
        erase_person(self.driver, self.db, ADMIN, self._draw_people(data, 1)[0], source=SOURCE)

    @write_path("a personal-details read")
    def details_read(self, data: st.DataObject) -> None:
        personal_details(self.driver, self.db, ADMIN, self._draw_people(data, 3))

    # -- round the product -----------------------------------------------------------

    @write_path("a person's facts written round the product")
    def person_written_round_the_product(self, data: st.DataObject) -> None:
        self._round_the_product(data, OUTSIDE_PERSON)

    @write_path("the taxonomy, areas or recognitions written round the product")
    def place_written_round_the_product(self, data: st.DataObject) -> None:
        self._round_the_product(data, OUTSIDE_AROUND)

    def _round_the_product(self, data: st.DataObject, statements: dict[str, str]) -> None:
        statement = statements[data.draw(st.sampled_from(sorted(statements)))]
        parameters = {
            "person": self._draw_people(data, 1)[0],
            "stage": data.draw(st.sampled_from(STAGES)),
            "flag": data.draw(st.booleans()),
            "skill": data.draw(st.sampled_from(self._skills(data))),
            "other": data.draw(st.sampled_from(self._skills(data))),
            "lsoa": data.draw(st.sampled_from(self.lsoas)),
            "parent": data.draw(st.sampled_from(self.wards + self.authorities)),
            "qualification": data.draw(st.sampled_from(self._qualifications(data))),
            "recognition": data.draw(st.sampled_from(RECOGNITIONS)),
        }
        before = self._transaction()
        with self.driver.session(database=self.db) as session:
            session.run(statement, parameters).consume()
            after = transaction_id(session.last_bookmarks().raw_values)
        # A statement that matched nothing, or set what was there, commits nothing: then
        # there is nothing to detect.
        self.outside_write = after != before

    # -- helpers ---------------------------------------------------------------------

    def _path(self, name: str) -> Path:
        self.serial += 1
        return self.folder / f"{self.serial:04d}-{name}"

    def _load(self, kind: str, rows: list[dict[str, str]]) -> None:
        path = self._path(f"{kind}.csv")
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        report = load(kind, path, driver=self.driver, database=self.db, source=SOURCE)
        assert report.rows_rejected == 0, (kind, rows, report)

    def _edge(self, data: st.DataObject, kind: str) -> dict[str, str]:
        if kind == "REFERS_TO":
            ends = data.draw(st.lists(st.sampled_from(self.organisations), min_size=2,
                                      max_size=2, unique=True))  # fmt: skip
            kinds = ["organisation", "organisation"]
        elif kind == "KNOWS":
            ends = self._draw_people(data, 2, least=2)
            kinds = ["person", "person"]
        else:
            far, far_kind = {
                "HAS_SKILL": (self._skills(data), "skill"),
                "HOLDS": (self._qualifications(data), "qualification"),
                "SUPPORTED_BY": (self.organisations, "organisation"),
                "APPLIED_TO": (sorted(self.vacancy_rows), "vacancy"),
                "PLACED_IN": (sorted(self.vacancy_rows), "vacancy"),
            }[kind]
            ends = [*self._draw_people(data, 1), data.draw(st.sampled_from(far))]
            kinds = ["person", far_kind]
        return {
            "kind": kind, "from_id": ends[0], "to_id": ends[1], "from_kind": kinds[0],
            "to_kind": kinds[1],
            "strength": "" if kind in ("HAS_SKILL", "HOLDS", "APPLIED_TO", "PLACED_IN") else "0.6",
            "since": "", "count": "3" if kind == "REFERS_TO" else "",
        }  # fmt: skip

    def _referral_ties(self) -> list[tuple[NodeKey, NodeKey]]:
        records = self.driver.execute_query(REFERRAL_TIES, database_=self.db).records
        return [(NodeKey(label=Label.COMMUNITY_ORGANISATION, id=r["source"]),
                 NodeKey(label=Label(r["label"]), id=r["target"])) for r in records]  # fmt: skip

    def _people(self) -> dict[str, tuple[Any, Any, list[str]]]:
        records = self.driver.execute_query(PEOPLE, database_=self.db).records
        return {r["id"]: (r["given"], r["withdrawn"], list(r["scopes"])) for r in records}

    def _draw_people(
        self, data: st.DataObject, most: int, *, least: int = 1, consenting: bool | None = None
    ) -> list[str]:
        """People (those consenting or not, or either), often near the asked vacancies."""
        people = {
            person: state
            for person, state in self._people().items()
            if consenting is None or consenting == (state[0] is not None and state[1] is None)
        }
        near = [p for p in self.near_people if p in people]
        pool = near if len(near) >= least and _aimed(data) else sorted(people)
        assume(len(pool) >= least)
        return data.draw(
            st.lists(st.sampled_from(pool), min_size=least, max_size=most, unique=True)
        )

    def _skills(self, data: st.DataObject) -> list[str]:
        """Skills to draw from: often those the asked vacancies require (a change to
        them shows), else any."""
        return self.near_skills if self.near_skills and _aimed(data) else self.skills

    def _qualifications(self, data: st.DataObject) -> list[str]:
        """Qualifications to draw from: often those for the asked vacancies' occupations
        that people near them hold."""
        records = self.driver.execute_query(
            HELD_FOR, people=self.near_people, occupations=self.near_occupations,
            database_=self.db,
        ).records  # fmt: skip
        held = [str(r["id"]) for r in records]
        every = [row["id"] for row in self.tables["qualifications"]]
        return held if held and _aimed(data) else every

    def aim(self, vacancies: Iterable[VacancyRequirements]) -> None:
        """Aim the writes at what the questions about ``vacancies`` see."""
        asked = list(vacancies)
        self.near_occupations = sorted({v.occupation_id for v in asked if v.occupation_id})
        self.near_skills = sorted({skill for vacancy in asked for skill in vacancy.skill_ids})
        records = self.driver.execute_query(
            NEAR_PEOPLE,
            occupations=self.near_occupations,
            skills=self.near_skills,
            database_=self.db,
        ).records
        self.near_people = [str(r["id"]) for r in records]

    def _ask(self, vacancy: str) -> None:
        self.asked = [*self.asked[:ASKED], vacancy]

    def _transaction(self) -> int | None:
        with self.driver.session(database=self.db) as session:
            session.run("RETURN 1").consume()
            return transaction_id(session.last_bookmarks().raw_values)
