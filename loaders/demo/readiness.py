"""Readiness stages and English scores: how far along the pathway a person is.

Moving from one stage to the next takes two months to over a year, so the whole
pathway can take five years, as the seeds report.
"""

from __future__ import annotations

from datetime import date, timedelta
from random import Random

from loaders.demo.workforce import REFERENCE_DATE

__all__ = [
    "CARE_PATH",
    "CLINICAL_PATH",
    "cefr_for",
    "ielts_overall",
    "ielts_scores",
    "stage_history",
]

CLINICAL_PATH = (
    "engaged", "language_training", "accreditation", "placement", "employed", "registered",
)  # fmt: skip
# Care work is not a regulated profession: no accreditation, no registration.
CARE_PATH = ("engaged", "language_training", "placement", "employed")

_IELTS_TARGETS = {
    "engaged": (4.5, 5.0, 5.5, 5.5, 6.0),
    "language_training": (5.0, 5.5, 5.5, 6.0, 6.0, 6.5, 6.5),
    "accreditation": (6.5, 7.0, 7.0, 7.5),
    "placement": (7.0, 7.0, 7.5, 7.5, 8.0),
    "employed": (7.0, 7.5, 7.5, 8.0, 8.5),
    "registered": (7.0, 7.5, 7.5, 8.0, 8.5),
}
_CARE_IELTS = (4.5, 5.0, 5.5, 5.5, 6.0, 6.5)
# Clinical posts ask for 7.0 overall, so nobody past accreditation has less.
_CLINICAL_FLOOR = 7.0

Row = dict[str, object]


def ielts_overall(bands: list[float]) -> float:
    """IELTS rounds the mean of the four bands to the nearest half band, ties upwards.

    >>> ielts_overall([6.5, 6.5, 5.0, 7.0])
    6.5
    >>> ielts_overall([6.5, 6.5, 6.5, 6.0])
    6.5
    >>> ielts_overall([7.0, 7.0, 7.0, 6.5])
    7.0
    """
    mean = sum(bands) / len(bands)
    whole = int(mean)
    fraction = mean - whole
    return whole + (0.0 if fraction < 0.25 else 0.5 if fraction < 0.75 else 1.0)


def cefr_for(ielts: float) -> str:
    """The CEFR level an IELTS overall band is usually taken to show."""
    if ielts >= 8.5:
        return "C2"
    if ielts >= 7.0:
        return "C1"
    if ielts >= 5.5:
        return "B2"
    return "B1" if ielts >= 4.0 else "A2"


def stage_history(rng: Random, path: tuple[str, ...], stage: str) -> list[tuple[str, date]]:
    """Each stage up to ``stage`` with the day it began, oldest first, before REFERENCE_DATE."""
    steps = path[: path.index(stage) + 1]
    gaps = [rng.randint(60, 420) for _ in steps[1:]]
    when = REFERENCE_DATE - timedelta(days=sum(gaps) + rng.randint(14, 400))
    history = [(steps[0], when)]
    for name, gap in zip(steps[1:], gaps, strict=True):
        when += timedelta(days=gap)
        history.append((name, when))
    return history


def ielts_scores(rng: Random, stage: str, care: bool) -> tuple[float | None, Row]:
    """The overall band (None when never tested) and the survey's score columns."""
    if (stage == "engaged" and rng.random() < 0.45) or (care and rng.random() < 0.3):
        return None, {}
    target = rng.choice(_CARE_IELTS if care else _IELTS_TARGETS[stage])
    bands = [min(9.0, max(3.0, target + rng.choice((-0.5, 0.0, 0.0, 0.5)))) for _ in range(3)]
    # Writing is most people's weakest band.
    bands.append(min(9.0, max(3.0, target + rng.choice((-1.0, -0.5, -0.5, 0.0)))))
    floor = _CLINICAL_FLOOR if not care and stage in CLINICAL_PATH[3:] else 0.0
    while ielts_overall(bands) < floor:
        bands[bands.index(min(bands))] += 0.5
    listening, reading, speaking, writing = bands
    overall = ielts_overall(bands)
    return overall, {
        "ielts_overall": overall,
        "ielts_listening": listening,
        "ielts_reading": reading,
        "ielts_writing": writing,
        "ielts_speaking": speaking,
    }
