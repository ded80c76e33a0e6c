"""Charts drawn on the server as SVG, with real time axes: attention over time (articles per day,
week or month, by outlet, entity, story or storyline), a story's coverage by outlet country and
kind (its blindspots), and an entity's articles across its storylines.

A time axis places each count at its date, so 2018-04 and 2025-03 stand seven years apart, not
side by side; gaps are zeros, drawn as such. The bin follows the span (days up to two months,
weeks up to two years, months beyond), so a chart never has more than about a hundred bins. An
article dated only to its month or year is drawn only in a chart binned that coarsely; otherwise
it is counted under the chart, with the undated ones: a day chart must not invent a day.

Only geometry is computed here (coordinates, ticks, labels); ``templates/charts.html`` writes the
SVG with autoescaping, so no name from an article reaches the page unescaped. No JavaScript, no
assets: the charts work offline and in any browser.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from parallax.clean.outlets import OutletProfile, outlet_kinds, outlet_profile
from parallax.model import ArticleRef, Period, SearchFilters
from parallax.store import Store
from parallax.views.filters import resolve

# Plot area in SVG user units; the SVG scales to its box (viewBox), so these are proportions.
WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 14, 12, 30
# Bins by span: days up to DAY_SPAN days, weeks up to WEEK_SPAN, months beyond.
DAY_SPAN, WEEK_SPAN = 62, 731
MAX_SERIES = 6  # lines per chart: more is a tangle; the rest are summed as "others"
MAX_X_TICKS = 8
# Okabe–Ito: told apart by people with any common colour-vision deficiency.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999")
ENTITY_TYPES = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT")
GROUPINGS = ("outlet", "entity", "story", "storyline")
OTHERS = "others"
# Days either side of a story's dates in which an outlet's articles make it "publishing then".
COVERAGE_WINDOW_DAYS = 3
MAX_LANES = 8  # storylines drawn on an entity's timeline


@dataclass(frozen=True)
class Tick:
    at: float  # x (time axis) or y (count axis) in SVG units
    label: str


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    label: str  # "2025-03-12: 3 articles", the dot's tooltip


@dataclass(frozen=True)
class Line:
    name: str
    color: str
    total: int
    points: str  # an SVG polyline's points
    dots: list[Dot]
    href: str | None = None


@dataclass(frozen=True)
class TimeChart:
    """Counts over time, one line per series, on a real time axis."""

    title: str
    unit: str
    bin: str  # day, week or month
    lines: list[Line]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    first: str
    last: str
    undated: int = 0  # articles without a date, counted not drawn
    imprecise: int = 0  # dated more coarsely than the bin
    width: int = WIDTH
    height: int = HEIGHT
    plot: tuple[int, int, int, int] = (LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM)


@dataclass
class Counts:
    """What a chart is drawn from: per series, articles per day (or per coarser period)."""

    series: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    undated: int = 0
    hrefs: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, day: str | None, n: int = 1) -> None:
        if day:
            self.series[name][day] += n
        else:
            self.undated += n


# --- geometry ---------------------------------------------------------------------------------
def time_chart(title: str, unit: str, counts: Counts, *, max_series: int = MAX_SERIES) -> TimeChart | None:
    """The chart of ``counts``: the ``max_series`` largest series, the rest summed as one; None
    when nothing has a date."""
    ranked = sorted(counts.series.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    if len(ranked) > max_series:
        rest: Counter[str] = Counter()
        for _, tail in ranked[max_series - 1:]:
            rest.update(tail)
        ranked = ranked[:max_series - 1] + [(OTHERS, rest)]
    days = [_day(value) for _, series in ranked for value in series]
    known = [d for d in days if d is not None]
    if not known:
        return None
    first, last = min(known), max(known)
    span = (last - first).days
    unit_bin = "day" if span <= DAY_SPAN else "week" if span <= WEEK_SPAN else "month"
    start = _bin_start(first, unit_bin)
    bins = [start]
    while (following := _next_bin(bins[-1], unit_bin)) <= last:
        bins.append(following)
    end = _next_bin(bins[-1], unit_bin)
    binned: list[tuple[str, Counter[date]]] = []
    imprecise = 0
    for name, series in ranked:
        per_bin: Counter[date] = Counter()
        for value, n in series.items():
            day = _day(value)
            if day is None or (len(value) < 10 and unit_bin != "month") or len(value) == 4:
                imprecise += n
                continue
            per_bin[_bin_start(day, unit_bin)] += n
        binned.append((name, per_bin))
    peak = max((n for _, per_bin in binned for n in per_bin.values()), default=1)
    top = _nice_ceiling(peak)
    left, upper, right, lower = LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM

    def x(day: date) -> float:
        # A count stands in the middle of its bin, so a one-day story is not drawn on the axis's edge.
        middle = day + (_next_bin(day, unit_bin) - day) / 2
        return round(left + (right - left) * (middle - start).total_seconds() / (end - start).total_seconds(), 1)

    def y(n: int) -> float:
        return round(lower - (lower - upper) * n / top, 1)

    lines = []
    for index, (name, per_bin) in enumerate(binned):
        color = PALETTE[-1] if name == OTHERS else PALETTE[index % (len(PALETTE) - 1)]
        points = " ".join(f"{x(b)},{y(per_bin[b])}" for b in bins)
        dots = [Dot(x(b), y(per_bin[b]), f"{_label(b, unit_bin)}: {per_bin[b]} {unit}") for b in bins if per_bin[b]]
        lines.append(Line(name, color, sum(per_bin.values()), points, dots, counts.hrefs.get(name)))
    step = top // 4 if top >= 4 else 1
    y_ticks = [Tick(y(n), str(n)) for n in range(0, top + 1, step)]
    x_ticks = [Tick(round(left + (right - left) * (t - start).days / (end - start).days, 1), label)
               for t, label in _time_ticks(start, end)]
    return TimeChart(title, unit, unit_bin, lines, x_ticks, y_ticks, first.isoformat(), last.isoformat(),
                     counts.undated, imprecise)


def _day(value: str | None) -> date | None:
    """The first day of a stored date's day, month ("2018-07") or year ("2018")."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10] if len(value) >= 10 else value + ("-01" if len(value) == 7 else "-01-01"))
    except ValueError:
        return None


def _bin_start(day: date, unit: str) -> date:
    if unit == "week":
        return day - timedelta(days=day.weekday())  # weeks start on Monday (ISO 8601)
    if unit == "month":
        return day.replace(day=1)
    return day


def _next_bin(day: date, unit: str) -> date:
    if unit == "month":
        return date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return day + timedelta(days=7 if unit == "week" else 1)


def _label(day: date, unit: str) -> str:
    if unit == "month":
        return day.strftime("%Y-%m")
    return ("week of " if unit == "week" else "") + day.isoformat()


def _nice_ceiling(n: int) -> int:
    """The smallest of 1, 2, 4, 5, 8 or 10 × 10^k that is at least ``n``, so the count axis
    reads in whole steps of a quarter."""
    scale = 1
    while True:
        for step in (1, 2, 4, 5, 8, 10):
            if step * scale >= n:
                return step * scale
        scale *= 10


def _time_ticks(start: date, end: date) -> list[tuple[date, str]]:
    """Calendar-aligned ticks (days, Mondays, months, quarters or years) inside [start, end)."""
    span = (end - start).days
    if span <= MAX_X_TICKS * 2:
        every = max(1, span // MAX_X_TICKS + (span % MAX_X_TICKS > 0))
        return [(start + timedelta(days=i), (start + timedelta(days=i)).strftime("%b %d").replace(" 0", " "))
                for i in range(0, span, every)]
    if span <= 7 * MAX_X_TICKS * 2:
        monday = start + timedelta(days=(7 - start.weekday()) % 7)
        weeks = range(0, (end - monday).days, 7 * max(1, (end - monday).days // (7 * MAX_X_TICKS) + 1))
        return [(monday + timedelta(days=i), (monday + timedelta(days=i)).strftime("%b %d").replace(" 0", " "))
                for i in weeks]
    months = (end.year - start.year) * 12 + end.month - start.month
    for every in (1, 3, 6, 12, 24, 60, 120):
        if months / every <= MAX_X_TICKS:
            break
    ticks: list[tuple[date, str]] = []
    cursor = date(start.year, start.month, 1)
    while cursor < end:
        index = cursor.year * 12 + cursor.month - 1
        if cursor >= start and index % every == 0:
            label = str(cursor.year) if every >= 12 else cursor.strftime("%b %Y") if cursor.month == 1 or not ticks else cursor.strftime("%b")
            ticks.append((cursor, label))
        cursor = _next_bin(cursor, "month")
    return ticks


# --- attention over time ------------------------------------------------------------------------
def attention(store: Store, by: str, filters: SearchFilters | None = None) -> TimeChart | None:
    """Articles over time that pass ``filters``, one line per outlet, entity, story or storyline
    (the largest ``MAX_SERIES``)."""
    filters = resolve(store, filters or SearchFilters())
    counts = Counts()
    if by == "outlet":
        for day, granularity, outlet, n in store.daily_by_outlet(filters):
            counts.add(outlet, _stored_day(day, granularity), n)
            counts.hrefs.setdefault(outlet, f"/search?outlet={outlet}")
    elif by == "entity":
        top = dict(store.top_entities(filters, ENTITY_TYPES, MAX_SERIES))
        for day, granularity, entity_id, n in store.daily_by_entity(filters, list(top)):
            counts.add(top[entity_id], _stored_day(day, granularity), n)
            counts.hrefs[top[entity_id]] = f"/entities/{entity_id}"
    elif by == "story":
        from parallax.views.stories import list_stories

        for story in list_stories(store, limit=MAX_SERIES, filters=filters):
            name = f"{story.id}: {story.title or '(untitled)'}"
            counts.hrefs[name] = f"/stories/{story.id}"
            for member in store.story_members(store.merged_members(story.id)):
                counts.add(name, _stored_day(member.published, member.published_granularity))
    elif by == "storyline":
        for line_id, title in store.top_storylines(filters, MAX_SERIES):
            name = f"{line_id}: {title or '(untitled)'}"
            counts.hrefs[name] = f"/storylines/{line_id}"
            for member in store.storyline_members(line_id):
                counts.add(name, _stored_day(member.published, member.published_granularity))
    else:
        raise ValueError(f"attention by {by!r}: one of {', '.join(GROUPINGS)}")
    return time_chart(f"Articles over time by {by}", "articles", counts)


def _stored_day(value: str | None, granularity: str | None) -> str | None:
    """A stored date as the chart takes it: a day, or a month or year when that is all it says."""
    if not value:
        return None
    if granularity == "year":
        return value[:4]
    if granularity == "month":
        return value[:7]
    return value[:10]


def articles_over_time(title: str, articles: Iterable[tuple[str | None, str | None, str | None]]) -> TimeChart | None:
    """A chart of (series, published, granularity) triples, e.g. a story's articles by outlet."""
    counts = Counts()
    for series, published, granularity in articles:
        counts.add(series or "(outlet unknown)", _stored_day(published, granularity))
    return time_chart(title, "articles", counts)


# --- a story's coverage ------------------------------------------------------------------------
@dataclass(frozen=True)
class CoverageCell:
    told: list[str]  # outlets of this country and kind that told the story
    silent: list[str]  # outlets of this country and kind publishing then that did not


@dataclass(frozen=True)
class Coverage:
    """Who told a story and who, publishing in the same days, did not: by outlet country (columns)
    and kind (rows), as the outlet registry describes them."""

    countries: list[str]
    kinds: list[str]
    cells: dict[str, dict[str, CoverageCell]]  # kind → country → cell
    unregistered_told: list[str]  # outlets the registry does not describe
    unregistered_silent: list[str]
    window: tuple[str, str] | None  # the days "publishing then" covers


def coverage(store: Store, outlets_told: Iterable[str | None], first: str | None, last: str | None) -> Coverage:
    """The story's coverage: its outlets beside those publishing within ``COVERAGE_WINDOW_DAYS``
    of its first and last dates (none when it has no date)."""
    told = sorted({o for o in outlets_told if o})
    window = None
    publishing: list[str] = []
    first_day, last_day = _day(first), _day(last)
    if first_day and last_day:
        window = ((first_day - timedelta(days=COVERAGE_WINDOW_DAYS)).isoformat(),
                  (last_day + timedelta(days=COVERAGE_WINDOW_DAYS)).isoformat())
        publishing = store.outlets_publishing(*window)
    silent = sorted(set(publishing) - set(told))
    profiles = {o: outlet_profile(o) for o in [*told, *silent]}
    countries = sorted({p.country for p in profiles.values() if p})
    kinds = [k for k in outlet_kinds() if any(p and p.kind == k for p in profiles.values())]
    cells = {k: {c: CoverageCell([o for o in told if _is(profiles[o], k, c)], [o for o in silent if _is(profiles[o], k, c)])
                 for c in countries} for k in kinds}
    return Coverage(countries, kinds, cells, [o for o in told if profiles[o] is None],
                    [o for o in silent if profiles[o] is None], window)


def _is(profile: OutletProfile | None, kind: str, country: str) -> bool:
    return profile is not None and profile.kind == kind and profile.country == country


# --- an entity across storylines -----------------------------------------------------------------
@dataclass(frozen=True)
class Lane:
    storyline: int | None
    title: str
    y: float
    dots: list[Dot]
    href: str | None


@dataclass(frozen=True)
class LaneChart:
    """An entity's articles on one time axis, a lane per storyline."""

    lanes: list[Lane]
    x_ticks: list[Tick]
    width: int
    height: int
    plot: tuple[int, int, int, int]
    undated: int
    others: int  # articles in storylines beyond the lanes drawn


# Each lane: its storyline's title above a line of dots.
LANE_HEIGHT = 40


def storyline_lanes(dated: Mapping[int, tuple[str | None, str | None]],
                    lines: Mapping[int, tuple[int, str | None, int]]) -> LaneChart | None:
    """Lanes for articles (id → (published, title)) by their storyline (id → (storyline, title,
    story)); articles with no story share a lane "no storyline yet"."""
    by_lane: dict[int | None, list[tuple[int, date, str | None]]] = defaultdict(list)
    undated = 0
    for article, (published, title) in dated.items():
        day = _day(published)
        if day is None:
            undated += 1
            continue
        by_lane[lines[article][0] if article in lines else None].append((article, day, title))
    if not by_lane:
        return None
    ranked = sorted(by_lane, key=lambda k: (-len(by_lane[k]), k is None, k or 0))
    shown, hidden = ranked[:MAX_LANES], ranked[MAX_LANES:]
    days = [d for k in shown for _, d, _ in by_lane[k]]
    first, last = min(days), max(days)
    start, end = first - timedelta(days=1), last + timedelta(days=2)
    height = TOP + LANE_HEIGHT * len(shown) + BOTTOM
    left, right = RIGHT, WIDTH - RIGHT

    def x(day: date) -> float:
        return round(left + (right - left) * ((day - start).days + 0.5) / (end - start).days, 1)

    titles = {lines[a][0]: lines[a][1] for a in lines}
    lanes = []
    for index, key in enumerate(shown):
        y = TOP + LANE_HEIGHT * index + LANE_HEIGHT * 0.7
        stories = Counter(d for _, d, _ in by_lane[key])
        dots = [Dot(x(d), y, f"{d.isoformat()}: {n} article{'s' if n > 1 else ''}") for d, n in sorted(stories.items())]
        title = (titles.get(key) or f"storyline {key}") if key is not None else "no storyline yet"
        lanes.append(Lane(key, f"{title} ({len(by_lane[key])})", y, dots, f"/storylines/{key}" if key is not None else None))
    ticks = [Tick(round(left + (right - left) * (t - start).days / (end - start).days, 1), label)
             for t, label in _time_ticks(start, end)]
    return LaneChart(lanes, ticks, WIDTH, height, (left, TOP, right, height - BOTTOM), undated,
                     sum(len(by_lane[k]) for k in hidden))


def entity_charts(store: Store, entity_id: int, name: str, over_time: Sequence[Period],
                  articles: Iterable[ArticleRef]) -> tuple[TimeChart | None, LaneChart | None]:
    """An entity's articles over time (all of them), and ``articles`` (its latest) across storylines.

    The profile's counts per month (``over_time``) draw the chart when they span more than
    ``DAY_SPAN`` days, which bins by week or month anyway; only an entity of a few weeks is
    counted again per day (on a 50k store, 0.4 s for an entity in 32,000 articles)."""
    counts = Counts()
    months = sorted(p.period for p in over_time if p.period and len(p.period) == 7)
    first, last = (_day(months[0]), _day(months[-1])) if months else (None, None)
    if first and last and (last - first).days > DAY_SPAN:
        for p in over_time:
            counts.add(name, p.period, p.articles)
    else:
        for day, granularity, _, n in store.daily_by_entity(SearchFilters(), [entity_id]):
            counts.add(name, _stored_day(day, granularity), n)
    listed = {a.id: (a.published, a.title) for a in articles}
    return (time_chart(f"Articles mentioning {name}", "articles", counts),
            storyline_lanes(listed, store.storylines_of_articles(list(listed))))
