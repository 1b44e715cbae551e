"""Production secrets must look generated (issue 13 loose end): a 32-character secret of
one letter or a repeated pattern, or a published development secret, is refused, naming
the setting and how to make a good one; development mode still runs without any."""

from __future__ import annotations

import base64
import os
import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from api.auth import DEV_SECRET, AuthSettings
from api.settings import get_api_settings
from graph.crypto.keystore import (
    DEVELOPMENT_MASTER_KEY,
    KeySettings,
    KeyStoreError,
    check_master_key,
)
from graph.secret_strength import MIN_DISTINCT_BYTES, MIN_DISTINCT_CHARACTERS, weakness

ROOT = Path(__file__).resolve().parent.parent
URLSAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
HEX = "0123456789abcdef"

WEAK_SECRETS = {
    "one letter": "a" * 32,
    "two letters": "ab" * 8 + "ba" * 8,
    "a short word repeated": "hunter2!" * 4,
    "a pattern repeated, cut short": "0123456789" * 3 + "01",
    "the alphabet": "abcdefghijklmnopqrstuvwxyz012345",
    "a run of one letter with a few others": "x" * 25 + "Tr0ub4d",
    "the published development secret": DEV_SECRET,
}


def _secret(rule: str) -> str:
    return weakness(rule, min_length=32, min_distinct=MIN_DISTINCT_CHARACTERS) or ""


@pytest.mark.parametrize("value", WEAK_SECRETS.values(), ids=WEAK_SECRETS.keys())
def test_made_up_secrets_are_refused_with_the_reason(value: str) -> None:
    reason = weakness(
        value, min_length=32, min_distinct=MIN_DISTINCT_CHARACTERS, published=(DEV_SECRET,)
    )
    assert reason is not None
    assert re.match(r"(has|repeats|is) ", reason)


def test_each_rule_names_what_is_wrong() -> None:
    assert _secret("a" * 31) == "has 31 characters (at least 32 are needed)"
    assert _secret("ab" * 16) == "has only 2 distinct characters (at least 8 are needed)"
    assert _secret("hunter2!" * 4) == "repeats a block of 8 characters"
    assert _secret("abcdefghijklmnopqrstuvwxyz012345") == (
        "is mostly runs of neighbouring characters (such as abcd, 1234 or aaaa)"
    )


@pytest.mark.parametrize(
    ("alphabet", "length"),
    [(HEX, 32), (HEX, 64), (URLSAFE, 32), (URLSAFE, 64)],
    ids=["openssl rand -hex 16", "openssl rand -hex 32", "token_urlsafe(24)", "token_urlsafe(48)"],
)
def test_generated_secrets_pass(alphabet: str, length: int) -> None:
    """Two thousand secrets of each generator's shape (seeded, so the test is fixed)."""
    draw = random.Random(13)
    for _ in range(2000):
        value = "".join(draw.choice(alphabet) for _ in range(length))
        assert weakness(value, min_length=32, min_distinct=MIN_DISTINCT_CHARACTERS) is None, value


def test_random_master_keys_pass_and_patterned_ones_do_not() -> None:
    draw = random.Random(13)
    for _ in range(2000):
        key = bytes(draw.randrange(256) for _ in range(32))
        assert weakness(key, min_length=32, min_distinct=MIN_DISTINCT_BYTES) is None
    assert weakness(bytes(range(32)), min_length=32, min_distinct=MIN_DISTINCT_BYTES) == (
        "is mostly runs of neighbouring bytes (such as abcd, 1234 or aaaa)"
    )
    assert weakness(b"0123456789abcdef" * 2, min_length=32, min_distinct=MIN_DISTINCT_BYTES) == (
        "repeats a block of 16 bytes"
    )


@pytest.fixture
def production(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ASSETBRIDGE_API_ENVIRONMENT", "production")
    get_api_settings.cache_clear()
    yield
    monkeypatch.delenv("ASSETBRIDGE_API_ENVIRONMENT")
    get_api_settings.cache_clear()


@pytest.mark.usefixtures("production")
@pytest.mark.parametrize("value", WEAK_SECRETS.values(), ids=WEAK_SECRETS.keys())
def test_production_refuses_a_weak_signing_secret_naming_it_and_the_cure(value: str) -> None:
    with pytest.raises(ValidationError) as raised:
        AuthSettings(secret=SecretStr(value))
    message = raised.value.errors()[0]["msg"]
    assert "ASSETBRIDGE_AUTH_SECRET must be set (32+ random characters) in production" in message
    assert 'python -c "import secrets; print(secrets.token_urlsafe(48))"' in message
    assert value not in message


@pytest.mark.usefixtures("production")
def test_production_accepts_a_generated_signing_secret() -> None:
    value = "Qm9yZWFsLXNlY3JldC1mb3ItdGVzdHMtb25seS1kOGY3YTI5Yw"
    assert AuthSettings(secret=SecretStr(value)).secret.get_secret_value() == value


def test_development_mode_still_runs_on_its_published_secret() -> None:
    assert get_api_settings().environment == "development"
    assert AuthSettings().secret.get_secret_value() == DEV_SECRET
    assert AuthSettings(secret=SecretStr("a" * 32)).secret.get_secret_value() == "a" * 32


def _key(raw: bytes) -> SecretStr:
    return SecretStr(base64.b64encode(raw).decode())


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"a" * 32, "has only 1 distinct bytes"),
        (b"Kq8#zP1!mW5^tY7&" * 2, "repeats a block of 16 bytes"),
        (base64.b64decode(DEVELOPMENT_MASTER_KEY), "development secret published in the source"),
    ],
    ids=["one byte", "a word repeated", "the published development key"],
)
def test_production_refuses_a_weak_master_key(tmp_path: Path, raw: bytes, reason: str) -> None:
    settings = KeySettings(
        keystore_path=tmp_path / "k.sqlite3", master_key=_key(raw), api_environment="production"
    )
    with pytest.raises(KeyStoreError) as raised:
        check_master_key(settings)
    message = str(raised.value)
    assert message.startswith("ASSETBRIDGE_MASTER_KEY is too weak for production: it ")
    assert reason in message
    assert "os.urandom(32)" in message
    assert "assetbridge keys rotate" in message
    # Development mode keeps working with whatever key it is given, and with none.
    check_master_key(KeySettings(keystore_path=tmp_path / "k.sqlite3", master_key=_key(raw)))
    check_master_key(KeySettings(keystore_path=tmp_path / "k.sqlite3"))


def test_production_accepts_a_random_master_key(tmp_path: Path) -> None:
    settings = KeySettings(
        keystore_path=tmp_path / "k.sqlite3",
        master_key=_key(os.urandom(32)),
        api_environment="production",
    )
    check_master_key(settings)


def test_the_commands_the_compose_file_and_readme_give_make_accepted_secrets() -> None:
    """The compose file's example makes the secret with `openssl rand -hex 32` and the
    master key with `openssl rand -base64 32`; the README and the refusal point to
    `secrets.token_urlsafe(48)`. Each command's output shape passes."""
    compose = (ROOT / "docker-compose.yml").read_text()
    assert "ASSETBRIDGE_AUTH_SECRET=$(openssl rand -hex 32)" in compose
    assert "ASSETBRIDGE_MASTER_KEY=$(openssl rand -base64 32)" in compose
    readme = (ROOT / "README.md").read_text()
    assert "secrets.token_urlsafe(48)" in readme
    draw = random.Random(7)
    for _ in range(200):
        hex_secret = "".join(draw.choice(HEX) for _ in range(64))
        urlsafe = "".join(draw.choice(URLSAFE) for _ in range(64))
        for value in (hex_secret, urlsafe):
            assert weakness(value, min_length=32, min_distinct=MIN_DISTINCT_CHARACTERS) is None
        key = bytes(draw.randrange(256) for _ in range(32))
        assert weakness(key, min_length=32, min_distinct=MIN_DISTINCT_BYTES) is None
