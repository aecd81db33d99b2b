"""The DuckDB store: idempotent ingest, atomic articles, show and export."""
import duckdb
import pyarrow.parquet as pq

from gestae.model import Actor, Article, Event, IngestError, Location, Quote, Source
from gestae.store import Store


def _article(text="A sentence about a meeting.", n_events=1):
    article = Article(id=f"id-{abs(hash(text))}", source=Source("x.txt", "text"), text=text, title="T",
                      published="2024-01-02T03:04:05+09:00")
    article.actors = [Actor("a1", "Alpha", "KOR", "GOV", "President", "person", [(0, 5)]),
                      Actor("a2", "Beta", "JPN", "GOV", "", "state", [(10, 14)])]
    article.events = [Event(f"e{i}", "CONSULT", actors=["a1"], recipients=["a2"], date="2024-01-01",
                            location=Location("Seoul", "KOR", 37.5, 127.0), span=(0, 10), trigger="met")
                      for i in range(1, n_events + 1)]
    article.quotes = [Quote("hello", "a1", (2, 7))]
    return article


def test_add_is_idempotent(tmp_path):
    with Store(tmp_path / "g.duckdb") as store:
        assert store.add_article(_article()) is True
        assert store.add_article(_article()) is False
        counts = store.counts()
    assert counts["articles"] == 1 and counts["events"] == 1 and counts["actors"] == 2 and counts["quotes"] == 1


def test_failed_insert_leaves_no_half_article(tmp_path):
    article = _article(n_events=2)
    article.events[1].trigger = "met \udc00"  # not storable: fails after the article and actor rows
    with Store(tmp_path / "g.duckdb") as store:
        try:
            store.add_article(article)
        except Exception:
            pass
        assert store.counts()["articles"] == 0 and store.counts()["actors"] == 0


def test_show_and_event_view(tmp_path):
    with Store(tmp_path / "g.duckdb") as store:
        article = _article()
        store.add_article(article)
        assert store.article_json(article.id[:8])["title"] == "T"
        row = store.con.execute("SELECT actor_countries, recipient_countries, location_name FROM event_view").fetchone()
    assert row == (["KOR"], ["JPN"], "Seoul")


def test_errors_table(tmp_path):
    with Store(tmp_path / "g.duckdb") as store:
        store.add_error(IngestError(Source("bad.jsonl", "jsonl", line=3), "malformed JSON"))
        assert store.con.execute("SELECT path, line, message FROM ingest_errors").fetchone() == \
            ("bad.jsonl", 3, "malformed JSON")


def test_export_csv_and_parquet(tmp_path):
    with Store(tmp_path / "g.duckdb") as store:
        store.add_article(_article())
        store.export_table("event_view", str(tmp_path / "e.csv"), "csv")
        store.export_table("events", str(tmp_path / "e.parquet"), "parquet")
    assert "CONSULT" in (tmp_path / "e.csv").read_text()
    assert pq.read_table(tmp_path / "e.parquet").num_rows == 1


def test_duckdb_buffer_is_bounded_and_settable(tmp_path, monkeypatch):
    def limit():
        with Store(tmp_path / "g.duckdb") as store:
            return store.con.execute("SELECT current_setting('memory_limit')").fetchone()[0]

    monkeypatch.delenv("GESTAE_DB_MEMORY", raising=False)
    assert limit() == "244.1 MiB"  # 256 MB, not DuckDB's 80% of RAM
    monkeypatch.setenv("GESTAE_DB_MEMORY", "1GB")
    assert limit() == "953.6 MiB"


def test_bad_memory_setting_is_one_line_and_frees_the_file(tmp_path, monkeypatch):
    import pytest
    from gestae.errors import GestaeError

    monkeypatch.setenv("GESTAE_DB_MEMORY", "lots")
    with pytest.raises(GestaeError, match=r"^GESTAE_DB_MEMORY='lots': not a memory size"):
        Store(tmp_path / "g.duckdb")
    duckdb.connect(str(tmp_path / "g.duckdb")).close()  # no connection left holding the file


def test_stored_ids_are_compact_and_answer_like_a_set(tmp_path):
    from gestae.store import StoredIds

    with Store(tmp_path / "g.duckdb") as store:
        for text in ("One meeting.", "Another meeting."):
            store.add_article(_article(text))
        hex_id = "00ff00ff00ff00ff"
        article = _article("A third meeting.")
        article.id = hex_id
        store.add_article(article)
        stored = store.all_ids()
    assert isinstance(stored, StoredIds) and len(stored) == 3
    assert stored.numbers.tolist() == [0x00FF00FF00FF00FF] and len(stored.others) == 2
    others = sorted(stored.others)
    asked = [hex_id, "00ff00ff00ff00fe", "ffffffffffffffff", others[0], "id-elsewhere", "00FF00FF00FF00FF"]
    assert stored.intersection(asked) == {hex_id, others[0]}
    assert set(stored) == {hex_id, *others}
    assert StoredIds().intersection([hex_id]) == set()


def test_reconnect_frees_what_inserts_left_in_duckdbs_memory_and_keeps_the_rows(tmp_path, monkeypatch):
    monkeypatch.delenv("GESTAE_DB_MEMORY", raising=False)
    used = "SELECT sum(memory_usage_bytes) FROM duckdb_memory()"
    with Store(tmp_path / "g.duckdb") as store:
        for batch in range(20):
            store.add_batch([_article(f"Meeting number {batch}-{i}.", n_events=3) for i in range(10)])
        before = store.con.execute(used).fetchone()[0]
        store.reconnect()
        after = store.con.execute(used).fetchone()[0]
        assert store.counts()["articles"] == 200 and store.counts()["events"] == 600
        assert store.con.execute("SELECT current_setting('memory_limit')").fetchone()[0] == "244.1 MiB"
        assert store.add_article(_article("One more meeting.")) is True
    assert before > 0 and after < before / 4
