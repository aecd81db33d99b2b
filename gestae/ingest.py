"""Readers: paths in, `RawRecord`s (or `IngestError`s) out, streaming.

A path is a file, a directory (read recursively, in name order) or '-' for standard input. Each file's
format is detected from its content unless the user names it, and so are its compression (gzip, bzip2
and xz by their magic bytes, whatever the file is called) and its encoding (UTF-8, or UTF-16/32 with a
byte-order mark). Readers never raise on bad input: every problem becomes an `IngestError` naming the
file (and line or record) so a batch can go on, and a problem a reader could work around (a field of
the wrong type, a file name that is not UTF-8) is a warning on the record, reported and kept with it.

Only regular files are read inside a directory: a FIFO or a device there would block the batch
forever. Directory symlinks are followed, each directory read once (loops are reported, not walked).
"""
from __future__ import annotations

import bz2
import errno
import gzip
import io
import json
import lzma
import os
import re
import stat
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator, Optional, Union

from gestae.errors import first_line
from gestae.model import IngestError, RawRecord, Source

Item = Union[RawRecord, IngestError]

MB = 1024 * 1024
# A single article larger than this is not an article (a dump, a binary, a log): refuse it.
MAX_ARTICLE_BYTES = 20 * MB
SNIFF_BYTES = 8192
READ_CHUNK = 1 << 16

# Compression by magic bytes: (magic, stream opener, incremental decompressor for sniffing). The bzip2
# magic includes its first block's marker: "BZh9" alone could start a text.
COMPRESSIONS: dict[str, tuple[re.Pattern, Callable[[BinaryIO], BinaryIO], Callable[[], object]]] = {
    "gzip": (re.compile(b"\x1f\x8b"), lambda raw: gzip.GzipFile(fileobj=raw, mode="rb"),
             lambda: zlib.decompressobj(16 + zlib.MAX_WBITS)),
    "bzip2": (re.compile(b"BZh[1-9](?:1AY&SY|\x17rE8P\x90)"), lambda raw: bz2.BZ2File(raw, "rb"),
              bz2.BZ2Decompressor),
    "xz": (re.compile(b"\xfd7zXZ\x00"), lambda raw: lzma.LZMAFile(raw, "rb"), lzma.LZMADecompressor),
}
DECOMPRESSION_ERRORS = (OSError, EOFError, zlib.error, lzma.LZMAError, ValueError)

# Byte-order marks, longest first (a UTF-32 LE mark starts like a UTF-16 LE one).
BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"), (b"\xef\xbb\xbf", "utf-8-sig"))

# Kinds of non-regular files, for the message that skips them.
_FILE_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
               (stat.S_ISBLK, "a block device"))


def _size(n: int) -> str:
    return f"{n / MB:.1f}".removesuffix(".0") + " MB"


TOO_LARGE = f"too large for one article (> {MAX_ARTICLE_BYTES // MB} MB)"


def bom_encoding(head: bytes) -> Optional[str]:
    """The codec a byte-order mark at the start of `head` names, or None."""
    for mark, codec in BOMS:
        if head.startswith(mark):
            return codec
    return None


def compression(head: bytes) -> Optional[str]:
    """The compression whose magic bytes start `head`, or None."""
    for name, (magic, _, _) in COMPRESSIONS.items():
        if magic.match(head):
            return name
    return None


def decompressed_head(head: bytes) -> bytes:
    """The first bytes of the content: `head` decompressed as far as it goes (it may be cut short)."""
    kind = compression(head)
    if kind is None:
        return head
    decompressor, out = COMPRESSIONS[kind][2](), []
    try:  # in steps, so that a bad checksum at the end still leaves what came before it
        for start in range(0, len(head), 1024):
            out.append(decompressor.decompress(head[start:start + 1024]))
    except DECOMPRESSION_ERRORS:
        pass  # corrupt: the reader reports it
    return b"".join(out)


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16/32 with BOM; anything else raises UnicodeDecodeError."""
    return data.decode(bom_encoding(data) or "utf-8")


def _decode_error(exc: UnicodeDecodeError) -> str:
    bad = exc.object[exc.start:exc.start + 1]
    return f"undecodable bytes: not {exc.encoding.upper()} (byte 0x{bad.hex()} at offset {exc.start})"


def _text_head(head: bytes) -> bytes:
    """The head of a file as UTF-8 bytes, whatever its BOM says it is (for format detection)."""
    codec = bom_encoding(head)
    if codec in (None, "utf-8-sig"):
        return head[3:] if codec else head
    return head.decode(codec, errors="ignore").encode("utf-8")


def detect_format(head: bytes) -> str:
    """Guess a file's format from its first bytes: jsonl, html, rss, warc or text."""
    start = _text_head(decompressed_head(head)).lstrip(b" \t\r\n")
    lower = start[:2048].lower()
    if start.startswith(b"WARC/"):
        return "warc"
    if start.startswith(b"{"):
        return "jsonl"
    if start.startswith(b"<"):
        if b"<rss" in lower or b"<feed" in lower or b"<rdf:rdf" in lower:
            return "rss"
        return "html"
    return "text"


def _is_binary(head: bytes) -> bool:
    return b"\x00" in head and bom_encoding(head) in (None, "utf-8-sig")


def display_path(path: str) -> str:
    """A path as it can be printed and stored: bytes that are not UTF-8 shown as \\x escapes."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")


class _Replay(io.RawIOBase):
    """A one-shot stream (stdin, a FIFO) whose first bytes, read to sniff its format, are read again."""

    def __init__(self, head: bytes, rest: BinaryIO):
        self._head, self._rest = head, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n], self._head = self._head[:n], self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


@dataclass
class Input:
    """One input to read: a regular file (`path`), or a stream read once (stdin, a named FIFO)."""
    label: str
    path: Optional[Path] = None
    stream: Optional[BinaryIO] = None
    head: bytes = b""  # its first bytes, as stored (compressed or not)
    warnings: list[str] = field(default_factory=list)  # for its first record

    def source(self, fmt: str, **extra) -> Source:
        return Source(self.label, fmt, **extra)

    def size(self) -> Optional[int]:
        """Bytes on disk, when it is an uncompressed regular file (None otherwise)."""
        if self.path is None or compression(self.head):
            return None
        return self.path.stat().st_size

    def open_raw(self) -> BinaryIO:
        """Its bytes as stored (a stream can be opened once)."""
        if self.stream is not None:
            stream, self.stream = self.stream, None
            return io.BufferedReader(_Replay(self.head, stream), READ_CHUNK)
        if self.path is None:
            raise OSError(errno.EBADF, "stream already read")
        return open(self.path, "rb")

    def open(self) -> BinaryIO:
        """Its content: decompressed when its magic bytes say it is compressed."""
        raw = self.open_raw()
        kind = compression(self.head)
        return COMPRESSIONS[kind][1](raw) if kind else raw

    def read_all(self, limit: int = MAX_ARTICLE_BYTES) -> bytes:
        """The whole content, or `limit + 1` bytes when it is longer (the caller refuses it)."""
        with self.open() as handle:
            return handle.read(limit + 1)

    def problem(self, exc: BaseException) -> str:
        """The message for an error met while reading it."""
        return _cannot_read(exc, compression(self.head))

    def take_warnings(self) -> list[str]:
        found, self.warnings = self.warnings, []
        return found


def _record(source: Source, content: str, warnings: list[str], **fields) -> RawRecord:
    record = RawRecord(source=source, content=content, **fields)
    record.warnings.extend(warnings)
    return record


def _cannot_read(exc: BaseException, kind: Optional[str] = None) -> str:
    """One line for a failed read: the OS error, or what is wrong with compressed data."""
    if isinstance(exc, OSError) and exc.errno is not None:
        return f"cannot read file ({exc.strerror or exc})"
    if kind is not None:
        return f"corrupt {kind} data ({first_line(exc)})"
    return f"cannot read file ({first_line(exc)})"


def _read_whole(source: Input, fmt: str) -> Iterator[Item]:
    """Read one single-article file (text or HTML)."""
    where = source.source(fmt)
    size = source.size()
    if size is not None and size > MAX_ARTICLE_BYTES:
        yield IngestError(where, f"file too large for one article ({_size(size)} > {MAX_ARTICLE_BYTES // MB} MB)")
        return
    try:
        data = source.read_all()
    except DECOMPRESSION_ERRORS as exc:
        yield IngestError(where, source.problem(exc))
        return
    if len(data) > MAX_ARTICLE_BYTES:
        yield IngestError(where, f"input {TOO_LARGE}")
        return
    if not data.strip():
        yield IngestError(where, "empty file")
        return
    if _is_binary(data[:SNIFF_BYTES]):
        yield IngestError(where, "binary file, not text or HTML")
        return
    try:
        text = _decode(data)
    except UnicodeDecodeError as exc:
        if fmt != "html":
            yield IngestError(where, _decode_error(exc))
            return
        # HTML declares its own charset; let the HTML extractor decode it.
        text = data.decode("latin-1")
    yield _record(where, text, source.take_warnings(), is_html=(fmt == "html"))


# ---------------------------------------------------------------------------------------------
# JSONL

_TYPE_NAMES = {bool: "a boolean", int: "a number", float: "a number", list: "a list", dict: "an object"}


def _type_name(value: object) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _lone_surrogate(text: str) -> Optional[str]:
    """A description of the first lone surrogate in `text` ("\\ud800" in JSON), or None."""
    try:
        text.encode("utf-8")
        return None
    except UnicodeEncodeError as exc:
        return f"lone surrogate \\u{ord(text[exc.start]):04x} at character {exc.start}"


def _scalar(obj: dict, key: str, warnings: list[str]) -> Optional[str]:
    """A metadata field as a string; a list, object or boolean (or broken Unicode) is ignored with a warning."""
    value = obj.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        warnings.append(f"field '{key}' is {_type_name(value)}, not a string: ignored")
        return None
    value = str(value)
    problem = _lone_surrogate(value)
    if problem:
        warnings.append(f"field '{key}' has invalid Unicode ({problem}): ignored")
        return None
    return value


def _authors(obj: dict, warnings: list[str]) -> list[str]:
    key = "authors" if obj.get("authors") not in (None, "", []) else "author"
    value = obj.get(key)
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        warnings.append(f"field '{key}' is {_type_name(value)}, not a list of names: ignored")
        return []
    names = [_scalar({key: v}, key, warnings) for v in value]
    return [n for n in names if n]


def _jsonl_record(obj: object, source: Source, warnings: list[str]) -> Item:
    if not isinstance(obj, dict):
        return IngestError(source, f"JSON line is {_type_name(obj)}, not an object")
    text, is_html = obj.get("text"), False
    if not isinstance(text, str) or not text.strip():
        html = obj.get("html")
        if isinstance(html, str) and html.strip():
            text, is_html = html, True
        elif text is not None and not isinstance(text, str):
            return IngestError(source, f"field 'text' is {_type_name(text)}, not a string")
        else:
            return IngestError(source, "record has no 'text'")
    if len(text) > MAX_ARTICLE_BYTES:
        return IngestError(source, f"record text {TOO_LARGE}")
    problem = _lone_surrogate(text)
    if problem:
        return IngestError(source, f"invalid Unicode in '{'html' if is_html else 'text'}' ({problem})")
    source.id = _scalar(obj, "id", warnings)
    source.url = _scalar(obj, "url", warnings)
    return _record(source, text, warnings, is_html=is_html, title=_scalar(obj, "title", warnings),
                   published=_scalar(obj, "published", warnings) or _scalar(obj, "date", warnings),
                   outlet=_scalar(obj, "outlet", warnings), authors=_authors(obj, warnings),
                   language=_scalar(obj, "language", warnings))


def _parse_line(raw: Union[bytes, str], source: Source, warnings: list[str]) -> Item:
    try:
        obj = json.loads(raw if isinstance(raw, str) else _decode(raw))
    except UnicodeDecodeError as exc:
        return IngestError(source, _decode_error(exc))
    except json.JSONDecodeError as exc:
        return IngestError(source, f"malformed JSON ({exc.msg} at column {exc.colno})")
    except RecursionError:
        return IngestError(source, "malformed JSON (nested too deeply)")
    return _jsonl_record(obj, source, warnings)


def _lines(handle, text_mode: bool) -> Iterator[tuple[int, Union[bytes, str, None]]]:
    """(line number, line) for each line; None for a line longer than one article (skipped unread)."""
    number = 0
    while True:
        line = handle.readline(MAX_ARTICLE_BYTES + 1)
        if not line:
            return
        number += 1
        end = "\n" if text_mode else b"\n"
        if len(line) > MAX_ARTICLE_BYTES and not line.endswith(end):
            while line and not line.endswith(end):  # skip the rest of the over-long line
                line = handle.readline(READ_CHUNK)
            yield number, None
            continue
        yield number, line


def read_jsonl(source: Input) -> Iterator[Item]:
    """One record per line; a bad line is an error for that line only."""
    whole = source.source("jsonl")
    any_line = False
    number = 0
    try:
        with source.open() as handle:
            codec = bom_encoding(_peek(handle))
            text_mode = codec in ("utf-16", "utf-32")
            lines = io.TextIOWrapper(handle, encoding=codec, newline=None) if text_mode else handle
            for number, raw in _lines(lines, text_mode):
                if raw is not None and not raw.strip():
                    continue
                any_line = True
                where = source.source("jsonl", line=number)
                if raw is None:
                    yield IngestError(where, f"line {TOO_LARGE}")
                    continue
                warnings = source.take_warnings()
                try:
                    yield _parse_line(raw, where, warnings)
                except Exception as exc:  # a reader bug costs this line, never the file
                    yield IngestError(where, f"cannot read record ({exc.__class__.__name__}: {exc})")
    except UnicodeDecodeError as exc:
        yield IngestError(whole, f"{_decode_error(exc)} after line {number}")
        return
    except DECOMPRESSION_ERRORS as exc:
        at = f" after line {number}" if number else ""
        yield IngestError(whole, f"{source.problem(exc)}{at}")
        return
    if not any_line:
        yield IngestError(whole, "empty file")


def _peek(handle: BinaryIO) -> bytes:
    """The first bytes of a stream without consuming them."""
    if hasattr(handle, "peek"):
        return handle.peek(4)[:4]
    return b""


# ---------------------------------------------------------------------------------------------
# Feeds and web archives


def read_text(source: Input) -> Iterator[Item]:
    yield from _read_whole(source, "text")


def read_html(source: Input) -> Iterator[Item]:
    yield from _read_whole(source, "html")


def read_feed(source: Input) -> Iterator[Item]:
    """RSS/Atom: one article per item, from its full content when present, else its summary."""
    import feedparser

    whole = source.source("rss")
    try:
        data = source.read_all(limit=10 * MAX_ARTICLE_BYTES)
    except DECOMPRESSION_ERRORS as exc:
        yield IngestError(whole, source.problem(exc))
        return
    if len(data) > 10 * MAX_ARTICLE_BYTES:
        yield IngestError(whole, f"feed too large (> {10 * MAX_ARTICLE_BYTES // MB} MB)")
        return
    feed = feedparser.parse(data)
    if feed.bozo and not feed.entries:
        reason = getattr(feed.get("bozo_exception"), "getMessage", lambda: str(feed.get("bozo_exception")))()
        yield IngestError(whole, f"not a readable RSS/Atom feed ({reason})")
        return
    outlet = feed.feed.get("title")
    for number, entry in enumerate(feed.entries, 1):
        where = source.source("rss", id=entry.get("id") or entry.get("link"), url=entry.get("link"))
        try:
            contents = entry.get("content") or []
            body = max((c.get("value", "") for c in contents), key=len, default="") or entry.get("summary", "")
            if not body.strip():
                yield IngestError(where, f"feed item {number} has no content or summary")
                continue
            is_html = "<" in body and ">" in body
            authors = [a.get("name") for a in entry.get("authors", []) if a.get("name")]
            yield _record(where, _feed_body(body) if is_html else body, source.take_warnings(),
                          title=entry.get("title"), published=entry.get("published") or entry.get("updated"),
                          outlet=outlet, authors=authors)
        except Exception as exc:  # one odd item costs that item
            yield IngestError(where, f"feed item {number}: cannot read ({exc.__class__.__name__}: {exc})")


def _feed_body(html: str) -> str:
    """Paragraph text of an HTML fragment in a feed item (too small for full-page extraction)."""
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except Exception:
        return html
    for bad in root.xpath(".//script|.//style"):
        bad.drop_tree()
    blocks = [" ".join(el.text_content().split()) for el in root.xpath(".//p|.//li|.//h2|.//h3")]
    blocks = [b for b in blocks if b]
    return "\n\n".join(blocks) if blocks else " ".join(root.text_content().split())


def _warc_article(record, number: int, where: Source, source: Input) -> Optional[Item]:
    """The article in one WARC response record (None when it is no HTML page)."""
    from warcio.statusandheaders import StatusAndHeadersParser

    # HTTP headers are parsed here, not by warcio: warcio fails the whole archive on a record
    # without WARC-Target-URI.
    stream = record.raw_stream
    try:
        record.http_headers = StatusAndHeadersParser(["HTTP/1.0", "HTTP/1.1"]).parse(stream)
    except Exception as exc:
        return IngestError(where, f"WARC record {number}: no readable HTTP headers ({exc.__class__.__name__})")
    warnings = [] if where.url else [f"WARC record {number} has no WARC-Target-URI"]
    content_type = record.http_headers.get_header("Content-Type") or ""
    if "html" not in content_type.lower():
        return None
    data = record.content_stream().read(MAX_ARTICLE_BYTES + 1)
    if len(data) > MAX_ARTICLE_BYTES:
        return IngestError(where, f"WARC record {number}: response {TOO_LARGE}")
    charset = "utf-8"
    if "charset=" in content_type.lower():
        charset = content_type.lower().split("charset=")[1].split(";")[0].strip().strip("\"'") or "utf-8"
    try:
        html = data.decode(charset, errors="replace")
    except LookupError:
        html = data.decode("utf-8", errors="replace")
    # WARC-Date is when the page was crawled, not published: the page's own date is used.
    return _record(where, html, source.take_warnings() + warnings, is_html=True)


def read_warc(source: Input) -> Iterator[Item]:
    """WARC (optionally gzipped): every HTML response record is an article."""
    from warcio.archiveiterator import ArchiveIterator

    whole = source.source("warc")
    number = 0
    try:
        with source.open_raw() as handle:
            for number, record in enumerate(ArchiveIterator(handle, no_record_parse=True), 1):
                if record.rec_type != "response":
                    continue
                headers = record.rec_headers
                where = source.source("warc", id=headers.get_header("WARC-Record-ID"),
                                      url=headers.get_header("WARC-Target-URI"))
                try:
                    found = _warc_article(record, number, where, source)
                except Exception as exc:  # one broken record costs that record
                    found = IngestError(where, f"WARC record {number}: cannot read "
                                               f"({exc.__class__.__name__}: {first_line(exc)})")
                if found is not None:
                    yield found
    except Exception as exc:
        at = f" after record {number}" if number else ""
        yield IngestError(whole, f"cannot read WARC{at} ({first_line(exc)})")


Reader = Callable[[Input], Iterator[Item]]

READERS: dict[str, Reader] = {
    "text": read_text,
    "html": read_html,
    "jsonl": read_jsonl,
    "rss": read_feed,
    "warc": read_warc,
}


def register_reader(fmt: str, reader: Reader) -> None:
    """Add a reader for a new input format (feeds and web archives plug in here)."""
    READERS[fmt] = reader


# ---------------------------------------------------------------------------------------------
# Paths


def _sniff(source: Input) -> Union[str, IngestError]:
    head = source.head
    where = source.source("text")
    if not head.strip():
        return IngestError(where, "empty file")
    fmt = detect_format(head)
    size = source.size()
    if fmt in ("text", "html") and size is not None and size > MAX_ARTICLE_BYTES:
        return fmt  # the reader refuses it with its size
    if fmt == "text" and _is_binary(decompressed_head(head)[:SNIFF_BYTES]):
        return IngestError(where, "binary file, not text, HTML or JSONL")
    return fmt


def _guarded(reader: Reader, source: Input, fmt: str) -> Iterator[Item]:
    """A reader's items; should it fail (a bug, an odd file), the rest of that file is one error."""
    try:
        yield from reader(source)
    except Exception as exc:
        yield IngestError(source.source(fmt), f"cannot read {fmt} input ({exc.__class__.__name__}: "
                                              f"{first_line(exc)})")


def read_input(source: Input, input_format: Optional[str] = None) -> Iterator[Item]:
    fmt = input_format
    if fmt is None:
        sniffed = _sniff(source)
        if isinstance(sniffed, IngestError):
            yield sniffed
            return
        fmt = sniffed
    reader = READERS.get(fmt)
    if reader is None:
        yield IngestError(source.source(fmt), f"no reader for input format '{fmt}'")
        return
    yield from _guarded(reader, source, fmt)


def _file_input(path: Path, label: str) -> Union[Input, IngestError]:
    source = Input(display_path(label), path)
    if source.label != label:
        source.warnings.append("file name is not valid UTF-8 (undecodable bytes shown as \\x escapes)")
    try:
        with open(path, "rb") as handle:
            source.head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        return IngestError(source.source("text"), _cannot_read(exc))
    return source


def _stream_input(handle: BinaryIO, label: str) -> Input:
    head = b""
    while len(head) < SNIFF_BYTES:  # a pipe gives what it has; read until the head is full or EOF
        chunk = handle.read(SNIFF_BYTES - len(head))
        if not chunk:
            break
        head += chunk
    return Input(label, stream=handle, head=head)


def read_file(path: Path, input_format: Optional[str] = None, label: Optional[str] = None) -> Iterator[Item]:
    source = _file_input(path, label or str(path))
    if isinstance(source, IngestError):
        yield source
        return
    yield from read_input(source, input_format)


def read_stdin(input_format: Optional[str]) -> Iterator[Item]:
    yield from read_input(_stream_input(sys.stdin.buffer, "-"), input_format)


def _stat_problem(path: str, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symlink loop"
    if exc.errno == errno.ENOENT and os.path.islink(path):
        return f"broken symlink (to '{display_path(os.readlink(path))}')"
    if exc.errno == errno.ENOENT:
        return "no such file or directory"
    return f"cannot read ({exc.strerror or exc})"


def _kind(mode: int) -> str:
    return next((name for test, name in _FILE_KINDS if test(mode)), "not a regular file")


def _walk(root: str, seen: set[tuple[int, int]]) -> Iterator[Union[str, IngestError]]:
    """Regular files under a directory, recursively: its files in name order, then its subdirectories;
    hidden entries skipped; every directory (also through a symlink) read once; every entry that
    cannot be read, or is no regular file, reported."""
    try:
        names = sorted(entry.name for entry in os.scandir(root))
    except OSError as exc:
        yield IngestError(Source(display_path(root), "text"), f"cannot read directory ({exc.strerror or exc})")
        return
    subdirs = []
    for name in names:
        if name.startswith("."):
            continue
        path = os.path.join(root, name)
        try:
            info = os.stat(path)
        except OSError as exc:
            yield IngestError(Source(display_path(path), "text"), _stat_problem(path, exc))
            continue
        if stat.S_ISDIR(info.st_mode):
            subdirs.append((path, info))
        elif stat.S_ISREG(info.st_mode):
            yield path
        else:
            yield IngestError(Source(display_path(path), "text"), f"{_kind(info.st_mode)}, not a regular file: skipped")
    for path, info in subdirs:
        key = (info.st_dev, info.st_ino)
        if key in seen:
            what = "symlink loop" if os.path.islink(path) else "directory already read"
            yield IngestError(Source(display_path(path), "text"), f"{what} (to '{display_path(os.path.realpath(path))}'): skipped")
            continue
        seen.add(key)
        yield from _walk(path, seen)


def read_paths(paths: Iterable[str], input_format: Optional[str] = None) -> Iterator[Item]:
    """Every record under the given paths, in order."""
    seen: set[tuple[int, int]] = set()
    for raw in paths:
        if raw == "-":
            yield from read_stdin(input_format)
            continue
        try:
            info = os.stat(raw)
        except OSError as exc:
            yield IngestError(Source(display_path(raw), input_format or "text"), _stat_problem(raw, exc))
            continue
        if stat.S_ISDIR(info.st_mode):
            seen.add((info.st_dev, info.st_ino))
            for found in _walk(raw, seen):
                if isinstance(found, IngestError):
                    yield found
                else:
                    yield from read_file(Path(found), input_format)
        elif stat.S_ISREG(info.st_mode):
            yield from read_file(Path(raw), input_format)
        elif stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode):
            # Named on the command line (a pipe, /dev/stdin): read once, as a stream.
            try:
                with open(raw, "rb") as handle:
                    yield from read_input(_stream_input(handle, display_path(raw)), input_format)
            except OSError as exc:
                yield IngestError(Source(display_path(raw), input_format or "text"), _cannot_read(exc))
        else:
            yield IngestError(Source(display_path(raw), input_format or "text"),
                              f"{_kind(info.st_mode)}, not a regular file: skipped")
