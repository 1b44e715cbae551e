"""The impact estimate: its input of assumptions and its components, line by line."""

from __future__ import annotations

from collections.abc import Collection

import strawberry

from graph.access import Caller
from graph.models import impact as m
from graph.vocabulary import Label
from schema.disclosure import counts_for, split_for
from schema.errors import BadUserInput
from schema.ids import external_id, global_id, parse_global_id
from schema.types.enums import Effect

__all__ = [
    "Impact",
    "ImpactAssumptionsInput",
    "assumptions_from_input",
    "disclosed_facts",
    "salary_occupation_ids",
]


@strawberry.input(description="An annual salary for the people placed in one occupation.")
class OccupationSalaryInput:
    occupation: strawberry.ID
    annual_salary_gbp: float


@strawberry.input(
    description="Every rate the estimate uses. Leave one out to use its default "
    "(docs/place-leaders.md gives each default and its source)."
)
class ImpactAssumptionsInput:
    salaries: list[OccupationSalaryInput] | None = strawberry.field(
        default=None,
        description="Annual salary by occupation. Default: the mean midpoint of the pay "
        "the anchor posts for that occupation, else defaultAnnualSalaryGbp.",
    )
    default_annual_salary_gbp: float | None = strawberry.field(
        default=None, description=f"Default {m.DEFAULT_ANNUAL_SALARY_GBP:,.0f} (NHS band 5 entry)."
    )
    welfare_per_person_month_gbp: float | None = strawberry.field(
        default=None,
        description=f"Default {m.DEFAULT_WELFARE_PER_MONTH_GBP} (Universal Credit standard "
        "allowance, single, 25 or over, 2024/25).",
    )
    welfare_months: int | None = strawberry.field(
        default=None, description=f"Months counted; default {m.DEFAULT_WELFARE_MONTHS}."
    )
    language_training_cost_per_person_gbp: float | None = strawberry.field(
        default=None, description=f"Default {m.DEFAULT_LANGUAGE_TRAINING_COST_GBP:,.0f}."
    )
    agency_premium_per_post_gbp: float | None = strawberry.field(
        default=None,
        description=f"Default {m.DEFAULT_AGENCY_PREMIUM_PER_POST_GBP:,.0f} a year (illustrative).",
    )


# GraphQL argument name of each model field, for error messages.
_ARGUMENT_NAMES = {
    "default_annual_salary_gbp": "defaultAnnualSalaryGbp",
    "welfare_per_person_month_gbp": "welfarePerPersonMonthGbp",
    "welfare_months": "welfareMonths",
    "language_training_cost_per_person_gbp": "languageTrainingCostPerPersonGbp",
    "agency_premium_per_post_gbp": "agencyPremiumPerPostGbp",
}
_MAX_WELFARE_MONTHS = 120


def salary_occupation_ids(given: ImpactAssumptionsInput | None) -> list[str]:
    """The occupations the caller gives salaries for, as external ids (to look up)."""
    if given is None:
        return []
    parsed = (parse_global_id(salary.occupation) for salary in given.salaries or [])
    return [found[1] for found in parsed if found is not None]


def assumptions_from_input(
    given: ImpactAssumptionsInput | None, known_occupations: Collection[str] = ()
) -> m.ImpactAssumptions:
    """The model of the caller's assumptions, refusing negative or absurd values, and
    salaries for occupations not in ``known_occupations``, by name: an unknown id would
    otherwise be silently ignored and the estimate use another salary."""
    if given is None:
        return m.ImpactAssumptions()
    values: dict[str, object] = {}
    for field, argument in _ARGUMENT_NAMES.items():
        value = getattr(given, field)
        if value is None:
            continue
        _not_negative(f"assumptions.{argument}", value)
        values[field] = value
    months = given.welfare_months
    if months is not None and months > _MAX_WELFARE_MONTHS:
        raise BadUserInput(f"assumptions.welfareMonths must be at most {_MAX_WELFARE_MONTHS}")
    salaries: dict[str, float] = {}
    for index, salary in enumerate(given.salaries or []):
        where = f"assumptions.salaries[{index}]"
        occupation = external_id(salary.occupation, f"{where}.occupation", Label.OCCUPATION)
        assert occupation is not None  # a required field is never None
        _not_negative(f"{where}.annualSalaryGbp", salary.annual_salary_gbp)
        if occupation not in known_occupations:
            raise BadUserInput(f"{where}.occupation: no occupation has id {salary.occupation!r}")
        salaries[occupation] = salary.annual_salary_gbp
    if given.salaries is not None:
        values["salaries"] = salaries
    return m.ImpactAssumptions.model_validate(values)


def _not_negative(argument: str, value: float) -> None:
    if value < 0:
        raise BadUserInput(f"{argument} must not be negative (got {value})")


def disclosed_facts(facts: m.PlacementFacts, caller: Caller | None) -> m.PlacementFacts:
    """The facts with counts as this caller may see them: the occupations partition
    the people placed, so they are hidden with secondary suppression."""
    cells = {str(k): g.placed or 0 for k, g in enumerate(facts.groups)}
    shown, placed = counts_for(caller, cells, facts.placed)
    return m.PlacementFacts(
        anchor_id=facts.anchor_id,
        placed=placed,
        groups=[
            m.PlacedGroup(
                occupation_id=g.occupation_id,
                occupation_name=g.occupation_name,
                placed=shown[str(k)],
            )  # fmt: skip
            for k, g in enumerate(facts.groups)
        ],
        language_trained=_part(caller, facts.language_trained, facts.placed),
    )


def _part(caller: Caller | None, part: int | None, whole: int | None) -> int | None:
    """A subset of the people placed, hidden where the rest is a small cell."""
    if part is None or whole is None:
        return None
    return split_for(caller, part, whole)[0]


@strawberry.type(description="A rate the estimate used, and where it came from.")
class AssumptionUsed:
    name: str
    value: float
    unit: str
    source: str


@strawberry.type(description="amountGbp = people x unitGbp x multiplier.")
class ImpactLine:
    label: str
    people: int | None
    unit_gbp: float
    multiplier: float
    amount_gbp: float | None


@strawberry.type(description="One part of the estimate, with its lines and assumptions.")
class ImpactComponent:
    key: str
    label: str
    effect: Effect
    people: int | None
    amount_gbp: float | None
    lines: list[ImpactLine]
    assumptions: list[AssumptionUsed]


@strawberry.type(
    description="What placing people in an anchor's posts is worth, component by component. "
    "For place leaders every figure is worked out from the rounded counts they see."
)
class Impact:
    anchor: strawberry.ID
    placed: int | None = strawberry.field(description="People in paid work through its posts.")
    components: list[ImpactComponent]
    mean_annual_salary_gbp: float | None
    earnings_gbp: float | None = strawberry.field(description="Annual pay of the people placed.")
    public_savings_gbp: float | None = strawberry.field(
        description="Welfare no longer paid plus agency premium avoided, less language training."
    )
    total_gbp: float | None = strawberry.field(description="earningsGbp + publicSavingsGbp.")

    @classmethod
    def from_model(cls, model: m.Impact) -> Impact:
        return cls(
            anchor=global_id(Label.ANCHOR_INSTITUTION, model.anchor_id),
            placed=model.placed,
            components=[
                ImpactComponent(
                    key=c.key,
                    label=c.label,
                    effect=c.effect,
                    people=c.people,
                    amount_gbp=c.amount_gbp,
                    lines=[ImpactLine(**line.model_dump()) for line in c.lines],
                    assumptions=[AssumptionUsed(**a.model_dump()) for a in c.assumptions],
                )  # fmt: skip
                for c in model.components
            ],
            mean_annual_salary_gbp=model.mean_annual_salary_gbp,
            earnings_gbp=model.earnings_gbp,
            public_savings_gbp=model.public_savings_gbp,
            total_gbp=model.total_gbp,
        )
