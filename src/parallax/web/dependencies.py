"""What routes share: the store for the request, the templates, and date display.

Each request borrows its own store from the app's pool (``store.open_pool``: a SQLite connection
opened for it, or a pooled PostgreSQL connection), so concurrent requests never share one.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from urllib.parse import urlencode

import jinja2
from fastapi import Request
from starlette.datastructures import QueryParams
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from parallax.store import Store


def get_store(request: Request) -> Iterator[Store]:
    """The store the app serves, lent to this request only."""
    with request.app.state.stores.store() as store:
        yield store


def show_date(value: str | None, granularity: str | None = None) -> str:
    """A date as precise as its evidence: a month stays a month ("July 2018"), never a day."""
    if not value:
        return "date unknown"
    if granularity == "year" or len(value) == 4:
        return value
    if granularity == "month" or len(value) == 7:
        return datetime.strptime(value[:7], "%Y-%m").strftime("%B %Y")
    if granularity == "datetime" and "T" in value:
        moment = datetime.fromisoformat(value)
        offset = moment.utcoffset()
        zone = "" if offset is None else " UTC" if not offset else moment.strftime(" UTC%z")
        return moment.strftime("%Y-%m-%d %H:%M") + zone
    return value[:10]


def is_web_url(url: str | None) -> bool:
    """Only http(s) URLs become links: a stored ``javascript:`` URL must stay inert text."""
    return bool(url) and url.lower().startswith(("http://", "https://"))  # type: ignore[union-attr]


def with_page(params: QueryParams, page: int) -> str:
    """The request's query string with ``page`` set, for the pager's links."""
    kept = [(key, value) for key, value in params.multi_items() if key != "page"]
    return urlencode([*kept, ("page", str(page))])


def _environment() -> jinja2.Environment:
    # autoescape=True for every template, whatever its name: article text is untrusted input.
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("parallax.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = show_date
    env.filters["replace_page"] = with_page
    env.tests["web_url"] = is_web_url
    return env


templates = Jinja2Templates(env=_environment())


def not_found(request: Request, message: str) -> HTMLResponse:
    """The HTML 404 page with one sentence saying what was missing."""
    return templates.TemplateResponse(request, "missing.html", {"message": message}, status_code=404)
