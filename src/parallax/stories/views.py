"""One story as `parallax show STORY` gives it: its articles, copies folded under the article
they copy with every outlet and URL kept, and the storyline it belongs to.

(`views/stories.py` lists stories and compares their articles; this view is the fold: who ran
which text where.) A story merged into another is shown as the story it lives in now, with the
ids it absorbed.
"""
from __future__ import annotations

from typing import Any

from parallax.errors import Errors, ParallaxError
from parallax.model import StoryMember
from parallax.store import Store


def show_story(store: Store, story_id: int) -> dict[str, Any]:
    """One story with its articles (copies folded under their original) and its storyline."""
    live = store.resolve_story(story_id)
    story = store.get_story(live) if live is not None else None
    if story is None:
        raise ParallaxError(Errors.E701, value=story_id)
    members = store.story_members([story.id])
    seen_at = store.story_sighting_urls(story.id)

    def article(member: StoryMember) -> dict[str, Any]:
        urls = [u for u in dict.fromkeys([member.url, *seen_at.get(member.id, [])]) if u]
        return {"id": member.id, "title": member.title, "authors": member.authors, "outlet": member.outlet, "url": member.url,
                "published": member.published, "language": member.language, "seen_at": urls}

    originals = {m.id: {**article(m), "copies": []} for m in members if m.copy_of is None}
    for m in members:
        if m.copy_of is None:
            continue
        if m.copy_of in originals:
            originals[m.copy_of]["copies"].append(article(m))
        else:  # its original lives in another story: the copy stands on its own here
            originals[m.id] = {**article(m), "copies": [], "copy_of": m.copy_of}
    siblings = store.storyline_story_counts(story.storyline_id) if story.storyline_id is not None else []
    return {
        "id": story.id, "requested": story_id, "title": story.title,
        "first_published": story.first_published, "last_published": story.last_published,
        "outlets": sorted({m.outlet for m in members if m.outlet}), "merged_from": store.merged_from(story.id),
        "articles": list(originals.values()),
        "storyline": {
            "id": story.storyline_id,
            "title": store.storyline_titles([story.storyline_id]).get(story.storyline_id) if story.storyline_id else None,
            "stories": [{"id": s.id, "title": s.title, "first_published": s.first_published,
                         "last_published": s.last_published, "articles": n} for s, n in siblings],
        },
    }
