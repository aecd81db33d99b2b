"""DuckDB transactions that are all or nothing, and failures to write told apart from bad data.

A write that fails because the disk is full (or a file-size limit is reached, or the file cannot be
written at all) ends DuckDB's transaction by itself, so the ROLLBACK that follows raised "no
transaction is active" and hid the real cause. `transaction` never lets a failed rollback mask the
error that caused it, and `write_failure` names such errors so that the run stops with one line
(what was committed before stays, and a rerun resumes), while a value DuckDB refuses for one
article costs only that article.
"""
from __future__ import annotations

import errno
import os
from contextlib import contextmanager
from typing import Iterator, Optional

import duckdb

from gestae.errors import first_line

# Operating-system messages that mean the database file cannot grow, and how we name them.
_WRITE_PROBLEMS = {
    os.strerror(errno.ENOSPC): "disk full",
    os.strerror(errno.EDQUOT): "disk quota exceeded",
    os.strerror(errno.EFBIG): "file size limit reached",
    os.strerror(errno.EROFS): "read-only file system",
    os.strerror(errno.EIO): "input/output error",
}


WRITE_FAILED = "cannot write the database: {problem}; everything stored before is kept, rerun to resume"


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN ... COMMIT; on any exception (Ctrl-C included) ROLLBACK and re-raise the original
    (DuckDB reports Ctrl-C during a query as its own InterruptException: that is raised as Ctrl-C)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
        con.execute("COMMIT")
    except BaseException as exc:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass  # the failure (a full disk) has already ended the transaction
        if isinstance(exc, duckdb.InterruptException):
            raise KeyboardInterrupt from None  # Ctrl-C while DuckDB was busy: still Ctrl-C
        raise


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, table) -> Iterator[None]:
    """An Arrow table visible to SQL as `name` for the block. A failed query aborts DuckDB's
    transaction, and unregistering then fails too: that must not hide the query's error."""
    con.register(name, table)
    try:
        yield
    except BaseException:
        try:
            con.unregister(name)
        except duckdb.Error:
            pass
        raise
    con.unregister(name)


def write_failure(exc: BaseException) -> Optional[str]:
    """What stops the database from being written ("disk full (No space left on device)"), or None
    when `exc` is a problem with the data being written."""
    text = str(exc)
    for message, name in _WRITE_PROBLEMS.items():
        if message in text:
            return f"{name} ({message})"
    if isinstance(exc, duckdb.OutOfMemoryException):
        from gestae.store import db_memory
        return f"DuckDB needs more memory than GESTAE_DB_MEMORY={db_memory()} ({first_line(exc)}); raise it"
    if isinstance(exc, (duckdb.IOException, duckdb.FatalException, OSError)) or "invalidated" in text:
        return first_line(exc)
    return None
