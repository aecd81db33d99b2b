"""Fuzz: a few hundred hostile inputs of every kind (tests/hostile.py) mixed with valid articles, generated
at test time, through one `gestae ingest` and a rerun.

The run must exit 0, store every valid article, give every bad input exactly one `ingest_errors` row and
one stderr line naming it, print no traceback, and a rerun must change no row count.
"""
import subprocess
import sys
from collections import Counter

import duckdb

from hostile import generate

TABLES = ("articles", "actors", "events", "quotes", "places", "ingest_errors", "story_groups",
          "event_clusters", "event_cluster_members")


def _ingest(corpus, db):
    return subprocess.run([sys.executable, "-m", "gestae", "ingest", str(corpus), "--db", str(db), "--quiet",
                           "--batch-size", "32"], capture_output=True, text=True, timeout=600)


def _counts(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


def test_hostile_inputs_never_stop_a_batch_or_lose_an_article(tmp_path):
    expected = generate(tmp_path, per_kind=8, valid=40, seed=9)
    assert len(expected) >= 300
    db = tmp_path / "fuzz.duckdb"
    run = _ingest(tmp_path / "corpus", db)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr

    con = duckdb.connect(str(db), read_only=True)
    ids = {row[0] for row in con.execute("SELECT source_id FROM articles WHERE source_id IS NOT NULL").fetchall()}
    paths = Counter(row[0] for row in con.execute("SELECT source_path FROM articles").fetchall())
    errors = Counter(con.execute("SELECT path, line FROM ingest_errors").fetchall())
    con.close()

    lost = [e for e in expected if e.stored and (e.source_id not in ids if e.source_id else not paths[e.path])]
    assert not lost, f"{len(lost)} valid articles not stored, e.g. {lost[:3]}"

    lines = run.stderr.splitlines()
    reported = Counter()
    for line in lines:
        if line.startswith("gestae: ") and ": " in line[8:]:
            reported[line[8:].rsplit(": ", 1)[0]] += 1
    for e in (e for e in expected if e.error):
        where = (e.path, e.line)
        assert errors[where] == 1, (e, errors[where])
        named = f"{e.path}:{e.line}" if e.line else e.path
        assert sum(1 for line in lines if line.startswith(f"gestae: {named}: ")) == 1, (e, named)
    # Nothing else is an error: every row is one of the expected problems.
    wanted = Counter((e.path, e.line) for e in expected if e.error)
    assert sum(errors.values()) == sum(wanted.values()), set(errors) - set(wanted)

    before = _counts(db)
    rerun = _ingest(tmp_path / "corpus", db)
    assert rerun.returncode == 0 and "Traceback" not in rerun.stderr
    assert "0 stored" in rerun.stderr
    assert _counts(db) == before
