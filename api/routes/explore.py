"""The partnership explorer page: static files that talk only to /graphql, with the
caller's own token, so the page can show no more than the API gives that caller. The
token comes in the link's fragment (``/explore#token=...``), which browsers never send,
or is pasted; it leaves the browser only as the Authorization header of /graphql."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

__all__ = ["STATIC", "mount_explorer", "router"]

STATIC = Path(__file__).resolve().parent.parent / "static"

# Only the page's own scripts run, and they reach only this server. Styles may be
# inline because the graph library positions its canvas with them.
_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'"
    ),
    # No address of this page (nor, from an old link, its ?token=) travels on in a Referer.
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}

router = APIRouter(tags=["explore"])


@router.get("/explore", include_in_schema=False)
def explore() -> FileResponse:
    """The page; it reads nothing itself until the browser calls /graphql."""
    return FileResponse(STATIC / "explore.html", media_type="text/html", headers=_HEADERS)


def mount_explorer(app: FastAPI) -> None:
    app.include_router(router)
    app.mount("/explore/static", StaticFiles(directory=STATIC), name="explore-static")
