"""Organisation, service and organisation-edge rows of the demo place, and the
pools people draw their supporters from.

The fifty named organisations come from ``org_data``; a larger place adds one
more for every 500 extra people, in the same proportions of roles.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from random import Random

from loaders.demo.geography import Geography
from loaders.demo.org_data import (
    AFFINITY,
    ANCHOR_PARTNERSHIPS,
    BASE_ORGANISATIONS,
    DEPARTMENT_PARTNERSHIPS,
    DEPARTMENT_REFERRALS,
    GENERAL_FRONTLINE,
    HUB,
    ORG_PARTNERSHIPS,
    POCKET_AFFINITY,
    REFERRALS,
    STAGE_HELP,
    OrgSpec,
    Role,
)

__all__ = ["Organisations", "Supporters", "build_organisations"]

Row = dict[str, object]

_SERVICE_NAMES = {
    "ielts_tuition": "IELTS preparation",
    "english_classes": "English classes (ESOL)",
    "mentoring": "Mentoring",
    "immigration_advice": "Immigration advice",
    "childcare": "Childcare during training and interviews",
    "placement": "Work placements",
    "observership": "Clinical observerships",
    "interview_clothes": "Clothes for interviews",
    "peer_support": "Peer support group",
    "job_search": "Job search and CV help",
    "accreditation_support": "Help with recognition and registration",
    "interim_work": "Interim work in social care",
    "casework": "Casework, with a first visit accompanied",
    "other": "Drop-in and signposting",
}

_STREETS = (
    "Albion", "Brook", "Canal", "Dale", "Elm", "Foundry", "Gladstone", "Hope", "Ivy", "Jubilee",
    "Kelvin", "Lock", "Mill", "Nelson", "Orchard", "Park", "Quarry", "Railway", "Station",
    "Tower", "Union", "Victoria", "Wharf", "York",
)  # fmt: skip

# The roles a larger place adds, in turn: mostly frontline, some help, some gap.
_EXTRA_KINDS = (
    "job_club", "faith_group", "specialist", "gp_practice", "training_provider", "pocket",
    "specialist", "faith_group", "job_club", "frontline",
)  # fmt: skip
_FAITHS = ("Community Church", "Islamic Centre", "Baptist Chapel", "Hindu Mandir",
           "Pentecostal Fellowship", "Orthodox Parish")  # fmt: skip
# Frontline organisations already tied to the hub, that new small groups refer to.
_REFERRAL_HUBS = ("org-refugee-support", "org-st-annes-welcome", "org-cee-newcomers")


@dataclass(frozen=True)
class Supporters:
    """Where people turn: by nationality, anyone's frontline, help by stage, the gap."""

    affinity: dict[str, tuple[str, ...]]
    general: tuple[str, ...]
    general_cum_weights: tuple[int, ...]
    stage_help: dict[str, tuple[str, ...]]
    pocket: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Organisations:
    rows: tuple[Row, ...]
    services: tuple[Row, ...]
    edges: tuple[Row, ...]
    supporters: Supporters
    extra_ids: tuple[str, ...]

    def first_services(self) -> dict[str, str]:
        """Each organisation's first service, the one it is best known for."""
        first: dict[str, str] = {}
        for row in self.services:
            first.setdefault(str(row["organisation_id"]), str(row["id"]))
        return first


def _since(year: int, rng: Random) -> date:
    return date(year, rng.randint(1, 12), 1)


def _strength(rng: Random, low: float = 0.4) -> float:
    return round(rng.uniform(low, 1.0), 2)


def _org_row(spec: OrgSpec, geo: Geography) -> Row:
    slug = spec.id.removeprefix("org-")
    return {
        "id": spec.id,
        "name": spec.name,
        "org_type": spec.org_type,
        "description": spec.description,
        "founded_year": spec.founded,
        "website": f"https://{slug}.example.org",
        "email": f"hello@{slug}.example.org",
        "area_id": geo.lsoa_ids[spec.lsoa % len(geo.lsoa_ids)],
    }


def _service_rows(spec: OrgSpec) -> list[Row]:
    slug = spec.id.removeprefix("org-")
    return [
        {
            "id": f"svc-{slug}-{n}",
            "name": _SERVICE_NAMES[service],
            "service_type": service,
            "description": f"{_SERVICE_NAMES[service]} at {spec.name}.",
            "organisation_id": spec.id,
        }
        for n, service in enumerate(spec.services, start=1)
    ]


def _extra_spec(k: int, geo: Geography, rng: Random) -> tuple[OrgSpec, str | None]:
    """The k-th organisation beyond the fifty, and the nationality it gathers, if any."""
    kind = _EXTRA_KINDS[k % len(_EXTRA_KINDS)]
    street = _STREETS[k % len(_STREETS)]
    round_ = k // len(_STREETS)
    ward_names = [str(row["name"]) for row in geo.rows if row["kind"] == "ward"]
    where = f", {ward_names[round_ % len(ward_names)]}" if round_ else ""
    lsoa = rng.randrange(len(geo.lsoa_ids))
    nationality: str | None = None
    if kind == "pocket":
        nationality = rng.choice(sorted(POCKET_AFFINITY))
        spec = OrgSpec(f"org-x{k:04d}", f"{street} Street {nationality} Circle{where}", "other",
                       rng.randint(2012, 2024), lsoa, Role.POCKET, ("peer_support",),
                       "Small self-help circle.")  # fmt: skip
    elif kind == "training_provider":
        spec = OrgSpec(f"org-x{k:04d}", f"{street} English Classes{where}", kind,
                       rng.randint(2005, 2024), lsoa, Role.INTERMEDIARY, ("english_classes",),
                       "Community English classes.")  # fmt: skip
    else:
        names = {
            "job_club": f"{street} Job Club{where}",
            "faith_group": f"{street} Road {_FAITHS[k % len(_FAITHS)]}{where}",
            "specialist": f"{street} Newcomers' Association{where}",
            "gp_practice": f"{street} Street Surgery{where}",
            "frontline": f"{street} Advice Drop-in{where}",
        }
        services = {"job_club": "job_search", "gp_practice": "other", "faith_group": "peer_support"}
        if kind in ("specialist", "faith_group"):
            nationality = rng.choice(sorted(AFFINITY))
        spec = OrgSpec(f"org-x{k:04d}", names[kind], kind, rng.randint(1960, 2024), lsoa,
                       Role.FRONTLINE, (services.get(kind, "casework"),),
                       "Local group that signposts its members.")  # fmt: skip
    return spec, nationality


def _edge(kind: str, a: str, b: str, a_kind: str | None = None, b_kind: str | None = None,
          **props: object) -> Row:  # fmt: skip
    return {"kind": kind, "from_id": a, "to_id": b, "from_kind": a_kind, "to_kind": b_kind,
            **props}  # fmt: skip


def _base_edges(rng: Random) -> list[Row]:
    edges: list[Row] = []
    for a, b, b_kind, year, count in REFERRALS:
        edges.append(
            _edge(
                "REFERS_TO",
                a,
                b,
                "organisation",
                b_kind,
                since=_since(year, rng),
                strength=_strength(rng),
                count=count,
                evidence="referral log",
            )
        )
    for a, b, year, count in DEPARTMENT_REFERRALS:
        edges.append(
            _edge(
                "REFERS_TO",
                a,
                b,
                "department",
                "organisation",
                since=_since(year, rng),
                strength=_strength(rng),
                count=count,
                evidence="referral log",
            )
        )
    for a, b, year in ORG_PARTNERSHIPS:
        edges.append(_edge("PARTNERS_WITH", a, b, since=_since(year, rng)))
    for a, b, year in ANCHOR_PARTNERSHIPS:
        edges.append(
            _edge("PARTNERS_WITH", a, b, "organisation", "anchor", since=_since(year, rng))
        )
    for a, b, year in DEPARTMENT_PARTNERSHIPS:
        edges.append(
            _edge("PARTNERS_WITH", a, b, "department", "organisation", since=_since(year, rng))
        )
    return edges


def _extra_edges(spec: OrgSpec, nationality: str | None, rng: Random) -> list[Row]:
    since = _since(max(spec.founded, 2015), rng)
    count = rng.randint(2, 40)
    if spec.role is Role.POCKET and nationality is not None:
        # A new circle refers only to the older one of its community: still inside the gap.
        return [_edge("REFERS_TO", spec.id, POCKET_AFFINITY[nationality], since=since,
                      strength=_strength(rng), count=count)]  # fmt: skip
    if spec.role is Role.INTERMEDIARY:
        if rng.random() < 0.7:
            return [_edge("REFERS_TO", HUB, spec.id, "department", "organisation", since=since,
                          strength=_strength(rng), count=count)]  # fmt: skip
        return [_edge("REFERS_TO", rng.choice(_REFERRAL_HUBS), spec.id, since=since,
                      strength=_strength(rng), count=count)]  # fmt: skip
    if rng.random() < 0.5:
        return [_edge("REFERS_TO", spec.id, HUB, "organisation", "department", since=since,
                      strength=_strength(rng), count=count)]  # fmt: skip
    return [_edge("REFERS_TO", spec.id, rng.choice(_REFERRAL_HUBS), since=since,
                  strength=_strength(rng), count=count)]  # fmt: skip


def build_organisations(geo: Geography, people: int, rng: Random) -> Organisations:
    rows = [_org_row(spec, geo) for spec in BASE_ORGANISATIONS]
    services = [row for spec in BASE_ORGANISATIONS for row in _service_rows(spec)]
    edges = _base_edges(rng)
    affinity = {nat: list(ids) for nat, ids in AFFINITY.items()}
    general = [org for org, _ in GENERAL_FRONTLINE]
    weights = [weight for _, weight in GENERAL_FRONTLINE]
    stage_help = {stage: list(ids) for stage, ids in STAGE_HELP.items()}
    pocket = {nat: [org] for nat, org in POCKET_AFFINITY.items()}
    extra_ids: list[str] = []
    for k in range(max(0, people - 300) // 500):
        spec, nationality = _extra_spec(k, geo, rng)
        extra_ids.append(spec.id)
        rows.append(_org_row(spec, geo))
        services.extend(_service_rows(spec))
        edges.extend(_extra_edges(spec, nationality, rng))
        if spec.role is Role.POCKET and nationality is not None:
            pocket[nationality].append(spec.id)
        elif spec.role is Role.INTERMEDIARY:
            stage_help["language_training"].append(spec.id)
        elif nationality is not None:
            affinity[nationality].append(spec.id)
        else:
            general.append(spec.id)
            weights.append(1)
    return Organisations(
        rows=tuple(rows),
        services=tuple(services),
        edges=tuple(edges),
        supporters=Supporters(
            affinity={nat: tuple(ids) for nat, ids in affinity.items()},
            general=tuple(general),
            general_cum_weights=tuple(accumulate(weights)),
            stage_help={stage: tuple(ids) for stage, ids in stage_help.items()},
            pocket={nat: tuple(ids) for nat, ids in pocket.items()},
        ),
        extra_ids=tuple(extra_ids),
    )
