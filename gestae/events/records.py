"""From coded events to event records: an explicit actor, and one source and one target country each.

PLOVER (and every event data set built on it) counts records with one source and one target: "The
United States, Britain and France condemned Syria" is three ACCUSE records, "Turkey threatened Sweden
and Finland" two. Counting a joint act once would undercount the dyads an analyst asks about. So an
event whose actors (or recipients) belong to several countries is split, one record per country,
actors of one country staying together. A symmetric event among its actors ("X and Y met") stays one
record, as does a multilateral one (three or more countries meeting): it is one meeting; but when the
actors meet a named partner ("X and Y spoke with Z"), each actor country is a record with that partner.

PLOVER requires an explicit actor. An event whose actor resolves to nothing ("were kidnapped", "talks
were held") is not a record: it is kept in `Article.candidates` for debugging (`--debug`).
"""
from __future__ import annotations

from dataclasses import replace

from gestae.model import Actor, Article, Event

# Fan-out bound: a sentence naming many countries on both sides is not many-to-many events.
MAX_RECORDS = 8


def _by_country(article: Article, ids: list[str]) -> list[list[str]]:
    """Actor ids grouped by country, in order of first mention; actors of no country join the first group."""
    groups: dict[str, list[str]] = {}
    loose: list[str] = []
    for i in ids:
        actor: Actor | None = article.actor(i)
        country = actor.country if actor is not None else ""
        if country:
            groups.setdefault(country, []).append(i)
        else:
            loose.append(i)
    out = list(groups.values())
    if not out:
        return [loose] if loose else [[]]
    out[0] = out[0] + loose
    return out


def split_by_country(article: Article, event: Event) -> list[Event]:
    """One record per actor country and per recipient country (see module doc)."""
    sources = _by_country(article, event.actors)
    targets = _by_country(article, event.recipients)
    if event.reciprocal:
        # "X and Y met", "X and Y swapped prisoners": one event. "X and Y told Z": each of X, Y spoke with Z.
        partners = [a for i in event.recipients if (a := article.actor(i)) is not None and (a.country or a.kind == "person")]
        if not partners or len(sources) < 2:
            return [event]
        targets = [event.recipients]
    if len(sources) * len(targets) <= 1 or len(sources) * len(targets) > MAX_RECORDS:
        return [event]
    return [replace(event, actors=list(s), recipients=list(t), context=list(event.context),
                    coder=event.coder + ["split_by_country"])
            for s in sources for t in targets]


def finish(article: Article, events: list[Event]) -> None:
    """Records with an actor go to `article.events` (ids e1, e2, ...); the rest to `article.candidates`."""
    for event in events:
        for record in split_by_country(article, event):
            if record.actors:
                record.id = f"e{len(article.events) + 1}"
                article.events.append(record)
            else:
                record.id = f"c{len(article.candidates) + 1}"
                record.coder.append("dropped: no explicit actor")
                article.candidates.append(record)
