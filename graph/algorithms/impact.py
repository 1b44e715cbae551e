"""The impact estimate: people placed times documented rates, component by component.

A pure function of counts and assumptions, so every figure can be checked by hand:
each line is people x a rate (x months), each component the sum of its lines.
Counts hidden as small cells (None) stay hidden: their lines have no amount, and
people in hidden occupations are valued together in one line at the plain mean of
those occupations' salaries, so the total neither reveals nor drops them.
"""

from __future__ import annotations

from collections.abc import Mapping

from graph.models.impact import (
    AssumptionUsed,
    Effect,
    Impact,
    ImpactAssumptions,
    ImpactComponent,
    ImpactLine,
    PlacedGroup,
    PlacementFacts,
    SalarySource,
)

__all__ = ["estimate_impact", "salary_for"]

_SALARY_UNIT = "GBP a year"
HIDDEN_LINE = "occupations with too few people to show"


def salary_for(
    occupation_id: str | None,
    assumptions: ImpactAssumptions,
    vacancy_salaries: Mapping[str, float],
) -> tuple[float, SalarySource]:
    """The caller's figure, else the anchor's own posted pay, else the default.

    >>> a = ImpactAssumptions(salaries={"nurse": 31000.0})
    >>> salary_for("nurse", a, {"nurse": 33000.0}), salary_for("doctor", a, {"doctor": 50000.0})
    ((31000.0, <SalarySource.CALLER: 'caller'>), (50000.0, <SalarySource.VACANCIES: 'vacancies'>))
    >>> salary_for(None, a, {})
    (29970.0, <SalarySource.DEFAULT: 'default'>)
    """
    if occupation_id is not None and occupation_id in assumptions.salaries:
        return assumptions.salaries[occupation_id], SalarySource.CALLER
    if occupation_id is not None and occupation_id in vacancy_salaries:
        return vacancy_salaries[occupation_id], SalarySource.VACANCIES
    return assumptions.default_annual_salary_gbp, SalarySource.DEFAULT


def estimate_impact(
    facts: PlacementFacts,
    assumptions: ImpactAssumptions,
    vacancy_salaries: Mapping[str, float] | None = None,
) -> Impact:
    """Salaries, welfare no longer paid, language training and agency premium avoided.

    >>> from graph.models.impact import PlacedGroup, PlacementFacts
    >>> facts = PlacementFacts(anchor_id="a", placed=2, language_trained=1,
    ...     groups=[PlacedGroup(occupation_id="n",
    ...     occupation_name="nurse", placed=2)])
    >>> impact = estimate_impact(facts, ImpactAssumptions(salaries={"n": 30000.0}))
    >>> [c.amount_gbp for c in impact.components]
    [60000.0, 9442.8, 2000.0, 24000.0]
    >>> impact.public_savings_gbp, impact.total_gbp
    (31442.8, 91442.8)
    """
    salaries = _salaries(facts.groups, facts.placed, assumptions, vacancy_salaries or {})
    welfare = _single(
        "welfare", "Welfare benefits no longer paid", Effect.BENEFIT, "people placed",
        facts.placed, assumptions.welfare_per_person_month_gbp, assumptions.welfare_months,
        [_used(assumptions, "welfare_per_person_month_gbp",
               "welfare benefit per person per month", "GBP a month"),
         _used(assumptions, "welfare_months", "months without benefits counted", "months")],
    )  # fmt: skip
    training = _single(
        "language_training", "Language training", Effect.COST,
        "people placed who had language training", facts.language_trained,
        assumptions.language_training_cost_per_person_gbp, 1,
        [_used(assumptions, "language_training_cost_per_person_gbp",
               "language training cost per person", "GBP")],
    )  # fmt: skip
    agency = _single(
        "agency_premium", "Agency premium avoided", Effect.BENEFIT,
        "posts filled by the people placed", facts.placed,
        assumptions.agency_premium_per_post_gbp, 1,
        [_used(assumptions, "agency_premium_per_post_gbp", "agency premium per filled post",
               "GBP a year")],
    )  # fmt: skip
    earnings = salaries.amount_gbp
    savings = _sum([welfare.amount_gbp, agency.amount_gbp, _negated(training.amount_gbp)])
    return Impact(
        anchor_id=facts.anchor_id,
        placed=facts.placed,
        components=[salaries, welfare, training, agency],
        mean_annual_salary_gbp=(
            round(earnings / salaries.people, 2)
            if earnings is not None and salaries.people
            else None
        ),
        earnings_gbp=earnings,
        public_savings_gbp=savings,
        total_gbp=_sum([earnings, savings]),
    )


def _salaries(
    groups: list[PlacedGroup],
    placed: int | None,
    assumptions: ImpactAssumptions,
    vacancy_salaries: Mapping[str, float],
) -> ImpactComponent:
    lines: list[ImpactLine] = []
    used: list[AssumptionUsed] = []
    hidden_rates: list[float] = []
    for group in sorted(groups, key=lambda g: (g.occupation_name or "", g.occupation_id or "")):
        rate, source = salary_for(group.occupation_id, assumptions, vacancy_salaries)
        label = group.occupation_name or group.occupation_id or "occupation not recorded"
        used.append(
            AssumptionUsed(
                name=f"annual salary: {label}",
                value=rate,
                unit=_SALARY_UNIT,
                source=_SALARY_SOURCES[source],
            )  # fmt: skip
        )
        if group.placed is None:
            hidden_rates.append(rate)
        lines.append(_line(label, group.placed, rate))
    if hidden_rates and placed is not None:
        shown = sum(line.people or 0 for line in lines)
        rate = round(sum(hidden_rates) / len(hidden_rates), 2)
        lines.append(_line(HIDDEN_LINE, max(0, placed - shown), rate))
    counted = [line for line in lines if line.amount_gbp is not None]
    people = sum(line.people or 0 for line in counted) if placed is not None else None
    amount = None
    if people is not None:
        amount = round(sum(line.amount_gbp or 0.0 for line in counted), 2)
    return ImpactComponent(key="salaries", label="Annual salaries of the people placed",
                           effect=Effect.BENEFIT, people=people, amount_gbp=amount, lines=lines,
                           assumptions=used)  # fmt: skip


def _single(
    key: str,
    label: str,
    effect: Effect,
    line_label: str,
    people: int | None,
    unit: float,
    multiplier: float,
    used: list[AssumptionUsed],
) -> ImpactComponent:
    line = _line(line_label, people, unit, multiplier)
    return ImpactComponent(key=key, label=label, effect=effect, people=people,
                           amount_gbp=line.amount_gbp, lines=[line], assumptions=used)  # fmt: skip


def _line(label: str, people: int | None, unit: float, multiplier: float = 1.0) -> ImpactLine:
    amount = None if people is None else round(people * unit * multiplier, 2)
    return ImpactLine(label=label, people=people, unit_gbp=unit, multiplier=multiplier,
                      amount_gbp=amount)  # fmt: skip


_SALARY_SOURCES = {
    SalarySource.CALLER: "given by the caller",
    SalarySource.VACANCIES: "mean midpoint of the pay the anchor posts for the occupation",
    SalarySource.DEFAULT: "default: NHS Agenda for Change band 5 entry point, 2024/25",
}


def _used(assumptions: ImpactAssumptions, field: str, name: str, unit: str) -> AssumptionUsed:
    """One setting of ``assumptions`` as used: its value, and whose it was."""
    value = getattr(assumptions, field)
    return AssumptionUsed(name=name, value=value, unit=unit, source=_source(assumptions, field))


def _source(assumptions: ImpactAssumptions, field: str) -> str:
    return "given by the caller" if field in assumptions.model_fields_set else "default"


def _negated(amount: float | None) -> float | None:
    return None if amount is None else -amount


def _sum(amounts: list[float | None]) -> float | None:
    if any(amount is None for amount in amounts):
        return None
    return round(sum(amount or 0.0 for amount in amounts), 2)
