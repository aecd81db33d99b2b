"""Cleaning rules and metadata, each on text written for the test."""
from gestae.clean import (boilerplate_reason, clean, dominant_script, split_blocks, split_caption,
                          split_repeated)
from gestae.language import detect_language
from gestae.metadata import find_outlet, parse_byline
from gestae.pubdate import parse_published
from gestae.model import RawRecord, Source


def _clean(text, **meta):
    return clean(RawRecord(Source("t.txt", "text"), text, **meta))


def test_pasted_article_metadata(pasted_text):
    article = _clean(pasted_text)
    assert article.outlet == "The Korea Herald"
    assert article.title == "Seoul, Canberra agree to deepen defense industry ties"
    assert article.authors == ["Park Min-jung"]
    assert article.published == "2024-04-02T09:05:00+09:00"
    assert article.home_country == "KOR" and article.timezone == "Asia/Seoul"
    assert article.language == "en"


def test_pasted_article_noise_removed(pasted_text):
    article = _clean(pasted_text)
    reasons = {(r.text.strip(" •"), r.reason) for r in article.removed}
    assert ("Link copied", "boilerplate") in reasons
    assert ("ニュース", "clipper") in reasons
    assert ("Advertisement", "boilerplate") in reasons
    for noise in ("Link copied", "ニュース", "Facebook", "Published", "By Park", "Advertisement"):
        assert noise not in article.text
    # the repeated sentence is kept once, the last paragraph is kept
    assert article.text.count("supply chains for critical minerals") == 1
    assert article.text.endswith("Marles told reporters after the meeting.")


def test_caption_pasted_twice_kept_once_with_credit(pasted_text):
    article = _clean(pasted_text)
    assert len(article.captions) == 1
    caption = article.captions[0]
    assert caption.credit == "Yonhap"
    assert caption.text.startswith("Defense Minister Shin Won-sik poses")
    assert "(Yonhap)" not in caption.text
    assert "poses with Australian" not in article.text
    assert any(r.reason == "duplicate" and "poses with" in r.text for r in article.removed)


def test_paragraph_offsets_point_into_text(pasted_text):
    article = _clean(pasted_text)
    for start, end in article.paragraphs:
        assert article.text[start:end].strip() == article.text[start:end]
    assert article.text[article.paragraphs[0][0]:].startswith("South Korea and Australia agreed")


def test_article_id_is_content_hash(pasted_text):
    assert _clean(pasted_text).id == _clean(pasted_text + "\n\n").id
    assert _clean(pasted_text).id != _clean(pasted_text.replace("Monday", "Sunday")).id
    # the same wire text from two outlets: two articles, so both sources are kept
    wire = "Rescue teams reached the flooded villages on Friday, the provincial governor said."
    assert _clean(wire, outlet="Reuters").id != _clean(wire, outlet="Al Jazeera").id
    assert _clean(wire, outlet="Reuters").id == _clean(wire, outlet="Reuters").id


def test_record_metadata_wins_over_text():
    article = _clean("A ceasefire took hold in the region on Friday after weeks of heavy fighting, officials said.",
                     title="Ceasefire holds", published="2024-01-05T10:00:00Z", outlet="Reuters")
    assert article.title == "Ceasefire holds"
    assert article.published == "2024-01-05T10:00:00+00:00"
    assert article.outlet == "Reuters"


def test_boilerplate_rule():
    assert boilerplate_reason("• Link copied") == "boilerplate"
    assert boilerplate_reason("Share  • Facebook • Twitter • Email") == "boilerplate"
    assert boilerplate_reason("Copyright 2024 Some Daily. All rights reserved.") == "boilerplate"
    assert boilerplate_reason("Police said they shared the video with prosecutors.") is None
    assert boilerplate_reason("Share prices fell") is None


def test_repeated_block_split():
    assert split_repeated("Rain fell. (AP) Rain fell. (AP)") == ("Rain fell. (AP)", "Rain fell. (AP)")
    assert split_repeated("Rain fell. Snow fell.")[1] is None


def test_caption_credit_forms():
    assert split_caption("The minister arrives in Paris. (AFP)") == ("The minister arrives in Paris.", "AFP")
    assert split_caption("Troops on parade. [Reuters]") == ("Troops on parade.", "Reuters")
    assert split_caption("Troops on parade. Photo: EPA")[1] == "EPA"
    assert split_caption("No credit here.")[1] == ""


def test_script_detection():
    assert dominant_script("소아쌤") == "HANGUL"
    assert dominant_script("Hello world") == "LATIN"


def test_hard_wrapped_lines_are_joined():
    blocks = split_blocks("The talks in Geneva were described by both delegations as\nconstructive and frank.\n\nNext.")
    assert blocks[0] == "The talks in Geneva were described by both delegations as constructive and frank."


def test_byline_parsing():
    assert parse_byline("By Shin Ji-hye") == ["Shin Ji-hye"]
    assert parse_byline("By Anna Lee and Tom Brown") == ["Anna Lee", "Tom Brown"]
    assert parse_byline("By the end of the year, prices rose sharply across the region.") is None


def test_published_parsing_with_outlet_zone():
    assert parse_published("Nov. 16, 2022 - 18:39", "Asia/Seoul") == "2022-11-16T18:39:00+09:00"
    assert parse_published("March 3, 2024", "Europe/London") == "2024-03-03"
    assert parse_published("2024-03-03 10:00:00Z") == "2024-03-03T10:00:00+00:00"
    assert parse_published("2024-07-01T12:00:00", "Europe/Paris") == "2024-07-01T12:00:00+02:00"
    assert parse_published("not a date at all") is None


def test_outlet_lookup_by_name_and_domain():
    assert find_outlet("Korea Herald").name == "The Korea Herald"
    assert find_outlet(url="https://www.koreaherald.com/view.php?ud=1").country == "KOR"
    assert find_outlet("The Daily Nowhere") is None


def test_language_detection():
    assert detect_language("The minister said on Monday that the talks would continue in the spring.") == "en"
    assert detect_language("Le ministre a déclaré lundi que les négociations se poursuivraient au printemps "
                           "prochain dans la capitale.") == "fr"


def test_wire_dateline_moves_out_of_the_text():
    article = _clean("LIMA, March 3 (Reuters) - Peru's Congress voted on Tuesday to remove the interior minister, "
                     "lawmakers said.\n\nThe vote was 80 to 20.")
    assert article.text.startswith("Peru's Congress voted")
    assert ("LIMA, March 3 (Reuters) -", "dateline") in {(r.text, r.reason) for r in article.removed}
    plain = _clean("Peru's Congress voted on Tuesday to remove the interior minister, lawmakers said in Lima.")
    assert not any(r.reason == "dateline" for r in plain.removed)


def test_closing_quote_marks_survive_sentence_splitting():
    text = ("The mayor called the plan “reckless.” Council members met on Tuesday. "
            "A spokesman said the city was \"ready.\" (It was not.) Voting starts soon.")
    assert _clean(text).text == text


def test_a_single_line_without_a_final_period_is_the_body_not_a_title():
    art = _clean("Kenya and Uganda sign a border security pact")
    assert art.text == "Kenya and Uganda sign a border security pact"
    assert art.title == "" and not any(r.reason == "title" for r in art.removed)
    # with a body below it, such a line is still the headline
    art = _clean("Kenya and Uganda sign a pact\n\nThe two countries signed the pact on Monday in Kampala.")
    assert art.title == "Kenya and Uganda sign a pact"
