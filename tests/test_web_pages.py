"""The server-rendered pages: content, highlighted spans, escaping, errors, paste."""
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gestae.web import highlight
from gestae.web.app import create_app
from web_fixtures import HOSTILE, build

TEMPLATES = Path(__file__).resolve().parent.parent / "gestae" / "web" / "templates"
STATIC = TEMPLATES.parent / "static"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with TestClient(create_app(build(tmp_path_factory.mktemp("pages") / "p.duckdb"))) as c:
        yield c


class Spans(HTMLParser):
    """(classes, attributes, text) of every highlighted piece of #article-text."""

    def __init__(self):
        super().__init__()
        self.pieces, self.stack, self.inside = [], [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id") == "article-text":
            self.inside = 1
        elif self.inside:
            self.inside += 1
        self.stack.append(attrs)

    def handle_endtag(self, tag):
        self.stack.pop()
        if self.inside:
            self.inside -= 1

    def handle_data(self, data):
        if self.inside >= 1:
            attrs = self.stack[-1]
            self.pieces.append((set(attrs.get("class", "").split()), attrs, data))


def pieces(html):
    parser = Spans()
    parser.feed(html)
    return parser.pieces


def test_home_counts_latest_and_dyads(client):
    html = client.get("/").text
    assert "Seoul and Tokyo talk" in html and 'href="/dyads/JPN/KOR"' in html
    assert re.search(r'<div class="n">6</div><div class="label">articles</div>', html)
    assert 'action="/articles"' in html


def test_articles_page_search(client):
    html = client.get("/articles", params={"q": "shuttle"}).text
    assert "1 article" in html and "/articles/k3" in html and "/articles/k1" not in html


def test_article_page_highlights_every_kind(client):
    html = client.get("/articles/k1").text
    found = pieces(html)
    by_text = {text: (classes, attrs) for classes, attrs, text in found}
    assert by_text["Seoul"][0] >= {"hl", "actor", "span"} and by_text["Seoul"][1]["data-actor"] == "a1"
    assert by_text["talks"][0] >= {"trigger"} and by_text["talks"][1]["data-trigger"] == "e1"
    assert by_text["on Tuesday"][0] >= {"date"}
    assert 'id="event-e1"' in html and 'data-parties="a1 a2"' in html
    for kind in highlight.LEGEND:
        assert f'data-legend="{kind}"' in html
    assert "/static/article.js" in html


def test_article_text_and_metadata_are_escaped(client):
    html = client.get("/articles/h1").text
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>Officials</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(3)&lt;/script&gt; caption" in html       # folded caption
    assert "&lt;b&gt;Share&lt;/b&gt;" in html                              # folded removed text
    assert "Outlet &lt;i&gt;X&lt;/i&gt;" in html
    text = "".join(t for _, _, t in pieces(html))
    assert text == HOSTILE  # the article text comes back whole, character for character
    assert re.search(r"<details[^>]*id=\"captions\"", html) and re.search(r"<details[^>]*id=\"removed\"", html)


def test_highlight_render_overlaps_and_escapes():
    text = 'A <said> "B met C"'
    marks = [highlight.Mark(0, 1, "actor", "a1"), highlight.Mark(9, 18, "quote", "0"),
             highlight.Mark(10, 11, "actor", "a2"), highlight.Mark(12, 15, "trigger", "e1")]
    html = str(highlight.render(text, marks))
    assert html.startswith('<span class="hl actor" data-actor="a1">A</span> &lt;said&gt; ')
    assert '<span class="hl quote actor" data-quote="0" data-actor="a2">B</span>' in html
    assert '<span class="hl quote trigger" data-quote="0" data-trigger="e1">met</span>' in html
    assert re.sub(r"<[^>]+>", "", html).replace("&lt;", "<").replace("&gt;", ">").replace("&#34;", '"') == text


def test_dates_are_found_inside_their_event_only():
    article = {"text": "On Monday they met. On Monday they left.",
               "events": [{"id": "e1", "span": [20, 40], "date_text": "On Monday", "trigger_span": [35, 39]}]}
    dates = [m for m in highlight.marks(article) if m.kind == "date"]
    assert [(m.start, m.end) for m in dates] == [(20, 29)]


def test_events_page_filters_and_links(client):
    html = client.get("/events", params={"dyad": "KOR,JPN", "type": "CONSULT"}).text
    assert '<span id="event-total">2</span>' in html
    assert 'href="/articles/k1#event-e1"' in html and 'href="/articles/k5#event-e1"' in html
    assert 'id="export-csv" href="/api/events?type=CONSULT&amp;dyad=KOR%2CJPN&amp;format=csv"' in html
    bad = client.get("/events", params={"min_confidence": "lots"})
    assert bad.status_code == 400 and "min_confidence" in bad.text and "<h1>400</h1>" in bad.text


def test_dyad_page_carries_chart_data(client):
    html = client.get("/dyads/KOR/JPN").text
    data = json.loads(re.search(r'<script type="application/json" id="dyad-data">(.*?)</script>', html, re.S).group(1))
    assert len(data["periods"]) == 3 and len(data["series"]) == 3
    assert 'data-points="6"' in html
    assert "/static/vendor/plotly/plotly.min.js" in html and "/static/dyad.js" in html
    assert client.get("/dyads", params={"a": "kor", "b": "jpn"}, follow_redirects=False).headers["location"] == "/dyads/KOR/JPN"
    assert client.get("/dyads/KOR/XX").status_code == 400


def test_unknown_article_is_404_page(client):
    response = client.get("/articles/doesnotexist")
    assert response.status_code == 404 and "no article with id" in response.text


def test_paste_codes_without_storing(client):
    text = "South Korea and Japan agreed on Monday to expand defense cooperation.\n\n<script>alert(1)</script>"
    response = client.post("/paste", data={"text": text, "title": "Pasted"})
    assert response.status_code == 200
    assert "Not stored" in response.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "<script>alert(1)" not in response.text
    assert client.get("/api/summary").json()["counts"]["articles"] == 6
    as_text = client.post("/paste", data={"text": "<script>alert(1)</script> was pasted.", "format": "text"})
    assert "&lt;script&gt;alert(1)&lt;/script&gt; was pasted." in as_text.text
    empty = client.post("/paste", data={"text": "   "})
    assert empty.status_code == 422 and "Paste an article" in empty.text


def test_paste_and_store(tmp_path):
    with TestClient(create_app(build(tmp_path / "s.duckdb"))) as c:
        response = c.post("/paste", data={"text": "Japan and South Korea agreed on Monday to hold talks.",
                                          "store": "1"}, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/articles/")
        assert c.get(response.headers["location"]).status_code == 200
        assert c.get("/api/summary").json()["counts"]["articles"] == 7


def test_assets_are_local_and_scripts_external():
    """No page pulls anything from another host, and no template holds inline script code."""
    for path in list(TEMPLATES.glob("*.html")) + list(STATIC.glob("*")):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", source), path
        assert not re.search(r"<script(?![^>]*\b(src|type=\"application/json\"))[^>]*>", source), path
        assert not re.search(r"\son[a-z]+=", source), path  # no inline event handlers
