"""The residents of the demo place, one at a time: a survey row and their edges.

People are generated in order and each new person only links to people already
made (word of mouth, mentors), so the generator streams: memory grows with a few
integers a person, never with rows.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from functools import cache
from itertools import accumulate
from random import Random

from loaders.demo.geography import Geography
from loaders.demo.names import ASYLUM_SEEKER, NATIONALITIES, Nationality, has_right_to_work
from loaders.demo.organisations import Supporters
from loaders.demo.readiness import (
    CARE_PATH,
    CLINICAL_PATH,
    cefr_for,
    ielts_scores,
    stage_history,
)
from loaders.demo.taxonomy import (
    CARE_OCCUPATIONS,
    OCCUPATIONS,
    QUALIFICATIONS,
    TRANSVERSAL_SKILLS,
    qualification_id,
    skill_id,
)
from loaders.demo.workforce import REFERENCE_DATE, Workforce

__all__ = ["PeopleGenerator"]

Row = dict[str, object]

_CLINICAL_WEIGHTS = (24, 26, 16, 12, 13, 9)
# The IELTS overall bands clinical posts ask for: doctors 7.5, the rest 7.0.
_CLINICAL_BAND = 7.0
_DOCTOR_BAND = 7.5
_CARE_WEIGHTS = (30, 30, 20, 20)

_TRAINED_AS = (
    ("nurse", 30), ("medical-doctor", 18), ("midwife", 8), ("pharmacist", 10), ("dentist", 7),
    ("biomedical-scientist", 10), ("care-worker", 17),
)  # fmt: skip
_OCCUPATION_KEYS = tuple(key for key, _ in _TRAINED_AS)

# Share of people of a gap community who only know the gap's own groups.
_POCKET_SHARE = 0.35
# The first 300 residents are the reference place that docs/model.md and the tests count,
# kept byte for byte; only the people beyond them follow the two rules below.
_REFERENCE_PEOPLE = 300
# Most of the gap's clinicians with right to work are ready but for the bridge: the
# English band and the skills are there, the degree awaits recognition. They are the
# brokerage question's candidates, and they make the critical brokers' counts large
# enough to show a place leader.
_READY_SHARE = 0.8
# A gap member's acquaintances and second circle are of their own community. Mixing across
# the gap's communities tied the circles with no route in (the Tigrinya mothers, the Yemeni
# kitchen) to those the council knows (the Roma families, and the Hazara elders through
# them), so as the place grew nearly every candidate had a way in and a place leader never
# saw how many have none.
_KNOWS_WINDOW = 60  # word of mouth travels among recent arrivals of a community
_MENTOR_WINDOW = 30
_POSTINGS_WINDOW = 6  # people apply to posts advertised shortly before they start
_HIRING_DAYS = 14  # a posting must have been open this long before anyone starts in it
_REFUGEE_STATUSES = ("refugee status", "asylum seeker", "Afghan resettlement scheme")


@cache
def _email_part(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum())


class PeopleGenerator:
    """Makes person ``i`` given everyone before them; call ``person`` in order."""

    def __init__(
        self,
        geo: Geography,
        workforce: Workforce,
        supporters: Supporters,
        rng: Random,
        ready_rng: Random,
    ) -> None:
        self.geo = geo
        self.workforce = workforce
        self.supporters = supporters
        self.rng = rng
        # A stream of its own: who in the gap is ready shifts nobody else's draws.
        self.ready_rng = ready_rng
        self._nationality_weights = tuple(accumulate(n.weight for n in NATIONALITIES))
        self._trained_weights = tuple(accumulate(w for _, w in _TRAINED_AS))
        self._statuses = {
            n.name: (tuple(s for s, _ in n.statuses), tuple(accumulate(w for _, w in n.statuses)))
            for n in NATIONALITIES
        }
        self._pocket_all = tuple(sorted({o for ids in supporters.pocket.values() for o in ids}))
        self._by_nationality: dict[tuple[bool, str], list[int]] = defaultdict(list)
        self._by_lsoa: dict[int, list[int]] = defaultdict(list)
        self._pocket_people: list[int] = []
        self._mentors: dict[str, list[int]] = defaultdict(list)
        self.pocket_count = 0

    @staticmethod
    def person_id(index: int) -> str:
        return f"p-{index + 1:06d}"

    def person(self, index: int) -> tuple[Row, list[Row]]:
        """The survey row of person ``index`` and the edge rows that start at them."""
        rng = self.rng
        nat = rng.choices(NATIONALITIES, cum_weights=self._nationality_weights)[0]
        pocket = nat.name in self.supporters.pocket and rng.random() < _POCKET_SHARE
        statuses, status_weights = self._statuses[nat.name]
        status = rng.choices(statuses, cum_weights=status_weights)[0]
        occupation = rng.choices(_OCCUPATION_KEYS, cum_weights=self._trained_weights)[0]
        path = CARE_PATH if occupation in CARE_OCCUPATIONS else CLINICAL_PATH
        history = stage_history(self.rng, path, self._stage(path, pocket, status))
        stage = history[-1][0]
        started = history[0][1]
        lsoa = self._lsoa(pocket)
        overall, ielts = ielts_scores(self.rng, stage, occupation in CARE_OCCUPATIONS)
        english = nat.english_default if overall is None else cefr_for(overall)
        orgs = self._supporters(index, nat, pocket, status, stage, occupation)
        person = self.person_id(index)
        row: Row = {
            "id": person,
            **self._personal(index, nat, status, lsoa),
            "home_area_id": self.geo.lsoa_ids[lsoa],
            "right_to_work": has_right_to_work(status),
            "trained_as": OCCUPATIONS[occupation].id,
            "languages": self._languages(nat, english),
            **ielts,
            "ielts_date": self._between(started) if ielts else None,
            "stage": stage,
            "stage_history": [f"{name}@{when.isoformat()}" for name, when in history],
            **self._consent(started, orgs[0]),
            "skill_ids": self._skills(occupation),
            "organisation_ids": orgs,
        }
        edges = self._support_edges(person, orgs, started, pocket)
        edges += self._knows(index, nat, lsoa, pocket, started)
        # The gap holds qualified people too: their degrees are there, the bridge is not.
        edges += self._career(index, occupation, nat, history)
        self._remember(index, nat, lsoa, pocket, occupation, stage)
        if (
            pocket
            and index >= _REFERENCE_PEOPLE
            and occupation not in CARE_OCCUPATIONS
            and has_right_to_work(status)
            and self.ready_rng.random() < _READY_SHARE
        ):
            self._ready_but_for_the_bridge(row, occupation, started)
        return row, edges

    # -- who they are -------------------------------------------------------------------

    def _stage(self, path: tuple[str, ...], pocket: bool, status: str) -> str:
        rng = self.rng
        if pocket:
            # Without a bridge to the hub, nobody in the gap gets past language classes.
            return rng.choices(path[:2], (60, 40))[0]
        weights = _CARE_WEIGHTS if path is CARE_PATH else _CLINICAL_WEIGHTS
        stage = rng.choices(path, weights)[0]
        if status == ASYLUM_SEEKER:
            # No right to work: placements and jobs wait for a decision on the claim.
            last = "accreditation" if path is CLINICAL_PATH else "language_training"
            stage = path[min(path.index(stage), path.index(last))]
        return stage

    @staticmethod
    def _ready_but_for_the_bridge(row: Row, occupation: str, started: date) -> None:
        """Give a clinician of the gap the band and the skills their posts ask for.

        Changed after every draw of theirs is made, so the main stream stays as it was.
        """
        band = _DOCTOR_BAND if occupation == "medical-doctor" else _CLINICAL_BAND
        row.update(
            ielts_overall=band, ielts_listening=band, ielts_reading=band,
            ielts_writing=band, ielts_speaking=band,
            ielts_date=row.get("ielts_date") or started,
        )  # fmt: skip
        languages, skills = row["languages"], row["skill_ids"]
        assert isinstance(languages, list)
        assert isinstance(skills, list)
        row["languages"] = [
            *(x for x in languages if not x.startswith("en:")),
            f"en:{cefr_for(band)}",
        ]
        # Posts ask for two or three of the occupation's first four skills.
        specific = [skill_id(slug) for slug in OCCUPATIONS[occupation].skills[:4]]
        row["skill_ids"] = [*specific, *(x for x in skills if x not in specific)]

    def _lsoa(self, pocket: bool) -> int:
        if pocket and self.rng.random() < 0.85:
            return self.rng.choice(self.geo.pocket_lsoas())
        return self.rng.randrange(len(self.geo.lsoa_ids))

    def _personal(self, index: int, nat: Nationality, status: str, lsoa: int) -> Row:
        rng = self.rng
        given, family = rng.choice(nat.given), rng.choice(nat.family)
        address, postcode = self.geo.address(lsoa, rng)
        age_days = rng.randint(24 * 365, 58 * 365)
        return {
            "name": f"{given} {family}",
            "email": f"{_email_part(given)}.{_email_part(family)}.{index + 1}@example.org",
            # Ofcom keeps 07700 900000-900999 for drama: these numbers reach nobody.
            "phone": f"07700 900{rng.randrange(1000):03d}" if rng.random() < 0.7 else None,
            "date_of_birth": REFERENCE_DATE - timedelta(days=age_days),
            "nationality": nat.name,
            "immigration_status": status,
            "address": address,
            "postcode": postcode,
        }

    def _languages(self, nat: Nationality, english: str) -> list[str]:
        spoken = [f"{nat.languages[0]}:C2"]
        if len(nat.languages) > 1 and self.rng.random() < 0.4:
            spoken.append(f"{self.rng.choice(nat.languages[1:])}:{self.rng.choice(('B2', 'C1'))}")
        spoken.append(f"en:{english}")
        return spoken

    def _between(self, start: date) -> date:
        return start + timedelta(days=self.rng.randrange(max(1, (REFERENCE_DATE - start).days)))

    def _consent(self, started: date, first_org: str) -> Row:
        rng = self.rng
        draw = rng.random()
        if draw < 0.10:
            return {"consent_scopes": [], "consent_given_at": None, "consent_withdrawn_at": None}
        given = datetime.combine(started, datetime.min.time()) + timedelta(
            hours=9, minutes=rng.randrange(480)
        )
        scopes = ["matching", "referral"]
        if rng.random() < 0.8:
            scopes.append("share_with_hub")
        if rng.random() < 0.3:
            scopes.append("research")
        if rng.random() < 0.5:
            scopes.append(f"share:{first_org}")
        withdrawn = None
        if draw < 0.15:
            withdrawn = given + timedelta(
                days=rng.randrange(1, max(2, (REFERENCE_DATE - started).days))
            )
        return {
            "consent_scopes": scopes,
            "consent_given_at": given,
            "consent_withdrawn_at": withdrawn,
        }

    def _skills(self, occupation: str) -> list[str]:
        rng = self.rng
        chosen = rng.sample(OCCUPATIONS[occupation].skills, rng.choice((2, 2, 3)))
        if rng.random() < 0.6:
            chosen.append(rng.choice(TRANSVERSAL_SKILLS))
        return [skill_id(slug) for slug in chosen]

    # -- who they know ------------------------------------------------------------------

    def _supporters(
        self, index: int, nat: Nationality, pocket: bool, status: str, stage: str, occupation: str
    ) -> list[str]:
        rng, s = self.rng, self.supporters
        if pocket:
            first = rng.choice(s.pocket[nat.name])
            circles = self._pocket_all if index < _REFERENCE_PEOPLE else s.pocket[nat.name]
            others = [o for o in circles if o != first]
            return [first, rng.choice(others)] if others and rng.random() < 0.3 else [first]
        if status in _REFUGEE_STATUSES and rng.random() < 0.3:
            first = "org-refugee-support"
        elif nat.name in s.affinity and rng.random() < 0.6:
            first = rng.choice(s.affinity[nat.name])
        else:
            first = rng.choices(s.general, cum_weights=s.general_cum_weights)[0]
        if rng.random() >= 0.5:
            return [first]
        care = occupation in CARE_OCCUPATIONS
        if care and stage in ("language_training", "placement"):
            key = "care"
        elif stage == "accreditation":
            key = f"accreditation:{occupation}"
        else:
            key = stage
        choices = [o for o in s.stage_help[key] if o != first]
        return [first, rng.choice(choices)] if choices else [first]

    def _support_edges(
        self, person: str, orgs: list[str], started: date, pocket: bool
    ) -> list[Row]:
        rng = self.rng
        edges = []
        for n, org in enumerate(orgs):
            accompanied = n == 0 and not pocket and rng.random() < 0.2
            edges.append(
                {
                    "kind": "SUPPORTED_BY",
                    "from_id": person,
                    "to_id": org,
                    "since": min(REFERENCE_DATE, started + timedelta(days=rng.randrange(90))),
                    "strength": round(
                        rng.uniform(0.5, 1.0) if n == 0 else rng.uniform(0.3, 0.8), 2
                    ),
                    "evidence": "accompanied on the first visit to the hub"
                    if accompanied
                    else None,
                }
            )
        return edges

    def _knows(
        self, index: int, nat: Nationality, lsoa: int, pocket: bool, started: date
    ) -> list[Row]:
        rng = self.rng
        person = self.person_id(index)
        known: list[int] = []
        for _ in range(rng.choice((2, 3))):
            if pocket:
                own = rng.random() < 0.7 or index >= _REFERENCE_PEOPLE
                pool = self._by_nationality[(True, nat.name)] if own else self._pocket_people
            else:
                pool = (
                    self._by_nationality[(False, nat.name)]
                    if rng.random() < 0.6
                    else self._by_lsoa[lsoa]
                )
            if not pool:
                continue
            other = pool[len(pool) - 1 - rng.randrange(min(len(pool), _KNOWS_WINDOW))]
            if other not in known:
                known.append(other)
        return [
            {
                "kind": "KNOWS",
                "from_id": person,
                "to_id": self.person_id(other),
                "since": started,
                "strength": round(rng.uniform(0.2, 0.9), 2),
            }
            for other in known
        ]

    def _career(
        self, index: int, occupation: str, nat: Nationality, history: list[tuple[str, date]]
    ) -> list[Row]:
        rng = self.rng
        person = self.person_id(index)
        stages = dict(history)
        stage = history[-1][0]
        edges: list[Row] = []
        mentors = self._mentors[occupation]
        if stage in ("accreditation", "placement") and mentors and rng.random() < 0.4:
            mentor = mentors[len(mentors) - 1 - rng.randrange(min(len(mentors), _MENTOR_WINDOW))]
            edges.append({"kind": "MENTORED_BY", "from_id": person, "to_id": self.person_id(mentor),
                          "since": stages.get("accreditation", stages[stage])})  # fmt: skip
        held = self._qualification(occupation, nat, stage)
        if held is not None and rng.random() < 0.92:
            edges.append({"kind": "HOLDS", "from_id": person, "to_id": held})
        if "placement" in stages:
            edges += self._placement(person, occupation, stages)
        return edges

    def _placement(self, person: str, occupation: str, stages: dict[str, date]) -> list[Row]:
        """APPLIED_TO postings that had opened by then, PLACED_IN the first of them."""
        rng = self.rng
        outcome = "employed" if "employed" in stages else "placement"
        taken_on = stages[outcome]
        postings = self.workforce.by_occupation[occupation]
        opened = postings.open_before(taken_on - timedelta(days=_HIRING_DAYS))
        if not opened:
            # Taken on through a posting older than the plan we hold: no edge to draw.
            return []
        recent = range(max(0, opened - _POSTINGS_WINDOW), opened)
        chosen = rng.sample(recent, min(len(recent), rng.choice((1, 2))))
        edges: list[Row] = []
        for n in chosen:
            applied = postings.opens[n] + timedelta(days=rng.randrange(_HIRING_DAYS))
            edges.append({"kind": "APPLIED_TO", "from_id": person, "to_id": postings.ids[n],
                          "since": applied, "stage": outcome})  # fmt: skip
        edges.append({"kind": "PLACED_IN", "from_id": person, "to_id": postings.ids[chosen[0]],
                      "since": taken_on, "stage": outcome})  # fmt: skip
        return edges

    @staticmethod
    def _qualification(occupation: str, nat: Nationality, stage: str) -> str | None:
        if occupation in CARE_OCCUPATIONS:
            return (
                qualification_id("care-worker", "gb")
                if stage in ("placement", "employed")
                else None
            )
        country = nat.country if (occupation, nat.country) in QUALIFICATIONS else "xx"
        return qualification_id(occupation, country)

    def _remember(
        self, index: int, nat: Nationality, lsoa: int, pocket: bool, occupation: str, stage: str
    ) -> None:
        self._by_nationality[(pocket, nat.name)].append(index)
        if pocket:
            self._pocket_people.append(index)
            self.pocket_count += 1
            return
        self._by_lsoa[lsoa].append(index)
        if stage in ("employed", "registered"):
            self._mentors[occupation].append(index)
