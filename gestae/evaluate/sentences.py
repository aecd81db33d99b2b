"""`gestae evaluate GOLD.jsonl`: score the pipeline against PLOVER-style gold sentences.

A gold record is one sentence with one coded event: {"id", "text", "date", "event", "source": [{"code"}],
"target": [{"code"}]} (the PLOVER GSR shape). Old type names and country codes are mapped to current
ones (DEMAND -> REQUEST, JAP -> JPN, ...). Each sentence goes through the whole pipeline with the
record's date as publication date; we then report, per type and overall, precision, recall and F1 for
the event type, the actor countries and the recipient countries, plus a type confusion table.

Counting: a gold record is a type hit when some extracted event has its type. Type precision counts
every extracted event: it is correct when its type is the sentence's gold type (one per sentence).
Actor (recipient) country scores are over type hits: precision = matched / countries we gave,
recall = matched / gold countries (reciprocal events count their recipients as actors, like PLOVER).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from gestae.model import Article, IngestError, RawRecord, Source

OLD_TYPES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
OLD_CODES = {"JAP": "JPN", "VTN": "VNM", "ITL": "ITA"}
NON_STATE = {"IMG", "ISM", "NGO"}  # gold categories with no country to compare
NONE = "(none)"


@dataclass
class Gold:
    id: str
    text: str
    date: str
    type: str
    sources: set[str]
    targets: set[str]


@dataclass
class Tally:
    """Counts for one precision/recall/F1 triple."""
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp, self.fp, self.fn = self.tp + tp, self.fp + fp, self.fn + fn

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class Report:
    sentences: int = 0
    missing: int = 0
    extra: int = 0
    type_: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    actor: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    recipient: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    confusion: Counter = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)


def _countries(actors: Any) -> set[str]:
    if isinstance(actors, dict):
        actors = [actors]
    codes = set()
    for a in actors if isinstance(actors, list) else []:
        if isinstance(a, dict) and a.get("code") and a["code"] not in NON_STATE:
            codes.add(OLD_CODES.get(a["code"], a["code"]))
    return codes


def read_gold(path: str) -> list[Gold]:
    """Gold records from a JSONL file (bad lines are an error naming the line)."""
    from gestae.errors import GestaeError
    from gestae.evaluate.jsonl import numbered_records
    out = []
    for n, rec in numbered_records(path, "gold file"):
        try:
            out.append(Gold(str(rec["id"]), str(rec["text"]).strip("{} "), str(rec.get("date") or "2000-01-01"),
                            OLD_TYPES.get(rec["event"], rec["event"]), _countries(rec.get("source")),
                            _countries(rec.get("target"))))
        except (KeyError, TypeError) as exc:
            raise GestaeError(f"{path}:{n}: not a gold record ({exc.__class__.__name__}: {exc})") from None
    return out


def _records(gold: list[Gold], path: str) -> Iterable[RawRecord]:
    for n, g in enumerate(gold, 1):
        yield RawRecord(Source(path, "jsonl", id=g.id, line=n), g.text, published=g.date)


def _event_countries(article: Article, ids: list[str]) -> set[str]:
    return {a.country for i in ids if (a := article.actor(i)) is not None and a.country}


def score(gold: list[Gold], articles: dict[str, Optional[Article]], errors: int = 0) -> Report:
    """Compare extracted events with the gold records."""
    rep = Report()
    for g in gold:
        rep.sentences += 1
        art = articles.get(g.id)
        events = art.events if art is not None else []
        rep.missing += art is None
        hits = [e for e in events if e.type == g.type]
        for e in events:
            if e.type != g.type:
                rep.type_[e.type].fp += 1
                rep.extra += 1
        rep.type_[g.type].add(1 if hits else 0, 0, 0 if hits else 1)
        top = max(events, key=lambda e: e.confidence, default=None)
        rep.confusion[(g.type, top.type if top else NONE)] += 1
        if hits and art is not None:
            best = max(hits, key=lambda e: len(_event_countries(art, e.actors) & g.sources) +
                       len(_event_countries(art, e.recipients) & g.targets))
            acts = _event_countries(art, best.actors)
            recs = _event_countries(art, best.recipients)
            if best.reciprocal:
                acts = acts | recs
                recs = recs | acts
            for tally, got, want in ((rep.actor, acts, g.sources), (rep.recipient, recs, g.targets)):
                if want or got:
                    tally[g.type].add(len(got & want), len(got - want), len(want - got))
        ok = hits and art is not None
        if errors and len(rep.misses) < errors and not ok:
            got = [(e.type, sorted(_event_countries(art, e.actors)), sorted(_event_countries(art, e.recipients)))
                   for e in events] if art is not None else []
            rep.misses.append(f"{g.id} {g.type} {sorted(g.sources)}->{sorted(g.targets)} | {g.text[:140]} | {got}")
    return rep


def _total(tallies: dict[str, Tally]) -> Tally:
    t = Tally()
    for x in tallies.values():
        t.add(x.tp, x.fp, x.fn)
    return t


def _short(name: str) -> str:
    return "none" if name == NONE else name[:4]


def print_report(rep: Report) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=max(Console().width, 140))  # the tables need ~140 columns, even in a pipe
    types = sorted(set(rep.type_) | set(rep.actor) | set(rep.recipient))
    table = Table(title=f"gestae evaluate: {rep.sentences} sentences, {rep.missing} without output, "
                        f"{rep.extra / max(rep.sentences, 1):.2f} other-type events per sentence")
    table.add_column("type", no_wrap=True, min_width=9)
    for group in ("type", "actor", "recipient"):
        for m in ("P", "R", "F1"):
            table.add_column(f"{group} {m}", justify="right", no_wrap=True)

    def cells(t: Tally) -> list[str]:
        return [f"{v:.2f}" for v in t.prf()]

    for name in types:
        table.add_row(name, *cells(rep.type_[name]), *cells(rep.actor[name]), *cells(rep.recipient[name]))
    table.add_row("ALL", *cells(_total(rep.type_)), *cells(_total(rep.actor)), *cells(_total(rep.recipient)),
                  style="bold")
    console.print(table)

    golds = sorted({g for g, _ in rep.confusion})
    preds = sorted({p for _, p in rep.confusion})
    conf = Table(title="type confusion: rows gold type, columns the most confident extracted event "
                       "(first 4 letters; none = no event)")
    conf.add_column("gold", no_wrap=True, min_width=9)
    for p in preds:
        conf.add_column(_short(p), justify="right", no_wrap=True, min_width=4)
    for g in golds:
        conf.add_row(g, *[str(rep.confusion.get((g, p), "")) for p in preds])
    console.print(conf)
    for line in rep.misses:
        console.print("MISS " + line, markup=False, highlight=False, soft_wrap=True)


def run(gold: list[Gold], path: str) -> dict[str, Optional[Article]]:
    from gestae.pipeline import process
    out: dict[str, Optional[Article]] = {}
    for item in process(_records(gold, path)):
        if isinstance(item, IngestError):
            out[item.source.id or ""] = None
        else:
            out[item.source.id or ""] = item
    return out


def main(gold_path: str, errors: int = 0) -> int:
    """Run the pipeline on a gold file and print the scores; exit status 0, or 1 when nothing was read."""
    import sys
    from gestae.errors import GestaeError
    try:
        gold = read_gold(gold_path)
    except GestaeError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if not gold:
        print(f"{gold_path}: no gold records", file=sys.stderr)
        return 1
    rep = score(gold, run(gold, gold_path), errors)
    print_report(rep)
    return 0
