"""Whether a node lies in the caller's places: the one definition every query scoped to
them uses (docs/places.md, "One scope where things are read").

A node of a placed label (``graph.vocabulary.PLACED_LABELS``) is in scope when one of
its ``place_ids`` is among ``$places``; ``$places`` null stands for every place (an
administrator, or code that holds the database's password). A node in no place is seen
only with every place. The predicate is spliced into query constants when their modules
are imported, as ``held_on`` is: the text put together is a variable written in the
query, never a value; the places always arrive as the parameter ``$places``.
"""

from typing import LiteralString

__all__ = ["in_places", "in_places_if_placed"]

# The placed labels (graph.vocabulary.PLACED_LABELS) as a label expression, written out
# because a query's text must be a literal; a test holds the two equal. In lower case: every
# upper-case string constant of graph/cypher is a query, and is EXPLAINed as one.
_placed_labels: LiteralString = (
    "Person|CommunityOrganisation|Service|AnchorInstitution|Department|Vacancy|Property|Area"
)


def in_places(node: LiteralString) -> LiteralString:
    """The Cypher predicate "the node bound to ``node`` is in one of ``$places``"."""
    return "($places IS NULL OR any(place IN " + node + ".place_ids WHERE place IN $places))"


def in_places_if_placed(node: LiteralString) -> LiteralString:
    """The Cypher predicate "the node bound to ``node`` is in one of ``$places``, or is
    of no placed label" (a skill, an occupation, a qualification: the same everywhere),
    for a query that meets nodes of any label, such as every tie of one person."""
    return "(NOT " + node + ":" + _placed_labels + " OR " + in_places(node) + ")"
