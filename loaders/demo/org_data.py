"""The fifty community organisations of the demo place and the ties between them.

They reproduce the referral chain of the seeds: frontline and specialist groups
that people already trust refer them to the trust's employment hub, which sends
them on to intermediaries for what it cannot do itself. Four small groups in
Northgate refer nobody on and nobody refers to them: the brokerage gap.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "AFFINITY",
    "ANCHOR_PARTNERSHIPS",
    "BASE_ORGANISATIONS",
    "DEPARTMENT_PARTNERSHIPS",
    "DEPARTMENT_REFERRALS",
    "GENERAL_FRONTLINE",
    "ORG_PARTNERSHIPS",
    "OrgSpec",
    "POCKET_AFFINITY",
    "REFERRALS",
    "Role",
    "STAGE_HELP",
]


class Role(StrEnum):
    FRONTLINE = "frontline"  # finds people and refers them on
    INTERMEDIARY = "intermediary"  # provides what the hub cannot
    ENTERPRISE = "enterprise"  # a social enterprise or residents' group outside the pathway
    POCKET = "pocket"  # trusted locally but refers nobody on: the brokerage gap


@dataclass(frozen=True)
class OrgSpec:
    id: str
    name: str
    org_type: str
    founded: int
    lsoa: int
    role: Role
    services: tuple[str, ...]
    description: str


FRONT, HELP, OWN, GAP = Role.FRONTLINE, Role.INTERMEDIARY, Role.ENTERPRISE, Role.POCKET

BASE_ORGANISATIONS: tuple[OrgSpec, ...] = (
    OrgSpec("org-refugee-support", "Riverbridge Refugee Support", "frontline", 2007, 1, FRONT,
            ("casework", "job_search"),
            "Refugee-support charity; caseworkers go with people on their first visit to the hub."),
    OrgSpec("org-st-annes-welcome", "St Anne's Welcome Project", "frontline", 1999, 6, FRONT,
            ("casework", "english_classes", "peer_support"),
            "Church-linked welcome project for newcomers, active since 1999."),
    OrgSpec("org-st-annes-church", "St Anne's Parish Church", "faith_group", 1868, 6, FRONT,
            ("peer_support",), "Parish church; turned its hall into co-working space."),
    OrgSpec("org-cee-newcomers", "Central and Eastern European Newcomers Network", "specialist",
            2011, 3, FRONT, ("mentoring", "casework"),
            "Writes a personal development plan with each member."),
    OrgSpec("org-jobclub-eastbrook", "Eastbrook Job Club", "job_club", 2013, 0, FRONT,
            ("job_search",), "Weekly job club at the Eastbrook library."),
    OrgSpec("org-jobclub-northgate", "Northgate Job Club", "job_club", 2016, 10, FRONT,
            ("job_search",), "Job club at the Northgate Community Centre."),
    OrgSpec("org-jobclub-canalside", "Canalside Jobs and Skills Club", "job_club", 2019, 3, FRONT,
            ("job_search",), "Job search and CV help near the hospital."),
    OrgSpec("org-gp-canal-street", "Canal Street Medical Practice", "gp_practice", 1987, 4, FRONT,
            ("other",), "GP practice with a social prescriber who knows the hub."),
    OrgSpec("org-gp-eastbrook", "Eastbrook Health Centre", "gp_practice", 1994, 2, FRONT,
            ("other",), "GP practice serving Eastbrook."),
    OrgSpec("org-gp-parkview", "Parkview Surgery", "gp_practice", 2002, 9, FRONT, ("other",),
            "GP practice in Northgate."),
    OrgSpec("org-mosque", "Eastbrook Central Mosque Community Services", "faith_group", 1978,
            2, FRONT, ("peer_support", "casework"), "Welfare and advice sessions after prayers."),
    OrgSpec("org-orthodox-church", "St Mary's Ethiopian and Eritrean Orthodox Church",
            "faith_group", 2004, 7, FRONT, ("peer_support",),
            "Orthodox parish and its welfare group."),
    OrgSpec("org-polish-mission", "Polish Catholic Mission", "faith_group", 1952, 8, FRONT,
            ("peer_support",), "Polish-speaking parish."),
    OrgSpec("org-gurdwara", "Guru Nanak Gurdwara Sewa Committee", "faith_group", 1971, 5, FRONT,
            ("peer_support",), "Langar and volunteer-run advice."),
    OrgSpec("org-rccg", "Redeemed Christian Church of God, Riverbridge Parish", "faith_group",
            2006, 11, FRONT, ("peer_support",),
            "Pentecostal congregation; many members work in health care."),
    OrgSpec("org-syrian-community", "Syrian Community Association", "specialist", 2014, 1, FRONT,
            ("casework", "peer_support"), "Run by and for Syrian families."),
    OrgSpec("org-sudanese-community", "Sudanese Community Association", "specialist", 2009, 2,
            FRONT, ("casework",), "Advice and cultural events."),
    OrgSpec("org-ukrainian-welcome", "Ukrainian Welcome Hub", "specialist", 2022, 0, FRONT,
            ("casework", "english_classes"), "Set up in 2022 for people on the Ukraine schemes."),
    OrgSpec("org-afghan-families", "Afghan Families Association", "specialist", 2021, 2, FRONT,
            ("casework",), "Supports resettled Afghan families."),
    OrgSpec("org-hk-community", "Hong Kong Community Riverbridge", "specialist", 2021, 5, FRONT,
            ("peer_support",), "Network for BN(O) visa holders."),
    OrgSpec("org-kurdish-centre", "Kurdish Community Centre", "specialist", 2001, 8, FRONT,
            ("casework",), "Kurdish-speaking advice and youth work."),
    OrgSpec("org-somali-women", "Somali Women's Group", "specialist", 1998, 1, FRONT,
            ("peer_support",), "Women-led group, long rooted in Eastbrook."),
    OrgSpec("org-migrant-women", "Migrant Women's Network", "frontline", 2010, 0, FRONT,
            ("casework", "peer_support"), "Women-only drop-in with a crèche."),
    OrgSpec("org-zimbabwe-health", "Zimbabwean Health Professionals Network", "specialist",
            2012, 3, FRONT, ("mentoring",),
            "Diaspora nurses and doctors helping each other register."),
    OrgSpec("org-filipino-nurses", "Filipino Nurses Association, Riverbridge Chapter",
            "specialist", 2008, 4, FRONT, ("peer_support",), "Professional association."),
    OrgSpec("org-community-kitchen", "Eastbrook Community Kitchen", "frontline", 2015, 1, FRONT,
            ("other",), "Shared meals; volunteers listen and signpost."),
    OrgSpec("org-english-for-work", "English for Work", "intermediary", 2012, 1, HELP,
            ("ielts_tuition", "english_classes"), "IELTS and workplace English."),
    OrgSpec("org-clinical-english", "Clinical English Academy", "training_provider", 2015, 4, HELP,
            ("ielts_tuition",), "IELTS and OET preparation for health professionals."),
    OrgSpec("org-ielts-together", "IELTS Together", "social_enterprise", 2018, 6, HELP,
            ("ielts_tuition", "peer_support"), "Low-cost IELTS study groups."),
    OrgSpec("org-esol-library", "ESOL at Northgate Library", "training_provider", 2005, 10, HELP,
            ("english_classes",), "Free English classes for beginners."),
    OrgSpec("org-law-centre", "Riverbridge Law Centre", "intermediary", 1976, 7, HELP,
            ("immigration_advice",), "Free immigration and asylum advice."),
    OrgSpec("org-migrant-advice", "Migrant Advice Service", "intermediary", 2003, 6, HELP,
            ("immigration_advice", "casework"), "Regulated immigration advice."),
    OrgSpec("org-dress-for-work", "Dress for Work Riverbridge", "intermediary", 2010, 7, HELP,
            ("interview_clothes",), "Clothes and coaching for interviews."),
    OrgSpec("org-little-steps", "Little Steps Crèche", "intermediary", 2014, 1, HELP,
            ("childcare",), "Childcare while parents study or go to interviews."),
    OrgSpec("org-family-play", "Family Play Childcare Co-operative", "social_enterprise", 2017,
            0, HELP, ("childcare",), "Parent-run childcare co-operative."),
    OrgSpec("org-refugee-doctors", "Refugee Doctors' Peer Group", "intermediary", 2004, 4, HELP,
            ("peer_support", "mentoring"), "Study group for the medical licensing exams."),
    OrgSpec("org-overseas-nurses", "Overseas Nurses Peer Support", "intermediary", 2016, 4, HELP,
            ("peer_support",), "Peer support for nurses preparing to register."),
    OrgSpec("org-medical-mentors", "Medical Mentors Network", "intermediary", 2011, 4, HELP,
            ("mentoring", "observership"), "Consultants who explain the UK system."),
    OrgSpec("org-pharmacists-mentoring", "Overseas Pharmacists Mentoring Scheme",
            "intermediary", 2019, 5, HELP, ("mentoring", "accreditation_support"),
            "Mentors for the pharmacist registration route."),
    OrgSpec("org-healthcare-pathways", "Refugee Healthcare Professionals Programme",
            "intermediary", 2008, 5, HELP, ("accreditation_support", "casework"),
            "Guides people through recognition and registration."),
    OrgSpec("org-dental-pathways", "Dental Pathways Tutoring", "training_provider", 2017, 8, HELP,
            ("accreditation_support",), "Tutoring for the overseas dentists' exam."),
    OrgSpec("org-carepath", "CarePath Social Care", "social_enterprise", 2015, 3, HELP,
            ("interim_work",), "Interim work in social care while people qualify."),
    OrgSpec("org-homecare-coop", "Riverbridge Homecare Co-operative", "social_enterprise", 2020,
            9, HELP, ("interim_work",), "Worker-owned home care."),
    OrgSpec("org-threads", "Threads Tailoring Co-operative", "social_enterprise", 2019, 6, OWN,
            ("other",), "Tailoring social enterprise in the church co-working space."),
    OrgSpec("org-green-streets", "Green Streets Gardening", "social_enterprise", 2016, 2, OWN,
            ("other",), "Food growing and green-space volunteering."),
    OrgSpec("org-reservoir-friends", "Friends of Eastbrook Reservoir", "other", 2018, 2, OWN,
            ("other",), "Residents who want a say in the reservoir's future."),
    OrgSpec("org-tigrinya-mothers", "Tigrinya Mothers' Circle", "other", 2017, 10, GAP,
            ("peer_support",), "Mothers meeting weekly in Northgate."),
    OrgSpec("org-yemeni-kitchen", "Yemeni Community Kitchen", "other", 2018, 10, GAP,
            ("other",), "Cooks for the Northgate food bank."),
    OrgSpec("org-hazara-elders", "Hazara Elders' Tea Club", "other", 2020, 11, GAP,
            ("peer_support",), "Elders' social club."),
    OrgSpec("org-roma-families", "Roma Families Together", "other", 2015, 9, GAP,
            ("casework",), "Family support run by Roma volunteers."),
)  # fmt: skip

# Nationality -> organisations its people turn to first.
AFFINITY: dict[str, tuple[str, ...]] = {
    "Syrian": ("org-syrian-community", "org-mosque"),
    "Afghan": ("org-afghan-families", "org-mosque"),
    "Sudanese": ("org-sudanese-community", "org-mosque"),
    "Eritrean": ("org-orthodox-church",),
    "Iranian": ("org-kurdish-centre",),
    "Iraqi": ("org-kurdish-centre", "org-mosque"),
    "Yemeni": ("org-mosque",),
    "Somali": ("org-somali-women", "org-mosque"),
    "Ukrainian": ("org-ukrainian-welcome", "org-cee-newcomers"),
    "Polish": ("org-polish-mission", "org-cee-newcomers"),
    "Romanian": ("org-cee-newcomers",),
    "Bulgarian": ("org-cee-newcomers",),
    "Lithuanian": ("org-cee-newcomers", "org-polish-mission"),
    "Nigerian": ("org-rccg", "org-zimbabwe-health"),
    "Zimbabwean": ("org-zimbabwe-health", "org-rccg"),
    "Indian": ("org-gurdwara",),
    "Pakistani": ("org-mosque",),
    "Filipino": ("org-filipino-nurses",),
    "British National (Overseas)": ("org-hk-community",),
    "Congolese": ("org-rccg",),
}

# The groups of the brokerage gap, by the nationality that gathers there.
POCKET_AFFINITY: dict[str, str] = {
    "Eritrean": "org-tigrinya-mothers",
    "Yemeni": "org-yemeni-kitchen",
    "Afghan": "org-hazara-elders",
    "Romanian": "org-roma-families",
}

# Where anyone may turn, with weights; refugees lean on the refugee charity.
GENERAL_FRONTLINE: tuple[tuple[str, int], ...] = (
    ("org-refugee-support", 3),
    ("org-st-annes-welcome", 3),
    ("org-jobclub-eastbrook", 2),
    ("org-jobclub-northgate", 1),
    ("org-jobclub-canalside", 2),
    ("org-gp-canal-street", 2),
    ("org-gp-eastbrook", 1),
    ("org-gp-parkview", 1),
    ("org-migrant-women", 2),
    ("org-community-kitchen", 1),
)

# What help a person looks for next, by stage (and by occupation while accrediting).
STAGE_HELP: dict[str, tuple[str, ...]] = {
    "engaged": ("org-law-centre", "org-migrant-advice", "org-esol-library"),
    "language_training": (
        "org-english-for-work", "org-clinical-english", "org-ielts-together", "org-esol-library",
    ),
    "accreditation:medical-doctor": (
        "org-medical-mentors", "org-refugee-doctors", "org-healthcare-pathways",
    ),
    "accreditation:nurse": ("org-overseas-nurses", "org-healthcare-pathways"),
    "accreditation:midwife": ("org-overseas-nurses", "org-healthcare-pathways"),
    "accreditation:pharmacist": ("org-pharmacists-mentoring",),
    "accreditation:dentist": ("org-dental-pathways",),
    "accreditation:biomedical-scientist": ("org-healthcare-pathways",),
    "care": ("org-carepath", "org-homecare-coop"),
    "placement": ("org-dress-for-work", "org-little-steps", "org-family-play"),
    "employed": ("org-little-steps", "org-family-play", "org-overseas-nurses"),
    "registered": ("org-refugee-doctors", "org-overseas-nurses"),
}  # fmt: skip

HUB = "dept-learning-works"

# REFERS_TO: (from, to, to kind, since year, referrals made).
REFERRALS: tuple[tuple[str, str, str, int, int], ...] = (
    ("org-refugee-support", HUB, "department", 2016, 140),
    ("org-st-annes-welcome", HUB, "department", 2016, 95),
    ("org-cee-newcomers", HUB, "department", 2017, 60),
    ("org-jobclub-eastbrook", HUB, "department", 2018, 30),
    ("org-jobclub-canalside", HUB, "department", 2020, 18),
    ("org-gp-canal-street", HUB, "department", 2017, 25),
    ("org-gp-eastbrook", HUB, "department", 2019, 12),
    ("org-gurdwara", HUB, "department", 2021, 6),
    ("org-syrian-community", HUB, "department", 2018, 22),
    ("org-ukrainian-welcome", HUB, "department", 2022, 35),
    ("org-hk-community", HUB, "department", 2022, 9),
    ("org-migrant-women", HUB, "department", 2019, 14),
    ("org-zimbabwe-health", HUB, "department", 2018, 20),
    ("org-refugee-support", "org-law-centre", "organisation", 2008, 210),
    ("org-refugee-support", "org-english-for-work", "organisation", 2013, 120),
    ("org-refugee-support", "org-dress-for-work", "organisation", 2014, 40),
    ("org-st-annes-welcome", "org-esol-library", "organisation", 2006, 150),
    ("org-st-annes-welcome", "org-little-steps", "organisation", 2015, 30),
    ("org-cee-newcomers", "org-english-for-work", "organisation", 2013, 45),
    ("org-cee-newcomers", "org-migrant-advice", "organisation", 2012, 55),
    ("org-migrant-women", "org-family-play", "organisation", 2018, 25),
    ("org-kurdish-centre", "org-law-centre", "organisation", 2005, 70),
    ("org-filipino-nurses", "org-overseas-nurses", "organisation", 2017, 15),
    ("org-rccg", "org-overseas-nurses", "organisation", 2018, 12),
    ("org-refugee-doctors", "org-dental-pathways", "organisation", 2019, 5),
    ("org-jobclub-eastbrook", "org-carepath", "organisation", 2016, 20),
    ("org-st-annes-church", "org-st-annes-welcome", "organisation", 1999, 300),
    ("org-jobclub-northgate", "org-refugee-support", "organisation", 2017, 16),
    ("org-gp-parkview", "org-refugee-support", "organisation", 2012, 28),
    ("org-mosque", "org-refugee-support", "organisation", 2008, 85),
    ("org-orthodox-church", "org-refugee-support", "organisation", 2009, 40),
    ("org-polish-mission", "org-cee-newcomers", "organisation", 2011, 50),
    ("org-sudanese-community", "org-refugee-support", "organisation", 2010, 38),
    ("org-afghan-families", "org-refugee-support", "organisation", 2021, 44),
    ("org-somali-women", "org-refugee-support", "organisation", 2008, 26),
    ("org-community-kitchen", "org-refugee-support", "organisation", 2015, 19),
    ("org-gp-canal-street", "anchor-trust", "anchor", 2015, 60),
    ("org-refugee-support", "anchor-university", "anchor", 2019, 8),
    ("org-healthcare-pathways", "anchor-trust", "anchor", 2012, 34),
    # Inside the gap: the groups refer to each other, never outwards.
    ("org-hazara-elders", "org-yemeni-kitchen", "organisation", 2021, 7),
)

# Department REFERS_TO organisation: the hub sends people on to intermediaries.
DEPARTMENT_REFERRALS: tuple[tuple[str, str, int, int], ...] = (
    (HUB, "org-english-for-work", 2016, 110),
    (HUB, "org-clinical-english", 2016, 90),
    (HUB, "org-ielts-together", 2019, 40),
    (HUB, "org-law-centre", 2016, 35),
    (HUB, "org-migrant-advice", 2017, 28),
    (HUB, "org-dress-for-work", 2017, 45),
    (HUB, "org-little-steps", 2016, 30),
    (HUB, "org-family-play", 2018, 18),
    (HUB, "org-refugee-doctors", 2016, 25),
    (HUB, "org-overseas-nurses", 2017, 40),
    (HUB, "org-medical-mentors", 2016, 50),
    (HUB, "org-pharmacists-mentoring", 2020, 12),
    (HUB, "org-healthcare-pathways", 2016, 48),
    (HUB, "org-carepath", 2017, 33),
    (HUB, "org-homecare-coop", 2021, 10),
    ("dept-council-employment", "org-jobclub-eastbrook", 2014, 60),
    ("dept-council-employment", "org-jobclub-northgate", 2016, 40),
    ("dept-council-employment", "org-esol-library", 2012, 75),
)

# PARTNERS_WITH between organisations: (from, to, since year).
ORG_PARTNERSHIPS: tuple[tuple[str, str, int], ...] = (
    ("org-refugee-support", "org-st-annes-welcome", 2008),
    ("org-english-for-work", "org-ielts-together", 2018),
    ("org-refugee-doctors", "org-medical-mentors", 2012),
    ("org-carepath", "org-homecare-coop", 2020),
    ("org-threads", "org-green-streets", 2019),
    ("org-reservoir-friends", "org-green-streets", 2018),
    ("org-cee-newcomers", "org-polish-mission", 2011),
    ("org-tigrinya-mothers", "org-yemeni-kitchen", 2019),
    ("org-roma-families", "org-hazara-elders", 2021),
)

# PARTNERS_WITH an anchor. The developer has none: it has no local contacts.
ANCHOR_PARTNERSHIPS: tuple[tuple[str, str, int], ...] = (
    ("org-refugee-support", "anchor-council", 2010),
    ("org-english-for-work", "anchor-university", 2014),
    ("org-medical-mentors", "anchor-trust", 2011),
    ("org-filipino-nurses", "anchor-trust", 2015),
    ("org-healthcare-pathways", "anchor-university", 2009),
    ("org-clinical-english", "anchor-trust", 2016),
    ("org-reservoir-friends", "anchor-land-charity", 2019),
    # Known to the council, yet nobody refers their members on.
    ("org-roma-families", "anchor-council", 2016),
)

# Department PARTNERS_WITH organisation: (department, organisation, since year).
DEPARTMENT_PARTNERSHIPS: tuple[tuple[str, str, int], ...] = (
    (HUB, "org-refugee-support", 2016),
    (HUB, "org-cee-newcomers", 2017),
    (HUB, "org-medical-mentors", 2016),
    (HUB, "org-clinical-english", 2016),
    ("dept-council-employment", "org-jobclub-canalside", 2020),
)
