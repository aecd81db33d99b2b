"""Publication times: a date/time as a page or a pasted article gives it -> ISO 8601 in the right zone.

Machine-readable forms (ISO 8601, the RFC 2822 dates of feeds and JSON-LD) are read exactly. Printed
forms ("19. Oktober 2019, 19:08 Uhr", "3 de mayo de 2022", "Nov. 16, 2022 - 18:39", "10/05/2022") are
read by our own rules over the month names in gestae/data/months.tsv, in the date order of the page's
country (day first outside the USA), before dateparser gets what is left. A time in UTC or without an
offset is expressed in the newsroom's zone when it is known: a story posted at 23:30 in Buenos Aires
is dated that day, not the next day in UTC.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone as dt_timezone
from functools import lru_cache
from typing import Optional, Union
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from gestae.knowledge import read_table, split_multi
from gestae.locales import month_numbers

MIN_YEAR, MAX_YEAR = 1990, 2100

TZ_ABBREVIATIONS = {"UTC": "UTC", "GMT": "UTC", "Z": "UTC", "KST": "Asia/Seoul", "JST": "Asia/Tokyo",
                    "EST": "America/New_York", "EDT": "America/New_York", "ET": "America/New_York",
                    "CST": "America/Chicago", "CDT": "America/Chicago", "MST": "America/Denver",
                    "MDT": "America/Denver", "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
                    "PT": "America/Los_Angeles", "BST": "Europe/London", "CET": "Europe/Paris",
                    "CEST": "Europe/Paris", "MEZ": "Europe/Berlin", "MESZ": "Europe/Berlin",
                    "IST": "Asia/Kolkata", "SGT": "Asia/Singapore", "HKT": "Asia/Hong_Kong",
                    "AEST": "Australia/Sydney", "AEDT": "Australia/Sydney", "MSK": "Europe/Moscow"}


def zone(name: str) -> Optional[ZoneInfo]:
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


@dataclass(frozen=True, slots=True)
class Printed:
    """A date found in printed text: where, what, and whether a time of day came with it."""
    start: int
    end: int
    value: Union[date, datetime]   # naive unless the text gave an offset or a zone abbreviation


_TIME = (r"(?:\s*(?:,|-|–|—|\||/|T|\bat\b|\bum\b|\bà\b|\ba las\b|\bàs\b|\bkl\.?|\bklo\b|\bore\b)?\s*"
         r"(?P<hour>\d{1,2})[:.h](?P<minute>\d{2})(?![\d/])(?::(?P<second>\d{2}))?(?:\.\d+)?\s*"
         r"(?P<ampm>[ap]\.?\s?m\.?)?(?:\s*(?:uhr|h|hrs|horas|heures)\b)?"
         r"(?:\s*(?P<offset>[+-]\d{2}:?\d{2})|\s*\(?(?P<abbr>(?-i:[A-Z]{1,4}))\b\)?)?)?")


@lru_cache(maxsize=1)
def _patterns() -> list[re.Pattern]:
    names = sorted(month_numbers(), key=len, reverse=True)
    month = r"(?P<month_name>" + "|".join(re.escape(n) for n in names) + r")\.?"
    day = r"(?P<day>\d{1,2})"
    year = r"(?P<year>\d{4})"
    forms = [
        r"(?<![\d.])(?P<iso_year>\d{4})-(?P<iso_month>\d{1,2})-(?P<iso_day>\d{1,2})(?!\d)",
        r"(?<![\d.])(?P<a>\d{1,2})[./](?P<b>\d{1,2})[./](?P<c>\d{4}|\d{2})(?![\d.]\d)",
        r"(?<![\d.])(?P<ymd_year>\d{4})[./](?P<ymd_month>\d{1,2})[./](?P<ymd_day>\d{1,2})(?!\d)",
        rf"(?<!\d){day}(?:\.|º|er|st|nd|rd|th)?\s*(?:de\s+|of\s+)?{month}(?:,|\s+de|\s+del)?\s+{year}",
        rf"\b{month}\s+{day}(?:st|nd|rd|th)?,?\s+{year}",
    ]
    return [re.compile(form + _TIME, re.I) for form in forms]


@lru_cache(maxsize=1)
def updated_label() -> re.Pattern:
    """Words that mark a date as an update time (gestae/data/date_labels.tsv), at the end of a text."""
    labels = sorted({w for row in read_table("date_labels.tsv") if row["kind"] == "updated"
                     for w in split_multi(row["words"])}, key=len, reverse=True)
    return re.compile(r"(?:^|\W)(?:" + "|".join(re.escape(w) for w in labels) + r")\b[^\d]{0,12}$", re.I)


def _two_digit_year(text: str) -> int:
    year = int(text)
    return year + 2000 if len(text) == 2 else year


def _date_parts(m: re.Match, order: str) -> Optional[tuple[int, int, int]]:
    g = m.groupdict()
    if g.get("iso_year"):
        return int(g["iso_year"]), int(g["iso_month"]), int(g["iso_day"])
    if g.get("ymd_year"):
        return int(g["ymd_year"]), int(g["ymd_month"]), int(g["ymd_day"])
    if g.get("a"):
        a, b, year = int(g["a"]), int(g["b"]), _two_digit_year(g["c"])
        month_first = order in ("MDY", "YMD")
        if a > 12:
            month_first = False
        elif b > 12:
            month_first = True
        return (year, a, b) if month_first else (year, b, a)
    month = month_numbers().get(g["month_name"].lower())
    return (int(g["year"]), month, int(g["day"])) if month else None


def _build(m: re.Match, order: str) -> Optional[Union[date, datetime]]:
    parts = _date_parts(m, order)
    if not parts or not MIN_YEAR <= parts[0] <= MAX_YEAR:
        return None
    try:
        day_value = date(*parts)
    except ValueError:
        return None
    if m.group("hour") is None:
        return day_value
    hour, minute = int(m.group("hour")), int(m.group("minute"))
    ampm = (m.group("ampm") or "").lower()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return day_value
    moment = datetime(day_value.year, day_value.month, day_value.day, hour, minute,
                      int(m.group("second") or 0) if int(m.group("second") or 0) < 60 else 0)
    if m.group("offset"):
        sign = 1 if m.group("offset")[0] == "+" else -1
        digits = m.group("offset")[1:].replace(":", "")
        delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        return moment.replace(tzinfo=dt_timezone(sign * delta))
    abbr = (m.group("abbr") or "").upper()
    if abbr in TZ_ABBREVIATIONS:
        return moment.replace(tzinfo=zone(TZ_ABBREVIATIONS[abbr]))
    return moment


def find_printed(text: str, order: str = "") -> Optional[Printed]:
    """The first date printed in `text` (earliest start; the longer reading at one start)."""
    best: Optional[Printed] = None
    for pattern in _patterns():
        for m in pattern.finditer(text):
            value = _build(m, order)
            if value is None:
                continue
            if best is None or m.start() < best.start:
                best = Printed(m.start(), m.end(), value)
            break
    return best


DATE_LINE_MAX_CHARS = 100
DATE_LINE_MAX_WORDS = 3   # besides the date: a label ("Published :", "Stand:") or a weekday


def date_line(line: str, order: str = "") -> Optional[tuple[str, bool]]:
    """The date a short header line gives, as printed, and whether it is labelled an update:
    'Published : Nov. 16, 2022 - 18:39' -> ('Nov. 16, 2022 - 18:39', False); of 'Published: X Updated:
    Y' the first; 'Aktualisiert: 11.04.2020' -> ('11.04.2020', True); None for any other line."""
    if len(line) > DATE_LINE_MAX_CHARS:
        return None
    printed = find_printed(line, order)
    if printed is None:
        return None
    later = find_printed(line[printed.end:], order)
    # besides the date only a label, a weekday, or the label of a second date may stand
    end = printed.end + later.start if later is not None else len(line)
    words = re.findall(r"[^\W\d_]+", line[:printed.start] + " " + line[printed.end:end])
    if len(words) > DATE_LINE_MAX_WORDS + (1 if later is not None else 0):
        return None
    return line[printed.start:printed.end].strip(), bool(updated_label().search(line[:printed.start]))


def _machine(value: str) -> Optional[Union[date, datetime]]:
    """ISO 8601 and RFC 2822 forms, exactly; None for anything else."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    if re.match(r"\d{4}-\d{2}-\d{2}[T ]\d", value):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    if re.match(r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d", value):
        from email.utils import parsedate_to_datetime

        try:
            return parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
    return None


def _dateparser(value: str) -> Optional[Union[date, datetime]]:
    import dateparser  # slow to import; only for forms our rules do not read

    abbreviation = re.search(r"\b([A-Z]{2,4})\b", value)
    zone_hint = TZ_ABBREVIATIONS.get(abbreviation.group(1)) if abbreviation else None
    cleaned = re.sub(r"\s+[-–|]\s+|\s+at\s+", " ", value)
    if zone_hint:
        cleaned = (cleaned[:abbreviation.start()] + cleaned[abbreviation.end():]).strip()
    parsed = dateparser.parse(cleaned, languages=["en"], settings={
        "PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False,
        "REQUIRE_PARTS": ["day", "month", "year"]})
    if parsed is None or not MIN_YEAR <= parsed.year <= MAX_YEAR:
        return None
    if not re.search(r"\d{1,2}:\d{2}", value):
        return parsed.date()
    return parsed.replace(tzinfo=zone(zone_hint)) if zone_hint else parsed


def read_time(value: str, order: str = "") -> Optional[Union[date, datetime]]:
    """A date or datetime from one machine-readable or printed value; None when nothing parses."""
    value = " ".join((value or "").split())
    if not value:
        return None
    parsed = _machine(value)
    if parsed is None:
        printed = find_printed(value, order)
        parsed = printed.value if printed else None
    if parsed is None:
        parsed = _dateparser(value)
    if parsed is not None and not MIN_YEAR <= parsed.year <= MAX_YEAR:
        return None
    return parsed


def localize(value: Union[date, datetime], timezone: str = "") -> str:
    """ISO 8601 text: a bare date stays a date; a time without offset takes `timezone`; a UTC time is
    expressed in `timezone` (an explicit local offset is the page's own and is kept)."""
    if not isinstance(value, datetime):
        return value.isoformat()
    local = zone(timezone)
    if value.tzinfo is None:
        return (value.replace(tzinfo=local) if local else value).isoformat()
    if local is not None and value.utcoffset() == timedelta(0):
        return value.astimezone(local).isoformat()
    return value.isoformat()


def parse_published(value: str, timezone: str = "", order: str = "") -> Optional[str]:
    """An ISO 8601 string for a date/time as given; None when nothing parses.

    Returns a bare date ("2022-11-16") when only the day is known.
    """
    parsed = read_time(value, order)
    return localize(parsed, timezone) if parsed is not None else None
