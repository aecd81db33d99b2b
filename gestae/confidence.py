"""Stage 'confidence': how likely an event record is to be right, as a calibrated probability.

A record is right when a careful coder would write the same event (type and parties) from the same
words. Its probability comes from a logistic model over features every record has: its type, what
its actor and recipient resolved to, whether it is reported speech or inside a quotation, how it was
dated, which role rules shaped it (gestae/data/confidence.tsv: feature, weight). The weights are fitted
by `tools/fit_confidence.py` on stories coded by hand, cross-validated by story, and the README reports
precision by confidence band. The stage runs last, when dates are known; an event keeps the lexicon's
prior confidence when the table has no weights.
"""
from __future__ import annotations

import math
from functools import lru_cache

from gestae.knowledge import read_table
from gestae.model import Actor, Article, Event

BIAS = "bias"


@lru_cache(maxsize=1)
def weights() -> dict[str, float]:
    out: dict[str, float] = {}
    for row in read_table("confidence.tsv"):
        try:
            out[row["feature"]] = float(row["weight"])
        except (KeyError, ValueError):
            continue
    return out


def _kind(actor: Actor | None) -> str:
    if actor is None:
        return "none"
    return actor.kind + ("+country" if actor.country else "")


def features(article: Article, event: Event) -> list[str]:
    """The names of the features an event record has (binary features)."""
    actor = article.actor(event.actors[0]) if event.actors else None
    recipients = [r for i in event.recipients if (r := article.actor(i)) is not None]
    sentence = event.sentence.lstrip()
    out = [f"type={event.type}", f"actor={_kind(actor)}",
           "recipient=" + ("country" if any(r.country for r in recipients) else "party" if recipients else "none"),
           f"date={event.date_precision or 'none'}",
           f"trigger={'phrase' if ' ' in event.trigger else 'word'}"]
    if event.reported_by:
        out.append("reported")
    if sentence[:1] in "\"\u201c\u2018'":
        out.append("quoted")
    if event.negated:
        out.append("negated")
    if event.reciprocal:
        out.append("reciprocal")
    if event.planned:
        out.append("planned")
    out += [f"rule={name}" for name in event.coder if not name.startswith("dropped")]
    out += event.cues
    return out


def probability(names: list[str], table: dict[str, float]) -> float:
    z = table.get(BIAS, 0.0) + sum(table.get(n, 0.0) for n in names)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def annotate(article: Article) -> None:
    table = weights()
    if not table:
        return
    for event in article.events:
        event.confidence = round(probability(features(article, event), table), 2)
