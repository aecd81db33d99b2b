"""The command line end to end, as a user runs it (one subprocess per command)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb

CONTRACT_KEYS = {"id", "source", "outlet", "title", "authors", "published", "language", "text", "captions",
                 "removed", "actors", "events", "quotes", "issues", "places"}


def gestae(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "gestae", *map(str, args)], capture_output=True, text=True,
                          input=stdin, timeout=300)


def test_extract_json_contract(write, pasted_text):
    run = gestae("extract", write("a.txt", pasted_text), "--format", "json")
    assert run.returncode == 0, run.stderr
    article = json.loads(run.stdout)
    assert CONTRACT_KEYS <= set(article)
    assert article["source"]["format"] == "text"
    assert article["published"] == "2024-04-02T09:05:00+09:00"
    for event in article["events"]:
        start, end = event["span"]
        assert 0 <= start < end <= len(article["text"])


def test_extract_jsonl_order_errors_and_ids(write):
    lines = [json.dumps({"id": "one", "text": "The two governments signed a trade agreement in Hanoi on Friday."}),
             "{broken",
             json.dumps({"id": "three", "text": "Police arrested dozens of protesters in the capital on Sunday."})]
    run = gestae("extract", write("in.jsonl", "\n".join(lines)), "--format", "jsonl")
    assert run.returncode == 0
    out = [json.loads(line) for line in run.stdout.splitlines()]
    assert [o["source"].get("id") for o in out] == ["one", None, "three"]
    assert "error" in out[1] and "malformed JSON" in out[1]["error"]
    assert run.stderr.count("\n") == 1 and "in.jsonl:2" in run.stderr and "Traceback" not in run.stderr


def test_extract_nothing_processable_fails_cleanly(write, tmp_path):
    run = gestae("extract", write("empty.txt", ""), tmp_path / "missing.txt",
                 write("noarticle.html", "<html><body><nav>Home</nav></body></html>"))
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert any("empty.txt: empty file" in line for line in lines)
    assert any("missing.txt: no such file" in line for line in lines)
    assert any("noarticle.html" in line and "no article" in line for line in lines)


def test_extract_table_format(write, pasted_text):
    run = gestae("extract", write("a.txt", pasted_text), "--format", "table")
    assert run.returncode == 0 and "Seoul, Canberra agree" in run.stdout


def test_ingest_twice_is_idempotent_then_show_and_export(write, pasted_text, tmp_path):
    folder = tmp_path / "corpus"
    write("corpus/a.txt", pasted_text)
    write("corpus/b.jsonl", json.dumps({"id": "x1", "text": "Rebels attacked an army post near the border on Monday, the military said."})
          + "\n{bad json\n")
    db = tmp_path / "g.duckdb"
    first = gestae("ingest", folder, "--db", db, "--quiet")
    assert first.returncode == 0, first.stderr
    assert "2 stored" in first.stderr and "1 errors" in first.stderr
    second = gestae("ingest", folder, "--db", db, "--quiet")
    assert "0 stored, 2 already" in second.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    assert con.execute("SELECT count(*) FROM ingest_errors").fetchone()[0] == 1  # stored once, not once per run
    article_id = con.execute("SELECT id FROM articles WHERE source_id = 'x1'").fetchone()[0]
    con.close()

    shown = gestae("show", article_id, "--db", db)
    assert shown.returncode == 0 and json.loads(shown.stdout)["source"]["id"] == "x1"
    assert gestae("show", "ffffffff", "--db", db).returncode == 1

    exported = gestae("export", "--format", "jsonl", "--db", db)
    assert len(exported.stdout.splitlines()) == 2
    for fmt in ("csv", "parquet"):
        out = tmp_path / f"events.{fmt}"
        run = gestae("export", "--format", fmt, "--out", out, "--db", db)
        assert run.returncode == 0 and out.exists(), run.stderr


def test_unknown_option_is_one_line():
    run = gestae("extract", "--no-such-option", "x")
    assert run.returncode == 2 and "Traceback" not in run.stderr


def test_ingest_groups_wire_copies_and_merges_their_events(write, tmp_path):
    story = ("Rebel fighters attacked an army base near the northern town of Gao on Sunday, killing six soldiers, "
             "the defence ministry said. The ministry said reinforcements had been sent to the area. "
             "Residents said the fighting lasted several hours before the attackers withdrew into the desert. "
             "A local official said the town's market would stay closed until further notice.")
    records = [{"id": "w1", "outlet": "Reuters", "published": "2024-03-04", "text": story},
               {"id": "w2", "outlet": "Al Jazeera", "published": "2024-03-04", "text": story},
               {"id": "w3", "outlet": "Reuters", "published": "2024-03-04", "text": story},  # same outlet again
               {"id": "other", "outlet": "BBC", "published": "2024-03-04",
                "text": "The central bank raised interest rates by half a point on Thursday to curb inflation."}]
    path = write("wire.jsonl", "\n".join(json.dumps(r) for r in records) + "\n")
    db = tmp_path / "g.duckdb"
    run = gestae("ingest", path, "--db", db, "--quiet")
    assert run.returncode == 0 and "3 stored, 1 already" in run.stderr, run.stderr
    con = duckdb.connect(str(db), read_only=True)
    groups = con.execute("SELECT a.source_id, g.group_size FROM story_groups g JOIN articles a ON a.id = g.article_id "
                         "ORDER BY a.source_id").fetchall()
    assert groups == [("other", 1), ("w1", 2), ("w2", 2)]
    merged = con.execute("SELECT num_articles, num_sources, num_stories FROM event_clusters "
                         "WHERE type = 'ASSAULT'").fetchall()
    assert merged and all(row == (2, 2, 1) for row in merged)


def test_extract_min_confidence_and_debug_candidates(tmp_path):
    """--min-confidence keeps confident events only; --debug shows what is no record, with the reason."""
    import json
    from typer.testing import CliRunner
    from gestae.cli import app
    path = tmp_path / "a.txt"
    lead = ("Chile condemned Peru on Monday over the closure of the border crossing near Tacna. "
            "Trucks waited for days on both sides of the frontier, drivers said, and fruit spoiled in the heat. "
            "Exporters in the Atacama region counted their losses in millions of dollars by Tuesday evening. "
            "The crossing carries most of the trade between the two neighbours, customs figures show. "
            "Talks between the two transport ministries are due to resume later this month in Lima. ")
    path.write_text(lead + "Rebels frequently attacked army posts in the north.\n")
    runner = CliRunner()
    full = json.loads(runner.invoke(app, ["extract", str(path), "--debug"]).stdout)
    assert {e["type"] for e in full["events"]} == {"ACCUSE"}
    assert any("dropped: a habit, not an event" in c["coder"] for c in full["candidates"])
    plain = json.loads(runner.invoke(app, ["extract", str(path)]).stdout)
    assert "candidates" not in plain
    none = json.loads(runner.invoke(app, ["extract", str(path), "--min-confidence", "0.999"]).stdout)
    assert none["events"] == []


# Modules only some inputs or commands need: a plain-text extract must not pay for importing them.
OPTIONAL_HEAVY = ("ray", "feedparser", "warcio", "lxml", "duckdb", "pyarrow", "datasketch", "fastapi", "uvicorn")
PROBE = """
import runpy, sys
sys.argv = ["gestae", "extract", sys.argv[1], "--format", "jsonl"]
try:
    runpy.run_module("gestae", run_name="__main__")
except SystemExit as exit:
    assert not exit.code, exit.code
print("loaded:" + ",".join(sorted(m for m in %r if m in sys.modules)))
""" % (OPTIONAL_HEAVY,)


def test_extract_of_text_imports_no_optional_heavy_module(write):
    path = write("a.txt", "Police arrested dozens of protesters in the capital on Sunday.")
    run = subprocess.run([sys.executable, "-c", PROBE, path], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "loaded:"


def test_too_small_duckdb_memory_is_one_line_and_a_rerun_completes(tmp_path):
    db = tmp_path / "g.duckdb"
    examples = Path(__file__).parent.parent / "examples"
    env = {**os.environ, "GESTAE_DB_MEMORY": "1MB"}
    starved = subprocess.run([sys.executable, "-m", "gestae", "ingest", str(examples), "--db", str(db), "--quiet"],
                             capture_output=True, text=True, timeout=300, env=env)
    assert starved.returncode == 1 and "Traceback" not in starved.stderr
    assert starved.stderr.count("\n") == 1 and "GESTAE_DB_MEMORY=1MB" in starved.stderr
    assert "everything stored before is kept, rerun to resume" in starved.stderr
    run = gestae("ingest", examples, "--db", db, "--quiet")
    assert run.returncode == 0, run.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 4
    assert con.execute("SELECT count(*) FROM story_groups").fetchone()[0] == 4
