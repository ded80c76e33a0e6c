"""The web UI and JSON API over a store (``parallax serve``)."""
from parallax.web.app import create_app, get, serve

__all__ = ["create_app", "get", "serve"]
