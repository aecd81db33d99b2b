"""The one data model every stage reads and extends.

An input record (`RawRecord`) is turned by `clean` into an `Article`; `nlp` attaches a spaCy `Doc`;
later stages append `Actor`s, `Event`s, `Quote`s, `Place`s and issues. `Article.to_dict()` gives the
public article JSON (see README, "Output format"). All offsets are `[start, end)` into `Article.text`.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Optional

Span = tuple[int, int]

FORMATS = ("text", "html", "jsonl", "rss", "warc")


@dataclass(slots=True)
class Source:
    """Where an article came from: the input path, its format, and its own id/url if it had them."""
    path: str
    format: str
    id: Optional[str] = None
    url: Optional[str] = None
    line: Optional[int] = None  # 1-based line number in a JSONL file

    def to_dict(self) -> dict[str, Any]:
        d = {"path": self.path, "format": self.format, "id": self.id, "url": self.url}
        return d

    def where(self) -> str:
        """'file.jsonl:12' style location for error messages."""
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(slots=True)
class RawRecord:
    """One article as a reader found it, before cleaning. `content` is plain text or HTML (`is_html`).

    Metadata fields are whatever the container supplied (a JSONL record's "title", an HTML page's
    meta tags); cleaning fills the rest from the text itself.
    """
    source: Source
    content: str
    is_html: bool = False
    title: Optional[str] = None
    published: Optional[str] = None
    outlet: Optional[str] = None
    authors: list[str] = field(default_factory=list)
    language: Optional[str] = None
    warnings: list[str] = field(default_factory=list)  # problems the reader worked around (kept on the Article)


@dataclass(slots=True)
class IngestError:
    """A record (or file) that could not be processed; reported, stored, and skipped."""
    source: Source
    message: str

    def line(self) -> str:
        return f"{self.source.where()}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source.to_dict(), "error": self.message}


@dataclass(slots=True)
class Caption:
    text: str
    credit: str = ""


@dataclass(slots=True)
class Removed:
    """Text cleaning dropped, and why (boilerplate, duplicate, clipper, byline, dateline, ...)."""
    text: str
    reason: str


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    paragraph: int = 0


@dataclass(slots=True)
class Actor:
    """A party: a person, a state, an organization, a group, or an anonymous source.

    `kind` is person | state | organization | group | anonymous. `country` is ISO 3166-1 alpha-3,
    "IGO" or "". `mentions` are every place in the text that refers to it.
    """
    id: str
    name: str
    country: str = ""
    sector: str = ""
    role: str = ""
    kind: str = "state"
    mentions: list[Span] = field(default_factory=list)
    # Knowledge-base key (e.g. "person:fumio-kishida") used to merge mentions; not exported.
    key: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "country": self.country, "sector": self.sector,
                "role": self.role, "kind": self.kind, "mentions": [list(m) for m in self.mentions]}


@dataclass(slots=True)
class Location:
    name: str
    country: str = ""
    lat: Optional[float] = None
    lon: Optional[float] = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Place:
    """A resolved place name and everywhere the article mentions it."""
    name: str
    country: str = ""
    lat: Optional[float] = None
    lon: Optional[float] = None
    mentions: list[Span] = field(default_factory=list)
    kind: str = ""  # city | country | region | venue
    # Mentions inside photo captions: (caption index, start, end) into `Article.captions[i].text`.
    caption_mentions: list[tuple[int, int, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "country": self.country, "lat": self.lat, "lon": self.lon,
                "mentions": [list(m) for m in self.mentions],
                "caption_mentions": [list(m) for m in self.caption_mentions]}

    def location(self) -> Location:
        return Location(self.name, self.country, self.lat, self.lon)


@dataclass(slots=True)
class Event:
    """One coded PLOVER event, with the words that support it (`trigger`, `span`, `sentence`)."""
    id: str
    type: str
    mode: str = ""
    context: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    reciprocal: bool = False
    date: Optional[str] = None
    date_precision: str = ""
    date_text: str = ""
    location: Optional[Location] = None
    negated: bool = False
    hypothetical: bool = False
    cameo: str = ""
    quad_class: str = ""
    score: Optional[float] = None
    trigger: str = ""
    sentence: str = ""
    span: Span = (0, 0)
    confidence: float = 0.0
    reported_by: Optional[str] = None
    # Offsets of the trigger word, used by later stages (dates, places); exported as "trigger_span".
    trigger_span: Span = (0, 0)
    # A future time the event refers to ("will meet on Friday"): {"date", "date_precision",
    # "date_text"} of what is planned. The event itself (the promise, the agreement, the threat) is
    # dated by its report, so no event is ever dated after publication.
    planned: Optional[dict[str, str]] = None
    # The role rules that shaped this event (gestae/events/rules.py), in the order they fired.
    coder: list[str] = field(default_factory=list)
    # Not exported: what the events stage saw of the clause (aspect, place in the story, quotation),
    # read by the confidence stage.
    cues: list[str] = field(default_factory=list)

    EXPORTED = ("id", "type", "mode", "context", "actors", "recipients", "reciprocal", "date", "date_precision",
                "date_text", "location", "negated", "hypothetical", "cameo", "quad_class", "score", "trigger",
                "sentence", "span", "confidence", "reported_by", "trigger_span", "planned", "coder")

    def to_dict(self) -> dict[str, Any]:
        d = {f: getattr(self, f) for f in self.EXPORTED}
        d["location"] = self.location.to_dict() if self.location else None
        d["span"] = list(self.span)
        d["trigger_span"] = list(self.trigger_span)
        return d


@dataclass(slots=True)
class Quote:
    text: str
    speaker: Optional[str]
    span: Span
    direct: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "speaker": self.speaker, "span": list(self.span), "direct": self.direct}


@dataclass(slots=True)
class TokenIndex:
    """What the tokens of `Article.doc` name, built by the actors stage for the stages after it (read
    through `gestae.actors.actor_of_token`, `head_actors` and `country_of_token`). Not exported."""
    actor: dict[int, Actor] = field(default_factory=dict)          # token -> the actor whose mention covers it
    actors: dict[int, list[Actor]] = field(default_factory=dict)   # token -> all of them ("Hungarian and Romanian officials")
    # token -> (ISO3, first token, end token, is demonym) of every country name, capital or demonym, actor
    # or not: later stages read parties off non-actor nouns ("rejected a U.S. offer") and places ("shelled Rafah")
    country: dict[int, tuple[str, int, int, bool]] = field(default_factory=dict)


@dataclass(slots=True)
class Derived:
    """Indexes a stage builds from the parse once per article for the stages after it (not exported;
    dropped with the Doc). Each is filled on first use by the function that owns it."""
    quote_regions: Optional[list] = None       # gestae.speech.quote_regions: list[QuoteRegion]
    speech_table: Any = None                   # gestae.speech.speech_table: who speaks through which verb
    direct_quotes: Optional[list] = None       # gestae.quotes.direct_quotes: list[Quote]
    occasions: Optional[list] = None           # gestae.when.occasions.article_occasions: list[Occasion]
    sentence_country: dict[int, str] = field(default_factory=dict)  # events.roles.sentence_country, by sentence start


@dataclass(slots=True)
class Article:
    """A cleaned article and everything gestae found in it."""
    id: str
    source: Source
    text: str
    outlet: str = ""
    title: str = ""
    authors: list[str] = field(default_factory=list)
    published: Optional[str] = None  # ISO 8601 with offset when known
    language: str = "en"
    captions: list[Caption] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    paragraphs: list[Span] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    # Coded events that are no records (no explicit actor): exported only on request (--debug).
    candidates: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    # Not exported: facts later stages need.
    timezone: str = ""        # IANA zone of the outlet, e.g. "Asia/Seoul"
    home_country: str = ""    # ISO3 of the outlet's home country
    # Stages that failed on this article (a bug must cost one stage's output, not the article).
    warnings: list[str] = field(default_factory=list)
    doc: Any = None           # spaCy Doc over `text`, set by gestae.nlp
    tokens: TokenIndex = field(default_factory=TokenIndex)   # what `doc`'s tokens name (actors stage)
    derived: Derived = field(default_factory=Derived)        # other stage-to-stage indexes over `doc`
    # spaCy Docs over each caption's text (same order as `captions`): captions are not coded as
    # events, but say where and when a photographed occasion happened.
    caption_docs: list[Any] = field(default_factory=list)

    def to_dict(self, debug: bool = False) -> dict[str, Any]:
        """The article JSON; with `debug`, also the event candidates that are no records."""
        return {
            "id": self.id,
            "source": self.source.to_dict(),
            "outlet": self.outlet,
            "title": self.title,
            "authors": list(self.authors),
            "published": self.published,
            "language": self.language,
            "text": self.text,
            "captions": [asdict(c) for c in self.captions],
            "removed": [asdict(r) for r in self.removed],
            "actors": [a.to_dict() for a in self.actors],
            "events": [e.to_dict() for e in self.events],
            "quotes": [q.to_dict() for q in self.quotes],
            "issues": list(self.issues),
            "places": [p.to_dict() for p in self.places],
            **({"warnings": list(self.warnings)} if self.warnings else {}),
            **({"candidates": [e.to_dict() for e in self.candidates]} if debug else {}),
        }

    def actor(self, actor_id: Optional[str]) -> Optional[Actor]:
        for a in self.actors:
            if a.id == actor_id:
                return a
        return None
