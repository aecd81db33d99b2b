"""Cleaning: a raw record becomes an `Article` with clean body text and metadata.

Pasted articles carry noise around the story: the outlet's name, a clipping tool's tag, share buttons,
a byline, a "Published :" line, photo captions (sometimes pasted twice). Each block (paragraph) of the
input goes through general rules, in order; what a rule drops is recorded in `Article.removed` with
the reason, so nothing disappears silently. HTML is first reduced to text by trafilatura.
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
from gestae.metadata import (BARE_DATE, DATE_LINE, detect_language, find_outlet, parse_byline,
                             parse_published)
from gestae.model import Article, Caption, RawRecord, Removed

# A body paragraph: long enough and ends like a sentence. Everything before the first one is header.
BODY_MIN_WORDS = 12
TITLE_MAX_WORDS = 30
CAPTION_MAX_WORDS = 90
CLIPPER_MAX_WORDS = 5
MIN_REPEATED_SENTENCE_WORDS = 6

# "(Yonhap)", "(AP Photo/Ahn Young-joon)", "[Reuters]", "Photo: EPA", "/ Yonhap"
CREDIT = re.compile(
    r"(?:\s*[(\[](?P<paren>(?:[A-Z][\w.&'’\-]*|[a-z]+)(?:[ /,\-][\w.&'’\-]+){0,5})[)\]]|"
    r"\s+(?i:photo|photograph|image|picture)s?\s*(?i:by|:|/)\s*(?P<label>[A-Z][^.()]{1,60})|"
    r"\s+/\s*(?P<slash>[A-Z][\w.&'’\- ]{1,40}))\s*$")
PHOTO_WORDS = re.compile(r"\b(photo|pictured|poses?|posing|shakes? hands|waves?|(from )?left|right\)|"
                         r"\((?:L|R|C|center|left|right)\)|file photo|image|listens|speaks during|"
                         r"takes? a (?:commemorative )?photo)\b", re.I)
# A wire dateline opening the story: "KYIV, April 13 (Reuters) - ", "BRUSSELS (AP) — ", "SEOUL, Nov. 16 -- "
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’\- ]{1,40}[A-Z](?:,\s*[A-Z][A-Za-z.'’\- ]{1,30}?)?)"
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*(?:\([^()]{2,30}\))?\s*(?:-{1,2}|–|—)\s+(?=[A-Z\"“])")
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
    credit = match.group("paren") or match.group("label") or match.group("slash") or ""
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
    date_match = DATE_LINE.match(block)
    if date_match or BARE_DATE.match(block):
        value = date_match.group("value") if date_match else block
        # "Published : X Updated : Y" -> the first is the publication time
        value = re.split(r"\s+(?:updated|modified)\s*[:：]?", value, flags=re.I)[0]
        if not draft.published_text:
            draft.published_text = value
        draft.drop(block, "published")
        return True
    if not draft.title and not record.title and len(block.split()) <= TITLE_MAX_WORDS \
            and not SENTENCE_END.search(block.rstrip(")")):
        draft.title = block
        draft.drop(block, "title")
        return True
    return False


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


def extract_html(record: RawRecord) -> tuple[str, dict]:
    """Main text and metadata of an HTML page (trafilatura); the visible date line is kept in the text
    so the text rules can prefer it over page metadata."""
    import trafilatura

    try:
        document = trafilatura.bare_extraction(record.content, url=record.source.url, with_metadata=True,
                                               include_comments=False, include_tables=False,
                                               favor_precision=True)
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        raise GestaeError(f"cannot parse HTML ({exc.__class__.__name__})") from None
    if document is None or not (document.text or "").strip():
        raise GestaeError("no article text found in HTML")
    meta = {"title": document.title, "author": document.author, "sitename": document.sitename,
            "url": document.url, "date": None}
    meta["date"] = _html_date(record.content)
    return document.text, meta


# <meta property="article:published_time" content="…">, or JSON-LD "datePublished": "…"
META_PUBLISHED = re.compile(
    r"""<meta[^>]+(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|og:published_time|"""
    r"""datepublished|pubdate|publishdate|dc\.date\.issued)["'][^>]*?content\s*=\s*["']([^"']+)["']"""
    r"""|"datePublished"\s*:\s*"([^"]+)\"""", re.I)


def _html_date(html: str) -> Optional[str]:
    """Publication time from page metadata only: htmldate's guess from page text is unreliable
    (it answers 2022-01-01 for pages without metadata), and the visible date line is read separately.
    Explicit published-time tags come first because htmldate keeps only the day."""
    match = META_PUBLISHED.search(html[:200_000])
    if match:
        return match.group(1) or match.group(2)
    from htmldate import find_date

    try:
        return find_date(html, extensive_search=False, original_date=True,
                         outputformat="%Y-%m-%dT%H:%M:%S%z")
    except Exception:
        return None


def _visible_date_line(html: str) -> str:
    """A 'Published : …' or bare date line anywhere in the page's visible text."""
    try:
        import lxml.html

        root = lxml.html.fromstring(html)
        for bad in root.xpath("//script|//style|//noscript"):
            bad.drop_tree()
        for line in root.text_content().split("\n"):
            line = " ".join(line.split())
            match = DATE_LINE.match(line)
            if match and BARE_DATE.match(re.split(r"\s+(?:updated|modified)", match.group("value"), flags=re.I)[0]):
                return re.split(r"\s+(?:updated|modified)\s*[:：]?", match.group("value"), flags=re.I)[0]
            if BARE_DATE.match(line):
                return line
    except Exception:
        return ""
    return ""


def clean(record: RawRecord) -> Article:
    """Turn one raw record into an Article; raises GestaeError when no article text is left."""
    draft = _Draft()
    html_meta: dict = {}
    raw = record.content
    if record.is_html:
        raw, html_meta = extract_html(record)
        draft.published_text = _visible_date_line(record.content)
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

    outlet = find_outlet(record.outlet or draft.outlet or html_meta.get("sitename"),
                         record.source.url or html_meta.get("url"))
    outlet_name = outlet.name if outlet else (record.outlet or draft.outlet or html_meta.get("sitename") or "")
    timezone = outlet.timezone if outlet else ""
    published = None
    for candidate in (record.published, draft.published_text, html_meta.get("date")):
        if candidate:
            published = parse_published(candidate, timezone)
            if published:
                break
    authors = list(record.authors) or draft.authors
    if not authors and html_meta.get("author"):
        authors = [a.strip() for a in re.split(r";|\band\b", html_meta["author"]) if a.strip()]
    if record.source.url is None and html_meta.get("url"):
        record.source.url = html_meta["url"]

    return Article(
        id=content_id(text, outlet_name, record.source.url or ""), source=record.source, text=text,
        outlet=outlet_name,
        title=record.title or draft.title or html_meta.get("title") or "",
        authors=authors, published=published,
        language=record.language or detect_language(text),
        captions=draft.captions, removed=draft.removed, paragraphs=paragraphs,
        timezone=timezone, home_country=outlet.country if outlet else "")
