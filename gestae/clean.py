"""Cleaning: a raw record becomes an `Article` with clean body text and metadata.

Pasted articles carry noise around the story: the outlet's name, a clipping tool's tag, share buttons,
a byline, a "Published :" line, photo captions (sometimes pasted twice). Each block (paragraph) of the
input goes through general rules, in order; what a rule drops is recorded in `Article.removed` with
the reason, so nothing disappears silently. HTML is first reduced to body text and page metadata by
gestae.html; the page's own headline then stands for the title, so no body line is taken for it.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from gestae.errors import GestaeError
from gestae.knowledge import read_table, split_multi
from gestae.language import detect_language, language_warning
from gestae.locales import base_language, country_locale
from gestae.metadata import find_outlet, parse_byline
from gestae.pubdate import date_line, parse_published
from gestae.model import Article, Caption, RawRecord, Removed

# A body paragraph: long enough and ends like a sentence. Everything before the first one is header.
BODY_MIN_WORDS = 12
TITLE_MAX_WORDS = 30
CAPTION_MAX_WORDS = 90
CLIPPER_MAX_WORDS = 5
MIN_REPEATED_SENTENCE_WORDS = 6

# "(Yonhap)", "(AP Photo/Ahn Young-joon)", "[Reuters]", "Photo: EPA", "/ Yonhap", ". By U.S. COAST GUARD"
CREDIT = re.compile(
    r"(?:\s*[(\[](?P<paren>(?:[A-Z][\w.&'’\-]*|[a-z]+)(?:[ /,\-][\w.&'’\-]+){0,5})[)\]]|"
    r"\s+(?i:photo|photograph|image|picture)s?\s*(?i:by|:|/)\s*(?P<label>[A-Z][^.()]{1,60})|"
    r"\s+/\s*(?P<slash>[A-Z][\w.&'’\- ]{1,40})|"
    r"(?<=[.!?])\s+(?i:by)\s+(?P<by>[A-Z][A-Z.&'’\- ]{1,60}))\s*$")
PHOTO_WORDS = re.compile(r"\b(photo|pictured|poses?|posing|shakes? hands|waves?|(from )?left|right\)|"
                         r"\((?:L|R|C|center|left|right)\)|file photo|image|listens|speaks during|"
                         r"takes? a (?:commemorative )?photo)\b", re.I)
# A wire dateline opening the story: "KYIV, April 13 (Reuters) - ", "BRUSSELS (AP) — ", "SEOUL, Nov. 16 -- "
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’\- ]{1,40}[A-Z](?:,\s*[A-Z][A-Za-z.'’\- ]{1,30}?)?)"
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*(?:\([^()]{2,30}\))?\s*(?:-{1,2}|–|—)\s+(?=[A-Z\"“])")
# A dateline standing alone as the first line of a page's body: "WASHINGTON —", "Düsseldorf -".
DATELINE_ONLY = re.compile(r"^[^\W\d_][\w.'’ /,]{1,40}?(?:\s*\([^()]{2,30}\))?\s*(?:-{1,2}|–|—)$")
SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
# The split is the space only: closing marks stay with their sentence (a split that consumed them lost
# every '.”' before a new sentence, and with it the end of the quotation).
SENTENCE_SPLIT = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"'”’)\]])|(?<=[.!?…][\"'”’)\]]{2}))\s+"
                            r"(?=[\"“‘'(\[]?[A-Z0-9])")


def content_id(text: str, outlet: str = "", url: str = "") -> str:
    """Stable id of an article: a hash of its cleaned text and where it was published.

    The same text from the same outlet (or URL) is one article however often it is ingested; a wire
    story reprinted word for word by two outlets is two articles (one story group), so every outlet
    that reported it is kept and counted.
    """
    key = text if not (outlet or url) else f"{text}\x1f{outlet}\x1f{url}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=1)
def _boilerplate() -> tuple[frozenset[str], list[tuple[re.Pattern, str]]]:
    words: set[str] = set()
    lines: list[tuple[re.Pattern, str]] = []
    for row in read_table("boilerplate.tsv", "boilerplate"):
        if row["kind"] == "word":
            words.update(w.lower() for w in split_multi(row["value"]))
        elif row["kind"] == "line":
            lines.append((re.compile(rf"(?:{row['value']})\s*", re.I), row.get("reason") or "boilerplate"))
    return frozenset(words), lines


def boilerplate_reason(block: str) -> Optional[str]:
    """Why a block is page furniture (share buttons, ads, copyright), or None if it is not."""
    words, lines = _boilerplate()
    stripped = block.strip(" \t•·|>–-*")
    if not stripped:
        return "boilerplate"
    tokens = re.findall(r"[\w+\-]+", stripped.lower())
    if 0 < len(tokens) <= 8 and all(t in words for t in tokens):
        return "boilerplate"
    for pattern, reason in lines:
        if pattern.fullmatch(stripped):
            return reason
    return None


def _script(ch: str) -> str:
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return ""
    return name.split(" ")[0]


def dominant_script(text: str) -> str:
    """The Unicode script (LATIN, HANGUL, CJK, ARABIC, ...) of most letters in `text`."""
    counts: dict[str, int] = {}
    for ch in text:
        if ch.isalpha():
            script = _script(ch)
            counts[script] = counts.get(script, 0) + 1
    return max(counts, key=counts.get) if counts else ""


def split_repeated(block: str) -> tuple[str, Optional[str]]:
    """A block pasted twice in a row ("A A") -> ("A", "A"); otherwise (block, None)."""
    text = " ".join(block.split())
    n = len(text)
    middle = n // 2
    for k in range(max(0, middle - 2), min(n, middle + 2)):
        if k < n and text[k] == " " and text[:k] == text[k + 1:]:
            return text[:k], text[k + 1:]
    return block, None


def drop_repeated_sentences(paragraph: str, seen: set[str]) -> tuple[str, list[str]]:
    """Remove sentences already seen earlier in the article (copy-paste repeats)."""
    kept, dropped = [], []
    for sentence in SENTENCE_SPLIT.split(paragraph):
        key = " ".join(sentence.split()).lower()
        if len(key.split()) >= MIN_REPEATED_SENTENCE_WORDS and key in seen:
            dropped.append(sentence)
            continue
        seen.add(key)
        kept.append(sentence)
    return " ".join(kept), dropped


def split_caption(block: str) -> tuple[str, str]:
    """A caption's text and its credit ('Yonhap'); credit '' when none."""
    match = CREDIT.search(block)
    if not match:
        return block.strip(), ""
    credit = match.group("paren") or match.group("label") or match.group("slash") or match.group("by") or ""
    return block[:match.start()].strip(), credit.strip()


def split_blocks(text: str) -> list[str]:
    """Paragraph blocks: blank-line separated; inside a block, lines are paragraphs unless the text
    is hard-wrapped (lines that stop mid-sentence are joined)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\u200b", "")
    blocks: list[str] = []
    for group in re.split(r"\n\s*\n", text):
        lines = [" ".join(line.split()) for line in group.split("\n")]
        lines = [line for line in lines if line]
        current = ""
        for line in lines:
            if current and not SENTENCE_END.search(current) and len(current) >= 50 and line[:1].islower():
                current += " " + line  # a hard-wrapped line continues the paragraph
            else:
                if current:
                    blocks.append(current)
                current = line
        if current:
            blocks.append(current)
    return blocks


def _is_body(block: str) -> bool:
    return len(block.split()) >= BODY_MIN_WORDS and bool(SENTENCE_END.search(block))


@dataclass
class _Draft:
    """What cleaning has found so far for one record."""
    outlet: str = ""
    title: str = ""
    authors: list[str] = field(default_factory=list)
    published_text: str = ""
    known_title: str = ""   # the title the record or page declares: a body line equal to it is dropped
    paragraphs: list[str] = field(default_factory=list)
    captions: list[Caption] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)

    def drop(self, text: str, reason: str) -> None:
        self.removed.append(Removed(text, reason))


def _header_block(block: str, draft: _Draft, record: RawRecord, body_script: str) -> bool:
    """Classify one block before the story starts; True when it was used up as metadata/noise."""
    if not draft.outlet and find_outlet(block) and len(block.split()) <= 8:
        draft.outlet = find_outlet(block).name
        draft.drop(block, "outlet")
        return True
    if len(block.split()) <= CLIPPER_MAX_WORDS and body_script and dominant_script(block) not in ("", body_script):
        draft.drop(block, "clipper")  # a tag left by a clipping tool, in another script
        return True
    authors = parse_byline(block)
    if authors is not None:
        if not draft.authors:
            draft.authors = authors
        draft.drop(block, "byline")
        return True
    found = date_line(block)
    if found:
        value, is_update = found
        if not draft.published_text and not is_update:
            draft.published_text = value
        draft.drop(block, "published")
        return True
    if draft.known_title and _same_words(block, draft.known_title):
        draft.drop(block, "title")
        return True
    if DATELINE_ONLY.match(block):
        draft.drop(block, "dateline")
        return True
    if not draft.title and not draft.known_title and len(block.split()) <= TITLE_MAX_WORDS \
            and not SENTENCE_END.search(block.rstrip(")")):
        draft.title = block
        draft.drop(block, "title")
        return True
    return False


def _same_words(a: str, b: str) -> bool:
    return re.findall(r"\w+", a.casefold()) == re.findall(r"\w+", b.casefold())


def _caption(block: str, draft: _Draft, in_header: bool, was_repeated: bool) -> bool:
    """A photo caption ends with a credit and is photo-like, or stands in the header."""
    text, credit = split_caption(block)
    if not credit or len(text.split()) > CAPTION_MAX_WORDS or not text:
        return False
    if not (in_header or was_repeated or PHOTO_WORDS.search(text)):
        return False
    if any(c.text == text for c in draft.captions):
        draft.drop(block, "duplicate")
    else:
        draft.captions.append(Caption(text, credit))
    return True


def clean_text(raw: str, record: RawRecord, draft: _Draft) -> None:
    """Apply the block rules to plain text, filling `draft`."""
    blocks = split_blocks(raw)
    body_script = dominant_script(" ".join(b for b in blocks if _is_body(b))[:4000]) or "LATIN"
    first_body = next((i for i, b in enumerate(blocks) if _is_body(b) and not CREDIT.search(b)), len(blocks))
    seen_blocks: set[str] = set()
    seen_sentences: set[str] = set()
    for index, block in enumerate(blocks):
        in_header = index < first_body
        reason = boilerplate_reason(block)
        if reason:
            draft.drop(block, reason)
            continue
        block, repeat = split_repeated(block)
        if repeat is not None:
            draft.drop(repeat, "duplicate")
        key = block.lower()
        if key in seen_blocks:
            draft.drop(block, "duplicate")
            continue
        seen_blocks.add(key)
        if in_header and _header_block(block, draft, record, body_script):
            continue
        if _caption(block, draft, in_header, repeat is not None):
            continue
        if not draft.paragraphs:
            dateline = DATELINE.match(block)
            if dateline:  # kept as metadata (the where stage reads it), not as a sentence subject
                draft.drop(dateline.group(0).strip(), "dateline")
                block = block[dateline.end():]
        paragraph, dropped = drop_repeated_sentences(block, seen_sentences)
        for sentence in dropped:
            draft.drop(sentence, "duplicate")
        if paragraph:
            draft.paragraphs.append(paragraph)


def _date_order(country: str, language: str) -> str:
    """How an all-number date is read: the country's order, else month first in English only."""
    locale = country_locale(country)
    if locale is not None:
        return locale.date_order
    return "MDY" if language in ("en", "und") else "DMY"


def clean(record: RawRecord) -> Article:
    """Turn one raw record into an Article; raises GestaeError when no article text is left."""
    draft = _Draft()
    page = None
    raw = record.content
    if record.is_html:
        from gestae.html import read_document

        page = read_document(record.content, record.source.url, record.outlet)
        raw = page.text
    draft.known_title = record.title or (page.title if page else "")
    clean_text(raw, record, draft)
    if not draft.paragraphs and draft.title and not record.is_html:
        # One line with no other text (a pasted sentence, a headline-only record) is the body, not a
        # title. (A web page's lone line is page furniture: its title is in its metadata.)
        draft.paragraphs.append(draft.title)
        draft.removed = [r for r in draft.removed if not (r.reason == "title" and r.text == draft.title)]
        draft.title = ""
    if not draft.paragraphs:
        raise GestaeError("no article text left after cleaning")

    text = "\n\n".join(draft.paragraphs)
    paragraphs, offset = [], 0
    for paragraph in draft.paragraphs:
        paragraphs.append((offset, offset + len(paragraph)))
        offset += len(paragraph) + 2

    if record.source.url is None and page is not None and page.url:
        record.source.url = page.url
    outlet = (page.outlet if page else None) or find_outlet(record.outlet or draft.outlet, record.source.url)
    outlet_name = outlet.name if outlet else (record.outlet or draft.outlet or (page.site_name if page else ""))
    locale = page.locale if page else None
    timezone = (outlet.timezone if outlet else "") or (locale.timezone if locale else "")
    language = base_language(record.language or "") or detect_language(text, page.language_tag if page else "")
    order = _date_order((outlet.country if outlet else "") or (locale.country if locale else ""), language)
    published = None
    for candidate in (record.published, page.published if page else None, draft.published_text):
        if candidate:
            published = parse_published(candidate, timezone, order)
            if published:
                break
    authors = list(record.authors) or (page.authors if page else []) or draft.authors
    warning = language_warning(language)

    return Article(
        id=content_id(text, outlet_name, record.source.url or ""), source=record.source, text=text,
        outlet=outlet_name,
        title=draft.known_title or draft.title,
        authors=authors, published=published,
        language=language,
        captions=draft.captions, removed=draft.removed, paragraphs=paragraphs,
        timezone=timezone, home_country=outlet.country if outlet else "",
        warnings=[warning] if warning else [])
