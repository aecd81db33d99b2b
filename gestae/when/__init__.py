"""Stage 'when': the date of every event.

For each event we look, in order, for
1. a time expression (spaCy DATE/TIME entity) attached to the event's own clause: "met on Sunday",
   "agreed last week" — but not one governed by another verb ("..., the ministry said Wednesday"
   does not date the agreement it reports);
2. one attached to the clause the event's verb is coordinated with or is the complement of
   ("met on Sunday and agreed to ..."; "decided on Monday to impose ...");
3. the date of a named occasion the clause refers to ("at the summit") that the article or a photo
   caption dates elsewhere ("the summit held in Lima on Sunday");
4. the publication date (precision "publication").
Expressions are resolved against the publication date in the outlet's own time zone by the rules
in `gestae.when.resolve`; "two months after their first meeting" is resolved against the meeting's
own date. `event.date` is YYYY-MM-DD (the first day of the week/month/year for coarser precision),
`event.date_precision` is day | week | month | year | publication, `event.date_text` the words used.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Optional

from gestae.model import Article
from gestae.when.occasions import TEXT, Occasion, article_occasions, describing_verb, occasions_at, referent
from gestae.when.resolve import NUMBERS, UNITS, Offset, Resolved, apply_offset, not_after_publication, resolve
from gestae.when.syntax import attaches_to, entities, nominal_owner, tense, token_at

TIME_LABELS = {"DATE", "TIME"}
# Prepositions that make a time phrase a duration, not a date ("for the past week").
_DURATION_PREPS = {"for", "within", "throughout"}
_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
_NOMINAL_ARGUMENT_DEPS = {"dobj", "nsubj", "nsubjpass"}
_BARE_SPAN = re.compile(r"^\s*(?:the\s+)?(\d{1,3}|[a-z]+)\s+(days?|weeks?|months?|years?)\s*$")


@dataclass(slots=True)
class TimeExpression:
    source: int                     # TEXT or caption index
    root: Any                       # head token of the entity
    text: str
    tense: str
    value: Any                      # Resolved | Offset | None, before anchoring
    resolved: Optional[Resolved] = None


def annotate(article: Article) -> None:
    """Fill date, date_precision and date_text on every event of the article."""
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
    for event in article.events:
        date_event(event, token_at(doc, event.trigger_span), expressions, occasions, pub)


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


def collect_expressions(doc: Any, source: int, pub: Optional[date]) -> list[TimeExpression]:
    """Every DATE/TIME entity with its clause's tense and its value before anchoring."""
    found = []
    for ent in entities(doc):
        if ent.label_ not in TIME_LABELS:
            continue
        root = ent.root
        clause_tense = tense(root)
        text = ent.text
        value = resolve(text, pub, clause_tense)
        if _is_duration(root, value):
            continue
        if value is None:
            value = _offset_before_preposition(root, text)
            if value is not None:  # the words used: "two months after their first meeting"
                objects = [c for c in root.head.children if c.dep_ == "pobj"]
                end = objects[0].i + 1 if objects else root.head.i + 1
                text = doc[ent.start:max(ent.end, end)].text
        found.append(TimeExpression(source, root, text, clause_tense, value,
                                    value if isinstance(value, Resolved) else None))
    return found


def _is_duration(root: Any, value: Any) -> bool:
    """"for the past week" is how long, not when; "for Tuesday" (a single day) is still a date."""
    if root.dep_ != "pobj" or root.head.lower_ not in _DURATION_PREPS:
        return False
    return not (isinstance(value, Resolved) and value.precision == "day")


def _offset_before_preposition(root: Any, text: str) -> Optional[Offset]:
    """'two months' in 'two months after their first meeting': the unit modifies 'after'."""
    head = root.head
    if root.dep_ != "npadvmod" or head.lower_ not in ("after", "before", "later", "earlier"):
        return None
    m = _BARE_SPAN.match(text.lower())
    if not m:
        return None
    amount = int(m[1]) if m[1].isdigit() else NUMBERS.get(m[1])
    if not amount:
        return None
    return Offset(amount, UNITS[m[2]], 1 if head.lower_ in ("after", "later") else -1)


def anchor_offsets(expressions: list[TimeExpression], occasions: list[Occasion],
                   pub: Optional[date]) -> None:
    """Resolve 'N units after X' against X's date and 'N units later' against the date before it."""
    previous: Optional[Resolved] = None
    for expr in expressions:
        if isinstance(expr.value, Offset):
            anchor = _explicit_anchor(expr, expressions, occasions) or previous
            if anchor is not None:
                moved = apply_offset(anchor, expr.value)
                expr.resolved = not_after_publication(moved, pub, expr.tense) if pub else moved
        if expr.resolved is not None:
            previous = expr.resolved


def _explicit_anchor(expr: TimeExpression, expressions: list[TimeExpression],
                     occasions: list[Occasion]) -> Optional[Resolved]:
    head = expr.root.head
    objects = [c for c in head.children if c.dep_ == "pobj"]
    if not objects:
        return None
    anchor = objects[0]
    for other in expressions:
        if other is not expr and other.resolved is not None and isinstance(other.value, Resolved) \
                and attaches_to(other.root, anchor):
            return other.resolved
    for occasion in occasions:
        if occasion.source == expr.source and occasion.token.i == anchor.i:
            found = referent(occasion, occasions, "date")
            return found.date if found else None
    return None


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
        if owner is not None and nouns[owner.i].date is None:
            nouns[owner.i].date, nouns[owner.i].date_text = expr.resolved, expr.text


def date_occasions_from_clause(occasions: list[Occasion], expressions: list[TimeExpression]) -> None:
    """'met at the summit on Sunday': an occasion where a dated clause happens shares its date."""
    for occasion in occasions:
        if occasion.date is not None or occasion.source != TEXT:
            continue
        verb = describing_verb(occasion.token)
        if verb is None:
            continue
        for expr in expressions:
            if expr.resolved is not None and isinstance(expr.value, Resolved) and attaches_to(expr.root, verb):
                occasion.date, occasion.date_text = expr.resolved, expr.text
                break


def date_event(event: Any, trigger: Any, expressions: list[TimeExpression], occasions: list[Occasion],
               pub: Optional[date]) -> None:
    found = None
    if trigger is not None:
        found = (_own_expression(trigger, expressions) or _inherited_expression(trigger, expressions)
                 or _occasion_date(trigger, occasions))
    if found is not None and pub is not None and resolved_after(found[0], pub):
        # "will meet on Friday": the event coded (an intent, a plan, a threat) is dated by its report.
        event.planned = {"date": found[0].date.isoformat(), "date_precision": found[0].precision,
                         "date_text": found[1]}
        event.date, event.date_precision, event.date_text = pub.isoformat(), "publication", ""
    elif found is not None:
        resolved, text = found
        event.date, event.date_precision, event.date_text = resolved.date.isoformat(), resolved.precision, text
    elif pub is not None:
        event.date, event.date_precision, event.date_text = pub.isoformat(), "publication", ""


def resolved_after(resolved: Resolved, pub: date) -> bool:
    """True when a resolved expression starts after the publication day (a month or year counts from
    its first day, so "this month" or "this year" is not in the future)."""
    return resolved.date > pub


def _own_expression(trigger: Any, expressions: list[TimeExpression]) -> Optional[tuple[Resolved, str]]:
    attached = [e for e in expressions if e.source == TEXT and e.resolved is not None
                and attaches_to(e.root, trigger)]
    if not attached:
        return None
    # The most precise expression wins ("Last month, they met on Oct. 3"), then the nearest.
    nearest = min(attached, key=lambda e: (_PRECISION_RANK.get(e.resolved.precision, 9), abs(e.root.i - trigger.i)))
    return nearest.resolved, nearest.text


def _inherited_expression(trigger: Any, expressions: list[TimeExpression]) -> Optional[tuple[Resolved, str]]:
    """A coordinated verb, an infinitive complement or a noun event that is the object or subject
    of a verb shares that clause's date; a reported clause (ccomp of 'said') does not."""
    if trigger.dep_ in ("conj", "xcomp") and trigger.head.i != trigger.i:
        return _own_expression(trigger.head, expressions)
    if trigger.pos_ in ("NOUN", "PROPN") and trigger.dep_ in _NOMINAL_ARGUMENT_DEPS:
        # "held talks in Riyadh on Feb. 18": the noun's verb says when it happened.
        return _own_expression(trigger.head, expressions)
    return None


def _occasion_date(trigger: Any, occasions: list[Occasion]) -> Optional[tuple[Resolved, str]]:
    mentions = occasions_at(trigger, occasions)
    for mention in sorted(mentions, key=lambda o: abs(o.token.i - trigger.i)):
        found = referent(mention, occasions, "date")
        if found is not None:
            return found.date, found.date_text
    return None
