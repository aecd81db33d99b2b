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


def test_he_takes_the_subject_of_the_sentence_before():
    text = ("Prime Minister Anil Tan said the ceasefire was holding. Rahul Kumar arrived in the capital "
            "later that day. He said the agreement should be extended.")
    art = article_with_actors(text, [("Anil Tan", "person", "Anil Tan"), ("Rahul Kumar", "person", "Rahul Kumar")])
    assert speaker_name(art, "said", 1) == "Rahul Kumar"


def test_he_prefers_a_subject_to_an_object():
    text = "Anil Tan met Rahul Kumar in the capital on Monday. He said the talks had gone well."
    art = article_with_actors(text, [("Anil Tan", "person", "Anil Tan"), ("Rahul Kumar", "person", "Rahul Kumar")])
    assert speaker_name(art, "said") == "Anil Tan"


def test_he_goes_back_to_the_speaker_past_sentences_without_people():
    text = ("Prime Minister Anil Tan said the ceasefire was holding. The talks will resume in May. "
            "He said the agreement should be extended.")
    art = article_with_actors(text, [("Anil Tan", "person", "Anil Tan")])
    assert speaker_name(art, "said", 1) == "Anil Tan"


def test_people_named_inside_the_quote_are_no_antecedents():
    text = "Anil Tan spoke first. “We trust Rahul Kumar and his team,” he said."
    art = article_with_actors(text, [("Anil Tan", "person", "Anil Tan"), ("Rahul Kumar", "person", "Rahul Kumar")])
    assert speaker_name(art, "said") == "Anil Tan"


def test_pronoun_subject_of_any_verb_passes_its_antecedent_on():
    text = ("Rahul Kumar told reporters he expected rain. He dismissed a forecast by Anil Tan's office. "
            "“The crops will be fine,” he said.")
    art = article_with_actors(text, [("Anil Tan", "person", "Anil Tan"), ("Rahul Kumar", "person", "Rahul Kumar")])
    assert speaker_name(art, "said") == "Rahul Kumar"


def test_she_never_takes_the_person_an_earlier_he_named():
    text = ("Anil Tan said the border would stay open. Maria Lopez disagreed. He said the border was safe. "
            "She replied that the border must close.")
    art = article_with_actors(text, [("Anil Tan", "person", "Anil Tan"), ("Maria Lopez", "person", "Maria Lopez")])
    assert speaker_name(art, "said", 1) == "Maria Lopez"   # the subject of the sentence before
    assert speaker_name(art, "replied") == "Anil Tan"      # not Maria Lopez: an earlier 'he' named her


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
    # an opening mark while a quote is open: the open one was never closed and ends there
    ('It "was over, she said. "We start again." Then', ["was over, she said.", "We start again."]),
    ("“One day, they said. “Another day.”", ["One day, they said.", "Another day."]),
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


def test_inverted_attribution_read_as_an_object_names_the_speaker():
    text = '"The vote was fair and the count was honest," added Tomas Varga.'
    art = article_with_actors(text, [("Tomas Varga", "person", "Tomas Varga")])
    assert speaker_name(art, "added") == "Tomas Varga"


def test_unlinked_name_of_a_source_becomes_an_actor():
    text = ('"The report is simply wrong," Tomas Varga told the council on Friday. '
            "Varga rejected the new figures.")
    art = article_with_actors(text, [])
    speech.annotate(art)
    varga = [a for a in art.actors if a.name == "Tomas Varga"]
    assert len(varga) == 1 and varga[0].kind == "person"
    assert speaker_name(art, "told") == "Tomas Varga"
    later = text.rindex("Varga")
    assert (later, later + len("Varga")) in varga[0].mentions


def test_unlinked_name_with_an_article_is_a_body():
    art = article_with_actors("The Lima Courier said the mayor would resign.", [])
    speech.annotate(art)
    assert speaker_name(art, "said") == "Lima Courier"
    assert next(a for a in art.actors if a.name == "Lima Courier").kind == "organization"


def test_misspelled_family_name_is_the_full_name():
    text = "Lena Hartmann arrived in Lima on Monday. “We are ready,” Hartman said."
    art = article_with_actors(text, [("Lena Hartmann", "person", "Lena Hartmann"), ("Hartman", "person", "Hartman")])
    assert speaker_name(art, "said") == "Lena Hartmann"


def _with_actors_stage(text: str) -> Article:
    from gestae import actors
    from helpers import parsed_article
    art = parsed_article(text, published="2024-06-28T12:00:00+00:00")
    actors.annotate(art)
    speech.annotate(art)
    return art


def test_title_without_a_name_is_the_named_person_of_that_country_and_office():
    text = ("Lena Hart, Peru's deputy ambassador to the United Nations, told reporters the vote was a "
            "mistake. The council then heard from other members. Lima's envoy urged Chile to reopen the border.")
    art = _with_actors_stage(text)
    assert speaker_name(art, "urged") == "Lena Hart"


def test_title_without_a_name_is_the_person_named_next():
    text = ("Chile's envoy defended the fishing accord on Friday. \"Nobody loses under this accord,\" "
            "Ambassador Ana Reyes said.")
    art = _with_actors_stage(text)
    envoy_tok = next(t for t in art.doc if t.text == "envoy")
    speaker = speech.phrase_speaker(art, envoy_tok)
    assert speaker is not None and speaker.name == "Ana Reyes"


def test_fresh_definite_description_is_the_source_named_just_before():
    text = ('"The cranes have stopped," Tomas Brandt, the harbor superintendent, told reporters. '
            '"Ships are waiting offshore," the port official said.')
    art = _with_actors_stage(text)
    assert speaker_name(art, "said") == "Tomas Brandt"


def test_possessor_of_a_subject_is_no_subject_antecedent():
    text = ("Rahul Kumar's new budget “will hurt farmers,” Anil Tan told reporters. "
            "It is “a bad start,” he added.")
    art = article_with_actors(text, [("Anil Tan", "person", "Anil Tan"), ("Rahul Kumar", "person", "Rahul Kumar")])
    assert speaker_name(art, "added") == "Anil Tan"


def test_last_word_of_a_name_recognized_as_a_body_is_that_actor():
    text = "Rogier Veld teaches music in Leiden. “Anyone can learn to sing,” Veld said."
    art = article_with_actors(text, [("Rogier Veld", "organization", "Rogier Veld")])
    speech.annotate(art)
    assert speaker_name(art, "said") == "Rogier Veld"
    assert [a.name for a in art.actors] == ["Rogier Veld"]


def test_army_chief_with_a_nationality_is_a_military_person_of_that_country():
    art = _with_actors_stage("The Peruvian army chief said on Saturday that his forces had taken the pass.")
    said = next(t for t in art.doc if t.text == "said")
    chief = speech.speaker_of(art, said)
    assert chief is not None and (chief.kind, chief.country, chief.sector) == ("person", "PER", "MIL")


def test_fresh_definite_description_sharing_a_title_word_is_that_person():
    text = ("Finance Minister Daniel Ortiz spoke in Lima on Monday. The council later met without him. "
            "The Finance chief also dismissed fears of a slump. “Absolutely not,” he said.")
    art = _with_actors_stage(text)
    assert speaker_name(art, "said") == "Daniel Ortiz"


def test_one_word_actor_that_ends_a_fuller_name_is_that_actor():
    text = "Rogier Veld teaches music in Leiden. “Anyone can learn to sing,” said Veld."
    art = article_with_actors(text, [("Rogier Veld", "organization", "Rogier Veld"), ("Veld", "organization", "Veld")])
    assert speaker_name(art, "said") == "Rogier Veld"


def test_a_named_body_is_not_another_body_sharing_its_last_word():
    text = ("The Lima Research Institute opened in May. "
            "The Andean Policy Institute wrote that the port “will need ten years.”")
    art = article_with_actors(text, [("The Lima Research Institute", "organization", "Lima Research Institute")])
    assert speaker_name(art, "wrote") != "Lima Research Institute"


def test_leader_without_a_name_is_the_head_of_that_state_named_before():
    text = ("Chilean President Daniel Ortiz opened the summit on Monday. Delegates then met behind closed "
            "doors. The Chilean leader said the talks had gone well.")
    art = _with_actors_stage(text)
    assert speaker_name(art, "said") == "Daniel Ortiz"


def test_a_function_word_taken_for_a_name_is_no_antecedent():
    text = "Rahul Kumar spoke first. In the end, the council agreed. “We are pleased,” he said."
    art = article_with_actors(text, [("In", "person", "Jae In"), ("Rahul Kumar", "person", "Rahul Kumar")])
    assert speaker_name(art, "said") == "Rahul Kumar"
