"""Issues found in articles and attached to events (gestae.issues), on invented sentences."""
from __future__ import annotations

from pathlib import Path

import pytest

from gestae import issues
from gestae.knowledge import USER_FILES, read_table
from gestae.model import Article, Event, Source
from gestae.nlp import load_model


def make_article(text: str, title: str = "") -> Article:
    article = Article(id="t", source=Source("<test>", "text"), text=text, title=title)
    article.doc = load_model()(text)
    return article


def event_at(article: Article, trigger: str, context: list[str] | None = None) -> Event:
    start = article.text.index(trigger)
    event = Event(id=f"e{len(article.events) + 1}", type="CONSULT", context=list(context or []),
                  trigger=trigger, trigger_span=(start, start + len(trigger)))
    article.events.append(event)
    return event


def names(text: str) -> list[str]:
    return [name for _, name in issues.find_issues(text)]


def test_table_has_many_issues_with_contexts():
    rows = read_table("issues.tsv")
    assert len({r["name"] for r in rows}) >= 60
    assert "cbrn" in issues.issue_contexts("denuclearization")


@pytest.mark.parametrize("text, expected", [
    ("Seoul eased its export regulations on chemicals.", "export controls"),
    ("New export restrictions on chips took effect.", "export controls"),
    ("Victims of wartime forced labour sued two firms.", "forced labor"),
    ("The comfort women issue remains unresolved.", "military sexual slavery"),
    ("Tokyo restored the General Security of Military Information Agreement.", "GSOMIA"),
    ("Both sides agreed to extend GSOMIA.", "GSOMIA"),
    ("Patrol boats entered waters near the Senkakus.", "Senkaku Islands"),
    ("Fishermen were seen near Dokdo.", "Dokdo/Takeshima"),
    ("A new cease-fire took hold in the south.", "ceasefire"),
    ("The ministry imposed new sanctions on three banks.", "sanctions"),
    ("Parliament passed a law on asylum seekers.", "refugees"),
])
def test_aliases_and_plurals(text, expected):
    assert expected in names(text)


def test_longest_wording_wins_and_offsets_point_at_words():
    text = "Talks on the sexual slavery of comfort women resumed."
    found = issues.find_issues(text)
    assert [name for _, name in found] == ["military sexual slavery", "military sexual slavery"]
    (s, e), _ = found[0]
    assert text[s:e] == "sexual slavery"


def test_acronyms_match_only_in_capitals():
    assert "arms control" in names("Signatories of the NPT met in Vienna.")
    assert "arms control" not in names("They said npt in a typo.")


def test_no_false_matches_on_partial_words():
    assert names("The exporter controls most of the market.") == []


def test_article_issues_in_order_of_first_mention_title_first():
    art = make_article("Refugees crossed the border. Officials also discussed tariffs and refugees.",
                       title="Ministers meet on climate change")
    issues.annotate(art)
    assert art.issues == ["climate change", "refugees", "tariffs"]


def test_event_context_from_sentence_then_paragraph_keeping_existing_codes():
    text = ("The ministers met in Jakarta to discuss tariffs. They also signed a memorandum.\n\n"
            "The envoy visited the capital on Monday.\n\n"
            "Observers said the election was calm. The envoy praised the election commission.")
    art = make_article(text)
    met = event_at(art, "met", ["economic"])
    signed = event_at(art, "signed")
    visited = event_at(art, "visited")
    praised = event_at(art, "praised", ["elections"])
    issues.annotate(art)
    assert met.context == ["economic", "tariffs"]
    assert signed.context == ["tariffs"]            # from its paragraph
    assert visited.context == []                    # its paragraph names no issue
    assert praised.context == ["elections"]         # no duplicate


@pytest.fixture
def user_issue_file(tmp_path: Path):
    path = tmp_path / "my_issues.tsv"
    path.write_text("name\taliases\tplover_context\n"
                    "deep sea mining\tseabed mining|seabed minerals\tnatural_resource\n", encoding="utf-8")
    USER_FILES.add("issues", path)
    issues.issue_index.cache_clear()
    yield path
    USER_FILES.extra["issues"].remove(path)
    issues.issue_index.cache_clear()


def test_user_issue_file(user_issue_file):
    art = make_article("Pacific states called for a pause on seabed mining and new sanctions.")
    issues.annotate(art)
    assert art.issues == ["deep sea mining", "sanctions"]
    assert issues.issue_contexts("deep sea mining") == ("natural_resource",)
