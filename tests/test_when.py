"""The 'when' stage on invented news sentences: relative, absolute and anchored dates, tense,
the reporting-verb rule, the never-after-publication rule, and occasions dated in captions."""
from __future__ import annotations

from datetime import date

import pytest

from gestae import when
from gestae.model import Event
from gestae.when.resolve import Offset, Resolved, resolve

from helpers import add_trigger_events, parsed_article

WEDNESDAY = "2022-11-16T18:39:00+09:00"   # a Wednesday evening in Seoul
FRIDAY = "2022-11-18T09:00:00+01:00"


def dated(text: str, triggers: list[str], published: str | None = WEDNESDAY, captions: tuple[str, ...] = (),
          timezone: str = "") -> list[Event]:
    """Parse `text`, add one event per trigger word (first occurrence), run the stage."""
    article = parsed_article(text, published=published, captions=captions, timezone=timezone)
    add_trigger_events(article, triggers)
    when.annotate(article)
    return article.events


def one(text: str, trigger: str, **kw) -> tuple[str | None, str, str]:
    """The time the event's clause refers to: its date, or what it plans (a future time)."""
    event = dated(text, [trigger], **kw)[0]
    if event.planned:
        return event.planned["date"], event.planned["date_precision"], event.planned["date_text"]
    return event.date, event.date_precision, event.date_text


def test_future_time_is_planned_and_the_event_dated_by_its_report():
    event = dated("Minister Lena Ortiz will meet her Chilean counterpart on Sunday.", ["meet"])[0]
    assert (event.date, event.date_precision) == ("2022-11-16", "publication")
    assert event.planned == {"date": "2022-11-20", "date_precision": "day", "date_text": "Sunday"}
    past = dated("Minister Lena Ortiz met her Chilean counterpart on Sunday.", ["met"])[0]
    assert past.planned is None and past.date == "2022-11-13"


# --- weekdays and tense ------------------------------------------------------------------------

def test_past_weekday_is_the_most_recent_before_publication():
    assert one("Minister Lena Ortiz met her Chilean counterpart on Sunday.", "met") == \
        ("2022-11-13", "day", "Sunday")


def test_future_weekday_is_the_next_one():
    assert one("Minister Lena Ortiz will meet her Chilean counterpart on Sunday.", "meet")[0] == "2022-11-20"


def test_scheduled_infinitive_is_future():
    assert one("Ortiz is scheduled to visit Tokyo on Friday.", "visit")[0] == "2022-11-18"


def test_publication_weekday_is_the_publication_day():
    assert one("The ministry said Wednesday that talks would resume.", "said")[0] == "2022-11-16"


def test_last_weekday_never_means_today():
    assert one("The envoy arrived last Wednesday.", "arrived")[0] == "2022-11-09"


def test_reported_event_is_dated_by_its_report_as_an_upper_bound():
    # Published on a Friday: "said Wednesday" dates the saying exactly, and the agreement it reports
    # only as "on or before Wednesday" (precision 'reported'), never as Friday's news.
    date_, precision, _ = one("The two governments agreed to reopen the border, the foreign ministry "
                              "said Wednesday.", "agreed", published=FRIDAY)
    assert (date_, precision) == ("2022-11-16", "reported")
    assert one("The two governments agreed to reopen the border, the foreign ministry said Wednesday.",
               "said", published=FRIDAY)[:2] == ("2022-11-16", "day")


def test_reported_clause_with_its_own_time_keeps_it():
    assert one("Rebels shelled the port on Monday, the army said Wednesday.", "shelled",
               published=FRIDAY)[:2] == ("2022-11-14", "day")


def test_coordinated_verb_shares_the_date():
    first, second = dated("Ortiz met the envoy on Sunday and signed a fisheries accord.", ["met", "signed"])
    assert first.date == second.date == "2022-11-13"


# --- relative expressions ----------------------------------------------------------------------

@pytest.mark.parametrize("sentence, trigger, expected", [
    ("Protesters clashed with riot police yesterday.", "clashed", ("2022-11-15", "day")),
    ("The cabinet approved the budget today.", "approved", ("2022-11-16", "day")),
    ("The delegation will arrive tomorrow.", "arrive", ("2022-11-17", "day")),
    ("The army shelled the border town two years ago.", "shelled", ("2020-01-01", "year")),
    ("The two sides held talks last week.", "held", ("2022-11-07", "week")),
    ("The two sides held talks earlier this month.", "held", ("2022-11-01", "month")),
    ("The parliament passed the law last year.", "passed", ("2021-01-01", "year")),
    ("Drones struck the depot overnight Saturday.", "struck", ("2022-11-12", "day")),
])
def test_relative_expressions(sentence, trigger, expected):
    assert one(sentence, trigger)[:2] == expected


def test_month_name_takes_its_year_from_tense():
    assert one("The two sides held talks in September.", "held")[:2] == ("2022-09-01", "month")
    assert one("The two sides will hold talks in September.", "hold")[:2] == ("2023-09-01", "month")


def test_past_event_never_dated_after_publication():
    # December has not come yet in a November paper: a past-tense December is last year's.
    assert one("The rebels seized the port in December.", "seized")[0] == "2021-12-01"
    assert one("The ministers signed the accord on Nov. 20.", "signed")[0] == "2021-11-20"
    # An explicit year after publication cannot be right for a past event: publication date instead.
    assert one("The ministers signed the accord on March 3, 2025.", "signed")[1] == "publication"


# --- absolute expressions ----------------------------------------------------------------------

@pytest.mark.parametrize("sentence, expected", [
    ("The ministers signed the accord on March 5, 2021.", "2021-03-05"),
    ("The ministers signed the accord on 5 March 2021.", "2021-03-05"),
    ("The ministers signed the accord on 2021-03-05.", "2021-03-05"),
])
def test_absolute_dates(sentence, expected):
    assert one(sentence, "signed")[:2] == (expected, "day")


def test_no_publication_date_keeps_absolute_and_drops_relative():
    assert one("The ministers signed the accord on March 5, 2021.", "signed", published=None)[0] == "2021-03-05"
    assert one("The ministers signed the accord on Sunday.", "signed", published=None)[0] is None


def test_publication_day_in_the_outlets_time_zone():
    # 20:00 UTC on the 15th is already the 16th in Seoul.
    assert one("Protesters clashed with riot police yesterday.", "clashed",
               published="2022-11-15T20:00:00+00:00", timezone="Asia/Seoul")[0] == "2022-11-15"
    assert one("Protesters clashed with riot police yesterday.", "clashed",
               published="2022-11-15T20:00:00+00:00")[0] == "2022-11-14"


def test_no_expression_falls_back_to_publication():
    assert one("The envoy criticized the decision.", "criticized")[:2] == ("2022-11-16", "publication")


# --- anchored expressions ----------------------------------------------------------------------

def test_offset_after_an_anchor_occasion():
    sat, meeting = dated("The envoys resumed negotiations two months after their first meeting at a "
                         "trade forum in Nairobi in September.", ["resumed", "meeting"])
    assert (meeting.date, meeting.date_precision) == ("2022-09-01", "month")
    assert (sat.date, sat.date_precision) == ("2022-11-01", "month")
    assert "after their first meeting" in sat.date_text


def test_later_is_anchored_to_the_previous_date():
    seized, retook = dated("The rebels seized the town on Monday. Two days later, the army retook it.",
                           ["seized", "retook"], published=FRIDAY)
    assert seized.date == "2022-11-14"
    assert retook.date == "2022-11-16"


# --- occasions ---------------------------------------------------------------------------------

CAPTION = ("President Ana Ruiz shakes hands with Prime Minister Erik Berg at the Peru-Norway summit "
           "held at a hotel in Lima on Sunday.")


def test_occasion_dated_in_a_caption():
    event = dated("Ruiz and Berg agreed on closer trade ties at the Peru-Norway summit, the foreign "
                  "ministry said Wednesday.", ["agreed"], captions=(CAPTION,))[0]
    assert (event.date, event.date_precision, event.date_text) == ("2022-11-13", "day", "Sunday")


def test_a_different_occasion_is_not_borrowed():
    event = dated("Ruiz and Berg agreed on closer trade ties at the Andean trade summit, the foreign "
                  "ministry said Wednesday.", ["agreed"], captions=(CAPTION,))[0]
    assert (event.date, event.date_precision) == ("2022-11-16", "reported")


def test_occasion_dated_in_the_text():
    first, later = dated("The energy ministers' conference opened in Oslo on Monday. Norway and Chile "
                         "signed a hydrogen pact at the conference.", ["opened", "signed"], published=FRIDAY)
    assert first.date == "2022-11-14"
    assert later.date == "2022-11-14"


# --- the resolver on its own -------------------------------------------------------------------

def test_resolver_units():
    pub = date(2022, 11, 16)
    assert resolve("Sunday", pub, "past") == Resolved(date(2022, 11, 13), "day")
    assert resolve("next Wednesday", pub, "past") == Resolved(date(2022, 11, 23), "day")
    assert resolve("two days later", pub, "past") == Offset(2, "day", 1)
    assert resolve("for three years", pub, "past") is None
    assert resolve("the 1990s", pub, "past") is None


def test_infinitive_under_a_hope_is_future():
    # The small model lemmatizes "hopes" as "hop": the verb's own forms must count too.
    assert one("Ortiz said the government hopes to settle the dispute during talks Thursday.",
               "talks")[0] == "2022-11-17"


def test_noun_event_takes_its_verbs_date_before_another_occasions():
    first, second = dated("Envoys will hold talks in Geneva on Friday. Last month, the two sides held talks "
                          "in Doha on Oct. 3.", ["talks", "talks in Doha"])
    assert first.planned["date"] == "2022-11-18" and first.date == "2022-11-16"
    assert second.date == "2022-10-03"


def test_duration_is_not_a_date_but_a_scheduled_day_is():
    assert one("Rebels have besieged the town for the past week.", "besieged")[1] == "publication"
    assert one("The vote is scheduled for Tuesday.", "vote")[0] == "2022-11-22"


def test_numeric_absolute_date():
    assert resolve("16.11.2021", date(2022, 11, 16), "past") == Resolved(date(2021, 11, 16), "day")


# --- which clause's time an event shares (gestae.when.rules) ------------------------------------

def test_participle_shares_the_main_clause_time():
    assert one("Rebels attacked the garrison on Monday, killing ten soldiers.", "killing")[:2] == \
        ("2022-11-14", "day")


def test_after_clause_time_is_not_the_main_clause_time():
    retaliated, attacked = dated("The army retaliated after rebels attacked the garrison on Monday.",
                                 ["retaliated", "attacked"])
    assert retaliated.date_precision == "publication"
    assert attacked.date == "2022-11-14"


def test_where_clause_takes_the_time_of_the_clause_its_place_is_in():
    assert one("The fighting began on Monday in the port city, where rebels shelled the harbour.",
               "shelled")[:2] == ("2022-11-14", "day")


def test_when_clause_on_a_year_is_that_year():
    assert one("Relations soured in 2013, when both countries recalled their ambassadors.",
               "recalled")[:2] == ("2013-01-01", "year")


def test_a_time_at_the_end_of_coordinated_verbs_dates_both():
    assert one("The gang leader was arrested and sentenced in 2011.", "arrested")[:2] == ("2011-01-01", "year")


def test_since_gives_the_start_of_an_ongoing_event():
    assert one("Government troops have held the town since February.", "held")[:2] == ("2022-02-01", "month")
    assert one("The envoy has made several trips to the capital since he took office in 2020.",
               "trips")[:2] == ("2020-01-01", "year")


def test_a_date_inside_a_noun_phrase_dates_that_noun_only():
    welcomed, agreed = dated("Lawmakers welcomed Tuesday's announcement that the two sides had agreed to "
                             "a truce.", ["welcomed", "agreed"])
    assert welcomed.date_precision == "publication"
    assert (agreed.date, agreed.date_precision) == ("2022-11-15", "day")
    assert one("Officials said the planners of Sunday's bombing are based abroad.", "based")[1] != "day"


# --- relative weeks and anchored days ------------------------------------------------------------

SUNDAY = "2022-11-20T10:00:00-05:00"


def test_the_past_week_ends_on_publication_day():
    assert one("Rebels lost hundreds of fighters in the past week.", "lost", published=SUNDAY)[:2] == \
        ("2022-11-14", "week")
    assert one("Rebels lost hundreds of fighters in the past week.", "lost")[:2] == ("2022-11-10", "week")


def test_a_sunday_papers_last_week_is_the_week_ending_that_day():
    assert one("The two sides held talks last week.", "held", published=SUNDAY)[:2] == ("2022-11-14", "week")
    assert one("The two sides held talks last week.", "held")[:2] == ("2022-11-07", "week")


def test_a_decade_ago_is_ten_years_back():
    assert one("The army shelled the border town a decade ago.", "shelled")[:2] == ("2012-01-01", "year")


@pytest.mark.parametrize("second, trigger, expected", [
    ("The next day, the army retook it.", "retook", ("2022-11-15", "day")),
    ("Earlier in the day, the army had shelled it.", "shelled", ("2022-11-14", "day")),
    ("Days later, the army retook it.", "retook", ("2022-11-15", "week")),
])
def test_day_placed_next_to_the_time_before(second, trigger, expected):
    _, event = dated("The rebels seized the town on Monday. " + second, ["seized", trigger], published=FRIDAY)
    assert (event.date, event.date_precision) == expected


def test_a_vague_count_after_a_month_stays_in_that_month():
    _, killed = dated("Last month, insurgents ambushed a convoy. Just days later, a bomb killed six miners.",
                      ["ambushed", "killed"])
    assert (killed.date, killed.date_precision) == ("2022-10-01", "month")


# --- reports, statements and their speakers -------------------------------------------------------

MATERIAL_TYPES = {"MOBILIZE", "ASSAULT", "COERCE", "SANCTION"}


def spoken(text: str, specs: list[tuple[str, str, str]], published: str = FRIDAY) -> list[Event]:
    """Run the actors stage, add one statement event per (trigger, PLOVER type, actor name part),
    then the 'when' stage."""
    from gestae import actors
    article = parsed_article(text, published=published)
    actors.annotate(article)
    for n, (word, type_, who) in enumerate(specs):
        start = article.text.index(word)
        ids = [a.id for a in article.actors if who and who in a.name]
        quad_class = ("MATERIAL" if type_ in MATERIAL_TYPES else "VERBAL") + " CONFLICT"
        article.events.append(Event(id=f"e{n}", type=type_, quad_class=quad_class, actors=ids,
                                    trigger=word, trigger_span=(start, start + len(word))))
    when.annotate(article)
    return article.events


def test_the_speakers_own_statement_is_dated_to_the_day():
    event = spoken("Foreign Minister Lena Ortiz said Wednesday that her government rejects the proposal.",
                   [("rejects", "REJECT", "Ortiz")])[0]
    assert (event.date, event.date_precision) == ("2022-11-16", "day")


def test_a_statement_continued_in_the_next_sentence_keeps_its_day():
    first, added = spoken("Foreign Minister Lena Ortiz criticized the blockade on Wednesday. She added that "
                          "the neighbours must reopen the border crossing.",
                          [("criticized", "ACCUSE", "Ortiz"), ("must", "REQUEST", "Ortiz")])
    assert first.date == "2022-11-16"
    assert (added.date, added.date_precision) == ("2022-11-16", "day")


def test_another_speakers_statement_is_not_borrowed():
    _, other = spoken("Foreign Minister Lena Ortiz criticized the blockade on Wednesday. Defence Minister "
                      "Tomas Berg urged the neighbours to reopen the border crossing.",
                      [("criticized", "ACCUSE", "Ortiz"), ("urged", "REQUEST", "Berg")])
    assert other.date_precision == "publication"


def test_a_material_event_does_not_take_a_statements_day():
    _, sent = spoken("President Lena Ortiz criticized the blockade on Wednesday. Ortiz sent troops to the "
                     "border.", [("criticized", "ACCUSE", "Ortiz"), ("sent", "MOBILIZE", "Ortiz")])
    assert sent.date_precision == "publication"


def test_a_plan_announced_on_a_day_is_dated_by_the_announcement():
    event = spoken("Foreign Minister Lena Ortiz said Wednesday she will travel to Lima on Sunday.",
                   [("travel", "AGREE", "Ortiz")])[0]
    assert (event.date, event.date_precision) == ("2022-11-16", "day")
    assert event.planned["date"] == "2022-11-20"


def test_a_quoted_sentence_takes_the_day_of_its_attribution():
    first, _ = spoken('"We reject this ultimatum. We will not be intimidated," Foreign Minister Lena Ortiz '
                      'said on Wednesday.', [("reject", "REJECT", "Ortiz"), ("said", "REJECT", "Ortiz")])
    assert (first.date, first.date_precision) == ("2022-11-16", "day")


def test_a_statement_named_as_the_subject_takes_the_statements_day():
    _, threatened = dated("The State Department issued a statement on Wednesday condemning the vote. The "
                          "statement threatened sanctions.", ["issued", "threatened"], published=FRIDAY)
    assert (threatened.date, threatened.date_precision) == ("2022-11-16", "day")


def test_a_relative_clause_telling_of_a_dated_event_shares_its_date():
    assert one("Prosecutors reopened the case of the 2004 bombing that killed nine soldiers.",
               "killed")[:2] == ("2004-01-01", "year")
    # what is done to the dated thing happens at its own time
    assert one("Envoys argued before Sunday's meeting, which France had requested.", "requested")[1] == \
        "publication"
    assert one("Envoys met before a council meeting on Friday requested by France.", "requested")[1] == \
        "publication"


def test_a_purpose_infinitive_shares_the_trip_time():
    assert one("The envoy flew to Geneva on Monday to meet rebel leaders.", "meet")[:2] == ("2022-11-14", "day")


def test_a_coordinated_verb_with_its_own_perfect_is_another_time():
    assert one("Ortiz was the chief negotiator in the 2019 talks but had criticized the deal.",
               "criticized")[1] == "publication"


def test_an_offset_from_an_undated_anchor_stays_undated():
    _, retook = dated("Rebels seized the town on Monday. The army retook it two days after the vote.",
                      ["seized", "retook"], published=FRIDAY)
    assert retook.date_precision == "publication"


def test_the_past_month_is_the_month_holding_most_of_it():
    assert resolve("the past month", date(2022, 11, 16), "past") == Resolved(date(2022, 11, 1), "month")
    assert resolve("the past month", date(2022, 11, 10), "past") == Resolved(date(2022, 10, 1), "month")


def test_a_bare_definite_meeting_is_the_meeting_just_told():
    _, agreed = dated("Minister Lena Ortiz visited Tokyo on Monday and met her counterpart. During the talks, "
                      "the two sides agreed to expand trade.", ["visited", "agreed"], published=FRIDAY)
    assert (agreed.date, agreed.date_precision) == ("2022-11-14", "day")
    _, agreed = dated("Minister Lena Ortiz visited Tokyo on Monday. Weeks of haggling followed. Officials "
                      "said nothing for months. During the talks, the two sides agreed to expand trade.",
                      ["visited", "agreed"], published=FRIDAY)
    assert agreed.date_precision == "publication"


def test_a_statements_current_year_is_the_need_not_the_statement():
    event = spoken("The agency needs two billion dollars this year, its director Lena Ortiz said Thursday.",
                   [("needs", "REQUEST", "")])[0]
    assert (event.date, event.date_precision) == ("2022-11-17", "reported")


def test_the_day_after_counts_from_the_time_before():
    _, posted = dated("Thailand deported the men on Feb. 27. Officials posted a statement the day after.",
                      ["deported", "posted"], published=FRIDAY)
    assert (posted.date, posted.date_precision) == ("2022-02-28", "day")


def test_according_to_a_dated_source_dates_what_it_reports():
    assert one("Rebels shelled the port, according to a statement released Monday by the army.",
               "shelled", published=FRIDAY)[:2] == ("2022-11-14", "reported")


def test_a_plan_for_later_this_year_is_planned_not_dated():
    event = dated("The two leaders will meet again this year.", ["meet"])[0]
    assert event.planned == {"date": "2022-01-01", "date_precision": "year", "date_text": "this year"}
    assert event.date_precision == "publication"


def test_a_deadline_is_no_date_but_a_future_one_is_planned():
    assert one("The withdrawal was supposed to end by May 1.", "end")[1] == "publication"
    assert one("The troops will withdraw by Dec. 1.", "withdraw")[:2] == ("2022-12-01", "day")


def test_a_quoted_sentence_is_dated_by_its_attribution_whoever_speaks():
    first = dated('"We reject this ultimatum. We will not be intimidated," the ministry said on Wednesday.',
                  ["reject"], published=FRIDAY)[0]
    assert (first.date, first.date_precision) == ("2022-11-16", "reported")


def test_a_statement_is_dated_by_the_report_or_letter_it_was_made_in():
    assert one("The agency said in an October report that donors must do more.", "said") == \
        ("2022-10-01", "month", "October")
    assert one("The envoy wrote in Monday's letter that talks should resume.", "wrote") == \
        ("2022-11-14", "day", "Monday")


def test_a_judgement_is_dated_by_the_verb_that_utters_it():
    assert one("On Friday, the minister described the jailbreak as deplorable.", "deplorable") == \
        ("2022-11-11", "day", "Friday")
    assert one("On Friday, the minister called the verdict unjust.", "unjust") == ("2022-11-11", "day", "Friday")
