"""Keeps credentials out of the logs.

uvicorn's access log writes each request's path with its query string, so a link such
as ``/explore?token=...`` would leave a working bearer token in every log file and log
shipper. The filter here rewrites a record's message and arguments before any handler
sees them: credential-like query parameters, ``Bearer``/``Basic`` values, anything
shaped like a JWT or one of our API keys, and header-like ``Authorization: ...`` pairs
become ``[redacted]``. Nothing of ours logs request headers at all.
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

# Query parameter names (lower case, "-" read as "_") whose values are credentials.
_CREDENTIAL_NAMES = frozenset(
    {"key", "code", "sig", "signature", "jwt", "auth", "authorization", "session", "sid"}
)
_CREDENTIAL_PARTS = ("token", "secret", "password", "passwd", "api_key", "apikey", "credential")

_QUERY_PARAM = re.compile(r"(?P<lead>[?&;])(?P<name>[^=&;#?\s\"'<>]+)=(?P<value>[^&;#\s\"'<>]*)")
_SCHEME_VALUE = re.compile(r"(?i)\b(?P<scheme>bearer|basic)(?P<gap>\s+)[A-Za-z0-9._~+/=-]+")
_HEADER_PAIR = re.compile(
    r"(?i)\b(?P<name>authorization|proxy-authorization|x-api-key|cookie|set-cookie)"
    r"(?P<sep>[\"']?\s*[:=]\s*[\"']?)(?!bearer\b|basic\b)[^\s\"',;}]+"
)
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_API_KEY = re.compile(r"\bab_[A-Za-z0-9_-]{16,}")


def redact(text: str) -> str:
    """``text`` with every credential-shaped value replaced by ``[redacted]``.

    >>> redact("GET /explore?anchor=a&token=eyJhbGciOi.eyJzdWIi.c2ln HTTP/1.1")
    'GET /explore?anchor=a&token=[redacted] HTTP/1.1'
    >>> redact("Authorization: Bearer abc.def")
    'Authorization: Bearer [redacted]'
    """
    text = _QUERY_PARAM.sub(_query_param, text)
    text = _SCHEME_VALUE.sub(lambda m: f"{m['scheme']}{m['gap']}{REDACTED}", text)
    text = _HEADER_PAIR.sub(lambda m: f"{m['name']}{m['sep']}{REDACTED}", text)
    text = _JWT.sub(REDACTED, text)
    return _API_KEY.sub(REDACTED, text)


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


def _query_param(match: re.Match[str]) -> str:
    name = unquote_plus(match["name"]).lower().replace("-", "_")
    if name in _CREDENTIAL_NAMES or any(part in name for part in _CREDENTIAL_PARTS):
        return f"{match['lead']}{match['name']}={REDACTED}"
    return match[0]
