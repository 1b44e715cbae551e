"""GraphiQL with no internet: its page, scripts and styles come from this server (copies that
`make assets` takes from npm, each with its licence), and Debian's Chromium, allowed to
reach nothing but the app, still runs a query in it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Route, sync_playwright

from api.auth import get_auth_settings, issue_token
from api.routes.explore import STATIC
from api.routes.graphiql import GRAPHIQL_VENDOR_FILES
from graph.access import Role
from tests.api.test_explore_page import CHROMIUM, FLAGS

HTML = {"Accept": "text/html"}
# A name no resolver knows: every request the browser makes is answered by the route
# handler below, which hands this host's to the app and refuses every other.
HOST = "assetbridge.invalid"
WAIT_MS = 120_000


def _references(html: str) -> list[str]:
    return re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)["']""", html)


def test_the_page_loads_nothing_from_elsewhere(client: TestClient) -> None:
    page = client.get("/graphql", headers=HTML)
    assert page.status_code == 200
    assert "GraphiQL" in page.text
    # No scheme and host anywhere: not in a script, a stylesheet, nor an inline loader.
    assert "://" not in page.text
    references = _references(page.text)
    assert any(ref.endswith("/graphiql.min.js") for ref in references), references
    for ref in references:
        if ref.startswith("data:"):
            continue
        assert ref.startswith("/"), ref
        assert not ref.startswith("//"), ref
        assert client.get(ref).status_code == 200, ref
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'self';" in policy
    assert "connect-src 'self';" in policy
    assert "://" not in policy


def test_each_copy_comes_with_its_licence() -> None:
    vendor = STATIC / "vendor"
    for name, package in GRAPHIQL_VENDOR_FILES.items():
        assert (vendor / name).is_file(), f"{name} is missing: run `make assets`"
        licence = (vendor / f"{package}.LICENSE").read_text(encoding="utf-8")
        assert licence.startswith("MIT License"), package
    # The styles bring their fonts along (data: URLs) and import nothing.
    styles = (vendor / "graphiql.min.css").read_text(encoding="utf-8")
    assert "@import" not in styles
    assert re.findall(r"url\(\s*['\"]?(?!data:)([^)'\"]*)", styles) == []


def test_without_its_copies_the_page_says_how_to_install_them(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "vendor").mkdir()
    monkeypatch.setattr("api.routes.graphiql.STATIC", tmp_path)
    page = client.get("/graphql", headers=HTML)
    assert page.status_code == 200
    assert "GraphiQL is not installed here" in page.text
    assert "make assets" in page.text
    assert "graphiql.min.js" in page.text
    assert "://" not in page.text


def test_graphiql_runs_a_query_with_no_other_host_reachable(
    client: TestClient, tmp_path: Path
) -> None:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: apt-get install -y chromium (.ci/run does)")
    elsewhere: list[str] = []
    problems: list[str] = []

    def answer(route: Route) -> None:
        request = route.request
        url = urlsplit(request.url)
        if url.hostname != HOST:
            elsewhere.append(request.url)
            route.abort()
            return
        response = client.request(
            request.method,
            url.path + (f"?{url.query}" if url.query else ""),
            headers=request.headers,
            content=request.post_data_buffer,
        )
        route.fulfill(
            status=response.status_code, headers=dict(response.headers), body=response.content
        )

    token = issue_token(get_auth_settings(), "graphiql-admin", Role.ADMIN)
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=str(CHROMIUM), headless=True,
            args=FLAGS, viewport={"width": 1400, "height": 900},
        )  # fmt: skip
        try:
            context.route("**/*", answer)
            page = context.new_page()
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.goto(f"http://{HOST}/graphql")
            page.wait_for_selector(".graphiql-query-editor .CodeMirror", timeout=WAIT_MS)
            # The editors are CodeMirror 5 instances; set them as a person would type.
            page.evaluate(
                """([query, headers]) => {
                  document.querySelector('.graphiql-query-editor .CodeMirror')
                    .CodeMirror.setValue(query);
                  // Below the query: the variables editor, then the headers editor.
                  const tools = document.querySelectorAll('.graphiql-editor-tool .CodeMirror');
                  tools[tools.length - 1].CodeMirror.setValue(headers);
                }""",
                [
                    "{ serviceInfo { name } people(first: 1) { totalCount } }",
                    json.dumps({"Authorization": f"Bearer {token}"}),
                ],
            )
            page.click(".graphiql-execute-button")
            # A locator, not wait_for_function: that evaluates a string in the page, which
            # the page's own CSP (script-src 'self', no eval) rightly refuses.
            page.locator(".result-window", has_text="totalCount").wait_for(timeout=WAIT_MS)
            result = str(page.text_content(".result-window"))
        finally:
            context.close()
    assert elsewhere == []
    assert problems == []
    assert '"name": "assetbridge"' in result
    assert '"totalCount"' in result
    assert "UNAUTHENTICATED" not in result
