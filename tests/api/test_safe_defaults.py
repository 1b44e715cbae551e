"""Safe defaults: compose and the image run in production mode and refuse to start
without their secrets; development mode serves this machine only. There is no Docker
engine here, so the compose file and the Dockerfile are read, and `assetbridge serve`
is called for its refusals (each refusal comes before any connection is tried)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from api.auth import DEV_SECRET
from assetbridge.serve_command import is_loopback
from graph.crypto.keystore import DEVELOPMENT_MASTER_KEY

ROOT = Path(__file__).resolve().parents[2]


def _required(name: str) -> str:
    """Compose's `${NAME:?message}`: stop with the message when NAME is unset or empty."""
    return r"\$\{" + name + r":\?[^}]+\}"


# Of a generated secret's shape (production refuses one like "s" * 40).
STRONG_SECRET = "pX4rT9qLw2ZmV7nB0cKd8sYf3hJg6uEa1oNi5"


def _compose() -> dict[str, dict[str, dict[str, str]]]:
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert isinstance(services, dict)
    return services


def test_compose_runs_the_api_in_production_and_requires_its_secrets() -> None:
    api = _compose()["api"]["environment"]
    assert api["ASSETBRIDGE_API_ENVIRONMENT"] == "production"
    assert re.fullmatch(_required("ASSETBRIDGE_AUTH_SECRET"), api["ASSETBRIDGE_AUTH_SECRET"])
    assert re.fullmatch(_required("NEO4J_PASSWORD"), api["NEO4J_PASSWORD"])


def test_compose_gives_neo4j_no_default_password() -> None:
    neo4j = _compose()["neo4j"]["environment"]
    user, password = neo4j["NEO4J_AUTH"].split("/", 1)
    assert user == "${NEO4J_USER:-neo4j}"
    assert re.fullmatch(_required("NEO4J_PASSWORD"), password)


def test_no_secret_has_a_default_in_compose_or_the_image() -> None:
    compose = (ROOT / "docker-compose.yml").read_text()
    dockerfile = (ROOT / "Dockerfile").read_text()
    for text in (compose, dockerfile):
        assert "assetbridge-dev" not in text
        assert DEV_SECRET not in text
    # Every variable that holds a secret is required (:?), never given a default (:-).
    for name in ("NEO4J_PASSWORD", "ASSETBRIDGE_AUTH_SECRET"):
        assert re.findall(rf"\$\{{{name}(:.)?", compose) == [":?"] * compose.count(f"${{{name}")
    # Ports are published on this machine's loopback only; the proxy in front decides more.
    for service in _compose().values():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), port


def test_the_image_defaults_to_production_and_bakes_in_no_secret() -> None:
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    final_stage = lines[max(i for i, line in enumerate(lines) if line.startswith("FROM ")) :]
    envs = " ".join(line for line in final_stage if line.startswith("ENV "))
    assert "ASSETBRIDGE_API_ENVIRONMENT=production" in envs
    assert "SECRET" not in envs
    assert "PASSWORD" not in envs
    assert final_stage[-1].startswith('CMD ["assetbridge", "serve"')


def _serve(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # Nothing of the test run's own settings: only what each case gives.
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ASSETBRIDGE_", "NEO4J_"))}
    return subprocess.run(
        [sys.executable, "-m", "assetbridge", "serve", *args],
        capture_output=True, text=True, env={**clean, **env}, cwd=tmp_path, check=False,
        timeout=120,
    )  # fmt: skip


def _said(result: subprocess.CompletedProcess[str]) -> str:
    # The terminal's width wraps the message; the words are what count.
    return " ".join(result.stderr.split())


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (("--host", "0.0.0.0"), {}),
        (("--host", "::"), {"ASSETBRIDGE_API_ENVIRONMENT": "development"}),
        ((), {"ASSETBRIDGE_API_HOST": "192.168.1.20"}),
        (("--host", "example.org"), {}),
    ],
)
def test_development_mode_refuses_to_listen_beyond_this_machine(
    tmp_path: Path, args: tuple[str, ...], env: dict[str, str]
) -> None:
    result = _serve(tmp_path, *args, **env)
    assert result.returncode == 1
    assert "development mode listens on this machine only" in _said(result)
    assert "ASSETBRIDGE_API_ENVIRONMENT=production" in _said(result)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "ASSETBRIDGE_AUTH_SECRET must be set (32+ random characters) in production"),
        ({"ASSETBRIDGE_AUTH_SECRET": DEV_SECRET}, "ASSETBRIDGE_AUTH_SECRET must be set"),
        ({"ASSETBRIDGE_AUTH_SECRET": "short"}, "ASSETBRIDGE_AUTH_SECRET must be set"),
        ({"ASSETBRIDGE_AUTH_SECRET": "a" * 32}, "it has only 1 distinct characters"),
        (
            {"ASSETBRIDGE_AUTH_SECRET": "0123456789abcdef" * 2},
            "secrets.token_urlsafe(48)",
        ),
        ({"ASSETBRIDGE_AUTH_SECRET": STRONG_SECRET}, "NEO4J_PASSWORD must be set in production"),
        (
            {"ASSETBRIDGE_AUTH_SECRET": STRONG_SECRET, "NEO4J_PASSWORD": "assetbridge-dev"},
            "NEO4J_PASSWORD must be set in production",
        ),
        (
            {"ASSETBRIDGE_AUTH_SECRET": STRONG_SECRET, "NEO4J_PASSWORD": "a-real-password-1"},
            "ASSETBRIDGE_MASTER_KEY is not set",
        ),
        (
            {
                "ASSETBRIDGE_AUTH_SECRET": STRONG_SECRET,
                "NEO4J_PASSWORD": "a-real-password-1",
                "ASSETBRIDGE_MASTER_KEY": "too-short",
            },
            "ASSETBRIDGE_MASTER_KEY must be 32 random bytes in base64",
        ),  # fmt: skip
        (
            {
                "ASSETBRIDGE_AUTH_SECRET": STRONG_SECRET,
                "NEO4J_PASSWORD": "a-real-password-1",
                "ASSETBRIDGE_MASTER_KEY": DEVELOPMENT_MASTER_KEY,
            },
            "ASSETBRIDGE_MASTER_KEY is too weak for production: it is a development secret",
        ),  # fmt: skip
    ],
)
def test_production_refuses_to_start_without_its_secrets(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    result = _serve(tmp_path, "--host", "0.0.0.0", ASSETBRIDGE_API_ENVIRONMENT="production", **env)
    assert result.returncode == 1
    assert message in _said(result)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("[::1]", True),
        ("localhost", True), ("LOCALHOST", True), ("0.0.0.0", False), ("::", False),
        ("10.0.0.1", False), ("example.org", False), ("", False),
    ],
)  # fmt: skip
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
