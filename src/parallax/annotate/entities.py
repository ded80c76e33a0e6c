"""Entities: every mention of one referent in an article under one canonical name.

spaCy's NER finds the names; this module decides which of them, and which handles, role
phrases ("the U.S. president", "his national security adviser") and kind phrases ("the news
agency", "the foreign ministry") refer to the same thing. Text alone cannot tell that
``@POTUS`` was Donald Trump in 2018 or that "Russian" belongs to Russia, so a small curated
resource (``resources/entities.json``) supplies countries, demonyms, handles and office holders.

Resolution is deliberately conservative: a mention joins an entity only on evidence (same
name, a shorter form of a longer name, a curated alias, an office held at the document date or
by someone the article names); otherwise it stays its own entity.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc

from parallax.annotate.quotes import lexicon
from parallax.model import Entity, Mention, Quote
from parallax.nlp import doc_text

# NER labels that name referents we track; numbers, dates and works are other layers' business.
_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}
# Labels spaCy's small model sometimes gives a person's surname ("Sanders" as WORK_OF_ART):
# such a mention is kept only if it matches a person's name found elsewhere in the article.
_DOUBTFUL_LABELS = {"WORK_OF_ART", "PRODUCT", "EVENT"}
_LEADING_ARTICLE = re.compile(r"^(?:the|The|THE)\s+")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{2,30}")
_DETERMINER = re.compile(r"(?:\b(?:the|his|her|their|its|our|my|your)\s+)$", re.IGNORECASE)
_NAME_FOLLOWS = re.compile(r"^\s+[A-Z][a-z]")
# A title with one of these before it names a past holder: "then-president Barack Obama".
_FORMER = ("then-", "former ", "ex-")
# A dateline opens a line in capitals: "MOSCOW - ...", "KYIV, Ukraine (AP) - ...".
_DATELINE = re.compile(r"(?:^|\n)([A-Z][A-Z .'-]{2,})(?=\s*[-—–,(])")
# Capitalised words to the end of a speaker phrase after a person's mention: the tagger cut the name
# short ("Interior Minister Fred Matiang'i" with "Fred" alone tagged).
_NAME_RUNS_ON = re.compile(r"(?:\s+[A-Z][\w'’.-]*)+\s*$")
# Words that name nothing: a speaker "he" or "the agency" shares no name with an entity through them.
_FUNCTION_WORDS = frozenset(
    "a an the of and or for in on at to by with from s mr mrs ms dr "
    "i we you he she it they me him her them my our your his its their this that these those".split()
)


@dataclass
class _Knowledge:
    country_of: dict[str, str]  # folded alias or demonym → canonical country
    handles: dict[str, dict[str, str]]  # folded handle → {"name", "type"} or {"office"}
    offices: dict[str, dict]  # office → {"phrases", "holders"}
    kinds: dict[str, list[str]]  # kind → organisation names or name words
    kind_phrases: dict[str, list[str]]
    place_qualifiers: list[str]  # "D.C." in "Washington, D.C.": part of the place's name
    titles: list[str]  # office titles, longest first ("national security adviser", "president")


@lru_cache(maxsize=1)
def _knowledge() -> _Knowledge:
    data = json.loads(resources.files("parallax.resources").joinpath("entities.json").read_text("utf-8"))
    country_of: dict[str, str] = {}
    for country, info in data["countries"].items():
        for form in [country, *info["aliases"], *info["demonyms"]]:
            country_of[_fold(form)] = country
    return _Knowledge(
        country_of=country_of,
        handles={h.casefold(): v for h, v in data["handles"].items()},
        offices=data["offices"],
        kinds=data["organisation_kinds"],
        kind_phrases=data["kind_phrases"],
        place_qualifiers=data["place_qualifiers"],
        titles=sorted({t for o in data["offices"].values() for t in o["titles"]}, key=len, reverse=True),
    )


def name_words(text: str) -> set[str]:
    """The folded words of a name or speaker phrase that can name something: a speaker and an
    entity that share none of them are not known to be one referent."""
    return {w for w in re.findall(r"[^\W_]+", _fold(text)) if w not in _FUNCTION_WORDS}


def _fold(text: str) -> str:
    """The key names are compared by: case, periods and a leading article ignored."""
    return _LEADING_ARTICLE.sub("", text).replace(".", "").replace("’", "'").casefold().strip()


@dataclass
class _Cluster:
    name: str
    label: str
    mentions: list[Mention] = field(default_factory=list)
    labels: Counter[str] = field(default_factory=Counter)
    # the titles given it, each with whether it was "then-"/"former": ("president", True), ...
    titles: Counter[tuple[str, bool]] = field(default_factory=Counter)

    @property
    def first(self) -> int:
        return min(m.start for m in self.mentions)


def resolve_entities(doc: Doc, dct: date | None = None) -> list[Entity]:
    """The article's entities, in order of first mention, each with all its mentions."""
    kb = _knowledge()
    text = doc_text(doc)
    clusters: list[_Cluster] = []
    names = _name_mentions(doc, kb)
    persons = _person_names(names)

    for mention, label in names:
        _add_name(clusters, mention, label, persons, kb, _title_before(text, mention.start, kb))
    _name_organisations(clusters)
    _propagate_names(clusters, text)
    for mention in _handle_mentions(text):
        _add_handle(clusters, mention, kb, dct)
    for start, end, office in _office_phrases(text, kb):
        holder = _office_holder(office, clusters, kb, dct)
        if holder is not None:
            _attach(holder, Mention(start, end, text[start:end]))
    for start, end, kind in _kind_phrases(text, kb):
        org = _latest_of_kind(kind, clusters, kb, before=start)
        if org is not None:
            _attach(org, Mention(start, end, text[start:end]))

    clusters = [c for c in clusters if c.mentions]
    clusters.sort(key=lambda c: c.first)
    return [
        Entity(
            id=f"e{n}",
            name=c.name,
            type=c.label,
            mentions=sorted(_dedupe(c.mentions), key=lambda m: m.start),
        )
        for n, c in enumerate(clusters, start=1)
    ]


def link_speakers(entities: Sequence[Entity], quotes: Sequence[Quote]) -> None:
    """Point each quote's speaker at its entity, only on evidence, so that a link never lies.

    The evidence is a mention of the entity at the head of the speaker phrase (its name, an
    alias, an office held at the date: "White House Press Secretary Sarah Huckabee Sanders",
    "the U.S. president"; a person's name the tagger cut short counts: "Fred" of "Fred
    Matiang'i"), or the entity's name in the quote layer's resolved name (a pronoun
    or titled role pointed at its antecedent: "he said" → Donald Trump, which then becomes a
    mention of it). A name inside a modifier is no evidence ("Iraqi officials" are not Iraq,
    "the UNICEF director" is not UNICEF), and a link whose speaker shares no name word with the
    entity (:func:`name_words`) is not made: the speaker stays its description.
    """
    for quote in quotes:
        speaker = quote.speaker
        if speaker is None:
            continue
        wanted = _fold(speaker.name or speaker.text)
        head = _head_start(speaker.text)
        at_head = [
            e for e in entities for m in e.mentions
            if m.start < speaker.end and speaker.start < m.end
            and (m.start <= speaker.start + head < m.end or e.type == "PERSON" and _cut_name(speaker.text[m.end - speaker.start:]))
        ]
        named = [e for e in at_head if _named(e, wanted)] or at_head
        entity = named[0] if named else None
        if entity is not None and speaker.name and not name_words(speaker.name) & _alias_words(entity):
            speaker.name = entity.name  # the entity layer's evidence at the head outweighs a nearby antecedent
        if entity is None and speaker.name:
            entity = next((e for e in entities if _named(e, wanted)), None)
            if entity is not None:
                entity.mentions.append(Mention(speaker.start, speaker.end, speaker.text))
                entity.mentions.sort(key=lambda m: m.start)
        if entity is not None and name_words(speaker.name or speaker.text) & _alias_words(entity):
            speaker.entity = entity.id


def _cut_name(rest: str) -> bool:
    """Is ``rest`` (what follows a person's mention in a speaker phrase) the rest of that name,
    capitalised words that are no role or body ("Trump Administration" is not Trump)?"""
    lex = lexicon()
    return bool(_NAME_RUNS_ON.match(rest)) and not any(
        word.lower().rstrip("s") in lex.roles or word.lower() in lex.groups for word in rest.split()
    )


def _head_start(phrase: str) -> int:
    """Offset of the last word of a speaker phrase (its head), past a possessive and punctuation."""
    found = re.search(r"([^\W_][\w.&'’-]*?)(?:'s|’s|'|’)?[\W_]*$", phrase)
    return found.start(1) if found else 0


def _alias_words(entity: Entity) -> set[str]:
    return name_words(entity.name).union(*(name_words(m.text) for m in entity.mentions))


def _named(entity: Entity, folded: str) -> bool:
    return _fold(entity.name) == folded or any(_fold(m.text) == folded for m in entity.mentions)


# -- names -------------------------------------------------------------------------------


def _name_mentions(doc: Doc, kb: _Knowledge) -> list[tuple[Mention, str]]:
    """NER spans trimmed of a leading article and a possessive, with their labels; a place
    and its qualifier ("Washington" + ", D.C.") made one mention."""
    text = doc_text(doc)
    found: list[tuple[Mention, str]] = []
    for ent in doc.ents:
        if ent.label_ not in _LABELS | _DOUBTFUL_LABELS:
            continue
        lead = _LEADING_ARTICLE.match(ent.text)
        core = _POSSESSIVE.sub("", ent.text[lead.end() if lead else 0 :]).strip(" \"“”'")
        if not core or not any(ch.isalpha() for ch in core) or core.startswith("@"):
            continue
        start = text.find(core, ent.start_char, ent.end_char)
        if start < 0:
            continue
        mention = Mention(start, start + len(core), core)
        if found and found[-1][1] == "GPE" and ent.label_ == "GPE" and core in kb.place_qualifiers:
            previous = found[-1][0]
            if text[previous.end : start] == ", ":
                found[-1] = (Mention(previous.start, mention.end, text[previous.start : mention.end]), "GPE")
                continue
        found.append((mention, ent.label_))
    return found


def _title_before(text: str, start: int, kb: _Knowledge) -> tuple[str, bool] | None:
    """The office title right before a name, and whether it marks a former holder."""
    before = text[max(0, start - 48) : start].casefold()
    for title in kb.titles:
        if before.endswith(title + " "):
            rest = before[: -len(title) - 1]
            return title, rest.endswith(_FORMER)
    return None


def _display_name(mention: Mention, text_start: int) -> str:
    """A dateline's capitals are typography, not the name: "MOSCOW" is Moscow."""
    return mention.text.title() if mention.text.isupper() and len(mention.text) > 4 else mention.text


def _person_names(names: Sequence[tuple[Mention, str]]) -> list[list[str]]:
    """Token lists of the multi-word person names of the article, longest first; names of one
    length in order of first mention (never set order, which changes from process to process)."""
    full = dict.fromkeys(tuple(_tokens(m.text)) for m, label in names if label == "PERSON" and len(_tokens(m.text)) > 1)
    return sorted((list(t) for t in full), key=len, reverse=True)


def _tokens(name: str) -> list[str]:
    return [t for t in re.split(r"\s+", name.strip()) if t]


def _is_short_form(short: list[str], full: list[str]) -> bool:
    """"Trump" of "Donald Trump", "Huckabee Sanders" of "Sarah Huckabee Sanders"."""
    return len(short) < len(full) and [t.casefold() for t in full[-len(short) :]] == [t.casefold() for t in short]


def _add_name(
    clusters: list[_Cluster],
    mention: Mention,
    label: str,
    persons: list[list[str]],
    kb: _Knowledge,
    title: tuple[str, bool] | None,
) -> None:
    folded = _fold(mention.text)
    country = kb.country_of.get(folded) if label in {"GPE", "NORP", "LOC"} else None
    tokens = _tokens(mention.text)
    if country:
        name, label = country, "GPE"
    elif label == "NORP":
        name = mention.text
    else:
        longer = next((p for p in persons if _is_short_form(tokens, p)), None)
        if longer is not None:
            name, label = " ".join(longer), "PERSON"
        elif title is not None and not title[1] and (holder := _titled_holder(tokens, title[0], kb)):
            name, label = holder, "PERSON"
        elif label in _DOUBTFUL_LABELS:
            return
        else:
            name = _display_name(mention, mention.start)
    target = _find(clusters, name, label) or _org_long_form(clusters, mention.text, label)
    if target is None and label in {"ORG", "FAC"}:
        target = _org_short_form_of(clusters, mention.text)
    if target is None:
        target = _Cluster(name=name, label=label)
        clusters.append(target)
    elif label in {"PERSON", "GPE"} and len(name) > len(target.name) and target.name not in kb.country_of.values():
        target.name = name  # a fuller form of the same name arrived later
    target.labels[label] += 1
    if target.label != "GPE":
        target.label = target.labels.most_common(1)[0][0]
    if title is not None:
        target.titles[title] += 1
    _attach(target, mention)


def _titled_holder(tokens: list[str], title: str, kb: _Knowledge) -> str | None:
    """"President Trump" → Donald Trump: the one curated holder of an office with this title
    and this surname. Only a titled surname is expanded, and only when unambiguous."""
    if len(tokens) != 1:
        return None
    names = {
        h["name"]
        for office in kb.offices.values()
        if title in office["titles"]
        for h in office["holders"]
        if _tokens(h["name"])[-1].casefold() == tokens[0].casefold()
    }
    return names.pop() if len(names) == 1 else None


def _propagate_names(clusters: list[_Cluster], text: str) -> None:
    """Find the names NER missed on a later mention: every exact, word-bounded recurrence of a
    name form already resolved, and an organisation's capitalised short form ("RIA" of
    "RIA Novosti"), joins its entity unless another mention already covers that place."""
    taken = [(m.start, m.end) for c in clusters for m in c.mentions]
    for cluster in clusters:
        forms = {m.text for m in cluster.mentions if m.text[:1].isupper()}
        if cluster.label in {"ORG", "FAC"}:
            forms |= {w for w in _tokens(cluster.name)[:1] if len(w) > 1 and w.isupper() and len(_tokens(cluster.name)) > 1}
        for form in sorted(forms, key=lambda f: (-len(f), f)):  # longest first; ties by text, not set order
            for found_start, found_end in _recurrences(text, form):
                if not any(found_start < end and start < found_end for start, end in taken):
                    cluster.mentions.append(Mention(found_start, found_end, form))
                    taken.append((found_start, found_end))


def _recurrences(text: str, form: str) -> Iterator[tuple[int, int]]:
    r"""Where ``form`` recurs in ``text`` with no word character (nor "@") right before it and no
    word character right after, left to right and not overlapping: what
    ``re.finditer(rf"(?<![\w@]){re.escape(form)}(?!\w)", text)`` finds, by ``str.find``
    instead of a pattern compiled for each name form of each article (``\w`` is ``isalnum`` or
    "_" for ``str`` patterns)."""
    start = text.find(form)
    while start >= 0:
        end = start + len(form)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() or before in "_@" or after.isalnum() or after == "_"):
            yield start, end
            start = text.find(form, end)
        else:
            start = text.find(form, start + 1)


def _name_organisations(clusters: list[_Cluster]) -> None:
    """An organisation is called by its most frequent name form (ties: the longer one), so a
    stray longer form ("CBS News App") does not rename "CBS News"."""
    for cluster in clusters:
        if cluster.label in {"ORG", "FAC"}:
            forms = Counter(m.text for m in cluster.mentions)
            cluster.name = max(forms, key=lambda f: (forms[f], len(f)))


def _find(clusters: list[_Cluster], name: str, label: str) -> _Cluster | None:
    """The cluster this name belongs to: the same name, or for a person a shorter or fuller
    form of it ("Trump" / "Donald Trump"), for a place its qualified form ("Washington" /
    "Washington, D.C.")."""
    folded = _fold(name)
    for cluster in clusters:
        other = _fold(cluster.name)
        if other == folded:
            return cluster
        if label == "PERSON" == cluster.label and (
            _is_short_form(_tokens(name), _tokens(cluster.name)) or _is_short_form(_tokens(cluster.name), _tokens(name))
        ):
            return cluster
        if label == "GPE" == cluster.label and (other.split(",")[0] == folded or folded.split(",")[0] == other):
            return cluster
    return None


def _org_long_form(clusters: list[_Cluster], text: str, label: str) -> _Cluster | None:
    """An earlier short form this longer organisation name completes ("CBS" then "CBS News")."""
    if label not in {"ORG", "FAC"}:
        return None
    for cluster in clusters:
        if cluster.label in {"ORG", "FAC"} and _is_prefix_words(cluster.name, text):
            return cluster
    return None


def _org_short_form_of(clusters: list[_Cluster], text: str) -> _Cluster | None:
    """A longer organisation this mention abbreviates: "RIA" → RIA Novosti, "FBI" → its full name."""
    for cluster in clusters:
        if cluster.label not in {"ORG", "FAC"}:
            continue
        if _is_prefix_words(text, cluster.name) or (text.isupper() and _initials(cluster.name) == text):
            return cluster
    return None


def _is_prefix_words(short: str, long: str) -> bool:
    s, l = _fold(short).split(), _fold(long).split()
    return 0 < len(s) < len(l) and l[: len(s)] == s


def _initials(name: str) -> str:
    return "".join(w[0] for w in _tokens(name) if w[0].isupper())


def _attach(cluster: _Cluster, mention: Mention) -> None:
    cluster.mentions.append(mention)


def _dedupe(mentions: list[Mention]) -> list[Mention]:
    seen: set[tuple[int, int]] = set()
    unique = []
    for m in mentions:
        if (m.start, m.end) not in seen:
            seen.add((m.start, m.end))
            unique.append(m)
    return unique


# -- handles, offices, kinds ---------------------------------------------------------------


def _handle_mentions(text: str) -> list[Mention]:
    return [Mention(m.start(), m.end(), m.group()) for m in _HANDLE.finditer(text)]


def _add_handle(clusters: list[_Cluster], mention: Mention, kb: _Knowledge, dct: date | None) -> None:
    known = kb.handles.get(mention.text.casefold())
    if known is None:
        clusters.append(_Cluster(name=mention.text, label="PERSON", mentions=[mention]))
        return
    if "office" in known:
        holder = _office_holder(known["office"], clusters, kb, dct)
        if holder is not None:
            _attach(holder, mention)
        else:
            clusters.append(_Cluster(name=known["office"], label="PERSON", mentions=[mention]))
        return
    target = _find(clusters, known["name"], known["type"])
    if target is None:
        target = _Cluster(name=known["name"], label=known["type"])
        clusters.append(target)
    elif len(_tokens(known["name"])) > len(_tokens(target.name)):
        target.name = known["name"]
    _attach(target, mention)


def _office_phrases(text: str, kb: _Knowledge) -> list[tuple[int, int, str]]:
    """Role phrases naming an office, with a determiner before them kept in the span.

    A phrase followed by a capitalised name is a title ("national security adviser John
    Bolton"), and the name itself is the mention, so it is left out.
    """
    found = []
    for office, info in kb.offices.items():
        for phrase in info["phrases"]:
            for m in re.finditer(rf"\b{re.escape(phrase)}\b", text, re.IGNORECASE):
                if _NAME_FOLLOWS.match(text[m.end() :]):
                    continue
                start = m.start()
                if det := _DETERMINER.search(text[max(0, start - 8) : start]):
                    start -= len(det.group())
                found.append((start, m.end(), office))
    return found


def _office_holder(office: str, clusters: list[_Cluster], kb: _Knowledge, dct: date | None) -> _Cluster | None:
    """Who an office phrase or handle means: a holder the article names (at the document date,
    if known; else the one it gives the office's title without "then-"/"former"), else the
    holder at the document date. Without such evidence, nobody: we do not guess."""
    info = kb.offices[office]
    holders = info["holders"]
    if dct is not None:
        holders = [h for h in holders if h["from"] <= dct.isoformat() < (h["until"] or "9999")]
    named = [c for c in clusters if c.label == "PERSON" and any(_fold(c.name) == _fold(h["name"]) for h in holders)]
    if len(named) > 1:
        named = [c for c in named if any(t in info["titles"] and not former for t, former in c.titles)]
    if len(named) == 1:
        return named[0]
    if dct is not None and len(holders) == 1:
        cluster = _find(clusters, holders[0]["name"], "PERSON")
        if cluster is None:
            cluster = _Cluster(name=holders[0]["name"], label="PERSON")
            clusters.append(cluster)
        return cluster
    return None


def _kind_phrases(text: str, kb: _Knowledge) -> list[tuple[int, int, str]]:
    found = []
    for kind, phrases in kb.kind_phrases.items():
        for phrase in phrases:
            for m in re.finditer(rf"\b{re.escape(phrase)}\b", text, re.IGNORECASE):
                if not _NAME_FOLLOWS.match(text[m.end() :]):
                    found.append((m.start(), m.end(), kind))
    return found


def _latest_of_kind(kind: str, clusters: list[_Cluster], kb: _Knowledge, before: int) -> _Cluster | None:
    """The organisation of this kind mentioned most recently before ``before``."""
    members = [_fold(n) for n in kb.kinds.get(kind, [])]
    best: tuple[int, _Cluster] | None = None
    for cluster in clusters:
        if cluster.label not in {"ORG", "FAC"}:
            continue
        folded = _fold(cluster.name)
        if not any(folded == m or m in folded.split() for m in members):
            continue
        earlier = [m.start for m in cluster.mentions if m.start < before]
        if earlier and (best is None or max(earlier) > best[0]):
            best = (max(earlier), cluster)
    return best[1] if best else None
