"""Hostile inputs for `gestae ingest`, generated on the fly: garbage of every kind the readers have
met, mixed with valid articles, and what the run must make of each.

`generate(root, per_kind, valid, seed)` writes a corpus under `root/corpus` (plus a directory outside
it that a symlink points to) and returns `Expected` entries: for each input, whether an article must
be stored (found by its record id or its path) and whether an `ingest_errors` row and a stderr line
must name it (by path, and line for JSONL). Used by tests/test_fuzz.py (a few hundred inputs) and
bench/fuzz_ingest.py (thousands). Every text is written here; nothing is copied from anywhere.
"""
from __future__ import annotations

import gzip
import json
import os
import random
import socket
import stat
from collections import Counter
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Callable, Optional

ACTORS = ["The army", "Police", "The foreign ministry", "Rebel fighters", "The central bank", "Protesters",
          "The prime minister", "Border guards", "The opposition party", "Health officials", "The coast guard",
          "Striking dock workers", "The interior minister", "Election monitors", "The navy"]
ACTIONS = ["met envoys from", "accused", "signed a trade agreement with", "sent aid to", "arrested members of",
           "criticised", "held talks with", "imposed sanctions on", "praised", "attacked a convoy belonging to",
           "demanded an apology from", "agreed to cooperate with"]
TARGETS = ["the neighbouring government", "a local militia", "the United Nations", "the trade union",
           "the regional council", "a foreign delegation", "the ruling coalition", "an aid agency"]
PLACES = ["the capital", "the northern province", "the port city", "a border town", "the coastal region"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TAILS = ["officials said", "a spokesman said", "according to a statement", "witnesses said",
         "the ministry said in a statement"]


@dataclass
class Expected:
    """What the run must do with one input."""
    kind: str
    path: str                      # as gestae names it (relative to the working directory)
    line: Optional[int] = None     # JSONL line, when the problem is one line's
    source_id: Optional[str] = None  # the record id of an article that must be stored
    stored: bool = False           # an article must be stored for it
    error: bool = False            # one ingest_errors row and one stderr line must name it


class Corpus:
    """Writes inputs under `root` and collects what is expected of them."""

    def __init__(self, root: Path, seed: int):
        self.top = self.root = root
        self.rng = random.Random(seed)
        self.expected: list[Expected] = []
        self.serial = 0

    def name(self, stem: str, suffix: str) -> Path:
        self.serial += 1
        return self.root / f"{stem}-{self.serial:05d}{suffix}"

    def text(self) -> str:
        """A short article of our own, unique by its serial number."""
        self.serial += 1
        r = self.rng
        return (f"{r.choice(ACTORS)} {r.choice(ACTIONS)} {r.choice(TARGETS)} in {r.choice(PLACES)} on "
                f"{r.choice(DAYS)}, {r.choice(TAILS)}. The report was filed as dispatch {self.serial} "
                f"by the regional desk.")

    def record(self, **fields) -> dict:
        self.serial += 1
        record = {"id": f"r{self.serial}", "text": self.text()}
        record.update(fields)
        return record

    def expect(self, kind: str, path: Path, **fields) -> None:
        self.expected.append(Expected(kind, str(path), **fields))

    def write(self, path: Path, data) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass"))
        return path


def _jsonl(records: list[dict]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


# ---------------------------------------------------------------------------------------------
# Input kinds: each writes one input and says what must come of it.

def valid_jsonl(c: Corpus) -> None:
    records = [c.record(published="2024-05-0%d" % c.rng.randint(1, 9)) for _ in range(c.rng.randint(1, 4))]
    path = c.write(c.name("valid", ".jsonl"), _jsonl(records))
    for r in records:
        c.expect("valid jsonl", path, source_id=r["id"], stored=True)


def valid_text(c: Corpus) -> None:
    path = c.write(c.name("pasted", ".txt"), "\n\n".join(c.text() for _ in range(2)))
    c.expect("valid text", path, stored=True)


def valid_html(c: Corpus) -> None:
    body = "".join(f"<p>{c.text()}</p>" for _ in range(2))
    page = f"<html><head><title>Report</title></head><body><nav>Home</nav><article>{body}</article></body></html>"
    c.expect("valid html", c.write(c.name("page", ".html"), page), stored=True)


def gzip_without_suffix(c: Corpus) -> None:
    record = c.record()
    c.expect("gzip, no .gz suffix", c.write(c.name("packed", ".jsonl"), gzip.compress(_jsonl([record]).encode())),
             source_id=record["id"], stored=True)


def utf16_jsonl(c: Corpus) -> None:
    records = [c.record() for _ in range(3)]
    path = c.write(c.name("utf16", ".jsonl"), _jsonl(records).encode("utf-16"))
    for r in records:
        c.expect("UTF-16 JSONL with BOM", path, source_id=r["id"], stored=True)


def corrupt_gzip(c: Corpus) -> None:
    data = bytearray(gzip.compress(_jsonl([c.record() for _ in range(20)]).encode()))
    for i in range(12, len(data) - 8, c.rng.randint(3, 9)):
        data[i] ^= 0x5A
    c.expect("corrupt gzip", c.write(c.name("broken", ".jsonl.gz"), bytes(data)), error=True)


def truncated_gzip(c: Corpus) -> None:
    data = gzip.compress(_jsonl([c.record() for _ in range(5)]).encode())
    c.expect("truncated gzip", c.write(c.name("cut", ".jsonl.gz"), data[:len(data) // 2]), error=True)


def _bad_line(c: Corpus, kind: str, line: str, stored: bool = False, error: bool = True,
              source_id: Optional[str] = None) -> None:
    """A JSONL file: a valid record, the bad line, another valid record."""
    before, after = c.record(), c.record()
    path = c.write(c.name("mixed", ".jsonl"), json.dumps(before) + "\n" + line + "\n" + json.dumps(after) + "\n")
    c.expect("valid jsonl", path, source_id=before["id"], stored=True)
    c.expect(kind, path, line=2, stored=stored, error=error, source_id=source_id)
    c.expect("valid jsonl", path, source_id=after["id"], stored=True)


def wrong_field_type(c: Corpus) -> None:
    field, value = c.rng.choice([("authors", 5), ("authors", 3.5), ("authors", True), ("title", []),
                                 ("published", {}), ("outlet", [1, 2]), ("id", {"x": 1}), ("authors", [{}])])
    record = c.record(**{field: value})
    keep_id = record["id"] if field != "id" else None
    # The article is stored (the field ignored) and the field is reported.
    _bad_line(c, f"'{field}' of the wrong type", json.dumps(record), stored=True, source_id=keep_id)


def text_not_a_string(c: Corpus) -> None:
    _bad_line(c, "'text' not a string", json.dumps({"id": "bad", "text": c.rng.choice([5, [], {}, True])}))


def deeply_nested(c: Corpus) -> None:
    depth = c.rng.randint(20_000, 60_000)
    _bad_line(c, "deeply nested JSON", '{"id": "deep", "text": "x", "meta": ' + "[" * depth + "]" * depth + "}")


def lone_surrogate_text(c: Corpus) -> None:
    _bad_line(c, "lone surrogate in text", '{"id": "sur", "text": "Talks resumed \\ud800 on Monday."}')


def lone_surrogate_title(c: Corpus) -> None:
    record = c.record()
    line = json.dumps(record)[:-1] + ', "title": "Talks \\udc00 resume"}'
    _bad_line(c, "lone surrogate in title", line, stored=True, source_id=record["id"])


def malformed_json(c: Corpus) -> None:
    line = json.dumps(c.record())
    _bad_line(c, "malformed JSON", line[:c.rng.randint(1, len(line) - 2)])


def not_an_object(c: Corpus) -> None:
    _bad_line(c, "JSON line not an object", c.rng.choice(["[1, 2, 3]", '"just a string"', "42", "null", "true"]))


def undecodable_line(c: Corpus) -> None:
    before, after = c.record(), c.record()
    data = (json.dumps(before) + "\n").encode() + b'{"id": "lat", "text": "Caf\xe9 talks"}\n' + \
        (json.dumps(after) + "\n").encode()
    path = c.write(c.name("latin", ".jsonl"), data)
    c.expect("valid jsonl", path, source_id=before["id"], stored=True)
    c.expect("undecodable JSONL line", path, line=2, error=True)
    c.expect("valid jsonl", path, source_id=after["id"], stored=True)


def no_text(c: Corpus) -> None:
    _bad_line(c, "record without text", json.dumps({"id": "nothing", "title": "Empty"}))


def non_utf8_name(c: Corpus) -> None:
    c.serial += 1
    raw = os.fsencode(str(c.root)) + b"/caf\xe9-%05d.txt" % c.serial
    with open(raw, "wb") as handle:
        handle.write(c.text().encode())
    shown = raw.decode("utf-8", "backslashreplace")
    c.expect("file name not UTF-8", Path(shown), stored=True, error=True)


def fifo(c: Corpus) -> None:
    path = c.name("pipe", ".jsonl")
    os.mkfifo(path)
    c.expect("FIFO", path, error=True)


def unix_socket(c: Corpus) -> None:
    path = c.name("sock", "")
    if len(os.fsencode(str(path))) >= 100:  # AF_UNIX paths are short
        return fifo(c)
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()
    c.expect("socket", path, error=True)


def symlink_loop(c: Corpus) -> None:
    folder = c.name("loop", "")
    folder.mkdir()
    record = c.record()
    c.write(folder / "inside.jsonl", _jsonl([record]))
    os.symlink("..", folder / "up")
    c.expect("valid jsonl", folder / "inside.jsonl", source_id=record["id"], stored=True)
    c.expect("directory symlink loop", folder / "up", error=True)


def broken_symlink(c: Corpus) -> None:
    path = c.name("dangling", ".txt")
    os.symlink(c.root / "no-such-target", path)
    c.expect("broken symlink", path, error=True)


def dir_symlink(c: Corpus) -> None:
    outside = c.top.parent / "elsewhere" / f"d{c.serial}"
    record = c.record()
    c.write(outside / "linked.jsonl", _jsonl([record]))
    link = c.name("linked", "")
    os.symlink(outside, link)
    c.expect("directory through a symlink", link / "linked.jsonl", source_id=record["id"], stored=True)


def empty_file(c: Corpus) -> None:
    c.expect("empty file", c.write(c.name("empty", c.rng.choice([".txt", ".jsonl", ".html"])),
                                   c.rng.choice(["", "   \n\n\t "])), error=True)


def binary_file(c: Corpus) -> None:
    data = bytes(c.rng.randrange(256) for _ in range(c.rng.randint(64, 4096))) + b"\x00\x00"
    if data[:2] in (b"\x1f\x8b", b"BZ", b"\xfd7", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb"):
        data = b"\x00" + data
    c.expect("binary file", c.write(c.name("blob", ".dat"), data), error=True)


def latin1_text(c: Corpus) -> None:
    c.expect("undecodable text", c.write(c.name("latin", ".txt"), c.text().encode() + b" Caf\xe9."), error=True)


def html_without_article(c: Corpus) -> None:
    c.expect("HTML without an article",
             c.write(c.name("nav", ".html"), "<html><body><nav>Home | World | Sport</nav></body></html>"),
             error=True)


def too_large(c: Corpus) -> None:
    path = c.name("huge", ".txt")
    with open(path, "wb") as handle:  # sparse: no disk used
        handle.write(b"Officials said ")
        handle.seek(21 * 1024 * 1024)
        handle.write(b"x")
    c.expect("file too large", path, error=True)


def warc_response(html: bytes, uri: Optional[str]) -> bytes:
    """One WARC response record holding an HTML page (without WARC-Target-URI when `uri` is None)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = BytesIO()
    writer = WARCWriter(out, gzip=False)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    record = writer.create_warc_record(uri or "http://example.org/x", "response", payload=BytesIO(html),
                                       http_headers=headers)
    if uri is None:
        record.rec_headers.remove_header("WARC-Target-URI")
    writer.write_record(record)
    return out.getvalue()


def _warc(c: Corpus, uri: Optional[str]) -> bytes:
    return warc_response(f"<html><body><article><p>{c.text()}</p><p>{c.text()}</p></article></body></html>"
                         .encode(), uri)


def warc_without_uri(c: Corpus) -> None:
    path = c.write(c.name("nouri", ".warc"), _warc(c, None))
    c.expect("WARC record without WARC-Target-URI", path, stored=True, error=True)


def corrupt_warc(c: Corpus) -> None:
    """A good record, then bytes that are no WARC record: the first is kept, the rest is one error."""
    path = c.write(c.name("bad", ".warc"), _warc(c, f"http://example.org/{c.serial}") +
                   b"\r\nNOT A WARC RECORD\r\n" + bytes(c.rng.randrange(256) for _ in range(200)))
    c.expect("WARC record", path, stored=True)
    c.expect("corrupt WARC", path, error=True)


def control_characters(c: Corpus) -> None:
    record = c.record(title="Breaking\x1b[2J\x07 news [/bold] \x9b31m")
    c.expect("control characters in title", c.write(c.name("ctrl", ".jsonl"), _jsonl([record])),
             source_id=record["id"], stored=True)


def no_sentence_punctuation(c: Corpus) -> None:
    words = " ".join(c.text().replace(".", "").replace(",", "") for _ in range(60)).lower()
    c.expect("long text without punctuation", c.write(c.name("nopunct", ".txt"), words), stored=True)


def over_spacy_limit(c: Corpus) -> None:
    """One record whose text is over spaCy's 1,000,000-character limit (long words keep it cheap)."""
    word = "a" * 2400
    sentence = f"Officials said the {word} plan was approved."
    record = {"id": f"long{c.serial}", "text": " ".join([sentence] * 420)}
    c.serial += 1
    c.expect("text over 1,000,000 characters", c.write(c.name("long", ".jsonl"), _jsonl([record])),
             source_id=record["id"], stored=True)


KINDS: dict[str, Callable[[Corpus], None]] = {f.__name__: f for f in (
    valid_jsonl, valid_text, valid_html, gzip_without_suffix, utf16_jsonl, corrupt_gzip, truncated_gzip,
    wrong_field_type, text_not_a_string, deeply_nested, lone_surrogate_text, lone_surrogate_title,
    malformed_json, not_an_object, undecodable_line, no_text, non_utf8_name, fifo, unix_socket,
    symlink_loop, broken_symlink, dir_symlink, empty_file, binary_file, latin1_text, html_without_article,
    too_large, warc_without_uri, corrupt_warc, control_characters, no_sentence_punctuation)}
# Costly to parse: one of each is enough.
ONCE = {"over_spacy_limit": over_spacy_limit}


def generate(root: Path, per_kind: int, valid: int, seed: int = 1, costly: bool = True) -> list[Expected]:
    """Write a corpus under root/corpus: `per_kind` inputs of every kind, `valid` more valid JSONL
    files and (`costly`) one of each costly kind, shuffled into nested folders. Returns what is
    expected of every input."""
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    c = Corpus(corpus, seed)
    plan = [name for name in KINDS for _ in range(per_kind)] + ["valid_jsonl"] * valid + (list(ONCE) if costly else [])
    c.rng.shuffle(plan)
    folders = [corpus] + [corpus / f"batch{n}" for n in range(1, 4)]
    for name in plan:
        c.root = c.rng.choice(folders)
        c.root.mkdir(exist_ok=True)
        (KINDS.get(name) or ONCE[name])(c)
    return c.expected


def is_special(path: str) -> bool:
    """A FIFO or socket (never to be opened by a checker)."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


# ---------------------------------------------------------------------------------------------
# Checking a run

TABLES = ("articles", "actors", "events", "quotes", "places", "ingest_errors", "story_groups",
          "event_clusters", "event_cluster_members")


def table_counts(db) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


def verdict(expected: list[Expected], db, stderr: str) -> tuple[list[Expected], list[Expected], int]:
    """(valid articles not stored, problems without exactly one error row and one stderr line naming
    them, error rows that no expected problem accounts for)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        ids = {r[0] for r in con.execute("SELECT source_id FROM articles WHERE source_id IS NOT NULL").fetchall()}
        paths = Counter(r[0] for r in con.execute("SELECT source_path FROM articles").fetchall())
        errors = Counter(con.execute("SELECT path, line FROM ingest_errors").fetchall())
    finally:
        con.close()
    lost = [e for e in expected if e.stored and (e.source_id not in ids if e.source_id else not paths[e.path])]
    lines = Counter(line.split(": ", 2)[1] for line in stderr.splitlines()
                    if line.startswith("gestae: ") and line.count(": ") >= 2)
    unreported = [e for e in expected if e.error and
                  (errors[(e.path, e.line)] != 1 or lines[f"{e.path}:{e.line}" if e.line else e.path] != 1)]
    wanted = Counter((e.path, e.line) for e in expected if e.error)
    extra = sum(errors.values()) - sum(wanted.values())
    return lost, unreported, extra
