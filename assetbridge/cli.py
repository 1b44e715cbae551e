"""The `assetbridge` command: composes each package's commands into one CLI."""

from __future__ import annotations

import typer

from assetbridge import db_commands, load_command, neo4j_commands, serve_command

app = typer.Typer(
    help="assetbridge: link a place's micro assets to its macro assets.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(neo4j_commands.app, name="neo4j")
app.add_typer(db_commands.app, name="db")
app.command("serve")(serve_command.serve)
app.command("load", help=load_command.kinds_help())(load_command.load_command)


def main() -> None:
    app()
