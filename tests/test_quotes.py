"""Quotations and their speakers (gestae.quotes), with stand-in actors on invented sentences."""
from __future__ import annotations

from gestae import quotes
from gestae.model import Article

from helpers import article_with_actors, parsed_article


def run(text: str, specs: list[tuple[str, str, str]]) -> tuple[Article, dict[str, tuple[str | None, bool]]]:
    """Annotate; return the article and {quote text: (speaker name, direct)}."""
    art = article_with_actors(text, specs)
    quotes.annotate(art)
    names = {a.id: a.name for a in art.actors}
    return art, {q.text: (names.get(q.speaker), q.direct) for q in art.quotes}


LOPEZ = ("Maria Lopez", "person", "Maria Lopez")
OFFICIAL = ("A senior defense official", "anonymous", "senior defense official")


def test_straight_quote_with_said_after():
    art, got = run('"We will keep the border open," Maria Lopez said on Tuesday.', [LOPEZ])
    assert got["We will keep the border open"] == ("Maria Lopez", True)
    q = next(q for q in art.quotes if q.direct)
    assert art.text[q.span[0]:q.span[1]].startswith("We will keep")


def test_curly_quote_with_said_x():
    _, got = run("“The talks were constructive,” said Maria Lopez, the foreign minister.", [LOPEZ])
    assert got["The talks were constructive"] == ("Maria Lopez", True)


def test_multi_sentence_quote():
    text = "“We have done our part. Now it is their turn to act,” Maria Lopez told reporters in Lima."
    _, got = run(text, [LOPEZ])
    assert got["We have done our part. Now it is their turn to act"] == ("Maria Lopez", True)


def test_multi_paragraph_quote_takes_speaker_from_the_attribution():
    text = ("Maria Lopez spoke after the vote.\n\n"
            "“The council has made its choice.\n\n"
            "“We will respect it, even if we disagree,” she said.")
    art, got = run(text, [LOPEZ])
    full = "The council has made its choice. We will respect it, even if we disagree"
    assert got[full] == ("Maria Lopez", True)
    q = next(q for q in art.quotes if q.text == full)
    assert art.text[q.span[0]:q.span[1]].startswith("The council") and q.span[1] < len(text)


def test_quote_sentence_after_attribution_sentence_takes_that_speaker():
    text = "The drills will go on, Maria Lopez said. “Nobody should doubt our resolve.”"
    _, got = run(text, [LOPEZ])
    assert got["Nobody should doubt our resolve."] == ("Maria Lopez", True)


def test_partial_quote_takes_outermost_reporting_verb():
    text = ("A senior defense official told reporters that the two generals affirmed that the talks "
            "were going well and they “warmly welcomed” the progress.")
    _, got = run(text, [OFFICIAL, ("the two generals", "group", "generals")])
    assert got["warmly welcomed"] == ("senior defense official", True)


def test_partial_quote_in_description():
    _, got = run('Maria Lopez described the proposal as "a step backward" for the region.', [LOPEZ])
    assert got["a step backward"] == ("Maria Lopez", True)


def test_quoted_phrase_with_pronoun_attribution():
    text = ("A senior defense official said the exercise was “purely defensive.”\n\n"
            "“Purely defensive” means no live fire near the border, he said.")
    _, got = run(text, [OFFICIAL])
    assert got["purely defensive."] == ("senior defense official", True)
    assert got["Purely defensive"] == ("senior defense official", True)


def test_scare_quotes_and_titles_have_no_speaker():
    text = ('The so-called "peace dividend" never arrived. Crowds watched the film "Northern Lights" '
            "in the main square.")
    _, got = run(text, [])
    assert got["peace dividend"] == (None, True)
    assert got["Northern Lights"] == (None, True)


def test_indirect_quote():
    text = "Maria Lopez said that the embassy would reopen next month."
    art, got = run(text, [LOPEZ])
    assert got["the embassy would reopen next month"] == ("Maria Lopez", False)
    assert all(not q.direct for q in art.quotes)


def test_no_indirect_quote_duplicating_a_direct_one():
    text = '"The embassy will reopen next month," Maria Lopez said.'
    art, _ = run(text, [LOPEZ])
    assert [q.direct for q in art.quotes] == [True]


def test_according_to_gives_indirect_quote():
    text = "According to the Interior Ministry, the convoy left the port on Friday."
    _, got = run(text, [("the Interior Ministry", "organization", "Interior Ministry")])
    assert got["the convoy left the port on Friday"] == ("Interior Ministry", False)


def test_called_it_quote_belongs_to_the_caller():
    text = 'The Foreign Ministry has called the plan "a dangerous provocation" and summoned the envoy.'
    _, got = run(text, [("The Foreign Ministry", "organization", "Foreign Ministry")])
    assert got["a dangerous provocation"] == ("Foreign Ministry", True)


def test_anonymous_plural_source_and_pronoun_they():
    text = ("Diplomats familiar with the talks said the draft was nearly finished.\n\n"
            "“Only the wording on inspections is still open,” they said.")
    _, got = run(text, [("Diplomats", "anonymous", "diplomats")])
    assert got["Only the wording on inspections is still open"] == ("diplomats", True)


def test_with_the_real_actors_stage_anonymous_official_keeps_the_quotes():
    from gestae import actors
    text = ("Prime Minister Anthony Albanese and Indonesian President Prabowo Subianto agreed on "
            "\"closer and deeper cooperation\" on maritime security, Australia's foreign ministry said "
            "Thursday.\n\n"
            "Speaking on condition of anonymity, a senior foreign ministry official who attended the talks "
            "told reporters that Albanese and Prabowo confirmed that negotiations were progressing and "
            "they “strongly welcomed” the draft of the agreement.\n\n"
            "“Strongly welcomed” means that the two delegations have agreed on most of the text, he said.\n\n"
            "The official said both leaders hoped to “close the remaining gaps” soon.")
    art = parsed_article(text)
    actors.annotate(art)
    quotes.annotate(art)
    kinds = {a.id: a.kind for a in art.actors}
    direct = {q.text: kinds.get(q.speaker) for q in art.quotes if q.direct}
    assert direct["strongly welcomed"] == "anonymous"
    assert direct["Strongly welcomed"] == "anonymous"
    assert direct["close the remaining gaps"] == "anonymous"
    assert direct["closer and deeper cooperation"] == "organization"


def test_single_piece_quote_text_is_its_span():
    art, _ = run("“We are ready to talk, but not to surrender,” Maria Lopez said.", [LOPEZ])
    q = next(q for q in art.quotes if q.direct)
    assert q.text == "We are ready to talk, but not to surrender"
    assert art.text[q.span[0]:q.span[1]] == q.text


def test_quote_speaker_at_for_events_inside_quotes():
    text = ("Maria Lopez spoke after the vote. “The army shelled the village twice,” she said.\n\n"
            "Crowds gathered in the square.")
    art = article_with_actors(text, [LOPEZ])
    assert quotes.quote_speaker_at(art, text.index("shelled")) == "a1"
    assert quotes.quote_speaker_at(art, text.index("Crowds")) is None


def test_attribution_after_the_quote_with_any_verb():
    _, got = run("“The danger has not passed yet,” agreed Maria Lopez, a lawyer in Lima.", [LOPEZ])
    assert got["The danger has not passed yet"] == ("Maria Lopez", True)


def test_attribution_after_the_quote_names_the_head_not_its_modifiers():
    text = "“We will rebuild what was lost,” said European Union foreign policy chief Maria Lopez during a visit."
    _, got = run(text, [("European Union", "organization", "European Union"), LOPEZ])
    assert got["We will rebuild what was lost"] == ("Maria Lopez", True)


def test_attribution_after_the_quote_across_an_apposition():
    text = ("Rescue teams waited. “So far nobody has reached the site,” Maria Lopez, the regional rail chief "
            "in Cusco, told reporters, about the blocked roads.")
    _, got = run(text, [LOPEZ, ("Rescue teams", "group", "rescue teams")])
    assert got["So far nobody has reached the site"] == ("Maria Lopez", True)


def test_participle_after_a_quoted_phrase_is_no_attribution():
    text = "The ministry said the city had asked for the return of 40 “foreign nationals,” referring to the refugees."
    _, got = run(text, [("The ministry", "organization", "ministry"), ("the refugees", "group", "refugees")])
    assert got["foreign nationals"] == ("ministry", True)


def test_phrase_in_a_clause_without_reporting_verb_takes_its_subject_or_agent():
    text = ("The inspectors were kept from sites that Maria Lopez characterized as “off limits for no reason.” "
            "The general was sanctioned by the council in May for “undermining the peace” in the north.")
    _, got = run(text, [LOPEZ, ("the council", "organization", "council")])
    assert got["off limits for no reason."] == ("Maria Lopez", True)
    assert got["undermining the peace"] == ("council", True)


def test_a_source_that_is_no_actor_gets_no_guessed_speaker():
    text = "The ministry may take “necessary steps” to stop the ships, the decree says."
    _, got = run(text, [("The ministry", "organization", "ministry")])
    assert got["necessary steps"] == (None, True)


def test_so_called_phrase_has_no_speaker():
    text = "Maria Lopez spent the so-called “peace dividend” on new roads."
    _, got = run(text, [LOPEZ])
    assert got["peace dividend"] == (None, True)


def test_one_word_quoted_sentence_keeps_its_attribution():
    _, got = run("Reporters asked whether the plan was dead. “Never,” Maria Lopez said.", [LOPEZ])
    assert got["Never"] == ("Maria Lopez", True)


def test_name_in_quotes_followed_by_a_relative_clause_has_no_speaker():
    text = "Maria Lopez leads the group “Island Voices,” which seeks the return of the islanders."
    _, got = run(text, [LOPEZ, ("the group", "organization", "group")])
    assert got["Island Voices"] == (None, True)


def test_inverted_attribution_with_an_unnamed_source_takes_no_place_for_a_speaker():
    text = "Users complained online. “When do minors have time to rest?” wrote another user from Beijing."
    _, got = run(text, [("Beijing", "state", "China")])
    assert got["When do minors have time to rest?"] == (None, True)


def test_unattributed_quoted_sentences_go_on_with_the_voice_quoted_just_before():
    text = ("“I am not ready to leave,” Maria Lopez said. She has lived in the camp for years. "
            "“My house has been taken. I am not ready for the process” of return. "
            "The government says the refugees will have to leave by June.")
    _, got = run(text, [LOPEZ, ("The government", "organization", "government")])
    assert got["My house has been taken. I am not ready for the process"] == ("Maria Lopez", True)


def test_a_reporting_verb_with_its_own_content_is_no_attribution_for_the_quote_before():
    text = ("The camps are crowded. “Nobody knows what comes next.” "
            "The government says the refugees will have to leave by June.")
    _, got = run(text, [("The government", "organization", "government")])
    assert got["Nobody knows what comes next."] == (None, True)
