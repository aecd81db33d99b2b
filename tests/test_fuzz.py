"""Fuzz: a few hundred hostile inputs of every kind (tests/hostile.py) mixed with valid articles, generated
at test time, through one `gestae ingest` and a rerun.

The run must exit 0, store every valid article, give every bad input exactly one `ingest_errors` row and
one stderr line naming it, print no traceback, and a rerun must change no row count.
"""
import subprocess
import sys

from hostile import generate, table_counts, verdict


def _ingest(corpus, db):
    return subprocess.run([sys.executable, "-m", "gestae", "ingest", str(corpus), "--db", str(db), "--quiet",
                           "--batch-size", "32"], capture_output=True, text=True, timeout=600)


def test_hostile_inputs_never_stop_a_batch_or_lose_an_article(tmp_path):
    expected = generate(tmp_path, per_kind=6, valid=20, seed=9)
    assert len(expected) >= 300 and sum(e.error for e in expected) >= 120
    db = tmp_path / "fuzz.duckdb"
    run = _ingest(tmp_path / "corpus", db)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr

    lost, unreported, extra = verdict(expected, db, run.stderr)
    assert not lost, f"{len(lost)} valid articles not stored, e.g. {lost[:3]}"
    assert not unreported, f"{len(unreported)} problems without one row and one line, e.g. {unreported[:3]}"
    assert extra == 0  # every error row is one of the expected problems

    before = table_counts(db)
    rerun = _ingest(tmp_path / "corpus", db)
    assert rerun.returncode == 0 and "Traceback" not in rerun.stderr
    assert "0 stored" in rerun.stderr
    assert table_counts(db) == before
