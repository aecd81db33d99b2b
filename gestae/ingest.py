"""Readers: paths in, `RawRecord`s (or `IngestError`s) out, streaming.

A path is a file, a directory (read recursively, in name order) or '-' for standard input. Each file's
format is detected from its content unless the user names it. Readers never raise on bad input: every
problem becomes an `IngestError` naming the file (and line) so a batch can go on.
"""
from __future__ import annotations

import gzip
import json
import os
import sys
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Union

from gestae.model import IngestError, RawRecord, Source

Item = Union[RawRecord, IngestError]

# A single article larger than this is not an article (a dump, a binary, a log): refuse it.
MAX_ARTICLE_BYTES = 20 * 1024 * 1024
SNIFF_BYTES = 8192


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; anything else raises UnicodeDecodeError."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    return data.decode("utf-8-sig")


def _decode_error(exc: UnicodeDecodeError) -> str:
    bad = exc.object[exc.start:exc.start + 1]
    return f"undecodable bytes: not UTF-8 (byte 0x{bad.hex()} at offset {exc.start})"


def detect_format(head: bytes) -> str:
    """Guess a file's format from its first bytes: jsonl, html, rss, warc or text."""
    if head[:2] == b"\x1f\x8b":
        try:
            head = gzip.decompress(head)
        except (OSError, EOFError):
            # A truncated gzip stream: decompress what we have.
            import zlib
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head)
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
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
    return b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff"))


def _read_whole(path: Path, label: str, fmt: str) -> Iterator[Item]:
    """Read one single-article file (text or HTML)."""
    source = Source(path=label, format=fmt)
    try:
        size = path.stat().st_size if label != "-" else 0
        if size > MAX_ARTICLE_BYTES:
            yield IngestError(source, f"file too large for one article ({size / 1e6:.0f} MB > "
                                      f"{MAX_ARTICLE_BYTES / 1e6:.0f} MB)")
            return
        data = sys.stdin.buffer.read(MAX_ARTICLE_BYTES + 1) if label == "-" else path.read_bytes()
    except OSError as exc:
        yield IngestError(source, f"cannot read file ({exc.strerror or exc})")
        return
    if len(data) > MAX_ARTICLE_BYTES:
        yield IngestError(source, f"input too large for one article (> {MAX_ARTICLE_BYTES / 1e6:.0f} MB)")
        return
    if not data.strip():
        yield IngestError(source, "empty file")
        return
    if _is_binary(data[:SNIFF_BYTES]):
        yield IngestError(source, "binary file, not text or HTML")
        return
    try:
        text = _decode(data)
    except UnicodeDecodeError as exc:
        if fmt != "html":
            yield IngestError(source, _decode_error(exc))
            return
        # HTML declares its own charset; let the HTML extractor decode it.
        text = data.decode("latin-1")
    yield RawRecord(source=source, content=text, is_html=(fmt == "html"))


def _open_lines(path: Path, label: str):
    if label == "-":
        return sys.stdin.buffer
    if path.suffix == ".gz":
        return gzip.open(path, "rb")
    return open(path, "rb")


def _jsonl_record(obj: object, source: Source) -> Item:
    if not isinstance(obj, dict):
        return IngestError(source, "JSON line is not an object")
    text = obj.get("text")
    is_html = False
    if not isinstance(text, str) or not text.strip():
        html = obj.get("html")
        if isinstance(html, str) and html.strip():
            text, is_html = html, True
        else:
            return IngestError(source, "record has no 'text'")
    if len(text) > MAX_ARTICLE_BYTES:
        return IngestError(source, "record text too large for one article")
    if obj.get("id") is not None:
        source.id = str(obj["id"])
    if isinstance(obj.get("url"), str):
        source.url = obj["url"]

    def opt(key: str) -> Optional[str]:
        value = obj.get(key)
        return str(value) if value not in (None, "") else None

    authors = obj.get("authors") or obj.get("author") or []
    if isinstance(authors, str):
        authors = [authors]
    return RawRecord(source=source, content=text, is_html=is_html, title=opt("title"),
                     published=opt("published") or opt("date"), outlet=opt("outlet"),
                     authors=[str(a) for a in authors if a], language=opt("language"))


def read_jsonl(path: Path, label: str) -> Iterator[Item]:
    """One record per line; a bad line is an error for that line only."""
    try:
        handle = _open_lines(path, label)
    except OSError as exc:
        yield IngestError(Source(label, "jsonl"), f"cannot read file ({exc.strerror or exc})")
        return
    try:
        any_line = False
        for number, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            any_line = True
            source = Source(path=label, format="jsonl", line=number)
            try:
                obj = json.loads(_decode(raw))
            except UnicodeDecodeError as exc:
                yield IngestError(source, _decode_error(exc))
                continue
            except json.JSONDecodeError as exc:
                yield IngestError(source, f"malformed JSON ({exc.msg} at column {exc.colno})")
                continue
            yield _jsonl_record(obj, source)
        if not any_line:
            yield IngestError(Source(label, "jsonl"), "empty file")
    except (OSError, EOFError) as exc:
        yield IngestError(Source(label, "jsonl"), f"cannot read file ({exc})")
    finally:
        if handle is not sys.stdin.buffer:
            handle.close()


def read_text(path: Path, label: str) -> Iterator[Item]:
    yield from _read_whole(path, label, "text")


def read_html(path: Path, label: str) -> Iterator[Item]:
    yield from _read_whole(path, label, "html")


def read_feed(path: Path, label: str) -> Iterator[Item]:
    """RSS/Atom: one article per item, from its full content when present, else its summary."""
    import feedparser

    try:
        data = sys.stdin.buffer.read() if label == "-" else path.read_bytes()
    except OSError as exc:
        yield IngestError(Source(label, "rss"), f"cannot read file ({exc.strerror or exc})")
        return
    feed = feedparser.parse(data)
    if feed.bozo and not feed.entries:
        reason = getattr(feed.get("bozo_exception"), "getMessage", lambda: str(feed.get("bozo_exception")))()
        yield IngestError(Source(label, "rss"), f"not a readable RSS/Atom feed ({reason})")
        return
    outlet = feed.feed.get("title")
    for number, entry in enumerate(feed.entries, 1):
        source = Source(label, "rss", id=entry.get("id") or entry.get("link"), url=entry.get("link"), line=None)
        contents = entry.get("content") or []
        body = max((c.get("value", "") for c in contents), key=len, default="") or entry.get("summary", "")
        if not body.strip():
            yield IngestError(source, f"feed item {number} has no content or summary")
            continue
        is_html = "<" in body and ">" in body
        authors = [a.get("name") for a in entry.get("authors", []) if a.get("name")]
        yield RawRecord(source=source, content=_feed_body(body) if is_html else body, is_html=False,
                        title=entry.get("title"), published=entry.get("published") or entry.get("updated"),
                        outlet=outlet, authors=authors)


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


def read_warc(path: Path, label: str) -> Iterator[Item]:
    """WARC (optionally gzipped): every HTML response record is an article."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        handle = sys.stdin.buffer if label == "-" else open(path, "rb")
    except OSError as exc:
        yield IngestError(Source(label, "warc"), f"cannot read file ({exc.strerror or exc})")
        return
    try:
        for record in ArchiveIterator(handle):
            if record.rec_type != "response":
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            source = Source(label, "warc", id=record.rec_headers.get_header("WARC-Record-ID"), url=url)
            content_type = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
            if "html" not in content_type.lower():
                continue
            data = record.content_stream().read(MAX_ARTICLE_BYTES + 1)
            if len(data) > MAX_ARTICLE_BYTES:
                yield IngestError(source, "response too large for one article")
                continue
            charset = "utf-8"
            if "charset=" in content_type.lower():
                charset = content_type.lower().split("charset=")[1].split(";")[0].strip() or "utf-8"
            try:
                html = data.decode(charset, errors="replace")
            except LookupError:
                html = data.decode("utf-8", errors="replace")
            # WARC-Date is when the page was crawled, not published: the page's own date is used.
            yield RawRecord(source=source, content=html, is_html=True)
    except (ArchiveLoadFailed, OSError, ValueError) as exc:
        yield IngestError(Source(label, "warc"), f"cannot read WARC ({str(exc).splitlines()[0][:200]})")
    finally:
        if handle is not sys.stdin.buffer:
            handle.close()


Reader = Callable[[Path, str], Iterator[Item]]

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


def _sniff(path: Path, label: str) -> Union[str, IngestError]:
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        return IngestError(Source(label, "text"), f"cannot read file ({exc.strerror or exc})")
    if not head.strip():
        return IngestError(Source(label, "text"), "empty file")
    fmt = detect_format(head)
    if fmt in ("text", "html") and path.stat().st_size > MAX_ARTICLE_BYTES:
        return fmt  # the reader refuses it with its size
    if fmt == "text" and _is_binary(head):
        return IngestError(Source(label, "text"), "binary file, not text, HTML or JSONL")
    return fmt


def _files(root: Path) -> Iterator[Path]:
    """Files under a directory, recursively, in name order, skipping hidden ones."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


def read_file(path: Path, input_format: Optional[str] = None, label: Optional[str] = None) -> Iterator[Item]:
    label = label or str(path)
    fmt = input_format
    if fmt is None:
        sniffed = _sniff(path, label)
        if isinstance(sniffed, IngestError):
            yield sniffed
            return
        fmt = sniffed
    reader = READERS.get(fmt)
    if reader is None:
        yield IngestError(Source(label, fmt), f"no reader for input format '{fmt}'")
        return
    yield from reader(path, label)


def read_stdin(input_format: Optional[str]) -> Iterator[Item]:
    if input_format is None:
        data = sys.stdin.buffer.read(MAX_ARTICLE_BYTES + 1)
        fmt = detect_format(data[:SNIFF_BYTES])
        import io
        sys.stdin = io.TextIOWrapper(io.BytesIO(data))  # re-readable for the chosen reader
        input_format = fmt
    yield from READERS[input_format](Path("-"), "-")


def read_paths(paths: Iterable[str], input_format: Optional[str] = None) -> Iterator[Item]:
    """Every record under the given paths, in order."""
    for raw in paths:
        if raw == "-":
            yield from read_stdin(input_format)
            continue
        path = Path(raw)
        if path.is_dir():
            for file in _files(path):
                yield from read_file(file, input_format)
        elif path.exists():
            yield from read_file(path, input_format)
        else:
            yield IngestError(Source(raw, input_format or "text"), "no such file or directory")
