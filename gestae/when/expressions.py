"""The time expressions of a text: every DATE/TIME entity, resolved against publication and anchored.

An expression is resolved by `gestae.when.resolve` in the tense of its clause. One relative to another
time ("two months after their first meeting", "two days later", "the next day", "earlier in the day")
is anchored to the time it names, else to the last time the text gave before it. Durations ("for the
past week") are dropped. A date inside a noun phrase ("Tuesday's announcement", "the 2014 abduction")
is the date of that noun only: it does not date the clause around it ("welcomed Tuesday's
announcement" says nothing about when the welcome came).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Optional

from gestae.when.occasions import Occasion, referent
from gestae.when.resolve import NUMBERS, UNITS, Offset, Resolved, apply_offset, not_after_publication, resolve
from gestae.when.syntax import attaches_to, entities, tense

TIME_LABELS = {"DATE", "TIME"}
# Prepositions that make a time phrase a duration, not a date ("for the past week").
_DURATION_PREPS = {"for", "within", "throughout"}
# Prepositions that make a time a bound ("by May 1", "until Monday").
_DEADLINE_PREPS = {"by", "until", "till"}
# Dependencies by which a time modifies a noun from inside its phrase ("Tuesday's vote").
_NOUN_INTERNAL_DEPS = {"poss", "compound", "nmod", "nummod", "amod"}
# Words that place "the day" relative to a time given before ("earlier in the day").
_LEAD_INS = {"earlier", "later"}
_TRAILERS = {"after", "before", "later", "earlier"}
# Words after which an offset names the time it counts from ("two days after the vote").
_ANCHOR_WORDS = {"after", "before"}
_BARE_SPAN = re.compile(r"^\s*(?:the\s+)?(\d{1,3}|[a-z]+)\s+(days?|weeks?|months?|years?)\s*$")


@dataclass(slots=True)
class TimeExpression:
    source: int                     # occasions.TEXT or caption index
    root: Any                       # head token of the entity
    text: str
    tense: str
    value: Any                      # Resolved | Offset | None, before anchoring
    resolved: Optional[Resolved] = None
    owner: Any = None               # the noun a noun-internal time belongs to ("Tuesday's vote")

    def dates(self, token: Any) -> bool:
        """Whether this expression is the time of `token`'s clause (or of noun `token`)."""
        if self.owner is not None:
            return self.owner.i == token.i
        return attaches_to(self.root, token)


def collect_expressions(doc: Any, source: int, pub: Optional[date]) -> list[TimeExpression]:
    """Every DATE/TIME entity with its clause's tense and its value before anchoring."""
    found = []
    for ent in entities(doc):
        if ent.label_ not in TIME_LABELS:
            continue
        root = ent.root
        clause_tense = tense(root)
        text = _with_lead_in(doc, ent)
        value = resolve(text, pub, clause_tense)
        if _is_duration(root, value) or _is_deadline(root, clause_tense):
            continue
        if value is None:
            value = _offset_before_preposition(root, text)
            if value is not None:  # the words used: "two months after their first meeting"
                objects = [c for c in root.head.children if c.dep_ == "pobj"]
                end = objects[0].i + 1 if objects else root.head.i + 1
                text = doc[ent.start:max(ent.end, end)].text
        owner = root.head if root.dep_ in _NOUN_INTERNAL_DEPS and root.head.pos_ in ("NOUN", "PROPN") \
            and root.head.i != root.i else None
        found.append(TimeExpression(source, root, text, clause_tense, value,
                                    value if isinstance(value, Resolved) else None, owner))
    return found


def _with_lead_in(doc: Any, ent: Any) -> str:
    """"the day" in "earlier in the day" or "the day after" is known only with the words around it."""
    start, end = ent.start, ent.end
    if start >= 2 and doc[start - 1].lower_ == "in" and doc[start - 2].lower_ in _LEAD_INS:
        start -= 2
    if end < len(doc) and doc[end].lower_ in _TRAILERS and doc[end].head.i == ent.root.i:
        end += 1
    return doc[start:end].text


def _is_deadline(root: Any, clause_tense: str) -> bool:
    """"was supposed to end by May 1", "fought until Monday": a bound, not when the event happened
    (a future deadline, "will withdraw by Sept. 11", is what the event plans)."""
    return root.dep_ == "pobj" and root.head.lower_ in _DEADLINE_PREPS and clause_tense != "future"


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
            # "a day after the rebels withdrew": that withdrawal, or nothing; "a day later": the time before
            anchor = _explicit_anchor(expr, expressions, occasions) if _names_its_anchor(expr) else previous
            if anchor is not None:
                moved = apply_offset(anchor, expr.value)
                expr.resolved = not_after_publication(moved, pub, expr.tense) if pub else moved
        if expr.resolved is not None:
            previous = expr.resolved


def _names_its_anchor(expr: TimeExpression) -> bool:
    """'two days after the vote', 'a day after rebels withdrew' (not 'two days later')."""
    head = expr.root.head
    if head.lower_ in _ANCHOR_WORDS:
        return any(c.dep_ in ("pobj", "pcomp") for c in head.children)
    return any(c.dep_ == "mark" and c.lower_ in _ANCHOR_WORDS for c in head.children)


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
