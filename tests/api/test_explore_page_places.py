"""The explorer page over the two-place demo (issue 15, the page): the place picker lists
only the token's places, and the date slider redraws the network as it stood, so moving
it back to the first year shows the employment hub with its first partners only. Debian's
Chromium through Playwright, as tests/api/test_explore_page.py drives it; screenshots go
to var/test-artifacts/."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver
from playwright.sync_api import Page

from api.auth import get_auth_settings, issue_token
from graph.access import Role
from graph.settings import Neo4jSettings, get_place_settings
from loaders.demo.places import SECOND_PLACE, generate_places, load_places
from tests.api.test_explore_page import (
    ARTEFACTS,
    TRUST,
    ask,
    choose,
    cy,
    explorer,
    needs_browser,
    open_page,
    wait_ready,
)

HOME = get_place_settings().default_place_id
HUB = "Department:dept-learning-works"
# The hub's partners on a day, read from the graph itself: an organisation with a
# referral either way, or a partnership, that held that day.
HUB_PARTNERS = """
MATCH (:Department {id: 'dept-learning-works'})-[t:REFERS_TO|PARTNERS_WITH]-(o:CommunityOrganisation)
WHERE (t.since IS NULL OR t.since <= $day) AND (t.until IS NULL OR $day < t.until)
RETURN count(DISTINCT o) AS partners
"""
FOOTPRINT = """query ($a: ID!, $d: Date) { anchorFootprint(anchorId: $a, asOf: $d) {
  communityOrganisations } }"""


@pytest.fixture
def two_places(clean_db: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path) -> Driver:
    """`demo load --people 300`'s two places, with their history, through the loaders."""
    places = generate_places(tmp_path / "demo", people=300, seed=2007, first_place_id=HOME)
    reports = load_places(places, driver=clean_db, database=neo4j_settings.database)
    assert sum(report.rows_rejected for report in reports) == 0
    return clean_db


def _state(page: Page, expression: str) -> Any:
    return page.evaluate(
        f"(() => {{ const s = window.assetbridgeExplorer; return {expression}; }})()"
    )


def _options(page: Page, select: str) -> list[str]:
    return list(page.eval_on_selector_all(f"{select} option", "os => os.map(o => o.value)"))


def _drawn_ids(page: Page) -> list[str]:
    return list(cy(page, "cy.nodes().map(n => n.id())"))


def _other_place(ids: list[str]) -> list[str]:
    """The ids of Calderford's own nodes among ``ids`` (every one of them starts cal-)."""
    return [i for i in ids if i.split(":", 1)[1].startswith(SECOND_PLACE.prefix)]


def _hub_partners_drawn(page: Page) -> int:
    ties = _state(page, "s.network.ties")
    drawn = {t["source"] if t["target"] == HUB else t["target"] for t in ties
             if HUB in (t["source"], t["target"]) and t["type"] != "PART_OF"}  # fmt: skip
    # The page's own count beside the slider is of the same organisations.
    assert _state(page, "s.hubPartners") == sorted(drawn)
    assert f"{len(drawn)} of them to Riverbridge Learning Works" in str(
        page.text_content("#partners-shown")
    )
    return len(drawn)


def _move_slider(page: Page, key: str) -> None:
    """Move the slider by keyboard, as a person would, and wait for the redrawn page."""
    page.evaluate("document.body.dataset.state = 'choosing'")
    page.focus("#year")
    page.keyboard.press(key)
    wait_ready(page)


def test_a_place_leader_picks_the_place_and_moves_the_slider_back(
    two_places: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    needs_browser()
    settings = get_auth_settings()
    leader = issue_token(settings, "e2e-home-leader", Role.PLACE_LEADER, places=[HOME])
    both = issue_token(settings, "e2e-both", Role.PLACE_LEADER, places=[HOME, SECOND_PLACE.id])
    problems: list[str] = []
    with explorer(neo4j_settings, tmp_path / "chromium-profile") as (base, context):
        page = open_page(context, f"{base}/explore#token={leader}", problems)
        # The picker holds the token's one place, from the API; Calderford is not in it.
        assert _options(page, "#place") == [HOME]
        choose(page, "#place", HOME)
        assert not _other_place(_options(page, "#anchor"))
        choose(page, "#anchor", TRUST)

        # Today: the slider at this year, no day sent, the partners those of today.
        assert _state(page, "s.asOf") is None
        this_year = date.today().year
        assert page.input_value("#year") == str(this_year)
        today_partners = _state(page, "s.partners.length")
        assert cy(page, "cy.nodes('.partner').length") == today_partners
        expected = ask(base, leader, FOOTPRINT, {"a": TRUST, "d": None})
        assert today_partners == expected["anchorFootprint"]["communityOrganisations"]
        today_hub = two_places.execute_query(
            HUB_PARTNERS, day=date.today(), database_=neo4j_settings.database
        ).records[0]["partners"]
        assert _hub_partners_drawn(page) == today_hub == 28
        assert _other_place(_drawn_ids(page)) == []
        page.screenshot(path=str(ARTEFACTS / "explore-today.png"), full_page=True)

        # Back to the first year the hub had a partner: the end of that year.
        _move_slider(page, "Home")
        first = int(page.get_attribute("#year", "min") or "0")
        assert page.input_value("#year") == str(first)
        day = date(first, 12, 31)
        assert _state(page, "s.asOf") == day.isoformat()
        early_partners = _state(page, "s.partners.length")
        assert cy(page, "cy.nodes('.partner').length") == early_partners
        assert early_partners < today_partners
        expected = ask(base, leader, FOOTPRINT, {"a": TRUST, "d": day.isoformat()})
        assert early_partners == expected["anchorFootprint"]["communityOrganisations"]
        # The hub with its first partners only: exactly those the graph held that day.
        early_hub = two_places.execute_query(
            HUB_PARTNERS, day=day, database_=neo4j_settings.database
        ).records[0]["partners"]
        assert _hub_partners_drawn(page) == early_hub
        assert 0 < early_hub < today_hub
        assert _other_place(_drawn_ids(page)) == []
        assert day.strftime("%-d %B %Y") in str(page.text_content("#year-shown"))
        assert "up to " + day.strftime("%-d %B %Y") in str(page.text_content("#funnel-note"))
        page.screenshot(path=str(ARTEFACTS / "explore-first-year.png"), full_page=True)

        # And forward again to today.
        _move_slider(page, "End")
        assert _state(page, "s.asOf") is None
        assert _state(page, "s.partners.length") == today_partners

        # A token for both places sees both in the picker, and Calderford's anchors
        # only once Calderford is chosen (a new tab: its own session storage).
        page = open_page(context, f"{base}/explore#token={both}", problems)
        assert sorted(_options(page, "#place")) == sorted([HOME, SECOND_PLACE.id])
        choose(page, "#place", SECOND_PLACE.id)
        anchors = _options(page, "#anchor")
        assert anchors
        assert _other_place(anchors) == anchors
        page.screenshot(path=str(ARTEFACTS / "explore-calderford.png"), full_page=True)
        # Back to the neighbourhood with the same token: its network is the
        # neighbourhood's alone, though the token could ask for Calderford's too.
        choose(page, "#place", HOME)
        choose(page, "#anchor", TRUST)
        assert _state(page, "s.partners.length") == today_partners
        assert _other_place(_drawn_ids(page)) == []
    assert problems == []
