"""The anchors' workforce plans: vacancies, most of them at the trust.

Salaries follow the shape of NHS Agenda for Change bands and the resident and
specialty doctor scales (2024/25), rounded; they are illustrative. Clinical
roles ask for IELTS 7.0 overall, doctors 7.5 as the medical regulator does.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from random import Random

from loaders.demo.geography import COUNCIL_LSOA, HOSPITAL_LSOA, UNIVERSITY_LSOA, Geography
from loaders.demo.taxonomy import CARE_OCCUPATIONS, OCCUPATIONS, TRANSVERSAL_SKILLS, skill_id

__all__ = ["Postings", "REFERENCE_DATE", "Workforce", "build_workforce"]

# The day the demo place is described as of; nothing random depends on "today".
REFERENCE_DATE = date(2025, 3, 31)


@dataclass(frozen=True)
class _Template:
    title: str
    anchor: str
    occupation: str
    count: int
    band: str | None
    salary: tuple[int, int] | None
    shortage: bool
    min_ielts: float | None
    min_cefr: str | None
    registration: bool
    qualification: str | None
    lsoa: int


_T = _Template
_TRUST = "anchor-trust"
_NURSE_DEGREE = "Nursing degree; NMC registration"

_TEMPLATES: tuple[_Template, ...] = (
    _T("Staff Nurse, Acute Medicine", _TRUST, "nurse", 3, "Band 5", (29_970, 36_483), True,
       7.0, None, True, _NURSE_DEGREE, HOSPITAL_LSOA),
    _T("Staff Nurse, Care of Older People", _TRUST, "nurse", 2, "Band 5", (29_970, 36_483), True,
       7.0, None, True, _NURSE_DEGREE, HOSPITAL_LSOA),
    _T("Staff Nurse, Emergency Department", _TRUST, "nurse", 2, "Band 5", (29_970, 36_483),
       True, 7.0, None, True, _NURSE_DEGREE, HOSPITAL_LSOA),
    _T("Midwife, Maternity Unit", _TRUST, "midwife", 2, "Band 6", (37_338, 44_962), True, 7.0,
       None, True, "Midwifery qualification; NMC registration", HOSPITAL_LSOA),
    _T("Clinical Pharmacist", _TRUST, "pharmacist", 2, "Band 6", (37_338, 44_962), True, 7.0,
       None, True, "Pharmacy degree; GPhC registration", HOSPITAL_LSOA),
    _T("Clinical Fellow (FY2 level), General Medicine", _TRUST, "medical-doctor", 2,
       "Resident doctor FY2", (42_008, 42_008), True, 7.5, None, True,
       "Primary medical qualification; GMC registration with a licence", HOSPITAL_LSOA),
    _T("Specialty Doctor, Emergency Medicine", _TRUST, "medical-doctor", 1, "Specialty doctor",
       (55_329, 86_433), True, 7.5, None, True,
       "Primary medical qualification; GMC registration with a licence", HOSPITAL_LSOA),
    _T("Clinical Observership (unpaid, four weeks), General Medicine", _TRUST, "medical-doctor",
       1, None, None, False, None, "B2", False, None, HOSPITAL_LSOA),
    _T("Biomedical Scientist, Blood Sciences", _TRUST, "biomedical-scientist", 2, "Band 5",
       (29_970, 36_483), True, 7.0, None, True, "Accredited degree; HCPC registration",
       HOSPITAL_LSOA),
    _T("Specialty Dentist, Community Dental Service", _TRUST, "dentist", 1, "Specialty dentist",
       (55_329, 86_433), True, 7.0, None, True, "Dental degree; GDC registration",
       HOSPITAL_LSOA),
    _T("Healthcare Assistant, Surgical Wards", _TRUST, "healthcare-assistant", 3, "Band 3",
       (24_071, 25_674), False, None, "B1", False, None, HOSPITAL_LSOA),
    _T("Research Nurse, Clinical Research Facility", "anchor-university", "nurse", 1, "Grade 6",
       (35_116, 40_497), False, 7.0, None, True, _NURSE_DEGREE, UNIVERSITY_LSOA),
    _T("Laboratory Technician, Biomedical Sciences", "anchor-university", "biomedical-scientist",
       1, "Grade 5", (28_000, 32_000), False, 6.5, None, False, None, UNIVERSITY_LSOA),
    _T("Clinical Teaching Fellow", "anchor-university", "medical-doctor", 1, "Grade 7",
       (41_000, 49_000), False, 7.5, None, True, "GMC registration with a licence",
       UNIVERSITY_LSOA),
    _T("Reablement Support Worker", "anchor-council", "care-worker", 2, "Grade 4",
       (24_000, 25_500), True, None, "B1", False, None, COUNCIL_LSOA),
    _T("Public Health Pharmacist", "anchor-council", "pharmacist", 1, "Grade 10",
       (45_000, 51_000), False, 7.0, None, True, "GPhC registration", COUNCIL_LSOA),
)  # fmt: skip

_PREFIX = {"anchor-trust": "rbt", "anchor-university": "uni", "anchor-council": "cc"}


@dataclass(frozen=True)
class Postings:
    """The vacancies people of one training apply to, oldest opening first."""

    opens: tuple[date, ...]
    ids: tuple[str, ...]

    def open_before(self, day: date) -> int:
        """How many of them had opened before ``day`` (they are ``ids[:n]``)."""
        return bisect_right(self.opens, day)


@dataclass(frozen=True)
class Workforce:
    rows: tuple[dict[str, object], ...]
    by_occupation: dict[str, Postings]


def _vacancy(
    template: _Template, ident: str, geo: Geography, rng: Random
) -> tuple[date, dict[str, object]]:
    skills = OCCUPATIONS[template.occupation].skills
    specific = list(skills[:4])
    essential = rng.sample(specific, rng.choice((2, 3)))
    pool = [s for s in (*skills, *TRANSVERSAL_SKILLS) if s not in essential]
    optional = rng.sample(pool, rng.choice((1, 2)))
    # Most of the plan is open now; the rest are past postings, which is where the
    # people already placed or employed were taken on.
    if rng.random() < 0.6:
        opens = REFERENCE_DATE - timedelta(days=rng.randrange(1, 43))
    else:
        opens = REFERENCE_DATE - timedelta(days=rng.randint(120, 6 * 365))
    closes = opens + timedelta(days=rng.choice((42, 56, 70, 84)))
    if closes >= REFERENCE_DATE:
        status = "open"
    else:
        status = "filled" if rng.random() < 0.7 else "closed"
    salary_min, salary_max = template.salary or (None, None)
    return opens, {
        "id": ident,
        "title": template.title,
        "anchor_id": template.anchor,
        "occupation_id": OCCUPATIONS[template.occupation].id,
        "essential_skill_ids": [skill_id(s) for s in essential],
        "optional_skill_ids": [skill_id(s) for s in optional],
        "qualification_required": template.qualification,
        "registration_required": template.registration,
        "min_ielts": template.min_ielts,
        "min_cefr": template.min_cefr,
        "salary_band": template.band,
        "salary_min_gbp": salary_min,
        "salary_max_gbp": salary_max,
        "area_id": geo.lsoa_ids[template.lsoa],
        "opens": opens,
        "closes": closes,
        "shortage": template.shortage,
        "status": status,
    }


def build_workforce(geo: Geography, people: int, rng: Random) -> Workforce:
    """27 vacancies for the default place; one more trust vacancy per 250 extra people."""
    rows: list[dict[str, object]] = []
    numbers = dict.fromkeys(_PREFIX, 0)
    by_occupation: dict[str, list[tuple[date, str]]] = {key: [] for key in OCCUPATIONS}
    trust_templates = [t for t in _TEMPLATES if t.anchor == _TRUST]
    extra = max(0, people - 300) // 250
    plan = [t for t in _TEMPLATES for _ in range(t.count)]
    plan += [trust_templates[k % len(trust_templates)] for k in range(extra)]
    for template in plan:
        numbers[template.anchor] += 1
        ident = f"vac-{_PREFIX[template.anchor]}-{numbers[template.anchor]:04d}"
        opens, row = _vacancy(template, ident, geo, rng)
        rows.append(row)
        by_occupation[template.occupation].append((opens, ident))
    # People trained in care work apply to care and healthcare-assistant posts alike.
    care = [v for key in CARE_OCCUPATIONS for v in by_occupation[key]]
    for key in CARE_OCCUPATIONS:
        by_occupation[key] = care
    postings = {}
    for key, found in by_occupation.items():
        ordered = sorted(found)
        postings[key] = Postings(tuple(o for o, _ in ordered), tuple(i for _, i in ordered))
    return Workforce(tuple(rows), postings)
