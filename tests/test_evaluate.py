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


# ---------------------------------------------------------------------------- story-level gold

STORY = ("Chile condemned Peru on Monday over the border closure. "
         "\"This is unacceptable,\" Chilean Foreign Minister Ana Rojas said.\n\n"
         "Peru's government is expected to reply next week.")
STORY_EVENTS = [
    {"story_id": "s1", "type": "ACCUSE", "source": {"country": "CHL"}, "target": {"country": "PER"},
     "date": "2023-05-08", "location": None, "evidence": "Chile condemned Peru on Monday over the border closure."},
    {"story_id": "s1", "type": "SANCTION", "source": {"country": "PER"}, "target": {"country": "CHL"},
     "date": "2023-05", "location": None, "evidence": "Peru's government is expected to reply next week."},
]
STORY_QUOTES = [{"story_id": "s1", "quote_start": "This is unacceptable,", "speaker": "Ana Rojas",
                 "speaker_country": "CHL"}]


def test_story_level_gold_scores_anchored_events_dates_and_quotes(tmp_path):
    stories = tmp_path / "stories.jsonl"
    stories.write_text(json.dumps({"id": "s1", "text": STORY, "published": "2023-05-10T12:00:00+00:00"}) + "\n")
    events = write_gold(tmp_path, STORY_EVENTS)
    quotes = tmp_path / "quotes.jsonl"
    quotes.write_text(json.dumps(STORY_QUOTES[0]) + "\n")
    sentences = tmp_path / "sentences"
    sentences.mkdir()
    assert evaluate.is_story_gold(events) and not evaluate.is_story_gold(write_gold(sentences, GOLD))
    rep = evaluate.evaluate_stories(events, str(stories), str(quotes), errors=5)
    m = rep.metrics()
    assert m["stories"] == 1 and m["gold_events"] == 2
    assert m["recall"] == 0.5 and m["strict_recall"] == 0.5     # the condemnation, from its own sentence
    assert m["date_acc"] == 1.0                                 # "on Monday" before a Wednesday publication
    assert m["quotes_found"] == 1.0 and m["quote_speaker_acc"] == 1.0
    assert any(line.startswith("MISS s1 SANCTION") for line in rep.misses)


def test_story_gold_sentence_must_hold_the_evidence():
    from gestae.evaluate.stories import from_the_words
    assert from_the_words("Chile condemned Peru.", "Before that, Chile condemned Peru. Then it left.")
    assert not from_the_words("Chile condemned Peru.", "Peru condemned Chile in turn.")


def test_cli_evaluate_story_gold_needs_the_stories(tmp_path, capsys):
    from gestae.cli import main
    import pytest
    events = write_gold(tmp_path, STORY_EVENTS)
    with pytest.raises(SystemExit) as exit_info:
        import sys
        sys.argv = ["gestae", "evaluate", events]
        main()
    assert exit_info.value.code == 1
    assert "needs --stories" in capsys.readouterr().err
