"""`assetbridge neo4j start|stop|status`: the local Neo4j server."""

from __future__ import annotations

import typer

from assetbridge.console import console, fail
from graph.local_server import LocalServer, LocalServerError, LocalServerSettings
from graph.settings import get_neo4j_settings

app = typer.Typer(help="Run a real Neo4j Community server locally, without Docker.")


def local_server() -> LocalServer:
    neo4j = get_neo4j_settings()
    return LocalServer(LocalServerSettings(), neo4j.user, neo4j.password)


@app.command()
def start() -> None:
    """Fetch Neo4j (first time only), start it, and wait until Bolt answers."""
    server = local_server()
    try:
        state = server.start()
    except LocalServerError as exc:
        fail(str(exc))
    console.print(f"Neo4j is running (pid {state.pid})")
    console.print(state.uri, highlight=False, soft_wrap=True)


@app.command()
def stop() -> None:
    """Stop the server that `start` started (and nothing else)."""
    state = local_server().stop()
    console.print(f"Neo4j {state.detail}")


@app.command()
def status() -> None:
    """Say whether the local server runs and answers; exit 1 when it does not."""
    try:
        state = local_server().status()
    except LocalServerError as exc:
        fail(str(exc))
    pid = f" (pid {state.pid})" if state.pid else ""
    console.print(f"{state.uri}: {state.detail}{pid}", highlight=False)
    if not state.running:
        raise typer.Exit(1)
