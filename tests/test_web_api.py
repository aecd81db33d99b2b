"""The REST API with FastAPI's test client: every endpoint, filter, limit and error code."""
import csv
import io
import json
import socket
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from gestae import queries
from gestae.web.app import CSP, create_app
from web_fixtures import build

ARTICLE_TEXT = ("South Korea and Japan agreed on Monday to expand defense cooperation, "
                "the Foreign Ministry in Seoul said Tuesday.")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build(tmp_path_factory.mktemp("api") / "api.duckdb")


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db)) as c:
        yield c


@pytest.fixture
def writable(tmp_path):
    """A client over its own database, for store requests. (Not a copy of `db`: reading that file here
    would close this process's handle on it, and with it the lock the module's server holds.)"""
    with TestClient(create_app(build(tmp_path / "own.duckdb"))) as c:
        yield c


def test_health_and_summary(client):
    assert client.get("/api/health").json() == {"status": "ok"}
    summary = client.get("/api/summary").json()
    assert summary["counts"]["articles"] == 6 and summary["counts"]["events"] == 6
    assert summary["story_groups"] >= 1


def test_articles_list_filters_and_paging(client):
    page = client.get("/api/articles", params={"limit": 2}).json()
    assert page["total"] == 6 and len(page["items"]) == 2 and page["next_offset"] == 2
    rest = client.get("/api/articles", params={"limit": 2, "offset": 4}).json()
    assert len(rest["items"]) == 2 and rest["next_offset"] is None
    assert [a["id"] for a in client.get("/api/articles", params={"q": "shuttle"}).json()["items"]] == ["k3"]
    assert {a["id"] for a in client.get("/api/articles", params={"outlet": "Outlet B"}).json()["items"]} == {"k2", "r1"}
    dated = client.get("/api/articles", params={"date_from": "2024-01-03", "date_to": "2024-01-04"}).json()
    assert [a["id"] for a in dated["items"]] == ["r1"]


def test_article_json_and_404(client, db):
    import duckdb
    response = client.get("/api/articles/k1")
    assert response.status_code == 200
    stored = json.loads(duckdb.connect(str(db), read_only=True).execute(
        "SELECT json FROM articles WHERE id = 'k1'").fetchone()[0])
    assert response.json() == stored
    assert response.text == json.dumps(stored, ensure_ascii=False, indent=2) + "\n"
    missing = client.get("/api/articles/nope")
    assert missing.status_code == 404 and missing.json()["error"] == "no article with id 'nope'"


@pytest.mark.parametrize("params, total", [
    ({}, 6), ({"type": "CONSULT"}, 2), ({"quad_class": "verbal_conflict"}, 2), ({"actor_country": "RUS"}, 2),
    ({"recipient_country": "UKR"}, 2), ({"dyad": "KOR,JPN"}, 4), ({"date_from": "2024-01-05"}, 2),
    ({"date_to": "2024-01-02"}, 2), ({"min_confidence": "0.9"}, 3), ({"min_sources": "2"}, 2),
    ({"issue": "war"}, 2), ({"article_id": "k2"}, 1),
])
def test_events_filters_match_the_query_layer(client, db, params, total):
    import duckdb
    body = client.get("/api/events", params=params).json()
    assert body["total"] == total == len(body["items"])
    with duckdb.connect(str(db), read_only=True) as con:
        expected = queries.events(con, queries.EventFilter.parse(params)).to_dict()
    assert body == expected


def test_events_paging_limit_and_exports(client):
    first = client.get("/api/events", params={"limit": 5}).json()
    assert len(first["items"]) == 5 and first["next_offset"] == 5
    assert len(client.get("/api/events", params={"limit": 5, "offset": 5}).json()["items"]) == 1
    too_many = client.get("/api/events", params={"limit": queries.MAX_LIMIT + 1})
    assert too_many.status_code == 400 and "limit: must be between 1 and" in too_many.json()["error"]
    exported = client.get("/api/events", params={"dyad": "KOR,JPN", "format": "csv"})
    assert exported.headers["content-type"].startswith("text/csv") and "attachment" in exported.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert len(rows) == 4 and set(rows[0]) == set(queries.FLAT_EVENT_COLUMNS)
    lines = client.get("/api/events", params={"type": "ASSAULT", "format": "jsonl"}).text.splitlines()
    assert [json.loads(line)["trigger"] for line in lines] == ["shelled"]
    # exports have their own (higher) maximum
    assert client.get("/api/events", params={"format": "csv", "limit": queries.MAX_LIMIT + 1}).status_code == 200
    assert client.get("/api/events", params={"format": "csv", "limit": queries.MAX_EXPORT + 1}).status_code == 400


@pytest.mark.parametrize("params, message", [
    ({"type": "DANCE"}, "not a PLOVER type"),
    ({"quad_class": "x"}, "quad_class"),
    ({"dyad": "KOR"}, "two country codes"),
    ({"date_from": "tomorrow"}, "not a date"),
    ({"min_confidence": "2"}, "between"),
    ({"min_sources": "many"}, "not an integer"),
    ({"limit": "ten"}, "limit"),
    ({"offset": "-3"}, "offset"),
    ({"order": "random"}, "order"),
    ({"format": "xml"}, "format"),
    ({"actor": "KOR"}, "unknown parameter actor"),
])
def test_events_bad_values_are_400(client, params, message):
    response = client.get("/api/events", params=params)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_dyads(client):
    top = client.get("/api/dyads").json()["items"]
    assert [(d["a"], d["b"]) for d in top] == [("JPN", "KOR"), ("RUS", "UKR")]
    second = client.get("/api/dyads", params={"limit": 1, "offset": 1}).json()
    assert second["total"] == 2 and [d["a"] for d in second["items"]] == ["RUS"] and second["next_offset"] is None
    assert client.get("/api/dyads", params={"limit": 0}).status_code == 400
    series = client.get("/api/dyads/KOR/JPN", params={"interval": "week"}).json()
    assert [p["period"] for p in series["periods"]] == ["2024-01-01", "2024-01-08", "2024-01-29"]
    assert len(series["series"]) == 3
    assert client.get("/api/dyads/KOR/JPN", params={"interval": "month"}).json()["interval"] == "month"
    assert client.get("/api/dyads/KOR/JPN", params={"interval": "decade"}).status_code == 400
    assert client.get("/api/dyads/Korea/JPN").status_code == 400
    assert client.get("/api/dyads/KOR/JPN", params={"date_from": "2024-13-01"}).status_code == 400


def test_extract_text_html_and_json_not_stored(client):
    plain = client.post("/api/extract", content=ARTICLE_TEXT.encode(), headers={"content-type": "text/plain"})
    assert plain.status_code == 200, plain.text
    article = plain.json()
    assert article["text"].startswith("South Korea and Japan agreed")
    assert any(e["type"] == "AGREE" for e in article["events"])
    html = f"<html><head><title>Pact</title></head><body><article><h1>Pact</h1><p>{ARTICLE_TEXT}</p>" \
           f"<p>{ARTICLE_TEXT.replace('Monday', 'Sunday')}</p></article></body></html>"
    coded = client.post("/api/extract", content=html.encode(), headers={"content-type": "text/html"})
    assert coded.status_code == 200 and coded.json()["source"]["format"] == "html"
    as_json = client.post("/api/extract", json={"text": ARTICLE_TEXT, "title": "Pact", "outlet": "Outlet Q",
                                                 "published": "2024-03-05T10:00:00+09:00"})
    body = as_json.json()
    assert body["title"] == "Pact" and body["outlet"] == "Outlet Q" and body["published"].startswith("2024-03-05")
    # not stored
    assert client.get(f"/api/articles/{body['id']}").status_code == 404
    assert client.get("/api/summary").json()["counts"]["articles"] == 6


def test_extract_matches_the_cli(client, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE_TEXT, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "gestae", "extract", str(path)], capture_output=True, text=True,
                         timeout=300)
    cli = json.loads(run.stdout)
    api = client.post("/api/extract", content=ARTICLE_TEXT.encode(), headers={"content-type": "text/plain"}).json()
    cli.pop("source"), api.pop("source")
    assert api == cli


@pytest.mark.parametrize("body, content_type, message", [
    (b'{"text": "x"', "application/json", "malformed JSON"),
    (b'["a list"]', "application/json", 'must be an object with a "text" string'),
    (b'{"title": "no text"}', "application/json", 'must be an object with a "text" string'),
    (b'{"text": "ok", "title": 3}', "application/json", "must be strings: title"),
    (b"   ", "text/plain", "no article text"),
    (b"\xff\xfe\xfa", "text/plain", "not UTF-8"),
])
def test_extract_malformed_bodies_are_422(client, body, content_type, message):
    response = client.post("/api/extract", content=body, headers={"content-type": content_type})
    assert response.status_code == 422
    assert message in response.json()["error"]


def test_body_size_limit_is_413(client):
    big = b"word " * (1024 * 1024)  # 5 MB
    response = client.post("/api/extract", content=big, headers={"content-type": "text/plain"})
    assert response.status_code == 413 and "too large" in response.json()["error"]

    def chunks():  # no Content-Length: counted while reading
        for _ in range(5):
            yield b"x" * (1024 * 1024)
    assert client.post("/api/extract", content=chunks(), headers={"content-type": "text/plain"}).status_code == 413


def test_cross_site_post_is_refused(client):
    response = client.post("/api/extract?store=true", content=ARTICLE_TEXT.encode(),
                           headers={"content-type": "text/plain", "origin": "https://elsewhere.example"})
    assert response.status_code == 403
    same = client.post("/api/extract", content=ARTICLE_TEXT.encode(),
                       headers={"content-type": "text/plain", "origin": "http://testserver"})
    assert same.status_code == 200


def test_extract_store_true_stores_once(writable):
    assert writable.get("/api/summary").json()["counts"]["articles"] == 6  # cached until a write
    first = writable.post("/api/extract?store=true", json={"text": ARTICLE_TEXT, "outlet": "Outlet Q"})
    assert first.status_code == 201 and first.headers["x-gestae-stored"] == "new"
    article_id = first.json()["id"]
    assert first.headers["location"] == f"/api/articles/{article_id}"
    stored = writable.get(f"/api/articles/{article_id}")
    assert stored.status_code == 200 and stored.text == first.text  # exactly what extract returned
    again = writable.post("/api/extract?store=true", json={"text": ARTICLE_TEXT, "outlet": "Outlet Q"})
    assert again.status_code == 200 and again.headers["x-gestae-stored"] == "already"
    assert writable.get("/api/summary").json()["counts"]["articles"] == 7
    # the stored article's events are clustered like an ingest's
    events = writable.get("/api/events", params={"article_id": article_id}).json()["items"]
    assert events and all(e["cluster_id"] for e in events)


def test_security_headers_everywhere(client):
    for path in ("/", "/api/summary", "/api/events?type=DANCE", "/nowhere", "/docs", "/static/gestae.css"):
        response = client.get(path)
        assert response.headers["content-security-policy"] == CSP, path
        assert response.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in CSP and "unsafe-eval" not in CSP and "script-src 'self' 'unsafe-inline'" not in CSP


def test_openapi_and_docs_are_local(client):
    schema = client.get("/openapi.json").json()
    assert {"/api/articles", "/api/articles/{article_id}", "/api/events", "/api/dyads/{a}/{b}", "/api/summary",
            "/api/extract"} <= set(schema["paths"])
    docs = client.get("/docs").text
    assert "http://" not in docs and "https://" not in docs and "<script>" not in docs.replace("<script src", "")
    for asset in ("/static/vendor/swagger/swagger-ui-bundle.js", "/static/vendor/swagger/swagger-ui.css",
                  "/static/vendor/plotly/plotly.min.js", "/static/docs.js"):
        assert client.get(asset).status_code == 200, asset


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/nothing")
    assert response.status_code == 404 and response.json()["error"] == "no such page: /api/nothing"


def test_ingest_into_a_served_file_fails_with_one_line(client, db, tmp_path):
    """DuckDB allows one writing process and no readers meanwhile: the ingest says so, no traceback."""
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE_TEXT, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "gestae", "ingest", str(path), "--db", str(db), "--quiet"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "in use by another process (PID" in run.stderr and run.stderr.count("\n") == 1


def test_serve_on_a_missing_file_is_one_line(tmp_path):
    run = subprocess.run([sys.executable, "-m", "gestae", "serve", "--db", str(tmp_path / "none.duckdb")],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and "no such database" in run.stderr and "Traceback" not in run.stderr


def test_store_while_another_process_reads_is_409(tmp_path):
    db = build(tmp_path / "shared.duckdb")
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time\n"
                               f"con = duckdb.connect({str(db)!r}, read_only=True)\n"
                               "print('ready', flush=True)\ntime.sleep(120)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with TestClient(create_app(db)) as c:
            response = c.post("/api/extract?store=true", json={"text": ARTICLE_TEXT})
            assert response.status_code == 409
            assert f"in use by another process (PID {holder.pid}" in response.json()["error"]
            assert c.get("/api/summary").json()["counts"]["articles"] == 6  # still serving
    finally:
        holder.kill()
        holder.wait()


def test_serve_on_a_busy_port_is_one_line(db):
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        run = subprocess.run([sys.executable, "-m", "gestae", "serve", "--db", str(db), "--port", str(port)],
                             capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr.strip() == f"gestae: cannot serve on 127.0.0.1:{port} (Address already in use); choose another --port"
