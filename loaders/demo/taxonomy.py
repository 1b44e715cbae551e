"""Skills, occupations and qualifications of the demo place.

ESCO-shaped but our own: every id is a URI under ``data.assetbridge.invalid`` and
marked ``invented`` so nobody mistakes it for an ESCO concept.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CARE_OCCUPATIONS",
    "OCCUPATIONS",
    "OccupationSpec",
    "QUALIFICATIONS",
    "TRANSVERSAL_SKILLS",
    "occupation_id",
    "occupation_rows",
    "qualification_id",
    "qualification_rows",
    "skill_id",
    "skill_rows",
]

_BASE = "http://data.assetbridge.invalid"


def skill_id(slug: str) -> str:
    return f"{_BASE}/skill/{slug}"


def occupation_id(key: str) -> str:
    return f"{_BASE}/occupation/{key}"


def qualification_id(occupation: str, country: str) -> str:
    return f"qual-{occupation}-{country}"


# slug -> (preferred label, skill type, alternative labels)
_SKILLS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "patient-assessment": ("assess patients' health needs", "skill/competence", ()),
    "infection-control": ("apply infection prevention and control", "skill/competence", ()),
    "medicines-administration": ("administer medicines safely", "skill/competence", ()),
    "clinical-records": ("keep accurate clinical records", "skill/competence", ()),
    "basic-life-support": ("perform basic life support", "skill/competence", ("CPR",)),
    "safeguarding": ("safeguard vulnerable adults and children", "knowledge", ()),
    "clinical-examination": ("examine patients clinically", "skill/competence", ()),
    "diagnosis": ("diagnose and manage illness", "skill/competence", ()),
    "prescribing": ("prescribe medicines", "skill/competence", ()),
    "acute-care": ("manage acutely unwell patients", "skill/competence", ()),
    "triage": ("triage patients", "skill/competence", ("patient triage",)),
    "wound-care": ("care for wounds", "skill/competence", ("dressings",)),
    "care-planning": ("plan and evaluate nursing care", "skill/competence", ()),
    "iv-therapy": ("give intravenous therapy", "skill/competence", ("IV therapy",)),
    "antenatal-care": ("provide antenatal care", "skill/competence", ()),
    "intrapartum-care": ("support women in labour", "skill/competence", ()),
    "postnatal-care": ("provide postnatal care", "skill/competence", ()),
    "newborn-examination": ("examine newborn babies", "skill/competence", ()),
    "dispensing": ("dispense medicines", "skill/competence", ()),
    "medicines-reconciliation": ("reconcile patients' medicines", "skill/competence", ()),
    "prescription-review": ("review prescriptions for safety", "skill/competence", ()),
    "pharmacy-law": ("pharmacy law and ethics", "knowledge", ()),
    "dental-examination": ("examine teeth and gums", "skill/competence", ()),
    "restorative-dentistry": ("restore damaged teeth", "skill/competence", ("fillings",)),
    "tooth-extraction": ("extract teeth", "skill/competence", ()),
    "dental-radiography": ("take and read dental radiographs", "skill/competence", ()),
    "sample-analysis": ("analyse clinical samples", "skill/competence", ()),
    "microscopy": ("use laboratory microscopes", "skill/competence", ()),
    "laboratory-quality": ("apply laboratory quality control", "skill/competence", ()),
    "haematology": ("haematology", "knowledge", ()),
    "personal-care": ("help people with personal care", "skill/competence", ()),
    "moving-handling": ("move and handle people safely", "skill/competence", ()),
    "vital-signs": ("measure vital signs", "skill/competence", ("observations",)),
    "dementia-care": ("support people living with dementia", "skill/competence", ()),
    "teamwork": ("work in a multidisciplinary team", "transversal", ()),
    "patient-communication": ("communicate with patients and families", "transversal", ()),
    "interpreting": ("interpret between languages", "transversal", ()),
    "electronic-records": ("use electronic patient records", "skill/competence", ()),
    "clinical-english": ("use English in clinical settings", "language", ()),
}

TRANSVERSAL_SKILLS: tuple[str, ...] = (
    "teamwork",
    "patient-communication",
    "interpreting",
    "electronic-records",
    "clinical-english",
)


@dataclass(frozen=True)
class OccupationSpec:
    key: str
    label: str
    alt_labels: tuple[str, ...]
    isco_group: str
    regulator: str | None
    # Skills specific to the occupation first; vacancies draw essentials from them.
    skills: tuple[str, ...]

    @property
    def id(self) -> str:
        return occupation_id(self.key)


_CLINICAL = ("patient-assessment", "infection-control", "clinical-records", "safeguarding")

OCCUPATIONS: dict[str, OccupationSpec] = {
    spec.key: spec
    for spec in (
        OccupationSpec(
            "medical-doctor", "medical doctor", ("doctor", "physician"), "2211",
            "General Medical Council",
            ("clinical-examination", "diagnosis", "prescribing", "acute-care", *_CLINICAL),
        ),
        OccupationSpec(
            "nurse", "adult nurse", ("staff nurse", "registered nurse"), "2221",
            "Nursing and Midwifery Council",
            ("triage", "wound-care", "care-planning", "iv-therapy", "medicines-administration",
             *_CLINICAL),
        ),
        OccupationSpec(
            "midwife", "midwife", ("registered midwife",), "2222",
            "Nursing and Midwifery Council",
            ("antenatal-care", "intrapartum-care", "postnatal-care", "newborn-examination",
             *_CLINICAL),
        ),
        OccupationSpec(
            "pharmacist", "pharmacist", ("clinical pharmacist",), "2262",
            "General Pharmaceutical Council",
            ("dispensing", "medicines-reconciliation", "prescription-review", "pharmacy-law",
             "clinical-records", "safeguarding"),
        ),
        OccupationSpec(
            "dentist", "dentist", ("dental surgeon",), "2261", "General Dental Council",
            ("dental-examination", "restorative-dentistry", "tooth-extraction",
             "dental-radiography", "infection-control", "safeguarding"),
        ),
        OccupationSpec(
            "biomedical-scientist", "biomedical scientist", ("medical laboratory scientist",),
            "2131", "Health and Care Professions Council",
            ("sample-analysis", "microscopy", "laboratory-quality", "haematology",
             "infection-control"),
        ),
        OccupationSpec(
            "care-worker", "care worker", ("support worker", "carer"), "5322", None,
            ("personal-care", "moving-handling", "dementia-care", "safeguarding",
             "basic-life-support"),
        ),
        OccupationSpec(
            "healthcare-assistant", "healthcare assistant", ("nursing assistant",), "5321", None,
            ("vital-signs", "personal-care", "moving-handling", "infection-control",
             "basic-life-support"),
        ),
    )
}  # fmt: skip

# Care work needs no registration; people trained for it apply to both.
CARE_OCCUPATIONS: tuple[str, ...] = ("care-worker", "healthcare-assistant")

# (occupation, country code) -> (title, awarding country, level, recognition status).
# Recognition here is illustrative, not a statement about any real regulator's decision.
QUALIFICATIONS: dict[tuple[str, str], tuple[str, str | None, str, str]] = {
    ("medical-doctor", "sy"): ("Doctor of Medicine", "Syria", "EQF 7", "pending"),
    ("medical-doctor", "ua"): ("Diploma of Medical Doctor", "Ukraine", "EQF 7", "partial"),
    ("medical-doctor", "ir"): ("Doctor of Medicine", "Iran", "EQF 7", "partial"),
    ("medical-doctor", "sd"): ("MBBS", "Sudan", "EQF 7", "pending"),
    ("medical-doctor", "ng"): ("MBBS", "Nigeria", "EQF 7", "recognised"),
    ("medical-doctor", "xx"): ("Primary medical qualification", None, "EQF 7", "pending"),
    ("nurse", "ph"): ("BSc Nursing", "Philippines", "EQF 6", "recognised"),
    ("nurse", "ng"): ("BSc Nursing", "Nigeria", "EQF 6", "recognised"),
    ("nurse", "in"): ("BSc Nursing", "India", "EQF 6", "partial"),
    ("nurse", "ua"): ("Junior Specialist in Nursing", "Ukraine", "EQF 5", "partial"),
    ("nurse", "zw"): ("Diploma in General Nursing", "Zimbabwe", "EQF 5", "recognised"),
    ("nurse", "xx"): ("Nursing qualification", None, "EQF 5", "pending"),
    ("midwife", "ng"): ("Basic Midwifery Certificate", "Nigeria", "EQF 5", "partial"),
    ("midwife", "zw"): ("Diploma in Midwifery", "Zimbabwe", "EQF 5", "partial"),
    ("midwife", "pl"): ("Licencjat in Midwifery", "Poland", "EQF 6", "recognised"),
    ("midwife", "xx"): ("Midwifery qualification", None, "EQF 5", "pending"),
    ("pharmacist", "sy"): ("Bachelor of Pharmacy", "Syria", "EQF 6", "pending"),
    ("pharmacist", "ir"): ("Doctor of Pharmacy", "Iran", "EQF 7", "partial"),
    ("pharmacist", "ua"): ("Master of Pharmacy", "Ukraine", "EQF 7", "partial"),
    ("pharmacist", "ng"): ("Bachelor of Pharmacy", "Nigeria", "EQF 6", "partial"),
    ("pharmacist", "xx"): ("Pharmacy degree", None, "EQF 6", "pending"),
    ("dentist", "sy"): ("Doctor of Dental Surgery", "Syria", "EQF 7", "pending"),
    ("dentist", "ir"): ("Doctor of Dental Surgery", "Iran", "EQF 7", "pending"),
    ("dentist", "ua"): ("Diploma of Dentist", "Ukraine", "EQF 7", "partial"),
    ("dentist", "in"): ("Bachelor of Dental Surgery", "India", "EQF 6", "partial"),
    ("dentist", "xx"): ("Dental degree", None, "EQF 7", "not_recognised"),
    ("biomedical-scientist", "ng"): ("BSc Medical Laboratory Science", "Nigeria", "EQF 6",
                                     "partial"),
    ("biomedical-scientist", "ph"): ("BSc Medical Technology", "Philippines", "EQF 6",
                                     "partial"),
    ("biomedical-scientist", "ro"): ("Licentiate in Medical Laboratory", "Romania", "EQF 6",
                                     "recognised"),
    ("biomedical-scientist", "pl"): ("Master of Laboratory Medicine", "Poland", "EQF 7",
                                     "recognised"),
    ("biomedical-scientist", "xx"): ("Laboratory science degree", None, "EQF 6", "pending"),
    ("care-worker", "gb"): ("Level 2 Diploma in Care", "United Kingdom", "RQF 2", "recognised"),
}  # fmt: skip


def skill_rows() -> list[dict[str, object]]:
    return [
        {
            "id": skill_id(slug),
            "uri": skill_id(slug),
            "preferred_label": label,
            "alt_labels": list(alt),
            "skill_type": skill_type,
            "invented": True,
        }
        for slug, (label, skill_type, alt) in _SKILLS.items()
    ]


def occupation_rows() -> list[dict[str, object]]:
    return [
        {
            "id": spec.id,
            "uri": spec.id,
            "preferred_label": spec.label,
            "alt_labels": list(spec.alt_labels),
            "isco_group": spec.isco_group,
            "regulated": spec.regulator is not None,
            "regulator": spec.regulator,
            "invented": True,
        }
        for spec in OCCUPATIONS.values()
    ]


def qualification_rows() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for (occupation, country), (title, awarded_in, level, status) in QUALIFICATIONS.items():
        shown = f"{title} ({awarded_in})" if awarded_in else f"{title} (other countries)"
        rows.append(
            {
                "id": qualification_id(occupation, country),
                "title": shown,
                "awarding_country": awarded_in,
                "level": level,
                "occupation_id": occupation_id(occupation),
                "recognition": status,
            }
        )
    return rows
