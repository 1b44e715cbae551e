"""The projection on a real Neo4j: what it keeps, what it names, and what it refuses."""

from __future__ import annotations

import networkx as nx
import pytest
from neo4j import Driver

from graph.analytics import projection as projection_module
from graph.analytics.projection import Projection, WeightProperty, project
from graph.errors import InvalidInputError, NotFoundError
from graph.settings import Neo4jSettings
from graph.vocabulary import Label, RelType

# City (E08) holds wards W1 and W2; W1 holds LSOA L1. p1 lives in L1, p2 in W2,
# p3 outside the city; the charity is in L1, the trust in W2, the far charity outside.
PLACE = """
CREATE (city:Area {id: 'E08', name: 'City', kind: 'local_authority'})
CREATE (w1:Area {id: 'W1', name: 'Ward One', kind: 'ward'})-[:WITHIN]->(city)
CREATE (w2:Area {id: 'W2', name: 'Ward Two', kind: 'ward'})-[:WITHIN]->(city)
CREATE (l1:Area {id: 'L1', name: 'LSOA One', kind: 'lsoa'})-[:WITHIN]->(w1)
CREATE (far:Area {id: 'X', name: 'Elsewhere', kind: 'local_authority'})
CREATE (p1:Person {id: 'p1', consent_given_at: datetime('2024-01-01T00:00:00')})-[:LIVES_IN]->(l1)
CREATE (p2:Person {id: 'p2', consent_given_at: datetime('2024-01-01T00:00:00')})-[:LIVES_IN]->(w2)
CREATE (p3:Person {id: 'p3', consent_given_at: datetime('2024-01-01T00:00:00')})-[:LIVES_IN]->(far)
CREATE (p1)-[:HAS_PERSONAL_RECORD]->(:PersonalRecord {id: 'p1', name: 'Amina Hassan'})
CREATE (charity:CommunityOrganisation {id: 'charity', name: 'Refugee Welcome'})-[:LOCATED_IN]->(l1)
CREATE (farcharity:CommunityOrganisation {id: 'far', name: 'Far Charity'})-[:LOCATED_IN]->(far)
CREATE (trust:AnchorInstitution {id: 'trust', name: 'City Hospital'})-[:LOCATED_IN]->(w2)
CREATE (hub:Department {id: 'hub', name: 'Learning Works'})-[:PART_OF {strength: 1.0}]->(trust)
CREATE (skill:Skill {id: 'care', preferred_label: 'provide care'})
CREATE (p1)-[:KNOWS {strength: 0.8}]->(p2)
CREATE (p2)-[:KNOWS {strength: 0.3}]->(p1)
CREATE (p1)-[:MENTORED_BY {strength: 0.6}]->(p2)
CREATE (p1)-[:KNOWS]->(p1)
CREATE (p3)-[:KNOWS {strength: 0.5}]->(p1)
CREATE (p1)-[:SUPPORTED_BY {strength: 0.9, count: 4}]->(charity)
CREATE (p3)-[:SUPPORTED_BY {strength: 0.7}]->(farcharity)
CREATE (charity)-[:REFERS_TO {count: 12}]->(hub)
CREATE (farcharity)-[:REFERS_TO {strength: 0.2}]->(charity)
CREATE (p1)-[:HAS_SKILL]->(skill)
"""


@pytest.fixture
def place(clean_db: Driver, neo4j_settings: Neo4jSettings) -> Driver:
    clean_db.execute_query(PLACE, database_=neo4j_settings.database)
    return clean_db


def _ties(graph: nx.Graph) -> dict[tuple[str, str], tuple[float, str]]:
    """Ties by the ids at either end (in id order when undirected)."""
    found = {}
    for a, b, data in graph.edges(data=True):
        ends = (a[1], b[1]) if graph.is_directed() else tuple(sorted((a[1], b[1])))
        found[ends] = (data["weight"], data["type"])
    return found


def test_default_projection_is_the_referral_network(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    graph = project(place, neo4j_settings.database)
    assert not graph.is_directed()
    assert sorted(graph) == [
        ("AnchorInstitution", "trust"), ("CommunityOrganisation", "charity"),
        ("CommunityOrganisation", "far"), ("Department", "hub"),
        ("Person", "p1"), ("Person", "p2"), ("Person", "p3"),
    ]  # fmt: skip
    # p1-p2: KNOWS both ways and MENTORED_BY; the strongest (0.8) stands. The
    # self-tie is left out; a missing strength weighs 1.0.
    assert _ties(graph) == {
        ("p1", "p2"): (0.8, "KNOWS"),
        ("p1", "p3"): (0.5, "KNOWS"),
        ("charity", "p1"): (0.9, "SUPPORTED_BY"),
        ("far", "p3"): (0.7, "SUPPORTED_BY"),
        ("charity", "hub"): (1.0, "REFERS_TO"),
        ("charity", "far"): (0.2, "REFERS_TO"),
        ("hub", "trust"): (1.0, "PART_OF"),
    }


def test_nodes_carry_label_group_and_names_except_people(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    graph = project(place, neo4j_settings.database)
    person = graph.nodes[("Person", "p1")]
    assert {k: v for k, v in person.items() if k != "element_id"} == {
        "label": "Person", "id": "p1", "group": "micro_asset",
    }  # fmt: skip
    assert person["element_id"]
    assert graph.nodes[("CommunityOrganisation", "charity")]["group"] == "intermediary"
    assert graph.nodes[("CommunityOrganisation", "charity")]["name"] == "Refugee Welcome"
    assert graph.nodes[("Department", "hub")]["group"] == "intermediary"
    assert graph.nodes[("AnchorInstitution", "trust")]["group"] == "macro_asset"
    assert not any("Amina" in str(data) for _, data in graph.nodes(data=True))


def test_directed_projection_keeps_directions_and_doubles_reciprocal_ties(
    place: Driver, neo4j_settings: Neo4jSettings
) -> None:
    graph = project(place, neo4j_settings.database, Projection(directed=True))
    assert graph.is_directed()
    ties = _ties(graph)
    assert ties[("p1", "p2")] == (0.8, "KNOWS")
    assert ties[("p2", "p1")] == (0.8, "KNOWS")  # KNOWS p1->p2 (0.8) runs both ways
    assert ties[("p1", "p3")] == (0.5, "KNOWS")
    assert ("charity", "p1") not in ties
    assert ("hub", "charity") not in ties
    assert graph.number_of_edges() == 9


def test_labels_types_and_weights_are_chosen(place: Driver, neo4j_settings: Neo4jSettings) -> None:
    chosen = Projection(
        labels=(Label.PERSON, Label.SKILL, Label.COMMUNITY_ORGANISATION),
        rel_types=(RelType.HAS_SKILL, RelType.SUPPORTED_BY),
        weight=WeightProperty.COUNT,
    )
    graph = project(place, neo4j_settings.database, chosen)
    assert ("Skill", "care") in graph
    assert graph.nodes[("Skill", "care")]["name"] == "provide care"
    assert _ties(graph) == {
        ("care", "p1"): (1.0, "HAS_SKILL"),
        ("charity", "p1"): (4.0, "SUPPORTED_BY"),
        ("far", "p3"): (1.0, "SUPPORTED_BY"),
    }
    unweighted = project(place, neo4j_settings.database, Projection(weight=None))
    assert {d["weight"] for _, _, d in unweighted.edges(data=True)} == {1.0}


def test_area_keeps_what_lies_within(place: Driver, neo4j_settings: Neo4jSettings) -> None:
    labels = (*Projection().labels, Label.AREA, Label.SKILL)
    city = project(place, neo4j_settings.database, Projection(labels=labels, area_id="E08"))
    # The hub records no place of its own, so no area holds it; skills have no
    # place at all and always stay.
    assert sorted(n[1] for n in city) == ["E08", "L1", "W1", "W2", "care", "charity", "p1", "p2",
                                          "trust"]  # fmt: skip
    ward = project(place, neo4j_settings.database, Projection(area_id="W1"))
    assert sorted(ward) == [("CommunityOrganisation", "charity"), ("Person", "p1")]
    assert _ties(ward) == {("charity", "p1"): (0.9, "SUPPORTED_BY")}


def test_anchor_keeps_its_neighbourhood(place: Driver, neo4j_settings: Neo4jSettings) -> None:
    near = project(place, neo4j_settings.database, Projection(anchor_id="trust", anchor_hops=2))
    assert sorted(n[1] for n in near) == ["charity", "hub", "trust"]
    wider = project(place, neo4j_settings.database,
                    Projection(anchor_id="trust", anchor_hops=3, directed=True))  # fmt: skip
    assert sorted(n[1] for n in wider) == ["charity", "far", "hub", "p1", "trust"]


def test_streams_in_batches_to_the_same_graph(
    place: Driver, neo4j_settings: Neo4jSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = project(place, neo4j_settings.database)
    monkeypatch.setattr(projection_module, "BATCH_ROWS", 2)
    monkeypatch.setattr(projection_module, "FETCH_SIZE", 1)
    paged = project(place, neo4j_settings.database)
    assert nx.utils.graphs_equal(whole, paged)


@pytest.mark.parametrize(
    ("projection", "error", "message"),
    [
        (Projection(labels=(Label.PERSONAL_RECORD,)), InvalidInputError, "PersonalRecord cannot"),
        (Projection(labels=(Label.LOAD_RUN, Label.PERSON)), InvalidInputError, "LoadRun cannot"),
        (Projection(labels=()), InvalidInputError, "at least one"),
        (Projection(rel_types=(RelType.HAS_PERSONAL_RECORD,)), InvalidInputError,
         "HAS_PERSONAL_RECORD cannot"),
        (Projection(area_id="nowhere"), NotFoundError, "no area with id 'nowhere'"),
        (Projection(anchor_id="nope"), NotFoundError, "no anchor institution"),
        (Projection(anchor_id="trust", labels=(Label.PERSON,)), InvalidInputError,
         "needs AnchorInstitution"),
        (Projection(anchor_id="trust", anchor_hops=0), InvalidInputError, "between 1 and 10"),
    ],
)  # fmt: skip
def test_refuses_what_it_cannot_project(
    place: Driver, neo4j_settings: Neo4jSettings, projection: Projection, error: type[Exception],
    message: str,
) -> None:  # fmt: skip
    with pytest.raises(error, match=message):
        project(place, neo4j_settings.database, projection)


@pytest.mark.parametrize(
    "consent",
    ["", "consent_given_at: datetime('2024-01-01T00:00:00'), consent_withdrawn_at: datetime()"],
    ids=["never-consented", "withdrawn"],
)
def test_people_without_current_consent_are_not_projected(
    place: Driver, neo4j_settings: Neo4jSettings, consent: str
) -> None:
    """Finding 2 of issue 13: the projection read every person, consenting or not."""
    place.execute_query(
        "MATCH (p1:Person {id: 'p1'}), (charity:CommunityOrganisation {id: 'charity'}) "
        f"CREATE (h:Person {{id: 'p-hidden' {', ' + consent if consent else ''}}}) "
        "CREATE (h)-[:KNOWS {strength: 0.9}]->(p1), (h)-[:SUPPORTED_BY]->(charity)",
        database_=neo4j_settings.database,
    )
    graph = project(place, neo4j_settings.database)
    assert ("Person", "p-hidden") not in graph
    assert ("Person", "p1") in graph
    # Their ties leave with them: p1's neighbours are as before.
    assert sorted(graph[("Person", "p1")]) == [
        ("CommunityOrganisation", "charity"), ("Person", "p2"), ("Person", "p3"),
    ]  # fmt: skip
