"""Who sees which people, as a property over every root field, role and argument.

Random places (random people, consent states, scopes, ties), loaded through the real
loaders into a real Neo4j. For every role (and nobody), every root field of the schema
(queries and mutations, found by introspection, so a new field is covered the day it is
added) is asked with random valid arguments, people among them, and a selection of
everything it returns to a few levels deep. Then:

- no answer holds the id or any personal value of a person that role may not see
  (place leaders, loaders and nobody: no person at all; everyone else: consenting people
  only; personal values only for an administrator, or a caseworker the person shares
  with);
- the people guard never had to withhold an answer (that would mean a question read
  someone it should not have: the guard's backstop firing is itself a failure);
- naming a person who has not consented gives the same answer, for every field and role,
  as naming a person who does not exist; for a place leader, so does naming a consenting
  person;
- every question answers the same as on the place without its people who have not
  consented, but for the aggregates that count everyone (``COUNTS_EVERYONE``): brokerage,
  matching, paths and measures are of the consenting network;
- over the run, brokerageGaps counted candidates and the questions that return people
  named some (the places are drawn with near-ready nurses, linked and not), so none of
  the above holds merely because nothing was read.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from neo4j import Driver

from graph.access import Caller, Role
from graph.settings import Neo4jSettings
from schema.people_guard import UNGUARDED_FIELDS, WITHHELD
from tests.conftest import CLEAR_GRAPH
from tests.schema.documents import (
    Document,
    draw_document,
    execute_as,
    id_arguments,
    root_fields,
    walk_settings,
)
from tests.schema.place import PLACE, TAXONOMY_LINKS, load_tables

pytestmark = pytest.mark.walks

# Everything of the fixed place but its people and their ties, which are drawn anew.
FIXED_TABLES = [table for table in PLACE if table[0] not in {"people", "edges"}]
ORGANISATIONS = ["org-welcome", "org-english", "org-church"]
CASEWORKER_ORG = "org-welcome"
AREAS = ["E01011331", "E01011332"]
OCCUPATIONS = ["occ-nurse", "occ-hca"]
SKILLS = ["skill-care", "skill-triage", "skill-meds", "skill-english"]
STAGES = ["engaged", "language_training", "accreditation", "placement"]
FIXED_IDS = [
    "Vacancy:vac-nurse", "Vacancy:vac-hca", "AnchorInstitution:anchor-lth",
    "AnchorInstitution:anchor-council", "Department:dept-hub",
    "CommunityOrganisation:org-welcome", "CommunityOrganisation:org-english",
    "Skill:skill-triage", "Occupation:occ-nurse", "Area:E01011331", "Service:svc-ielts",
]  # fmt: skip
PERSON = "Person:"
UNKNOWN_PERSON = f"{PERSON}pqzzzzzzzz"
ORG_EDGES = [
    ["REFERS_TO", "org-welcome", "org-english", "", "", "0.8", "2019-05-01", "12"],
    ["REFERS_TO", "org-welcome", "dept-hub", "", "department", "0.7", "", "30"],
    ["REFERS_TO", "org-english", "dept-hub", "", "department", "0.6", "", "4"],
    ["PARTNERS_WITH", "org-english", "anchor-lth", "", "anchor", "0.5", "", ""],
]  # fmt: skip
ROLES: list[Caller | None] = [
    None,
    Caller("leader", Role.PLACE_LEADER),
    Caller("analyst", Role.ANALYST),
    Caller("caseworker", Role.CASEWORKER, CASEWORKER_ORG),
    Caller("loader", Role.LOADER),
    Caller("admin", Role.ADMIN),
]


@dataclass
class Resident:
    token: str
    consent: str  # "never", "given" or "withdrawn"
    scopes: list[str]
    stage: str
    occupation: str
    area: str
    skills: list[str]
    organisations: list[str]

    @property
    def id(self) -> str:
        return f"pq{self.token}"

    @property
    def personal(self) -> list[str]:
        t = self.token.upper()
        return [f"Name{t}", f"mail{t}@example.org", f"Nation{t}", f"Status{t}", f"{t} Road"]


@dataclass
class Place:
    residents: list[Resident]
    knows: list[tuple[int, int]] = field(default_factory=list)

    def consenting(self) -> list[Resident]:
        return [r for r in self.residents if r.consent == "given"]

    def consenting_only(self) -> Place:
        """The same place had those who have not consented never been there."""
        kept = {i: n for n, i in enumerate(i for i, r in enumerate(self.residents)
                                           if r.consent == "given")}  # fmt: skip
        knows = [(kept[a], kept[b]) for a, b in self.knows if a in kept and b in kept]
        return Place(self.consenting(), knows)


# Skills that leave a nurse one gap (the unrecognised qualification) from the shortage
# vacancy: brokerage's supply and matching's best candidates. Drawn often, so every
# question that reads people has some to return, whoever may see them.
NEAR_READY = [["skill-care"], ["skill-triage", "skill-meds"], ["skill-care", "skill-english"]]


@st.composite
def places(draw: st.DrawFn) -> Place:
    tokens = draw(
        st.lists(
            st.text("bcdfghjkmnrstvwx", min_size=8, max_size=8), min_size=3, max_size=7, unique=True
        )  # fmt: skip
    )
    residents = [
        Resident(
            token=token,
            consent=draw(st.sampled_from(["never", "given", "given", "withdrawn"])),
            scopes=draw(
                st.lists(
                    st.sampled_from(["matching", *(f"share:{org}" for org in ORGANISATIONS[:2])]),
                    unique=True,
                )
            ),
            stage=draw(st.sampled_from(STAGES)),
            occupation=draw(st.sampled_from(["occ-nurse", *OCCUPATIONS])),
            area=draw(st.sampled_from(AREAS)),
            skills=draw(
                st.one_of(
                    st.sampled_from(NEAR_READY),
                    st.sampled_from(NEAR_READY),
                    st.lists(st.sampled_from(SKILLS), unique=True, max_size=3),
                )
            ),
            # None: no way in of their own; org-church: one with no route to the anchor.
            organisations=draw(
                st.one_of(
                    st.just([]), st.lists(st.sampled_from(ORGANISATIONS), unique=True, max_size=2)
                )
            ),
        )  # fmt: skip
        for token in tokens
    ]
    pairs = [(a, b) for a in range(len(residents)) for b in range(a + 1, len(residents))]
    knows = (
        draw(
            st.lists(st.sampled_from(pairs), unique=True, min_size=min(len(pairs), 3), max_size=10)
        )
        if pairs
        else []
    )
    return Place(residents, knows)


def _people_table(place: Place) -> tuple[str, list[str], list[list[object]]]:
    header = [
        "id", "name", "email", "nationality", "immigration_status", "address", "home_area_id",
        "right_to_work", "trained_as", "ielts_overall", "stage", "consent_given_at",
        "consent_withdrawn_at", "consent_scopes", "skill_ids", "organisation_ids",
    ]  # fmt: skip
    rows: list[list[object]] = []
    for r in place.residents:
        given = "" if r.consent == "never" else "2023-01-10T10:00:00"
        withdrawn = "2024-02-01T10:00:00" if r.consent == "withdrawn" else ""
        rows.append([
            r.id, *r.personal, r.area, "yes", r.occupation, "7.5", r.stage, given, withdrawn,
            ";".join(r.scopes), ";".join(r.skills), ";".join(r.organisations),
        ])  # fmt: skip
    return "people", header, rows


def _edges_table(place: Place) -> tuple[str, list[str], list[list[object]]]:
    header = ["kind", "from_id", "to_id", "from_kind", "to_kind", "strength", "since", "count"]
    rows: list[list[object]] = [list(edge) for edge in ORG_EDGES]
    for r in place.residents:
        rows += [["SUPPORTED_BY", r.id, org, "", "", "0.9", "", ""] for org in r.organisations]
    for a, b in place.knows:
        ids = place.residents[a].id, place.residents[b].id
        rows.append(["KNOWS", *ids, "", "", "0.7", "", ""])
    return "edges", header, rows


def _load(driver: Driver, database: str, folder: Path, place: Place) -> None:
    with driver.session(database=database) as session:
        session.run(CLEAR_GRAPH).consume()
    folder.mkdir(parents=True, exist_ok=True)
    load_tables(driver, database, folder, [*FIXED_TABLES, _people_table(place),
                                           _edges_table(place)])  # fmt: skip
    driver.execute_query(TAXONOMY_LINKS, database_=database)


# --- what each caller may see -------------------------------------------------------


def _forbidden(place: Place, caller: Caller | None) -> tuple[set[str], set[str]]:
    """The person ids and personal values ``caller`` must never receive."""
    sees_people = caller is not None and caller.sees_individuals
    visible = {r.id for r in place.consenting()} if sees_people else set()
    if caller is not None and caller.role is Role.ADMIN:
        readable = {r.id for r in place.consenting()}
    elif caller is not None and caller.role is Role.CASEWORKER:
        share = f"share:{caller.organisation_id}"
        readable = {r.id for r in place.consenting() if share in r.scopes}
    else:
        readable = set()
    ids = {r.id for r in place.residents} - visible
    values = {v for r in place.residents if r.id not in readable for v in r.personal}
    return ids, values


# --- the properties ---------------------------------------------------------------------

PROPERTY_SETTINGS = walk_settings(int(os.environ.get("ASSETBRIDGE_PEOPLE_PROPERTY_EXAMPLES", "4")))


def _check(place: Place, caller: Caller | None, operation: str, name: str,
           document: Document, body: dict[str, Any]) -> None:  # fmt: skip
    text = json.dumps(body)
    where = f"{operation} {name} as {getattr(caller, 'role', 'nobody')}: {document.text}"
    assert WITHHELD not in text, f"the people guard had to withhold {where}"
    ids, values = _forbidden(place, caller)
    # A rights field (consent, erasure, an Article 15 export) answers for the person it
    # names whatever their consent, under a rule of its own for the two roles that may call
    # it (tests/schema/test_people_rights.py), and so does the administrators' audit log;
    # every other role is still checked here.
    if f"{operation.title()}.{name}" in UNGUARDED_FIELDS and getattr(caller, "role", None) in (
        Role.ADMIN, Role.CASEWORKER,
    ):  # fmt: skip
        return
    leaked_ids = {i for i in ids if i in text}
    leaked_values = {v for v in values if v in text}
    assert not leaked_ids, (where, leaked_ids, text[:2000])
    assert not leaked_values, (where, leaked_values, text[:2000])


# What counts everyone, consenting or not (docs/security.md: people without consent
# "still count in aggregates"), as a type or Type.field. Everything else is of the
# consenting network and must read the same whether the others exist or not.
COUNTS_EVERYONE = frozenset({"Funnel", "CommunityOrganisation.peopleCount",
                             # A place's people on record, and the impact per 1,000
                             # of them (placeComparison).
                             "PlaceFigures.residents",
                             "PlaceFigures.impactPerThousandResidentsGbp",
                             # Not a count: its related skills come in the order the
                             # database gives the vacancy's skills, which two loads of
                             # one place need not share.
                             "Factor.detail"})  # fmt: skip
# The questions that return people: each must have named someone over the run, or the
# property above would hold of answers that read nobody.
RETURN_PEOPLE = frozenset({"matchingCandidates", "referralPaths", "pathway"})


@dataclass
class Reached:
    """What the run's answers held."""

    named: set[str] = field(default_factory=set)  # root fields whose answers named a person
    candidates: int = 0  # brokerageGaps answers that counted candidates


def _of_consenting(value: Any) -> Any:
    """An answer without what counts everyone; lists in any order, since a list's order
    may follow the database's (two loads of one place need not share it)."""
    if isinstance(value, dict):
        kind = value.get("__typename")
        if kind in COUNTS_EVERYONE:
            return kind
        return {k: _of_consenting(v) for k, v in value.items()
                if f"{kind}.{k}" not in COUNTS_EVERYONE}  # fmt: skip
    if isinstance(value, list):
        return sorted((_of_consenting(v) for v in value), key=json.dumps)
    return value


def _note(reached: Reached, name: str, body: dict[str, Any]) -> None:
    if f'"{PERSON}' in json.dumps(body):
        reached.named.add(name)
    if name == "brokerageGaps" and (body["data"] or {}).get(name, {}).get("candidates"):
        reached.candidates += 1


def test_no_role_receives_a_person_it_may_not_see(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path_factory: pytest.TempPathFactory
) -> None:
    reached = Reached()

    @PROPERTY_SETTINGS
    @given(place=places(), data=st.data())
    def holds(place: Place, data: st.DataObject) -> None:
        _property(clean_db, neo4j_settings, tmp_path_factory, place, data, reached)

    holds()
    assert reached.candidates, "no brokerageGaps answer counted a candidate"
    assert RETURN_PEOPLE <= reached.named, ("never named a person", RETURN_PEOPLE - reached.named)


def _property(
    driver: Driver, neo4j_settings: Neo4jSettings, tmp_path_factory: pytest.TempPathFactory,
    place: Place, data: st.DataObject, reached: Reached,
) -> None:  # fmt: skip
    people = [f"{PERSON}{r.id}" for r in place.residents]
    ids = [*FIXED_IDS, *people, UNKNOWN_PERSON]

    def order(root_field: tuple[str, str]) -> tuple[bool, bool, str]:
        operation, name = root_field
        return operation == "mutation", f"{operation.title()}.{name}" in UNGUARDED_FIELDS, name

    fields = sorted(root_fields(), key=order)
    # Every query with random arguments, twice by each role, drawn first: they are asked of
    # the place without its people who have not consented, then of the whole place.
    asked = [
        (name, caller, draw_document(data.draw, "query", name, ids))
        for operation, name in fields
        if operation == "query"
        for caller in ROLES
        for _ in range(2)
    ]  # fmt: skip
    _load(
        driver, neo4j_settings.database, tmp_path_factory.mktemp("place"), place.consenting_only()
    )
    without_them = {
        index: _of_consenting(execute_as(driver, neo4j_settings, caller, document))
        for index, (name, caller, document) in enumerate(asked)
        if f"Query.{name}" not in UNGUARDED_FIELDS
    }

    _load(driver, neo4j_settings.database, tmp_path_factory.mktemp("place"), place)
    # Every question with a person at each end it has: random people, as every role. For
    # whoever may not see that person, the answer must be the one for nobody at all.
    for name in sorted({name for name, _, _ in asked}):
        if f"Query.{name}" in UNGUARDED_FIELDS:
            continue
        for argument in id_arguments("query", name):
            for caller in ROLES:
                person = data.draw(st.sampled_from(people))
                document = draw_document(data.draw, "query", name, ids, {argument: person})
                body = execute_as(driver, neo4j_settings, caller, document)
                _check(place, caller, "query", name, document, body)
                _note(reached, name, body)
                if person.removeprefix(PERSON) in _forbidden(place, caller)[0]:
                    unknown = Document(document.text, {
                        k: (UNKNOWN_PERSON if v == person else v)
                        for k, v in document.variables.items()
                    })  # fmt: skip
                    control = execute_as(driver, neo4j_settings, caller, unknown)
                    assert body == control, (name, argument, caller, document.text)

    for index, (name, caller, document) in enumerate(asked):
        body = execute_as(driver, neo4j_settings, caller, document)
        _check(place, caller, "query", name, document, body)
        _note(reached, name, body)
        if index in without_them:
            assert _of_consenting(body) == without_them[index], (
                f"{name} as {getattr(caller, 'role', 'nobody')} changed with people who have "
                f"not consented: {document.text}", document.variables, body, without_them[index],
            )  # fmt: skip

    # Then every mutation; a write changes what later questions see, and consent changes
    # come at the very end.
    for operation, name in fields:
        if operation != "mutation":
            continue
        for caller in ROLES:
            document = draw_document(data.draw, operation, name, ids)
            body = execute_as(driver, neo4j_settings, caller, document)
            _check(place, caller, operation, name, document, body)


# --- a place built so that only someone who has not consented is the way in -------------


def _resident(token: str, consent: str, occupation: str = "occ-nurse",
              skills: tuple[str, ...] = ("skill-care",),
              organisations: tuple[str, ...] = ()) -> Resident:  # fmt: skip
    return Resident(token, consent, ["matching"], "accreditation", occupation, AREAS[0],
                    list(skills), list(organisations))  # fmt: skip


# Four near-ready nurses with no organisation of their own. One is linked through a
# consenting friend (the control); each other's only way in passes through someone who
# has not consented: a friend, the friend of a friend, or the friend in the middle. A
# random place seldom draws such a chain, so the property above can hold with a way-in
# query that walks through anyone; this place cannot.
WAY_IN_ONLY_THROUGH_THE_UNCONSENTING = Place(
    [
        _resident("ctrlnurs", "given"),
        _resident("ctrlfrnd", "given", "occ-hca", (), ("org-english",)),
        _resident("nearnurs", "given"),
        _resident("nearfrnd", "never", "occ-hca", (), ("org-english",)),
        _resident("farnurse", "given"),
        _resident("farmiddl", "given", "occ-hca", ()),
        _resident("farfrend", "withdrawn", "occ-hca", (), ("org-english",)),
        _resident("midnurse", "given"),
        _resident("midmiddl", "never", "occ-hca", ()),
        _resident("midfrend", "given", "occ-hca", (), ("org-english",)),
    ],
    knows=[(0, 1), (2, 3), (4, 5), (5, 6), (7, 8), (8, 9)],
)
BROKERAGE_EVERYTHING = """query ($hops: Int!) { brokerageGaps(anchorId: "AnchorInstitution:anchor-lth",
  occupation: "Occupation:occ-nurse", maxHops: $hops) {
  candidates linked unlinked
  unlinkedSupply { people personIds organisation { __typename } }
  criticalBrokers { pairsCut node { __typename } } criticalTies { __typename }
  suggestedLinks { reconnects reason source { __typename } target { __typename } } } }"""


def test_a_way_in_only_through_someone_who_has_not_consented_is_no_way_in(
    clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path_factory: pytest.TempPathFactory
) -> None:
    place = WAY_IN_ONLY_THROUGH_THE_UNCONSENTING
    database = neo4j_settings.database
    asked = [(caller, Document(BROKERAGE_EVERYTHING, {"hops": hops}))
             for caller in ROLES for hops in (3, 6, 10)]  # fmt: skip
    _load(clean_db, database, tmp_path_factory.mktemp("place"), place.consenting_only())
    without_them = [execute_as(clean_db, neo4j_settings, c, d) for c, d in asked]
    _load(clean_db, database, tmp_path_factory.mktemp("place"), place)
    admin = Caller("admin", Role.ADMIN)
    for (caller, document), alone in zip(asked, without_them, strict=True):
        body = execute_as(clean_db, neo4j_settings, caller, document)
        _check(place, caller, "query", "brokerageGaps", document, body)
        assert body == alone, (getattr(caller, "role", None), document.variables, body, alone)
        if caller == admin and document.variables["hops"] == 10:
            # Read as it should be: the control linked, the other three not.
            answer = body["data"]["brokerageGaps"]
            assert (answer["candidates"], answer["linked"]) == (4, 1), answer
