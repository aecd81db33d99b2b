"""Reliability: one test per way an input, a signal or a full disk used to stop a batch or lose an article.

Readers, store and pipeline are tested in process; what needs a real process (exit codes, signals,
the terminal) runs `gestae` as a user does. Kill points and resumption are in tests/test_kill.py.
"""
import gzip
import json
import os
import signal
import subprocess
import sys
import threading

import duckdb
import pytest

from hostile import warc_response

from gestae import ingest, nlp
from gestae.ingest import read_paths
from gestae.model import Article, IngestError, RawRecord, Source
from gestae.pipeline import process
from gestae.store import Store

TEXT = "The foreign ministers met in Lima on Monday and agreed to reopen the border, officials said."


def _items(*paths, fmt=None):
    return list(read_paths([str(p) for p in paths], fmt))


def _jsonl(*records):
    return "".join(json.dumps(r) + "\n" for r in records)


def _gestae(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "gestae", *map(str, args)], capture_output=True, text=True,
                          timeout=300, **kwargs)


# 1. One bad record never aborts the batch -------------------------------------------------------

def test_corrupt_gzip_keeps_the_lines_before_and_is_one_error(tmp_path):
    records = [{"id": f"g{i}", "text": f"{TEXT} Dispatch {i}."} for i in range(400)]
    data = bytearray(gzip.compress(_jsonl(*records).encode(), mtime=0))
    data[-6] ^= 0x5A  # the CRC: every line decodes, then the check fails
    (tmp_path / "crc.jsonl.gz").write_bytes(bytes(data))
    data[12:40] = bytes(b ^ 0x5A for b in data[12:40])  # the first block: nothing decodes
    (tmp_path / "head.jsonl.gz").write_bytes(bytes(data))
    items = _items(tmp_path / "crc.jsonl.gz", tmp_path / "head.jsonl.gz")
    assert all(isinstance(i, RawRecord) for i in items[:400])
    assert items[400].line() == f"{tmp_path}/crc.jsonl.gz: corrupt gzip data (CRC check failed 0x%s != 0x%s) " \
        "after line 400" % tuple(items[400].message.split("0x")[k][:8].rstrip(" )") for k in (1, 2))
    assert len(items) == 402 and items[401].line().startswith(f"{tmp_path}/head.jsonl.gz: corrupt gzip data (")


@pytest.mark.parametrize("field, value", [("authors", 5), ("authors", 3.5), ("authors", True), ("title", []),
                                          ("published", {}), ("id", {"a": 1})])
def test_field_of_the_wrong_type_is_ignored_with_a_warning(write, field, value):
    items = _items(write("t.jsonl", _jsonl({"id": "x", "text": TEXT, field: value})))
    assert len(items) == 1 and isinstance(items[0], RawRecord)
    assert items[0].warnings == [f"field '{field}' is {ingest._type_name(value)}, not "
                                 f"{'a list of names' if field == 'authors' else 'a string'}: ignored"]
    assert items[0].authors == [] and items[0].title is None and items[0].published is None


def test_text_of_the_wrong_type_is_an_error(write):
    items = _items(write("t.jsonl", _jsonl({"id": "x", "text": 5}, {"id": "y", "text": TEXT})))
    assert isinstance(items[0], IngestError) and items[0].message == "field 'text' is a number, not a string"
    assert isinstance(items[1], RawRecord)


def test_deeply_nested_json_is_one_line_error(write):
    path = write("d.jsonl", '{"text": "x", "m": ' + "[" * 100_000 + "]" * 100_000 + "}\n" + _jsonl({"text": TEXT}))
    items = _items(path)
    assert items[0].line() == f"{path}:1: malformed JSON (nested too deeply)"
    assert isinstance(items[1], RawRecord)


def test_lone_surrogate_in_text_is_an_error_in_title_a_warning(write):
    path = write("s.jsonl", '{"id": "a", "text": "Talks \\ud800 resumed."}\n'
                            '{"id": "b", "text": "Talks resumed.", "title": "Bad \\udc00 title"}\n')
    first, second = _items(path)
    assert first.line() == f"{path}:1: invalid Unicode in 'text' (lone surrogate \\ud800 at character 6)"
    assert second.title is None and "invalid Unicode" in second.warnings[0]


def test_store_refuses_one_unstorable_article_not_its_batch(tmp_path):
    good = Article(id="good", source=Source("x.jsonl", "jsonl", line=1), text=TEXT)
    bad = Article(id="bad", source=Source("x.jsonl", "jsonl", line=2), text=TEXT, title="Bad \udc00")
    with Store(tmp_path / "g.duckdb") as store:
        outcomes = store.add_batch([good, bad], [IngestError(Source("y.txt", "text"), "empty file")])
        assert outcomes[0] is True and isinstance(outcomes[1], IngestError)
        assert outcomes[1].line().startswith("x.jsonl:2: cannot store article")
        assert set(store.all_ids()) == {"good"}
        assert store.con.execute("SELECT count(*) FROM ingest_errors").fetchone()[0] == 2


def test_file_name_that_is_not_utf8_is_read_and_named_with_escapes(tmp_path):
    raw = os.fsencode(str(tmp_path)) + b"/caf\xe9.txt"
    with open(raw, "wb") as handle:
        handle.write(TEXT.encode())
    (item,) = _items(tmp_path)
    assert item.source.path == f"{tmp_path}/caf\\xe9.txt" and "not valid UTF-8" in item.warnings[0]


def test_text_over_spacys_limit_is_parsed_in_pieces_with_the_same_offsets():
    sentence = f"Officials said the {'a' * 2400} plan was approved. "  # long words: few tokens, cheap
    paragraph = sentence * 40
    text = "\n\n".join([paragraph] * 11)
    assert len(text) > 1_000_000
    pieces = nlp.split_pieces(text)
    assert "".join(pieces) == text and max(map(len, pieces)) <= nlp.MAX_PIECE_CHARS
    assert all(piece.endswith("\n\n") for piece in pieces[:-1])  # cut at paragraph breaks
    (doc,) = nlp.parse_texts([text])
    assert doc.text == text and sum(1 for _ in doc.sents) >= 11 * 40


def test_split_pieces_without_any_space_still_covers_the_text():
    text = "x" * 250_001
    pieces = nlp.split_pieces(text, max_chars=100_000)
    assert "".join(pieces) == text and max(map(len, pieces)) <= 100_000


def test_warc_record_without_target_uri_is_read_with_a_warning(tmp_path):
    path = tmp_path / "a.warc"
    path.write_bytes(b"".join(warc_response(f"<html><body><article><p>{TEXT} Story {n}.</p></article></body>"
                                            f"</html>".encode(), uri)
                              for n, uri in enumerate([None, "http://example.org/b"])))
    first, second = _items(path)
    assert first.source.url is None and first.warnings == ["WARC record 1 has no WARC-Target-URI"]
    assert second.source.url == "http://example.org/b" and "Story 1" in second.content


def test_a_reader_that_fails_costs_the_rest_of_its_file_only(tmp_path, monkeypatch):
    def flaky(source):
        yield RawRecord(source.source("text"), TEXT)
        raise ValueError("reader bug")

    monkeypatch.setitem(ingest.READERS, "text", flaky)
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "b.txt").write_text(TEXT)
    items = _items(tmp_path)
    assert [type(i).__name__ for i in items] == ["RawRecord", "IngestError"] * 2
    assert items[1].message == "cannot read text input (ValueError: reader bug)"


def test_a_text_spacy_cannot_parse_costs_that_article_only(monkeypatch):
    real = nlp.parse_texts

    def picky(texts, batch_size=16, **options):
        if any("UNPARSABLE" in t for t in texts):
            raise ValueError("cannot take it")
        return real(texts, batch_size, **options)

    monkeypatch.setattr(nlp, "parse_texts", picky)
    records = [RawRecord(Source("x.jsonl", "jsonl", line=n), text) for n, text in
               enumerate([TEXT, "UNPARSABLE " + TEXT, TEXT.replace("Lima", "Quito")], 1)]
    items = list(process(records))
    assert [type(i).__name__ for i in items] == ["Article", "IngestError", "Article"]
    assert items[1].line() == "x.jsonl:2: cannot parse text (ValueError: cannot take it)"
    assert items[0].events and items[2].events


# 2. Hangs and stalls ----------------------------------------------------------------------------

def test_fifo_inside_a_directory_is_skipped_not_read(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT)
    os.mkfifo(tmp_path / "b.pipe")
    (tmp_path / "c.txt").write_text(TEXT)
    found = []
    reader = threading.Thread(target=lambda: found.extend(_items(tmp_path)), daemon=True)
    reader.start()
    reader.join(timeout=20)
    assert not reader.is_alive(), "reading a directory with a FIFO hung"
    assert [type(i).__name__ for i in found] == ["RawRecord", "IngestError", "RawRecord"]
    assert found[1].line() == f"{tmp_path}/b.pipe: a FIFO, not a regular file: skipped"


def test_sentences_are_capped_on_text_without_punctuation():
    words = ("the army attacked the village near the border while ministers met envoys in the capital "
             "and police arrested protesters after talks ").split()
    text = " ".join(words[i % len(words)] for i in range(700))
    (doc,) = nlp.parse_texts([text])
    lengths = [len(s) for s in doc.sents]
    assert max(lengths) <= nlp.MAX_SENTENCE_TOKENS and sum(lengths) == len(doc)


def test_sentence_cap_leaves_punctuated_text_alone():
    model = nlp.load_model()
    doc = model.make_doc(" ".join([TEXT] * 30))
    nlp.cap_sentences(doc)
    assert not any(token.is_sent_start for token in doc[1:])


# 3. Silent losses -------------------------------------------------------------------------------

def test_directory_symlinks_are_followed_once_and_loops_reported(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "a.txt").write_text(TEXT)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    os.symlink(outside, corpus / "linked")
    os.symlink(corpus, corpus / "loop")
    items = _items(corpus)
    assert [i.source.path for i in items] == [f"{corpus}/linked/a.txt", f"{corpus}/loop"]
    assert isinstance(items[0], RawRecord)
    assert items[1].message == f"symlink loop (to '{corpus}'): skipped"


def test_unreadable_subdirectory_is_reported(tmp_path, monkeypatch):
    (tmp_path / "locked").mkdir()
    (tmp_path / "a.txt").write_text(TEXT)
    real = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(ingest.os, "scandir", scandir)
    items = _items(tmp_path)
    assert isinstance(items[0], RawRecord)
    assert items[1].line() == f"{tmp_path}/locked: cannot read directory (Permission denied)"


def test_compression_and_encoding_are_detected_by_content(write):
    import bz2
    import lzma

    packed = [write(f"no-suffix-{n}.jsonl", compress(_jsonl({"id": n, "text": TEXT}).encode()))
              for n, compress in (("gz", gzip.compress), ("bz", bz2.compress), ("xz", lzma.compress))]
    wide = write("wide.jsonl", _jsonl(*({"id": f"u{i}", "text": f"{TEXT} ({i})"} for i in range(3))).encode("utf-16"))
    text = write("bzh.txt", "BZh9 is the name of a band, officials said. " + TEXT)  # not bzip2's magic
    items = _items(*packed, wide, text)
    assert [i.source.id for i in items] == ["gz", "bz", "xz", "u0", "u1", "u2", None]
    assert all(isinstance(i, RawRecord) for i in items) and items[5].content.endswith("(2)")
    assert items[6].content.startswith("BZh9")


def test_utf16_text_file_with_bom_is_read(write):
    (item,) = _items(write("a.txt", TEXT.encode("utf-16")))
    assert item.content == TEXT


# 4. Rerun never duplicates errors ---------------------------------------------------------------

def test_an_error_is_stored_once(tmp_path):
    error = IngestError(Source("bad.jsonl", "jsonl", line=3), "malformed JSON")
    with Store(tmp_path / "g.duckdb") as store:
        store.add_error(error)
        store.add_error(error)
        store.add_batch([], [error, error, IngestError(Source("bad.jsonl", "jsonl", line=4), "malformed JSON")])
        assert store.con.execute("SELECT count(*) FROM ingest_errors").fetchone()[0] == 2


def test_old_error_table_is_keyed_and_deduplicated_on_open(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE ingest_errors (path VARCHAR, line INTEGER, source_id VARCHAR, message VARCHAR, "
                "logged_at TIMESTAMPTZ DEFAULT current_timestamp)")
    con.execute("INSERT INTO ingest_errors (path, line, message) VALUES ('a', 1, 'x'), ('a', 1, 'x'), ('b', NULL, 'y')")
    con.close()
    with Store(path) as store:
        store.add_error(IngestError(Source("a", "jsonl", line=1), "x"))
        assert store.con.execute("SELECT path, line, message FROM ingest_errors ORDER BY path").fetchall() == \
            [("a", 1, "x"), ("b", None, "y")]


# 6. Signals and exit codes ----------------------------------------------------------------------

def _ctrl_c_at_second_batch(monkeypatch):
    """A real SIGINT (Ctrl-C), delivered while the second batch is being written."""
    original, calls = Store.add_batch, []

    def add_batch(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            os.kill(os.getpid(), signal.SIGINT)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Store, "add_batch", add_batch)


def _eight_articles(tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(_jsonl(*({"id": f"i{n}", "text": f"{TEXT} Dispatch {n}."} for n in range(8))))
    return corpus


def test_ctrl_c_stops_cleanly_keeps_what_is_done_and_exits_130(tmp_path, monkeypatch, capsys):
    from gestae import cli

    corpus, db = _eight_articles(tmp_path), tmp_path / "g.duckdb"
    _ctrl_c_at_second_batch(monkeypatch)
    monkeypatch.setattr(sys, "argv", ["gestae", "ingest", str(corpus), "--db", str(db), "--quiet", "--batch-size", "2"])
    with pytest.raises(SystemExit) as exit_:
        cli.main()
    assert exit_.value.code == 130
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1] == "gestae: interrupted: 4 articles stored, rerun to resume"
    with Store(db, read_only=True) as store:
        assert len(store.all_ids()) == 4  # resuming: tests/test_kill.py


CTRL_C_WITH_WORKERS = """
import os, signal, sys
from gestae import store, cli
original, calls = store.Store.add_batch, []
def add_batch(self, *args, **kwargs):
    calls.append(1)
    if len(calls) == 2:
        os.kill(os.getpid(), signal.SIGINT)
    return original(self, *args, **kwargs)
store.Store.add_batch = add_batch
sys.argv = ["gestae"] + sys.argv[1:]
cli.main()
"""


def test_ctrl_c_with_workers_leaves_no_worker_traceback(tmp_path):
    corpus, db = _eight_articles(tmp_path), tmp_path / "g.duckdb"
    run = subprocess.run([sys.executable, "-c", CTRL_C_WITH_WORKERS, "ingest", corpus, "--db", db, "--quiet",
                          "--batch-size", "2", "--workers", "2"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 130
    assert run.stderr.strip().splitlines() == ["gestae: interrupted: 4 articles stored, rerun to resume"]


def test_every_failing_command_exits_non_zero(tmp_path):
    empty = tmp_path / "gold.jsonl"
    empty.write_text("")
    run = _gestae("evaluate", empty)
    assert run.returncode == 1 and "no gold records" in run.stderr
    assert _gestae("dedup", "--db", tmp_path / "none.duckdb").returncode == 1


# 7. Disk full: tests/test_kill.py (test_full_disk_mid_ingest_then_resume) fills it mid-ingest and resumes.


# 8. Minor ---------------------------------------------------------------------------------------

def test_control_characters_and_markup_in_titles_never_reach_the_terminal(tmp_path):
    db = tmp_path / "g.duckdb"
    article = Article(id="ctrl", source=Source("x", "text"), text=TEXT, title="Evil\x1b[2J\x07 title [/bold] x\x9b")
    with Store(db) as store:
        store.add_article(article)
    run = _gestae("summary", "--db", db)
    assert run.returncode == 0, run.stderr
    assert "\x1b[2J" not in run.stdout and "\x07" not in run.stdout and "\x9b" not in run.stdout
    assert "[/bold]" in run.stdout


def test_size_message_and_explicit_symlink_loop(tmp_path):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as handle:
        handle.write(b"Officials said ")
        handle.seek(60 * 1024 * 1024)
        handle.write(b"x")
    loop = tmp_path / "loop"
    os.symlink(loop, loop)
    first, second = _items(huge, loop)
    assert first.message == "file too large for one article (60 MB > 20 MB)"
    assert second.line() == f"{loop}: symlink loop"
