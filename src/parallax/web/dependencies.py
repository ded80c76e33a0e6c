"""What routes share: the store for the request, the templates, date display and the filters.

Each request borrows its own store from the app's pool (``store.open_pool``: a SQLite connection
opened for it, or a pooled PostgreSQL connection), so concurrent requests never share one.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated
from datetime import datetime
from http import HTTPStatus
from urllib.parse import urlencode

import jinja2
from fastapi import HTTPException, Path, Query, Request
from starlette.datastructures import QueryParams
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from parallax.errors import ParallaxError
from parallax.model import SearchFilters
from parallax.store import Store
from parallax.views.filters import FILTER_HELP, make_filters
from parallax.views.search import total_text

# The most rows one page of a list or search answers with (`limit=`).
MAX_LIMIT = 500
# The largest id a store holds (SQLite's and PostgreSQL's integers are 64-bit, signed) and the
# last page a list may ask for: past them a request is refused with a 422, never a server error.
ID_MAX = 2**63 - 1
PAGE_MAX = 100_000
# The scope key of the ``asyncio.Event`` set when a request's client has gone (app.py ``_Departures``).
DEPARTED = "parallax.departed"
StoreId = Annotated[int, Path(ge=0, le=ID_MAX, description="an id in the store")]
PageQuery = Query(1, ge=1, le=PAGE_MAX, description="page number, from 1")
# Characters of any other text a request carries (a name, a filter's value, a span): more is a
# 422. Unbounded, a value of 5,000 digits was a 500 (Python reads no integer past 4,300 digits).
TEXT_MAX = 400


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
    return url is not None and url.lower().startswith(("http://", "https://"))


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
    env.filters["total_text"] = total_text
    env.tests["web_url"] = is_web_url
    return env


templates = Jinja2Templates(env=_environment())


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """An HTML error page: the status and one line saying what was wrong, for a person at a
    browser (the API answers the same errors as JSON)."""
    reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    return templates.TemplateResponse(request, "error.html", {"status": status, "reason": reason, "message": message},
                                      status_code=status)


def not_found(request: Request, message: str) -> HTMLResponse:
    """The HTML 404 page with one sentence saying what was missing."""
    return error_page(request, 404, message)


def query_filters(
    outlet: str | None = Query(None, max_length=TEXT_MAX, description=FILTER_HELP["outlet"]),
    country: str | None = Query(None, max_length=TEXT_MAX, description=FILTER_HELP["country"]),
    kind: str | None = Query(None, max_length=TEXT_MAX, description=FILTER_HELP["kind"]),
    language: str | None = Query(None, max_length=TEXT_MAX, description=FILTER_HELP["language"]),
    entity: str | None = Query(None, max_length=TEXT_MAX, description=FILTER_HELP["entity"]),
    storyline: str | None = Query(None, max_length=TEXT_MAX, description=FILTER_HELP["storyline"]),
    plover: str | None = Query(None, max_length=TEXT_MAX, description=FILTER_HELP["plover"]),
    since: str | None = Query(None, max_length=TEXT_MAX, description=FILTER_HELP["since"]),
    until: str | None = Query(None, max_length=TEXT_MAX, description=FILTER_HELP["until"]),
) -> SearchFilters:
    """The filters of a page or API request, the same names as the CLI's options; a bad value is
    a 422 with the numbered message (an HTML page for a page, JSON for the API)."""
    try:
        if storyline and not storyline.strip().isdigit():
            raise HTTPException(422, f"storyline must be a storyline's id (a number), not {storyline!r}")
        return make_filters(outlet=outlet, country=country, kind=kind, language=language, entity=entity,
                            storyline=int(storyline) if storyline else None, plover=plover,
                            since=since, until=until)
    except ParallaxError as exc:
        raise HTTPException(422, str(exc)) from None
