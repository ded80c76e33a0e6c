"""Watches and their alerts: a page, the JSON API, and Atom feeds any feed reader can follow.

The feeds are the pull side of alert delivery (webhooks are the push side): ``/watches/feed.atom``
carries every watch's newest alerts, ``/watches/{name}/feed.atom`` one watch's. Entries link to
the article page; an entry's id is that link plus ``#alert-N``, so it stays the same every time
a reader polls.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import datetime, timezone
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request, Response
from fastapi.responses import HTMLResponse

from parallax.store import Store
from parallax.views.watch import Alert, Watch, get_watch, list_watches, recent_alerts, webhook_origin
from parallax.web.dependencies import TEXT_MAX, get_store, is_web_url, not_found, templates

router = APIRouter()

ATOM = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
# Characters XML 1.0 cannot carry at all, even escaped; article text may hold them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
WatchName = Annotated[str, Path(max_length=TEXT_MAX, description="a watch's name")]


@router.get("/watches", response_class=HTMLResponse, include_in_schema=False)
def watches_page(request: Request, store: Store = Depends(get_store)) -> HTMLResponse:
    context = {"watches": _public(list_watches(store)), "alerts": _public_alerts(store, recent_alerts(store))}
    return templates.TemplateResponse(request, "watches.html", context)


def _public(watches: list[Watch]) -> list[Watch]:
    """The watches as served: a webhook URL shown by its scheme and host only (its path, query
    and user part often are the credential: a Slack hook's path is its secret)."""
    return [replace(w, webhook=webhook_origin(w.webhook)) for w in watches]


def _public_alerts(store: Store, alerts: list[Alert]) -> list[Alert]:
    """The alerts as served: a delivery error quoting its webhook quotes no part of it that may be
    the credential (``webhooks.redact``; errors are redacted when stored too, this covers those
    stored before)."""
    from parallax.webhooks import redact  # httpx: only for a page that shows alerts

    hooks = store.webhooks()
    out = []
    for alert in alerts:
        error = alert.webhook_error
        if error and alert.watch in hooks:
            error = redact(error, hooks[alert.watch])
        out.append(replace(alert, webhook_error=error))
    return out


@router.get("/watches/feed.atom", include_in_schema=False)
def all_alerts_feed(request: Request, store: Store = Depends(get_store)) -> Response:
    feed = atom_feed(recent_alerts(store), title="Parallax alerts", base_url=str(request.base_url),
                     self_url=str(request.url))
    return Response(feed, media_type=ATOM_TYPE)


@router.get("/watches/{name}/feed.atom", include_in_schema=False)
def watch_feed(name: WatchName, request: Request, store: Store = Depends(get_store)) -> Response:
    if get_watch(store, name) is None:
        return not_found(request, f"There is no watch named {name}.")
    feed = atom_feed(recent_alerts(store, name), title=f"Parallax alerts: {name}", base_url=str(request.base_url),
                     self_url=str(request.url))
    return Response(feed, media_type=ATOM_TYPE)


@router.get("/api/watches", tags=["watches"])
def watches_api(store: Store = Depends(get_store)) -> list[Watch]:
    """Saved watches with how many alerts each raised and how many wait for their webhook (shown
    by its scheme and host only: the rest of a webhook URL is often its credential)."""
    return _public(list_watches(store))


@router.get("/api/watches/{name}/alerts", tags=["watches"])
def watch_alerts_api(name: WatchName, store: Store = Depends(get_store)) -> list[Alert]:
    """One watch's newest alerts, newest first."""
    if get_watch(store, name) is None:
        raise HTTPException(404, f"no watch named {name}")
    return _public_alerts(store, recent_alerts(store, name))


def atom_feed(alerts: list[Alert], *, title: str, base_url: str, self_url: str) -> bytes:
    """An Atom 1.0 document (RFC 4287) of ``alerts``; ``base_url`` ends with a slash."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "title", title)
    _text(feed, "id", self_url)
    _text(feed, "updated", _atom_time(alerts[0].created_at) if alerts else _atom_time(None))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_url, type="application/atom+xml")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=f"{base_url}watches", type="text/html")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "Parallax")
    for alert in alerts:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        link = f"{base_url}articles/{alert.article_id}" if alert.article_id is not None else f"{base_url}watches"
        _text(entry, "title", f"[{alert.watch}] {alert.title or '(untitled article)'}")
        _text(entry, "id", f"{link}#alert-{alert.id}")
        _text(entry, "updated", _atom_time(alert.created_at))
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=link, type="text/html")
        if is_web_url(alert.url):  # a stored javascript: URL must not become a link in a reader
            ET.SubElement(entry, f"{{{ATOM}}}link", rel="related", href=_NOT_XML.sub("", alert.url or ""))
        source = " · ".join(part for part in (alert.outlet, (alert.published or "")[:10]) if part)
        _text(entry, "summary", f"{alert.reason}" + (f" ({source})" if source else ""))
        ET.SubElement(entry, f"{{{ATOM}}}category", term=alert.kind, label=f"{alert.kind}: {alert.value}")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _text(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = _NOT_XML.sub("", value)


def _atom_time(stored: str | None) -> str:
    """An RFC 3339 time as Atom requires (stored times are UTC ISO 8601 already)."""
    moment = datetime.fromisoformat(stored) if stored else datetime.now(timezone.utc)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.isoformat(timespec="seconds")
