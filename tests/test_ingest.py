"""Readers: formats, detection, directories, stdin, and every kind of bad input."""
import gzip
import json

from gestae.ingest import detect_format, read_paths
from gestae.model import IngestError, RawRecord

HTML = """<!DOCTYPE html><html><head><title>Envoys meet in Geneva | Daily Example</title>
<meta property="og:site_name" content="Daily Example"></head><body>
<nav>Home | World | Sport</nav>
<article><h1>Envoys meet in Geneva</h1>
<p>Envoys from both governments met in Geneva on Thursday for a second round of talks on a prisoner exchange, officials said.</p>
<p>The talks lasted six hours and will resume next month, according to a statement from the host government.</p>
</article><footer>Copyright 2024 Daily Example</footer></body></html>"""


def _items(*paths, fmt=None):
    return list(read_paths([str(p) for p in paths], fmt))


def test_detect_format():
    assert detect_format(b'{"id": 1, "text": "x"}\n') == "jsonl"
    assert detect_format(b"  <!DOCTYPE html><html>") == "html"
    assert detect_format(b'<?xml version="1.0"?><rss version="2.0">') == "rss"
    assert detect_format(b"WARC/1.0\r\n") == "warc"
    assert detect_format(b"The Korea Herald\n\nTitle") == "text"
    assert detect_format(gzip.compress(b'{"id": 1}\n')) == "jsonl"


def test_text_and_html_files(write, pasted_text):
    items = _items(write("a.txt", pasted_text), write("b.html", HTML))
    assert [type(i) for i in items] == [RawRecord, RawRecord]
    assert items[0].source.format == "text" and not items[0].is_html
    assert items[1].source.format == "html" and items[1].is_html


def test_jsonl_records_in_order_with_ids(write):
    lines = [json.dumps({"id": f"r{i}", "text": f"Story number {i}.", "title": f"T{i}",
                         "published": "2024-01-01", "url": f"http://x/{i}"}) for i in range(3)]
    items = _items(write("c.jsonl", "\n".join(lines) + "\n"))
    assert [i.source.id for i in items] == ["r0", "r1", "r2"]
    assert items[1].title == "T1" and items[1].published == "2024-01-01" and items[1].source.url == "http://x/1"
    assert [i.source.line for i in items] == [1, 2, 3]


def test_gzipped_jsonl(write):
    path = write("d.jsonl.gz", gzip.compress(b'{"id": "g1", "text": "Hello there."}\n'))
    items = _items(path)
    assert items[0].source.id == "g1"


def test_malformed_jsonl_line_is_one_error(write):
    path = write("e.jsonl", '{"id": "ok1", "text": "Fine."}\n{"id": "bad", "text": \n{"id": "ok2", "text": "Fine too."}\n'
                            '{"id": "notext"}\n')
    items = _items(path)
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["RawRecord", "IngestError", "RawRecord", "IngestError"]
    assert items[1].line().startswith(f"{path}:2: malformed JSON")
    assert "no 'text'" in items[3].message


def test_directory_recursive_sorted(write, pasted_text):
    write("dir/b.txt", pasted_text)
    a = write("dir/sub/a.txt", pasted_text)
    write("dir/.hidden.txt", pasted_text)
    items = _items(a.rsplit("/sub", 1)[0])
    assert [i.source.path.rsplit("/", 1)[1] for i in items] == ["b.txt", "a.txt"]


def test_stdin(monkeypatch, pasted_text):
    import io
    import sys
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(pasted_text.encode())))
    items = list(read_paths(["-"]))
    assert len(items) == 1 and items[0].source.path == "-" and "Canberra" in items[0].content


def test_input_format_override(write):
    path = write("f.dat", "<p>Just a paragraph that is really text.</p>")
    assert _items(path)[0].source.format == "html"
    assert _items(path, fmt="text")[0].source.format == "text"


def test_bad_inputs_are_one_line_errors(write, tmp_path):
    cases = {
        "missing": str(tmp_path / "nope.txt"),
        "empty": write("empty.txt", ""),
        "binary": write("bin.dat", b"\x00\x01\x02\x03" * 100),
        "undecodable": write("latin.txt", "Caf\xe9 society".encode("latin-1")),
    }
    expected = {"missing": "no such file", "empty": "empty file", "binary": "binary file",
                "undecodable": "undecodable bytes"}
    for name, path in cases.items():
        items = _items(path)
        assert len(items) == 1 and isinstance(items[0], IngestError), name
        assert expected[name] in items[0].message, (name, items[0].message)
        assert items[0].line().startswith(path)
        assert "\n" not in items[0].line()


def test_huge_file_refused_without_reading(write, tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.seek(100 * 1024 * 1024)
        handle.write(b"x")
    items = _items(path)
    assert isinstance(items[0], IngestError) and "too large" in items[0].message


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Example Wire</title><link>http://example.org</link>
<item><title>Talks resume</title><link>http://example.org/1</link><guid>item-1</guid>
<pubDate>Mon, 06 May 2024 08:00:00 GMT</pubDate>
<description>&lt;p&gt;Negotiators resumed talks in Doha on Monday.&lt;/p&gt;&lt;p&gt;A second round is planned.&lt;/p&gt;</description></item>
<item><title>Empty</title><link>http://example.org/2</link><guid>item-2</guid></item>
</channel></rss>"""


def test_rss_items_become_articles(write):
    items = _items(write("feed.xml", RSS))
    assert items[0].source.format == "rss" and items[0].source.url == "http://example.org/1"
    assert items[0].title == "Talks resume" and items[0].outlet == "Example Wire"
    assert items[0].content == "Negotiators resumed talks in Doha on Monday.\n\nA second round is planned."
    assert isinstance(items[1], IngestError) and "no content" in items[1].message


def test_warc_html_responses(tmp_path):
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, ctype, body in [("http://example.org/a", "text/html; charset=utf-8", HTML.encode()),
                                 ("http://example.org/logo.png", "image/png", b"\x89PNG....")]:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.0")
            writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(body),
                                                          http_headers=headers))
    items = _items(path)
    assert len(items) == 1 and items[0].is_html and items[0].source.format == "warc"
    assert items[0].source.url == "http://example.org/a" and "Geneva" in items[0].content
