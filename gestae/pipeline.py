"""The pipeline: records in, articles out, through a registry of named stages.

    read (gestae.ingest) -> clean (gestae.clean) -> parse (gestae.nlp) -> STAGES -> store / print

STAGES: actors -> speakers -> events -> issues -> when -> where -> quotes -> confidence.

Each stage is a function `annotate(article) -> None` that reads what earlier stages left on the
Article and adds its own part. Order matters: events need actors; dates, places and quotes need events.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice
from time import perf_counter
from typing import Callable, Iterable, Iterator, Optional, Union

from gestae import actors, confidence, events, issues, nlp, quotes, speech, when, where
from gestae.clean import clean
from gestae.errors import GestaeError, first_line
from gestae.language import is_coded
from gestae.model import Article, Derived, IngestError, RawRecord, Source, TokenIndex

Stage = Callable[[Article], None]

STAGES: dict[str, Stage] = {
    "actors": actors.annotate,
    "speakers": speech.annotate,
    "events": events.annotate,
    "issues": issues.annotate,
    "when": when.annotate,
    "where": where.annotate,
    "quotes": quotes.annotate,
    "confidence": confidence.annotate,
}



@dataclass(slots=True)
class AlreadyStored:
    """A record whose cleaned text is already in the database: not parsed again. Its reader's
    warnings (about the record, not the article) are still reported."""
    source: Source
    article_id: str
    warnings: list[str] = field(default_factory=list)


Item = Union[Article, IngestError, AlreadyStored]


def _clean_one(item: Union[RawRecord, IngestError]) -> Item:
    if isinstance(item, IngestError):
        return item
    try:
        article = clean(item)
        article.warnings[:0] = item.warnings
        return article
    except GestaeError as exc:
        return IngestError(item.source, str(exc))
    except Exception as exc:  # a bug must cost one article, not the batch
        return IngestError(item.source, f"cleaning failed: {exc.__class__.__name__}: {exc}")


def _run_stages(article: Article, stages: list[tuple[str, Stage]],
                timings: Optional[dict[str, float]] = None) -> Article:
    for name, stage in stages:
        started = perf_counter()
        try:
            stage(article)
        except Exception as exc:  # the article keeps what the other stages found; the failure is reported
            article.warnings.append(f"stage '{name}' failed: {exc.__class__.__name__}: {exc}")
        if timings is not None:
            timings[name] = timings.get(name, 0.0) + perf_counter() - started
    return article


def _parse(articles: list[Article], batch_size: int,
           timings: Optional[dict[str, float]] = None) -> dict[int, IngestError]:
    """Parse a batch; should spaCy fail on it, parse its articles one by one, so that a text spaCy
    cannot take costs that article only. Returns the errors of the articles left unparsed, by id()."""
    spacy_timings = None if timings is None else {}
    try:
        for _ in nlp.annotate(articles, batch_size=batch_size, timings=spacy_timings):
            pass
        if timings is not None:
            for name, seconds in spacy_timings.items():
                key = f"spacy.{name}"
                timings[key] = timings.get(key, 0.0) + seconds
        return {}
    except GestaeError:
        raise  # no model: the run's problem, not an article's
    except Exception:
        pass
    failed = {}
    for article in articles:
        try:
            for _ in nlp.annotate([article], batch_size=1):
                pass
        except GestaeError:
            raise
        except Exception as exc:
            failed[id(article)] = IngestError(article.source, f"cannot parse text ({exc.__class__.__name__}: "
                                                              f"{first_line(exc)})")
    return failed


def process(items: Iterable[Union[RawRecord, IngestError]], *, batch_size: int = 16,
            stages: Optional[list[str]] = None, keep_doc: bool = False,
            already_stored: Optional[Callable[[list[str]], set[str]]] = None,
            timings: Optional[dict[str, float]] = None) -> Iterator[Item]:
    """Clean, parse and annotate records in batches; yields articles and errors in input order.

    `already_stored(ids)` returns the ids a database holds already: those articles are not parsed
    again (a rerun over the same corpus is cheap), and come out as `AlreadyStored`. `timings`, if
    given, adds up the seconds spent in cleaning, in each spaCy component and in each stage.
    """
    chosen = [(name, STAGES[name]) for name in (stages if stages is not None else STAGES)]
    iterator = iter(items)
    while chunk := list(islice(iterator, batch_size)):
        started = perf_counter()
        cleaned: list[Item] = [_clean_one(item) for item in chunk]
        if timings is not None:
            timings["clean"] = timings.get("clean", 0.0) + perf_counter() - started
        if already_stored is not None:
            known = already_stored([item.id for item in cleaned if isinstance(item, Article)])
            cleaned = [AlreadyStored(item.source, item.id, item.warnings)
                       if isinstance(item, Article) and item.id in known else item for item in cleaned]
        # English rules are not run over other languages: such an article keeps its text and
        # metadata and carries a warning from cleaning.
        unparsed = _parse([item for item in cleaned if isinstance(item, Article) and is_coded(item.language)],
                          batch_size, timings)
        for item in cleaned:
            if isinstance(item, Article) and id(item) in unparsed:
                item = unparsed[id(item)]
            elif isinstance(item, Article) and is_coded(item.language):
                item = _run_stages(item, chosen, timings)
                if not keep_doc:
                    item.doc, item.caption_docs, item.tokens, item.derived = None, [], TokenIndex(), Derived()
            yield item


def keep_confident(article: Article, threshold: float) -> Article:
    """Events below `threshold` confidence become candidates (kept for --debug, not records)."""
    if threshold > 0:
        low = [e for e in article.events if e.confidence < threshold]
        if low:
            article.events = [e for e in article.events if e.confidence >= threshold]
            for e in low:
                e.coder.append(f"dropped: confidence below {threshold}")
            article.candidates.extend(low)
    return article


def process_text(text: str, *, published: Optional[str] = None, title: Optional[str] = None,
                 outlet: Optional[str] = None, keep_doc: bool = False) -> Article:
    """Run the whole pipeline on one text (for tests, notebooks and the web API)."""
    record = RawRecord(Source(path="<text>", format="text"), text, published=published, title=title,
                       outlet=outlet)
    result = next(process([record], keep_doc=keep_doc))
    if isinstance(result, IngestError):
        raise GestaeError(result.line())
    return result
