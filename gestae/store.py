"""The embedded DuckDB store: one database file holds articles, actors, events, quotes, places and errors.

Articles are keyed by their content hash, so ingesting the same article twice stores it once. Each
article is written with all its rows in one transaction: a crash never leaves half an article. The
full article JSON is kept too (`articles.json`), so `show` and JSONL export give back exactly what
`extract` printed. Views (`event_view`) flatten events with their actors for analysis and export.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Iterator, Optional, Union

import duckdb

from gestae import dedup
from gestae.errors import GestaeError
from gestae.model import Article, IngestError

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
    kind VARCHAR, mentions JSON, PRIMARY KEY (article_id, actor_id)
);
CREATE TABLE IF NOT EXISTS events (
    article_id VARCHAR, event_id VARCHAR, type VARCHAR, mode VARCHAR, context VARCHAR[],
    actors VARCHAR[], recipients VARCHAR[], reciprocal BOOLEAN,
    date DATE, date_precision VARCHAR, date_text VARCHAR,
    location_name VARCHAR, location_country VARCHAR, lat DOUBLE, lon DOUBLE,
    negated BOOLEAN, hypothetical BOOLEAN, cameo VARCHAR, quad_class VARCHAR, score DOUBLE,
    trigger VARCHAR, sentence VARCHAR, span_start INTEGER, span_end INTEGER, confidence DOUBLE,
    reported_by VARCHAR, planned_date DATE, PRIMARY KEY (article_id, event_id)
);
CREATE TABLE IF NOT EXISTS quotes (
    article_id VARCHAR, quote_no INTEGER, text VARCHAR, speaker VARCHAR, span_start INTEGER,
    span_end INTEGER, direct BOOLEAN, PRIMARY KEY (article_id, quote_no)
);
CREATE TABLE IF NOT EXISTS places (
    article_id VARCHAR, name VARCHAR, country VARCHAR, lat DOUBLE, lon DOUBLE, mentions JSON
);
CREATE TABLE IF NOT EXISTS ingest_errors (
    path VARCHAR, line INTEGER, source_id VARCHAR, message VARCHAR,
    logged_at TIMESTAMPTZ DEFAULT current_timestamp
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

TABLES = ("articles", "actors", "events", "quotes", "places", "ingest_errors", "event_view") + dedup.TABLES


class Store:
    """A DuckDB database file (created on first use)."""

    def __init__(self, path: Union[str, Path], read_only: bool = False):
        self.path = str(path)
        try:
            if read_only and not Path(self.path).exists():
                raise GestaeError(f"{self.path}: no such database (run 'gestae ingest' first)")
            self.con = duckdb.connect(self.path, read_only=read_only)
            if not read_only:
                self.con.execute(SCHEMA)
                dedup.ensure_schema(self.con)
        except duckdb.Error as exc:
            raise GestaeError(f"{self.path}: cannot open database ({str(exc).splitlines()[0]})") from None

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def has_article(self, article_id: str) -> bool:
        return self.con.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone() is not None

    def all_ids(self) -> frozenset[str]:
        """Every stored article id (16 hex characters each: a million fit in well under 100 MB)."""
        return frozenset(row[0] for row in self.con.execute("SELECT id FROM articles").fetchall())

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        if not ids:
            return set()
        rows = self.con.execute("SELECT id FROM articles WHERE id IN (SELECT unnest(?))", [ids]).fetchall()
        return {row[0] for row in rows}

    def add_article(self, article: Article) -> bool:
        """Store one article with all its rows in one transaction; False when it was already stored."""
        if self.has_article(article.id):
            return False
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            self._insert(article)
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        return True

    def _insert(self, a: Article) -> None:
        con = self.con
        doc = a.to_dict()
        con.execute(
            "INSERT INTO articles (id, source_path, source_format, source_id, url, outlet, title, authors, "
            "published, published_at, language, text, issues, num_events, num_actors, num_quotes, json) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, TRY_CAST(? AS TIMESTAMPTZ), ?, ?, ?, ?, ?, ?, ?)",
            [a.id, a.source.path, a.source.format, a.source.id, a.source.url, a.outlet, a.title, a.authors,
             a.published, a.published, a.language, a.text, a.issues, len(a.events), len(a.actors),
             len(a.quotes), json.dumps(doc, ensure_ascii=False)])
        if a.actors:
            con.executemany("INSERT INTO actors VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
                [a.id, x.id, x.name, x.country, x.sector, x.role, x.kind, json.dumps(x.mentions)]
                for x in a.actors])
        if a.events:
            con.executemany(
                "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, TRY_CAST(? AS DATE), ?, ?, ?, ?, ?, ?, ?, ?, "
                "?, ?, ?, ?, ?, ?, ?, ?, ?, TRY_CAST(? AS DATE))", [
                    [a.id, e.id, e.type, e.mode, e.context, e.actors, e.recipients, e.reciprocal,
                     e.date, e.date_precision, e.date_text,
                     e.location.name if e.location else None, e.location.country if e.location else None,
                     e.location.lat if e.location else None, e.location.lon if e.location else None,
                     e.negated, e.hypothetical, e.cameo, e.quad_class, e.score, e.trigger, e.sentence,
                     e.span[0], e.span[1], e.confidence, e.reported_by,
                     e.planned["date"] if e.planned else None] for e in a.events])
        if a.quotes:
            con.executemany("INSERT INTO quotes VALUES (?, ?, ?, ?, ?, ?, ?)", [
                [a.id, n, q.text, q.speaker, q.span[0], q.span[1], q.direct] for n, q in enumerate(a.quotes, 1)])
        if a.places:
            con.executemany("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?)", [
                [a.id, p.name, p.country, p.lat, p.lon, json.dumps(p.mentions)] for p in a.places])

    def add_error(self, error: IngestError) -> None:
        self.con.execute("INSERT INTO ingest_errors (path, line, source_id, message) VALUES (?, ?, ?, ?)",
                         [error.source.path, error.source.line, error.source.id, error.message])

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
