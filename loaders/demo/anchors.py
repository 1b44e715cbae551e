"""The macro assets of the demo place: anchors, their departments (the hub among
them) and the land and buildings that link owners to users.

Figures are invented but sized so the practitioners' rule of thumb (more than
250 staff, or more than £1m spend, or significant land) comes out differently:
the trust, university and council meet all three tests, the land-owning charity
only the land test, and the housing developer none.
"""

from __future__ import annotations

from loaders.demo.geography import (
    COUNCIL_LSOA,
    HOSPITAL_LSOA,
    HUB_LSOA,
    UNIVERSITY_LSOA,
    Geography,
)

__all__ = [
    "HUB_ID",
    "anchor_rows",
    "department_rows",
    "property_rows",
    "property_use_edges",
    "service_delivery_edges",
]

HUB_ID = "dept-learning-works"

# id, name, sector, employees, annual spend (£), land (ha), significant land, LSOA
_ANCHORS: tuple[tuple[str, str, str, int, int, float, bool, int], ...] = (
    ("anchor-trust", "Riverbridge University Hospitals NHS Foundation Trust", "health",
     9400, 412_000_000, 31.5, True, HOSPITAL_LSOA),
    ("anchor-university", "University of Riverbridge", "education",
     4200, 168_000_000, 46.0, True, UNIVERSITY_LSOA),
    ("anchor-council", "Riverbridge City Council", "local government",
     6800, 590_000_000, 920.0, True, COUNCIL_LSOA),
    ("anchor-developer", "Canalside Homes Ltd", "housing development",
     140, 900_000, 3.2, False, 3),
    ("anchor-land-charity", "Eastbrook Waterways Trust", "charity",
     35, 640_000, 118.0, True, 2),
)  # fmt: skip

# id, name, kind, anchor, LSOA
_DEPARTMENTS: tuple[tuple[str, str, str, str, int], ...] = (
    # Modelled on "Learning Works" in the seeds: set up by the trust, in the
    # neighbourhood but apart from the hospital, keeping the opportunities database.
    (HUB_ID, "Riverbridge Learning Works", "employment_hub", "anchor-trust", HUB_LSOA),
    ("dept-nursing", "Nursing and Midwifery Directorate", "department", "anchor-trust",
     HOSPITAL_LSOA),
    ("dept-pharmacy", "Pharmacy Department", "department", "anchor-trust", HOSPITAL_LSOA),
    ("dept-pathology", "Pathology Laboratories", "department", "anchor-trust", HOSPITAL_LSOA),
    ("dept-dental", "Community Dental Service", "department", "anchor-trust", HOSPITAL_LSOA),
    ("dept-medical-education", "Medical Education Centre", "department", "anchor-trust",
     HOSPITAL_LSOA),
    ("dept-council-employment", "Employment and Skills Service", "department", "anchor-council",
     COUNCIL_LSOA),
    ("dept-widening-participation", "Widening Participation Office", "department",
     "anchor-university", UNIVERSITY_LSOA),
)  # fmt: skip

# id, name, kind, owner, use, size (m²), open to the community, LSOA, organisations using it
_PROPERTIES: tuple[tuple[str, str, str, str, str, int, bool, int, tuple[str, ...]], ...] = (
    # Kept for community use, but the developer has no local contacts to fill it.
    ("prop-old-library", "Former Eastbrook Library (listed building)", "building",
     "anchor-developer", "Historic building kept for community use; no tenant yet", 640, True,
     0, ()),
    ("prop-st-annes-hall", "St Anne's Church Hall co-working space", "building",
     "org-st-annes-church", "Co-working space for social entrepreneurs", 420, True, 6,
     ("org-threads", "org-ielts-together", "org-green-streets", "org-st-annes-welcome")),
    ("prop-reservoir", "Eastbrook Reservoir and open space", "land", "anchor-land-charity",
     "Open water and meadow; residents want a say in its future", 182_000, True, 2,
     ("org-reservoir-friends", "org-green-streets")),
    ("prop-hospital", "Riverbridge General Hospital", "building", "anchor-trust",
     "Acute hospital", 86_000, False, HOSPITAL_LSOA, ()),
    ("prop-education-centre", "Hospital Education and Training Centre", "building",
     "anchor-trust", "Teaching rooms and simulation suite", 3_200, True, HOSPITAL_LSOA,
     ("org-medical-mentors", "org-clinical-english", "org-refugee-doctors")),
    ("prop-eastbrook-parade", "12 Eastbrook Parade (shopfront)", "building", "anchor-council",
     "The employment hub's drop-in and crèche", 180, True, HUB_LSOA, ("org-little-steps",)),
    ("prop-northgate-centre", "Northgate Community Centre", "building", "anchor-council",
     "Community rooms for hire", 950, True, 10,
     ("org-jobclub-northgate", "org-esol-library", "org-yemeni-kitchen", "org-roma-families")),
    ("prop-health-sciences", "Health Sciences Building", "building", "anchor-university",
     "Teaching and laboratories", 12_500, False, UNIVERSITY_LSOA,
     ("org-healthcare-pathways",)),
    ("prop-canalside-yard", "Canalside Yard development site", "land", "anchor-developer",
     "Cleared site awaiting housing", 21_000, False, 3, ()),
)  # fmt: skip


def anchor_rows(geo: Geography) -> list[dict[str, object]]:
    return [
        {
            "id": ident,
            "name": name,
            "sector": sector,
            "employees": employees,
            "annual_spend_gbp": spend,
            "land_hectares": land,
            "significant_land": significant,
            "area_id": geo.lsoa_ids[lsoa],
        }
        for ident, name, sector, employees, spend, land, significant, lsoa in _ANCHORS
    ]


def department_rows(geo: Geography) -> list[dict[str, object]]:
    return [
        {
            "id": ident,
            "name": name,
            "kind": kind,
            "anchor_id": anchor,
            "area_id": geo.lsoa_ids[lsoa],
        }
        for ident, name, kind, anchor, lsoa in _DEPARTMENTS
    ]


def _extra_property_count(people: int) -> int:
    return people // 10_000


def property_rows(geo: Geography, people: int) -> list[dict[str, object]]:
    """The nine landmark properties, plus a council community room per 10,000 people."""
    rows: list[dict[str, object]] = [
        {
            "id": ident,
            "name": name,
            "kind": kind,
            "owner_id": owner,
            "use": use,
            "size_sqm": size,
            "available_for_community": available,
            "area_id": geo.lsoa_ids[lsoa],
        }
        for ident, name, kind, owner, use, size, available, lsoa, _ in _PROPERTIES
    ]
    for k in range(_extra_property_count(people)):
        rows.append(
            {
                "id": f"prop-room-{k + 1:03d}",
                "name": f"Community room {k + 1}",
                "kind": "building",
                "owner_id": "anchor-council",
                "use": "Community room for hire",
                "size_sqm": 120,
                "available_for_community": True,
                "area_id": geo.lsoa_ids[k % len(geo.lsoa_ids)],
            }
        )
    return rows


def property_use_edges(people: int, extra_org_ids: list[str]) -> list[dict[str, object]]:
    """USES: organisations that meet or work in a property."""
    edges: list[dict[str, object]] = [
        {"kind": "USES", "from_id": user, "to_id": ident}
        for ident, *_, users in _PROPERTIES
        for user in users
    ]
    for k in range(_extra_property_count(people)):
        if k < len(extra_org_ids):
            edges.append(
                {"kind": "USES", "from_id": extra_org_ids[k], "to_id": f"prop-room-{k + 1:03d}"}
            )
    return edges


def service_delivery_edges(
    uses: list[dict[str, object]], first_service: dict[str, str]
) -> list[dict[str, object]]:
    """DELIVERED_AT: an organisation's main service runs where the organisation meets."""
    return [
        {
            "kind": "DELIVERED_AT",
            "from_id": first_service[str(edge["from_id"])],
            "to_id": edge["to_id"],
        }
        for edge in uses
        if str(edge["from_id"]) in first_service
    ]
