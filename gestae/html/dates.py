"""The publication time of a page, from the most trustworthy source that gives a well-formed one.

In order: the article's JSON-LD `datePublished`; the published-time meta tags (`article:published_time`
and the like, gestae/data/page_meta.tsv rank 1); a date printed right by the headline (the byline
line "Stand: 28.04.2020 18:00 Uhr", "Written: 2023-11-07 15:03"), not one labelled as an update
(gestae/data/date_labels.tsv); generic page dates (meta `date`, `dc.date`, rank 2, and `<time>`);
htmldate's reading of the whole page. Each source that is malformed is skipped, never taken as "no
date". The site header's "today" and the dates of related-article teasers are not near the headline,
so they are never read. A UTC time is expressed in the newsroom's zone, else in the page's own
offset (from any of its other timestamps).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone as dt_timezone
from functools import lru_cache
from typing import Iterator, Optional, Union

from gestae.html.page import Page
from gestae.knowledge import read_table
from gestae.pubdate import find_printed, localize, read_time, updated_label

# How much text around the headline holds its dateline and byline (characters).
AFTER_HEADLINE_CHARS = 700
BEFORE_HEADLINE_CHARS = 200
# A longer text node is body prose: a date in it is something the story mentions.
MAX_LABEL_WORDS = 16
SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "button", "select", "option"})


@dataclass(frozen=True, slots=True)
class Found:
    value: Union[date, datetime]
    source: str   # "jsonld", "meta", "headline", "generic", "htmldate"


@lru_cache(maxsize=1)
def meta_keys() -> dict[tuple[str, int], list[str]]:
    keys: dict[tuple[str, int], list[str]] = {}
    for row in read_table("page_meta.tsv"):
        keys.setdefault((row["field"], int(row["rank"] or 1)), []).append(row["key"].lower())
    return keys


def _first_valid(values: list[str], order: str) -> Optional[Union[date, datetime]]:
    for value in values:
        parsed = read_time(value, order)
        if parsed is not None:
            return parsed
    return None


def _jsonld_values(page: Page, key: str) -> list[str]:
    return [str(obj[key]) for obj in page.articles if isinstance(obj.get(key), (str, int))]


def _itemprop_values(page: Page, prop: str) -> list[str]:
    """<time itemprop="datePublished" datetime=…>, <span itemprop=… content=…>."""
    values = []
    for element in page.root.xpath(f"//*[@itemprop='{prop}']"):
        value = element.get("datetime") or element.get("content")
        if value:
            values.append(value)
    return values


def text_chunks(root, anchor) -> tuple[list[str], list[str]]:
    """Visible text nodes after `anchor` (nearest first) and before it (nearest first), within the
    windows around it; scripts, styles and forms are not text."""
    before: list[str] = []
    after: list[str] = []
    state = {"inside": False, "passed": False, "after_chars": 0}
    stack = [(root, False)]
    while stack:
        element, closing = stack.pop()
        if closing:
            if element is anchor:
                state["passed"] = True
            tail = " ".join((element.tail or "").split())
            if tail:
                _add(tail, state, before, after)
            if state["after_chars"] > AFTER_HEADLINE_CHARS:
                break
            continue
        stack.append((element, True))
        if not isinstance(element.tag, str) or element.tag in SKIPPED_TAGS:
            continue
        if element is anchor:
            state["inside"] = True
            continue  # the headline's own words are not a dateline
        text = " ".join((element.text or "").split())
        if text:
            _add(text, state, before, after)
        for child in reversed(element):
            stack.append((child, False))
    before.reverse()
    trimmed, total = [], 0
    for chunk in before:
        total += len(chunk)
        if total > BEFORE_HEADLINE_CHARS:
            break
        trimmed.append(chunk)
    return after, trimmed


def _add(text: str, state: dict, before: list[str], after: list[str]) -> None:
    if state["passed"]:
        after.append(text)
        state["after_chars"] += len(text)
    elif not state["inside"]:
        before.append(text)


def headline_date(page: Page, headline_element, order: str) -> Optional[Union[date, datetime]]:
    """A publication date printed by the headline, not an update date; the nearest one wins."""
    if headline_element is None:
        return None
    after, before = text_chunks(page.root, headline_element)
    for chunk in after + before:
        if len(chunk.split()) > MAX_LABEL_WORDS:
            continue
        printed = find_printed(chunk, order)
        if printed is None or updated_label().search(chunk[:printed.start]):
            continue
        return printed.value
    return None


def _htmldate(html: str) -> Optional[Union[date, datetime]]:
    from htmldate import find_date

    try:
        found = find_date(html, extensive_search=True, original_date=True, outputformat="%Y-%m-%d")
    except Exception:  # htmldate raises on some broken pages; it is the last resort only
        return None
    return read_time(found) if found else None


def sources(page: Page, html: str, headline_element, order: str) -> Iterator[Found]:
    """Candidate publication times, most trusted first, each parsed lazily."""
    yield from _found(_first_valid(_jsonld_values(page, "datePublished"), order), "jsonld")
    meta = [v for key in meta_keys().get(("published", 1), []) for v in page.meta.get(key, [])]
    yield from _found(_first_valid(meta + _itemprop_values(page, "datePublished"), order), "meta")
    yield from _found(headline_date(page, headline_element, order), "headline")
    generic = [v for key in meta_keys().get(("published", 2), []) for v in page.meta.get(key, [])]
    generic += _jsonld_values(page, "dateCreated")
    generic += [t.get("datetime") for t in page.root.iter("time") if t.get("datetime")]
    yield from _found(_first_valid(generic, order), "generic")
    yield from _found(_htmldate(html), "htmldate")


def _found(value, source: str) -> Iterator[Found]:
    if value is not None:
        yield Found(value, source)


def page_offset(page: Page, order: str) -> Optional[dt_timezone]:
    """The page's own UTC offset, from any of its timestamps that states a non-zero one."""
    keys = [k for (field, _), ks in meta_keys().items() if field in ("published", "modified") for k in ks]
    values = [v for key in keys for v in page.meta.get(key, [])]
    values += _jsonld_values(page, "datePublished") + _jsonld_values(page, "dateModified")
    for value in values:
        parsed = read_time(value, order)
        if isinstance(parsed, datetime) and parsed.utcoffset() not in (None, timedelta(0)):
            return dt_timezone(parsed.utcoffset())
    return None


# A stamp marked UTC whose clock the page prints by its headline as local time (give or take the
# minutes between saving and publishing) is the newsroom's local time mislabelled "Z".
SAME_CLOCK = timedelta(minutes=20)


def printed_offset(moment: datetime, printed: Optional[Union[date, datetime]]) -> Optional[timedelta]:
    """How far the local time the page prints by its headline is from `moment` (a UTC stamp):
    "November 8, 2023 at 11:30 p.m." beside 2023-11-09T05:30Z is -6 h; 0 when the page prints the
    stamp's own clock; None without a printed time, or when the two do not line up."""
    if not isinstance(printed, datetime) or printed.tzinfo is not None:
        return None
    delta = printed - moment.replace(tzinfo=None, second=0, microsecond=0)
    if abs(delta) <= SAME_CLOCK:
        return timedelta(0)
    if abs(delta) > timedelta(hours=14) or delta % timedelta(minutes=15):
        return None
    return delta


def choose_published(page: Page, html: str, headline_element=None, timezone: str = "",
                     order: str = "", outlet_zone: bool = False) -> Optional[str]:
    """ISO 8601 publication time of the page; None if none is found.

    A UTC stamp is expressed in the offset the page itself prints by its headline (a stamp whose
    clock the page prints unchanged is local time: it takes the zone), else the outlet's zone
    (`timezone` with `outlet_zone`), else an offset the page's other timestamps state, else the
    zone of the page's country (`timezone` without `outlet_zone`).
    """
    found = next(sources(page, html, headline_element, order), None)
    if found is None:
        return None
    value = found.value
    if isinstance(value, datetime) and value.utcoffset() == timedelta(0):
        shift = printed_offset(value, headline_date(page, headline_element, order)) \
            if found.source != "headline" else None
        if shift == timedelta(0):
            return localize(value.replace(tzinfo=None), timezone)
        offset = dt_timezone(shift) if shift is not None else None
        if offset is None and not (timezone and outlet_zone):
            offset = page_offset(page, order)
        if offset is not None:
            return value.astimezone(offset).isoformat()
    return localize(value, timezone)
