"""HTML pages: title, publication time, authors, language and body, one test per failure kind.

Every page here is written for the test (invented outlets and stories on example domains, or real
outlets' names only as the facts of gestae/data/outlets.tsv).
"""
import json

import pytest

from gestae import html as html_doc
from gestae.bylines import read_names
from gestae.clean import clean
from gestae.model import RawRecord, Source
from gestae.pubdate import date_line, find_printed, parse_published

BODY = [
    "The regional council voted on Tuesday to expand the night bus network to four more districts, "
    "after a year of complaints from shift workers about the last connections leaving before midnight.",
    "The plan adds eleven routes and raises the number of buses running after one o'clock from twelve "
    "to thirty, the transport committee said in a statement published after the vote.",
    "Opposition members supported the expansion but said the council had not explained how it would pay "
    "for the extra drivers once a state grant for the first two years runs out.",
    "The first new routes are expected to start running in the autumn, with the rest following early "
    "next year if enough drivers can be hired and trained in time.",
]


def page(head: str = "", before: str = "", top: str = "", body: list[str] = BODY, after: str = "",
         lang: str = "en") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in body)
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{head}</head><body>'
            f'<header><nav><a href="/">Home</a> <a href="/news">News</a></nav>{before}</header>'
            f"<main><article>{top}{paragraphs}</article>{after}</main>"
            f"<footer><p>Contact us</p></footer></body></html>")


def ld(**fields) -> str:
    return f'<script type="application/ld+json">{json.dumps({"@type": "NewsArticle", **fields})}</script>'


def article(html: str, url: str = None):
    return clean(RawRecord(Source("page.html", "html", url=url), html, is_html=True))


# 1. The title is the page's own headline, never a body line.

def test_title_is_the_headline_not_the_dateline_or_a_caption():
    html = page(head='<title>Council expands night buses | Daily Example</title>'
                     '<meta property="og:site_name" content="Daily Example">'
                     '<meta property="og:title" content="Council expands night buses">',
                top='<h1>Council expands night buses</h1><p>WASHINGTON —</p>'
                    '<p>Buses wait at the central depot. Photo: Ann Lee</p>')
    result = article(html)
    assert result.title == "Council expands night buses"
    assert "WASHINGTON" not in result.text and result.text.startswith("The regional council")
    assert ("WASHINGTON —", "dateline") in {(r.text, r.reason) for r in result.removed}


def test_a_short_lead_sentence_stays_in_the_text_when_the_page_has_a_title():
    lead = "Night buses are coming to four more districts"
    result = article(page(head='<meta property="og:title" content="Council expands night buses">',
                          top="<h1>Council expands night buses</h1>", body=[lead, *BODY]))
    assert result.title == "Council expands night buses"
    assert result.text.startswith(lead)


def test_kicker_inside_the_headline_and_stray_h1_are_not_the_title():
    html = page(head='<meta property="og:title" content="Transport: Council expands night buses">',
                before='<h1 class="logo">Daily Example</h1>',
                top='<h1><span class="kicker">Transport</span> <span class="headline">'
                    'Council expands night buses to four districts</span></h1>')
    assert article(html).title == "Council expands night buses to four districts"


def test_site_name_is_cut_from_the_title_tag():
    html = page(head='<title>Council expands night buses - Local - Daily Example</title>'
                     '<meta property="og:site_name" content="Daily Example">')
    assert article(html).title == "Council expands night buses"


# 2. The publication time: machine-readable first, a malformed one skipped, visible dates only by the headline.

def test_jsonld_date_wins_over_the_site_header_today_and_teaser_dates():
    html = page(head=ld(headline="Council expands night buses", datePublished="2024-03-12T09:15:00+01:00"),
                before="<p>Friday, 15 March 2024</p>", top="<h1>Council expands night buses</h1>",
                after="<aside><p>Related</p><p>March 14, 2024</p><p>Tram line closes</p></aside>")
    assert article(html).published == "2024-03-12T09:15:00+01:00"


def test_malformed_published_time_falls_back_to_jsonld():
    html = page(head='<meta property="article:published_time" content="2024-13-45T99:00">'
                     + ld(headline="Council expands night buses", datePublished="2024-03-12T09:15:00+01:00"),
                top="<h1>Council expands night buses</h1>")
    assert article(html).published == "2024-03-12T09:15:00+01:00"


def test_visible_date_next_to_the_headline_not_the_header_date_nor_the_update():
    html = page(before="<p>Friday, 15 March 2024</p>",
                top="<h1>Council expands night buses</h1><p>By Ann Lee</p>"
                    "<p>Updated: 14 March 2024</p><p>Published: 12 March 2024, 09:15</p>",
                after="<aside><p>March 14, 2024</p></aside>")
    assert article(html).published == "2024-03-12T09:15:00"


def test_german_byline_date_by_the_headline():
    html = page(lang="de", top="<h1>Stadtrat erweitert Nachtbusnetz</h1><p>Stand: 12.03.2024 18:00 Uhr</p>")
    assert article(html, "https://www.stadt-beispiel.de/a").published == "2024-03-12T18:00:00+01:00"


# 3. A UTC time is expressed in the newsroom's zone.

@pytest.mark.parametrize("stamp, by_headline, lang, url, expected", [
    # the outlets table knows the newsroom
    ("2024-05-04T01:30:00Z", "", "es", "https://www.lanacion.com.ar/politica/x", "2024-05-03T22:30:00-03:00"),
    # an unknown site: the zone of its country's domain
    ("2024-10-18T22:04:00Z", "", "de", "https://www.zeitung-beispiel.at/x", "2024-10-19T00:04:00+02:00"),
    # the page prints the local time by its headline: its own offset
    ("2023-11-09T05:30:00Z", "November 8, 2023 at 11:30 p.m.", "en-US", "https://www.example-cityherald.com/x",
     "2023-11-08T23:30:00-06:00"),
    # a stamp marked UTC that the page prints unchanged is local time
    ("2023-11-09T04:31:00Z", "Thursday, November 9, 2023 4:41AM", "en", "https://abc13.com/x",
     "2023-11-09T04:31:00-06:00"),
])
def test_utc_time_in_the_newsrooms_zone(stamp, by_headline, lang, url, expected):
    html = page(head=ld(headline="Council expands night buses", datePublished=stamp), lang=lang,
                top=f"<h1>Council expands night buses</h1><p>{by_headline}</p>")
    assert article(html, url).published == expected


# 4. All-number dates in the order of the page's country.

def test_numeric_date_day_first_outside_the_usa():
    html = page(head='<meta property="article:published_time" content="10/05/2022 05:22 pm">',
                top="<h1>Council expands night buses</h1>", lang="es")
    assert article(html, "https://www.diario-ejemplo.com.ve/x").published.startswith("2022-05-10T17:22")


def test_numeric_date_month_first_in_the_usa():
    html = page(head='<meta property="article:published_time" content="10/05/2022 05:22 pm">',
                top="<h1>Council expands night buses</h1>", lang="en-US")
    assert article(html, "https://www.example-gazette.com/x").published.startswith("2022-10-05T17:22")


# 5. Authors: persons, not publishers, the outlet, placeholders, places or byline words.

def test_publisher_and_outlet_are_not_authors():
    html = page(head='<meta property="og:site_name" content="Daily Example">'
                     '<meta name="author" content="Example Media GmbH">'
                     + ld(headline="Council expands night buses",
                          author=[{"@type": "Person", "name": "Ann Lee"}, {"@type": "Organization",
                                                                            "name": "Daily Example"}]),
                top="<h1>Council expands night buses</h1>")
    assert article(html).authors == ["Ann Lee"]


@pytest.mark.parametrize("meta, expected", [
    ("No Author", []), ("Anónimo", []), ("Par Jean Dupont", ["Jean Dupont"]),
    ("Auteur Anna Novak", ["Anna Novak"]), ("Frankfurt, Germany", []),
    ("Powered by WordPress", []), ("Ann Lee, Daily Example", ["Ann Lee"]),
    ("Redacción DE", []), ("Tom Brown Daily Example Staff", ["Tom Brown"]),
])
def test_author_filters(meta, expected):
    html = page(head=f'<meta property="og:site_name" content="Daily Example"><meta name="author" content="{meta}">',
                top="<h1>Council expands night buses</h1>")
    assert article(html).authors == expected


def test_byline_under_the_headline_in_another_language():
    html = page(lang="de", top="<h1>Stadtrat erweitert Nachtbusnetz</h1><p>Von</p><p>Anna Becker</p>"
                               "<p>und</p><p>Jonas Wolf</p><p>12.03.2024, 18:00 Uhr</p>")
    assert article(html).authors == ["Anna Becker", "Jonas Wolf"]


def test_byline_rules_keep_agency_credits_beside_people():
    names = read_names(["Von Anna Becker und Jonas Wolf, dpa"], sites={"dailyexample"})
    assert names.of("person") == ["Anna Becker", "Jonas Wolf"] and names.of("credit") == ["dpa"]


# 6. Language: detected by a library, kept on every article, with a warning when gestae does not code it.

GERMAN = [
    "Der Stadtrat hat am Dienstag beschlossen, das Nachtbusnetz auf vier weitere Stadtteile auszuweiten, "
    "nachdem Schichtarbeiter sich ein Jahr lang über zu frühe letzte Verbindungen beschwert hatten.",
    "Der Plan sieht elf neue Linien vor und erhöht die Zahl der Busse nach ein Uhr nachts von zwölf auf "
    "dreißig, teilte der Verkehrsausschuss nach der Abstimmung mit.",
    "Die Opposition unterstützte die Erweiterung, kritisierte aber, dass die Finanzierung der zusätzlichen "
    "Fahrer nach dem Auslaufen eines Landeszuschusses ungeklärt sei.",
]


def test_german_page_is_german_with_a_warning_and_no_coding():
    from gestae.pipeline import process

    html = page(lang="", top="<h1>Stadtrat erweitert Nachtbusnetz</h1>", body=GERMAN)
    result = next(process([RawRecord(Source("p.html", "html"), html, is_html=True)]))
    assert result.language == "de"
    assert any("German" in w and "English only" in w for w in result.warnings)
    assert result.events == [] and result.actors == [] and result.doc is None


def test_english_page_has_no_language_warning():
    result = article(page(top="<h1>Council expands night buses</h1>"))
    assert result.language == "en" and result.warnings == []


# 7. A body cut short by the precise extraction is read again with recall, or from JSON-LD.

def test_short_precise_extraction_falls_back_to_recall(monkeypatch):
    full = "\n".join(BODY)

    class Doc:
        def __init__(self, text):
            self.text = text

    monkeypatch.setattr(html_doc, "_extract", lambda html, url, **mode: Doc(
        BODY[0][:140] if mode.get("favor_precision") else full))
    assert html_doc.read_document(page(top="<h1>Council expands night buses</h1>")).text == full


def test_jsonld_article_body_when_the_page_shows_only_a_caption():
    long_body = " ".join(BODY)
    html = page(head=ld(headline="Council expands night buses", articleBody="<p>" + "</p><p>".join(BODY) + "</p>"),
                top="<h1>Council expands night buses</h1>",
                body=["Buses wait at the central depot on Monday evening. Photo: Ann Lee"])
    text = html_doc.read_document(html).text
    assert " ".join(text.split()) == long_body and text.count("\n\n") == len(BODY) - 1


# Printed dates and header lines, shared by pasted text and pages.

@pytest.mark.parametrize("text, order, expected", [
    ("19. Oktober 2019, 19:08 Uhr", "", "2019-10-19T19:08:00"),
    ("3 de mayo de 2022 | 21:25", "", "2022-05-03T21:25:00"),
    ("lundi 9 décembre 2019 à 09h08", "", "2019-12-09T09:08:00"),
    ("Nov. 16, 2022 - 18:39", "MDY", "2022-11-16T18:39:00"),
    ("04/05/2022", "MDY", "2022-04-05"), ("04/05/2022", "DMY", "2022-05-04"),
    ("25/12/2022", "MDY", "2022-12-25"),
])
def test_printed_dates(text, order, expected):
    assert find_printed(text, order).value.isoformat() == expected


def test_date_lines_and_published_values():
    assert date_line("Published : Nov. 16, 2022 - 18:39 Updated : Nov. 16, 2022 - 18:40") == \
        ("Nov. 16, 2022 - 18:39", False)
    assert date_line("Aktualisiert: 11.04.2020, 10:27") == ("11.04.2020, 10:27", True)
    assert date_line("The council met on March 3, 2024 to discuss the plan for the buses") is None
    assert parse_published("Wed, 04 May 2022 00:25:56 GMT", "America/Argentina/Buenos_Aires") == \
        "2022-05-03T21:25:56-03:00"
