"""The four rooms import in one direction only (see STYLE.md)."""

from __future__ import annotations

import ast
from collections.abc import Collection
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = {"graph", "schema", "api", "loaders", "assetbridge"}
ALLOWED = {
    "graph": {"graph"},
    "schema": {"schema", "graph"},
    "api": {"api", "schema", "graph"},
    "loaders": {"loaders", "graph"},
}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found & OURS


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_what_it_may(package: str) -> None:
    offences = []
    for path in sorted((ROOT / package).rglob("*.py")):
        bad = imported_packages(path) - ALLOWED[package]
        if bad:
            offences.append(f"{path.relative_to(ROOT)} imports {sorted(bad)}")
    assert offences == []


def test_the_walk_sees_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from api.main import create_app\nimport loaders.x\nimport os\n")
    assert imported_packages(module) == {"api", "loaders"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def our_modules() -> dict[str, Path]:
    return {_module_name(path): path for package in OURS for path in (ROOT / package).rglob("*.py")}


def imported_modules(path: Path, name: str, modules: Collection[str]) -> set[str]:
    """Our modules ``path`` imports anywhere in it, ``if TYPE_CHECKING:`` blocks included
    (a circle that only the type checker follows is still a circle to a reader)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    named: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            named.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            # `from schema.types import places` names the module schema.types.places,
            # `from schema.types.places import Area` the module that holds Area.
            for alias in node.names:
                full = f"{base}.{alias.name}"
                named.add(full if full in modules else base)
    found = set()
    for target in named:
        while target and target not in modules:
            target = target.rpartition(".")[0]
        if target and target != name:
            found.add(target)
    return found


def circles(imports: dict[str, set[str]]) -> list[list[str]]:
    """Every group of modules that import one another round a circle (Tarjan's SCCs)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        order[module] = low[module] = len(order)
        stack.append(module)
        for target in sorted(imports.get(module, ())):
            if target not in order:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], order[target])
        if low[module] == order[module]:
            group = []
            while (member := stack.pop()) != module:
                group.append(member)
            group.append(module)
            if len(group) > 1 or module in imports.get(module, ()):
                found.append(sorted(group))

    for module in sorted(imports):
        if module not in order:
            visit(module)
    return found


def test_no_module_of_ours_is_in_an_import_circle() -> None:
    modules = our_modules()
    imports = {name: imported_modules(path, name, modules) for name, path in modules.items()}
    assert circles(imports) == []


def test_the_circle_check_sees_a_circle_through_type_checking_imports(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("from pkg import b\n")
    (tmp_path / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.c import C\n"
    )
    (tmp_path / "c.py").write_text("def f() -> None:\n    from pkg.a import x\n")
    modules = {"pkg.a", "pkg.b", "pkg.c", "pkg.d"}
    imports = {
        f"pkg.{n}": imported_modules(tmp_path / f"{n}.py", f"pkg.{n}", modules) for n in "abc"
    }
    assert imports == {"pkg.a": {"pkg.b"}, "pkg.b": {"pkg.c"}, "pkg.c": {"pkg.a"}}
    assert circles({**imports, "pkg.d": {"pkg.a"}}) == [["pkg.a", "pkg.b", "pkg.c"]]
