"""The partnership explorer, end to end: the demo place, the real app under uvicorn in
production mode (no GraphiQL, no introspection), Debian's Chromium driven by
Playwright, a place leader's token. Screenshots go to var/test-artifacts/."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient
from neo4j import Driver
from playwright.sync_api import BrowserContext, Page, sync_playwright

from api.auth import get_auth_settings, issue_token
from api.main import create_app
from api.routes.explore import STATIC
from api.settings import ApiSettings
from graph.access import Role
from graph.crypto import open_key_store
from graph.crypto.records import open_record
from graph.settings import Neo4jSettings

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "var" / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
TRUST = "AnchorInstitution:anchor-trust"
COUNCIL = "AnchorInstitution:anchor-council"
# A bound on waiting for the page, not a measure of speed: past it the test fails.
PAGE_WAIT_MS = 240_000


@contextmanager
def serving(neo4j_settings: Neo4jSettings) -> Iterator[str]:
    """The real app in production mode under uvicorn, on a free port of 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(ApiSettings(environment="production"), neo4j_settings)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(600):
        if server.started or not thread.is_alive():
            break
        time.sleep(0.1)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def needs_browser() -> None:
    """Fail, naming what to run, when Chromium or the page's graph library is missing."""
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: apt-get install -y chromium (.ci/run does)")
    if not (STATIC / "vendor" / "cytoscape.min.js").exists():
        pytest.fail("cytoscape is not in api/static/vendor: run `make assets`")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)


@contextmanager
def explorer(neo4j_settings: Neo4jSettings, profile: Path) -> Iterator[tuple[str, BrowserContext]]:
    """The app served (its address) and Debian's Chromium, headless, with a profile of its
    own in ``profile``, to visit it."""
    with serving(neo4j_settings) as base, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=FLAGS,
            viewport={"width": 1500, "height": 1000},
        )  # fmt: skip
        try:
            yield base, context
        finally:
            context.close()


def wait_ready(page: Page) -> None:
    """Wait until the page has loaded what it asked for, and check it did without error."""
    page.wait_for_selector("body[data-state=ready], body[data-state=error]", state="attached",
                           timeout=PAGE_WAIT_MS)  # fmt: skip
    assert page.get_attribute("body", "data-state") == "ready", page.text_content("#status")


def open_page(context: BrowserContext, url: str, problems: list[str]) -> Page:
    """A new tab (its own session storage) at ``url``, ready; its errors go to ``problems``."""
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(url)
    wait_ready(page)
    return page


def ask(base: str, token: str, query: str, variables: dict[str, Any]) -> Any:
    request = urllib.request.Request(
        f"{base}/graphql",
        data=json.dumps({"query": query, "variables": variables}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        body = json.load(response)
    assert "errors" not in body, body
    return body["data"]


def choose(page: Page, select: str, value: str) -> None:
    """Pick an option and wait until the page has loaded what it asks for."""
    page.evaluate("document.body.dataset.state = 'choosing'")
    page.select_option(select, value)
    wait_ready(page)


def cy(page: Page, expression: str) -> Any:
    return page.evaluate(
        f"(() => {{ const cy = window.assetbridgeExplorer.cy; return {expression}; }})()"
    )


GAPS = """query ($a: ID!, $o: ID) { brokerageGaps(anchorId: $a, occupation: $o) {
  criticalBrokers { node { id } } } }"""

PERSONAL_NAMES = (
    "MATCH (r:PersonalRecord) WHERE r.name IS NOT NULL RETURN r.id AS id, r.name AS name"
)


def _personal_names(driver: Driver, database: str) -> list[str]:
    """The demo people's names, opened with their keys (they are stored sealed)."""
    records, _, _ = driver.execute_query(PERSONAL_NAMES, database_=database)
    keys = open_key_store().keys_for(r["id"] for r in records)
    opened = (open_record(keys.get(r["id"]), r["id"], {"name": r["name"]}) for r in records)
    return [record["name"] for record in opened if "name" in record]


def test_a_place_leader_explores_the_demo_place(
    demo_place: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    needs_browser()
    token = issue_token(get_auth_settings(), "e2e-leader", Role.PLACE_LEADER)
    problems: list[str] = []
    with explorer(neo4j_settings, tmp_path / "chromium-profile") as (base, context):
        # In the fragment, which the browser never sends to the server.
        page = open_page(context, f"{base}/explore#token={token}", problems)
        # The token left the address bar (and so the history) as soon as it was read.
        assert "token" not in page.url

        # The council: an anchor whose care-worker pipeline hangs on a few organisations.
        choose(page, "#anchor", COUNCIL)
        occupation = page.input_value("#occupation")
        expected = ask(base, token, GAPS, {"a": COUNCIL, "o": occupation})
        brokers = {b["node"]["id"] for b in expected["brokerageGaps"]["criticalBrokers"]}
        assert brokers, "the demo council should have critical brokers"
        assert set(cy(page, "cy.nodes('.critical').map(n => n.id())")) == brokers
        page.screenshot(path=str(ARTEFACTS / "explore-council.png"), full_page=True)

        # The hospital trust: a referral path to a shortage vacancy, and its funnel.
        choose(page, "#anchor", TRUST)
        network = cy(page, "cy.nodes().length")
        organisations = cy(page, "cy.nodes('.organisation').length")
        assert organisations >= 50
        assert network > organisations
        assert "(shortage" in str(page.text_content("#vacancy option:checked"))
        vacancy = page.input_value("#vacancy")
        on_path = page.evaluate("window.assetbridgeExplorer.paths[0].nodes.map(n => n.id)")
        assert set(cy(page, "cy.nodes('.on-path').map(n => n.id())")) == set(on_path)
        assert on_path[0] == page.input_value("#source")
        assert on_path[0].startswith("CommunityOrganisation:")
        assert on_path[-1] == vacancy
        assert {TRUST, vacancy, "Department:dept-learning-works"} <= set(on_path)
        assert cy(page, "cy.edges('.path').length") == len(on_path) - 1
        chosen = str(page.text_content("#paths li.chosen"))
        assert "Riverbridge Learning Works" in chosen
        assert "vacancy (" in chosen
        # The whole route from the same organisation, the steps a newcomer needs on it
        # (issue 16's pathway), drawn when chosen.
        routes = page.evaluate("window.assetbridgeExplorer.pathway.routes")
        assert routes
        whole = [step["node"]["id"] for step in routes[0]["steps"]]
        assert whole[0] == page.input_value("#source")
        assert whole[-1] == vacancy
        assert "CLOSES_GAP" in [step["role"] for step in routes[0]["steps"]]
        assert "closes: IELTS" in str(page.text_content("#pathway"))
        page.click("#pathway > li:first-child > span")
        assert set(cy(page, "cy.nodes('.on-path').map(n => n.id())")) == set(whole)
        assert "Riverbridge Learning Works" in str(page.text_content("#pathway li.chosen"))
        stages = page.locator("#funnel tbody tr")
        assert stages.count() == 6
        assert stages.first.locator("td").first.text_content() == "engaged"
        assert int(str(stages.first.locator("td").nth(1).text_content()).replace(",", "")) > 0
        assert page.locator("#impact tbody tr").count() == 4
        page.screenshot(path=str(ARTEFACTS / "explore.png"), full_page=True)

        shown = page.content()
        names = _personal_names(demo_place, neo4j_settings.database)
        assert len(names) == 286
        assert [name for name in names if name in shown] == []
        assert "Person:" not in shown

        # An old link's ?token= has reached the server already: the page does not use
        # it (a new tab has storage of its own), says why, and drops it from the address.
        old_link = context.new_page()
        old_link.goto(f"{base}/explore?token={token}")
        old_link.wait_for_selector("body[data-state=signed-out]", state="attached",
                                   timeout=PAGE_WAIT_MS)  # fmt: skip
        assert "#token=" in str(old_link.text_content("#status"))
        assert "token" not in old_link.url
    assert problems == []


def test_the_page_is_served_in_production_without_graphiql(neo4j_settings: Neo4jSettings) -> None:
    app = create_app(ApiSettings(environment="production"), neo4j_settings)
    with TestClient(app) as client:
        page = client.get("/explore")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        policy = page.headers["content-security-policy"]
        assert "script-src 'self'" in policy
        assert "connect-src 'self'" in policy
        assert page.headers["referrer-policy"] == "no-referrer"
        assert "/explore/static/explore.js" in page.text
        script = client.get("/explore/static/explore.js")
        assert script.status_code == 200
        # The page's only data source is the GraphQL API it calls with the caller's token.
        assert 'fetch("/graphql"' in script.text
        assert client.get("/graphql", headers={"Accept": "text/html"}).status_code == 404
