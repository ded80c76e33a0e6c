"""Cleaning: a RawDocument becomes an Article (main text, title, outlet, date, language).

``clean.document.clean`` is the entry point. This package file imports nothing, so a light
command that needs one helper (``clean.encoding.sanitize`` for a query, the outlet registry)
does not load every reader's helpers with it.
"""
