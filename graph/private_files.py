"""Files that may hold personal values or keys are readable by their owner alone.

A file created the ordinary way takes the process umask (usually 022, so
``-rw-r--r--``): every other account on the machine could read an access export or the
key store. These helpers create such files with mode 0600 from the start, and tighten
one that already exists before anything is written to it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TextIO

__all__ = [
    "PRIVATE_DIR_MODE",
    "PRIVATE_FILE_MODE",
    "create_private",
    "make_private_dir",
    "open_private",
]

PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700


def open_private(path: Path, *, newline: str | None = None) -> TextIO:
    """``path`` opened for writing text (UTF-8, truncated), mode 0600 before the first byte."""
    descriptor = _open_owner_only(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        return open(descriptor, "w", encoding="utf-8", newline=newline)  # noqa: PTH123
    except BaseException:
        os.close(descriptor)
        raise


def create_private(path: Path) -> None:
    """Create ``path`` empty with mode 0600 if it is missing; tighten it if it exists.

    For files another library opens by name (SQLite): created here first, the library
    finds them and keeps their mode.
    """
    os.close(_open_owner_only(path, os.O_WRONLY | os.O_CREAT))


def make_private_dir(path: Path) -> None:
    """Create the directory ``path`` with mode 0700 if it is missing (its missing parents
    with the usual mode); an existing directory is left as its owner set it."""
    if path.is_dir():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.mkdir(mode=PRIVATE_DIR_MODE, exist_ok=True)


def _open_owner_only(path: Path, flags: int) -> int:
    descriptor = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), PRIVATE_FILE_MODE)
    try:
        # O_CREAT's mode applies only to a new file: an existing one keeps its own.
        os.fchmod(descriptor, PRIVATE_FILE_MODE)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor
