"""Parallax: read the news at scale."""
