"""Settings: the shipped ``settings.cfg`` with an optional user file laid over it.

One :class:`Options` object is built at the edge (the CLI) and passed down, so no function
body holds a magic number.
"""
from __future__ import annotations

import configparser
import os
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Options:
    user_agent: str
    connect_timeout: float
    read_timeout: float
    total_timeout: float
    max_bytes: int
    retries: int
    backoff: float
    per_host_interval: float
    max_crawl_delay: float
    obey_robots: bool
    allow_private_hosts: tuple[str, ...]
    max_file_bytes: int
    max_article_chars: int
    max_json_depth: int
    max_skipped_records: int
    max_html_tags: int
    document_seconds: float
    min_text_chars: int
    language_min_chars: int
    language_min_confidence: float
    webhook_timeout: float
    webhook_attempts: int
    webhook_backoff: float
    delivery_budget: float
    max_query_chars: int
    max_query_terms: int
    max_prefix_terms: int
    search_seconds: float
    allowed_hosts: tuple[str, ...]
    aliases_file: str = ""  # the user's entity aliases (aliases.py), none when empty


def load_options(path: str | None = None, **overrides: object) -> Options:
    """Read the defaults, then ``path`` (or ``$PARALLAX_CONFIG``), then keyword overrides."""
    cfg = configparser.ConfigParser()
    cfg.read_string(resources.files("parallax").joinpath("settings.cfg").read_text("utf-8"))
    user = path or os.environ.get("PARALLAX_CONFIG")
    if user:
        cfg.read(user, encoding="utf-8")
    http, inp, clean, watch, web = cfg["http"], cfg["input"], cfg["clean"], cfg["watch"], cfg["web"]
    values: dict[str, object] = dict(
        user_agent=http.get("user_agent"),
        connect_timeout=http.getfloat("connect_timeout"),
        read_timeout=http.getfloat("read_timeout"),
        total_timeout=http.getfloat("total_timeout"),
        max_bytes=http.getint("max_bytes"),
        retries=http.getint("retries"),
        backoff=http.getfloat("backoff"),
        per_host_interval=http.getfloat("per_host_interval"),
        max_crawl_delay=http.getfloat("max_crawl_delay"),
        obey_robots=http.getboolean("obey_robots"),
        allow_private_hosts=_names(http.get("allow_private_hosts", "")),
        max_file_bytes=inp.getint("max_file_bytes"),
        max_article_chars=inp.getint("max_article_chars"),
        max_json_depth=inp.getint("max_json_depth"),
        max_skipped_records=inp.getint("max_skipped_records"),
        max_html_tags=inp.getint("max_html_tags"),
        document_seconds=inp.getfloat("document_seconds"),
        min_text_chars=clean.getint("min_text_chars"),
        language_min_chars=clean.getint("language_min_chars"),
        language_min_confidence=clean.getfloat("language_min_confidence"),
        webhook_timeout=watch.getfloat("webhook_timeout"),
        webhook_attempts=watch.getint("webhook_attempts"),
        webhook_backoff=watch.getfloat("webhook_backoff"),
        delivery_budget=watch.getfloat("delivery_budget"),
        max_query_chars=web.getint("max_query_chars"),
        max_query_terms=web.getint("max_query_terms"),
        max_prefix_terms=web.getint("max_prefix_terms"),
        search_seconds=web.getfloat("search_seconds"),
        allowed_hosts=_names(web.get("allowed_hosts", "")),
        aliases_file=cfg["entities"].get("aliases_file", "").strip(),
    )
    values.update(overrides)
    return Options(**values)  # type: ignore[arg-type]


def _names(value: str) -> tuple[str, ...]:
    """A comma-separated list of host names or addresses, lower case."""
    return tuple(name.strip().lower() for name in value.split(",") if name.strip())
