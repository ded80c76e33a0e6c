"""The FastAPI app: created here, its routes in ``routes/``, one router per resource.

Binding beyond the loopback interface exposes the store to the network, so ``serve`` refuses it
unless a token is set; with a token every request must carry it (``Authorization: Bearer``, an
``X-Parallax-Token`` header, or ``?token=`` once, which leaves a cookie for the pages that follow).
"""
from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.responses import PlainTextResponse
from fastapi.staticfiles import StaticFiles
from fastapi.testclient import TestClient

from parallax.errors import Errors, ParallaxError, StoreError
from parallax.store import SQLiteStore
from parallax.web.routes import articles, entities, home, search, stories

STATIC = Path(__file__).resolve().parent / "static"
TOKEN_COOKIE = "parallax_token"
TOKEN_HEADER = "x-parallax-token"


def create_app(db_path: str, *, token: str | None = None) -> FastAPI:
    """The web UI and JSON API over the store at ``db_path`` (which must exist)."""
    if not Path(db_path).is_file():
        raise StoreError(Errors.E303, path=db_path)
    SQLiteStore(db_path).close()  # migrate once now, not inside the first request
    app = FastAPI(
        title="Parallax",
        summary="What happened, who says so, and how each outlet tells it.",
        version="0.1.0",
    )
    app.state.db_path = db_path
    for module in (home, articles, entities, search, stories):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    if token:
        _require_token(app, token)
    return app


def _require_token(app: FastAPI, token: str) -> None:
    expected = token.encode("utf-8")

    @app.middleware("http")
    async def check_token(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        from_query = request.query_params.get("token")
        bearer = request.headers.get("authorization", "")
        offered = (
            request.headers.get(TOKEN_HEADER)
            or (bearer[7:] if bearer.lower().startswith("bearer ") else None)
            or from_query
            or request.cookies.get(TOKEN_COOKIE)
            or ""
        )
        if not hmac.compare_digest(offered.encode("utf-8"), expected):
            return PlainTextResponse("401 a token is required: ?token=… or an Authorization: Bearer header\n", status_code=401)
        response = await call_next(request)
        if from_query:
            response.set_cookie(TOKEN_COOKIE, from_query, httponly=True, samesite="strict")
        return response


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable only from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(db_path: str, host: str = "127.0.0.1", port: int = 8787, token: str | None = None) -> None:
    """Serve the store until interrupted; refuses a non-loopback ``host`` without a token."""
    if not token and not is_loopback(host):
        raise ParallaxError(Errors.E401, host=host)
    import uvicorn

    uvicorn.run(create_app(db_path, token=token), host=host, port=port, log_level="warning")


def get(db_path: str, path: str) -> tuple[int, str]:
    """One request through the app in-process (``parallax serve --get PATH``): status and body."""
    with TestClient(create_app(db_path)) as client:
        response = client.get(path)
    return response.status_code, response.text
