"""Speakers of reporting verbs (gestae.speech), with small stand-in actors on invented sentences."""
from __future__ import annotations

import re

import pytest

from gestae import speech
from gestae.nlp import load_model
from gestae.model import Article

from helpers import article_with_actors


def speaker_name(article: Article, verb_text: str, occurrence: int = 0) -> str | None:
    verbs = [t for t in article.doc if t.text == verb_text]
    actor = speech.speaker_of(article, verbs[occurrence])
    return actor.name if actor else None


def test_lexicon_reads_table():
    assert {"say", "tell", "warn", "announce", "describe"} <= speech.SPEECH_VERBS
    assert "eat" not in speech.SPEECH_VERBS


def test_is_speech_verb_and_according_to():
    doc = load_model()("According to the ministry, officials said the note was late.")
    marks = {t.text: speech.is_speech_verb(t) for t in doc}
    assert marks["According"] and marks["said"]
    assert not marks["note"]  # a noun, not the verb 'note'
    assert not marks["ministry"]


def test_subject_before_verb():
    art = article_with_actors("Foreign Minister Maria Lopez said on Tuesday that the talks would resume.",
                              [("Maria Lopez", "person", "Maria Lopez")])
    assert speaker_name(art, "said") == "Maria Lopez"


def test_inverted_said_x():
    art = article_with_actors('"The border will stay open," said Maria Lopez, the foreign minister.',
                              [("Maria Lopez", "person", "Maria Lopez")])
    assert speaker_name(art, "said") == "Maria Lopez"


def test_told_reporters_anonymous_official():
    text = ("Speaking on condition of anonymity, a senior defense official who attended the briefing "
            "told reporters that the drills would continue.")
    art = article_with_actors(text, [("a senior defense official", "anonymous", "senior defense official")])
    assert speaker_name(art, "told") == "senior defense official"


def test_according_to():
    art = article_with_actors("According to the Interior Ministry, the convoy left the port on Friday.",
                              [("the Interior Ministry", "organization", "Interior Ministry")])
    assert speaker_name(art, "According") == "Interior Ministry"


def test_passive_with_agent_and_without():
    art = article_with_actors("The curfew was announced by the Interior Ministry on Monday. "
                              "The new budget was announced last week.",
                              [("the Interior Ministry", "organization", "Interior Ministry")])
    assert speaker_name(art, "announced", 0) == "Interior Ministry"
    assert speaker_name(art, "announced", 1) is None


def test_he_goes_to_last_speaker_not_last_person():
    text = ("Prime Minister Anil Tan said the ceasefire was holding. Rahul Kumar arrived in the capital "
            "later that day. He said the agreement should be extended.")
    art = article_with_actors(text, [("Anil Tan", "person", "Anil Tan"), ("Rahul Kumar", "person", "Rahul Kumar")])
    assert speaker_name(art, "said", 1) == "Anil Tan"


def test_he_falls_back_to_last_person_mentioned():
    text = "Rahul Kumar arrived in the capital on Monday. He said the agreement should be extended."
    art = article_with_actors(text, [("Rahul Kumar", "person", "Rahul Kumar")])
    assert speaker_name(art, "said") == "Rahul Kumar"


def test_they_needs_a_plural_speaker_and_he_a_singular_one():
    text = ("Diplomats said the vote had been postponed. Maria Lopez declined to comment. "
            "They added that a new date had not been set. He said nothing more.")
    art = article_with_actors(text, [("Diplomats", "anonymous", "diplomats"),
                                     ("Maria Lopez", "person", "Maria Lopez")])
    assert speaker_name(art, "added") == "diplomats"
    assert speaker_name(art, "said", 1) == "Maria Lopez"  # never the plural 'diplomats'


def test_definite_description_resolves_to_earlier_anonymous_source():
    text = ("A senior trade official told reporters the tariffs would stay. The talks ended early. "
            "The official said both sides would meet again in March.")
    art = article_with_actors(text, [("A senior trade official", "anonymous", "senior trade official")])
    assert speaker_name(art, "said") == "senior trade official"


def test_relative_clause_speaker():
    text = "The envoy met Maria Lopez, who said the proposal deserved attention."
    art = article_with_actors(text, [("Maria Lopez", "person", "Maria Lopez")])
    assert speaker_name(art, "said") == "Maria Lopez"


def test_reported_clause_and_outermost_reporting_verb():
    text = "Maria Lopez told reporters that the generals claimed the border was quiet."
    art = article_with_actors(text, [("Maria Lopez", "person", "Maria Lopez")])
    doc = art.doc
    told = next(t for t in doc if t.text == "told")
    quiet = next(t for t in doc if t.text == "quiet")
    assert speech.reported_clause(told).text == "claimed"
    assert speech.reporting_verb_above(quiet).i == told.i


@pytest.mark.parametrize("text, expected", [
    ('He called it "reckless" and left.', ["reckless"]),
    ("“We will not retreat,” she said. “Not now.”", ["We will not retreat,", "Not now."]),
    ('"First part.\n\n"Second part," he said.', ["First part. Second part,"]),
    ('An open "quote\n\nNext paragraph has no mark.', ["quote"]),
])
def test_quote_regions(text, expected):
    regions = speech.find_quote_regions(text, [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)])
    got = [" ".join(text[s:e] for s, e in r.pieces) for r in regions]
    assert got == expected


def test_adding_takes_the_speaker_of_the_earlier_said():
    text = ('"We are not there yet," Maria Lopez said, adding that both sides need to "make hard choices."')
    art = article_with_actors(text, [("Maria Lopez", "person", "Maria Lopez")])
    assert speaker_name(art, "adding") == "Maria Lopez"


def test_unlinked_family_name_falls_back_to_the_person_of_that_name():
    text = "Jian Ortega arrived on Monday. Later, Ortega told reporters the plan was dead."
    art = article_with_actors(text, [("Jian Ortega", "person", "Jian Ortega")])
    assert speaker_name(art, "told") == "Jian Ortega"


def test_reporting_speaker_is_the_nearest_reporter():
    text = "Maria Lopez said the generals claimed the rebels attacked the base."
    art = article_with_actors(text, [("Maria Lopez", "person", "Maria Lopez"), ("the generals", "group", "generals")])
    attacked = next(t for t in art.doc if t.text == "attacked")
    claimed = next(t for t in art.doc if t.text == "claimed")
    assert speech.reporting_speaker(art, attacked).name == "generals"
    assert speech.reporting_speaker(art, claimed).name == "Maria Lopez"
    assert speech.reporting_speaker(art, art.doc[0]) is None


def test_reporting_speaker_through_according_to():
    text = "According to the Interior Ministry, rebels attacked the base overnight."
    art = article_with_actors(text, [("the Interior Ministry", "organization", "Interior Ministry")])
    attacked = next(t for t in art.doc if t.text == "attacked")
    assert speech.reporting_speaker(art, attacked).name == "Interior Ministry"
