"""`gestae evaluate EVENTS.jsonl --stories STORIES.jsonl`: score the pipeline on whole stories coded by hand.

Story-level gold codes every event of a story with the words that support it: {"story_id", "type",
"source": {"country"}, "target": {"country"} or null, "date", "location": {"place", "country"} or null,
"evidence"}; quotation gold (optional) is {"story_id", "quote_start", "speaker", "speaker_country"}.
The stories are an article JSONL file ({"id", "text", "title", "published", ...}) read as `ingest` reads it.

What is scored: the events gestae asserts, i.e. not `hypothetical` and not dated (the end of their
period) more than `WINDOW_DAYS` before publication: gold codes a story's own time frame. Matching is
per story, greedy and one-to-one, gold in file order:

  anchored  same type; every non-empty gold country is among the event's parties (either role); and the
            event's sentence and the gold evidence contain one another (compared on their first 60
            characters, whitespace and quote marks normalised): the right event from the right words
  strict    anchored, with the direction right (source among actors, target among recipients)
  loose     anchored without the sentence condition

Precision is anchored matches over scored events, recall over gold events. Dates and places are scored
on anchored matches; a quotation is found by its first five words, its speaker by a shared name word
(or, for an anonymous source, the country).
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Iterable, Optional

from gestae.errors import GestaeError
from gestae.evaluate.jsonl import numbered_records
from gestae.model import Article, Event

WINDOW_DAYS = 35
PREFIX = 60
# Words too common to tell two speakers apart.
NAME_STOPWORDS = {"the", "a", "an", "of", "and", "said", "says", "u.s.", "official", "officials", "minister",
                  "president"}


@dataclass
class StoryReport:
    counts: Counter = field(default_factory=Counter)
    by_type: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)
    # every scored event with whether it matched gold (anchored): data for calibrating confidence
    labelled: list[tuple[Article, Event, bool]] = field(default_factory=list)

    def ratio(self, a: str, b: str) -> float:
        return round(self.counts[a] / self.counts[b], 3) if self.counts[b] else 0.0

    def metrics(self) -> dict[str, Any]:
        p, r = self.ratio("anchored", "system"), self.ratio("anchored", "gold")
        return {"stories": self.counts["stories"], "gold_events": self.counts["gold"],
                "system_events": self.counts["system"], "missing_output": self.counts["missing"],
                "precision": p, "recall": r, "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
                "strict_recall": self.ratio("strict", "gold"), "loose_recall": self.ratio("loose", "gold"),
                "date_acc": self.ratio("date_ok", "date_gold"), "place_acc": self.ratio("place_ok", "place_gold"),
                "quotes_found": self.ratio("quote_found", "quote_gold"),
                "quote_speaker_acc": self.ratio("speaker_ok", "quote_found")}


def read_jsonl(path: str, what: str) -> list[dict[str, Any]]:
    out = []
    for n, record in numbered_records(path, what):
        if not isinstance(record, dict) or "story_id" not in record:
            raise GestaeError(f"{path}:{n}: not a story-level gold record (no story_id)")
        out.append(record)
    return out


def is_story_gold(path: str) -> bool:
    """Whether a gold file is story-level (records with story_id and evidence)."""
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    record = json.loads(line)
                    return isinstance(record, dict) and "story_id" in record
    except (OSError, ValueError, UnicodeDecodeError):
        return False
    return False


def normalise(text: Optional[str]) -> str:
    text = (text or "").replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split())


def from_the_words(sentence: str, evidence: str) -> bool:
    s, e = normalise(sentence), normalise(evidence)
    return bool(s and e) and (s[:PREFIX] in e or e[:PREFIX] in s)


def _day(value: Optional[str]) -> Optional[date]:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def period_end(event: Event) -> Optional[date]:
    """The last day an event's date can stand for (a month-precision date ends on the month's last day)."""
    day = _day(event.date)
    if day is None:
        return None
    if event.date_precision == "week":
        return day + timedelta(days=6)
    if event.date_precision == "month":
        return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    if event.date_precision == "year":
        return day.replace(month=12, day=31)
    return day


def asserted(event: Event, published: Optional[date]) -> bool:
    """An event gestae asserts in the story's own time frame."""
    end = period_end(event)
    return not event.hypothetical and not (end and published and end < published - timedelta(days=WINDOW_DAYS))


def _name_words(text: Optional[str]) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9'.-]+", (text or "").lower()) if w not in NAME_STOPWORDS}


def _countries(article: Article, ids: Iterable[str]) -> set[str]:
    return {a.country for i in ids if (a := article.actor(i)) is not None}


def _gold_country(role: Any) -> str:
    return (role or {}).get("country", "") if isinstance(role, dict) else ""


def score_story(rep: StoryReport, story_id: str, article: Optional[Article], gold: list[dict],
                quotes: list[dict], errors: int) -> None:
    """Match one story's events and quotations with its gold records (see module doc)."""
    rep.counts["stories"] += 1
    if article is None:
        rep.counts["missing"] += 1
        article = Article(id="", source=None, text="")  # type: ignore[arg-type]
    published = _day(article.published)
    events = [e for e in article.events if asserted(e, published)]
    rep.counts["system"] += len(events)
    for e in events:
        rep.by_type[e.type]["system"] += 1
    used: set[int] = set()
    used_loose: set[int] = set()
    for g in gold:
        rep.counts["gold"] += 1
        rep.by_type[g["type"]]["gold"] += 1
        source, target = _gold_country(g.get("source")), _gold_country(g.get("target"))

        def fits(e: Event) -> bool:
            parties = _countries(article, e.actors) | _countries(article, e.recipients)
            return e.type == g["type"] and (not source or source in parties) and (not target or target in parties)

        loose = next((k for k, e in enumerate(events) if k not in used_loose and fits(e)), None)
        if loose is not None:
            used_loose.add(loose)
            rep.counts["loose"] += 1
        best = next((k for k, e in enumerate(events) if k not in used and fits(e)
                     and from_the_words(e.sentence, g.get("evidence", ""))), None)
        if best is None:
            if len(rep.misses) < errors:
                rep.misses.append(f"MISS {story_id} {g['type']} {source or '-'}->{target or '-'} "
                                  f"{normalise(g.get('evidence'))[:110]}")
            continue
        used.add(best)
        e = events[best]
        rep.counts["anchored"] += 1
        rep.by_type[g["type"]]["hit"] += 1
        sources = _countries(article, e.actors) | (_countries(article, e.recipients) if e.reciprocal else set())
        targets = _countries(article, e.recipients) | (sources if e.reciprocal else set())
        rep.counts["strict"] += (not source or source in sources) and (not target or target in targets)
        _score_date(rep, e, g.get("date") or "")
        _score_place(rep, e, g.get("location"))
    for k, e in enumerate(events):
        rep.labelled.append((article, e, k in used))
        if k not in used and len(rep.extras) < errors:
            rep.extras.append(f"EXTRA {story_id} {e.type} {sorted(_countries(article, e.actors))} "
                              f"{sorted(_countries(article, e.recipients))} {normalise(e.sentence)[:100]}")
    _score_quotes(rep, article, quotes)


def _score_date(rep: StoryReport, e: Event, gold_date: str) -> None:
    if not gold_date:
        return
    rep.counts["date_gold"] += 1
    got = e.date or ""
    # a day-precision gold date needs the day; a month needs the month, not a day inside it
    rep.counts["date_ok"] += got[:len(gold_date)] == gold_date and (
        len(gold_date) == 10 or e.date_precision != "day" or len(got) == len(gold_date))


def _score_place(rep: StoryReport, e: Event, gold_place: Optional[dict]) -> None:
    if not gold_place:
        return
    rep.counts["place_gold"] += 1
    got = e.location
    rep.counts["place_ok"] += got is not None and got.country == gold_place.get("country", "")


def _score_quotes(rep: StoryReport, article: Article, quotes: list[dict]) -> None:
    for q in quotes:
        rep.counts["quote_gold"] += 1
        start = " ".join(re.findall(r"\w+", q.get("quote_start", "").lower())[:5])
        hit = next((s for s in article.quotes
                    if start and start in " ".join(re.findall(r"\w+", s.text.lower()))), None)
        if hit is None:
            continue
        rep.counts["quote_found"] += 1
        speaker = article.actor(hit.speaker)
        if speaker is None:
            continue
        if _name_words(speaker.name) & _name_words(q.get("speaker")) or (
                q.get("speaker_country") and speaker.kind == "anonymous"
                and speaker.country == q.get("speaker_country")):
            rep.counts["speaker_ok"] += 1


def run(stories_path: str) -> dict[str, Optional[Article]]:
    """The pipeline's articles for a story file, by the records' own ids."""
    from gestae.ingest import read_paths
    from gestae.model import IngestError
    from gestae.pipeline import process
    out: dict[str, Optional[Article]] = {}
    for item in process(read_paths([stories_path], "jsonl")):
        if not isinstance(item, IngestError):
            out[item.source.id or ""] = item
    return out


def evaluate(events_path: str, stories_path: str, quotes_path: Optional[str] = None,
             errors: int = 0) -> StoryReport:
    gold = read_jsonl(events_path, "gold events")
    quotes = read_jsonl(quotes_path, "gold quotes") if quotes_path else []
    if not gold:
        raise GestaeError(f"{events_path}: no gold records")
    articles = run(stories_path)
    rep = StoryReport()
    ids = sorted({str(g["story_id"]) for g in gold})
    for sid in ids:
        score_story(rep, sid, articles.get(sid), [g for g in gold if str(g["story_id"]) == sid],
                    [q for q in quotes if str(q["story_id"]) == sid], errors)
    return rep


def print_story_report(rep: StoryReport, as_json: bool = False) -> None:
    metrics = rep.metrics()
    if as_json:
        print(json.dumps(metrics))
        return
    for key, value in metrics.items():
        print(key, value)
    print("per type (gold, hits, system):", ", ".join(
        f"{t} {c['gold']}/{c['hit']}/{c['system']}" for t, c in sorted(rep.by_type.items())))
    for line in rep.misses + rep.extras:
        print(line)
