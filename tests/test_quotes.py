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
    _, got = run("“The worst is over,” agreed Maria Lopez, a lawyer in Lima.", [LOPEZ])
    assert got["The worst is over"] == ("Maria Lopez", True)


def test_attribution_after_the_quote_names_the_head_not_its_modifiers():
    text = "“We will rebuild what was lost,” said Andean Council trade chief Maria Lopez during a visit."
    _, got = run(text, [("Andean Council", "organization", "Andean Council"), LOPEZ])
    assert got["We will rebuild what was lost"] == ("Maria Lopez", True)


def test_attribution_after_the_quote_across_an_apposition():
    text = ("Rescue teams waited. “The road is still closed,” Maria Lopez, the regional transport chief "
            "in Cusco, told reporters, about the landslide.")
    _, got = run(text, [LOPEZ, ("Rescue teams", "group", "rescue teams")])
    assert got["The road is still closed"] == ("Maria Lopez", True)


def test_participle_after_a_quoted_phrase_is_no_attribution():
    text = "The ministry said the port had ordered 40 “spare engines,” referring to the new tugboats."
    _, got = run(text, [("The ministry", "organization", "ministry"), ("the new tugboats", "group", "tugboats")])
    assert got["spare engines"] == ("ministry", True)


def test_phrase_in_a_clause_without_reporting_verb_takes_its_subject_or_agent():
    text = ("The farmers were moved to camps that Maria Lopez branded “unfit for anyone.” "
            "The mayor was fined by the council in May for “wasting public money” on a stadium.")
    _, got = run(text, [LOPEZ, ("the council", "organization", "council")])
    assert got["unfit for anyone."] == ("Maria Lopez", True)
    assert got["wasting public money"] == ("council", True)


def test_a_source_that_is_no_actor_gets_no_guessed_speaker():
    text = "The agency can impose “heavy fines” on late builders, the new code says."
    _, got = run(text, [("The agency", "organization", "agency")])
    assert got["heavy fines"] == (None, True)


def test_so_called_phrase_has_no_speaker():
    text = "Maria Lopez spent the so-called “peace dividend” on new roads."
    _, got = run(text, [LOPEZ])
    assert got["peace dividend"] == (None, True)


def test_one_word_quoted_sentence_keeps_its_attribution():
    _, got = run("Reporters asked whether the plan was dead. “Never,” Maria Lopez said.", [LOPEZ])
    assert got["Never"] == ("Maria Lopez", True)


def test_name_in_quotes_followed_by_a_relative_clause_has_no_speaker():
    text = "Maria Lopez leads the choir “Mountain Echo,” which sings at weddings."
    _, got = run(text, [LOPEZ, ("the choir", "organization", "choir")])
    assert got["Mountain Echo"] == (None, True)


def test_inverted_attribution_with_an_unnamed_source_takes_no_place_for_a_speaker():
    text = "Parents complained online. “When will the buses run again?” wrote another parent from Lima."
    _, got = run(text, [("Lima", "state", "Peru")])
    assert got["When will the buses run again?"] == (None, True)


def test_unattributed_quoted_sentences_go_on_with_the_voice_quoted_just_before():
    text = ("“I will not sell the farm,” Maria Lopez said. She has grown coffee there for years. "
            "“My father planted these trees. I am not ready for a buyer” of any kind. "
            "The agency says the farms will be bought by June.")
    _, got = run(text, [LOPEZ, ("The agency", "organization", "agency")])
    assert got["My father planted these trees. I am not ready for a buyer"] == ("Maria Lopez", True)


def test_a_reporting_verb_with_its_own_content_is_no_attribution_for_the_quote_before():
    text = ("The harbor is quiet. “Nobody knows what comes next.” "
            "The agency says the port will close by June.")
    _, got = run(text, [("The agency", "organization", "agency")])
    assert got["Nobody knows what comes next."] == (None, True)


def test_a_reporting_verb_after_the_quote_introducing_another_quote_is_not_its_attribution():
    text = ("“Is the bridge safe? Can trucks use it?” On Monday, the ministry said, "
            "“Engineers will decide.”")
    _, got = run(text, [("the ministry", "organization", "ministry")])
    assert got["Engineers will decide."] == ("ministry", True)
    assert got["Is the bridge safe? Can trucks use it?"][0] != "ministry"


def test_a_statement_speaks_for_whoever_issued_it():
    text = ("The ministry said in a statement on Monday that the port would reopen. "
            "The statement also said “no ship will be turned away.”")
    _, got = run(text, [("The ministry", "organization", "ministry")])
    assert got["no ship will be turned away."] == ("ministry", True)


def test_a_law_speaks_for_the_body_that_passed_it():
    text = ("The standing committee of the National Assembly voted to amend the road law on Friday. "
            "Drivers “must stop at every crossing,” the law says.")
    _, got = run(text, [("the National Assembly", "organization", "National Assembly")])
    assert got["must stop at every crossing"] == ("National Assembly", True)


def test_a_statement_with_a_nationality_speaks_for_that_state():
    from gestae import actors
    art = parsed_article("“Peace needs patience and trade,” read a Peruvian presidential statement on Friday.")
    actors.annotate(art)
    quotes.annotate(art)
    q = next(q for q in art.quotes if q.direct)
    assert next(a for a in art.actors if a.id == q.speaker).country == "PER"
