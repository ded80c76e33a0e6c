"""A polite HTTP client: the only way Parallax reaches the network.

News sites are other people's servers. The fetcher says who it is (``options.user_agent``),
asks robots.txt first, spaces its requests to one host (by ``per_host_interval`` or the site's
robots.txt ``Crawl-delay``, whichever is longer, the latter capped at ``max_crawl_delay`` so a
hostile delay cannot stall a run), gives up on slow or huge responses instead of hanging a run,
and retries only what a retry can fix (lost connections, 5xx, 429).
Every failure is an :class:`InputError` with a numbered message; callers turn it into a Skip.

One :class:`Fetcher` serves one run from one thread: the robots cache and the per-host clock
live on it.
"""
from __future__ import annotations

import email.message
import ipaddress
import logging
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from parallax.errors import Errors, InputError
from parallax.settings import Options

# Media types a news page may come as; a feed item's link must give one of these.
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})

# Media types a source URL may give: a page, a feed, JSON lines, a (gzipped) WARC.
SOURCE_TYPES = PAGE_TYPES | frozenset({
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
    "text/xml", "application/json", "application/x-ndjson", "application/jsonl",
    "application/gzip", "application/x-gzip", "application/warc",
})

# Browsers stop at 20; a news URL that needs more than a handful of hops is a loop or a trap.
MAX_REDIRECTS = 10

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class Response:
    """A successful (200) response, read whole."""

    url: str  # after redirects
    content_type: str  # media type only, lower case; "" when the server sent none
    body: bytes
    fetched: str  # when the response was read, ISO 8601 UTC
    last_modified: str | None = None
    charset: str | None = None  # the Content-Type charset label, as the server sent it
    etag: str | None = None

    def hints(self) -> dict[str, str]:
        """What the response itself says about the page's date, as RawDocument hints."""
        return {"fetched": self.fetched, "last_modified": self.last_modified or ""}


class NotModified(Exception):
    """A conditional GET answered 304: nothing new at the URL since it was last read."""


class _Retryable(Exception):
    """A failure a later attempt may not meet (connection lost, 5xx, 429)."""

    def __init__(self, error: InputError, retry_after: float = 0.0) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


class StatusError(InputError):
    """E201 for an HTTP status other than 200, keeping the status for callers that care."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(Errors.E201, detail=f"{response.status_code} {response.reason_phrase}".strip())
        self.status = response.status_code


@dataclass(frozen=True)
class _Redirect:
    location: str


class Fetcher:
    """Fetches URLs for one run, honouring robots.txt, a per-host interval, caps and deadlines."""

    def __init__(self, options: Options, *, transport: httpx.BaseTransport | None = None) -> None:
        self._options = options
        self._client = httpx.Client(
            headers={"User-Agent": options.user_agent},
            timeout=httpx.Timeout(
                connect=options.connect_timeout,
                read=options.read_timeout,
                write=options.read_timeout,
                pool=options.connect_timeout,
            ),
            follow_redirects=False,  # each hop is checked against robots.txt and the scheme rule
            transport=transport,
        )
        self._robots: dict[str, RobotFileParser | InputError] = {}  # by site; the error when unreadable
        self._last_request: dict[str, float] = {}
        self._crawl_delay: dict[str, float] = {}  # by host, from robots.txt, already capped
        # By URL, what its last 200 said to send back (If-None-Match, If-Modified-Since), so a
        # source polled on a schedule costs the site a 304 when nothing changed.
        self.validators: dict[str, dict[str, str]] = {}

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def fetch(self, url: str, accept: frozenset[str] | None = PAGE_TYPES, *, conditional: bool = False) -> Response:
        """GET ``url`` and return the response, or raise InputError (E201–E206).

        ``accept`` lists the media types wanted (``None``: any); a response of another type is
        refused before its body is read. A missing Content-Type is let through for sniffing.
        ``conditional``: send back the validators of this URL's last response, and raise
        NotModified on a 304.
        """
        deadline = time.monotonic() + self._options.total_timeout
        headers = self.validators.get(url, {}) if conditional else {}
        response = self._follow(url, accept, deadline, check_robots=self._options.obey_robots, headers=headers)
        if conditional:
            self.validators[url] = {name: value for name, value in (
                ("If-None-Match", response.etag), ("If-Modified-Since", response.last_modified)) if value}
        return response

    def _follow(self, url: str, accept: frozenset[str] | None, deadline: float, *, check_robots: bool,
                headers: dict[str, str] | None = None) -> Response:
        for _hop in range(MAX_REDIRECTS + 1):
            check_url(url)
            check_destination(url, self._options.allow_private_hosts)
            if check_robots:
                self._check_robots(url, deadline)
            outcome = self._get_with_retries(url, accept, deadline, headers or {})
            if isinstance(outcome, Response):
                return outcome
            try:
                url = urljoin(url, outcome.location)
            except ValueError as err:
                raise InputError(Errors.E208, detail=f"redirect to {outcome.location[:80]!r}: {err}") from err
        raise InputError(Errors.E201, detail=f"more than {MAX_REDIRECTS} redirects")

    def _get_with_retries(self, url: str, accept: frozenset[str] | None, deadline: float,
                          headers: dict[str, str]) -> Response | _Redirect:
        attempts = self._options.retries + 1
        for attempt in range(attempts):
            self._wait_for_host(url)
            try:
                return self._get_once(url, accept, deadline, headers)
            except _Retryable as failure:
                delay = max(self._options.backoff * 2**attempt, failure.retry_after)
                if attempt + 1 == attempts or time.monotonic() + delay > deadline:
                    raise failure.error from failure
                time.sleep(delay)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _get_once(self, url: str, accept: frozenset[str] | None, deadline: float,
                  headers: dict[str, str]) -> Response | _Redirect:
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                return self._read_response(response, accept, deadline)
        except httpx.TimeoutException as err:
            if isinstance(err, httpx.ConnectTimeout):
                raise _Retryable(InputError(Errors.E202, seconds=self._options.connect_timeout)) from err
            raise InputError(Errors.E202, seconds=self._options.read_timeout) from err
        except httpx.ConnectError as err:
            # Nothing listens (or the name does not resolve): the server is unreachable, which
            # says more than any HTTP error would.
            raise _Retryable(InputError(Errors.E210, host=urlsplit(url).netloc, detail=_describe(err))) from err
        except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError) as err:
            raise _Retryable(InputError(Errors.E201, detail=f"connection failed: {_describe(err)}")) from err
        except (httpx.HTTPError, httpx.InvalidURL) as err:
            raise InputError(Errors.E201, detail=_describe(err)) from err

    def _read_response(self, response: httpx.Response, accept: frozenset[str] | None, deadline: float) -> Response | _Redirect:
        status = response.status_code
        if status in _REDIRECT_STATUSES and "location" in response.headers:
            return _Redirect(response.headers["location"])
        if status == 429 or status >= 500:
            raise _Retryable(StatusError(response), _retry_after_seconds(response))
        if status == 304:
            raise NotModified(str(response.url))
        if status != 200:
            raise StatusError(response)
        content_type, charset = split_content_type(response.headers.get("content-type"))
        if accept is not None and content_type and content_type not in accept:
            raise InputError(Errors.E206, detail=content_type)
        limit = self._options.max_bytes
        declared_length = response.headers.get("content-length", "")
        if declared_length.isdigit() and int(declared_length) > limit:
            raise InputError(Errors.E205, limit=limit)
        chunks: list[bytes] = []
        received = 0
        for chunk in response.iter_bytes():
            received += len(chunk)
            if received > limit:
                raise InputError(Errors.E205, limit=limit)
            if time.monotonic() > deadline:
                raise InputError(Errors.E202, seconds=self._options.total_timeout)
            chunks.append(chunk)
        return Response(
            url=str(response.url),
            content_type=content_type,
            body=b"".join(chunks),
            fetched=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            last_modified=response.headers.get("last-modified"),
            charset=charset,
            etag=response.headers.get("etag"),
        )

    def _wait_for_host(self, url: str) -> None:
        """Sleep until the host's interval (``per_host_interval`` or its Crawl-delay, the
        longer) has passed since the last request to it."""
        host = urlsplit(url).netloc.lower()
        last = self._last_request.get(host)
        if last is not None:
            interval = max(self._options.per_host_interval, self._crawl_delay.get(host, 0.0))
            wait = last + interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        self._last_request[host] = time.monotonic()

    def _check_robots(self, url: str, deadline: float) -> None:
        """Raise E203 when the site's robots.txt disallows ``url``, E209 when it could not be read,
        E210 when nothing answers at the site at all."""
        parts = urlsplit(url)
        site = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        if site not in self._robots:
            self._robots[site] = rules = self._load_robots(site, deadline)
            if isinstance(rules, RobotFileParser):
                self._note_crawl_delay(parts.netloc.lower(), rules)
        rules = self._robots[site]
        if isinstance(rules, InputError):
            if rules.code is Errors.E210:  # no server at all: say so, not that its robots.txt failed
                raise rules
            raise InputError(Errors.E209, detail=str(rules))
        if not rules.can_fetch(self._options.user_agent, url):
            raise InputError(Errors.E203)

    def _note_crawl_delay(self, host: str, rules: RobotFileParser) -> None:
        """Keep the site's Crawl-delay for our user agent, capped at ``max_crawl_delay``; a
        capped delay is said once (E207), since it makes the run less polite than asked."""
        asked = rules.crawl_delay(self._options.user_agent)
        if asked is None:
            return
        cap = self._options.max_crawl_delay
        if float(asked) > cap:
            _LOG.warning(Errors.E207.format(host=host, delay=f"{float(asked):g}", cap=f"{cap:g}"))
        delay = min(float(asked), cap)
        self._crawl_delay[host] = max(delay, self._crawl_delay.get(host, 0.0))

    def _load_robots(self, site: str, deadline: float) -> RobotFileParser | InputError:
        """The site's robots.txt rules, following RFC 9309 on failures.

        A 4xx means there are no rules (crawl freely); a 5xx or 429 means the site cannot say
        now, which RFC 9309 reads as "disallow everything". A robots.txt that cannot be read at
        all (no connection, a timeout, a broken redirect) is "unreachable", which RFC 9309 also
        reads as "disallow everything": the failure is returned, so each refused page can say
        why, and kept for the run, so one hanging robots.txt costs one timeout, not one a page.
        """
        rules = RobotFileParser(site + "/robots.txt")
        try:
            response = self._follow(site + "/robots.txt", None, deadline, check_robots=False)
        except StatusError as err:
            if err.status == 429 or err.status >= 500:
                rules.disallow_all = True  # type: ignore[attr-defined]  # set in RobotFileParser.__init__, not in typeshed
            else:
                rules.allow_all = True  # type: ignore[attr-defined]  # as above
            return rules
        except InputError as err:
            return err
        rules.parse(response.body.decode("utf-8", errors="replace").splitlines())
        return rules


def check_destination(url: str, allowed: Sequence[str]) -> None:
    """InputError E220 when ``url``'s host is, or resolves to, an address that is not public
    (private, loopback, link-local, reserved, multicast, unspecified) and neither the host nor the
    address is in ``allowed`` (names, addresses or networks: settings.cfg ``allow_private_hosts``).

    Checked before each request and each redirect hop. A host that does not resolve is left to
    the request to fail. (A name that resolves differently between this look-up and the request
    is not caught: the check bounds the ordinary case, a link or a webhook aimed inward.)"""
    try:
        parts = urlsplit(url)
        host, port = (parts.hostname or "").lower(), parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as err:
        raise InputError(Errors.E208, detail=str(err)) from err
    if not host or host in allowed:
        return
    try:
        addresses = {str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)}
    except (OSError, UnicodeError):
        return
    for text in sorted(addresses):
        address = ipaddress.ip_address(text.split("%")[0])
        if address.is_global or _allowed(address, allowed):
            continue
        raise InputError(Errors.E220, host=host, address=address)


def _allowed(address: ipaddress.IPv4Address | ipaddress.IPv6Address, allowed: Sequence[str]) -> bool:
    for entry in allowed:
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue  # a host name: matched by name above
    return False


def check_url(url: str) -> None:
    """Raise E208 for a URL that cannot be parsed (``http://[oops``), E204 for one not http(s)."""
    try:
        scheme = urlsplit(url).scheme
    except ValueError as err:
        raise InputError(Errors.E208, detail=str(err)) from err
    if scheme.lower() not in {"http", "https"}:
        raise InputError(Errors.E204)


def split_content_type(header: str | None) -> tuple[str, str | None]:
    """A Content-Type header's media type (lower case, "" when none) and charset label (None when none)."""
    if not header:
        return "", None
    message = email.message.Message()
    message["content-type"] = header
    charset = message.get_param("charset")  # a tuple only for RFC 2231 syntax, which no server sends
    label = charset.strip() if isinstance(charset, str) else ""
    return header.split(";")[0].strip().lower(), label or None


def _retry_after_seconds(response: httpx.Response) -> float:
    value = response.headers.get("retry-after", "")
    return float(value) if value.isdigit() else 0.0


def _describe(err: BaseException) -> str:
    return (str(err) or type(err).__name__).splitlines()[0]
