"""Writing an article's annotations into the store, and linking its entities across articles.

Within an article, ``annotate/entities.py`` has already gathered every mention of a referent
under one canonical name. Across articles, an entity is one row per (name, type); a bare
surname ("Trump") joins the one stored person whose full name ends with it, when there is
exactly one, so that an entity page later gathers everything.
"""
from __future__ import annotations

import json
import sqlite3
from typing import Any


def global_entity_id(db: sqlite3.Connection, name: str, type_: str) -> int:
    """The store-wide id of an entity, created on first sight."""
    row = db.execute("SELECT id FROM entities WHERE name = ? AND type = ?", (name, type_)).fetchone()
    if row:
        return int(row[0])
    if type_ == "PERSON" and " " not in name.strip():
        fuller = db.execute(
            "SELECT id FROM entities WHERE type = 'PERSON' AND name LIKE ? LIMIT 2", (f"% {name}",)
        ).fetchall()
        if len(fuller) == 1:
            return int(fuller[0][0])
    return int(db.execute("INSERT INTO entities (name, type) VALUES (?, ?)", (name, type_)).lastrowid)


def write_annotations(db: sqlite3.Connection, article_id: int, annotation: dict[str, Any], version: str, now: str) -> None:
    """Replace the article's annotations (call inside a transaction)."""
    text = annotation["text"]
    for table in ("entity_mentions", "quotes", "events"):
        db.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
    local_to_global: dict[str, int] = {}
    for entity in annotation["entities"]:
        gid = global_entity_id(db, entity["name"], entity["type"])
        local_to_global[entity["id"]] = gid
        db.executemany(
            "INSERT INTO entity_mentions (article_id, entity_id, local_id, start, end, text) VALUES (?,?,?,?,?,?)",
            [(article_id, gid, entity["id"], m["start"], m["end"], text[m["start"] : m["end"]]) for m in entity["mentions"]],
        )
    for quote in annotation["quotes"]:
        content, speaker, cue = quote["content"], quote.get("speaker"), quote.get("cue")
        db.execute(
            """INSERT INTO quotes (article_id, kind, content, content_start, content_end, speaker_entity_id,
               speaker_text, cue, channel) VALUES (?,?,?,?,?,?,?,?,?)""",
            (
                article_id, quote["kind"], text[content["start"] : content["end"]], content["start"], content["end"],
                local_to_global.get(speaker["entity"]) if speaker and speaker.get("entity") else None,
                (speaker.get("name") or speaker.get("text")) if speaker else None,
                text[cue["start"] : cue["end"]] if cue else None, quote.get("channel"),
            ),
        )
    for rank, event in enumerate(annotation["events"]):
        actor, target, evidence = event.get("actor") or {}, event.get("target") or {}, event["evidence"]
        db.execute(
            """INSERT INTO events (article_id, rank, plover, mode, cameo, status, actor_entity_id, actor_text,
               target_entity_id, target_text, date, place, according_to_entity_id, evidence, evidence_start,
               evidence_end) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            (
                article_id, rank, event["plover"], event.get("mode"), event.get("cameo"), event.get("status"),
                local_to_global.get(actor.get("entity") or ""), actor.get("text"),
                local_to_global.get(target.get("entity") or ""), target.get("text"),
                event.get("date"), event.get("place"), local_to_global.get(event.get("according_to") or ""),
                text[evidence["start"] : evidence["end"]], evidence["start"], evidence["end"],
            ),
        )
    db.execute(
        "INSERT OR REPLACE INTO annotations (article_id, version, json, annotated_at) VALUES (?,?,?,?)",
        (article_id, version, json.dumps(annotation, ensure_ascii=False), now),
    )
