"""The `assetbridge` command: composes each package's commands into one CLI."""

from __future__ import annotations

import typer

from assetbridge import (
    analytics_command,
    audit_command,
    auth_command,
    db_commands,
    demo_command,
    load_command,
    neo4j_commands,
    people_command,
    serve_command,
)

app = typer.Typer(
    help="assetbridge: link a place's micro assets to its macro assets.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(neo4j_commands.app, name="neo4j")
app.add_typer(db_commands.app, name="db")
app.add_typer(demo_command.app, name="demo")
app.add_typer(analytics_command.app, name="analytics")
app.add_typer(auth_command.auth_app, name="auth")
app.add_typer(auth_command.audit_app, name="audit")
auth_command.audit_app.command("verify")(audit_command.verify)
app.add_typer(people_command.people_app, name="people")
app.add_typer(people_command.keys_app, name="keys")
app.command("serve")(serve_command.serve)
app.command("load", help=load_command.kinds_help())(load_command.load_command)


def main() -> None:
    app()
