"""The role rules (gestae/events/rules.py), story rules (discourse.py) and records (records.py): each
named rule on a sentence of our own that makes it fire, and what it changes. Events record the rules
that shaped them in `coder`."""
from __future__ import annotations

import pytest

from gestae.events.discourse import STORY_RULES
from gestae.events.rules import RULES
from gestae.model import Article

from helpers import coded as run, countries


LEAD = "Kenya and Uganda signed a border pact on Monday in Kampala after two years of talks between them. "


def fired(article: Article, rule: str, etype: str | None = None):
    """The first event (or candidate) the rule shaped."""
    for e in article.events + article.candidates:
        if rule in e.coder and (etype is None or e.type == etype):
            return e
    raise AssertionError(f"{rule} did not fire: {[(e.type, e.coder) for e in article.events + article.candidates]}")


def test_every_rule_has_a_docstring_and_a_unique_name():
    names = [name for name, _ in RULES + STORY_RULES]
    assert len(names) == len(set(names))
    assert all(fn.__doc__ and fn.__doc__.strip() for _, fn in RULES + STORY_RULES)


# (sentence, rule, type, actor countries, recipient countries); None: not checked
FIRING = [
    ("The students staged a protest in Jakarta.", "localised_groups", "PROTEST", {"IDN"}, None),
    ("A roadside bomb near Samarra killed four soldiers.", "unnamed_attackers", "ASSAULT", None, None),
    ("Hungary will meet Serbia next week.", "type_from_frames", "AGREE", {"HUN"}, {"SRB"}),
    ("Turkey hosted the Swedish prime minister in Ankara on Monday.", "swapped_roles", "CONSULT", {"SWE"}, {"TUR"}),
    ("The prime minister arrived in Amman on a visit.", "visit_host_partner", "CONSULT", None, {"JOR"}),
    ("Russia protested to Japan that the drills were a provocation.", "verbal_protest", "ACCUSE", {"RUS"}, {"JPN"}),
    ("Egypt demanded that Israel withdraw its troops.", "complement_subject_recipient", "REQUEST", {"EGY"}, {"ISR"}),
    ("Iran threatened to impose sanctions on Britain.", "inner_event_recipient", "THREATEN", {"IRN"}, {"GBR"}),
    ("Chile welcomed the announcement that Peru had agreed to a ceasefire.", "judged_actor_recipient", "SUPPORT",
     {"CHL"}, {"PER"}),
    ("Turkey threatened to strike unless Greece backs down.", "condition_recipient", "THREATEN", {"TUR"},
     {"GRC"}),
    ("China condemned Japan and China.", "no_self_recipient", "ACCUSE", {"CHN"}, {"JPN"}),
    ("President Biden imposed new tariffs on both the United States and Mexico.", "no_own_state_recipient",
     "SANCTION", {"USA"}, {"MEX"}),
    ("Opposition lawmakers in Lima accused the minister of lying.", "sentence_nationality", "ACCUSE", {"PER"},
     {"PER"}),
    ("President Ruto extended the curfew in Nairobi.", "territory_recipient", "COERCE", {"KEN"}, {"KEN"}),
    ("Hundreds of Syrians sought refuge in Germany.", "refuge_host", "REQUEST", {"SYR"}, {"DEU"}),
    ("The Kenyan teachers' union called off its strike.", "own_state_target", "CONCEDE", {"KEN"}, {"KEN"}),
    ("Russia and Belarus jointly deployed troops along the border.", "joint_exercise", "COOPERATE", None, None),
]


@pytest.mark.parametrize("text,rule,etype,acts,recs", FIRING, ids=[f[1] for f in FIRING])
def test_rule_fires_and_sets_parties(text, rule, etype, acts, recs):
    a = run(text)
    e = fired(a, rule, etype)
    if acts is not None:
        assert countries(a, e.actors) == acts
    if recs is not None:
        assert countries(a, e.recipients) == recs


def test_partner_required_drops_a_body_meeting_alone():
    a = run("The cabinet met on Tuesday.")
    assert not a.events
    assert "dropped: a meeting with no partner" in fired(a, "partner_required").coder


def test_a_government_measure_with_no_foreign_target_is_aimed_at_its_own_state():
    a = run("The Kenyan government imposed a curfew in Nairobi on Monday.")
    e = fired(a, "territory_recipient", "COERCE")
    assert countries(a, e.recipients) == {"KEN"}


def test_habitual_description_is_no_event():
    a = run(LEAD * 5 + "Rebels frequently attacked army posts in the north.")
    assert not any(e.type == "ASSAULT" for e in a.events) and fired(a, "habitual_description")
    assert any(e.type == "ASSAULT" for e in run("Rebels frequently attack army posts in the north.").events)


def test_separate_military_moves_of_two_countries_are_no_cooperation():
    a = run("Russia and Belarus mobilized troops along the border.")
    assert sorted(min(countries(a, e.actors)) for e in a.events if e.type == "MOBILIZE") == ["BLR", "RUS"]


def test_prediction_above_an_event_makes_it_hypothetical():
    a = run("Analysts said the vote will likely lead Congress to impose sanctions on Turkey.")
    assert all(e.hypothetical for e in a.events if e.type == "SANCTION")


def test_event_noun_recipient_and_background_noun():
    a = run("The rebels called off the attack on Kenya.")
    assert all(e.type != "ASSAULT" for e in a.events)          # a phrase's own words are no event
    a = run("Officials quarrelled during the protest.")
    assert not any(e.type == "PROTEST" for e in a.events)


# ---------------------------------------------------------------------------- records

def test_one_record_per_actor_country_and_per_recipient_country():
    a = run("Britain, France and Germany condemned Iran and Syria on Monday.")
    pairs = sorted((min(countries(a, e.actors)), min(countries(a, e.recipients))) for e in a.events
                   if e.type == "ACCUSE")
    assert pairs == sorted((s, t) for s in ("GBR", "FRA", "DEU") for t in ("IRN", "SYR"))
    assert all("split_by_country" in e.coder for e in a.events)


def test_a_meeting_of_two_parties_stays_one_record():
    a = run("Chile and Peru held talks on Monday.")
    consult = [e for e in a.events if e.type == "CONSULT"]
    assert len(consult) == 1 and countries(a, consult[0].actors) | countries(a, consult[0].recipients) == {"CHL", "PER"}


def test_an_event_with_no_actor_is_a_candidate_not_a_record():
    a = run("Three journalists were arrested in Minsk on Sunday.")
    assert not any(e.type == "COERCE" for e in a.events)
    assert any("dropped: no explicit actor" in e.coder for e in a.candidates)


# ---------------------------------------------------------------------------- story rules

def test_a_denial_answers_the_accusation_against_the_denier():
    a = run("Ukraine accused Russia of shelling a hospital on Monday. On Tuesday, Moscow denied the accusations.")
    e = fired(a, "denial_answers_accusation", "REJECT")
    assert countries(a, e.actors) == {"RUS"} and countries(a, e.recipients) == {"UKR"}


def test_an_anaphoric_object_points_at_the_earlier_act():
    a = run("Chile deported two Peruvian activists on Monday. Bolivia condemned the deportation.")
    e = fired(a, "anaphoric_object", "ACCUSE")
    assert countries(a, e.actors) == {"BOL"} and "CHL" in countries(a, e.recipients)


def test_a_participle_with_an_agent_is_passive():
    a = run("Diplomats attended a meeting of the Security Council requested by Japan and Peru.")
    records = [e for e in a.events if e.type == "REQUEST"]
    assert sorted(min(countries(a, e.actors)) for e in records) == ["JPN", "PER"]
    assert all(countries(a, e.recipients) == {"IGO"} for e in records)


def test_actors_meeting_a_named_partner_are_one_record_each():
    a = run("Chile and Peru held talks with Bolivia on Monday.")
    records = [e for e in a.events if e.type == "CONSULT"]
    assert sorted(min(countries(a, e.actors)) for e in records) == ["CHL", "PER"]
    assert all(countries(a, e.recipients) == {"BOL"} for e in records)


def test_a_stance_subject_is_no_recipient_of_its_own_plan():
    a = run("Peru's president is expected to visit Chile and Bolivia next week.")
    records = [e for e in a.events if e.type == "AGREE"]
    assert sorted(min(countries(a, e.recipients)) for e in records) == ["BOL", "CHL"]
    assert all(countries(a, e.actors) == {"PER"} for e in records)


def test_commentary_by_analysts_is_no_event():
    a = run("Security analyst John Mensah welcomed the move on Tuesday. Analysts said Ghana has rejected the deal.")
    assert not a.events
    assert any("dropped: commentary" in e.coder for e in a.candidates)


def test_a_deed_told_inside_a_quotation_is_no_event_but_a_demand_is():
    a = run('"The rebels attacked the village at dawn," the governor said. "We urge Kenya to send help," she added.')
    assert not any(e.type == "ASSAULT" for e in a.events)
    assert any("dropped: a deed told inside a quotation" in e.coder for e in a.candidates)
    assert any(e.type == "REQUEST" for e in a.events + a.candidates)
    # a scare-quoted noun is not a quotation of the deed: its verb is narrated
    b = run('Kenyan troops carried out "surgical strikes" on rebel camps in Somalia on Monday.')
    assert any(e.type == "ASSAULT" for e in b.events)


def test_parties_named_inside_a_clause_subject_are_the_accused():
    from gestae.events.arguments import parties_within
    a = run("Japan said that growing trade between Russia and Iran was worrying.")
    phrase = next(t for t in a.doc if t.lower_ == "trade")
    assert {p.country for p in parties_within(a, phrase)} == {"RUS", "IRN"}


def test_a_judged_act_is_an_event_of_its_own():
    a = run("Peru praised the withdrawal of Chilean troops from the border.")
    assert any(e.type == "RETREAT" and countries(a, e.actors) == {"CHL"} and "judged_act" in e.coder
               for e in a.events)


def test_people_gathering_for_an_event_are_its_actors():
    a = run("Thousands of Kenyans gathered for a rally in Nairobi to protest the new tax law.")
    e = next(e for e in a.events if e.type == "PROTEST")
    assert countries(a, e.actors) == {"KEN"}


def test_a_standing_position_told_in_the_present_is_no_event():
    a = run(LEAD * 5 + "The rebel group opposes the pact. The ambassador, Jane Wanjiru, accuses Uganda of bad faith.")
    assert any("dropped: a standing position, not an event" in e.coder for e in a.candidates if e.type == "REJECT")
    assert any(e.type == "ACCUSE" for e in a.events)          # a named person's statement in the present


def test_an_ongoing_material_act_past_the_lede_is_the_situation():
    a = run(LEAD * 5 + "Rebels have been fighting the army in the north.")
    assert any("dropped: an ongoing situation, not an event" in e.coder for e in a.candidates)
    a = run("Rebels are fighting the army in the north.")       # in a lede it is the news
    assert any(e.type == "ASSAULT" for e in a.events)


def test_coordinated_demonyms_on_a_thing_are_one_recipient_each():
    a = run("Chile imposed new tariffs on Peruvian and Bolivian exports.")
    assert sorted(min(countries(a, e.recipients)) for e in a.events if e.type == "SANCTION") == ["BOL", "PER"]


def test_another_partys_clause_inside_a_purpose_is_its_own_event():
    a = run("Mexico sent troops to the border to curb smuggling while Canada stepped up border enforcement.")
    assert sorted(min(countries(a, e.actors)) for e in a.events if e.type == "MOBILIZE") == ["CAN", "MEX"]


def test_a_refusal_answers_the_proposal_just_made():
    a = run("During the talks, Chile proposed a new quota, but Peru refused.")
    reject = fired(a, "refusal_answers_proposal", "REJECT")
    assert countries(a, reject.actors) == {"PER"} and countries(a, reject.recipients) == {"CHL"}
    proposal = fired(a, "refused_proposal", "AGREE")
    assert countries(a, proposal.recipients) == {"PER"}


def test_a_newsroom_formula_is_no_event():
    a = run("Kenya's foreign ministry did not reply to an email requesting comment. "
            "Uganda's army refused to comment. Kenya requested a delay of the hearing.")
    assert fired(a, "newsroom_formula", "REQUEST") not in a.events
    assert [(e.type, e.trigger) for e in a.events] == [("REQUEST", "requested")]


def test_a_question_asked_is_no_request():
    a = run("Asked by reporters whether Kenya would send troops, the minister said no decision had been made. "
            "The opposition leader asked: \"Who is in charge?\" Somalia asked Kenya to withdraw its troops.")
    assert fired(a, "question_asked", "REQUEST") not in a.events
    assert [e.trigger for e in a.events if e.type == "REQUEST"] == ["asked"]
    assert countries(a, [e for e in a.events if e.type == "REQUEST"][0].recipients) == {"KEN"}


def test_a_relative_clause_telling_who_a_party_is_is_no_event():
    a = run("Peter Hale, a former diplomat who negotiated with Iran, said talks were possible. "
            "John Reed, who had met Kenyan officials, urged calm. "
            "The minister, who met Kenyan officials on Monday, urged calm.")
    assert fired(a, "biography", "CONSULT") not in a.events
    assert [e.trigger for e in a.events if e.type == "CONSULT"] == ["met"]
    assert "Monday" in [e for e in a.events if e.type == "CONSULT"][0].sentence


def test_an_expectation_above_a_will_makes_the_event_hypothetical():
    a = run("Many Kenyans fear Uganda will close the border. Uganda will close the border on Friday.")
    by_sentence = {e.sentence.split()[0]: e for e in a.events}
    assert by_sentence["Many"].hypothetical and not by_sentence["Uganda"].hypothetical
    b = run("Kenyan officials think there is little chance that Kenya and Somalia will hold a summit.")
    assert b.events and all(e.hypothetical for e in b.events)


def test_a_wish_is_hypothetical():
    a = run("Uganda would like to meet Kenyan officials. Uganda met Kenyan officials on Monday.")
    assert [e.hypothetical for e in a.events if e.type == "CONSULT"] == [True, False]


def test_an_intent_that_is_only_possible_is_hypothetical():
    a = run("Ukraine might be willing to make concessions. Ukraine is willing to make concessions.")
    assert [e.hypothetical for e in a.events if e.type == "AGREE"] == [True, False]


def test_a_pronoun_coordinated_with_a_party_is_resolved_too():
    a = run("UNICEF chief Catherine Russell spoke on Thursday. She and Kenyan envoy Martin Kimani urged Sudan "
            "to open the border.")
    assert sorted(min(countries(a, e.actors)) for e in a.events if e.type == "REQUEST") == ["IGO", "KEN"]


def test_a_news_outlet_interviewing_is_no_event():
    a = run(LEAD + "Reuters spoke with Kenyan officials on Tuesday. Kenyan officials spoke with Ugandan envoys.")
    assert fired(a, "newsroom_reporting", "CONSULT") not in a.events
    assert [e.sentence.split()[0] for e in a.events if e.type == "CONSULT"] == ["Kenyan"]


def test_standing_accused_is_passive():
    a = run("Two Ivorian soldiers stand accused of the bombing. Kenyan police accused two Ugandan soldiers of theft.")
    assert [(min(countries(a, e.actors)), min(countries(a, e.recipients))) for e in a.events if e.type == "ACCUSE"] \
        == [("KEN", "UGA")]
    assert any(e.type == "ACCUSE" and countries(a, e.recipients) == {"CIV"} for e in a.candidates)


def test_agreeing_with_a_view_is_no_agreement():
    a = run(LEAD + "Some Kenyans agree with the removal of the governor. Kenya agreed with Uganda to reopen the border.")
    assert fired(a, "shared_opinion", "AGREE") not in a.events
    assert [countries(a, e.recipients) for e in a.events if e.type == "AGREE"] == [{"UGA"}]
