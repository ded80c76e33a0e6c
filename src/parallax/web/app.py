"""The FastAPI app: created here, its routes in ``routes/``, one router per resource.

Binding beyond the loopback interface exposes the store to the network, so ``serve`` refuses it
unless a token is set; with a token every request must carry it (``Authorization: Bearer``, an
``X-Parallax-Token`` header, or ``?token=`` once, which leaves a cookie for the pages that follow).
"""
from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import ipaddress
import os
import re
import socket
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from functools import partial
from pathlib import Path

from http import HTTPStatus

from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles
from fastapi.testclient import TestClient
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from parallax.errors import Errors, ParallaxError
from parallax.settings import Options, load_options
from parallax.store import open_pool, open_store
from parallax.web.dependencies import DEPARTED, error_page
from parallax.web.routes import articles, charts, entities, home, search, stories, watches

STATIC = Path(__file__).resolve().parent / "static"
TOKEN_COOKIE = "parallax_token"
TOKEN_HEADER = "x-parallax-token"


def create_app(db_path: str, *, token: str | None = None, host: str | None = None,
               options: Options | None = None) -> FastAPI:
    """The web UI and JSON API over the store at ``db_path`` (a SQLite file, which must exist,
    or a PostgreSQL URL); its requests borrow stores from a pool open while the app runs.

    ``host`` is the address served on: when given, a request whose Host header names anything
    else (but loopback names and ``allowed_hosts``) is refused (DNS rebinding). ``options`` give
    the search caps and budget (default: settings.cfg)."""
    open_store(db_path, create=False).close()  # migrate once now, not inside the first request

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
    app.state.options = options or load_options()
    for module in (home, articles, entities, search, stories, charts, watches):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _html_errors(app)
    if token:
        _require_token(app, token)
    _security_headers(app)
    if host is not None:
        _check_host(app, host, app.state.options.allowed_hosts)
    app.add_middleware(_Departures)  # outermost: it must see the server's own ``receive``
    return app


class _Departures:
    """For a request without a body (GET, HEAD), an ``asyncio.Event`` in its scope (``DEPARTED``)
    set when the client goes away before the answer, so a long search can stop (routes/search.py).

    A plain ASGI layer: ``Request.is_disconnected()`` never sees a departure through the
    ``@app.middleware`` layers above (Starlette's BaseHTTPMiddleware). This one takes the
    request's one body message itself, hands it on to the app when asked, and meanwhile waits on
    the server for the next message, which for a request already read is only a disconnect."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        first = await receive()
        if first.get("more_body"):  # a GET with a streamed body: nothing to watch
            await self.app(scope, _replaying(first, receive), send)
            return
        departed = asyncio.Event()
        scope[DEPARTED] = departed

        async def watch() -> None:
            if (await receive())["type"] == "http.disconnect":
                departed.set()

        async def wait_for_departure() -> Message:
            await departed.wait()
            return {"type": "http.disconnect"}

        watcher = asyncio.ensure_future(watch())
        try:
            await self.app(scope, _replaying(first, wait_for_departure), send)
        finally:
            watcher.cancel()


def _replaying(first: Message, then: Receive) -> Receive:
    """A ``receive`` that gives ``first`` once, then what ``then`` gives."""
    given = False

    async def receive() -> Message:
        nonlocal given
        if not given:
            given = True
            return first
        return await then()

    return receive


# Pages run no inline script and load nothing from another host; style attributes are allowed
# (chart swatches and table widths are computed per page). Framing is refused (clickjacking).
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
                           "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
                           "frame-ancestors 'none'")
# The Swagger UI page (/docs) starts itself with one inline script, allowed by its hash, and
# styles itself from script.
DOCS_POLICY = ("default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
               "object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


def _security_headers(app: FastAPI) -> None:
    """Every answer carries the Content-Security-Policy and the headers above."""

    @app.middleware("http")
    async def add_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        if request.url.path.startswith("/docs") and response.headers.get("content-type", "").startswith("text/html"):
            body = b"".join([chunk async for chunk in response.body_iterator])  # type: ignore[attr-defined]
            hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(script).digest()).decode()}'"
                              for script in _INLINE_SCRIPT.findall(body))
            headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
            response = Response(body, status_code=response.status_code, headers=headers)
            response.headers["Content-Security-Policy"] = DOCS_POLICY.format(hashes=hashes)
        else:
            response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        for name, value in SECURITY_HEADERS.items():
            response.headers[name] = value
        return response


def _check_host(app: FastAPI, host: str, allowed: tuple[str, ...]) -> None:
    """Refuse (421) a request whose Host header names a host this server was not bound as: a
    DNS-rebinding page reaches 127.0.0.1 under its own domain name, which this turns away.
    Served on every address (0.0.0.0), any IP literal is fine, names only if allowed."""
    names = {host.lower().strip("[]"), *LOOPBACK_NAMES, *allowed}
    any_address = host in ("0.0.0.0", "::", "")

    @app.middleware("http")
    async def check_host(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        offered = _host_name(request.headers.get("host", ""))
        if offered not in names and not (any_address and _is_ip(offered)):
            return PlainTextResponse(f"421 this server does not answer for the host {offered[:80]!r}\n", status_code=421)
        return await call_next(request)


LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def _host_name(header: str) -> str:
    """The host of a Host header, lower case, without its port or IPv6 brackets."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _html_errors(app: FastAPI) -> None:
    """Errors on pages (any path outside ``/api/`` and the docs) as HTML pages a person can read
    (``/stories/abc`` was raw 422 JSON in the browser); the API keeps FastAPI's JSON answers."""

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith(("/api/", "/openapi.json", "/docs", "/redoc", "/static"))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_json(request):
            if exc.status_code == 422 and isinstance(exc.detail, str):
                return _unprocessable(exc.detail)
            return await http_exception_handler(request, exc)
        message = exc.detail if isinstance(exc.detail, str) and exc.detail != HTTPStatus(exc.status_code).phrase \
            else f"There is no page at {request.url.path}." if exc.status_code == 404 else str(exc.detail)
        return error_page(request, exc.status_code, message)

    @app.exception_handler(OverflowError)
    async def too_large(request: Request, exc: OverflowError) -> Response:
        """A number past 64 bits that got by the bounds reaches the store as SQL it cannot take."""
        message = "a number in the request is too large"
        if wants_json(request):
            return _unprocessable(message)
        return error_page(request, 422, message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        if wants_json(request):
            return await request_validation_exception_handler(request, exc)
        return error_page(request, 422, "; ".join(_one_line(e) for e in exc.errors()))


def _unprocessable(message: str) -> JSONResponse:
    """A 422 of ours (a bad filter value, a query over its caps) in the shape the API's schema
    gives every 422 (FastAPI's validation error: ``detail`` a list of ``{loc, msg, type}``)."""
    return JSONResponse({"detail": [{"loc": ["query"], "msg": message, "type": "value_error"}]}, status_code=422)


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


# Seconds a worker process may take to answer its supervisor's health check before it is
# replaced: a worker comparing a story holds its GIL for long stretches on a loaded machine.
WORKER_HEALTHCHECK_SECONDS = 60


def serve(db_path: str, host: str = "127.0.0.1", port: int = 8787, token: str | None = None,
          announce: Callable[[str], None] | None = None, options: Options | None = None, workers: int = 1) -> None:
    """Serve the store until interrupted, in ``workers`` processes sharing one listening socket
    (one process runs one request's Python at a time; pages are mostly Python). Everything that
    can refuse is checked before ``announce`` is told the URL: an open non-loopback ``host``
    (E401), the store (E3xx), the port (E402, e.g. already in use), so "serving …" is never
    followed by a failure. Each worker builds the same app (token, Host check) from
    ``create_app``'s arguments, handed to it by uvicorn's supervisor."""
    if not token and not is_loopback(host):
        raise ParallaxError(Errors.E401, host=host)
    app = create_app(db_path, token=token, host=host, options=options)
    sock = bind(host, port)
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    if workers > 1:
        config = uvicorn.Config(partial(create_app, db_path, token=token, host=host, options=app.state.options),
                                factory=True, workers=workers, log_level="warning",
                                timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS)
        run: Callable[[], None] = Multiprocess(config, sockets=[sock]).run
    else:
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        run = partial(server.run, sockets=[sock])
    if announce:
        announce(f"http://{host}:{port}/" + (f" ({workers} worker processes)" if workers > 1 else ""))
    try:
        run()
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
def running(db_path: str, *, token: str | None = None, start_timeout: float = 10.0,
            options: Options | None = None) -> Iterator[str]:
    """Serve the store on a free loopback port in a background thread; yields the base URL.

    The socket is bound before the server starts, so the port is known and no other process
    can take it in between. For tests, benchmarks and anything that drives the real server.
    """
    import uvicorn

    sock = bind("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(create_app(db_path, token=token, host="127.0.0.1", options=options),
                                           log_level="warning"))
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
