"""Scoring a person against a vacancy, factor by factor, and naming the gaps.

Every factor is a value in [0, 1] that can only rise with more coverage (more
skills, a higher IELTS band, a later readiness stage...), and the score is the
weighted sum, so more coverage never lowers a score.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.models.matching import CandidateFacts, Factor, Gap, VacancyRequirements

__all__ = [
    "CEFR_AS_IELTS",
    "PARTIAL_SKILL_CREDIT",
    "RECOGNITION_VALUE",
    "STAGE_VALUE",
    "MatchWeights",
    "english_band",
    "factor_weights",
    "gap_profile",
    "gaps_for",
    "needed_band",
    "needs_recognition",
    "open_gap_count",
    "rounded_total",
    "score",
    "score_factors",
    "total",
]

# A skill one BROADER step from a required one (either way) earns half credit.
PARTIAL_SKILL_CREDIT = 0.5

RECOGNITION_VALUE = {"recognised": 1.0, "partial": 0.5, "pending": 0.25, "not_recognised": 0.0}

STAGE_VALUE = {
    "engaged": 0.0,
    "language_training": 0.2,
    "accreditation": 0.4,
    "placement": 0.6,
    "employed": 0.8,
    "registered": 1.0,
}

# Rough IELTS equivalents of English CEFR levels, used only when no IELTS result
# is recorded (IELTS's own published CEFR mapping, taken at the band's middle).
CEFR_AS_IELTS = {"A1": 2.5, "A2": 3.5, "B1": 4.5, "B2": 6.0, "C1": 7.0, "C2": 8.5}


class MatchWeights(BaseSettings):
    """How much each factor counts: configuration, read from ``ASSETBRIDGE_MATCH_*``
    (e.g. ``ASSETBRIDGE_MATCH_LANGUAGE=0.2``); documented in docs/matching.md."""

    model_config = SettingsConfigDict(
        env_prefix="ASSETBRIDGE_MATCH_", env_file=".env", extra="ignore"
    )

    essential_skills: float = Field(0.35, ge=0)
    optional_skills: float = Field(0.10, ge=0)
    qualification: float = Field(0.15, ge=0)
    language: float = Field(0.15, ge=0)
    right_to_work: float = Field(0.10, ge=0)
    readiness: float = Field(0.10, ge=0)
    locality: float = Field(0.05, ge=0)


def _split_required(
    required: list[str], facts: CandidateFacts
) -> tuple[list[str], list[str], list[str]]:
    """The required skills held, only related (one BROADER step), and missing."""
    held, related = set(facts.held), set(facts.related)
    direct = [s for s in required if s in held]
    partial = [s for s in required if s not in held and s in related]
    missing = [s for s in required if s not in held and s not in related]
    return direct, partial, missing


def _skill_coverage(
    required: list[str], facts: CandidateFacts, labels: dict[str, str | None]
) -> tuple[float, str, list[str]]:
    if not required:
        return 1.0, "none required", []
    direct, partial, missing = _split_required(required, facts)
    value = (len(direct) + PARTIAL_SKILL_CREDIT * len(partial)) / len(required)
    detail = f"{len(direct)} of {len(required)} held"
    if partial:
        detail += f", {len(partial)} related ({', '.join(str(labels[s] or s) for s in partial)})"
    return value, detail, missing


def english_band(ielts_overall: float | None, languages: list[str]) -> float | None:
    """The IELTS band a person's English counts as: their IELTS result, else their
    best English CEFR level read as a band, else None."""
    if ielts_overall is not None:
        return ielts_overall
    levels = [lang.split(":", 1)[1] for lang in languages if lang.startswith("en:")]
    return max((CEFR_AS_IELTS.get(level, 0.0) for level in levels), default=None)


def _english_band(facts: CandidateFacts) -> float | None:
    return english_band(facts.ielts_overall, facts.languages)


def needed_band(vacancy: VacancyRequirements) -> float | None:
    if vacancy.min_ielts is not None:
        return vacancy.min_ielts
    return CEFR_AS_IELTS.get(vacancy.min_cefr) if vacancy.min_cefr else None


def _language(facts: CandidateFacts, vacancy: VacancyRequirements) -> tuple[float, str]:
    needed = needed_band(vacancy)
    if needed is None:
        return 1.0, "no English level required"
    have = _english_band(facts)
    if have is None:
        return 0.0, f"IELTS {needed:.1f} needed, none recorded"
    return min(1.0, have / needed), f"IELTS {needed:.1f} needed, has {have:.1f}"


def needs_recognition(vacancy: VacancyRequirements) -> bool:
    return bool(
        vacancy.regulated or vacancy.registration_required or vacancy.qualification_required
    )


def _language_short(facts: CandidateFacts, vacancy: VacancyRequirements) -> bool:
    needed, have = needed_band(vacancy), _english_band(facts)
    return needed is not None and (have is None or have < needed)


def _recognition(facts: CandidateFacts, vacancy: VacancyRequirements) -> tuple[float, str]:
    if not needs_recognition(vacancy):
        return 1.0, "no recognised qualification required"
    statuses = [r.status for r in facts.recognitions if r.occupation_id == vacancy.occupation_id]
    best = max((RECOGNITION_VALUE.get(s or "", 0.0) for s in statuses), default=0.0)
    if not statuses:
        return 0.0, f"no qualification recorded for {vacancy.occupation_label or 'the role'}"
    best_status = max(statuses, key=lambda s: RECOGNITION_VALUE.get(s or "", 0.0))
    return best, f"qualification {best_status or 'unknown'}"


def _factor_values(
    facts: CandidateFacts, vacancy: VacancyRequirements, weights: MatchWeights
) -> list[tuple[str, float, float, str]]:
    """(name, weight, value, detail) of each factor, in a fixed order."""
    labels = {s.id: s.label for s in [*vacancy.essential, *vacancy.optional]}
    essential, essential_detail, _ = _skill_coverage(
        [s.id for s in vacancy.essential], facts, labels
    )
    optional, optional_detail, _ = _skill_coverage([s.id for s in vacancy.optional], facts, labels)
    qualification, qualification_detail = _recognition(facts, vacancy)
    language, language_detail = _language(facts, vacancy)
    right = {True: 1.0, None: 0.5, False: 0.0}[facts.right_to_work]
    right_detail = {True: "has the right to work", None: "right to work not recorded",
                    False: "no right to work yet"}[facts.right_to_work]  # fmt: skip
    stage = STAGE_VALUE.get(facts.stage or "", 0.0)
    local = bool(set(facts.places) & set(vacancy.places))
    return [
        ("essential_skills", weights.essential_skills, essential, essential_detail),
        ("optional_skills", weights.optional_skills, optional, optional_detail),
        ("qualification", weights.qualification, qualification, qualification_detail),
        ("language", weights.language, language, language_detail),
        ("right_to_work", weights.right_to_work, right, right_detail),
        ("readiness", weights.readiness, stage, f"stage {facts.stage or 'unknown'}"),
        ("locality", weights.locality, 1.0 if local else 0.0,
         "lives in the place" if local else "lives elsewhere"),
    ]  # fmt: skip


def score_factors(
    facts: CandidateFacts, vacancy: VacancyRequirements, weights: MatchWeights
) -> list[Factor]:
    """The factors of the score, in a fixed order."""
    return [
        Factor(
            name=name,
            weight=weight,
            value=round(value, 6),
            contribution=round(weight * value, 6),
            detail=detail,
        )
        for name, weight, value, detail in _factor_values(facts, vacancy, weights)
    ]


def score(facts: CandidateFacts, vacancy: VacancyRequirements, weights: MatchWeights) -> float:
    """The same number as ``total(score_factors(...))``, without building the models:
    ranking tens of thousands of candidates only needs the number."""
    values = _factor_values(facts, vacancy, weights)
    return rounded_total([(weight, value) for _, weight, value, _ in values])


def rounded_total(weighted: list[tuple[float, float]]) -> float:
    """The score from (weight, value) pairs in factor order, rounded as the factors
    are: every way of scoring (facts, kinds, the candidate index) ends here."""
    return round(sum(round(weight * value, 6) for weight, value in weighted), 4)


def factor_weights(weights: MatchWeights) -> list[float]:
    """The weights in factor order (as ``score_factors`` lists the factors)."""
    return [
        weights.essential_skills,
        weights.optional_skills,
        weights.qualification,
        weights.language,
        weights.right_to_work,
        weights.readiness,
        weights.locality,
    ]


def total(factors: list[Factor]) -> float:
    return round(sum(f.contribution for f in factors), 4)


def gaps_for(facts: CandidateFacts, vacancy: VacancyRequirements) -> list[Gap]:
    """The steps still open between this person and this vacancy."""
    labels = {s.id: s.label for s in vacancy.essential}
    gaps: list[Gap] = []
    _, _, missing = _split_required([s.id for s in vacancy.essential], facts)
    for skill_id in missing:
        gaps.append(
            Gap(
                kind="skill",
                description=f"needs {labels[skill_id] or skill_id}",
                closed_by=["mentoring", "observership", "placement"],
            )
        )
    needed, have = needed_band(vacancy), _english_band(facts)
    if needed is not None and _language_short(facts, vacancy):
        shown = f"has {have:.1f}" if have is not None else "none recorded"
        gaps.append(
            Gap(
                kind="language",
                description=f"IELTS {needed:.1f} needed, {shown}",
                closed_by=["ielts_tuition", "english_classes"],
            )
        )
    qualification, detail = _recognition(facts, vacancy)
    if qualification < 1.0:
        regulator = f" ({vacancy.regulator} registration)" if vacancy.regulator else ""
        gaps.append(
            Gap(
                kind="qualification",
                description=f"{detail}; recognition needed{regulator}",
                closed_by=["accreditation_support", "mentoring"],
            )
        )
    if facts.right_to_work is not True:
        gaps.append(
            Gap(
                kind="right_to_work",
                description="no right to work yet"
                if facts.right_to_work is False
                else "right to work not recorded",
                closed_by=["immigration_advice"],
            )
        )
    return gaps


def open_gap_count(facts: CandidateFacts, vacancy: VacancyRequirements) -> int:
    """``len(gaps_for(facts, vacancy))`` without writing the gaps out: brokerage
    asks it of every candidate for every kind of shortage vacancy."""
    _, _, missing = _split_required([s.id for s in vacancy.essential], facts)
    return (
        len(missing)
        + _language_short(facts, vacancy)
        + (_recognition(facts, vacancy)[0] < 1.0)
        + (facts.right_to_work is not True)
    )


def gap_profile(vacancy: VacancyRequirements) -> tuple[object, ...]:
    """Everything the gaps depend on: vacancies with the same profile leave every
    person the same gaps, so each profile is checked once."""
    return (
        tuple(sorted(s.id for s in vacancy.essential)),
        needed_band(vacancy),
        vacancy.occupation_id if needs_recognition(vacancy) else None,
    )
