"""The shared store: a PostgreSQL database, for many users and many writers at once.

Selected by a ``postgresql://`` URL (``parallax --db`` or ``$PARALLAX_DB``). The queries are
the SQLite store's (``sql_*.py``), run through psycopg 3 with ``?`` turned into ``%s``; this
module answers the parts that differ (``gateway.py``):

- Transactions are psycopg's (autocommit outside them; a nested one is a savepoint).
- Writers run concurrently, so what SQLite gets from its single write lock is made explicit:
  an article, a sighting or an alert that two writers insert at once lands once
  (``ON CONFLICT DO NOTHING`` on their keys); the steps whose reads decide their writes (linking
  entities across articles, checking for an earlier alert) take a transaction-scoped advisory
  lock; story assignment, whose clusterer is rebuilt from the store, takes a session-scoped one
  for the whole run, so a second assigner waits instead of deciding from a stale copy.
- Full-text search uses the table ``article_search`` (each article's ``tsvector``, kept by a
  trigger on ``articles``), partitioned by article id with a GIN index in each partition
  (``migrations_postgres.py``, 6): each quoted term of the expression becomes
  ``websearch_to_tsquery('simple', '"term"')`` (a phrase), a starred one the same with its last
  word as a prefix (``:*``), all ANDed; hits are ranked with ``ts_rank`` (title weight A, text D,
  in the ratio of ``TITLE_WEIGHT``; the newest ``RANKED_MATCHES``, as on SQLite:
  ``sql_search.py``) and given ``ts_headline`` snippets. The newest matches are found partition
  by partition, newest first (``parallax_newest_matches``), so a search reads the partitions its
  newest matches lie in and no older one.
- The web app borrows connections from a ``psycopg_pool`` pool (``PostgresPool``).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from itertools import count
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from parallax.errors import Errors, StoreError
from parallax.model import ELLIPSIS, MATCH_CLOSE, MATCH_OPEN, FoundArticle, FoundPage
from parallax.store.migrations_postgres import MIGRATIONS
from parallax.store.sql_articles import ArticlesSQL
from parallax.store.sql_charts import ChartsSQL
from parallax.store.sql_entities import EntitiesSQL
from parallax.store.sql_search import EXPRESSION_TERM, SNIPPET_TOKENS, TEXT_WEIGHT, TITLE_WEIGHT, SearchSQL, in_order
from parallax.store.sql_stories import StoriesSQL
from parallax.store.sql_watches import WatchesSQL

# Advisory locks are (namespace, lock) pairs; the namespace keeps Parallax's apart from any
# other application sharing the database.
LOCK_NAMESPACE = 0x50_4C_58  # "PLX"
LOCKS = {"migrations": 1, "entities": 2, "alerts": 3, "stories": 4}
# ts_rank's weights for labels {D, C, B, A}: text is D, title A.
_RANK_WEIGHTS = f"'{{{TEXT_WEIGHT / TITLE_WEIGHT}, 0, 0, 1}}'::real[]"
_HEADLINE = (f"StartSel={MATCH_OPEN}, StopSel={MATCH_CLOSE}, MaxWords={SNIPPET_TOKENS}, "
             f"MinWords={SNIPPET_TOKENS // 2}, ShortWord=0, MaxFragments=1, FragmentDelimiter=\" {ELLIPSIS} \"")
_cursor_names = count()


def redacted(url: str) -> str:
    """A connection URL without its password, fit to print."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1@", url)


@lru_cache(maxsize=2048)
def _paramstyle(sql: str) -> str:
    """The store's ``?`` placeholders as psycopg's ``%s`` (a literal ``%`` doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


class _Row(tuple[Any, ...]):
    """A result row read by position or by column name, as ``sqlite3.Row`` is."""

    _index: dict[str, int] = {}

    def __getitem__(self, key: Any) -> Any:
        return super().__getitem__(self._index[key] if isinstance(key, str) else key)

    def keys(self) -> list[str]:
        return list(self._index)


def _rows(cursor: Any) -> Callable[[Sequence[Any]], _Row]:
    """psycopg row factory making ``_Row``s (the first column of a name wins, as in sqlite3)."""
    names = [column.name for column in cursor.description or ()]
    row_type = type("Row", (_Row,), {"_index": {n: i for i, n in reversed(list(enumerate(names)))}})
    return row_type


def _connect(url: str) -> psycopg.Connection[Any]:
    try:
        return psycopg.connect(url, autocommit=True, row_factory=_rows)
    except psycopg.OperationalError as exc:
        raise StoreError(Errors.E304, location=redacted(url), detail=str(exc).strip().splitlines()[0]) from exc


class PostgresStore(ArticlesSQL, ChartsSQL, EntitiesSQL, StoriesSQL, WatchesSQL, SearchSQL):
    """Articles and everything derived from them, in one PostgreSQL database."""

    desc_missing_last = "DESC NULLS LAST"
    _counts_while_ranking = True  # a count apart reads the rows the ranking reads (sql_search.py)

    def __init__(self, url: str, *, connection: psycopg.Connection[Any] | None = None) -> None:
        """Connect to ``url`` and migrate; or, given a ``connection`` (lent by ``PostgresPool``),
        use it as it is and leave it open on ``close``."""
        self.location = redacted(url)
        self._url = url  # with its password, for ``connect_again``; never shown
        self._owned = connection is None
        self.db = connection if connection is not None else _connect(url)
        if self._owned:
            try:
                self._migrate()
            except BaseException:
                self.db.close()
                raise

    # -- schema ---------------------------------------------------------------------------
    def _migrate(self) -> None:
        with self.transaction():
            self._lock("migrations")
            self._run("CREATE TABLE IF NOT EXISTS parallax_schema (version INTEGER NOT NULL)")
            found_version = self.schema_version
            if found_version > len(MIGRATIONS):
                raise StoreError(Errors.E302, found=found_version, known=len(MIGRATIONS))
            for version in range(found_version + 1, len(MIGRATIONS) + 1):
                self.db.execute(MIGRATIONS[version - 1])  # several statements: no parameters
                self._run("INSERT INTO parallax_schema (version) VALUES (?)", (version,))

    @property
    def schema_version(self) -> int:
        return int(self._value("SELECT coalesce(max(version), 0) FROM parallax_schema"))

    def close(self) -> None:
        if self._owned:
            self.db.close()

    def connect_again(self) -> PostgresStore:
        """Another connection to this database, for another thread."""
        return PostgresStore(self._url)

    # -- the dialect ----------------------------------------------------------------------
    def _run(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.db.execute(_paramstyle(sql), params)

    def _run_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        batch = list(rows)
        if batch:
            self.db.cursor().executemany(_paramstyle(sql), batch)

    def _stream(self, sql: str, batch: int) -> Iterator[Any]:
        """A server-side cursor held past its transaction, so a large result never sits in
        this process's memory and the caller may write between rows."""
        with self.db.cursor(name=f"parallax_{next(_cursor_names)}", withhold=True) as cursor:
            cursor.itersize = batch
            cursor.execute(_paramstyle(sql))
            yield from cursor

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.db.transaction():
            yield

    @contextmanager
    def time_limit(self, seconds: float) -> Iterator[None]:
        """Stop a statement of this block that runs past ``seconds`` (StoreError E309), by the
        session's ``statement_timeout``, set back afterwards."""
        self._run("SELECT set_config('statement_timeout', ?, false)", (str(max(1, int(seconds * 1000))),))
        try:
            yield
        except psycopg.errors.QueryCanceled as exc:
            raise StoreError(Errors.E309, seconds=f"{seconds:g}") from exc
        finally:
            self._run("SELECT set_config('statement_timeout', '0', false)")

    def interrupt(self) -> None:
        """Ask the server to cancel the statement this connection is running now (called from
        another thread: a search whose client has left)."""
        self.db.cancel_safe()

    def _in_ids(self, column: str) -> str:
        return f"{column} = ANY(CAST(? AS BIGINT[]))"

    def _id_list(self, ids: Iterable[int]) -> object:
        return [int(i) for i in ids]

    def _distinct_joined(self, expression: str) -> str:
        return f"string_agg(DISTINCT {expression}, ',')"

    def _json_list(self, expression: str) -> str:
        return f"json_agg({expression})"

    @staticmethod
    def _as_list(value: Any) -> list[Any]:
        return list(value) if value else []

    def restart_ids(self, table: str) -> None:
        if self._one("""SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
                        AND table_name = ? AND column_name = 'id' AND is_identity = 'YES'""", (table,)):
            self._run(f"SELECT setval(pg_get_serial_sequence(?, 'id'), max(id)) FROM {table} HAVING count(*) > 0", (table,))

    def _lock(self, name: str) -> None:
        self._run("SELECT pg_advisory_xact_lock(?, ?)", (LOCK_NAMESPACE, LOCKS[name]))

    def _serialize(self, lock: str) -> None:
        self._lock(lock)

    @contextmanager
    def assigning(self) -> Iterator[None]:
        """Story assignment, one process at a time: others wait here until this one is done."""
        key = (LOCK_NAMESPACE, LOCKS["stories"])
        self._run("SELECT pg_advisory_lock(?, ?)", key)
        try:
            yield
        finally:
            self._run("SELECT pg_advisory_unlock(?, ?)", key)

    # -- full-text search (tsvector) --------------------------------------------------------
    @staticmethod
    def _tsquery(expression: str) -> tuple[str, list[str]]:
        """The expression as SQL making a tsquery, and its parameters."""
        parts: list[str] = []
        params: list[str] = []
        for body, star in EXPRESSION_TERM.findall(expression):
            phrase = "websearch_to_tsquery('simple', ?)"
            parts.append(f"to_tsquery('simple', nullif({phrase}::text, '') || ':*')" if star else phrase)
            params.append(f'"{body}"')
        return "(" + " && ".join(parts) + ")", params

    def _full_text(self, expression: str, id_sets: list[str], params: list[object], offset: int,
                   limit: int) -> FoundPage:
        # A word may be in 244 articles or in 988,877, so search is planned for the words it is
        # given, every time: psycopg prepares a statement run often and the server then settles
        # on one generic plan, which counted a word of 989k of 1M articles in ~690 ms (a plain
        # bitmap scan) instead of ~230 ms (a parallel scan) from the tenth search on.
        with self.transaction():
            self._run("SET LOCAL plan_cache_mode = force_custom_plan")
            return super()._full_text(expression, id_sets, params, offset, limit)

    def _matching(self, expression: str, id_sets: list[str], params: list[object]) -> tuple[str, list[object]]:
        query, terms = self._tsquery(expression)
        where = "".join(f" AND id IN ({s})" for s in id_sets)
        return f"FROM article_search WHERE search @@ {query}{where}", [*terms, *params]

    def _newest(self, expression: str, id_sets: list[str], params: list[object], wanted: int, *,
                numbered: bool = False) -> tuple[str, list[object]]:
        if id_sets:  # filtered: the filters' ids narrow the matches, all partitions at once
            return super()._newest(expression, id_sets, params, wanted, numbered=numbered)
        query, terms = self._tsquery(expression)
        columns = "hit, score, nth" if numbered else "hit, score"
        return f"SELECT {columns} FROM parallax_newest_matches({query}, ?, {_RANK_WEIGHTS})", [*terms, wanted]

    def _rank(self, expression: str) -> tuple[str, list[object], str]:
        query, terms = self._tsquery(expression)
        return f"ts_rank({_RANK_WEIGHTS}, search, {query})", list(terms), "DESC"

    def _hits(self, expression: str, article_ids: list[int]) -> list[FoundArticle]:
        query, terms = self._tsquery(expression)
        rows = self._run(
            f"""SELECT id, title, outlet, published, published_granularity, ts_headline('simple', translate(text, '<>', '  '), {query}, ?)
                FROM articles WHERE {self._in_ids("id")}""",
            (*terms, _HEADLINE, self._id_list(article_ids)),
        )
        return in_order(rows, article_ids)

    def articles_matching(self, expression: str, article_ids: Sequence[int] | None) -> list[int]:
        query, terms = self._tsquery(expression)
        scope, params = self._scope("id", article_ids)
        return self._ids(f"SELECT id FROM article_search WHERE search @@ {query} AND {scope} ORDER BY id", (*terms, *params))

    def storyline_matching(self, words: Sequence[str]) -> int | None:
        query, terms = self._tsquery(" ".join(f'"{w}"' for w in words))
        found_line = self._value(
            f"""SELECT s.storyline_id FROM article_search a JOIN story_articles sa ON sa.article_id = a.id
                JOIN stories s ON s.id = sa.story_id WHERE a.search @@ {query} AND s.storyline_id IS NOT NULL
                GROUP BY s.storyline_id ORDER BY max(ts_rank({_RANK_WEIGHTS}, a.search, {query})) DESC, s.storyline_id
                LIMIT 1""",
            (*terms, *terms),
        )
        return int(found_line) if found_line is not None else None


class PostgresPool:
    """Connections to one PostgreSQL store for concurrent users (the web app's requests)."""

    def __init__(self, url: str, *, size: int = 8) -> None:
        PostgresStore(url).close()  # reachable and migrated before any user arrives
        self._url = url
        self._pool: ConnectionPool[Any] = ConnectionPool(
            url, min_size=1, max_size=size, kwargs={"autocommit": True, "row_factory": _rows}, open=True,
            name="parallax")

    @contextmanager
    def store(self) -> Iterator[PostgresStore]:
        with self._pool.connection() as connection:
            yield PostgresStore(self._url, connection=connection)

    def close(self) -> None:
        self._pool.close()
