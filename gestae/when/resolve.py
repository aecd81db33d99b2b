"""Turning one time expression ("on Sunday", "last month", "Nov. 3", "two years ago") into a date.

Relative expressions are resolved by our own rules against the publication date, in the direction
the clause's tense points (past: the most recent such day not after publication; future: the next).
Only all-number absolute forms ("16.11.2022") go to dateparser (imported lazily: it is slow to load
and its relative-date guesses are not what news needs).

Week precision means the seven days from `date`: a calendar week starts on Monday ("last week"),
a rolling one ends on the publication day ("in the past week"); "the past month" (year) is the
calendar month (year) that holds most of it. A Sunday paper's "last week" is
the week that ends that Sunday, as newsrooms use it. Expressions relative to another time ("two days
later", "days later", "the next day", "earlier in the day") are an `Offset`, anchored by the caller
to the time they follow; a vague count ("days later") is one unit with a coarser precision.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Optional, Union

MONTHS = {name: i for i, name in enumerate(calendar.month_name) if name} | {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12}
MONTHS = {k.lower(): v for k, v in MONTHS.items()}
WEEKDAYS = {"monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
            "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4,
            "saturday": 5, "sunday": 6}
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": None}
UNITS = {"day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month",
         "months": "month", "year": "year", "years": "year"}
# Units counted in another unit ("a decade ago" is ten years ago, to the year).
MULTIPLES = {"decade": ("year", 10), "decades": ("year", 10)}
PRECISIONS = ("day", "week", "month", "year")

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_NUM = r"\d{1,3}|" + "|".join(k for k in NUMBERS if NUMBERS[k])
_UNIT = "|".join(UNITS)
_AGO_UNIT = "|".join([*UNITS, *MULTIPLES])

RE_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
RE_SLASH = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
RE_MONTH_DAY = re.compile(rf"\b({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:\s+(\d{{4}})\b)?")
RE_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\b(?:\s+(\d{{4}})\b)?")
RE_MONTH_YEAR = re.compile(rf"\b({_MONTH})\s+(?:of\s+)?(\d{{4}})\b")
RE_MONTH = re.compile(rf"\b(?:(last|next|this|past|coming)\s+)?({_MONTH})\b")
RE_NUMERIC_DATE = re.compile(r"\b\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})\b")
RE_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
RE_AGO = re.compile(rf"\b({_NUM})\s+({_AGO_UNIT})\s+ago\b")
# The count may be missing from a plural ("days later": a few of them).
RE_OFFSET = re.compile(rf"\b(?:({_NUM})\s+({_UNIT})|(days|weeks|months|years))\s+(later|after|earlier|before)\b")
# A time named by its place next to another one: "the next day", "earlier in the day", "that week".
_ONE_UNIT = r"(day|week|month|year)"
RE_SAME_UNIT = re.compile(rf"\b(?:(?:earlier|later)\s+(?:in\s+)?(?:the|that)\s+{_ONE_UNIT}|(?:that|the\s+same)\s+{_ONE_UNIT})\b")
RE_NEXT_UNIT = re.compile(rf"\b(?:the\s+(?:next|following)\s+{_ONE_UNIT}|the\s+{_ONE_UNIT}\s+after)\b")
RE_UNIT_BEFORE = re.compile(rf"\b(?:the\s+(?:previous|preceding)\s+{_ONE_UNIT}|the\s+{_ONE_UNIT}\s+before)\b")
RE_WEEKDAY = re.compile(rf"\b(?:(last|next|this|past|coming)\s+)?({_WEEKDAY})\b")
RE_PERIOD = re.compile(r"\b(earlier|later)?\s*(this|last|next|past|coming|the)\s+(week|weekend|month|year)\b")
RE_TODAY = re.compile(r"\b(today|tonight|this morning|this afternoon|this evening|overnight)\b")
RE_YESTERDAY = re.compile(r"\b(yesterday|last night)\b")
RE_TOMORROW = re.compile(r"\btomorrow\b")
_FORWARD = {"next", "coming", "tomorrow", "upcoming"}
_BACKWARD = {"last", "ago", "yesterday", "earlier", "past", "previous"}


@dataclass(frozen=True, slots=True)
class Resolved:
    date: date
    precision: str               # day | week | month | year
    implicit_year: bool = False  # the year was inferred, so it may be moved back


@dataclass(frozen=True, slots=True)
class Offset:
    """'two months after X' / 'two days later' / 'the next day': needs an anchor date resolved
    elsewhere (the time it names, else the time the text gave just before)."""
    amount: int
    unit: str
    sign: int  # +1 after/later, -1 before/earlier (0: the anchor's own day)
    vague: bool = False  # "days later": some of them, so one precision step coarser


Result = Union[Resolved, Offset, None]


def normalize(text: str) -> str:
    text = text.lower().replace("’", "'").replace("'s", " ")
    return re.sub(r"(?<!\d)[.,]|[.,](?!\d)", " ", text)


def _number(word: str) -> Optional[int]:
    return int(word) if word.isdigit() else NUMBERS.get(word)


def add_months(d: date, months: int) -> date:
    total = d.year * 12 + d.month - 1 + months
    year, month = divmod(total, 12)
    day = min(d.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


def shift(d: date, amount: int, unit: str) -> date:
    if unit == "day":
        return d + timedelta(days=amount)
    if unit == "week":
        return d + timedelta(weeks=amount)
    if unit == "month":
        return add_months(d, amount)
    return add_months(d, 12 * amount)


def truncate(d: date, precision: str) -> date:
    if precision == "week":
        return d - timedelta(days=d.weekday())
    if precision == "month":
        return d.replace(day=1)
    if precision == "year":
        return date(d.year, 1, 1)
    return d


def coarser(precision: str) -> str:
    return PRECISIONS[min(PRECISIONS.index(precision) + 1, len(PRECISIONS) - 1)]


def apply_offset(anchor: Resolved, offset: Offset) -> Resolved:
    """Anchor + offset, never more precise than the anchor ('two months after September' -> November)
    nor than the offset's own unit ('days later' is within a week of the anchor, not a day)."""
    unit = coarser(offset.unit) if offset.vague else offset.unit
    precision = max(anchor.precision, unit, key=PRECISIONS.index)
    moved = shift(anchor.date, offset.sign * offset.amount, offset.unit)
    if precision == "week" and anchor.precision == "day":
        return Resolved(moved, "week")  # the seven days from the moved day, not a calendar week
    return Resolved(truncate(moved, precision), precision)


def _weekday(pub: date, modifier: Optional[str], weekday: int, tense: str) -> date:
    forward = modifier in ("next", "coming") or (modifier is None and tense == "future")
    if modifier == "this" and tense == "future":
        forward = True
    if forward:
        days = (weekday - pub.weekday()) % 7
        if modifier == "next" and days == 0:
            days = 7
        return pub + timedelta(days=days)
    days = (pub.weekday() - weekday) % 7
    if modifier in ("last", "past") and days == 0:
        days = 7
    return pub - timedelta(days=days)


SUNDAY = 6
_HALF = {"month": 15, "year": 182}


def _period(pub: date, edge: Optional[str], which: str, unit: str, tense: str) -> Resolved:
    if unit == "weekend":
        saturday = _weekday(pub, {"last": "last", "past": "last", "next": "next"}.get(which),
                            5, "future" if which in ("next", "coming") else tense)
        return Resolved(truncate(saturday, "week"), "week")
    if unit == "week" and which == "past":
        return Resolved(pub - timedelta(days=6), "week")  # the seven days up to publication
    if which == "past":  # "in the past month": the calendar month (year) holding most of it
        return Resolved(truncate(pub - timedelta(days=_HALF[unit]), unit), unit)
    step = {"last": -1, "past": -1, "next": 1, "coming": 1}.get(which, 0)
    if unit == "week" and which == "last" and pub.weekday() == SUNDAY:
        step = 0  # a Sunday paper's "last week" is the week ending that day
    base = shift(pub, step, unit)
    precision = unit
    return Resolved(truncate(base, precision), precision)


def _year_for(pub: date, month: int, day: int, tense: str, modifier: Optional[str] = None) -> int:
    """The year of a month (and day) given without one: the last one not after publication for past
    tense, the next one not before it for future."""
    future = tense == "future" or modifier in ("next", "coming")
    if future:
        return pub.year if (month, day) >= (pub.month, pub.day) else pub.year + 1
    if modifier in ("last", "past") and month == pub.month:
        return pub.year - 1
    return pub.year if (month, day) <= (pub.month, pub.day) else pub.year - 1


def _safe_date(year: int, month: int, day: int) -> Optional[date]:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def resolve_absolute(text: str, pub: Optional[date], tense: str) -> Result:
    """Dates that name their month, day or year ("Nov. 3", "March 5, 2021", "in September", "2019")."""
    if m := RE_ISO.search(text):
        d = _safe_date(int(m[1]), int(m[2]), int(m[3]))
        return Resolved(d, "day") if d else None
    if m := RE_SLASH.search(text):
        d = _safe_date(int(m[3]), int(m[1]), int(m[2]))
        return Resolved(d, "day") if d else None
    s = normalize(text)
    for pattern, month_group, day_group in ((RE_MONTH_DAY, 1, 2), (RE_DAY_MONTH, 2, 1)):
        if m := pattern.search(s):
            month, day = MONTHS[m[month_group]], int(m[day_group])
            if m[3]:
                d = _safe_date(int(m[3]), month, day)
                return Resolved(d, "day") if d else None
            if pub is None:
                return None
            d = _safe_date(_year_for(pub, month, min(day, 28), tense), month, day)
            return Resolved(d, "day", implicit_year=True) if d else None
    if m := RE_MONTH_YEAR.search(s):
        d = _safe_date(int(m[2]), MONTHS[m[1]], 1)
        return Resolved(d, "month") if d else None
    if m := RE_MONTH.search(s):
        if pub is None:
            return None
        month = MONTHS[m[2]]
        year = _year_for(pub, month, 1, tense, m[1])
        return Resolved(date(year, month, 1), "month", implicit_year=True)
    if RE_NUMERIC_DATE.search(text):
        return _dateparser_absolute(text)  # "16.11.2022" and other all-number forms
    if m := RE_YEAR.search(s):
        return Resolved(date(int(m[1]), 1, 1), "year")
    return None


def resolve_relative(text: str, pub: date, tense: str) -> Result:
    """Dates relative to publication or to an anchor ("yesterday", "on Sunday", "two years ago")."""
    s = normalize(text)
    if m := RE_AGO.search(s):
        amount = _number(m[1])
        unit, factor = MULTIPLES.get(m[2], (UNITS.get(m[2]), 1))
        return Resolved(truncate(shift(pub, -amount * factor, unit), unit), unit) if amount else None
    for pattern, sign in ((RE_SAME_UNIT, 0), (RE_NEXT_UNIT, 1), (RE_UNIT_BEFORE, -1)):
        if m := pattern.search(s):
            return Offset(abs(sign), next(g for g in m.groups() if g), sign)
    if m := RE_OFFSET.search(s):
        amount = _number(m[1]) if m[1] else 1
        sign = 1 if m[4] in ("later", "after") else -1
        return Offset(amount, UNITS[m[2] or m[3]], sign, vague=not m[1]) if amount else None
    if RE_YESTERDAY.search(s):
        return Resolved(pub - timedelta(days=1), "day")
    if RE_TOMORROW.search(s):
        return Resolved(pub + timedelta(days=1), "day")
    if m := RE_WEEKDAY.search(s):  # before "today" words: "overnight Saturday" is Saturday
        return Resolved(_weekday(pub, m[1], WEEKDAYS[m[2]], tense), "day")
    if RE_TODAY.search(s):
        return Resolved(pub, "day")
    if m := RE_PERIOD.search(s):
        if m[2] == "the" and m[3] != "weekend":
            return None  # "the year" alone is not a date
        return _period(pub, m[1], m[2], m[3], tense)
    return None


def resolve(text: str, pub: Optional[date], tense: str) -> Result:
    """The date `text` denotes, or an Offset needing an anchor, or None (durations, ages, vague)."""
    tense = expression_tense(text, tense)
    found = resolve_absolute(text, pub, tense)
    if found is None and pub is not None:
        found = resolve_relative(text, pub, tense)
    if isinstance(found, Resolved) and pub is not None:
        found = not_after_publication(found, pub, tense)
    return found


def expression_tense(text: str, clause_tense: str) -> str:
    """Words like "next" or "ago" fix the direction whatever the verb's tense."""
    words = set(normalize(text).split())
    if words & _FORWARD or "later this" in text.lower():
        return "future"
    if words & _BACKWARD:
        return "past"
    return clause_tense


def not_after_publication(found: Resolved, pub: date, tense: str) -> Optional[Resolved]:
    """A past event cannot postdate its report: move an inferred year back, else drop the date."""
    if tense == "future" or found.date <= pub:
        return found
    if found.implicit_year:
        moved = _safe_date(found.date.year - 1, found.date.month, found.date.day)
        return Resolved(moved, found.precision, True) if moved else None
    if truncate(pub, found.precision) == found.date:
        return found
    return None


def _dateparser_absolute(text: str) -> Optional[Resolved]:
    try:
        import dateparser
    except ImportError:
        return None
    parsed = dateparser.parse(text, languages=["en"],
                              settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]})
    return Resolved(parsed.date(), "day") if parsed else None
