"""The funnel's counts and the impact estimate's arithmetic, against figures worked by hand."""

from __future__ import annotations

import doctest
import importlib
from datetime import date

import pytest

from graph.algorithms.funnel import stage_figures
from graph.algorithms.impact import HIDDEN_LINE, estimate_impact
from graph.models.funnel import FunnelPerson
from graph.models.impact import ImpactAssumptions, PlacedGroup, PlacementFacts
from graph.models.people import ReadinessStage as S


def person(stage: S | None = None, **steps: str) -> FunnelPerson:
    history = [(S(name), date.fromisoformat(day)) for name, day in steps.items()]
    return FunnelPerson(stage=stage, history=history)


# Five people: the doctor took every step; the care worker skipped accreditation; one
# person's only stage has no date.
PEOPLE = [
    person(engaged="2024-01-01", language_training="2024-01-11", accreditation="2024-03-01"),
    person(engaged="2024-02-01"),
    person(
        engaged="2023-06-01",
        language_training="2023-07-01",
        accreditation="2023-09-01",
        placement="2024-01-01",
        employed="2024-04-01",
    ),  # fmt: skip
    person(engaged="2024-05-01", language_training="2024-06-01", placement="2024-08-01"),
    person(stage=S.ENGAGED),
]


def table(figures: list) -> dict[str, tuple[int, int, float | None]]:  # type: ignore[type-arg]
    return {f.stage.value: (f.reached, f.moved_on, f.median_days) for f in figures}


def test_funnel_over_all_time() -> None:
    assert table(stage_figures(PEOPLE)) == {
        # moved on: 10, 30 and 31 days later; the undated person never moved on
        "engaged": (5, 3, 30.0),
        # 50, 62 and 61 days (the care worker went straight to a placement)
        "language_training": (3, 3, 61.0),
        "accreditation": (2, 1, 122.0),
        "placement": (2, 1, 91.0),
        "employed": (1, 0, None),
        "registered": (0, 0, None),
    }


def test_funnel_in_a_period_counts_dated_steps_inside_it() -> None:
    figures = stage_figures(PEOPLE, date(2024, 1, 1), date(2024, 6, 30))
    assert table(figures) == {
        # 2023's engagement and the undated one fall outside; 10 and 31 days on
        "engaged": (3, 2, 20.5),
        # the placement on 1 August is after the period: not moved on within it
        "language_training": (2, 1, 50.0),
        "accreditation": (1, 0, None),
        "placement": (1, 1, 91.0),
        "employed": (1, 0, None),
        "registered": (0, 0, None),
    }
    assert figures[0].conversion == pytest.approx(2 / 3)


def test_a_setback_does_not_count_a_stage_twice() -> None:
    back = FunnelPerson(history=[(S.ENGAGED, date(2024, 1, 1)), (S.LANGUAGE_TRAINING,
                        date(2024, 2, 1)), (S.ENGAGED, date(2024, 3, 1))])  # fmt: skip
    assert table(stage_figures([back]))["engaged"] == (1, 1, 31.0)


FACTS = PlacementFacts(
    anchor_id="trust",
    placed=15,
    groups=[
        PlacedGroup(occupation_id="doctor", occupation_name="doctor", placed=3),
        PlacedGroup(occupation_id="nurse", occupation_name="nurse", placed=12),
    ],
    language_trained=13,
)


def test_impact_with_the_callers_assumptions() -> None:
    assumptions = ImpactAssumptions(
        salaries={"doctor": 60_000.0},
        welfare_per_person_month_gbp=400.0,
        welfare_months=6,
        language_training_cost_per_person_gbp=1_500.0,
        agency_premium_per_post_gbp=10_000.0,
    )
    impact = estimate_impact(FACTS, assumptions, {"nurse": 32_000.0, "doctor": 55_000.0})
    amounts = {c.key: (c.people, c.amount_gbp) for c in impact.components}
    assert amounts == {
        "salaries": (15, 564_000.0),  # 3 x 60,000 (the caller's) + 12 x 32,000 (posted)
        "welfare": (15, 36_000.0),  # 15 x 400 x 6
        "language_training": (13, 19_500.0),  # 13 x 1,500
        "agency_premium": (15, 150_000.0),  # 15 x 10,000
    }
    assert impact.mean_annual_salary_gbp == 37_600.0
    assert impact.earnings_gbp == 564_000.0
    assert impact.public_savings_gbp == 166_500.0  # 36,000 + 150,000 - 19,500
    assert impact.total_gbp == 730_500.0
    salaries = impact.components[0]
    assert [(a.name, a.value, a.source) for a in salaries.assumptions] == [
        ("annual salary: doctor", 60_000.0, "given by the caller"),
        ("annual salary: nurse", 32_000.0,
         "mean midpoint of the pay the anchor posts for the occupation"),
    ]  # fmt: skip
    welfare = impact.components[1]
    assert [(a.value, a.source) for a in welfare.assumptions] == [
        (400.0, "given by the caller"),
        (6.0, "given by the caller"),
    ]


def test_impact_defaults() -> None:
    impact = estimate_impact(FACTS, ImpactAssumptions())
    amounts = {c.key: c.amount_gbp for c in impact.components}
    # No posted pay given: both occupations at the band 5 default of 29,970.
    assert amounts == {
        "salaries": 449_550.0,  # 15 x 29,970
        "welfare": 70_821.0,  # 15 x 393.45 x 12
        "language_training": 26_000.0,  # 13 x 2,000
        "agency_premium": 180_000.0,  # 15 x 12,000
    }
    assert impact.public_savings_gbp == 224_821.0
    assert impact.total_gbp == 674_371.0


def test_hidden_occupations_are_valued_together_and_totals_need_every_part() -> None:
    facts = PlacementFacts(
        anchor_id="trust",
        placed=25,
        groups=[
            PlacedGroup(occupation_id="nurse", occupation_name="nurse", placed=15),
            PlacedGroup(occupation_id="doctor", occupation_name="doctor", placed=None),
            PlacedGroup(occupation_id="dentist", occupation_name="dentist", placed=None),
        ],
        language_trained=None,
    )
    posted = {"nurse": 32_000.0, "doctor": 55_000.0, "dentist": 60_000.0}
    impact = estimate_impact(facts, ImpactAssumptions(), posted)
    salaries = impact.components[0]
    assert [
        (line.label, line.people, line.unit_gbp, line.amount_gbp) for line in salaries.lines
    ] == [
        ("dentist", None, 60_000.0, None),
        ("doctor", None, 55_000.0, None),
        ("nurse", 15, 32_000.0, 480_000.0),
        # 25 - 15 people, at the plain mean of 55,000 and 60,000
        (HIDDEN_LINE, 10, 57_500.0, 575_000.0),
    ]
    assert (salaries.people, salaries.amount_gbp) == (25, 1_055_000.0)
    assert impact.components[2].amount_gbp is None
    assert (impact.public_savings_gbp, impact.total_gbp) == (None, None)
    assert impact.earnings_gbp == 1_055_000.0


@pytest.mark.parametrize(
    "module", ["graph.algorithms.funnel", "graph.algorithms.impact", "graph.services.place_view"]
)
def test_docstring_examples(module: str) -> None:
    failures, tried = doctest.testmod(importlib.import_module(module), raise_on_error=False)
    assert tried > 0
    assert failures == 0
