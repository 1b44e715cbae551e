"""Keeps credentials out of the logs.

uvicorn's access log writes each request's path with its query string, so a link such
as ``/explore?token=...`` would leave a working bearer token in every log file and log
shipper. The filter here rewrites a record's message and arguments before any handler
sees them. In a URL only a short allow-list of query parameters keeps its value; any
other value, whatever its name, becomes ``[redacted]``, as does a path segment holding a
credential. Anywhere in a message, ``Bearer``/``Basic`` values, anything shaped like a
JWT or one of our API keys, credential-named ``name=value`` pairs and header-like
``Authorization: ...`` pairs are redacted. Each is judged on its percent-decoded form,
since an outside probe showed ``%2E``, ``%20`` and ``%5F`` carrying tokens past rules
that read the raw text. Nothing of ours logs request headers at all.
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote_plus

__all__ = [
    "REDACTED",
    "RedactCredentials",
    "install_log_redaction",
    "redact",
    "redacting_log_config",
]

REDACTED = "[redacted]"

# Where our records and uvicorn's start: a filter on a logger runs only for records
# created on that very logger, not for those its children pass up.
LOGGERS = (
    "uvicorn",
    "uvicorn.error",
    "uvicorn.access",
    "assetbridge",
    "assetbridge.api",
    "assetbridge.graph",
    "assetbridge.graphql",
    "strawberry.execution",
)

# Query parameters whose values the logs keep: the page's own, which hold graph ids and
# names of occupations. Every other parameter's value is replaced whatever its name, so
# a credential under a name nobody thought of (``?next=...``, ``?k=...``) is still out.
SHOWN_PARAMETERS = frozenset({"anchor", "occupation", "operationName"})
# Outside a URL (``token=...`` in a message) a pair is redacted by its name; any name
# containing one of these, case aside and "-" read as "_", is a credential's.
_CREDENTIAL_PARTS = (
    "token", "auth", "key", "pwd", "pass", "secret", "session", "sid", "jwt", "bearer",
    "cookie", "credential", "sig", "code",
)  # fmt: skip
# Encodings nested deeper than this are redacted whole rather than decoded further.
_MAX_DECODINGS = 8

# A path or something with a query: redacted segment by segment, parameter by parameter.
_URL = re.compile(r"(?<![^\s\"'(\[])/[^\s\"'<>]*|[^\s\"'<>?]*\?[^\s\"'<>]*")
_ENCODED_WORD = re.compile(r"[^\s\"'<>]*%[0-9A-Fa-f]{2}[^\s\"'<>]*")
_PAIR = re.compile(r"(?P<lead>^|[?&;#\s,({\[])(?P<name>[^=&;#?\s\"'<>]+)=(?P<value>[^&;#\s\"'<>]*)")
_SCHEME_VALUE = re.compile(r"(?i)\b(?P<scheme>bearer|basic)(?P<gap>(?:\s|\+)+)[A-Za-z0-9._~+/=-]+")
_HEADER_PAIR = re.compile(
    r"(?i)\b(?P<name>authorization|proxy-authorization|x-api-key|cookie|set-cookie)"
    r"(?P<sep>[\"']?\s*[:=]\s*[\"']?)(?!bearer\b|basic\b)[^\s\"',;}]+"
)
# Anywhere, not only at a word's start: after ``%3D`` or ``token`` a JWT has no boundary.
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_API_KEY = re.compile(r"ab_[A-Za-z0-9_-]{16,}")
_PLAIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.\[\]-]{0,39}")


def redact(text: str) -> str:
    """``text`` with every credential-shaped value replaced by ``[redacted]``.

    A URL keeps its path and the names of its query parameters; only the parameters in
    ``SHOWN_PARAMETERS`` keep their values. Everything is judged on its percent-decoded
    form (decoded until it no longer changes), but what is kept is written as it came, so
    a decoded line break cannot forge a log line.

    >>> redact("GET /explore?anchor=a&next=%2Fexplore%3Ftoken%3DeyJhbGciOi.eyJzdWIi.c2ln")
    'GET /explore?anchor=a&next=[redacted]'
    >>> redact("Authorization: Bearer abc.def")
    'Authorization: Bearer [redacted]'
    """
    text = _URL.sub(lambda m: _redact_url(m[0]), text)
    text = _ENCODED_WORD.sub(lambda m: REDACTED if _holds_credential(m[0]) else m[0], text)
    return _redact_plain(text)


class RedactCredentials(logging.Filter):
    """Redacts a record in place, so every handler after it, whoever added it, sees only
    the redacted record. Never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            record.msg, record.args = redact(str(record.msg)), None
            return True
        if redact(message) == message:
            return True
        # uvicorn's access formatter unpacks the arguments, so keep their shape when
        # redacting each one is enough; a credential split between the format string
        # and an argument needs the whole message redacted at once.
        args = _redacted_args(record.args)
        if redact(str(record.msg)) == record.msg and args is not None:
            try:
                candidate = record.msg % args if args else str(record.msg)
            except (TypeError, ValueError):
                candidate = None
            if candidate is not None and redact(candidate) == candidate:
                record.args = args
                return True
        record.msg, record.args = redact(message), None
        return True


def install_log_redaction() -> None:
    """Put the filter on each logger we and uvicorn write to (once each)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactCredentials) for f in logger.filters):
            logger.addFilter(RedactCredentials())


def redacting_log_config(base: Mapping[str, Any]) -> dict[str, Any]:
    """uvicorn's logging configuration with the filter on every handler as well, so a
    record from any logger that reaches uvicorn's handlers is redacted."""
    config = copy.deepcopy(dict(base))
    config.setdefault("filters", {})["redact_credentials"] = {"()": RedactCredentials}
    for handler in config.get("handlers", {}).values():
        handler["filters"] = [*handler.get("filters", []), "redact_credentials"]
    return config


def _redact_value(value: object) -> object:
    return redact(value) if isinstance(value, str) else value


def _redacted_args(args: object) -> tuple[object, ...] | dict[str, object] | None:
    if isinstance(args, tuple):
        return tuple(_redact_value(arg) for arg in args)
    if isinstance(args, Mapping):
        return {str(name): _redact_value(arg) for name, arg in args.items()}
    return None


def _redact_plain(text: str) -> str:
    text = _PAIR.sub(_pair, text)
    text = _SCHEME_VALUE.sub(lambda m: f"{m['scheme']}{m['gap']}{REDACTED}", text)
    text = _HEADER_PAIR.sub(lambda m: f"{m['name']}{m['sep']}{REDACTED}", text)
    text = _JWT.sub(REDACTED, text)
    return _API_KEY.sub(REDACTED, text)


def _decoded(text: str) -> str | None:
    """``text`` percent-decoded until it stops changing; ``None`` if it is still
    changing after the bound (nested that deep, it is treated as a credential)."""
    for _ in range(_MAX_DECODINGS):
        decoded = unquote_plus(text)
        if decoded == text:
            return decoded
        text = decoded
    return None


def _holds_credential(raw: str) -> bool:
    decoded = _decoded(raw)
    return decoded is None or _redact_plain(decoded) != decoded


def _redact_url(url: str) -> str:
    path, question_mark, rest = url.partition("?")
    query, hash_mark, fragment = rest.partition("#")
    path = "/".join(REDACTED if _holds_credential(part) else part for part in path.split("/"))
    # Separators kept as they came, so the line still reads as the request did.
    query = "".join(
        part if part in {"&", ";"} else _redact_parameter(part)
        for part in re.split(r"([&;])", query)
    )
    # A fragment never reaches a server; in a message it may be ``#token=...``.
    return f"{path}{question_mark}{query}{hash_mark}{REDACTED if fragment else ''}"


def _redact_parameter(parameter: str) -> str:
    if not parameter:
        return parameter
    raw_name, equals, raw_value = parameter.partition("=")
    name = _decoded(raw_name) or ""
    if name in SHOWN_PARAMETERS and not _holds_credential(raw_value):
        return parameter
    if not equals or not _PLAIN_NAME.fullmatch(name) or _holds_credential(raw_name):
        # A bare or odd name may itself be the secret (``?hunter2``).
        return REDACTED
    return f"{raw_name}={REDACTED}"


def _pair(match: re.Match[str]) -> str:
    name = (_decoded(match["name"]) or "token").lower().replace("-", "_")
    if any(part in name for part in _CREDENTIAL_PARTS):
        return f"{match['lead']}{match['name']}={REDACTED}"
    return match[0]
