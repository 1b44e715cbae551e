from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest
from pydantic import ValidationError
from pydantic_settings import BaseSettings

from graph.algorithms.matching import MatchWeights
from graph.settings import Neo4jSettings
from schema.disclosure import DisclosureSettings

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "uri", ["bolt://127.0.0.1:7687", "neo4j://db:7687", "neo4j+s://abc.databases.neo4j.io"]
)
def test_bolt_and_routing_uris_are_accepted(uri: str) -> None:
    assert Neo4jSettings(uri=uri).uri == uri


@pytest.mark.parametrize("uri", ["http://127.0.0.1:7474", "127.0.0.1:7687"])
def test_other_uris_are_refused_with_the_field_named(uri: str) -> None:
    with pytest.raises(ValidationError, match="NEO4J_URI"):
        Neo4jSettings(uri=uri)


def test_password_is_not_shown_in_repr() -> None:
    assert "s3cret-pass" not in repr(Neo4jSettings(password="s3cret-pass"))


def _settings_classes() -> list[type[BaseSettings]]:
    found: dict[str, type[BaseSettings]] = {}
    for package in ("graph", "schema", "api"):
        for module in pkgutil.walk_packages([str(ROOT / package)], prefix=f"{package}."):
            loaded = importlib.import_module(module.name)
            for value in vars(loaded).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, BaseSettings)
                    and value.__module__ == module.name
                ):
                    found[f"{value.__module__}.{value.__name__}"] = value
    return [found[name] for name in sorted(found)]


@pytest.mark.parametrize("settings_class", _settings_classes(), ids=lambda c: c.__name__)
def test_every_setting_reads_the_env_file(settings_class: type[BaseSettings]) -> None:
    """Issue 16: a small-cell threshold or a matching weight set in .env was silently not
    applied, unlike every other setting."""
    assert settings_class.model_config.get("env_file") == ".env"


def test_a_threshold_in_the_env_file_is_applied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text(
        "ASSETBRIDGE_DISCLOSURE_THRESHOLD=17\nASSETBRIDGE_MATCH_LANGUAGE=0.4\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ASSETBRIDGE_DISCLOSURE_THRESHOLD", raising=False)
    monkeypatch.delenv("ASSETBRIDGE_MATCH_LANGUAGE", raising=False)
    assert DisclosureSettings().threshold == 17
    assert MatchWeights().language == 0.4
