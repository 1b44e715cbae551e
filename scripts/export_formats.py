"""Writes docs/formats.md and docs/schemas/ from the loaders' row models."""

from __future__ import annotations

from pathlib import Path

from loaders.format_docs import render_format_docs

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    for relative, text in render_format_docs().items():
        target = ROOT / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"wrote {relative}")  # noqa: T201


if __name__ == "__main__":
    main()
