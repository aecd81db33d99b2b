"""The 'where' stage on invented news sentences: gazetteer aliases, disambiguation, place mentions,
and event locations from the clause, an occasion placed in a caption, the dateline and captions."""
from __future__ import annotations

from gestae import when, where
from gestae.model import Actor, Article
from gestae.where import gazetteer

from helpers import add_trigger_events, parsed_article

PUBLISHED = "2022-11-16T18:39:00+09:00"


def located(text: str, triggers: list[str] = (), captions: tuple[str, ...] = (), removed: tuple[str, ...] = (),
            actors: list[Actor] = ()) -> Article:
    article = parsed_article(text, published=PUBLISHED, captions=captions, removed=removed, actors=actors)
    add_trigger_events(article, triggers)
    when.annotate(article)
    where.annotate(article)
    return article


def place(article: Article, name: str):
    found = [p for p in article.places if p.name == name]
    assert found, (name, [(p.name, p.country) for p in article.places])
    return found[0]


def names(article: Article) -> set[str]:
    return {p.name for p in article.places}


# --- the gazetteer -----------------------------------------------------------------------------

def test_alias_index():
    best = {name: gazetteer.load().lookup(name)[0].entry for name in ("Kiev", "Irbil", "New York", "U.S.")}
    assert (best["Kiev"].name, best["Kiev"].country) == ("Kyiv", "UKR")
    assert (best["Irbil"].name, best["Irbil"].country) == ("Erbil", "IRQ")
    assert (best["New York"].name, best["New York"].country) == ("New York City", "USA")
    assert (best["U.S."].name, best["U.S."].kind) == ("United States", "country")


def test_regions_and_countries_are_places():
    for name, country in [("Crimea", "UKR"), ("the West Bank", "PSE"), ("Cambodia", "KHM"), ("Kashmir", "")]:
        candidates = gazetteer.load().lookup(name)
        assert candidates and candidates[0].entry.country == country, name
        assert candidates[0].entry.lat is not None


# --- place mentions and disambiguation ---------------------------------------------------------

def test_a_small_town_the_sentence_calls_a_town_is_a_place():
    # Too small for the scan of bare names, and spaCy tags it a person: "the town of" settles it.
    article = located("Gunmen stormed a hotel in the Somali town of Beledweyne on Tuesday. "
                      "Officials said the police arrived later.", triggers=["stormed"])
    town = place(article, "Beledweyne")
    assert town.country == "SOM"
    assert article.events[0].location.name == "Beledweyne"


def test_the_capital_named_by_its_countrys_adjective():
    article = located("Protesters gathered in the Turkish capital on Monday. A European capital was not named.",
                      triggers=["gathered"])
    assert article.events[0].location.name == "Ankara"
    assert [p.name for p in article.places] == ["Ankara"]


def test_a_place_in_a_request_s_complement_is_not_where_the_request_was_made():
    article = located("In Geneva, the envoys called on both sides to stop the fighting in Tigray.",
                      triggers=["called"])
    assert article.events[0].location.name == "Geneva"


def test_places_with_mentions():
    text = "Trade ministers gathered in Lima. Later, delegates from Lima flew to Kiev."
    article = located(text)
    lima = place(article, "Lima")
    assert lima.country == "PER" and abs(lima.lat + 12.05) < 0.3
    assert [text[s:e] for s, e in lima.mentions] == ["Lima", "Lima"]
    kyiv = place(article, "Kyiv")
    assert [text[s:e] for s, e in kyiv.mentions] == ["Kiev"]


def test_georgia_follows_the_story():
    caucasus = located("Thousands rallied in Georgia on Sunday. Police in Tbilisi detained dozens.")
    assert place(caucasus, "Georgia").country == "GEO"
    american = located("Voters lined up in Georgia on Tuesday. Polls in Atlanta closed late.")
    assert place(american, "Georgia").country == "USA"


def test_paris_france_unless_texas_says_otherwise():
    assert place(located("The envoys met in Paris on Monday."), "Paris").country == "FRA"
    texas = located("The envoys met in Paris, Texas, on Monday.")
    assert place(texas, "Paris").country == "USA"
    assert place(texas, "Texas").kind == "state"


def test_demonym_is_not_a_place():
    article = located("Peruvian officials criticized the plan.")
    assert not article.places


def test_agent_and_actor_are_not_places():
    text = "Peru said it would host the talks in Cusco."
    actor = Actor(id="a1", name="Peru", country="PER", mentions=[(0, 4)])
    article = located(text, actors=[actor])
    assert "Peru" not in names(article)
    assert "Cusco" in names(article)


def test_modifier_is_not_a_place():
    article = located("Officials discussed the Paris agreement at the meeting in Oslo.")
    assert names(article) == {"Oslo"}


def test_caption_mentions():
    caption = "Ministers pose for a photo at a hotel in Lima, Peru on Sunday."
    article = located("Ministers agreed to cut tariffs.", captions=(caption,))
    lima = place(article, "Lima")
    assert lima.mentions == []
    assert [(i, caption[s:e]) for i, s, e in lima.caption_mentions] == [(0, "Lima")]


# --- event locations ---------------------------------------------------------------------------

def test_location_from_the_event_clause():
    article = located("The mayor of Paris met officials in Kiev and then traveled to Irbil.", ["met", "traveled"])
    met, traveled = article.events
    assert (met.location.name, met.location.country) == ("Kyiv", "UKR")
    assert (traveled.location.name, traveled.location.country) == ("Erbil", "IRQ")


def test_most_specific_place_wins():
    event = located("The two ministers signed the pact at a hotel in Lima, Peru.", ["signed"]).events[0]
    assert event.location.name == "Lima"


def test_occasion_placed_in_a_caption():
    caption = ("President Ana Ruiz shakes hands with Prime Minister Erik Berg at the Peru-Norway summit "
               "held at a hotel in Lima, Peru on Sunday.")
    text = ("Ruiz and Berg agreed on closer trade ties at the Peru-Norway summit, the foreign ministry "
            "said Wednesday. The two leaders first met at a forum in New York in September.")
    article = located(text, ["agreed", "met"], captions=(caption,))
    agreed, met = article.events
    assert (agreed.location.name, agreed.location.country) == ("Lima", "PER")
    assert agreed.date == "2022-11-13"
    assert (met.location.name, met.location.country) == ("New York City", "USA")


def test_dateline_in_text():
    text = "LIMA, Nov 16 (Reuters) - Trade ministers from 12 nations agreed to cut tariffs."
    article = located(text, ["agreed"])
    assert article.events[0].location.name == "Lima"
    assert place(article, "Lima").mentions == [(0, 4)]


def test_dateline_removed_by_the_cleaner():
    article = located("Trade ministers from 12 nations agreed to cut tariffs.", ["agreed"],
                      removed=("OSLO, Nov 16 (Reuters) -",))
    assert (article.events[0].location.name, article.events[0].location.country) == ("Oslo", "NOR")
    assert place(article, "Oslo").mentions == []


def test_dateline_qualifier_picks_the_country():
    article = located("Local officials met on Friday.", ["met"], removed=("PARIS, Texas —",))
    assert article.events[0].location.country == "USA"


def test_caption_sets_the_story_when_nothing_else_does():
    article = located("The ministers agreed to cut tariffs on steel.", ["agreed"],
                      captions=("Ministers pose for a photo in Nairobi on Monday.",))
    assert article.events[0].location.name == "Nairobi"


def test_no_place_no_location():
    article = located("The ministers agreed to cut tariffs on steel.", ["agreed"])
    assert article.events[0].location is None


def test_every_event_whose_sentence_names_a_place_is_located():
    article = located("Inflation worries grew in Nigeria as the central bank raised rates again.", ["raised"])
    assert article.events[0].location is not None
    assert article.events[0].location.country == "NGA"


def test_parties_and_titles_are_not_locations():
    # Who, not where: a title's city and the parties of the talks do not locate the criticism.
    article = located("The envoy to Paris criticized talks between Moscow and Kiev.", ["criticized"])
    assert article.events[0].location is None


def test_place_beyond_the_clause_is_not_the_event_location():
    text = "Ruiz, who grew up in Cusco, signed the accord in Madrid."
    article = located(text, ["signed"])
    assert article.events[0].location.name == "Madrid"


def test_possessive_place_noun_is_a_place():
    article = located("Fighting flared in Syria's coastal region on Thursday.", ["flared"])
    assert article.events[0].location.country == "SYR"
    assert "Syria" in names(article)
    assert "Syria" not in names(located("Syria's foreign ministry condemned the strike."))


def test_destination_of_a_visit_is_where_it_happens():
    article = located("The destroyer paid a visit to the port city of Mombasa last week.", ["visit"])
    assert article.events[0].location is not None and article.events[0].location.name == "Mombasa"
    envoy = located("The new envoy to Nairobi met business leaders.", ["met"])
    assert envoy.events[0].location is None or envoy.events[0].location.name != "Nairobi"
