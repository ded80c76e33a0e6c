"""Delivery of stored alerts to their watches' webhooks: a job, run after each check.

An alert is stored first (``views/watch.py`` matches and keeps it) and then POSTed here as JSON;
one that fails (after a few quick attempts) keeps ``webhook_delivered = 0`` with the error, and
the next check tries it again. A check stops delivering when its time budget is spent and skips a
receiver once it has failed in this check, so a dead receiver costs ingest seconds, not minutes.
A receiver may in rare cases see an alert twice (a crash between its 2xx and our bookkeeping):
the payload's ``alert`` id lets it drop the repeat.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx

from parallax.errors import InputError
from parallax.ingest.http import check_destination
from parallax.settings import Options
from parallax.store import Store

# Characters of a receiver's error response kept with the alert.
ERROR_CHARS = 200
# A path segment or query value this long may be a token: never kept in a stored error.
SECRET_CHARS = 6
HIDDEN = "…"


@dataclass(frozen=True)
class DeliveryPolicy:
    """How hard one check tries a webhook (from the ``[watch]`` settings)."""

    timeout: float
    attempts: int
    backoff: float
    budget: float
    allowed: tuple[str, ...] = ()  # private destinations allowed (settings.cfg [http] allow_private_hosts)

    @classmethod
    def from_options(cls, options: Options) -> DeliveryPolicy:
        return cls(options.webhook_timeout, options.webhook_attempts, options.webhook_backoff, options.delivery_budget,
                   options.allow_private_hosts)


@dataclass
class DeliveryReport:
    delivered: int = 0
    failed: int = 0
    deferred: int = 0  # not tried in this check: budget spent, or its receiver already failed
    errors: list[str] = field(default_factory=list)


def deliver_alerts(store: Store, policy: DeliveryPolicy, *, client: httpx.Client | None = None) -> DeliveryReport:
    """POST every undelivered alert of a watch with a webhook, oldest first, within the budget."""
    report = DeliveryReport()
    pending = store.undelivered_alerts()
    if not pending:
        return report
    webhooks = store.webhooks()
    deadline = time.monotonic() + policy.budget
    failed_receivers: set[str] = set()
    http = client or httpx.Client(timeout=policy.timeout, follow_redirects=False)
    try:
        for alert in pending:
            url = webhooks[alert.watch]
            if url in failed_receivers or time.monotonic() >= deadline:
                report.deferred += 1
                continue
            try:  # where the webhook's name points now, not only when the watch was saved
                check_destination(url, policy.allowed)
                error = _post(http, url, alert.payload(), policy, deadline)
            except InputError as exc:
                error = redact(str(exc), url)
            if error is None:
                store.alert_delivered(alert.id)
                report.delivered += 1
            else:
                store.alert_failed(alert.id, error)
                failed_receivers.add(url)
                report.failed += 1
                report.errors.append(f"watch {alert.watch}: alert {alert.id} to {url}: {error}")
    finally:
        if client is None:
            http.close()
    return report


def _post(http: httpx.Client, url: str, payload: dict[str, Any], policy: DeliveryPolicy, deadline: float) -> str | None:
    """POST with retries and doubling backoff; None on a 2xx, else the last error in one line."""
    error = ""
    for attempt in range(policy.attempts):
        if attempt:
            pause = policy.backoff * 2 ** (attempt - 1)
            if time.monotonic() + pause >= deadline:
                break
            time.sleep(pause)
        try:
            response = http.post(url, json=payload, timeout=policy.timeout)
        except httpx.HTTPError as exc:
            error = redact(f"{type(exc).__name__}: {exc}", url)[:ERROR_CHARS]
            continue
        if response.is_success:
            return None
        error = redact(f"HTTP {response.status_code} {response.text.strip()}", url)[:ERROR_CHARS]
        if response.status_code < 500 and response.status_code not in (408, 429):
            break  # the receiver refuses this request: asking again now will not change its mind
    return error or "not attempted: the check's delivery budget was spent"


def redact(text: str, url: str) -> str:
    """``text`` (a delivery error: ours, httpx's or the receiver's answer) without the parts of
    the webhook ``url`` that are often its credential — its path, query and user part, whole or
    piece by piece, as sent or percent-decoded (a server's 404 page quotes the path it was asked
    for) — each replaced by ``…``. The error is stored with the alert and served by the web app,
    which shows a webhook by its scheme and host only; done before the error is cut to length,
    so no cut leaves a secret's first half behind."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return text.replace(url, HIDDEN)
    pieces = {url, parts.path, parts.query, f"{parts.path}?{parts.query}", parts.netloc.rpartition("@")[0]}
    pieces |= {segment for segment in parts.path.split("/") if len(segment) >= SECRET_CHARS}
    pieces |= {value for _, value in parse_qsl(parts.query, keep_blank_values=True) if len(value) >= SECRET_CHARS}
    pieces |= {unquote(piece) for piece in pieces}
    for piece in sorted((p for p in pieces if len(p) >= SECRET_CHARS or p == url), key=len, reverse=True):
        text = text.replace(piece, HIDDEN)
    return text
