"""Skills-taxonomy writes that entity rows do not carry as fields.

The occupation-skill and skill-hierarchy links themselves are
``ingest_links.LINK_OCCUPATION_SKILLS`` and ``ingest_links.LINK_SKILL_BROADER``.
"""

# ESCO names no UK regulator, so a separate file supplies one; naming a
# regulator is what makes the occupation regulated here.
SET_OCCUPATION_REGULATORS = """
UNWIND $rows AS row
MATCH (o:Occupation {id: row.occupation_id})
SET o.regulator = row.regulator,
    o.regulated = true
"""
