"""Article metadata: outlets (with home time zone and country), publication times, bylines, language."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Optional
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from gestae.knowledge import read_table, split_multi


@dataclass(frozen=True, slots=True)
class Outlet:
    name: str
    timezone: str
    country: str


def _norm(name: str) -> str:
    return re.sub(r"[^\w]+", " ", name.lower()).strip()


@lru_cache(maxsize=1)
def _outlet_index() -> tuple[dict[str, Outlet], dict[str, Outlet]]:
    by_name: dict[str, Outlet] = {}
    by_domain: dict[str, Outlet] = {}
    for row in read_table("outlets.tsv", "outlets"):
        outlet = Outlet(row["name"], row.get("timezone", ""), row.get("country", ""))
        for name in [row["name"], *split_multi(row.get("aliases"))]:
            key = _norm(name)
            by_name.setdefault(key, outlet)
            if key.startswith("the "):
                by_name.setdefault(key[4:], outlet)
        for domain in split_multi(row.get("domains")):
            by_domain[domain.lower().removeprefix("www.")] = outlet
    return by_name, by_domain


def find_outlet(name: Optional[str] = None, url: Optional[str] = None) -> Optional[Outlet]:
    """The outlet named exactly `name` (any alias, with or without 'The'), or owning `url`'s domain."""
    by_name, by_domain = _outlet_index()
    if name:
        key = _norm(name)
        found = by_name.get(key) or by_name.get(key.removeprefix("the "))
        if found:
            return found
    if url:
        host = (urlparse(url).hostname or "").lower().removeprefix("www.")
        while host:
            if host in by_domain:
                return by_domain[host]
            host = host.partition(".")[2]
    return None


# "Published : Nov. 16, 2022 - 18:39", "Updated: 2022-11-16 18:40 KST", "Posted on March 3, 2024"
DATE_LINE = re.compile(
    r"^\s*(?P<label>published|updated|posted|last updated|modified|first published|date|posted on|"
    r"published on|updated on)\s*(?:on)?\s*[:：]?\s*(?P<value>.+?)\s*$", re.I)
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
BARE_DATE = re.compile(
    rf"^\s*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s*)?(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|"
    rf"\d{{1,2}}\s+{_MONTH}\s+\d{{4}}|\d{{4}}[-./]\d{{1,2}}[-./]\d{{1,2}})"
    r"(?:[\s,\-–|at]+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,5}|\s*[+-]\d{2}:?\d{2})?)?\s*$",
    re.I)
_TZ_ABBREVIATIONS = {"UTC": "UTC", "GMT": "UTC", "KST": "Asia/Seoul", "JST": "Asia/Tokyo",
                     "EST": "America/New_York", "EDT": "America/New_York", "CST": "America/Chicago",
                     "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles", "BST": "Europe/London",
                     "CET": "Europe/Paris", "CEST": "Europe/Paris", "IST": "Asia/Kolkata",
                     "SGT": "Asia/Singapore", "HKT": "Asia/Hong_Kong"}


def _zone(name: str) -> Optional[ZoneInfo]:
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def parse_published(value: str, timezone: str = "") -> Optional[str]:
    """An ISO 8601 string for a date/time as printed; a time without zone takes the outlet's zone.

    Returns a bare date ("2022-11-16") when only the day is known, None when nothing parses.
    """
    value = value.strip()
    if not value:
        return None
    # ISO forms first: exact and cheap.
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return date.fromisoformat(value).isoformat()
        parsed = datetime.fromisoformat(value.replace(" ", "T", 1) if re.match(r"\d{4}-\d{2}-\d{2} ", value)
                                        else value)
    except ValueError:
        parsed = None
    has_time = True
    if parsed is None:
        import dateparser  # slow to import; only needed for printed dates

        abbreviation = re.search(r"\b([A-Z]{2,4})\s*$", value)
        zone_hint = _TZ_ABBREVIATIONS.get(abbreviation.group(1)) if abbreviation else None
        cleaned = re.sub(r"\s+[-–|]\s+|\s+at\s+", " ", value)
        if zone_hint:
            cleaned = cleaned[:abbreviation.start()].strip()
        parsed = dateparser.parse(cleaned, languages=["en"], settings={
            "PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False,
            "REQUIRE_PARTS": ["day", "month", "year"]})
        if parsed is None:
            return None
        has_time = bool(re.search(r"\d{1,2}:\d{2}", value))
        if zone_hint:
            parsed = parsed.replace(tzinfo=_zone(zone_hint))
    if not has_time:
        return parsed.date().isoformat()
    if parsed.tzinfo is None:
        zone = _zone(timezone)
        if zone is not None:
            parsed = parsed.replace(tzinfo=zone)
    return parsed.isoformat()


BYLINE = re.compile(r"^\s*by\s+(?P<names>[^\n]{2,120}?)\s*$", re.I)
_NAME = re.compile(r"^[A-Z][\w'’.\-]*(?:\s+[A-Za-z][\w'’.\-]*){0,4}$")


def parse_byline(line: str) -> Optional[list[str]]:
    """'By Shin Ji-hye' -> ['Shin Ji-hye']; 'By A and B, Reuters' -> ['A', 'B']; None if not a byline."""
    match = BYLINE.match(line)
    if not match:
        return None
    names = re.split(r"\s*(?:,|\band\b|&)\s*", match.group("names"))
    names = [re.sub(r"\s*\|.*$", "", n).strip() for n in names if n.strip()]
    people = [n for n in names if _NAME.match(n) and not find_outlet(n)]
    if not people or len(people) < len(names) - 1:
        return None
    return people


_ENGLISH_FUNCTION_WORDS = frozenset(
    "the of and to in a is that for on with as was by at from it said his her their has have be are "
    "were an this which not but or who will would its after".split())


def detect_language(text: str) -> str:
    """'en' when English function words are common, else 'und' (undetermined)."""
    words = re.findall(r"[^\W\d_]+", text[:5000].lower())
    if len(words) < 8:
        return "en"
    share = sum(w in _ENGLISH_FUNCTION_WORDS for w in words) / len(words)
    return "en" if share >= 0.12 else "und"
