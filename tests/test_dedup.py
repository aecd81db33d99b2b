"""Duplicate stories (MinHash/LSH story groups) and cross-article event clusters in the store.

The articles are invented for these tests; event fields are set by hand (no spaCy needed).
"""
from __future__ import annotations

import json
import random

import numpy as np
import pytest
from datasketch import MinHash

from gestae import dedup
from gestae.model import Actor, Article, Event, Location, Source
from gestae.store import Store

# A wire story in twelve short paragraphs (invented).
WIRE = [
    "Transport ministers from Chile and Argentina agreed on Monday to reopen the Cristo Redentor "
    "mountain crossing to freight lorries from next month, ending a closure that had lasted since a "
    "landslide damaged the approach road in the autumn.",
    "The agreement was signed at a short ceremony in the city of Mendoza after two days of talks that "
    "officials on both sides described as practical and unusually quick.",
    "Under the deal, Argentine engineers will finish stabilising the slope on their side while Chilean "
    "crews resurface the last eleven kilometres of the road before the customs post.",
    "Exporters of fruit and wine had warned that the closure was adding days to deliveries bound for "
    "Pacific ports and pushing up the cost of refrigerated containers.",
    "A spokeswoman for the Chilean transport ministry said lorries would be allowed through in convoys "
    "at first, with the number of daily crossings raised once inspections of the tunnel were complete.",
    "Local business groups in Mendoza welcomed the announcement but asked for a firm date, noting that "
    "earlier promises to reopen the route had slipped twice since the winter.",
    "The two governments also agreed to set up a joint commission to monitor the slope with sensors and "
    "to share weather warnings so that the pass can be closed quickly when snow is forecast.",
    "Traffic through the crossing normally accounts for a large share of overland trade between the "
    "two neighbours, and hauliers have spent months on a much longer southern detour.",
    "Officials did not say how much the repairs would cost or how the bill would be divided, saying "
    "only that funds had already been set aside in both national budgets.",
    "Drivers' unions said they hoped the reopening would come with better rest areas on the Chilean "
    "side, where queues of several hundred lorries were common before the landslide.",
    "The ministers are expected to meet again in Santiago in the spring to review progress on a second "
    "tunnel that has been discussed for more than a decade.",
    "Passenger buses, which were allowed to resume limited service in the summer, will not be affected "
    "by the new arrangements, the ministries said in a joint statement.",
]
# The same story written independently by another outlet (invented).
OWN_REPORT = (
    "Freight traffic will soon return to the main Andean pass between Argentina and Chile. Meeting in "
    "Mendoza, the two countries' transport chiefs settled on a plan that splits repair work on the "
    "damaged highway and lets convoys of trucks cross from next month. Fruit growers, who have faced "
    "long detours since the slope gave way, called the move overdue. No budget figures were released, "
    "and a follow-up meeting is planned in the Chilean capital later in the year."
)
# An unrelated story (invented).
UNRELATED = (
    "The central bank of Norway left its main interest rate unchanged on Thursday, saying inflation had "
    "eased more slowly than expected over the winter. Governor's deputies told reporters that further "
    "cuts were unlikely before the autumn, while economists surveyed before the decision had been split "
    "on whether the bank would move. The krone strengthened slightly after the announcement, and shares "
    "in Oslo's largest lenders closed higher. Housing prices have started to rise again in the capital."
)


def _article(article_id: str, text: str, outlet: str = "Andes Wire", title: str = "Pass to reopen",
             published: str = "2024-05-06T18:00:00+00:00", url: str | None = None) -> Article:
    return Article(id=article_id, source=Source(f"{article_id}.txt", "text", url=url), text=text,
                   outlet=outlet, title=title, published=published)


def _event(event_id: str, type_: str, actors: list[str], recipients: list[str], date: str | None,
           place: tuple[str, str] | None = ("Mendoza", "ARG"), span=(0, 40), **kw) -> Event:
    location = Location(place[0], place[1]) if place else None
    return Event(event_id, type_, actors=actors, recipients=recipients, date=date,
                 date_precision=kw.pop("date_precision", "day"), location=location, span=span, **kw)


def _parties(article: Article) -> Article:
    """Chile, Argentina, Japan and an IGO as possible parties of the article's events."""
    article.actors = [Actor("a1", "Chile", "CHL", "GOV"), Actor("a2", "Argentina", "ARG", "GOV"),
                      Actor("a3", "Japan", "JPN", "GOV"), Actor("a4", "United Nations", "IGO", "IGO"),
                      Actor("a5", "World Bank", "IGO", "IGO"), Actor("a6", "Andean Truckers Union", "", "LAB")]
    return article


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "g.duckdb") as s:
        yield s


def _groups(store: Store) -> dict[str, str]:
    return dict(store.con.execute("SELECT article_id, group_id FROM story_groups").fetchall())


def _cluster_of(store: Store) -> dict[tuple[str, str], str]:
    rows = store.con.execute("SELECT article_id, event_id, cluster_id FROM event_cluster_members").fetchall()
    return {(a, e): c for a, e, c in rows}


# ---------------------------------------------------------------------------------------------- stories


def test_signature_is_a_datasketch_minhash_and_estimates_jaccard():
    text = "\n\n".join(WIRE)
    values, count = dedup.signature(text)
    reference = MinHash(num_perm=dedup.NUM_PERM, seed=dedup.MINHASH_SEED, hashfunc=int)
    reference.update_batch([int(h) for h in dedup.shingle_hashes(text)])
    assert count > 300 and np.array_equal(values, reference.hashvalues)
    changed = "\n\n".join(WIRE[:5] + ["A rewritten paragraph about queues of lorries at the border post."] + WIRE[6:])
    a = set(dedup.shingle_hashes(text).tolist())
    b = set(dedup.shingle_hashes(changed).tolist())
    true_jaccard = len(a & b) / len(a | b)
    estimate = dedup.estimated_jaccard(values.tobytes(), dedup.signature(changed)[0].tobytes())
    assert 0.8 < true_jaccard < 0.95 and abs(estimate - true_jaccard) < 0.12
    assert dedup.as_minhash(values).jaccard(dedup.as_minhash(dedup.signature(changed)[0])) == estimate
    unrelated = dedup.estimated_jaccard(values.tobytes(), dedup.signature(OWN_REPORT)[0].tobytes())
    assert unrelated < 0.1


def test_words_ignore_case_and_punctuation():
    assert dedup.text_words("The “Deal” — signed in Zürich… wasn’t final.") == \
        dedup.text_words("the deal signed in zürich wasn t final")


def test_wire_copy_with_new_headline_and_paragraph_is_grouped(store):
    original = _article("w1", "\n\n".join(WIRE), published="2024-05-06T14:00:00+00:00")
    # Another outlet reprints it later, with its own headline, a dateline and one paragraph replaced.
    updated = WIRE[:6] + ["Later on Monday, the Argentine side said the first convoy could cross within "
                          "three weeks if the weather held."] + WIRE[7:]
    copy = _article("w0", "MENDOZA, Argentina —\n\n" + "\n\n".join(updated), outlet="Pacific Daily",
                    title="Chile and Argentina to reopen Andes freight route",
                    published="2024-05-06T20:00:00+00:00")
    for a in (original, copy, _article("o1", OWN_REPORT, outlet="Cuyo News"),
              _article("u1", UNRELATED, outlet="Nordic Ledger")):
        store.add_article(a)
    stats = dedup.refresh_story_groups(store)
    groups = _groups(store)
    # The group is named after the earliest-published member, not the smallest id.
    assert groups["w1"] == groups["w0"] == "w1"
    assert groups["o1"] == "o1" and groups["u1"] == "u1"
    assert stats["articles"] == 4 and stats["groups"] == 3 and stats["duplicates"] == 1
    row = store.con.execute("SELECT group_size, is_first, max_similarity FROM story_groups WHERE article_id = 'w0'").fetchone()
    assert row[0] == 2 and row[1] is False and row[2] >= dedup.STORY_THRESHOLD


def test_heavily_rewritten_version_is_a_separate_story(store):
    store.add_article(_article("w1", "\n\n".join(WIRE)))
    # Half the paragraphs replaced: no longer the same text.
    half = WIRE[:6] + [OWN_REPORT, UNRELATED]
    store.add_article(_article("w2", "\n\n".join(half), outlet="Other"))
    dedup.refresh_story_groups(store)
    groups = _groups(store)
    assert groups["w1"] != groups["w2"]


def test_incremental_refresh_signs_only_new_articles(store):
    store.add_article(_article("w1", "\n\n".join(WIRE), published="2024-05-06T14:00:00+00:00"))
    store.add_article(_article("u1", UNRELATED))
    first = dedup.refresh_story_groups(store)
    assert first["signed"] == 2
    before = dict(store.con.execute("SELECT article_id, signature FROM article_signatures").fetchall())
    again = dedup.refresh_story_groups(store)
    assert again["signed"] == again["compared"] == again["candidates"] == 0
    # A later copy arrives (trimmed of its last paragraph): signed alone, joins the existing group.
    store.add_article(_article("w2", "\n\n".join(WIRE[:-1]), outlet="Late Post",
                               published="2024-05-07T09:00:00+00:00"))
    third = dedup.refresh_story_groups(store)
    assert third["signed"] == 1 and third["pairs"] == 1
    after = dict(store.con.execute("SELECT article_id, signature FROM article_signatures").fetchall())
    assert {k: after[k] for k in before} == before and set(after) == {"w1", "u1", "w2"}
    assert _groups(store) == {"w1": "w1", "w2": "w1", "u1": "u1"}


def _story_rows(store: Store) -> list[tuple]:
    return store.con.execute("SELECT * FROM story_groups ORDER BY article_id").fetchall()


def test_new_article_bridging_two_groups_merges_them_as_a_full_refresh_does(store):
    # Two shortened copies of one report, each missing another paragraph, are too different to
    # group (Jaccard ~0.70)...
    store.add_article(_article("head", "\n\n".join(WIRE[:3] + WIRE[4:]), published="2024-05-07T09:00:00+00:00"))
    store.add_article(_article("tail", "\n\n".join(WIRE[:8] + WIRE[9:]), outlet="Late Post",
                               published="2024-05-08T09:00:00+00:00"))
    store.add_article(_article("u1", UNRELATED, outlet="Nordic Ledger"))
    dedup.refresh_story_groups(store)
    assert _groups(store) == {"head": "head", "tail": "tail", "u1": "u1"}
    # ...until the whole report, published earlier, arrives: it is close to both.
    store.add_article(_article("whole", "\n\n".join(WIRE), published="2024-05-06T09:00:00+00:00"))
    stats = dedup.refresh_story_groups(store)
    assert stats["compared"] == 1 and stats["pairs"] == 2
    assert _groups(store) == {"head": "whole", "tail": "whole", "whole": "whole", "u1": "u1"}
    incremental = _story_rows(store)
    assert [r[2] for r in incremental] == [3, 3, 1, 3]  # group sizes (head, tail, u1, whole)
    dedup.refresh_story_groups(store, full=True)
    assert _story_rows(store) == incremental


def test_removed_article_regroups_from_the_kept_signatures(store):
    for article_id, paragraphs in (("head", WIRE[:3] + WIRE[4:]), ("tail", WIRE[:8] + WIRE[9:]), ("whole", WIRE)):
        store.add_article(_article(article_id, "\n\n".join(paragraphs)))
    dedup.refresh_story_groups(store)
    assert set(_groups(store).values()) == {"head"}
    store.con.execute("DELETE FROM articles WHERE id = 'whole'")  # the bridge is gone
    dedup.refresh_story_groups(store)
    assert _groups(store) == {"head": "head", "tail": "tail"}
    assert store.con.execute("SELECT count(*) FROM article_signatures").fetchone()[0] == 2


def test_changed_threshold_recompares_everything(store):
    store.add_article(_article("w1", "\n\n".join(WIRE)))
    store.add_article(_article("w2", "\n\n".join(WIRE[:9]), outlet="Short Post"))  # 3/4 of the text
    dedup.refresh_story_groups(store)
    assert _groups(store)["w2"] == "w2"  # Jaccard ~0.75 < 0.8
    stats = dedup.refresh_story_groups(store, threshold=0.6)
    assert stats["signed"] == 0 and _groups(store)["w2"] == "w1"


def test_empty_texts_do_not_group(store):
    store.add_article(_article("e1", ""))
    store.add_article(_article("e2", "", outlet="Other"))
    stats = dedup.refresh_story_groups(store)
    assert stats["groups"] == 2


# ----------------------------------------------------------------------------------------------- events


def _reporting(store: Store, article_id: str, outlet: str, text: str, events: list[Event],
               published: str = "2024-05-07T08:00:00+00:00") -> Article:
    article = _parties(_article(article_id, text, outlet=outlet, published=published))
    article.events = events
    store.add_article(article)
    return article


def _texts(n: int) -> list[str]:
    """n distinct short texts that are no near-duplicates of each other."""
    texts = []
    for i in range(n):
        words = UNRELATED.split()
        random.Random(i).shuffle(words)  # word order differs, so word 5-grams are not shared
        texts.append(" ".join(words))
    return texts


def test_same_event_from_several_outlets_is_one_cluster(store):
    t = _texts(4)
    _reporting(store, "r1", "Andes Wire", t[0], [_event("e1", "AGREE", ["a1"], ["a2"], "2024-05-06", span=(0, 30))])
    _reporting(store, "r2", "Cuyo News", t[1], [_event("e1", "AGREE", ["a1"], ["a2"], "2024-05-07", span=(5, 50))])
    _reporting(store, "r3", "Cuyo News", t[2], [_event("e4", "AGREE", ["a1"], ["a2"], "2024-05-06")])
    _reporting(store, "r4", "", t[3], [_event("e2", "AGREE", ["a1"], ["a2"], "2024-05-06")])  # no outlet
    stats = dedup.refresh(store)
    clusters = _cluster_of(store)
    assert len(set(clusters.values())) == 1 and stats["events"]["clusters"] == 1
    row = store.con.execute(
        "SELECT type, date, date_end, actor_countries, recipient_countries, location_name, num_reports, "
        "num_articles, num_stories, num_sources, reports FROM event_clusters").fetchone()
    assert row[:6] == ("AGREE", __import__("datetime").date(2024, 5, 6), __import__("datetime").date(2024, 5, 7),
                       ["CHL"], ["ARG"], "Mendoza")
    # Four articles, four stories, three sources (two Cuyo News articles; one article without outlet).
    assert row[6:10] == (4, 4, 4, 3)
    reports = json.loads(row[10])
    assert {(r["article_id"], r["event_id"]) for r in reports} == {("r1", "e1"), ("r2", "e1"), ("r3", "e4"), ("r4", "e2")}
    r2 = next(r for r in reports if r["article_id"] == "r2")
    assert r2["span"] == [5, 50] and r2["outlet"] == "Cuyo News"


def test_dates_anchor_clusters_so_chains_do_not_grow(store):
    t = _texts(4)
    for n, day in enumerate(["2024-05-06", "2024-05-07", "2024-05-08", "2024-05-09"]):
        _reporting(store, f"d{n}", f"Outlet {n}", t[n], [_event("e1", "CONSULT", ["a1"], ["a2"], day)])
    dedup.refresh_event_clusters(store)
    c = _cluster_of(store)
    # Mon+Tue anchored on Mon; Wed opens a new cluster (two days after Mon) that takes Thu.
    assert c[("d0", "e1")] == c[("d1", "e1")] != c[("d2", "e1")] == c[("d3", "e1")]
    dates = store.con.execute("SELECT date, date_end, num_articles FROM event_clusters ORDER BY date").fetchall()
    assert [(str(a), str(b), n) for a, b, n in dates] == [("2024-05-06", "2024-05-07", 2),
                                                          ("2024-05-08", "2024-05-09", 2)]


def test_different_parties_types_places_and_modes_stay_apart(store):
    base = dict(actors=["a1"], recipients=["a2"], date="2024-05-06")
    variants = {
        "same": _event("e1", "AGREE", **base),
        "recipient": _event("e1", "AGREE", ["a1"], ["a3"], "2024-05-06"),
        "type": _event("e1", "CONSULT", **base),
        "place": _event("e1", "AGREE", **base, place=("Santiago", "CHL")),
        "no_place": _event("e1", "AGREE", **base, place=None),
        "negated": _event("e1", "AGREE", **base, negated=True),
        "hypothetical": _event("e1", "AGREE", **base, hypothetical=True),
        "undated": _event("e1", "AGREE", ["a1"], ["a2"], None),
        "month": _event("e1", "AGREE", **base, date_precision="month"),
    }
    t = _texts(len(variants) + 1)
    _reporting(store, "base", "Andes Wire", t[-1], [_event("e1", "AGREE", **base)])
    for n, (name, event) in enumerate(variants.items()):
        _reporting(store, name, f"Outlet {n}", t[n], [event])
    dedup.refresh(store)
    c = _cluster_of(store)
    assert c[("same", "e1")] == c[("base", "e1")]
    for name in variants:
        if name != "same":
            assert c[(name, "e1")] != c[("base", "e1")], name
    assert len(set(c.values())) == len(variants)


def test_negated_reports_merge_with_each_other_only(store):
    t = _texts(3)
    _reporting(store, "n1", "A", t[0], [_event("e1", "THREATEN", ["a1"], ["a2"], "2024-05-06", negated=True)])
    _reporting(store, "n2", "B", t[1], [_event("e1", "THREATEN", ["a1"], ["a2"], "2024-05-06", negated=True)])
    _reporting(store, "n3", "C", t[2], [_event("e1", "THREATEN", ["a1"], ["a2"], "2024-05-06")])
    dedup.refresh_event_clusters(store)
    c = _cluster_of(store)
    assert c[("n1", "e1")] == c[("n2", "e1")] != c[("n3", "e1")]
    assert store.con.execute("SELECT negated FROM event_clusters WHERE cluster_id = ?",
                             [c[("n1", "e1")]]).fetchone() == (True,)


def test_named_parties_igos_and_reciprocal_events(store):
    t = _texts(6)
    # Parties without a country merge by name; two IGOs are different parties.
    _reporting(store, "g1", "A", t[0], [_event("e1", "ACCUSE", ["a6"], ["a1"], "2024-05-06")])
    _reporting(store, "g2", "B", t[1], [_event("e1", "ACCUSE", ["a6"], ["a1"], "2024-05-06")])
    _reporting(store, "i1", "A", t[2], [_event("e1", "SUPPORT", ["a4"], ["a1"], "2024-05-06")])
    _reporting(store, "i2", "B", t[3], [_event("e1", "SUPPORT", ["a5"], ["a1"], "2024-05-06")])
    # "Chile and Argentina met": one outlet codes Chile first, the other Argentina.
    _reporting(store, "m1", "A", t[4], [_event("e1", "CONSULT", ["a1"], ["a2"], "2024-05-06", reciprocal=True)])
    _reporting(store, "m2", "B", t[5], [_event("e1", "CONSULT", ["a2"], ["a1"], "2024-05-06", reciprocal=True)])
    dedup.refresh_event_clusters(store)
    c = _cluster_of(store)
    assert c[("g1", "e1")] == c[("g2", "e1")]
    assert c[("i1", "e1")] != c[("i2", "e1")]
    assert c[("m1", "e1")] == c[("m2", "e1")]
    assert store.con.execute("SELECT actor_countries, recipient_countries FROM event_clusters WHERE cluster_id = ?",
                             [c[("m1", "e1")]]).fetchone() == (["ARG", "CHL"], [])
    keys = store.con.execute("SELECT actor_countries FROM event_clusters WHERE cluster_id = ?",
                             [c[("g1", "e1")]]).fetchone()[0]
    assert keys == ["Andean Truckers Union"]


def test_reprints_count_once_as_stories(store):
    wire = "\n\n".join(WIRE)
    _reporting(store, "w1", "Andes Wire", wire, [_event("e1", "AGREE", ["a1"], ["a2"], "2024-05-06")],
               published="2024-05-06T12:00:00+00:00")
    _reporting(store, "w2", "Pacific Daily", "MENDOZA —\n\n" + wire,
               [_event("e3", "AGREE", ["a1"], ["a2"], "2024-05-06")], published="2024-05-06T15:00:00+00:00")
    _reporting(store, "o1", "Cuyo News", OWN_REPORT, [_event("e1", "AGREE", ["a1"], ["a2"], "2024-05-07")])
    _reporting(store, "u1", "Nordic Ledger", UNRELATED, [])  # an article without events
    stats = dedup.refresh(store)
    assert stats["stories"]["groups"] == 3
    row = store.con.execute("SELECT num_reports, num_articles, num_stories, num_sources FROM event_clusters").fetchall()
    assert row == [(3, 3, 2, 3)]


def test_refresh_is_idempotent_and_works_when_empty(store):
    assert dedup.refresh(store)["events"]["clusters"] == 0
    for table in dedup.TABLES:
        assert store.con.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)
    t = _texts(3)
    _reporting(store, "r1", "A", t[0], [_event("e1", "AGREE", ["a1"], ["a2"], "2024-05-06"),
                                       _event("e2", "CONSULT", ["a1"], ["a3"], "2024-05-06", place=None)])
    _reporting(store, "r2", "B", t[1], [_event("e1", "AGREE", ["a1"], ["a2"], "2024-05-07")])
    _reporting(store, "r3", "C", t[2], [])

    def snapshot():
        return {table: store.con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() for table in dedup.TABLES}
    dedup.refresh(store)
    first = snapshot()
    dedup.refresh(store.con)  # a bare connection works too
    assert snapshot() == first
    assert len(first["event_clusters"]) == 2 and len(first["story_groups"]) == 3


def test_cluster_ids_survive_later_reports(store):
    t = _texts(2)
    _reporting(store, "r1", "A", t[0], [_event("e1", "AGREE", ["a1"], ["a2"], "2024-05-06")])
    dedup.refresh(store)
    before = _cluster_of(store)[("r1", "e1")]
    _reporting(store, "r2", "B", t[1], [_event("e1", "AGREE", ["a1"], ["a2"], "2024-05-07")])
    dedup.refresh(store)
    c = _cluster_of(store)
    assert c[("r1", "e1")] == c[("r2", "e1")] == before


def test_incremental_refresh_rebuilds_only_touched_clusters_and_matches_full(store):
    t = _texts(3)
    _reporting(store, "r1", "A", t[0], [_event("e1", "AGREE", ["a1"], ["a2"], "2024-05-06"),
                                       _event("e2", "ACCUSE", ["a1"], ["a3"], "2024-05-06")])
    _reporting(store, "w1", "Andes Wire", "\n\n".join(WIRE), [_event("e1", "CONSULT", ["a1"], ["a2"], "2024-05-06")],
               published="2024-05-06T12:00:00+00:00")
    dedup.refresh(store)
    assert dedup.refresh(store)["events"]["rebuilt_keys"] == 0
    # A new report of the AGREE event, and a reprint of the wire story published the same day.
    _reporting(store, "r2", "B", t[1], [_event("e1", "AGREE", ["a1"], ["a2"], "2024-05-07")])
    _reporting(store, "w2", "Pacific Daily", "\n\n".join(WIRE[:-1]),
               [_event("e1", "CONSULT", ["a1"], ["a2"], "2024-05-06")], published="2024-05-06T16:00:00+00:00")
    stats = dedup.refresh(store)
    assert stats["events"]["rebuilt_keys"] == 2  # AGREE and CONSULT; the ACCUSE cluster is untouched
    counts = dict(store.con.execute("SELECT type, [num_articles, num_stories, num_sources] FROM event_clusters").fetchall())
    assert counts == {"AGREE": [2, 2, 2], "ACCUSE": [1, 1, 1], "CONSULT": [2, 1, 2]}
    incremental = store.con.execute("SELECT * FROM event_clusters ORDER BY cluster_id").fetchall()
    dedup.refresh(store, full=True)
    assert store.con.execute("SELECT * FROM event_clusters ORDER BY cluster_id").fetchall() == incremental


def test_earlier_reprint_renames_the_story_and_recounts(store):
    _reporting(store, "w1", "Andes Wire", "\n\n".join(WIRE), [_event("e1", "CONSULT", ["a1"], ["a2"], "2024-05-06")],
               published="2024-05-06T12:00:00+00:00")
    dedup.refresh(store)
    # A copy published earlier (found later, e.g. from an archive) becomes the group's name.
    _reporting(store, "w2", "Early Post", "\n\n".join(WIRE), [], published="2024-05-06T09:00:00+00:00")
    dedup.refresh(store)
    assert _groups(store) == {"w1": "w2", "w2": "w2"}
    assert store.con.execute("SELECT story_id FROM event_cluster_members").fetchall() == [("w2",)]


def test_cluster_rows_are_built_in_chunks_of_reports():
    sizes = [("c1", 3), ("c2", 2), ("c3", 9), ("c4", 1)]
    assert list(dedup._chunks_of_reports(sizes, 5)) == [["c1", "c2"], ["c3"], ["c4"]]
    assert list(dedup._chunks_of_reports([], 5)) == []


def test_keys_and_cluster_rows_built_in_chunks_equal_one_pass(store, monkeypatch):
    t = _texts(3)
    for i, (article_id, outlet) in enumerate((("r1", "A"), ("r2", "B"), ("r3", "C"))):
        _reporting(store, article_id, outlet, t[i], [_event("e1", "AGREE", ["a1"], ["a2"], "2024-05-06"),
                                                     _event("e2", "ACCUSE", ["a1"], ["a3"], "2024-05-06")])
    dedup.refresh(store)

    def derived():
        return [store.con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
                for table in ("event_dedup_keys", "event_clusters", "event_cluster_members")]

    one_pass = derived()
    assert len(one_pass[0]) == 6 and [row[13] for row in one_pass[1]] == [3, 3]  # keys; num_reports
    monkeypatch.setattr(dedup, "REPORT_CHUNK", 1)
    monkeypatch.setattr(dedup, "KEY_CHUNK", 1)
    dedup.refresh(store, full=True)
    assert derived() == one_pass


def test_event_rows_stay_one_per_key_without_primary_keys(store):
    # event-level tables have no primary key (its index would stay in memory): refreshes must keep them unique
    t = _texts(4)
    for i, outlet in enumerate("ABCD"):
        _reporting(store, f"r{i}", outlet, t[i], [_event("e1", "AGREE", ["a1"], ["a2"], "2024-05-06"),
                                                  _event("e2", "ACCUSE", ["a1"], ["a3"], f"2024-05-0{6 + i % 2}")])
        dedup.refresh(store)
        dedup.refresh(store)
    dedup.refresh(store, full=True)
    dedup.refresh(store)
    for table, key in (("event_dedup_keys", "article_id, event_id"), ("event_cluster_members", "article_id, event_id"),
                       ("event_clusters", "cluster_id"), ("events", "article_id, event_id")):
        rows, keys = store.con.execute(f"SELECT count(*), count(DISTINCT ({key})) FROM {table}").fetchone()
        assert rows == keys and rows > 0, table
    assert store.con.execute("SELECT sum(num_reports) FROM event_clusters").fetchone()[0] == 8
