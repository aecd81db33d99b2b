"""Stage 'where': the places an article names and the location of every event.

Places. Candidates are spaCy GPE/LOC/FAC entities (venues also from ORG entities) plus runs of proper
nouns the gazetteer knows (countries, regions, big cities) that spaCy left unlabelled. A candidate
counts as a *place mention* only where it is used as a place: not as an agent ("Seoul said",
"Japan's ministry"), not as a modifier ("the Peru-Norway summit", "the Paris agreement"), not where
the actors stage made it a party — unless it sits in a locative phrase ("in Lima"). Names are
resolved by the gazetteer prior (countries > regions > cities by population, capitals first),
then by the article's context: countries the other unambiguous mentions name, and a qualifier
right after a comma ("Paris, Texas"; "Georgia" near "Tbilisi" vs "Atlanta").

Event location, first that applies:
1. a place in the event's own clause ("met in Lima", "shelled Kharkiv");
2. the place of a named occasion the clause refers to ("at the summit"), placed elsewhere in the
   text or in a photo caption ("the summit held at a hotel in Lima, Peru");
3. a place in a locative phrase of the event's sentence;
4. the dateline ("LIMA, Nov 16 (Reuters) -"), in the text or as removed by the cleaner;
5. a locative place in the first sentence;
6. the place where the photo captions set the story;
7. any other place the event's sentence names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Optional

from gestae.model import Article, Place
from gestae.nlp import doc_text
from gestae.when.occasions import (TEXT, Occasion, article_occasions, describing_verb, is_locus_of,
                                   is_occasion_noun, occasions_near, referent)
from gestae.when.syntax import attaches_to, entities, in_main_line, nominal_owner, token_at
from gestae.where import gazetteer
from gestae.where.gazetteer import SCAN_MIN_POPULATION, Candidate, Entry, fold

PLACE_LABELS = {"GPE", "LOC", "FAC"}
_MISLABELLED = {"ORG", "PERSON"}
# Prepositions that make their object a place something happens in, at, from or towards.
LOCATIVE_PREPS = {"in", "at", "near", "outside", "inside", "across", "throughout", "around", "from",
                  "to", "into", "within", "off", "along", "toward", "towards", "via", "through", "onto"}
# Directional prepositions are locative only on a verb ("flew to Lima"), not on a noun ("envoy to
# Lima", "officials from Lima" name who, not where).
_DIRECTIONAL_PREPS = {"from", "to", "into", "toward", "towards", "via", "through", "onto"}
# Nouns a place name can modify and still be a place ("Kherson region", "Gaza border").
# Also the head of a possessive that is still a place ("Syria's coastal region", "Iraq's north").
PLACE_NOUNS = {"city", "province", "region", "state", "county", "district", "area", "town", "village",
               "oblast", "governorate", "prefecture", "capital", "port", "island", "islands", "border",
               "coast", "coastline", "outskirts", "suburb", "suburbs", "municipality", "territory",
               "peninsula", "valley", "desert", "countryside", "mountains", "north", "south", "east",
               "west", "northeast", "northwest", "southeast", "southwest", "heartland", "airspace",
               "waters", "interior", "frontier", "borderlands"}
_AGENT_DEPS = {"nsubj", "poss", "agent", "csubj"}
_MODIFIER_DEPS = {"compound", "amod", "nmod", "npadvmod"}
_DIRECT_OBJECT_DEPS = {"dobj", "nsubjpass", "attr", "oprd"}
_MAX_SCAN = 4
_CONTEXT_BONUS = 3.0
_QUALIFIER_BONUS = 6.0
DATELINE = re.compile(r"^\s*([A-Z][A-Z.'\- ]{1,40}?)(?:,\s*([A-Z][A-Za-z.\- ]{1,30}?))?"
                      r"(?:,?\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*(?:\([A-Za-z .&]+\))?\s*(?:--|[-\u2013\u2014])\s")


@dataclass(slots=True)
class Mention:
    source: int            # TEXT or caption index
    start: int             # char offsets in the text (or caption text)
    end: int
    surface: str
    root: Any              # head token
    role: str              # locative | argument | oblique | agent | modifier
    candidates: list[Candidate]
    covered: bool = False  # overlaps an actor mention
    entry: Optional[Entry] = None
    place: Optional[Place] = None

    @property
    def is_place(self) -> bool:
        if self.entry is None or self.role in ("agent", "modifier"):
            return False
        if self.role == "locative":
            return True
        return not self.covered and self.entry.kind not in ("country", "continent", "venue")


def annotate(article: Article) -> None:
    """Fill `article.places` and `event.location` for every event."""
    doc = article.doc
    if doc is None:
        return
    mentions = find_mentions(doc, TEXT, _actor_spans(article))
    for index, caption_doc in enumerate(article.caption_docs or []):
        if caption_doc is not None:
            mentions.extend(find_mentions(caption_doc, index, set()))
    dateline = find_dateline(article)
    resolve_mentions(mentions, dateline)
    article.places = build_places(mentions, dateline)
    occasions = article_occasions(article)
    place_occasions(occasions, mentions)
    context = StoryPlaces(dateline.place if dateline else None, first_sentence_place(doc, mentions),
                          caption_place(mentions))
    for event in article.events:
        location = locate_event(token_at(doc, event.trigger_span), mentions, occasions, context)
        if location is not None:
            event.location = location.location()


# --- finding mentions -------------------------------------------------------------------------

def _actor_spans(article: Article) -> set[int]:
    covered: set[int] = set()
    for actor in article.actors:
        for start, end in actor.mentions:
            covered.update(range(start, end))
    return covered


def find_mentions(doc: Any, source: int, actor_chars: set[int]) -> list[Mention]:
    """Place-name candidates in one Doc: place entities, venues, and gazetteer names spaCy missed."""
    gaz = gazetteer.load()
    found: list[Mention] = []
    taken: set[int] = set()
    for ent in entities(doc):
        label = ent.label_
        if label not in PLACE_LABELS and label not in _MISLABELLED:
            continue
        surface = _trim(doc, ent.start, ent.end)
        if surface is None:
            continue
        text = surface.text
        key = fold(text)
        candidates: list[Candidate] = []
        venue = gaz.venues.get(key)
        if venue is not None:
            candidates = [Candidate(venue, True)]
        elif label in PLACE_LABELS:
            candidates = gaz.lookup_key(key)
            if not candidates and "," in text:
                found.extend(_split_listing(doc, surface, source, actor_chars))
                taken.update(range(ent.start, ent.end))
                continue
        else:
            # spaCy calls rarer place names ORG or PERSON; a locative phrase ("to Irbil") settles it.
            candidates = _unlabelled_candidates(gaz.lookup_key(key), surface)
            if candidates and place_role(surface.root, surface) != "locative":
                candidates = []
        if not candidates:
            continue
        taken.update(range(ent.start, ent.end))
        found.append(_mention(surface, source, candidates, actor_chars))
    found.extend(_scan_unlabelled(doc, source, taken, actor_chars))
    found.extend(_national_capitals(doc, source, actor_chars))
    found.sort(key=lambda m: m.start)
    return found


def _national_capitals(doc: Any, source: int, actor_chars: set[int]) -> list[Mention]:
    """ "the Turkish capital", "the Somali capital": a definite capital named by its country's
    adjective is that country's capital ("a European capital" names none)."""
    text = doc._.source_text or doc.text
    if "capital" not in text and "Capital" not in text:
        return []
    capitals = gazetteer.capitals_by_demonym()
    found = []
    for token in doc:
        if token.lower_ != "capital" or token.pos_ != "NOUN":
            continue
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in token.children):
            continue
        for mod in token.children:
            entry = capitals.get(fold(mod.text)) if mod.dep_ in ("amod", "compound") and mod.i < token.i else None
            if entry is not None:
                found.append(_mention(doc[mod.i:token.i + 1], source, [Candidate(entry, True)], actor_chars))
                break
    return found


def _trim(doc: Any, start: int, end: int) -> Optional[Any]:
    """The entity without a leading "the" and a trailing possessive "'s"."""
    if start < end and doc[start].lower_ == "the":
        start += 1
    if start < end and doc[end - 1].tag_ == "POS":
        end -= 1
    return doc[start:end] if start < end else None


def _split_listing(doc: Any, span: Any, source: int, actor_chars: set[int]) -> list[Mention]:
    """'Lima, Peru' tagged as one entity: look up each comma-separated part."""
    parts, current = [], []
    for t in span:
        if t.text == ",":
            parts.append(current)
            current = []
        else:
            current.append(t)
    parts.append(current)
    mentions = []
    for part in parts:
        if part:
            sub = doc[part[0].i:part[-1].i + 1]
            candidates = gazetteer.load().lookup(sub.text)
            if candidates:
                mentions.append(_mention(sub, source, candidates, actor_chars))
    return mentions


def _scan_unlabelled(doc: Any, source: int, taken: set[int], actor_chars: set[int]) -> list[Mention]:
    """Runs of proper nouns outside any entity that name a country, region or big city."""
    from spacy.attrs import ENT_IOB, IDX, LENGTH, POS
    from spacy.symbols import PROPN
    gaz = gazetteer.load()
    text = doc_text(doc)
    # Token attributes as one array; Token objects are only built for matches.
    rows = doc.to_array([POS, ENT_IOB, IDX, LENGTH]).tolist()
    free = [i for i, (pos, iob, _, _) in enumerate(rows) if pos == PROPN and iob in (0, 2) and i not in taken]
    found = []
    k = 0
    while k < len(free):
        i = free[k]
        match = None
        for size in range(min(_MAX_SCAN, len(free) - k), 0, -1):
            last = free[k + size - 1]
            if last - i != size - 1:
                continue  # not contiguous
            name = text[rows[i][2]:rows[last][2] + rows[last][3]]
            venue = gaz.venue(name)
            if venue:
                candidates = [Candidate(venue, True)]
            else:
                candidates = _unlabelled_candidates(gaz.lookup(name), doc[i:last + 1])
            if candidates and name.lower() not in gaz.demonyms:
                match = (doc[i:i + size], candidates)
                break
        if match is None:
            k += 1
            continue
        span, candidates = match
        found.append(_mention(span, source, candidates, actor_chars))
        k += len(span)
    return found


def _unlabelled_candidates(known: list[Candidate], span: Any) -> list[Candidate]:
    """The gazetteer entries a name that spaCy did not label a place may be: countries, regions and
    big cities, or any entry when the sentence itself calls the name a place."""
    candidates = [c for c in known if _scannable(c)]
    if not candidates and known and _named_as_place(span):
        return known
    return candidates


def _named_as_place(span: Any) -> bool:
    """A name the sentence itself calls a place: "the city of X", "the outskirts of X", "X province".
    A small town is then a place whatever its population (the scan's floor guards bare names)."""
    root = span.root
    head = root.head
    if root.dep_ == "pobj" and head.lower_ == "of" and head.head.i != head.i:
        return head.head.lower_ in PLACE_NOUNS
    return root.dep_ == "compound" and head.lower_ in PLACE_NOUNS


def _scannable(candidate: Candidate) -> bool:
    entry = candidate.entry
    if entry.kind in ("city", "capital"):
        return candidate.primary and entry.population >= SCAN_MIN_POPULATION
    return True


def _mention(span: Any, source: int, candidates: list[Candidate], actor_chars: set[int]) -> Mention:
    start, end = span.start_char, span.end_char
    covered = any(c in actor_chars for c in range(start, end))
    return Mention(source, start, end, span.text, span.root, place_role(span.root, span),
                   candidates, covered)


def place_role(root: Any, span: Any) -> str:
    """How a place name is used: locative | argument | oblique | agent | modifier."""
    token = root
    for _ in range(12):
        dep = token.dep_
        head = token.head
        if dep in ("appos", "conj") and head.i != token.i and not (span.start <= head.i < span.end):
            token = head  # "Lima, Peru" / "Lima and Cusco": the role of the first name
            continue
        if dep == "pobj":
            if head.lower_ in LOCATIVE_PREPS:
                # "a visit to Port Louis" is where the visit happens; "an envoy to Paris" is not
                if head.lower_ in _DIRECTIONAL_PREPS and head.head.pos_ not in ("VERB", "AUX") \
                        and not is_occasion_noun(head.head):
                    return "oblique"
                return "locative"
            if head.lower_ == "of" and head.head.i != head.i and head.head.lower_ in PLACE_NOUNS:
                token = head.head  # "the outskirts of Kyiv", "the port city of Jeddah": their role
                continue
            if head.lower_ == "of":
                return "argument"  # "the mayor of Paris"
            return "oblique"  # "talks with Kyiv", "sanctions against Moscow": a party, not a where
        if dep in _MODIFIER_DEPS and head.i != token.i:
            if head.lower_ in PLACE_NOUNS:
                token = head
                continue
            return "modifier"
        if dep == "poss" and head.lower_ in PLACE_NOUNS:
            token = head  # "in Iraq's Anbar desert": the role of "desert"
            continue
        if dep in _AGENT_DEPS:
            return "agent"
        return "argument"
    return "argument"


# --- resolving names --------------------------------------------------------------------------

@dataclass(slots=True)
class Dateline:
    start: int
    end: int
    entry: Entry
    in_text: bool
    place: Optional[Place] = None


def find_dateline(article: Article) -> Optional[Dateline]:
    """A leading 'CITY, Country, Nov 16 (Agency) -' in the text, or the one the cleaner removed."""
    sources = [(article.text[:120], True)]
    sources += [(r.text, False) for r in article.removed if r.reason == "dateline"]
    for text, in_text in sources:
        m = DATELINE.match(text if in_text else text + " - ")
        if not m:
            continue
        name = m[1].strip()
        candidates = gazetteer.load().lookup(name)
        if m[2]:
            qualifier = gazetteer.load().lookup(m[2].strip())
            wanted = {c.entry.country for c in qualifier}
            candidates = [c for c in candidates if c.entry.country in wanted] or candidates
        if candidates:
            best = max(candidates, key=lambda c: c.prior())
            return Dateline(m.start(1), m.start(1) + len(name), best.entry, in_text)
    return None


def resolve_mentions(mentions: list[Mention], dateline: Optional[Dateline]) -> None:
    """Pick each mention's entry: prior, plus the countries the rest of the story names."""
    context: dict[str, int] = {}
    if dateline is not None:
        context[dateline.entry.country] = context.get(dateline.entry.country, 0) + 1
    for m in mentions:
        countries = {c.entry.country for c in m.candidates}
        if len(countries) == 1:
            country = next(iter(countries))
            context[country] = context.get(country, 0) + 1
    for index, m in enumerate(mentions):
        qualifier = _qualifier(mentions, index)
        m.entry = max(m.candidates, key=lambda c: _score(c, context, countries_of(m), qualifier)).entry


def countries_of(mention: Mention) -> set[str]:
    return {c.entry.country for c in mention.candidates}


def _qualifier(mentions: list[Mention], index: int) -> Optional[Mention]:
    """The place named right after ', ' ("Paris, Texas"), which narrows this one down."""
    if index + 1 >= len(mentions):
        return None
    this, following = mentions[index], mentions[index + 1]
    if following.source != this.source:
        return None
    # Adjacent names separated by a lone comma: the token right after `this` is ',' and the next
    # token starts `following` (doc.text would rebuild the whole string).
    doc = this.root.doc
    last = doc.char_span(this.start, this.end, alignment_mode="expand")
    if last is None or last.end + 1 >= len(doc):
        return None
    comma, after = doc[last.end], doc[last.end + 1]
    return following if comma.text == "," and after.idx == following.start else None


def _score(candidate: Candidate, context: dict[str, int], own: set[str], qualifier: Optional[Mention]) -> float:
    entry = candidate.entry
    score = candidate.prior()
    # Support from elsewhere in the story; a mention's own ambiguity does not count for itself.
    support = context.get(entry.country, 0) - (1 if own == {entry.country} else 0)
    if support > 0:
        score += _CONTEXT_BONUS
    if qualifier is not None:
        for q in qualifier.candidates:
            e = q.entry
            if e.kind == "state" and e.country == entry.country and e.admin1 and e.admin1 == entry.admin1:
                score += _QUALIFIER_BONUS
                break
            if e.kind == "country" and e.country == entry.country:
                score += _QUALIFIER_BONUS
                break
    return score


def build_places(mentions: list[Mention], dateline: Optional[Dateline]) -> list[Place]:
    """One Place per resolved entry, with every text and caption mention of it, in order of first use."""
    places: dict[Entry, Place] = {}

    def place_for(entry: Entry) -> Place:
        if entry not in places:
            places[entry] = Place(entry.name, entry.country, entry.lat, entry.lon, kind=entry.kind)
        return places[entry]

    if dateline is not None:
        dateline.place = place_for(dateline.entry)
        if dateline.in_text:
            dateline.place.mentions.append((dateline.start, dateline.end))
    for m in mentions:
        if not m.is_place:
            continue
        if dateline is not None and dateline.in_text and m.source == TEXT and m.start < dateline.end:
            m.place = dateline.place
            continue
        m.place = place_for(m.entry)
        if m.source == TEXT:
            m.place.mentions.append((m.start, m.end))
        else:
            m.place.caption_mentions.append((m.source, m.start, m.end))
    # A dateline the cleaner removed still names the story's place, with no offsets left to show.
    dateline_place = dateline.place if dateline is not None else None
    return [p for p in places.values() if p.mentions or p.caption_mentions or p is dateline_place]


# --- event locations --------------------------------------------------------------------------

@dataclass(slots=True)
class StoryPlaces:
    dateline: Optional[Place]
    first_sentence: Optional[Place]
    captions: Optional[Place]


def _most_specific(mentions: list[Mention], near: Any = None) -> Optional[Place]:
    if not mentions:
        return None
    def key(m: Mention) -> tuple[int, int]:
        return (m.entry.specificity, abs(m.root.i - near.i) if near is not None else m.start)
    return min(mentions, key=key).place


def place_occasions(occasions: list[Occasion], mentions: list[Mention]) -> None:
    """An occasion takes the place attached to its own phrase ("the summit held ... in Lima")."""
    by_source: dict[int, dict[int, Occasion]] = {}
    for occasion in occasions:
        by_source.setdefault(occasion.source, {})[occasion.token.i] = occasion
    attached: dict[tuple[int, int], list[Mention]] = {}
    for m in mentions:
        if m.place is None or m.role != "locative":
            continue
        nouns = by_source.get(m.source, {})
        owner = nominal_owner(m.root, set(nouns)) if nouns else None
        if owner is not None:
            attached.setdefault((m.source, owner.i), []).append(m)
    for (source, i), found in attached.items():
        occasion = by_source[source][i]
        if occasion.place is None:
            occasion.place = _most_specific(found)
    _place_occasions_from_clause(occasions, mentions)


def _place_occasions_from_clause(occasions: list[Occasion], mentions: list[Mention]) -> None:
    """'met at the summit in Lima': an occasion where a placed clause happens shares its place."""
    for occasion in occasions:
        if occasion.place is not None:
            continue
        verb = describing_verb(occasion.token)
        if verb is None:
            continue
        found = [m for m in mentions if m.source == occasion.source and m.place is not None
                 and m.role == "locative" and attaches_to(m.root, verb)]
        if found:
            occasion.place = _most_specific(found, occasion.token)


def first_sentence_place(doc: Any, mentions: list[Mention]) -> Optional[Place]:
    first = next(iter(doc.sents), None)
    if first is None:
        return None
    inside = [m for m in mentions if m.source == TEXT and m.place is not None and m.role == "locative"
              and first.start_char <= m.start < first.end_char and in_main_line(m.root)]
    return _most_specific(inside)


def caption_place(mentions: list[Mention]) -> Optional[Place]:
    """Where the captions set the story: the most specific locative place of the first caption with one."""
    captions = sorted({m.source for m in mentions if m.source != TEXT})
    for index in captions:
        found = [m for m in mentions if m.source == index and m.place is not None and m.role == "locative"]
        if found:
            return _most_specific(found)
    return None


def locate_event(trigger: Any, mentions: list[Mention], occasions: list[Occasion],
                 story: StoryPlaces) -> Optional[Place]:
    if trigger is None:
        return story.dateline or story.first_sentence or story.captions
    sentence = trigger.sent
    in_sentence = [m for m in mentions if m.source == TEXT and m.place is not None
                   and sentence.start_char <= m.start < sentence.end_char]
    own = [m for m in in_sentence if _in_own_clause(m, trigger)]
    if own:
        return _most_specific(own, trigger)
    occasion = _occasion_place(trigger, occasions)
    if occasion is not None:
        return occasion
    locative = [m for m in in_sentence if m.role == "locative" and in_main_line(m.root)]
    if locative:
        return _most_specific(locative, trigger)
    fallback = story.dateline or story.first_sentence or story.captions
    if fallback is not None:
        return fallback
    return _most_specific([m for m in in_sentence if m.role != "oblique"], trigger)


def _in_own_clause(mention: Mention, trigger: Any) -> bool:
    """A locative phrase of the event's clause ("met officials in Kyiv"), or a place the event's verb
    acts on directly ("shelled Kharkiv"); not a name inside a participant ("the mayor of Paris")."""
    if mention.role == "locative":
        # Not through a complement clause: "called on X to stop the fighting in Y" was not said in Y.
        return attaches_to(mention.root, trigger, complements=False)
    return mention.root.head.i == trigger.i and mention.root.dep_ in _DIRECT_OBJECT_DEPS


def _occasion_place(trigger: Any, occasions: list[Occasion]) -> Optional[Place]:
    mentions = [o for o in occasions_near(trigger, occasions) if o.source == TEXT and is_locus_of(o, trigger)]
    for mention in sorted(mentions, key=lambda o: abs(o.token.i - trigger.i)):
        found = referent(mention, occasions, "place")
        if found is not None:
            return found.place
    return None
