"""No user value ever enters Cypher text: checked on the source of every module
under ``graph/``, so a new query built with an f-string fails here before review.

A query passed to ``run`` or ``execute_query`` (``session.run``, ``tx.run``,
``driver.execute_query``) must not be built with an f-string, ``%``, ``+``,
``.format`` or ``.join``, neither in the call nor in a name assigned so in the
same scope. Varying text comes from dicts of written-out queries keyed by enums.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

GRAPH = Path(__file__).resolve().parents[2] / "graph"
RUNNERS = {"run", "execute_query"}
BUILDERS = {"format", "format_map", "join", "replace"}


def _built(node: ast.AST) -> bool:
    """Whether ``node`` builds text at run time rather than naming written-out text."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in BUILDERS
    return False


def _query_argument(call: ast.Call) -> ast.expr | None:
    if call.args:
        return call.args[0]
    return next((k.value for k in call.keywords if k.arg in {"query", "query_"}), None)


def _scopes(tree: ast.Module) -> Iterator[ast.AST]:
    yield tree
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            yield node


def _own_nodes(scope: ast.AST) -> Iterator[ast.AST]:
    """The nodes of ``scope`` that are not inside a function nested in it."""
    for child in ast.iter_child_nodes(scope):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        yield child
        yield from _own_nodes(child)


def built_queries(source: str, filename: str = "<source>") -> list[str]:
    """``file:line`` of each call that runs a query built from pieces."""
    tree = ast.parse(source, filename)
    found: list[str] = []
    for scope in _scopes(tree):
        nodes = list(_own_nodes(scope))
        built_names = {
            target.id
            for node in nodes
            if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign)
            and node.value is not None
            and (isinstance(node, ast.AugAssign) or _built(node.value))
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
            if isinstance(target, ast.Name)
        }
        for node in nodes:
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in RUNNERS
            ):
                continue
            query = _query_argument(node)
            if query is None:
                continue
            if _built(query) or (isinstance(query, ast.Name) and query.id in built_names):
                found.append(f"{filename}:{node.lineno}")
    return found


def _modules() -> list[Path]:
    return sorted(GRAPH.rglob("*.py"))


def test_the_walk_sees_the_graph_package() -> None:
    names = {path.relative_to(GRAPH).as_posix() for path in _modules()}
    assert {"driver.py", "migrations.py", "services/hub_actions.py"} <= names


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(GRAPH).as_posix())
def test_no_query_is_built_from_pieces(path: Path) -> None:
    assert built_queries(path.read_text(encoding="utf-8"), str(path)) == []


@pytest.mark.parametrize(
    "source",
    [
        "tx.run(f\"MATCH (n {{id: '{ident}'}}) RETURN n\")",
        'session.run("MATCH (n:" + label + ") RETURN n")',
        "driver.execute_query(\"MATCH (n) WHERE n.id = '%s'\" % ident)",
        'driver.execute_query(query="MATCH (n:{}) RETURN n".format(label))',
        'tx.run(" ".join(["MATCH (n)", where, "RETURN n"]))',
        'def work(tx):\n    query = f"MATCH (n:{label}) RETURN n"\n    tx.run(query)',
        "def work(tx):\n    query = BASE\n    query += where\n    tx.run(query, ident=ident)",
    ],
)
def test_the_check_catches_built_queries(source: str) -> None:
    assert built_queries(source) == ["<source>:" + str(source.count("\n") + 1)]


@pytest.mark.parametrize(
    "source",
    [
        "tx.run(q.MATCH_PERSON, id=ident)",
        "driver.execute_query(QUERIES[sort], {'rows': rows}, database_=database)",
        'session.run("MATCH (n) " "RETURN n")',
        "def work(tx):\n    query = _WRITES[measure]\n    tx.run(query, rows=rows)",
        "tx.run(query, {'name': first + ' ' + last})",
    ],
)
def test_the_check_passes_written_out_queries(source: str) -> None:
    assert built_queries(source) == []
