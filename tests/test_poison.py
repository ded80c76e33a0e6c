"""A poison article costs one line, never the store: a stage that fails on one article records
its numbered reason on it, the next run retries it once, later runs leave it alone, and every
other article goes on being annotated and given a story. On both backends."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from conftest import Stores
from parallax import jobs
from parallax.cli import main
from parallax.settings import load_options
from parallax.store import open_store
from parallax.stories.params import load_story_params
from parallax.stories.store import assign_stories

PARAGRAPH = "The council met on Tuesday and agreed to keep the bridge closed until repairs are done. "
# spaCy refuses a text over 1,000,000 characters (its E088): a real annotator failure, let in by
# a user who raised max_article_chars past it.
TOO_LONG_FOR_SPACY = PARAGRAPH * 12_000


def _records(path: Path, texts: list[tuple[str, str]]) -> Path:
    path.write_text("".join(json.dumps({"id": title, "title": title, "text": text}) + "\n" for title, text in texts), "utf-8")
    return path


@pytest.mark.slow
def test_an_article_the_annotator_fails_on_is_stored_recorded_retried_once_then_left(tmp_path: Path, stores: Stores) -> None:
    location = stores.empty()
    options = load_options(max_article_chars=2_000_000)
    first = _records(tmp_path / "a.jsonl", [("One", PARAGRAPH * 3), ("Poison", TOO_LONG_FOR_SPACY), ("Two", PARAGRAPH * 4)])
    with open_store(location) as store:
        summary = jobs.ingest([str(first)], store, options, annotate=True)
        assert (summary.ingested, summary.annotated, len(summary.skipped)) == (3, 2, 0)
        poison = int(store._value("SELECT id FROM articles WHERE title = 'Poison'"))
        [failure] = store.article_failures(poison)
        assert (failure.stage, failure.attempts) == ("annotate", 1) and failure.reason.startswith("E197 could not be annotated")
        assert "E088" in failure.reason
        assert jobs.annotate_store(store) == 0  # the one retry
        assert store.article_failures(poison)[0].attempts == 2
        later = _records(tmp_path / "b.jsonl", [("Three", PARAGRAPH * 5)])
        assert jobs.ingest([str(later)], store, options).ingested == 1  # stored unannotated
        assert jobs.annotate_store(store) == 1  # the new one; the poison one is left alone
        assert store.article_failures(poison)[0].attempts == 2
        assert store.annotation(poison) is None


def test_an_article_annotation_runs_too_long_on_is_stored_with_its_reason(tmp_path: Path, stores: Stores,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A hostile text that holds the annotator (a pattern that backtracks for ever, say) is
    stopped at ``document_seconds`` and costs that article alone."""
    import time

    import parallax.annotate

    real = parallax.annotate.annotate_many

    def slow_on_marked(items: list[tuple[str, object, object, object]], **kwargs: int) -> object:
        if any("SLOW" in item[0] for item in items):
            time.sleep(30)
        return real(items, **kwargs)

    monkeypatch.setattr(parallax.annotate, "annotate_many", slow_on_marked)
    options = load_options(document_seconds=1)
    records = _records(tmp_path / "a.jsonl", [("One", PARAGRAPH * 3), ("Held", "SLOW " + PARAGRAPH * 2), ("Two", PARAGRAPH * 4)])
    started = time.monotonic()
    with open_store(stores.empty()) as store:
        summary = jobs.ingest([str(records)], store, options, annotate=True)
        assert (summary.ingested, summary.annotated, len(summary.skipped)) == (3, 2, 0)
        held = int(store._value("SELECT id FROM articles WHERE title = 'Held'"))
        [failure] = store.article_failures(held)
        assert failure.stage == "annotate" and "budget (document_seconds)" in failure.reason
        assert failure.reason.startswith("E197 could not be annotated (OverAnnotationBudget: ran past its 1s")
    assert time.monotonic() - started < 25


def _embedder(vectors: dict[str, tuple[float, ...]]):
    """Vectors chosen per title (as in test_stories_store); a title without one makes it fail."""
    def embed(texts: list[str]) -> np.ndarray:
        rows = [np.array(vectors[text.split(".")[0]], dtype=np.float32) for text in texts]
        return np.stack([row / np.linalg.norm(row) for row in rows])
    return embed


def test_an_article_story_assignment_fails_on_is_recorded_and_the_rest_assigned(tmp_path: Path, stores: Stores) -> None:
    location = stores.empty()
    source = _records(tmp_path / "a.jsonl", [("Left", PARAGRAPH * 3), ("Poison", PARAGRAPH * 4), ("Right", PARAGRAPH * 5)])
    embed = _embedder({"Left": (1, 0.1, 0), "Right": (0.1, 1, 0)})
    with open_store(location) as store:
        jobs.ingest([str(source)], store, load_options())
        assert assign_stories(store, embedder=embed, params=load_story_params()) == 2
        poison = int(store._value("SELECT id FROM articles WHERE title = 'Poison'"))
        [failure] = store.article_failures(poison)
        assert failure.stage == "stories" and failure.reason.startswith("E198 could not be given a story (KeyError")
        assert assign_stories(store, embedder=embed, params=load_story_params()) == 0  # retried once
        assert store.article_failures(poison)[0].attempts == 2
        assert store.articles_without_story() == []  # then left alone
        assert store._value("SELECT count(*) FROM story_articles") == 2


def test_a_recorded_failure_shows_in_show_and_on_the_article_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    location = str(tmp_path / "p.db")
    source = _records(tmp_path / "a.jsonl", [("Left", PARAGRAPH * 3), ("Right", PARAGRAPH * 5)])
    with open_store(location) as store:
        jobs.ingest([str(source)], store, load_options())
        assign_stories(store, embedder=_embedder({"Left": (1, 0.1, 0), "Right": (0.1, 1, 0)}), params=load_story_params())
        store.record_failure(1, "annotate", "E197 could not be annotated (ValueError: odd)")
    assert main(["show", "1", "--db", location]) == 0
    assert "failed annotate: E197 could not be annotated (ValueError: odd) (1 runs)" in capsys.readouterr().out
    from fastapi.testclient import TestClient

    from parallax.web.app import create_app

    with TestClient(create_app(location)) as client:
        page = client.get("/articles/1")
        assert "E197 could not be annotated (ValueError: odd)" in page.text
        assert client.get("/api/articles/1").json()["failures"][0]["stage"] == "annotate"
