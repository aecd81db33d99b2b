"""Stage 'when': the date of every event.

The article's time expressions (spaCy DATE/TIME entities, `gestae.when.expressions`) are resolved
against the publication day in the outlet's own time zone by the rules in `gestae.when.resolve`;
"two months after their first meeting" is resolved against the meeting's own date, "the next day"
against the time given just before. Named occasions ("the summit", "the statement") take the date
their own phrase or clause gives, in the text or a photo caption. Each event is then dated by the
first rule of `gestae.when.rules.DATE_RULES` that applies: its own clause, a clause it shares its
time with, its occasion, its report, the same speaker's statement next to it; else publication.
`event.date` is YYYY-MM-DD (the first day of the week/month/year for coarser precision),
`event.date_precision` is day | week | month | year | reported (the day of the report that tells of
it: on or before) | publication (no time of its own: the publication day), `event.date_text` the
words used, `event.planned` the future time an event (a promise, a plan) refers to.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from gestae.model import Article
from gestae.when.expressions import TimeExpression, anchor_offsets, collect_expressions
from gestae.when.occasions import TEXT, Occasion, article_occasions, describing_verb
from gestae.when.resolve import Resolved
from gestae.when.rules import Context, date_event
from gestae.when.syntax import nominal_owner


def annotate(article: Article) -> None:
    """Fill date, date_precision, date_text and planned on every event of the article."""
    doc = article.doc
    if doc is None or not article.events:
        return
    pub = publication_date(article)
    occasions = article_occasions(article)
    expressions = collect_expressions(doc, TEXT, pub)
    caption_expressions = [e for i, cdoc in enumerate(article.caption_docs or []) if cdoc is not None
                           for e in collect_expressions(cdoc, i, pub)]
    date_occasions(occasions, expressions + caption_expressions)
    anchor_offsets(expressions, occasions, pub)
    anchor_offsets(caption_expressions, occasions, pub)
    date_occasions(occasions, expressions + caption_expressions)
    date_occasions_from_clause(occasions, expressions)
    context = Context.build(article, pub, expressions, occasions)
    for event in article.events:
        date_event(event, context)


def publication_date(article: Article) -> Optional[date]:
    """The publication day in the outlet's own time zone (the offset the timestamp carries, or the
    outlet's IANA zone when one is known and the timestamp is in another)."""
    value = (article.published or "").strip()
    if not value:
        return None
    try:
        stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    if stamp.tzinfo is not None and article.timezone:
        try:
            from zoneinfo import ZoneInfo
            stamp = stamp.astimezone(ZoneInfo(article.timezone))
        except (KeyError, ValueError, OSError):
            pass
    return stamp.date()


def date_occasions(occasions: list[Occasion], expressions: list[TimeExpression]) -> None:
    """An occasion takes the date attached to its own noun phrase ("the summit held ... on Sunday")."""
    by_source: dict[int, dict[int, Occasion]] = {}
    for occasion in occasions:
        by_source.setdefault(occasion.source, {})[occasion.token.i] = occasion
    for expr in expressions:
        if expr.resolved is None:
            continue
        nouns = by_source.get(expr.source, {})
        owner = nominal_owner(expr.root, set(nouns)) if nouns else None
        if owner is not None and nouns[owner.i].date is None and not _describes_another_noun(expr.root, owner):
            nouns[owner.i].date, nouns[owner.i].date_text = expr.resolved, expr.text


def _describes_another_noun(token, owner) -> bool:
    """True when the way up from a time to an occasion noun goes through a clause modifying some
    other noun: in "a statement issued for the festival starting this week" the week is the
    festival's, not the statement's."""
    current = token
    while current.i != owner.i and current.head.i != current.i:
        if current.dep_ in ("acl", "relcl") and current.head.i != owner.i:
            return True
        current = current.head
    return False


def date_occasions_from_clause(occasions: list[Occasion], expressions: list[TimeExpression]) -> None:
    """'met at the summit on Sunday': an occasion where a dated clause happens shares its date."""
    for occasion in occasions:
        if occasion.date is not None or occasion.source != TEXT:
            continue
        verb = describing_verb(occasion.token)
        if verb is None:
            continue
        for expr in expressions:
            if expr.resolved is not None and isinstance(expr.value, Resolved) and expr.dates(verb):
                occasion.date, occasion.date_text = expr.resolved, expr.text
                break
