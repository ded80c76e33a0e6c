"""The FastAPI app: created here, its routes in ``routes/``, one router per resource.

Binding beyond the loopback interface exposes the store to the network, so ``serve`` refuses it
unless a token is set; with a token every request must carry it (``Authorization: Bearer``, an
``X-Parallax-Token`` header, or ``?token=`` once, which leaves a cookie for the pages that follow).
"""
from __future__ import annotations

import hmac
import ipaddress
import os
import socket
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

from http import HTTPStatus

from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse
from fastapi.staticfiles import StaticFiles
from fastapi.testclient import TestClient
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException

from parallax.errors import Errors, ParallaxError, StoreError
from parallax.store import is_postgres, open_pool, open_store
from parallax.web.dependencies import error_page
from parallax.web.routes import articles, charts, entities, home, search, stories, watches

STATIC = Path(__file__).resolve().parent / "static"
TOKEN_COOKIE = "parallax_token"
TOKEN_HEADER = "x-parallax-token"


def create_app(db_path: str, *, token: str | None = None) -> FastAPI:
    """The web UI and JSON API over the store at ``db_path`` (a SQLite file, which must exist,
    or a PostgreSQL URL); its requests borrow stores from a pool open while the app runs."""
    if not is_postgres(db_path) and not Path(db_path).is_file():
        raise StoreError(Errors.E303, path=db_path)
    open_store(db_path).close()  # migrate once now, not inside the first request

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.stores = open_pool(db_path)
        try:
            yield
        finally:
            app.state.stores.close()

    # Swagger UI from the fastapi-offline package's own copy: /docs works offline and sends no
    # browser to a CDN. Its ReDoc page is left off: ReDoc fetches its logo from a CDN.
    app = FastAPIOffline(
        static_url="/static-docs",
        redoc_url=None,
        swagger_ui_parameters={"validatorUrl": None},
        title="Parallax",
        summary="What happened, who says so, and how each outlet tells it.",
        version="0.1.0",
        lifespan=lifespan,
    )
    for module in (home, articles, entities, search, stories, charts, watches):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _html_errors(app)
    if token:
        _require_token(app, token)
    return app


def _html_errors(app: FastAPI) -> None:
    """Errors on pages (any path outside ``/api/`` and the docs) as HTML pages a person can read
    (``/stories/abc`` was raw 422 JSON in the browser); the API keeps FastAPI's JSON answers."""

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith(("/api/", "/openapi.json", "/docs", "/redoc", "/static"))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_json(request):
            return await http_exception_handler(request, exc)
        message = exc.detail if isinstance(exc.detail, str) and exc.detail != HTTPStatus(exc.status_code).phrase \
            else f"There is no page at {request.url.path}." if exc.status_code == 404 else str(exc.detail)
        return error_page(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        if wants_json(request):
            return await request_validation_exception_handler(request, exc)
        return error_page(request, 422, "; ".join(_one_line(e) for e in exc.errors()))


def _one_line(error: dict[str, object]) -> str:
    """A validation error as a person reads it: which value, what was wrong, what came."""
    where = error.get("loc") or ()
    name = str(where[-1]) if isinstance(where, (list, tuple)) and where else "value"
    return f"{name}: {error.get('msg', 'not valid')}, not {error.get('input')!r}"


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


def serve(db_path: str, host: str = "127.0.0.1", port: int = 8787, token: str | None = None,
          announce: Callable[[str], None] | None = None) -> None:
    """Serve the store until interrupted. Everything that can refuse is checked before
    ``announce`` is told the URL: an open non-loopback ``host`` (E401), the store (E3xx), the
    port (E402, e.g. already in use), so "serving …" is never followed by a failure."""
    if not token and not is_loopback(host):
        raise ParallaxError(Errors.E401, host=host)
    app = create_app(db_path, token=token)
    sock = bind(host, port)
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    if announce:
        announce(f"http://{host}:{port}/")
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (0: a free port), or E402 saying why not."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        return socket.create_server((host, port), family=family)
    except OSError as exc:
        raise ParallaxError(Errors.E402, host=host, port=port,
                            detail=os.strerror(exc.errno) if exc.errno else str(exc)) from None


@contextmanager
def running(db_path: str, *, token: str | None = None, start_timeout: float = 10.0) -> Iterator[str]:
    """Serve the store on a free loopback port in a background thread; yields the base URL.

    The socket is bound before the server starts, so the port is known and no other process
    can take it in between. For tests, benchmarks and anything that drives the real server.
    """
    import uvicorn

    sock = bind("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(create_app(db_path, token=token), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + start_timeout
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError(f"the web server on {sock.getsockname()} did not start")
            time.sleep(0.02)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(start_timeout)
        sock.close()


def get(db_path: str, path: str) -> tuple[int, str]:
    """One request through the app in-process (``parallax serve --get PATH``): status and body."""
    with TestClient(create_app(db_path)) as client:
        response = client.get(path)
    return response.status_code, response.text
