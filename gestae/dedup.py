"""Duplicate stories and cross-article event deduplication, inside the DuckDB store.

A day (or a year) of world news carries the same story many times over: a wire report reprinted by
several outlets, an update with a changed headline or paragraph. Counts must mean events, not copies,
so after an ingest two things are derived from the stored articles:

1. **Story groups** (`story_groups`). Every article's cleaned text is cut into word 5-gram shingles
   (lower-cased words, punctuation dropped; digits kept, so daily templated reports with new figures
   stay apart) and signed with a 128-permutation MinHash (datasketch's "affine32" scheme; the values
   are exactly those of `MinHash.update_batch`, computed into a reused buffer: ~0.3-0.6 ms for a
   700-word article). Signatures are computed once per article and kept (`article_signatures`), with
   their LSH band buckets (`article_bands`, 9 bands x 13 rows, datasketch's optimum for 0.8); a
   refresh signs only articles that have no signature yet and finds candidate pairs with one DuckDB
   join on the new articles' buckets. Candidates whose estimated Jaccard similarity is >=
   `STORY_THRESHOLD` are near-duplicates; the connected components of that graph are the story
   groups. A refresh starts a union-find from the stored groups its new articles link to and
   rewrites only those groups' rows: the pairs are never stored (a story reprinted n times makes
   n^2/2 of them), so memory follows the new articles, not the corpus. `max_similarity` keeps each
   article's highest Jaccard with any other. `group_id` is the member published first (ties and
   unknown dates: the smallest id), so later copies never rename a group. Every member keeps its
   row: a group keeps all its sources.

   Threshold 0.8: with word 5-grams, independently written articles about the same event share
   almost no shingles (Jaccard < 0.1), while a reprint under a new headline keeps 1.0 (headlines are
   not shingled), one rewritten paragraph in twelve leaves ~0.85, a new dateline or byline barely
   moves it, and a copy trimmed by a quarter falls to ~0.75. 0.8 thus groups reprints and light
   updates and keeps heavy rewrites apart: a missed copy costs one extra count in `num_stories`,
   a false merge would lose a story. Chains of updates (v1~v2~v3) form one group even when v1 and v3
   differ more, which is what a story's version history is. Another threshold can be passed; stored
   bands and groups are then rebuilt from the kept signatures (no re-signing).

2. **Event clusters** (`event_clusters`, `event_cluster_members`). Events reported by several
   articles merge when they have the same PLOVER type, the same set of actor keys and of recipient
   keys (an actor's key is its ISO3 country, or its name when it has no country or is an IGO, since
   "UN" and "NATO" are different parties), the same place (lower-cased location name and country, or
   both unknown), the same polarity (negated and hypothetical events never merge with real ones) and
   dates within `DATE_WINDOW_DAYS`. A reciprocal event ("A and B met") lists all its parties as
   actors (recipients empty), however an article ordered them.
   Dating rule, which keeps chains from growing: within one key, dates are taken in order and the
   earliest opens a cluster *anchored* on it; a date joins the open cluster when it is at most one
   day after the anchor, otherwise it opens a new cluster anchored on itself. Mon-Tue-Wed therefore
   gives {Mon, Tue} and {Wed}, never one three-day cluster. A "publication" or "reported" date counts as a day;
   week, month and year dates merge only with the same precision and date; undated events are never
   merged. `cluster_id` is a hash of the key and the anchor date: stable while the anchor stays the
   earliest report.
   Counts: `num_reports` = coded events, `num_articles` = distinct reporting articles,
   `num_stories` = distinct story groups among them (reprints count once), `num_sources` = distinct
   outlets (an article without an outlet counts by its URL host, else as its own source).
   Incremental: each event's merge key is computed once (`event_dedup_keys`); a refresh rebuilds only
   the clusters of keys that gained a report or whose reports changed story group.

Entry points: `ensure_schema(con)`, `refresh_story_groups(con)`, `refresh_event_clusters(con)` and
`refresh(con)` (both, in that order); each takes a `gestae.store.Store` or a duckdb connection, is
idempotent, works on an empty database and runs in one transaction (`refresh` too, both parts in one):
a crash mid-refresh leaves the previous state, which the next refresh brings up to date.
`TABLES` lists the public tables.
"""
from __future__ import annotations

import hashlib
import string
import time
import zlib
from functools import lru_cache
from typing import Any, Iterable, Iterator, Union

import duckdb
import numpy as np
import pyarrow as pa
from datasketch import MinHash, MinHashLSH
from datasketch.minhash import _fmix

from gestae.transaction import registered, transaction

NUM_PERM = 128
SHINGLE_WORDS = 5
STORY_THRESHOLD = 0.8
DATE_WINDOW_DAYS = 1
MINHASH_SEED = 1
SIGN_BATCH = 2000
PAIR_CHUNK = 20_000   # candidate pairs verified at a time (each carries two 512-byte signatures)
REPORT_CHUNK = 20_000  # event reports aggregated into cluster rows at a time
KEY_CHUNK = 2_000  # articles whose new events are keyed at a time
# Names the shingling rule: stored signatures made under another rule are recomputed.
SHINGLING = "word5/bytes-split/crc32-polynomial/1"

# Word splitting on bytes (5x faster than a \w+ regex): ASCII punctuation and the common typographic
# marks become spaces; other non-ASCII bytes stay inside words ("café", "Zürich").
_ASCII_PUNCTUATION = bytes.maketrans(string.punctuation.encode(), b" " * len(string.punctuation))
_TYPOGRAPHIC_MARKS = tuple(mark.encode() for mark in "\u201c\u201d\u2018\u2019\u2014\u2013\u2026\u00ab\u00bb\u00a0")

_ROLL = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit multiplier combining word hashes into a 5-gram hash
_CHUNK = 4096
_buffer = np.empty((_CHUNK, NUM_PERM), dtype=np.uint32)  # reused: fresh 2 MB arrays cost page faults

SCHEMA = """
CREATE TABLE IF NOT EXISTS article_signatures (
    article_id VARCHAR PRIMARY KEY, num_shingles INTEGER, signature BLOB
);
CREATE TABLE IF NOT EXISTS article_bands (article_id VARCHAR, band UTINYINT, bucket UBIGINT);
DROP TABLE IF EXISTS story_pairs;  -- kept by earlier versions: it grew with the square of a story's copies
CREATE TABLE IF NOT EXISTS dedup_settings (name VARCHAR PRIMARY KEY, value VARCHAR);
"""

STORY_GROUPS_DDL = """
{verb} story_groups (
    article_id VARCHAR PRIMARY KEY, group_id VARCHAR NOT NULL, group_size INTEGER,
    is_first BOOLEAN, max_similarity DOUBLE
)"""

# Event-level rows (clusters, their members, merge keys) carry no primary key, like `events` itself
# (see store.SCHEMA): a key's index stays in DuckDB's memory. A refresh keys only events not keyed
# yet and deletes the clusters and members it rewrites.
EVENT_CLUSTERS_DDL = """
{verb} event_clusters (
    cluster_id VARCHAR, type VARCHAR, date DATE, date_end DATE, date_precision VARCHAR,
    negated BOOLEAN, hypothetical BOOLEAN, actor_countries VARCHAR[], recipient_countries VARCHAR[],
    actor_names VARCHAR[], recipient_names VARCHAR[], location_name VARCHAR, location_country VARCHAR,
    num_reports INTEGER, num_articles INTEGER, num_stories INTEGER, num_sources INTEGER,
    first_published TIMESTAMPTZ, reports JSON
)"""

EVENT_MEMBERS_DDL = """
{verb} event_cluster_members (
    article_id VARCHAR, event_id VARCHAR, cluster_id VARCHAR,
    story_id VARCHAR  -- the article's story group when clustered (a change means a recount)
)"""

TABLES = ("story_groups", "event_clusters", "event_cluster_members")

Database = Union[duckdb.DuckDBPyConnection, Any]  # a connection or a gestae.store.Store


def _connection(db: Database) -> duckdb.DuckDBPyConnection:
    return getattr(db, "con", db)


def ensure_schema(db: Database) -> None:
    """Create the dedup tables if missing (safe to call on every open)."""
    con = _connection(db)
    con.execute(SCHEMA)
    for ddl in (STORY_GROUPS_DDL, EVENT_CLUSTERS_DDL, EVENT_MEMBERS_DDL):
        con.execute(ddl.format(verb="CREATE TABLE IF NOT EXISTS"))
    con.execute(EVENT_KEYS_DDL)


# ---------------------------------------------------------------------------------------------
# Signing


@lru_cache(maxsize=1)
def _template() -> MinHash:
    """One MinHash whose permutations every signature reuses (generating them costs ~1 ms)."""
    return MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED, hashfunc=int)


@lru_cache(maxsize=8)
def lsh_bands(threshold: float = STORY_THRESHOLD) -> tuple[int, int]:
    """(bands, rows per band) datasketch picks for this threshold and permutation count."""
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return lsh.b, lsh.r


def text_words(text: str) -> list[bytes]:
    """Lower-cased words of the text, punctuation dropped, as UTF-8 bytes."""
    data = text.lower().encode("utf-8", "replace")
    for mark in _TYPOGRAPHIC_MARKS:
        data = data.replace(mark, b" ")
    return data.translate(_ASCII_PUNCTUATION).split()


def shingle_hashes(text: str) -> np.ndarray:
    """32-bit hashes of the text's word 5-grams, in text order; a shorter text is one shingle.

    Each word is hashed once (CRC32) and a 5-gram's hash is a polynomial of its words' hashes,
    computed for all positions at once: ~5x cheaper than hashing every joined 5-gram string."""
    words = text_words(text)
    if not words:
        return np.empty(0, dtype=np.uint32)
    word_hashes = np.fromiter(map(zlib.crc32, words), np.uint64, len(words))
    k = min(SHINGLE_WORDS, len(words))
    n = len(words) - k + 1
    h = word_hashes[:n].copy()
    for i in range(1, k):
        h *= _ROLL
        h += word_hashes[i:i + n]
    # Repeated shingles are kept: they cannot change a minimum, and dropping them would cost a sort.
    return (h ^ (h >> np.uint64(32))).astype(np.uint32)



def minhash_values(hashes: np.ndarray) -> np.ndarray:
    """The hash values datasketch's `MinHash.update_batch` (affine32 scheme) gives for these input
    hashes, computed into a reused buffer: h -> fmix32(h) * a + b mod 2^32, minimum per permutation."""
    template = _template()
    a, b = template.permutations
    values = template.hashvalues.copy()  # all 2^32 - 1: the empty set
    mixed = _fmix(hashes.astype(np.uint32, copy=False), 32)
    for start in range(0, len(mixed), _CHUNK):
        chunk = mixed[start:start + _CHUNK]
        out = _buffer[:len(chunk)]
        np.multiply(chunk[:, None], a, out=out)
        np.add(out, b, out=out)
        np.minimum(values, out.min(axis=0), out=values)
    return values


def signature(text: str) -> tuple[np.ndarray, int]:
    """MinHash signature (uint32[NUM_PERM]) of the text's shingles, and how many shingles it had."""
    hashes = shingle_hashes(text)
    return minhash_values(hashes), len(hashes)


def as_minhash(values: np.ndarray) -> MinHash:
    """A stored signature as a datasketch MinHash (for ad-hoc use: jaccard, LSH queries)."""
    template = _template()
    return MinHash(hashvalues=values, permutations=template.permutations, scheme=template.scheme)


def band_buckets(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit bucket per (article, band): an FNV-style hash of the band's `rows` values."""
    values = signatures.astype(np.uint64)
    out = np.empty((values.shape[0], bands), dtype=np.uint64)
    prime = np.uint64(0x100000001B3)
    for band in range(bands):
        h = np.full(values.shape[0], 0xCBF29CE484222325, dtype=np.uint64)
        for column in range(band * rows, (band + 1) * rows):
            h ^= values[:, column]
            h *= prime  # wraps modulo 2^64, as intended
        out[:, band] = h
    return out


def estimated_jaccard(a: bytes, b: bytes) -> float:
    """Share of equal MinHash values: an unbiased estimate of the shingle sets' Jaccard similarity."""
    return float(np.count_nonzero(np.frombuffer(a, np.uint32) == np.frombuffer(b, np.uint32))) / NUM_PERM


# ---------------------------------------------------------------------------------------------
# Story groups


def _setting(con: duckdb.DuckDBPyConnection, name: str) -> str | None:
    row = con.execute("SELECT value FROM dedup_settings WHERE name = ?", [name]).fetchone()
    return row[0] if row else None


def _check_settings(con: duckdb.DuckDBPyConnection, threshold: float, bands: int, rows_per_band: int) -> bool:
    """Record the LSH settings; when they changed, rebuild every band (inside the caller's
    transaction).

    Returns True when every article must be compared again (settings changed)."""
    wanted = {"num_perm": str(NUM_PERM), "shingling": SHINGLING, "seed": str(MINHASH_SEED),
              "threshold": repr(threshold), "bands": str(bands), "rows": str(rows_per_band)}
    stored = {name: value for name, value in con.execute("SELECT name, value FROM dedup_settings").fetchall()
              if name in wanted}
    if stored == wanted:
        return False
    signing = ("num_perm", "shingling", "seed")
    if stored and any(stored.get(k) != wanted[k] for k in signing):
        con.execute("DELETE FROM article_signatures")  # incomparable: sign everything again
    con.execute("DELETE FROM article_bands")
    ids = [r[0] for r in con.execute("SELECT article_id FROM article_signatures WHERE num_shingles > 0 "
                                     "ORDER BY article_id").fetchall()]
    for start in range(0, len(ids), SIGN_BATCH):
        rows = con.execute("SELECT article_id, signature FROM article_signatures "
                           "WHERE article_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY article_id",
                           [ids[start:start + SIGN_BATCH]]).fetchall()
        _insert_bands(con, [r[0] for r in rows], [np.frombuffer(r[1], np.uint32) for r in rows], bands, rows_per_band)
    con.execute("DELETE FROM dedup_settings WHERE name IN (SELECT unnest(?::VARCHAR[]))", [list(wanted)])
    _insert_rows(con, "dedup_settings", {"name": pa.array(list(wanted), pa.string()),
                                         "value": pa.array(list(wanted.values()), pa.string())})
    return bool(stored)


def _insert_rows(con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, pa.Array]) -> None:
    """Bulk insert through Arrow (executemany costs milliseconds per row in DuckDB)."""
    with registered(con, "_dedup_rows", pa.table(columns)):
        con.execute(f"INSERT INTO {table} SELECT * FROM _dedup_rows")


def _insert_bands(con: duckdb.DuckDBPyConnection, ids: list[str], sigs: list[np.ndarray],
                  bands: int, rows: int) -> None:
    if not ids:
        return
    buckets = band_buckets(np.vstack(sigs), bands, rows)
    _insert_rows(con, "article_bands", {
        "article_id": pa.array(np.repeat(np.array(ids, dtype=object), bands), pa.string()),
        "band": pa.array(np.tile(np.arange(bands, dtype=np.uint8), len(ids))),
        "bucket": pa.array(buckets.reshape(-1))})


def _sign_new_articles(con: duckdb.DuckDBPyConnection, bands: int, rows: int) -> list[str]:
    """Sign every article that has no signature yet; returns their ids."""
    # Ids first, then texts batch by batch: a year of articles' texts never sits in memory at once.
    new_ids = [r[0] for r in con.execute(
        "SELECT a.id FROM articles a ANTI JOIN article_signatures s ON s.article_id = a.id ORDER BY a.id").fetchall()]
    for start in range(0, len(new_ids), SIGN_BATCH):
        batch = con.execute("SELECT id, text FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[])) ORDER BY id",
                            [new_ids[start:start + SIGN_BATCH]]).fetchall()
        ids, sigs, counts = [], [], []
        for article_id, text in batch:
            sig, count = signature(text or "")
            ids.append(article_id)
            sigs.append(sig)
            counts.append(count)
        _insert_rows(con, "article_signatures", {
            "article_id": pa.array(ids, pa.string()), "num_shingles": pa.array(counts, pa.int32()),
            "signature": pa.array([s.tobytes() for s in sigs], pa.binary())})
        # An empty text has no shingles: no bands, so it never groups with another empty text.
        banded = [(i, s) for i, s, c in zip(ids, sigs, counts) if c]
        _insert_bands(con, [i for i, _ in banded], [s for _, s in banded], bands, rows)
    return new_ids


def _verified_pairs(con: duckdb.DuckDBPyConnection, new_ids: list[str],
                    threshold: float) -> Iterator[tuple[list[tuple[str, str, float]], int]]:
    """The candidate pairs (a < b) sharing a band bucket with at least one new article, PAIR_CHUNK at
    a time: for each chunk, the pairs whose estimated Jaccard reaches `threshold` and the number of
    candidates read. Streamed, in no particular order (the groups do not depend on it), so memory
    holds one chunk of candidates, however many pairs a corpus of reprints makes. The caller must not
    query the connection while it reads (DuckDB would end this result)."""
    if not new_ids:
        return
    with registered(con, "_dedup_new", pa.table({"article_id": pa.array(new_ids, pa.string())})):
        cursor = con.execute("""
            WITH cand AS (
                SELECT DISTINCT least(n.article_id, o.article_id) AS a, greatest(n.article_id, o.article_id) AS b
                FROM article_bands n
                SEMI JOIN _dedup_new USING (article_id)
                JOIN article_bands o ON o.band = n.band AND o.bucket = n.bucket AND o.article_id <> n.article_id
            )
            SELECT c.a, c.b, sa.signature, sb.signature
            FROM cand c
            JOIN article_signatures sa ON sa.article_id = c.a
            JOIN article_signatures sb ON sb.article_id = c.b
        """)
        while chunk := cursor.fetchmany(PAIR_CHUNK):
            yield [(a, b, j) for a, b, sa, sb in chunk if (j := estimated_jaccard(sa, sb)) >= threshold], len(chunk)


class StoryForest:
    """Union-find over story groups: the near-duplicate pairs a refresh verifies link articles, and
    each linked article that is already stored is then linked to its stored group (whose id is an
    article too). Only the touched groups are read, never the corpus's pairs."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self.parent: dict[str, str] = {}
        self.similarity: dict[str, float] = {}  # article id -> highest Jaccard seen in this refresh
        self.stored_groups: set[str] = set()  # stored groups that a new pair touched

    def find(self, x: str) -> str:
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while self.parent.get(x, x) != root:  # path compression
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)
        self.parent.setdefault(min(ra, rb), min(ra, rb))  # every linked article is a key of `parent`

    def link(self, pairs: list[tuple[str, str, float]]) -> None:
        for a, b, jaccard in pairs:
            for article in (a, b):
                self.similarity[article] = max(jaccard, self.similarity.get(article, 0.0))
            self.union(a, b)

    def join_stored_groups(self) -> None:
        """Link every linked article to its stored group. Run after the pairs are read: a query on
        the connection would end the stream of candidates."""
        linked = list(self.parent)
        for start in range(0, len(linked), SIGN_BATCH):
            for article_id, group_id in self.con.execute(
                    "SELECT article_id, group_id FROM story_groups WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
                    [linked[start:start + SIGN_BATCH]]).fetchall():
                self.stored_groups.add(group_id)
                self.union(article_id, group_id)

    def regrouped(self, new_ids: list[str]) -> pa.Table:
        """(article_id, component, similarity) for every new article and every member of a touched
        stored group: the rows of `story_groups` this refresh rewrites."""
        members = {article_id: article_id for article_id in new_ids}  # article -> where it starts
        if self.stored_groups:
            members.update(self.con.execute(
                "SELECT article_id, group_id FROM story_groups WHERE group_id IN (SELECT unnest(?::VARCHAR[]))",
                [sorted(self.stored_groups)]).fetchall())
        return pa.table({"article_id": pa.array(list(members), pa.string()),
                         "component": pa.array([self.find(start) for start in members.values()], pa.string()),
                         "similarity": pa.array([self.similarity.get(i) for i in members], pa.float64())})


# A rewritten member keeps the highest similarity it had (pairs are not stored: they grow with the
# square of a story's copies) unless this refresh found a higher one.
STORY_GROUPS_SQL = """
CREATE OR REPLACE TEMP TABLE _dedup_regroup AS
WITH members AS (
    SELECT c.article_id, c.component, a.published_at,
           greatest(g.max_similarity, c.similarity) AS max_similarity
    FROM _dedup_components c
    JOIN articles a ON a.id = c.article_id
    LEFT JOIN story_groups g ON g.article_id = c.article_id
)
SELECT article_id,
       first_value(article_id) OVER (PARTITION BY component
                                     ORDER BY published_at NULLS LAST, article_id) AS group_id,
       count(*) OVER (PARTITION BY component) AS group_size,
       max_similarity
FROM members;
DELETE FROM story_groups WHERE article_id IN (SELECT article_id FROM _dedup_regroup);
INSERT INTO story_groups
SELECT article_id, group_id, group_size, article_id = group_id, max_similarity
FROM _dedup_regroup ORDER BY article_id;
DROP TABLE _dedup_regroup;
"""


def _rewrite_story_groups(con: duckdb.DuckDBPyConnection, forest: StoryForest, new_ids: list[str]) -> None:
    with registered(con, "_dedup_components", forest.regrouped(new_ids)):
        con.execute(STORY_GROUPS_SQL)


def _groups_stale(con: duckdb.DuckDBPyConnection) -> bool:
    """True when a signed article has no story group row, or a row or signature outlived its article
    (then every group is rebuilt from the kept signatures)."""
    return con.execute(
        "SELECT EXISTS (SELECT 1 FROM article_signatures s ANTI JOIN story_groups g ON g.article_id = s.article_id) "
        "OR EXISTS (SELECT 1 FROM story_groups g ANTI JOIN articles a ON a.id = g.article_id) "
        "OR EXISTS (SELECT 1 FROM article_signatures s ANTI JOIN articles a ON a.id = s.article_id)").fetchone()[0]


def _forget_removed_articles(con: duckdb.DuckDBPyConnection) -> None:
    for table in ("article_signatures", "article_bands"):
        con.execute(f"DELETE FROM {table} WHERE article_id NOT IN (SELECT id FROM articles)")


def _refresh_story_groups(con: duckdb.DuckDBPyConnection, threshold: float, full: bool) -> dict[str, Any]:
    """Sign new articles, verify their LSH candidates, rewrite the `story_groups` rows of the groups
    they join (in the caller's transaction); `full`: verify every article's candidates again."""
    started = time.perf_counter()
    bands, rows = lsh_bands(threshold)
    recompare_all = _check_settings(con, threshold, bands, rows) or full or _groups_stale(con)
    if recompare_all:
        _forget_removed_articles(con)
        con.execute("DELETE FROM story_groups")
    new_ids = _sign_new_articles(con, bands, rows)
    signed_at = time.perf_counter()
    compare_ids = new_ids
    if recompare_all:
        compare_ids = [r[0] for r in con.execute("SELECT article_id FROM article_signatures").fetchall()]
    forest, candidates, pairs = StoryForest(con), 0, 0
    for verified, read in _verified_pairs(con, compare_ids, threshold):
        forest.link(verified)
        candidates += read
        pairs += len(verified)
    forest.join_stored_groups()
    if compare_ids:
        _rewrite_story_groups(con, forest, compare_ids)
    articles, groups = con.execute("SELECT count(*), count(DISTINCT group_id) FROM story_groups").fetchone()
    return {"signed": len(new_ids), "compared": len(compare_ids), "candidates": candidates,
            "pairs": pairs, "articles": articles, "groups": groups,
            "duplicates": articles - groups, "sign_seconds": round(signed_at - started, 3),
            "seconds": round(time.perf_counter() - started, 3)}


def refresh_story_groups(db: Database, threshold: float = STORY_THRESHOLD, full: bool = False) -> dict[str, Any]:
    """Sign new articles, verify their LSH candidates, and rewrite `story_groups`, in one transaction
    (settings, signatures, bands, pairs and groups change together or not at all)."""
    con = _connection(db)
    ensure_schema(con)
    with transaction(con):
        return _refresh_story_groups(con, threshold, full)


# ---------------------------------------------------------------------------------------------
# Event clusters

# Bump when the merge rules change: stored keys are then recomputed and every cluster rebuilt.
EVENT_KEY_VERSION = "1"

EVENT_KEYS_DDL = """
CREATE TABLE IF NOT EXISTS event_dedup_keys (
    article_id VARCHAR, event_id VARCHAR, merge_key VARCHAR, date DATE, precision_class VARCHAR,
    type VARCHAR, negated BOOLEAN, hypothetical BOOLEAN, side_a VARCHAR[], side_b VARCHAR[],
    actor_names VARCHAR[], recipient_names VARCHAR[], location_name VARCHAR, location_country VARCHAR,
    span_start INTEGER, span_end INTEGER
)"""

# One row per event not keyed yet, with its merge key. An actor's key is its country, or its name
# when it has no country or is an IGO; each side is a sorted set; a reciprocal event has all its
# parties on the actor side. A "publication" or "reported" date (the day of the report that tells of the event) is compared like a day;
# week, month and year dates form their own precision class.
NEW_EVENT_KEYS_SQL = """
INSERT INTO event_dedup_keys
WITH fresh AS (
    SELECT e.* FROM events e ANTI JOIN event_dedup_keys k USING (article_id, event_id)
    WHERE e.article_id IN (SELECT unnest(?::VARCHAR[]))
), parties AS (
    SELECT article_id, event_id, 'actor' AS side, unnest(actors) AS actor_id FROM fresh
    UNION ALL
    SELECT article_id, event_id, 'recipient' AS side, unnest(recipients) AS actor_id FROM fresh
), keyed AS (
    SELECT p.article_id, p.event_id, p.side, a.name,
           CASE WHEN coalesce(a.country, '') IN ('', 'IGO') THEN trim(a.name) ELSE a.country END AS party
    FROM parties p JOIN actors a ON a.article_id = p.article_id AND a.actor_id = p.actor_id
), sides AS (
    SELECT article_id, event_id,
           list_sort(list_distinct(list(party) FILTER (WHERE side = 'actor'))) AS actor_keys,
           list_sort(list_distinct(list(party) FILTER (WHERE side = 'recipient'))) AS recipient_keys,
           list_sort(list_distinct(list(name) FILTER (WHERE side = 'actor'))) AS actor_names,
           list_sort(list_distinct(list(name) FILTER (WHERE side = 'recipient'))) AS recipient_names
    FROM keyed GROUP BY article_id, event_id
), base AS (
    SELECT e.article_id, e.event_id, e.type, e.date, coalesce(e.reciprocal, false) AS reciprocal,
           coalesce(e.negated, false) AS negated, coalesce(e.hypothetical, false) AS hypothetical,
           CASE WHEN coalesce(e.date_precision, '') IN ('day', 'reported', 'publication', '') THEN 'day'
                ELSE e.date_precision END AS precision_class,
           coalesce(s.actor_keys, []) AS actor_keys, coalesce(s.recipient_keys, []) AS recipient_keys,
           coalesce(s.actor_names, []) AS actor_names, coalesce(s.recipient_names, []) AS recipient_names,
           nullif(trim(e.location_name), '') AS location_name,
           nullif(trim(e.location_country), '') AS location_country,
           e.span_start, e.span_end
    FROM fresh e LEFT JOIN sides s USING (article_id, event_id)
), sided AS (
    -- "A and B met": both parties on one side, so every coding of a reciprocal event compares equal
    SELECT *, CASE WHEN reciprocal THEN list_sort(list_distinct(list_concat(actor_keys, recipient_keys)))
                   ELSE actor_keys END AS side_a,
              CASE WHEN reciprocal THEN []::VARCHAR[] ELSE recipient_keys END AS side_b
    FROM base
)
SELECT article_id, event_id,
       to_json({t: type, n: negated, h: hypothetical, p: precision_class, a: side_a, r: side_b,
                l: lower(coalesce(location_name, '')), c: coalesce(location_country, ''),
                -- an undated event is its own cluster
                u: CASE WHEN date IS NULL THEN article_id || '/' || event_id END})::VARCHAR,
       date, precision_class, type, negated, hypothetical, side_a, side_b, actor_names, recipient_names,
       location_name, location_country, span_start, span_end
FROM sided
"""

# Keys whose clusters must be rebuilt: keys of events not clustered yet, of clustered events whose
# article changed story group (num_stories), and of keyed events that are no longer stored.
AFFECTED_KEYS_SQL = """
CREATE OR REPLACE TEMP TABLE _dedup_affected AS
SELECT DISTINCT merge_key FROM (
    SELECT k.merge_key FROM event_dedup_keys k
    ANTI JOIN event_cluster_members m USING (article_id, event_id)
    UNION ALL
    SELECT k.merge_key FROM event_dedup_keys k
    JOIN event_cluster_members m USING (article_id, event_id)
    LEFT JOIN story_groups g ON g.article_id = k.article_id
    WHERE m.story_id IS DISTINCT FROM coalesce(g.group_id, k.article_id)
    UNION ALL
    SELECT k.merge_key FROM event_dedup_keys k ANTI JOIN events e USING (article_id, event_id)
)
"""

REBUILD_AFFECTED_SQL = """
DELETE FROM event_clusters WHERE cluster_id IN (
    SELECT m.cluster_id FROM event_cluster_members m
    JOIN event_dedup_keys k USING (article_id, event_id)
    SEMI JOIN _dedup_affected a USING (merge_key));
DELETE FROM event_dedup_keys k WHERE NOT EXISTS (
    SELECT 1 FROM events e WHERE e.article_id = k.article_id AND e.event_id = k.event_id);
DELETE FROM event_cluster_members m WHERE NOT EXISTS (
    SELECT 1 FROM event_dedup_keys k WHERE k.article_id = m.article_id AND k.event_id = m.event_id
    AND k.merge_key NOT IN (SELECT merge_key FROM _dedup_affected));

CREATE OR REPLACE TEMP TABLE _dedup_reports AS
SELECT k.*, c.cluster_id, ar.published_at, ar.outlet AS outlet_name,
       coalesce(nullif(trim(ar.outlet), ''),
                nullif(regexp_replace(regexp_extract(coalesce(ar.url, ''), '^[a-zA-Z]+://([^/:]+)', 1),
                                      '^www\\.', ''), ''),
                'article:' || k.article_id) AS source,
       coalesce(g.group_id, k.article_id) AS story
FROM event_dedup_keys k
JOIN _dedup_anchors c ON c.merge_key = k.merge_key AND c.date IS NOT DISTINCT FROM k.date
JOIN articles ar ON ar.id = k.article_id
LEFT JOIN story_groups g ON g.article_id = k.article_id;

INSERT INTO event_cluster_members
SELECT article_id, event_id, cluster_id, story FROM _dedup_reports ORDER BY article_id, event_id;
"""

# One chunk of the rebuilt clusters (a list of cluster ids): aggregating every report's JSON at once
# needs memory in proportion to all reports (DuckDB cannot spill list aggregates).
CLUSTER_ROWS_SQL = """
INSERT INTO event_clusters
SELECT cluster_id, any_value(type), min(date), max(date), any_value(precision_class),
       any_value(negated), any_value(hypothetical), any_value(side_a), any_value(side_b),
       list_sort(list_distinct(flatten(list(actor_names)))),
       list_sort(list_distinct(flatten(list(recipient_names)))),
       mode(location_name), any_value(location_country),
       count(*), count(DISTINCT article_id), count(DISTINCT story), count(DISTINCT source),
       min(published_at),
       to_json(list({article_id: article_id, event_id: event_id, span: [span_start, span_end],
                     outlet: outlet_name, date: date}
                    ORDER BY published_at NULLS LAST, article_id, event_id))
FROM _dedup_reports
WHERE cluster_id IN (SELECT unnest(?::VARCHAR[]))
GROUP BY cluster_id
ORDER BY cluster_id
"""


def _anchor_clusters(rows: list[tuple[str, Any, str]]) -> tuple[list[str], list[Any], list[str]]:
    """Assign each (merge_key, date, precision) — sorted by key then date — to a cluster anchored on
    its key's earliest date; a date more than the window after the anchor opens the next cluster."""
    keys, dates, cluster_ids = [], [], []
    previous_key, anchor, cluster_id = None, None, ""
    for merge_key, day, precision in rows:
        window = DATE_WINDOW_DAYS if precision == "day" else 0
        if (merge_key != previous_key or day is None or anchor is None
                or (day - anchor).days > window):
            anchor = day
            digest = hashlib.sha1(f"{merge_key}\x1f{anchor}".encode()).hexdigest()[:16]
            cluster_id = "c" + digest
        previous_key = merge_key
        keys.append(merge_key)
        dates.append(day)
        cluster_ids.append(cluster_id)
    return keys, dates, cluster_ids


def _key_new_events(con: duckdb.DuckDBPyConnection) -> None:
    """Key the events not keyed yet, KEY_CHUNK articles at a time (the parties' lists are
    aggregated per event, which DuckDB cannot spill)."""
    articles = [r[0] for r in con.execute(
        "SELECT DISTINCT article_id FROM events ANTI JOIN event_dedup_keys USING (article_id, event_id) "
        "ORDER BY article_id").fetchall()]
    for start in range(0, len(articles), KEY_CHUNK):
        con.execute(NEW_EVENT_KEYS_SQL, [articles[start:start + KEY_CHUNK]])


def _chunks_of_reports(sizes: list[tuple[str, int]], limit: int) -> Iterator[list[str]]:
    """Cluster ids in order, cut into runs of at most `limit` reports (a larger cluster goes alone)."""
    chunk, reports = [], 0
    for cluster_id, count in sizes:
        if chunk and reports + count > limit:
            yield chunk
            chunk, reports = [], 0
        chunk.append(cluster_id)
        reports += count
    if chunk:
        yield chunk


def _check_key_version(con: duckdb.DuckDBPyConnection, full: bool) -> None:
    """Forget stored keys and clusters when the merge rules changed (or a full rebuild is asked),
    inside the caller's transaction."""
    if not full and _setting(con, "event_key_version") == EVENT_KEY_VERSION:
        return
    for table in ("event_dedup_keys", "event_cluster_members", "event_clusters"):
        con.execute(f"DROP TABLE {table}")  # recreated empty: faster than deleting indexed rows
    ensure_schema(con)
    con.execute("DELETE FROM dedup_settings WHERE name = 'event_key_version'")
    con.execute("INSERT INTO dedup_settings VALUES ('event_key_version', ?)", [EVENT_KEY_VERSION])


def _refresh_event_clusters(con: duckdb.DuckDBPyConnection, full: bool) -> dict[str, Any]:
    """Key new events and rebuild the affected clusters (in the caller's transaction)."""
    started = time.perf_counter()
    _check_key_version(con, full)
    _key_new_events(con)
    con.execute(AFFECTED_KEYS_SQL)
    rows = con.execute(
        "SELECT DISTINCT merge_key, date, precision_class FROM event_dedup_keys "
        "SEMI JOIN _dedup_affected USING (merge_key) ORDER BY merge_key, date NULLS LAST").fetchall()
    keys, dates, cluster_ids = _anchor_clusters(rows)
    with registered(con, "_dedup_anchors", pa.table({
            "merge_key": pa.array(keys, pa.string()), "date": pa.array(dates, pa.date32()),
            "cluster_id": pa.array(cluster_ids, pa.string())})):
        con.execute(REBUILD_AFFECTED_SQL)
    sizes = con.execute("SELECT cluster_id, count(*) FROM _dedup_reports GROUP BY cluster_id ORDER BY cluster_id")
    for chunk in _chunks_of_reports(sizes.fetchall(), REPORT_CHUNK):
        con.execute(CLUSTER_ROWS_SQL, [chunk])
    con.execute("DROP TABLE IF EXISTS _dedup_reports; DROP TABLE IF EXISTS _dedup_affected")
    events, clusters, merged = con.execute(
        "SELECT coalesce(sum(num_reports), 0), count(*), count(*) FILTER (WHERE num_articles > 1) "
        "FROM event_clusters").fetchone()
    return {"events": int(events), "clusters": clusters, "multi_article_clusters": merged,
            "rebuilt_keys": len(set(keys)), "seconds": round(time.perf_counter() - started, 3)}


def refresh_event_clusters(db: Database, full: bool = False) -> dict[str, Any]:
    """Key new events, then rebuild the clusters of every merge key that gained, lost or re-grouped
    a report (`full=True`: every cluster), in one transaction. Run after `refresh_story_groups` so
    story counts are current."""
    con = _connection(db)
    ensure_schema(con)
    with transaction(con):
        return _refresh_event_clusters(con, full)


def refresh(db: Database, threshold: float = STORY_THRESHOLD, full: bool = False) -> dict[str, Any]:
    """Refresh story groups, then event clusters (which count distinct story groups), in one
    transaction: a crash or Ctrl-C anywhere leaves the previous state, and the next refresh (every
    ingest runs one) does the whole work again. `full`: compare every article and rebuild every
    cluster from the kept signatures and event keys."""
    con = _connection(db)
    ensure_schema(con)
    with transaction(con):
        return {"stories": _refresh_story_groups(con, threshold, full),
                "events": _refresh_event_clusters(con, full)}
