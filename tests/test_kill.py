"""Kill tests: SIGKILL at named points of `gestae ingest` and `gestae dedup`, then resume; the resumed
database must equal an uninterrupted run's, table by table, derived tables included.

A point is a function the killed process reaches (patched by a small wrapper to SIGKILL itself there):

    mid-batch          a batch's article rows are written, its transaction not committed
    after-last-commit  every article is committed, the duplicate refresh has not begun
    story-groups       inside the refresh: signatures, bands and story pairs written, groups being rewritten
    event-clusters     inside the refresh: event keys written, clusters being rebuilt
    settings-changed   `dedup --threshold X`: bands rebuilt and pairs dropped for the new threshold

The corpus comes in two files: a.jsonl is ingested first (cleanly), then a.jsonl and b.jsonl together
(the run that is killed), so every kill hits an incremental run over a database that already has
story groups and event clusters. b.jsonl reprints and updates stories of a.jsonl, has bad lines and
fields of the wrong type, so every table has rows to lose.
"""
import json
import shutil
import subprocess
import sys
from types import SimpleNamespace

import duckdb
import pytest

KILLER = """
import os, signal, sys
from gestae import cli, dedup, store
POINTS = {
    "mid-batch": (store.Store, "_insert_errors"),
    "after-last-commit": (dedup, "refresh"),
    "story-groups": (dedup, "_rewrite_story_groups"),
    "event-clusters": (dedup, "_anchor_clusters"),
    "settings-changed": (dedup, "_sign_new_articles"),
}
point, nth = sys.argv[1], int(sys.argv[2])
owner, name = POINTS[point]
original, calls = getattr(owner, name), []
def killed(*args, **kwargs):
    calls.append(1)
    if len(calls) == nth:
        os.kill(os.getpid(), signal.SIGKILL)
    return original(*args, **kwargs)
setattr(owner, name, killed)
sys.argv = ["gestae"] + sys.argv[3:]
cli.main()
"""

STORIES = [
    "Kenya and Uganda signed an agreement in Nairobi on Monday to build a new railway line between their "
    "capitals, officials said. The project will be financed by a group of regional banks.",
    "Police in Lima arrested dozens of protesters on Saturday after a march against fuel prices turned "
    "violent, the interior ministry said. Several officers were injured in the clashes.",
    "The foreign ministers of Japan and South Korea met in Tokyo on Tuesday and agreed to resume regular "
    "security talks. Both sides described the meeting as constructive.",
    "Rebels attacked an army post near the border with Niger on Wednesday, killing four soldiers, the "
    "military said in a statement. Reinforcements were sent to the area.",
    "The European Union imposed sanctions on three shipping companies accused of carrying weapons to "
    "Yemen, diplomats said on Thursday. The companies denied the accusations.",
    "Ghana sent doctors and medical supplies to Liberia on Friday to help contain an outbreak of cholera, "
    "the health ministry in Accra said. More aid is expected next week.",
    "Thousands of dock workers went on strike in the port of Rotterdam on Sunday to demand higher wages, "
    "their union said. Shipping companies warned of long delays.",
    "A court in Manila sentenced a former governor to twelve years in prison for corruption on Monday. "
    "His lawyers said they would appeal the verdict.",
]
# An update of the first story (Jaccard about 0.7): grouped with it at threshold 0.5, not at 0.8.
UPDATE = STORIES[0] + " Construction is due to start next year and should take four years."


ARTICLES = 21  # 8 in a.jsonl, 13 more in b.jsonl


def _record(n, text, outlet, day):
    return json.dumps({"id": f"{outlet[:3].lower()}{n}", "text": text, "outlet": outlet,
                       "published": f"2024-06-{day:02d}T09:00:00+00:00"})


def _corpus(root):
    a = [_record(n, STORIES[n], "Reuters", 3) for n in range(5)]
    a += [_record(n, STORIES[n], "Associated Press", 3) for n in (0, 1)]
    a += ["{not json", json.dumps({"id": "typed", "text": STORIES[7], "authors": 5, "outlet": "Reuters"})]
    b = [_record(n, STORIES[n], "Agence France-Presse", 4) for n in range(1, 8)]
    b += [_record(n, STORIES[n], "Xinhua", 4) for n in (3, 4, 5, 6)]
    b += [_record(90, UPDATE, "BBC", 4), json.dumps({"id": 5}), '{"id": "t", "text": ["a"]}',
          json.dumps({"id": "late", "text": STORIES[6] + " Talks resumed late on Sunday.", "title": []})]
    (root / "a.jsonl").write_text("\n".join(a) + "\n")
    (root / "b.jsonl").write_text("\n".join(b) + "\n")


def _run(args, root, point=None, nth=1):
    """`gestae ARGS` (killed at `point` on its nth arrival there); returns the finished process."""
    command = [sys.executable, "-c", KILLER, point, str(nth)] if point else [sys.executable, "-m", "gestae"]
    return subprocess.run(command + [str(a) for a in args], cwd=root, capture_output=True, text=True, timeout=600)


def _ingest(db, root, *extra, point=None, nth=1, files=("a.jsonl", "b.jsonl")):
    return _run(["ingest", *files, "--db", db, "--quiet", "--batch-size", "4", *extra], root, point, nth)


def tables(db):
    """Every table's rows (timestamps of when a row was written left out), sorted: comparable across runs."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables WHERE "
                                           "table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY 1").fetchall()]
        out = {}
        for name in names:
            columns = [r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE "
                                                 "table_name = ? ORDER BY ordinal_position", [name]).fetchall()
                       if r[0] not in ("ingested_at", "logged_at")]
            out[name] = sorted(map(repr, con.execute(f"SELECT {', '.join(columns)} FROM {name}").fetchall()))
        return out
    finally:
        con.close()


DERIVED = ("article_signatures", "article_bands", "story_groups", "event_dedup_keys",
           "event_clusters", "event_cluster_members", "dedup_settings")


def _derived(db):
    found = tables(db)
    return {name: found[name] for name in DERIVED}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("kill")
    _corpus(root)
    first = root / "first.duckdb"
    assert _ingest(first, root, files=("a.jsonl",)).returncode == 0
    whole = root / "whole.duckdb"
    shutil.copy(first, whole)
    done = _ingest(whole, root)
    assert done.returncode == 0, done.stderr
    expected = tables(whole)
    assert len(expected["articles"]) == ARTICLES and len(expected["ingest_errors"]) == 5
    assert any("', 2, " in row for row in expected["story_groups"])  # reprints grouped
    return SimpleNamespace(root=root, first=first, whole=whole, expected=expected)


def _copy(runs, name, source=None):
    db = runs.root / name
    shutil.copy(source or runs.first, db)
    return db


def _count(db, table):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


@pytest.mark.parametrize("workers", ["1", "2"])
def test_kill_at_each_ingest_point_then_resume(runs, workers):
    """Killed mid-batch, then (resuming) after the last commit, then inside each part of the refresh;
    the last resume must give the uninterrupted database."""
    db = _copy(runs, f"killed{workers}.duckdb")
    options = ("--workers", workers)
    killed = _ingest(db, runs.root, *options, point="mid-batch", nth=3)
    assert killed.returncode == -9 and "Traceback" not in killed.stderr and "Error" not in killed.stderr
    assert _count(runs.first, "articles") < _count(db, "articles") < ARTICLES  # killed part-way
    before = _derived(db)
    for point in ("after-last-commit", "story-groups", "event-clusters"):
        killed = _ingest(db, runs.root, *options, point=point)
        assert killed.returncode == -9 and "Traceback" not in killed.stderr, (point, killed.stderr)
        assert _count(db, "articles") == ARTICLES, point  # every article committed
        assert _derived(db) == before, point  # the refresh is all or nothing
    resumed = _ingest(db, runs.root, *options)
    assert resumed.returncode == 0 and f"0 stored, {ARTICLES} already" in resumed.stderr, resumed.stderr
    assert tables(db) == runs.expected


def test_kill_inside_each_dedup_threshold_transaction(runs):
    regrouped = _copy(runs, "regrouped.duckdb", runs.whole)
    assert _run(["dedup", "--db", regrouped, "--threshold", "0.5"], runs.root).returncode == 0
    expected = tables(regrouped)
    assert expected["story_groups"] != runs.expected["story_groups"]  # the new threshold changes groups

    db = _copy(runs, "threshold.duckdb", runs.whole)
    for point in ("settings-changed", "story-groups", "event-clusters"):
        killed = _run(["dedup", "--db", db, "--threshold", "0.5"], runs.root, point)
        assert killed.returncode == -9, (point, killed.stderr)
        assert tables(db) == runs.expected, point  # nothing changed: no story pair lost
    assert _run(["dedup", "--db", db, "--threshold", "0.5"], runs.root).returncode == 0
    assert tables(db) == expected


def test_dedup_full_rebuilds_lost_story_groups(runs):
    db = _copy(runs, "damaged.duckdb", runs.whole)
    con = duckdb.connect(str(db))  # what a kill between two transactions of older versions left
    con.execute("DELETE FROM story_groups")
    con.execute("DELETE FROM event_clusters")
    con.close()
    assert _run(["dedup", "--db", db, "--full"], runs.root).returncode == 0
    assert tables(db) == runs.expected


def test_full_disk_mid_ingest_then_resume(runs):
    import resource

    db = _copy(runs, "full.duckdb")

    def limit_file_size():  # as a full disk does, no file may grow past this (the log of new commits)
        resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))

    run = subprocess.run([sys.executable, "-m", "gestae", "ingest", "a.jsonl", "b.jsonl", "--db", str(db), "--quiet",
                          "--batch-size", "2"], cwd=runs.root, capture_output=True, text=True, timeout=600,
                         preexec_fn=limit_file_size)
    assert run.returncode == 1, run.stderr
    assert run.stderr.strip().splitlines()[-1] == (
        f"gestae: {db}: cannot write the database: file size limit reached (File too large); "
        f"everything stored before is kept, rerun to resume")
    assert "Traceback" not in run.stderr
    assert _count(runs.first, "articles") < _count(db, "articles") < ARTICLES  # it failed part-way
    assert _ingest(db, runs.root).returncode == 0
    assert tables(db) == runs.expected
