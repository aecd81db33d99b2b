"""`gestae evaluate`: gold reading, scoring and the printed report, on a tiny gold file of our own."""
from __future__ import annotations

import json

from gestae import evaluate
from gestae.model import Actor, Article, Event, Source

GOLD = [
    {"id": "g1", "date": "2021-03-02", "event": "AGREE", "text": "Vietnam and Laos agreed to expand trade.",
     "source": [{"code": "VTN"}, {"code": "LAO"}], "target": []},
    {"id": "g2", "date": "2021-03-02", "event": "DISAPPROVE", "text": "{Ukraine condemned Russia over the strikes.}",
     "source": [{"code": "UKR"}], "target": [{"code": "RUS"}]},
    {"id": "g3", "date": "2021-03-02", "event": "FIGHT", "text": "Rebels attacked Mali's army base.",
     "source": [{"code": "IMG"}], "target": {"code": "MLI"}},
]


def write_gold(tmp_path, records) -> str:
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return str(path)


def test_read_gold_maps_old_names_and_codes(tmp_path):
    gold = evaluate.read_gold(write_gold(tmp_path, GOLD))
    assert [g.type for g in gold] == ["AGREE", "ACCUSE", "ASSAULT"]
    assert gold[0].sources == {"VNM", "LAO"}          # VTN -> VNM
    assert gold[1].text == "Ukraine condemned Russia over the strikes."  # braces stripped
    assert gold[2].sources == set() and gold[2].targets == {"MLI"}  # IMG has no country; a dict target


def _article(events, actors) -> Article:
    a = Article(id="x", source=Source("p", "jsonl"), text="t")
    a.actors, a.events = actors, events
    return a


def test_score_counts_type_and_country_hits(tmp_path):
    gold = evaluate.read_gold(write_gold(tmp_path, GOLD))
    vnm, lao, ukr, rus = (Actor(f"a{i}", n, country=c) for i, (n, c) in
                          enumerate([("Vietnam", "VNM"), ("Laos", "LAO"), ("Ukraine", "UKR"), ("Russia", "RUS")]))
    arts = {
        "g1": _article([Event("e1", "AGREE", actors=["a0"], recipients=["a1"], reciprocal=True, confidence=0.9)],
                       [vnm, lao]),
        "g2": _article([Event("e1", "REJECT", actors=["a2"], recipients=["a3"], confidence=0.8),
                        Event("e2", "ACCUSE", actors=["a2"], recipients=["a3"], confidence=0.5)], [ukr, rus]),
        "g3": None,
    }
    rep = evaluate.score(gold, arts, errors=5)
    assert rep.sentences == 3 and rep.missing == 1 and rep.extra == 1
    assert rep.type_["AGREE"].prf() == (1.0, 1.0, 1.0)
    assert rep.type_["REJECT"].fp == 1 and rep.type_["ASSAULT"].fn == 1
    assert rep.actor["AGREE"].tp == 2            # reciprocal: the recipient counts as an actor
    assert rep.recipient["ACCUSE"].prf()[1] == 1.0
    assert rep.confusion[("ACCUSE", "REJECT")] == 1   # the most confident event was the wrong type
    assert len(rep.misses) == 1 and rep.misses[0].startswith("g3 ASSAULT")


def test_main_runs_pipeline_and_prints_report(tmp_path, capsys):
    status = evaluate.main(write_gold(tmp_path, GOLD[:2]), errors=3)
    out = capsys.readouterr().out
    assert status == 0
    assert "AGREE" in out and "ALL" in out and "confusion" in out


def test_main_reports_bad_gold_file(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    assert evaluate.main(str(bad)) == 1
    assert "bad.jsonl:1" in capsys.readouterr().err
    assert evaluate.main(str(tmp_path / "missing.jsonl")) == 1
