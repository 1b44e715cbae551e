"""GraphiQL at /graphql (development only), served whole from this package: its scripts
and styles are copies in ``api/static/vendor`` (``make assets`` takes them from npm at the
versions ``web/package-lock.json`` pins, with their licences), so the page works offline and
its Content-Security-Policy lets it load nothing from anywhere else."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from api.routes.explore import STATIC

__all__ = ["GRAPHIQL_VENDOR_FILES", "graphiql_page", "mount_graphiql"]

# Each copy in api/static/vendor, and the npm package whose licence (<package>.LICENSE) is
# copied beside it.
GRAPHIQL_VENDOR_FILES = {
    "react.production.min.js": "react",
    "react-dom.production.min.js": "react-dom",
    "graphiql.min.js": "graphiql",
    "graphiql.min.css": "graphiql",
}

# GraphiQL and its editor set style attributes, and its fonts are data: URLs in its CSS;
# scripts and requests go to this server only.
_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "font-src 'self' data:; img-src 'self' data:; connect-src 'self'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}

_NOT_INSTALLED = """<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>GraphiQL · assetbridge</title></head>
<body><h1>GraphiQL is not installed here</h1>
<p>This server serves GraphiQL's scripts itself (it never fetches them from a CDN), but
its copies are missing: {missing}. Run <code>make assets</code> (npm, once, from the
committed lockfile) and reload. Queries work without GraphiQL: POST them to /graphql.</p>
</body></html>
"""


def graphiql_page() -> HTMLResponse:
    """The GraphiQL page, or, when ``make assets`` has not run, a page that says so."""
    missing = [name for name in GRAPHIQL_VENDOR_FILES if not (STATIC / "vendor" / name).is_file()]
    if missing:
        return HTMLResponse(_NOT_INSTALLED.format(missing=", ".join(missing)), headers=_HEADERS)
    return HTMLResponse((STATIC / "graphiql.html").read_text(encoding="utf-8"), headers=_HEADERS)


def mount_graphiql(app: FastAPI) -> None:
    app.mount("/graphiql/static", StaticFiles(directory=STATIC), name="graphiql-static")
