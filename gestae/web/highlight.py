"""Article text as HTML with its highlighted spans, from the article JSON's offsets.

Every kind of span comes from one small function in `MARKERS` (a registry: a new kind is one entry and
one CSS rule): actor mentions, event triggers, event spans (shown only when the event is selected),
dates, places and quotes. Spans overlap (a quote holds actors and triggers), so the text is cut at
every span boundary and each piece carries the classes and keys of all spans that cover it:
`<span class="hl actor trigger" data-actor="a1" data-trigger="e2">`. Every piece of article text goes
through `markupsafe.escape`: an article containing `<script>` shows as text.

Dates have no offsets of their own in the article JSON: an event's `date_text` is looked up inside the
event's own span (its clause/sentence), which is where the dates stage found it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

from markupsafe import Markup, escape


@dataclass(frozen=True, slots=True)
class Mark:
    start: int
    end: int
    kind: str
    key: str = ""


def _actor_marks(article: dict[str, Any]) -> Iterator[Mark]:
    for actor in article.get("actors", []):
        for start, end in actor.get("mentions", []):
            yield Mark(start, end, "actor", actor["id"])


def _trigger_marks(article: dict[str, Any]) -> Iterator[Mark]:
    for event in article.get("events", []):
        start, end = event.get("trigger_span") or (0, 0)
        if end > start:
            yield Mark(start, end, "trigger", event["id"])


def _event_span_marks(article: dict[str, Any]) -> Iterator[Mark]:
    for event in article.get("events", []):
        start, end = event.get("span") or (0, 0)
        if end > start:
            yield Mark(start, end, "span", event["id"])


def _date_marks(article: dict[str, Any]) -> Iterator[Mark]:
    text = article.get("text", "")
    for event in article.get("events", []):
        start, end = event.get("span") or (0, 0)
        phrases = [event.get("date_text") or ""]
        if event.get("planned"):
            phrases.append(event["planned"].get("date_text") or "")
        for phrase in filter(None, phrases):
            at = text.find(phrase, start, max(end, start))
            if at >= 0:
                yield Mark(at, at + len(phrase), "date", event["id"])


def _place_marks(article: dict[str, Any]) -> Iterator[Mark]:
    for n, place in enumerate(article.get("places", [])):
        for start, end in place.get("mentions", []):
            yield Mark(start, end, "place", str(n))


def _quote_marks(article: dict[str, Any]) -> Iterator[Mark]:
    for n, quote in enumerate(article.get("quotes", [])):
        start, end = quote.get("span") or (0, 0)
        if end > start:
            yield Mark(start, end, "quote", str(n))


MARKERS: dict[str, Callable[[dict[str, Any]], Iterable[Mark]]] = {
    "quote": _quote_marks,
    "span": _event_span_marks,
    "actor": _actor_marks,
    "place": _place_marks,
    "date": _date_marks,
    "trigger": _trigger_marks,
}

# The legend: kind -> what it shows (the event span is not in it: it shows only for a selected event).
LEGEND = {"actor": "actor", "trigger": "event trigger", "date": "date", "place": "place", "quote": "quote"}


def marks(article: dict[str, Any]) -> list[Mark]:
    length = len(article.get("text", ""))
    found = []
    for marker in MARKERS.values():
        for mark in marker(article):
            start, end = max(0, mark.start), min(length, mark.end)
            if end > start:
                found.append(Mark(start, end, mark.kind, mark.key))
    return found


def render(text: str, spans: Iterable[Mark]) -> Markup:
    """`text` as escaped HTML, each piece wrapped in a span naming every mark that covers it."""
    spans = list(spans)
    cuts = sorted({0, len(text), *(m.start for m in spans), *(m.end for m in spans)})
    # Marks opening at each cut, and those covering a piece: a sweep over the cuts.
    opening: dict[int, list[Mark]] = {}
    for mark in spans:
        opening.setdefault(mark.start, []).append(mark)
    active: list[Mark] = []
    out: list[str] = []
    for start, end in zip(cuts, cuts[1:]):
        active = [m for m in active if m.end > start] + opening.get(start, [])
        piece = escape(text[start:end])
        if not active:
            out.append(piece)
            continue
        kinds = sorted({m.kind for m in active}, key=list(MARKERS).index)
        attributes = []
        for kind in kinds:
            keys = " ".join(dict.fromkeys(m.key for m in active if m.kind == kind and m.key))
            if keys:
                attributes.append(f' data-{kind}="{escape(keys)}"')
        out.append(f'<span class="hl {" ".join(kinds)}"{"".join(attributes)}>{piece}</span>')
    return Markup("".join(out))


def article_html(article: dict[str, Any]) -> Markup:
    return render(article.get("text", ""), marks(article))


def caption_html(article: dict[str, Any], index: int) -> Markup:
    """A caption's text with its place mentions (`places[].caption_mentions`)."""
    caption = article.get("captions", [])[index]
    spans = [Mark(start, end, "place", str(n))
             for n, place in enumerate(article.get("places", []))
             for i, start, end in place.get("caption_mentions", []) if i == index]
    text = caption.get("text", "")
    return render(text, [m for m in spans if 0 <= m.start < m.end <= len(text)])
