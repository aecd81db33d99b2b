"""The embedded DuckDB store: one database file holds articles, actors, events, quotes, places and errors.

Articles are keyed by their content hash, so ingesting the same article twice stores it once. Each
article is written with all its rows in one transaction: a crash never leaves half an article. The
full article JSON is kept too (`articles.json`), so `show` and JSONL export give back exactly what
`extract` printed. Views (`event_view`) flatten events with their actors for analysis and export.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Iterable, Iterator, Optional, Union

import duckdb
import numpy as np

from gestae import dedup
from gestae.errors import GestaeError, first_line
from gestae.model import Article, IngestError
from gestae.transaction import WRITE_FAILED, registered, transaction, write_failure

# Only per-article tables have a primary key (here `articles`). DuckDB keeps a key's index (ART) in
# memory, and one on each actor, event and quote row took about 2 MiB per 1,000 articles.
# An article's rows are written once, with it, in one transaction, so they need no key to stay unique.
SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id VARCHAR PRIMARY KEY,
    source_path VARCHAR, source_format VARCHAR, source_id VARCHAR, url VARCHAR,
    outlet VARCHAR, title VARCHAR, authors VARCHAR[], published VARCHAR, published_at TIMESTAMPTZ,
    language VARCHAR, text VARCHAR, issues VARCHAR[],
    num_events INTEGER, num_actors INTEGER, num_quotes INTEGER,
    json JSON, ingested_at TIMESTAMPTZ DEFAULT current_timestamp
);
CREATE TABLE IF NOT EXISTS actors (
    article_id VARCHAR, actor_id VARCHAR, name VARCHAR, country VARCHAR, sector VARCHAR, role VARCHAR,
    kind VARCHAR, mentions JSON
);
CREATE TABLE IF NOT EXISTS events (
    article_id VARCHAR, event_id VARCHAR, type VARCHAR, mode VARCHAR, context VARCHAR[],
    actors VARCHAR[], recipients VARCHAR[], reciprocal BOOLEAN,
    date DATE, date_precision VARCHAR, date_text VARCHAR,
    location_name VARCHAR, location_country VARCHAR, lat DOUBLE, lon DOUBLE,
    negated BOOLEAN, hypothetical BOOLEAN, cameo VARCHAR, quad_class VARCHAR, score DOUBLE,
    trigger VARCHAR, sentence VARCHAR, span_start INTEGER, span_end INTEGER, confidence DOUBLE,
    reported_by VARCHAR, planned_date DATE,
    -- country and name of actors[i], of recipients[i]: filters and listings read them without a join
    actor_countries VARCHAR[], recipient_countries VARCHAR[], actor_names VARCHAR[], recipient_names VARCHAR[]
);
CREATE TABLE IF NOT EXISTS quotes (
    article_id VARCHAR, quote_no INTEGER, text VARCHAR, speaker VARCHAR, span_start INTEGER,
    span_end INTEGER, direct BOOLEAN
);
CREATE TABLE IF NOT EXISTS places (
    article_id VARCHAR, name VARCHAR, country VARCHAR, lat DOUBLE, lon DOUBLE, mentions JSON
);
CREATE TABLE IF NOT EXISTS ingest_errors (
    path VARCHAR, line INTEGER, source_id VARCHAR, message VARCHAR,
    logged_at TIMESTAMPTZ DEFAULT current_timestamp, id VARCHAR
);
CREATE OR REPLACE VIEW event_view AS
WITH parties AS (
    SELECT article_id, event_id, 'actor' AS role, i AS pos, actors[i] AS actor_id
    FROM (SELECT article_id, event_id, actors, generate_subscripts(actors, 1) AS i FROM events)
    UNION ALL
    SELECT article_id, event_id, 'recipient' AS role, i AS pos, recipients[i] AS actor_id
    FROM (SELECT article_id, event_id, recipients, generate_subscripts(recipients, 1) AS i FROM events)
), named AS (
    SELECT p.article_id, p.event_id,
           list(a.name ORDER BY p.pos) FILTER (WHERE p.role = 'actor') AS actor_names,
           list(a.country ORDER BY p.pos) FILTER (WHERE p.role = 'actor') AS actor_countries,
           list(a.sector ORDER BY p.pos) FILTER (WHERE p.role = 'actor') AS actor_sectors,
           list(a.name ORDER BY p.pos) FILTER (WHERE p.role = 'recipient') AS recipient_names,
           list(a.country ORDER BY p.pos) FILTER (WHERE p.role = 'recipient') AS recipient_countries,
           list(a.sector ORDER BY p.pos) FILTER (WHERE p.role = 'recipient') AS recipient_sectors
    FROM parties p JOIN actors a ON a.article_id = p.article_id AND a.actor_id = p.actor_id
    GROUP BY p.article_id, p.event_id
)
SELECT e.article_id, e.event_id, e.date, e.date_precision, e.planned_date, e.type, e.mode, e.cameo, e.quad_class, e.score,
       n.actor_names, n.actor_countries, n.actor_sectors,
       n.recipient_names, n.recipient_countries, n.recipient_sectors,
       e.reciprocal, e.negated, e.hypothetical, e.context,
       e.location_name, e.location_country, e.lat, e.lon,
       e.trigger, e.sentence, e.span_start, e.span_end, e.confidence,
       ar.outlet, ar.title, ar.url, ar.published
FROM events e
JOIN articles ar ON ar.id = e.article_id
LEFT JOIN named n ON n.article_id = e.article_id AND n.event_id = e.event_id;
"""

# An error row is keyed like an article, by what it is about (path, line, record id, problem), and
# stored once: rerunning an ingest reports the same problems again but does not add rows.
ERROR_KEY = ("left(md5(concat_ws(chr(31), path, coalesce(CAST(line AS VARCHAR), ''), coalesce(source_id, ''), "
             "message)), 16)")

TABLES = ("articles", "actors", "events", "quotes", "places", "ingest_errors", "event_view") + dedup.TABLES


# Columns stored with another type than the Arrow value they come from.
_CASTS = {
    ("articles", "published_at"): "TRY_CAST(published_at AS TIMESTAMPTZ)",
    ("articles", "json"): "json::JSON",
    ("actors", "mentions"): "mentions::JSON",
    ("places", "mentions"): "mentions::JSON",
    ("events", "date"): "TRY_CAST(date AS DATE)",
    ("events", "planned_date"): "TRY_CAST(planned_date AS DATE)",
}


def _rows_by_table(articles: list[Article]) -> dict[str, dict[str, list]]:
    """Column lists for every table, over a batch of articles."""
    tables: dict[str, dict[str, list]] = {name: {} for name in ("articles", "actors", "events", "quotes", "places")}

    def add(table: str, **values) -> None:
        columns = tables[table]
        for key, value in values.items():
            columns.setdefault(key, []).append(value)

    for a in articles:
        add("articles", id=a.id, source_path=a.source.path, source_format=a.source.format, source_id=a.source.id,
            url=a.source.url, outlet=a.outlet, title=a.title, authors=list(a.authors), published=a.published,
            published_at=a.published, language=a.language, text=a.text, issues=list(a.issues),
            num_events=len(a.events), num_actors=len(a.actors), num_quotes=len(a.quotes),
            json=json.dumps(a.to_dict(), ensure_ascii=False))
        for x in a.actors:
            add("actors", article_id=a.id, actor_id=x.id, name=x.name, country=x.country, sector=x.sector,
                role=x.role, kind=x.kind, mentions=json.dumps(x.mentions))
        countries = {x.id: x.country or "" for x in a.actors}
        names = {x.id: x.name for x in a.actors}
        for e in a.events:
            where = e.location
            add("events", article_id=a.id, event_id=e.id, type=e.type, mode=e.mode, context=list(e.context),
                actors=list(e.actors), recipients=list(e.recipients), reciprocal=e.reciprocal, date=e.date,
                date_precision=e.date_precision, date_text=e.date_text,
                location_name=where.name if where else None, location_country=where.country if where else None,
                lat=where.lat if where else None, lon=where.lon if where else None, negated=e.negated,
                hypothetical=e.hypothetical, cameo=e.cameo, quad_class=e.quad_class, score=e.score,
                trigger=e.trigger, sentence=e.sentence, span_start=e.span[0], span_end=e.span[1],
                confidence=e.confidence, reported_by=e.reported_by,
                planned_date=e.planned["date"] if e.planned else None,
                actor_countries=[countries.get(i, "") for i in e.actors],
                recipient_countries=[countries.get(i, "") for i in e.recipients],
                actor_names=[names.get(i, i) for i in e.actors], recipient_names=[names.get(i, i) for i in e.recipients])
        for n, q in enumerate(a.quotes, 1):
            add("quotes", article_id=a.id, quote_no=n, text=q.text, speaker=q.speaker, span_start=q.span[0],
                span_end=q.span[1], direct=q.direct)
        for p in a.places:
            add("places", article_id=a.id, name=p.name, country=p.country, lat=p.lat, lon=p.lon,
                mentions=json.dumps(p.mentions))
    return tables


def _storable(text: Optional[str]) -> Optional[str]:
    """Text DuckDB accepts: a lone surrogate (from a broken input) written as its escape."""
    return None if text is None else text.encode("utf-8", "backslashreplace").decode("utf-8")


def _warnings_of(articles: list[Article]) -> list[IngestError]:
    """Stage and reader warnings on articles, as error rows (stored with the article)."""
    return [IngestError(a.source, warning) for a in articles for warning in a.warnings]


# Columns added after the first release, with the SQL that fills them in an older database file.
# events.actor_countries/recipient_countries/actor_names/recipient_names: the parties on the event's own
# row, so that country and dyad filters and event listings (gestae.queries) are one scan of `events`.
UPGRADES = {
    ("events", "actor_names"): """
        ALTER TABLE events ADD COLUMN IF NOT EXISTS actor_countries VARCHAR[];
        ALTER TABLE events ADD COLUMN IF NOT EXISTS recipient_countries VARCHAR[];
        ALTER TABLE events ADD COLUMN IF NOT EXISTS actor_names VARCHAR[];
        ALTER TABLE events ADD COLUMN IF NOT EXISTS recipient_names VARCHAR[];
        UPDATE events e SET actor_countries = c.actor_countries, recipient_countries = c.recipient_countries,
                            actor_names = c.actor_names, recipient_names = c.recipient_names
        FROM (SELECT p.article_id, p.event_id,
                     coalesce(list(coalesce(a.country, '') ORDER BY p.i) FILTER (WHERE p.side = 'a'), []) AS actor_countries,
                     coalesce(list(coalesce(a.country, '') ORDER BY p.i) FILTER (WHERE p.side = 'r'), []) AS recipient_countries,
                     coalesce(list(coalesce(a.name, p.actor_id) ORDER BY p.i) FILTER (WHERE p.side = 'a'), []) AS actor_names,
                     coalesce(list(coalesce(a.name, p.actor_id) ORDER BY p.i) FILTER (WHERE p.side = 'r'), []) AS recipient_names
              FROM (SELECT article_id, event_id, 'a' AS side, i, actors[i] AS actor_id
                    FROM (SELECT *, generate_subscripts(actors, 1) AS i FROM events)
                    UNION ALL
                    SELECT article_id, event_id, 'r', i, recipients[i]
                    FROM (SELECT *, generate_subscripts(recipients, 1) AS i FROM events)) p
              LEFT JOIN actors a ON a.article_id = p.article_id AND a.actor_id = p.actor_id
              GROUP BY p.article_id, p.event_id) c
        WHERE c.article_id = e.article_id AND c.event_id = e.event_id;
        UPDATE events SET actor_countries = coalesce(actor_countries, []),
                          recipient_countries = coalesce(recipient_countries, []),
                          actor_names = coalesce(actor_names, []), recipient_names = coalesce(recipient_names, [])
        WHERE actor_names IS NULL OR recipient_names IS NULL;
    """,
    # ingest_errors.id: files made before error rows had keys get them, and keep one row per key.
    ("ingest_errors", "id"): f"""
        ALTER TABLE ingest_errors ADD COLUMN IF NOT EXISTS id VARCHAR;
        UPDATE ingest_errors SET id = {ERROR_KEY} WHERE id IS NULL;
        DELETE FROM ingest_errors WHERE rowid NOT IN (SELECT min(rowid) FROM ingest_errors GROUP BY id);
    """,
}


def _missing_upgrades(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The UPGRADES steps a file still needs (its table exists, the column does not)."""
    present = set(con.execute("SELECT table_name, column_name FROM information_schema.columns").fetchall())
    tables = {t for t, _ in present}
    return [sql for (t, c), sql in UPGRADES.items() if t in tables and (t, c) not in present]


def needs_upgrade(con: duckdb.DuckDBPyConnection) -> bool:
    """True for a file written by an older gestae."""
    return bool(_missing_upgrades(con))


def open_for_reading(path: Union[str, Path]) -> "Store":
    """A read-only Store, after the one-time upgrade of an older file (which needs a moment of writing)."""
    store = Store(path, read_only=True)
    if needs_upgrade(store.con):
        store.close()
        Store(path).close()
        store = Store(path, read_only=True)
    return store


def upgrade(con: duckdb.DuckDBPyConnection) -> None:
    """Bring an older database file's tables up to SCHEMA (each step once, in one transaction)."""
    for sql in _missing_upgrades(con):
        with transaction(con):
            con.execute(sql)


# DuckDB's buffer may otherwise grow to 80% of RAM with the database, so a year of news would need
# more memory than a day; beyond this it spills to `<db>.tmp`. 256 MB suffices for ingesting a
# 30,000-article replicated corpus and its refresh; `gestae dedup` on it completes within 160 MB.
DB_MEMORY_DEFAULT = "256MB"


def db_memory() -> str:
    """DuckDB's memory limit: $GESTAE_DB_MEMORY (e.g. 1GB) or DB_MEMORY_DEFAULT."""
    return os.environ.get("GESTAE_DB_MEMORY", "").strip() or DB_MEMORY_DEFAULT


def _limit_memory(con: duckdb.DuckDBPyConnection) -> None:
    limit = db_memory()
    try:
        con.execute("SET memory_limit = ?", [limit])
    except duckdb.Error:
        con.close()
        raise GestaeError(f"GESTAE_DB_MEMORY={limit!r}: not a memory size (e.g. 256MB, 2GB)") from None


_LOCK_HOLDER = re.compile(r"Conflicting lock is held in .*?\(PID (\d+)\)")


def open_error(path: str, exc: Exception, read_only: bool) -> str:
    """One line for a database that cannot be opened. DuckDB lets one process write a file, or several
    read it, never both: a file in use by another process is said so, with that process's PID."""
    message = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
    holder = _LOCK_HOLDER.search(message)
    if not holder:
        return f"{path}: cannot open database ({message})"
    if read_only:
        return (f"{path}: another process (PID {holder.group(1)}, e.g. 'gestae ingest') is writing this database; "
                f"DuckDB allows no reader meanwhile: wait until it ends, or use a copy of the file")
    return (f"{path}: the database is in use by another process (PID {holder.group(1)}, e.g. 'gestae serve' "
            f"or another ingest); DuckDB allows one writing process and no readers meanwhile: stop it, "
            f"or use another --db file")


CONTENT_ID = "[0-9a-f]{16}"  # the ids gestae.clean.content_id makes
_CONTENT_ID = re.compile(CONTENT_ID)


class StoredIds:
    """The ids a database holds, which workers check before parsing an article. Content ids (16 hex
    digits) are kept as sorted 64-bit numbers: 8 bytes each where a str in a set costs ~100, so a year
    of news (36 million articles) takes 290 MB, which forked workers share. Other ids (an input's own
    "id" field) are kept as strings."""

    def __init__(self, numbers: np.ndarray = np.empty(0, np.uint64), others: frozenset[str] = frozenset()):
        self.numbers = np.unique(np.asarray(numbers, dtype=np.uint64))
        self.others = others

    def __len__(self) -> int:
        return len(self.numbers) + len(self.others)

    def __iter__(self) -> Iterator[str]:
        yield from (f"{n:016x}" for n in self.numbers.tolist())
        yield from self.others

    def intersection(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        found = {i for i in ids if i in self.others}
        hexes = [i for i in ids if _CONTENT_ID.fullmatch(i)]
        if hexes and len(self.numbers):
            wanted = np.array([int(h, 16) for h in hexes], dtype=np.uint64)
            at = np.minimum(np.searchsorted(self.numbers, wanted), len(self.numbers) - 1)
            found.update(h for h, hit in zip(hexes, (self.numbers[at] == wanted).tolist()) if hit)
        return found


class Store:
    """A DuckDB database file (created on first use)."""

    def __init__(self, path: Union[str, Path], read_only: bool = False):
        self.path = str(path)
        self.read_only = read_only
        self._connect()

    def _connect(self) -> None:
        path, read_only = self.path, self.read_only
        try:
            if read_only and not Path(path).exists():
                raise GestaeError(f"{path}: no such database (run 'gestae ingest' first)")
            self.con = duckdb.connect(path, read_only=read_only)
            _limit_memory(self.con)
            if not read_only:
                upgrade(self.con)
                self.con.execute(SCHEMA)
                dedup.ensure_schema(self.con)
        except duckdb.Error as exc:
            raise GestaeError(open_error(path, exc, read_only)) from None

    def reconnect(self) -> None:
        """Close the database and open it again. A long run of small inserts leaves table blocks and
        index nodes in DuckDB's memory that a checkpoint does not release (36 MiB after ingesting
        5,000 articles) and that count against the cap; a fresh instance starts from none."""
        self.close()
        self._connect()

    def close(self) -> None:
        try:
            self.con.close()
        except duckdb.Error:
            pass  # a failed write already stopped the run; the file keeps its last commit

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def all_ids(self) -> "StoredIds":
        """Every stored article id, compactly (see StoredIds)."""
        with transaction(self.con):  # (a Ctrl-C during the query is then a KeyboardInterrupt)
            numbers = self.con.execute(f"SELECT ('0x' || id)::UBIGINT AS n FROM articles "
                                       f"WHERE regexp_full_match(id, '{CONTENT_ID}')").fetchnumpy()["n"]
            others = self.con.execute(f"SELECT id FROM articles WHERE NOT regexp_full_match(id, '{CONTENT_ID}')")
            return StoredIds(numbers, frozenset(row[0] for row in others.fetchall()))

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        if not ids:
            return set()
        rows = self.con.execute("SELECT id FROM articles WHERE id IN (SELECT unnest(?))", [ids]).fetchall()
        return {row[0] for row in rows}

    def add_article(self, article: Article) -> bool:
        """Store one article with all its rows; False when it was already stored."""
        return self.add_articles([article]) == [True]

    def add_articles(self, articles: list[Article]) -> list[bool]:
        """Store a batch of articles with all their rows in one transaction (all or none: a crash never
        leaves half an article); for each, False when it was already stored (or earlier in the batch).

        Rows go in as Arrow tables, one INSERT per table and batch: row-by-row inserts cost DuckDB
        a statement each, which dominated ingest time."""
        with transaction(self.con):
            flags, fresh = self._fresh(articles)
            self._insert_articles(fresh)
        return flags

    def add_batch(self, articles: list[Article], errors: Iterable[IngestError] = ()) -> list[Union[bool, IngestError]]:
        """Store articles, the warnings found on them and other errors, in one transaction.

        For each article: True when stored, False when it was already there, or the `IngestError`
        saying why it could not be stored (a value DuckDB refuses costs that article, not the batch:
        the batch is then stored article by article). A failure to write the database at all (a
        full disk) raises `GestaeError`; what was committed before stays."""
        try:
            with transaction(self.con):
                flags, fresh = self._fresh(articles)
                self._insert_articles(fresh)
                self._insert_errors(list(errors) + _warnings_of(articles))
            return list(flags)
        except Exception as exc:
            self._raise_if_unwritable(exc)
        with transaction(self.con):
            flags, fresh = self._fresh(articles)
        refused = {}
        for article in fresh:
            try:
                with transaction(self.con):
                    self._insert_articles([article])
                    self._insert_errors(_warnings_of([article]))
            except Exception as exc:
                self._raise_if_unwritable(exc)
                refused[id(article)] = IngestError(article.source, f"cannot store article "
                                                                   f"({exc.__class__.__name__}: {first_line(exc)})")
        copies = [a for a, new in zip(articles, flags) if not new]
        try:
            with transaction(self.con):
                self._insert_errors(list(errors) + _warnings_of(copies) + list(refused.values()))
        except Exception as exc:
            self._raise_if_unwritable(exc)
            raise
        return [refused.get(id(a), flag) if flag else flag for a, flag in zip(articles, flags)]

    def _raise_if_unwritable(self, exc: BaseException) -> None:
        problem = write_failure(exc)
        if problem is not None:
            raise GestaeError(f"{self.path}: " + WRITE_FAILED.format(problem=problem)) from None

    def _fresh(self, articles: list[Article]) -> tuple[list[bool], list[Article]]:
        """Whether each article is new (not stored, not earlier in the list), and the new ones."""
        known = self.existing_ids(a.id for a in articles)
        fresh: list[Article] = []
        flags = []
        for article in articles:
            new = article.id not in known
            flags.append(new)
            if new:
                known.add(article.id)
                fresh.append(article)
        return flags, fresh

    def _insert_articles(self, articles: list[Article]) -> None:
        for table, rows in _rows_by_table(articles).items():
            if rows:
                self._insert_rows(table, rows)

    def _insert_rows(self, table: str, rows: dict[str, list]) -> None:
        import pyarrow as pa

        batch = pa.table(rows)
        with registered(self.con, "_gestae_batch", batch):
            columns = ", ".join(rows)
            values = ", ".join(_CASTS.get((table, c), c) for c in rows)
            self.con.execute(f"INSERT INTO {table} ({columns}) SELECT {values} FROM _gestae_batch")

    def add_error(self, error: IngestError) -> None:
        """Store one error (once: an error already stored is not added again)."""
        with transaction(self.con):
            self._insert_errors([error])

    def _insert_errors(self, errors: list[IngestError]) -> None:
        import pyarrow as pa

        if not errors:
            return
        batch = pa.table({"path": pa.array([_storable(e.source.path) for e in errors], pa.string()),
                          "line": pa.array([e.source.line for e in errors], pa.int32()),
                          "source_id": pa.array([_storable(e.source.id) for e in errors], pa.string()),
                          "message": pa.array([_storable(e.message) for e in errors], pa.string())})
        with registered(self.con, "_gestae_errors", batch):
            self.con.execute(f"""
                INSERT INTO ingest_errors (path, line, source_id, message, id)
                SELECT path, line, source_id, message, key FROM (
                    SELECT *, {ERROR_KEY} AS key, row_number() OVER (PARTITION BY {ERROR_KEY}) AS n
                    FROM _gestae_errors)
                WHERE n = 1 AND key NOT IN (SELECT id FROM ingest_errors WHERE id IS NOT NULL)""")

    def article_json(self, article_id: str) -> Optional[dict]:
        """The stored article JSON; a unique id prefix is enough."""
        rows = self.con.execute("SELECT json FROM articles WHERE id LIKE ? || '%' LIMIT 2", [article_id]).fetchall()
        if len(rows) != 1:
            return None
        return json.loads(rows[0][0])

    def iter_article_json(self) -> Iterator[str]:
        cursor = self.con.execute("SELECT json FROM articles ORDER BY ingested_at, id")
        while batch := cursor.fetchmany(500):
            for (text,) in batch:
                yield text

    def counts(self) -> dict[str, int]:
        return {table: self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("articles", "actors", "events", "quotes", "places", "ingest_errors")}

    def export_table(self, table: str, out: str, fmt: str) -> None:
        """Write a table or view to CSV or Parquet with DuckDB's own writer."""
        if table not in TABLES:
            raise GestaeError(f"unknown table '{table}' (choose from {', '.join(TABLES)})")
        option = "FORMAT CSV, HEADER" if fmt == "csv" else "FORMAT PARQUET"
        target = out.replace("'", "''")
        try:
            self.con.execute(f"COPY (SELECT * FROM {table}) TO '{target}' ({option})")
        except duckdb.Error as exc:
            raise GestaeError(f"{out}: cannot write {fmt} ({str(exc).splitlines()[0]})") from None
