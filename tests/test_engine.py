"""Engines: worker processes and Ray write the same database as a single process."""
import json
import subprocess
import sys

import duckdb
import pytest

STORIES = [
    "Police in the capital arrested dozens of protesters on Saturday after a rally against fuel prices turned violent, officials said.",
    "The foreign ministers of Chile and Peru met in Lima on Monday and agreed to reopen border crossings closed since March.",
    "Rebels attacked an army convoy in the north of the country on Tuesday, killing four soldiers, the military said.",
    "The European Union imposed sanctions on three shipping companies accused of carrying weapons, diplomats said on Thursday.",
    "Kenya will send a team of engineers to help Uganda repair a damaged railway bridge, the transport minister said.",
    "Thousands of workers went on strike in the port city on Wednesday to demand higher wages.",
    "The court sentenced a former minister to five years in prison for corruption on Friday.",
]


def _corpus(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps({"id": f"s{i}", "text": t, "published": "2024-06-01"})
                              for i, t in enumerate(STORIES)) + "\n{not json\n", encoding="utf-8")
    return path


def _ingest(corpus, db, *extra):
    run = subprocess.run([sys.executable, "-m", "gestae", "ingest", str(corpus), "--db", str(db), "--quiet", *extra],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    return run


def _snapshot(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        articles = con.execute("SELECT id, source_id, json FROM articles ORDER BY id").fetchall()
        events = con.execute("SELECT * FROM events ORDER BY article_id, event_id").fetchall()
        errors = con.execute("SELECT path, line, message FROM ingest_errors ORDER BY line").fetchall()
    finally:
        con.close()
    return articles, events, errors


def test_two_workers_match_one(tmp_path):
    corpus = _corpus(tmp_path)
    _ingest(corpus, tmp_path / "one.duckdb")
    _ingest(corpus, tmp_path / "two.duckdb", "--workers", "2", "--batch-size", "2")
    one, two = _snapshot(tmp_path / "one.duckdb"), _snapshot(tmp_path / "two.duckdb")
    assert len(one[0]) == len(STORIES) and one[2]
    assert one == two


def test_ray_matches_single_process(tmp_path):
    pytest.importorskip("ray")
    corpus = _corpus(tmp_path)
    _ingest(corpus, tmp_path / "one.duckdb")
    _ingest(corpus, tmp_path / "ray.duckdb", "--engine", "ray", "--workers", "2", "--batch-size", "3")
    assert _snapshot(tmp_path / "one.duckdb") == _snapshot(tmp_path / "ray.duckdb")


def test_rerun_after_partial_ingest_completes(tmp_path):
    corpus = _corpus(tmp_path)
    half = tmp_path / "half.jsonl"
    half.write_text("\n".join(corpus.read_text().splitlines()[:3]) + "\n", encoding="utf-8")
    db = tmp_path / "g.duckdb"
    _ingest(half, db)
    rerun = _ingest(corpus, db)
    assert "already" in rerun.stderr and "3 already" in rerun.stderr
    full = tmp_path / "full.duckdb"
    _ingest(corpus, full)
    resumed, whole = _snapshot(db), _snapshot(full)
    assert [a[:2] for a in resumed[0]] == [a[:2] for a in whole[0]]  # paths differ: compare ids
    assert resumed[1] == whole[1]


def test_sigkill_mid_ingest_then_rerun_loses_nothing(tmp_path):
    import os
    import signal
    import time

    corpus = tmp_path / "many.jsonl"
    corpus.write_text("\n".join(json.dumps({"id": f"k{i}", "text": f"{STORIES[i % len(STORIES)]} Report {i}."})
                                for i in range(60)) + "\n", encoding="utf-8")
    db = tmp_path / "killed.duckdb"
    proc = subprocess.Popen([sys.executable, "-m", "gestae", "ingest", str(corpus), "--db", str(db), "--quiet",
                             "--batch-size", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wal = tmp_path / "killed.duckdb.wal"
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if wal.exists() and wal.stat().st_size > 20_000:  # some articles committed, more to come
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    _ingest(corpus, db)
    clean = tmp_path / "clean.duckdb"
    _ingest(corpus, clean)
    killed, whole = _snapshot(db), _snapshot(clean)
    assert len(whole[0]) == 60
    assert [a[:2] for a in killed[0]] == [a[:2] for a in whole[0]]
    assert killed[1] == whole[1]
