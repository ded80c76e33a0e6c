"""Views: read-only questions asked of the store (search, entity profiles, one article), each
answered with plain dataclasses that the CLI prints, the JSON API returns and the web UI renders."""
