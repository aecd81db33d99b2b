"""The server's database handle: one read-only DuckDB connection, a cursor per request.

DuckDB lets one process write a file, or several processes read it, never both at once. So:
- the server opens the database read-only at start and keeps it open (opening per request would cost
  milliseconds each); every request reads through its own cursor (cursors are thread-safe, a shared
  connection is not);
- an explicit store request (`POST /api/extract?store=true`, the paste page's "store" box) waits for
  running reads, closes the read-only connection, writes through `gestae.store.Store` (one
  transaction, then the duplicate/cluster refresh `ingest` does), and reopens read-only;
- while the server runs, an `ingest` into the same file fails at once with a one-line message naming
  this server's PID (see `gestae.store.open_error`); an ingest into another file runs alongside. A store
  request while another process reads the file is refused with 409 and that message.
- For the same reason, whole-database answers (summary, top dyads, the lists that fill the forms) are
  computed once and kept until the server's own next write (`cached`).
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Hashable, Iterator, TypeVar

import duckdb

from gestae.errors import GestaeError
from gestae.store import Store, needs_upgrade, open_error

T = TypeVar("T")

REQUIRED_TABLES = ("articles", "actors", "events", "quotes", "places", "ingest_errors",
                   "event_clusters", "event_cluster_members", "story_groups")


class StoreConflict(GestaeError):
    """The database could not be opened for writing (another process has it open)."""


class Database:
    def __init__(self, path: str | Path):
        self.path = str(path)
        if not Path(self.path).is_file():
            raise GestaeError(f"{self.path}: no such database (run 'gestae ingest' first)")
        self._con = self._open()
        if needs_upgrade(self._con):
            # A file written by an older gestae: add the columns the queries read (once, read-write).
            self._con.close()
            try:
                Store(self.path).close()
            except GestaeError as exc:
                raise GestaeError(f"{exc} (the file needs a one-time upgrade for 'gestae serve')") from None
            self._con = self._open()
        missing = [t for t in REQUIRED_TABLES if t not in self._tables()]
        if missing:
            self._con.close()
            raise GestaeError(f"{self.path}: not a gestae database (no table {', '.join(missing)}); "
                              f"create it with 'gestae ingest'")
        self._state = threading.Condition()
        self._readers = 0
        self._writing = False
        self._cache: dict[Hashable, Any] = {}

    def _open(self) -> duckdb.DuckDBPyConnection:
        try:
            return duckdb.connect(self.path, read_only=True)
        except duckdb.Error as exc:
            raise GestaeError(open_error(self.path, exc, read_only=True)) from None

    def _tables(self) -> set[str]:
        return {r[0] for r in self._con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}

    @contextmanager
    def reader(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor for one request's reads."""
        with self._state:
            self._state.wait_for(lambda: not self._writing)
            self._readers += 1
            cursor = self._con.cursor()
        try:
            yield cursor
        finally:
            cursor.close()
            with self._state:
                self._readers -= 1
                self._state.notify_all()

    def cached(self, key: Hashable, compute: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        """`compute(cursor)`, remembered until the next write. Sound because no other process can change
        the file while this one holds it open (DuckDB refuses a writer then): only `write` can."""
        with self._state:
            if key in self._cache:
                return self._cache[key]
        with self.reader() as con:
            value = compute(con)
        with self._state:
            self._cache[key] = value
        return value

    def write(self, work: Callable[[Store], T]) -> T:
        """Run `work(store)` on a read-write Store, with every read paused; reopen read-only after."""
        with self._state:
            self._state.wait_for(lambda: not self._writing and self._readers == 0)
            self._writing = True
            self._cache.clear()
        try:
            self._con.close()
            try:
                with Store(self.path) as store:
                    return work(store)
            except GestaeError as exc:
                raise StoreConflict(str(exc)) from None
            finally:
                self._con = self._open()
        finally:
            with self._state:
                self._writing = False
                self._state.notify_all()

    def close(self) -> None:
        self._con.close()
