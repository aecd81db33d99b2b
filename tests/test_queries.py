"""The query layer over a small hand-made database: every filter, paging, series, errors, the CLI."""
import csv
import io
import json
import subprocess
import sys

import duckdb
import pytest

from gestae import queries
from gestae.queries import EventFilter, QueryError
from web_fixtures import build


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build(tmp_path_factory.mktemp("q") / "q.duckdb")


@pytest.fixture
def con(db):
    connection = duckdb.connect(str(db), read_only=True)
    yield connection
    connection.close()


def keys(page):
    return sorted((item["article_id"], item["event_id"]) for item in page.items)


@pytest.mark.parametrize("params, expected", [
    ({}, [("k1", "e1"), ("k2", "e1"), ("k3", "e1"), ("k5", "e1"), ("r1", "e1"), ("r1", "e2")]),
    ({"type": "accuse"}, [("k2", "e1")]),
    ({"type": "ASSAULT,THREATEN"}, [("r1", "e1"), ("r1", "e2")]),
    ({"quad_class": "verbal_cooperation"}, [("k1", "e1"), ("k3", "e1"), ("k5", "e1")]),
    ({"quad_class": "Material Conflict"}, [("r1", "e1")]),
    ({"actor_country": "kor"}, [("k1", "e1"), ("k3", "e1"), ("k5", "e1")]),
    ({"recipient_country": "JPN"}, [("k1", "e1"), ("k5", "e1")]),
    ({"actor_country": "KOR", "recipient_country": "JPN"}, [("k1", "e1"), ("k5", "e1")]),
    # either direction, and the reciprocal agreement
    ({"dyad": "JPN,KOR"}, [("k1", "e1"), ("k2", "e1"), ("k3", "e1"), ("k5", "e1")]),
    ({"dyad": "RUS-UKR"}, [("r1", "e1"), ("r1", "e2")]),
    ({"date_from": "2024-01-03"}, [("k2", "e1"), ("k3", "e1"), ("r1", "e1")]),
    ({"date_from": "2024-01-01", "date_to": "2024-01-05"}, [("k1", "e1"), ("k5", "e1"), ("r1", "e1")]),
    ({"min_confidence": "0.85"}, [("k1", "e1"), ("k5", "e1"), ("r1", "e1")]),
    ({"min_sources": "2"}, [("k1", "e1"), ("k5", "e1")]),
    ({"min_sources": "1"}, [("k1", "e1"), ("k2", "e1"), ("k3", "e1"), ("k5", "e1"), ("r1", "e1"), ("r1", "e2")]),
    ({"issue": "Export Controls"}, [("k1", "e1")]),
    ({"article_id": "r1"}, [("r1", "e1"), ("r1", "e2")]),
    ({"dyad": "KOR,JPN", "type": "CONSULT", "min_sources": "2", "date_to": "2024-01-02"}, [("k1", "e1"), ("k5", "e1")]),
])
def test_event_filters(con, params, expected):
    page = queries.events(con, EventFilter.parse(params))
    assert keys(page) == expected
    assert page.total == len(expected)


def test_event_items_carry_parties_article_and_sources(con):
    item = queries.events(con, EventFilter.parse({"article_id": "k1"})).items[0]
    assert [(p["name"], p["country"]) for p in item["actors"]] == [("South Korea", "KOR")]
    assert [(p["name"], p["country"]) for p in item["recipients"]] == [("Japan", "JPN")]
    assert item["num_sources"] == 2 and item["outlet"] == "Outlet A" and item["title"] == "Seoul and Tokyo talk"
    assert item["location"]["name"] == "Busan" and item["date"] == "2024-01-02"


def test_paging_and_order(con):
    first = queries.events(con, limit=4, offset=0)
    second = queries.events(con, limit=4, offset=4)
    assert first.total == second.total == 6 and first.next_offset == 4 and second.next_offset is None
    assert len(first.items) == 4 and len(second.items) == 2
    assert not set(keys(first)) & set(keys(second))
    dates = [i["date"] for i in first.items + second.items]
    assert dates[-1] is None  # undated last
    assert [d for d in dates if d] == sorted([d for d in dates if d], reverse=True)
    by_sources = queries.events(con, order="sources").items
    assert [i["num_sources"] for i in by_sources[:2]] == [2, 2]
    assert queries.events(con, offset=100).items == [] and queries.events(con, offset=100).total == 6


@pytest.mark.parametrize("params, message", [
    ({"type": "DANCE"}, "type: 'DANCE' is not a PLOVER type"),
    ({"quad_class": "neutral"}, "quad_class: 'neutral'"),
    ({"actor_country": "Korea"}, "actor_country: 'Korea' is not an ISO 3166-1"),
    ({"dyad": "KOR"}, "dyad: 'KOR' must be two country codes"),
    ({"date_from": "2024-02-30"}, "date_from: '2024-02-30' is not a date"),
    ({"date_from": "2024-03-01", "date_to": "2024-01-01"}, "is after date_to"),
    ({"min_confidence": "high"}, "min_confidence: 'high' is not a number"),
    ({"min_confidence": "1.5"}, "min_confidence: must be between"),
    ({"min_sources": "0"}, "min_sources: must be at least 1"),
    ({"actors": "KOR"}, "unknown filter actors"),
])
def test_bad_filters(params, message):
    with pytest.raises(QueryError, match=None) as error:
        EventFilter.parse(params)
    assert message in str(error.value)


def test_page_limits():
    assert queries.check_page(None, None) == (queries.DEFAULT_LIMIT, 0)
    with pytest.raises(QueryError, match="limit: must be between 1 and"):
        queries.check_page(queries.MAX_LIMIT + 1, 0)
    with pytest.raises(QueryError, match="offset: must be at least 0"):
        queries.check_page(10, -1)


def test_filter_round_trips_as_params():
    chosen = EventFilter.parse({"type": "accuse,consult", "quad_class": "VERBAL CONFLICT", "dyad": "kor,jpn",
                                "min_sources": "2"})
    assert EventFilter.parse(chosen.as_params()) == chosen


def test_articles_search_outlet_dates(con):
    assert [a["id"] for a in queries.articles(con, q="SHUTTLE").items] == ["k3"]
    assert {a["id"] for a in queries.articles(con, q="Tokyo").items} == {"k1", "k5"}
    assert {a["id"] for a in queries.articles(con, outlet="outlet b").items} == {"k2", "r1"}
    window = queries.articles(con, date_from="2024-01-03", date_to="2024-01-10")
    assert {a["id"] for a in window.items} == {"k2", "r1", "h1"}
    newest = queries.articles(con, limit=2)
    assert [a["id"] for a in newest.items] == ["k3", "k2"] and newest.total == 6 and newest.next_offset == 2
    # a '%' or '_' in the search is a character, not a wildcard
    assert queries.articles(con, q="%").total == 0


def test_article_by_id_and_prefix(con):
    assert queries.article(con, "k1")["id"] == "k1"
    assert queries.article(con, "r")["id"] == "r1"      # unique prefix
    assert queries.article(con, "k") is None              # ambiguous
    assert queries.article(con, "zz") is None


def test_dyad_series_by_week_and_month(con):
    weekly = queries.dyad_series(con, "jpn", "kor", interval="week")
    assert (weekly["a"], weekly["b"]) == ("JPN", "KOR")
    assert [(p["period"], p["events"], p["sources"]) for p in weekly["periods"]] == [
        ("2024-01-01", 2, 2), ("2024-01-08", 1, 1), ("2024-01-29", 1, 1)]
    assert [(p["period"], p["quad_class"], p["events"]) for p in weekly["series"]] == [
        ("2024-01-01", "VERBAL COOPERATION", 2), ("2024-01-08", "VERBAL CONFLICT", 1),
        ("2024-01-29", "VERBAL COOPERATION", 1)]
    assert weekly["periods"][0]["mean_score"] == 2.5
    monthly = queries.dyad_series(con, "KOR", "JPN", interval="month")
    assert [(p["period"], p["events"]) for p in monthly["periods"]] == [("2024-01-01", 3), ("2024-02-01", 1)]
    assert monthly["periods"][0]["mean_score"] == round((2.5 + 2.5 - 3.0) / 3, 2)
    russia = queries.dyad_series(con, "RUS", "UKR")
    assert russia["undated_events"] == 1 and sum(p["events"] for p in russia["periods"]) == 1
    with pytest.raises(QueryError, match="interval"):
        queries.dyad_series(con, "KOR", "JPN", interval="year")


def test_top_dyads_and_summary(con):
    top = queries.top_dyads(con, 5)
    assert [(d["a"], d["b"], d["events"]) for d in top.items] == [("JPN", "KOR", 4), ("RUS", "UKR", 2)]
    assert top.total == 2 and [d["a"] for d in queries.top_dyads(con, 1, offset=1).items] == ["RUS"]
    summary = queries.summary(con)
    assert summary["counts"]["articles"] == 6 and summary["counts"]["events"] == 6
    assert summary["events_by_quad_class"]["VERBAL COOPERATION"] == 3
    assert summary["event_dates"] == {"first": "2024-01-02", "last": "2024-02-01", "dated": 5}
    assert summary["event_clusters"] == 5


def gestae(*args):
    return subprocess.run([sys.executable, "-m", "gestae", *map(str, args)], capture_output=True, text=True,
                          timeout=120)


def test_cli_events_formats_and_errors(db):
    run = gestae("events", "--db", db, "--dyad", "KOR,JPN", "--format", "json")
    assert run.returncode == 0, run.stderr
    page = json.loads(run.stdout)
    assert page["total"] == 4 and len(page["items"]) == 4
    run = gestae("events", "--db", db, "--min-sources", "2", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert [(r["article_id"], r["num_sources"], r["actor_countries"]) for r in rows] == [
        ("k1", "2", "KOR"), ("k5", "2", "KOR")]
    run = gestae("events", "--db", db, "--type", "ASSAULT")
    assert run.returncode == 0 and "1 event" in run.stdout and "Russian forces" in run.stdout
    bad = gestae("events", "--db", db, "--from", "yesterday")
    assert bad.returncode == 1 and "date_from: 'yesterday' is not a date" in bad.stderr
    assert "Traceback" not in bad.stderr
    summary = gestae("summary", "--db", db)
    assert summary.returncode == 0 and "Seoul and Tokyo talk" in summary.stdout


@pytest.mark.parametrize("order", list(queries.ORDERS))
def test_deep_pages_read_the_same_rows(con, monkeypatch, order):
    """Past DEEP_OFFSET a page is sorted on its keys first: the same rows in the same order."""
    shallow = [queries.events(con, limit=2, offset=n, order=order).to_dict() for n in (0, 2, 4)]
    monkeypatch.setattr(queries, "DEEP_OFFSET", 0)
    assert [queries.events(con, limit=2, offset=n, order=order).to_dict() for n in (0, 2, 4)] == shallow


def test_an_older_file_is_upgraded_once(tmp_path):
    """A file written before events carried their parties gets the columns, filled from `actors`."""
    from gestae.store import needs_upgrade, open_for_reading

    path = build(tmp_path / "old.duckdb")
    with duckdb.connect(str(path)) as old:
        for column in ("actor_countries", "recipient_countries", "actor_names", "recipient_names"):
            old.execute(f"ALTER TABLE events DROP COLUMN {column}")
        assert needs_upgrade(old)
    with open_for_reading(path) as store:
        assert not needs_upgrade(store.con)
        rows = store.con.execute("SELECT article_id, event_id, actor_countries, recipient_names FROM events "
                                 "ORDER BY article_id, event_id").fetchall()
        assert ("k3", "e1", ["KOR", "JPN"], []) in rows and ("r1", "e2", ["RUS"], ["Ukraine"]) in rows
        assert len(queries.events(store.con, EventFilter.parse({"dyad": "KOR,JPN"})).items) == 4
