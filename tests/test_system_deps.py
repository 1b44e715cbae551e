"""`make test` installs what the suite needs beyond Python, or stops naming the command
(issue 16: on a fresh machine it failed on the page's test for want of Chromium)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "system-deps.sh"


def _bin_with(tmp_path: Path, uid: str, *tools: str) -> dict[str, str]:
    """A PATH holding only bash, coreutils' basics, an `id` that says ``uid``, and
    ``tools`` (each a stub that does nothing)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for name in ("bash", "env", "cat"):
        found = shutil.which(name)
        assert found is not None
        (folder / name).symlink_to(found)
    stubs = {"id": f"echo {uid}", **dict.fromkeys(tools, "exit 0")}
    for name, body in stubs.items():
        stub = folder / name
        stub.write_text(f"#!{shutil.which('bash')}\n{body}\n", encoding="utf-8")
        stub.chmod(0o755)
    return {**os.environ, "PATH": str(folder)}


def test_nothing_to_do_when_chromium_and_npm_are_there(tmp_path: Path) -> None:
    env = _bin_with(tmp_path, "1000", "chromium", "npm")
    done = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_without_the_right_to_install_it_stops_naming_the_command(tmp_path: Path) -> None:
    env = _bin_with(tmp_path, "1000", "npm")
    done = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True)
    assert done.returncode == 1
    assert "sudo apt-get install chromium" in done.stderr


def test_make_test_and_ci_go_through_it() -> None:
    root = SCRIPT.parent.parent
    makefile = (root / "Makefile").read_text(encoding="utf-8")
    assert "test: system-deps " in makefile
    ci = (root / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == "make test"
    assert "apt-get" not in "\n".join(ci)
