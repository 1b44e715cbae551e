"""The referral network, read for path finding.

Only people who consented appear; a person reaches organisations through at
most two word-of-mouth hops (KNOWS or MENTORED_BY, "a friend of a friend"),
and everything past the first organisation runs over organisational ties.
Only ties that held on ``$as_of`` (graph/cypher/history.py) are read, and only nodes
in ``$places`` (graph/cypher/scope.py; null: every place), so a path never steps onto a
node of a place the caller may not see: a tie is read only when both its ends are.
"""

from graph.cypher.history import held_on
from graph.cypher.scope import in_places

# The organisational ties (both ends in $places, held on $as_of), as a, r, b rows.
_organisational_ties = (
    """
    MATCH (a)-[r:REFERS_TO|PARTNERS_WITH|PART_OF]->(b)
    WHERE (a:CommunityOrganisation OR a:Department OR a:AnchorInstitution)
      AND """
    + held_on("r")
    + " AND "
    + in_places("a")
    + " AND "
    + in_places("b")
    + """
    RETURN a, r, b
"""
)
# A vacancy leads nowhere, so of the many POSTS ties only those to $vacancy_ids (the
# vacancies asked about) can lie on a path; the others are left out.
_posts_asked = (
    """
    UNWIND $vacancy_ids AS vacancy_id
    MATCH (a:AnchorInstitution)-[r:POSTS]->(b:Vacancy {id: vacancy_id})
    WHERE """
    + in_places("a")
    + " AND "
    + in_places("b")
    + """
    RETURN a, r, b
"""
)
_packed_ties = """
  RETURN collect([labels(a)[0], a.id, coalesce(a.name, a.title),
                  labels(b)[0], b.id, coalesce(b.name, b.title),
                  type(r), r.strength]) AS ties
"""
# The word-of-mouth ties of $person_ids, as the column people.
_word_of_mouth = (
    """
CALL () {
  UNWIND $person_ids AS person_id
  MATCH (p:Person {id: person_id})
  WHERE p.consent_given_at IS NOT NULL AND p.consent_withdrawn_at IS NULL
    AND """
    + in_places("p")
    + """
  // Only ties a path can use: people stand only in a path's first two hops, so
  // the person's own ties, their friends' ties to others, and the organisations
  // of everyone within two hops. A friend of a friend's own friends never count.
  CALL (p) {
    MATCH (p)-[r:KNOWS|MENTORED_BY]-(f:Person)
    WHERE f.consent_given_at IS NOT NULL AND f.consent_withdrawn_at IS NULL
      AND """
    + held_on("r")
    + " AND "
    + in_places("f")
    + """
    RETURN p AS q, 'Person' AS to_label, f.id AS to_id, null AS to_name, type(r) AS type, r.strength AS strength
    UNION
    MATCH (p)-[k:KNOWS|MENTORED_BY]-(f:Person)-[r:KNOWS|MENTORED_BY]-(g:Person)
    WHERE f.consent_given_at IS NOT NULL AND f.consent_withdrawn_at IS NULL
      AND g.consent_given_at IS NOT NULL AND g.consent_withdrawn_at IS NULL
      AND """
    + held_on("k")
    + " AND "
    + held_on("r")
    + " AND "
    + in_places("f")
    + " AND "
    + in_places("g")
    + """
    RETURN f AS q, 'Person' AS to_label, g.id AS to_id, null AS to_name, type(r) AS type, r.strength AS strength
    UNION
    MATCH (p)(()-[k:KNOWS|MENTORED_BY WHERE """
    + held_on("k")
    + """]-(x:Person WHERE x.consent_given_at IS NOT NULL AND x.consent_withdrawn_at IS NULL AND """
    + in_places("x")
    + """)){0,2}(q:Person)-[r:SUPPORTED_BY]->(o:CommunityOrganisation)
    WHERE """
    + held_on("r")
    + " AND "
    + in_places("q")
    + " AND "
    + in_places("o")
    + """
    RETURN q, 'CommunityOrganisation' AS to_label, o.id AS to_id, o.name AS to_name, type(r) AS type, r.strength AS strength
  }
  RETURN collect(DISTINCT [q.id, to_label, to_id, to_name, type, strength]) AS people
}
"""
)

# One row: the organisational ties and the POSTS ties asked about, as lists, then the
# word-of-mouth ties of $person_ids. One packed row costs a fraction of a row per tie
# through the driver.
REFERRAL_NETWORK = (
    "CALL () {\n  CALL () {"
    + _organisational_ties
    + "    UNION ALL"
    + _posts_asked
    + "  }"
    + _packed_ties
    + "}"
    + _word_of_mouth
    + "RETURN ties AS backbone, people\n"
)

# The organisational backbone alone: the same of every person, so kept once per day
# and places while no organisation or tie between them changes
# (graph.services.paths.load_referral_network).
BACKBONE = "CALL () {" + _organisational_ties + "}" + _packed_ties

# What a question reads beside a kept backbone: the POSTS ties asked about, then the
# word-of-mouth ties of $person_ids, as REFERRAL_NETWORK reads them.
NEIGHBOURHOOD = (
    "CALL () {\n  CALL () {"
    + _posts_asked
    + "  }"
    + _packed_ties
    + "}"
    + _word_of_mouth
    + "RETURN ties AS posts, people\n"
)
