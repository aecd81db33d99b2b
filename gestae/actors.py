"""Stage 'actors': who the parties of an article are.

Finds actor mentions in `article.doc` and resolves each to an `Actor` (model.py): a person, a state,
an organization, a group, or an anonymous source, with country (ISO3, "IGO" or ""), sector (CAMEO
agent code) and role. How:

1. Knowledge-base names (countries, demonyms, capitals, regions, peoples, IGOs, national institutions,
   persons and their surnames) are found with one spaCy PhraseMatcher built once per process; a KB
   match beats spaCy NER on the same words (NER cuts "Yoon Suk-yeol" short, or calls "Yoon" a place),
   and NER spans the grammar contradicts are repaired ("Moise Shortly", "Erdogan Ankara", a speaker
   taken for a work of art). Sector words ("prime minister", "troops", "official") come from
   sectors.tsv through a dict keyed by their last word. spaCy PERSON/ORG/NORP entities the KB does not
   know are kept too.
2. Each unit is attached to the noun it modifies (compound, amod, poss, "of"/"from" phrases,
   appositions, coordinations "U.S. and NATO troops"). Modifiers of an actor noun give it country, role
   and sector ("Japanese Prime Minister Fumio Kishida"); a country modifying a non-actor noun is no party
   ("the Korea-Japan summit", "Japanese cars"); a place that is the object of a locative preposition is
   a venue. Words before the head say whose a party is, words after it may name a portfolio ("the U.N.
   special envoy for Syria" is the U.N.'s).
3. The remaining phrases are resolved: KB persons by the office they held on the article date,
   titles ("the Korean president") to that date's office holder, surnames to a person already in
   the document, definite descriptions ("the official", "the insurgent group", "the ministry",
   "Washington's envoy") to the earlier actor they name.
4. Through the story (`_through_the_story`): what a sentence leaves open the story settles. A person
   takes country and sector from the body its description names ("X, head of the Y Council of
   Canada", "X, of Human Rights Watch"); a definite title in one sentence and a new bare name in the
   next are one person ("Russia's envoy ... Vassily Nebenzia told"); a diplomat quoted after a sentence
   about a state is that state's; titles and groups flagged `local` in sectors.tsv, and people named
   with nothing else, take the story's country (the one its country names clearly dominate).

Choices: a state named by its name or capital ("Japan", "Tokyo said") is one actor per country with
sector GOV (a country that acts in the news acts through its government). An anonymous source
without a nationality takes the country of the office its adjective points to ("a presidential
official" -> the country of the president named in the article, else the story's or the outlet's
home country), else "". A bare "the president" is the president already named in the document
(preferring one in office on the article date), else the story country's (or outlet country's)
holder of that office on that date. Commentators ("analyst", "professor": the `commentator` flag)
never take a context country; `is_commentator` tells the events stage whose words are commentary.

Public helpers for later stages: `actors_in`, `actor_of_token`, `head_actors`, `country_of_token`,
`is_commentator`. Their token indexes live on `article.tokens`. Knowledge is indexed on the first
article; call `reset_knowledge()` if user files (--kb) are registered after that.
"""
from __future__ import annotations

import re

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Optional

from gestae.knowledge import DATA_DIR, USER_FILES, keep_for_process, read_table, split_multi
from gestae.model import Actor, Article, TokenIndex


# Tiny grammatical word sets (not knowledge).
MODIFIER_DEPS = {"compound", "amod", "poss", "nmod", "flat"}
LOCATIVE_PREPS = {"in", "at", "near", "outside", "across", "throughout", "inside", "within", "around",
                  "into", "onto", "beyond", "off", "along", "via", "over"}
# "to"/"for" name a destination, not a party, after verbs of motion ("flew to Tokyo", "left for Lima")
MOTION_VERBS = {"go", "travel", "fly", "come", "return", "arrive", "head", "leave", "depart", "move", "sail",
                "drive", "flee", "bound", "relocate", "walk", "march"}
ORIGIN_PREPS = {"of", "from", "for"}        # "officials from Japan", "the foreign minister of Japan"
INDEFINITE = {"a", "an", "another", "one", "some", "several", "two", "three", "many"}
DEFINITE = {"the", "this", "that", "these", "those"}
NEGATIVE = {"no", "neither"}
ENT_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"}
CONTAINER_LABELS = ENT_LABELS | {"EVENT", "WORK_OF_ART", "LAW", "PRODUCT"}
# Knowledge-base kinds that say whose a party is when they modify it ("Japanese officials",
# "Balochistan's chief minister"); regions (regions.tsv) only ever colour, they are never parties.
PLACE_KINDS = ("state", "capital", "demonym", "region")
SUBJ_OBJ_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "conj", "appos", "dative", "attr", "agent", "ROOT"}


# --------------------------------------------------------------------------- knowledge

@dataclass(frozen=True, slots=True)
class Entry:
    """What one knowledge-base name stands for."""
    key: str          # merge key: "state:JPN", "org:world health organization", "person:fumio kishida"
    name: str         # canonical name
    kind: str         # state | capital | demonym | organization | group | person | surname
    country: str = ""
    sector: str = ""
    start: str = ""   # for a body whose sector changed ("Taliban": insurgents, then a de facto government)
    end: str = ""

    def covers(self, date: Optional[str]) -> bool:
        if date is None:
            return not self.end
        return (not self.start or self.start <= date) and (not self.end or date <= self.end)


@dataclass(frozen=True, slots=True)
class Office:
    """One row of persons.tsv: a person holding one office for a time."""
    key: str
    name: str
    country: str
    sector: str
    role: str
    start: str
    end: str

    def covers(self, date: Optional[str]) -> bool:
        if date is None:
            return not self.end
        return (not self.start or self.start <= date) and (not self.end or date <= self.end)


@dataclass(frozen=True, slots=True)
class Term:
    """A sector word from sectors.tsv."""
    words: tuple[str, ...]
    sector: str
    kind: str         # title | organization | group | source | modifier | thing
    role: str
    generic: bool
    flags: frozenset[str] = frozenset()   # local | nonlocal | owned | commentator (see sectors.tsv)

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass
class Lexicon:
    matcher: Any
    entries: dict[str, list[Entry]]                   # matcher label -> entries
    offices: dict[str, list[Office]]                  # person key -> offices
    holders: dict[tuple[str, str], list[Office]]      # (country, role lower) -> offices
    terms: dict[str, list[Term]]                      # last word -> terms, longest first
    country_names: dict[str, str]                     # ISO3 -> canonical name
    role_flags: dict[str, frozenset[str]] = field(default_factory=dict)   # title role lower -> its flags
    commentator_roles: frozenset[str] = frozenset()   # roles (lower case) of titles and sources flagged commentator
    term_hashes: frozenset[int] = frozenset()         # string-store hashes of term last words
    # The matcher's own string store: its labels are there even when the Doc comes from a model
    # loaded after the lexicon (hashes are the same across vocabularies, strings are not).
    strings: Any = None


def _person_key(name: str) -> str:
    return "person:" + " ".join(name.lower().replace("-", " ").split())


def _optional_table(name: str, user_table: str) -> list[dict[str, str]]:
    """A table that may not exist yet in gestae/data (persons.tsv is grown separately)."""
    if (DATA_DIR / name).is_file():
        return read_table(name, user_table)
    rows: list[dict[str, str]] = []
    from gestae.knowledge import _rows  # same reader, without the bundled file
    for path in USER_FILES.extra.get(user_table, []):
        rows.extend(_rows(path))
    return rows


def _plural(demonym: str) -> str:
    """'Palestinian' -> 'Palestinians'; none for 'Japanese', 'French', 'Swiss' (English grammar)."""
    if demonym.endswith(("s", "sh", "ch", "ese", "x", "z")):
        return ""
    return demonym + "s"


def _country_entries() -> tuple[dict[str, list[Entry]], dict[str, str]]:
    names: dict[str, list[Entry]] = {}
    canon: dict[str, str] = {}
    for row in read_table("countries.tsv"):
        iso, name = row["iso3"], row["name"]
        canon[iso] = name
        state = Entry(f"state:{iso}", name, "state", iso, "GOV")
        for alias in [name, *split_multi(row.get("aliases")), *split_multi(row.get("former"))]:
            names.setdefault(alias, []).append(state)
        for dem in split_multi(row.get("demonyms")):
            entry = Entry(f"state:{iso}", name, "demonym", iso, "GOV")
            for form in (dem, _plural(dem)):
                if form and entry not in names.setdefault(form, []):
                    names[form].append(entry)
        for cap in split_multi(row.get("capitals")):
            names.setdefault(cap, []).append(Entry(f"state:{iso}", name, "capital", iso, "GOV"))
    for row in read_table("regions.tsv"):
        if row.get("country") and row.get("kind") in ("region", "state"):   # "Balochistan", "Texas", not "the Sahel"
            region = Entry(f"region:{row['name'].lower()}", row["name"], "region", row["country"], "")
            for alias in [row["name"], *split_multi(row.get("aliases"))]:
                if alias not in names:
                    names.setdefault(alias, []).append(region)
    for row in read_table("peoples.tsv", "peoples"):
        # a people is a demonym whose state is where most of them live ("" if no one state)
        entry = Entry(f"people:{row['name'].lower()}", row["name"], "demonym", row.get("country", ""), "CVL")
        for form in [row["name"], *split_multi(row.get("forms"))]:
            if entry not in names.setdefault(form, []):
                names[form].append(entry)
    return names, canon


def _organization_entries() -> dict[str, list[Entry]]:
    names: dict[str, list[Entry]] = {}
    for table in ("igos.tsv", "institutions.tsv"):
        for row in read_table(table, table.split(".")[0]):
            kind = row.get("kind") or "organization"
            entry = Entry(f"org:{row['name'].lower()}", row["name"], kind, row.get("country", ""),
                          row.get("sector", ""), row.get("start", ""), row.get("end", ""))
            for alias in [row["name"], *split_multi(row.get("aliases"))]:
                names.setdefault(alias, []).append(entry)
    return names


def _fold(word: str) -> str:
    """Lower case without accents: "Moïse" and "Moise" are one spelling."""
    import unicodedata
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)).lower()


def _person_entries() -> tuple[dict[str, list[Entry]], dict[str, list[Office]]]:
    names: dict[str, list[Entry]] = {}
    offices: dict[str, list[Office]] = {}
    for row in _optional_table("persons.tsv", "persons"):
        name = row.get("name", "")
        if not name:
            continue
        key = _person_key(name)
        offices.setdefault(key, []).append(Office(key, name, row.get("country", ""), row.get("sector", ""),
                                                  row.get("role", ""), row.get("start", ""), row.get("end", "")))
        full = Entry(key, name, "person")
        for alias in [name, *split_multi(row.get("aliases"))]:
            kind = "surname" if len(alias.split()) == 1 and "-" not in alias else "person"
            entry = full if kind == "person" else Entry(key, name, "surname")
            if entry not in names.setdefault(alias, []):
                names[alias].append(entry)
        own_last = _fold(name.split()[-1])
        for full_name in [name, *split_multi(row.get("aliases"))]:   # "Jovenel Moise" as well as "Moïse"
            last = full_name.split()[-1]
            if full_name != name and _fold(last) != own_last:
                continue   # an alias's last word is a surname only as another spelling of the name's
            if len(full_name.split()) > 1 and "-" not in last and not REGNAL_NUMBER.match(last):
                surname = Entry(key, name, "surname")
                if surname not in names.setdefault(last, []):
                    names[last].append(surname)
    return names, offices


def _terms() -> dict[str, list[Term]]:
    index: dict[str, list[Term]] = {}
    for row in read_table("sectors.tsv", "sectors"):
        words = tuple(row["term"].lower().replace("-", " - ").split())
        if not words:
            continue
        role = row.get("role", "")
        if row.get("kind") == "title" and not role:
            role = row["term"].title()
        term = Term(words, row.get("sector", ""), row.get("kind", ""), role, row.get("generic") == "yes",
                    frozenset(split_multi(row.get("flags"))))
        index.setdefault(words[-1], []).append(term)
    for terms in index.values():
        terms.sort(key=lambda t: -len(t.words))
    return index


@lru_cache(maxsize=1)
def _lexicon() -> Lexicon:
    """All actor knowledge, indexed once per process (call `reset_knowledge()` after adding --kb files)."""
    from gestae.nlp import load_model, phrase_matcher

    nlp = load_model()
    countries, canon = _country_entries()
    persons, offices = _person_entries()
    entries: dict[str, list[Entry]] = {}
    for table in (countries, _organization_entries(), persons):
        for name, found in table.items():
            entries.setdefault(name, []).extend(found)
    matcher = phrase_matcher(list(entries))
    holders: dict[tuple[str, str], list[Office]] = {}
    for rows in offices.values():
        for office in rows:
            holders.setdefault((office.country, office.role.lower()), []).append(office)
            holders.setdefault(("", office.role.lower()), []).append(office)
    terms = _terms()
    role_flags: dict[str, frozenset[str]] = {}
    for found in terms.values():
        for term in found:
            if term.kind == "title" and term.role:
                role_flags[term.role.lower()] = role_flags.get(term.role.lower(), frozenset()) | term.flags
    commentators = frozenset((t.role or t.text.title()).lower() for found in terms.values() for t in found
                             if "commentator" in t.flags)
    # last words as string-store hashes, so a whole Doc is screened with one to_array call
    hashes = frozenset(nlp.vocab.strings.add(v) for w in terms for v in (w, w.title(), w.upper()))
    lexicon = Lexicon(matcher, entries, offices, holders, terms, canon, role_flags, commentators, hashes,
                      nlp.vocab.strings)
    keep_for_process()
    return lexicon


def reset_knowledge() -> None:
    """Forget the built indexes, so newly registered user files (--kb) are read."""
    _lexicon.cache_clear()


# --------------------------------------------------------------------------- units

@dataclass(slots=True)
class Unit:
    """A stretch of tokens that names (part of) an actor: a KB name, an entity or a sector word."""
    start: int
    end: int
    source: str                       # kb | ent | term
    entries: list[Entry] = field(default_factory=list)
    label: str = ""                   # spaCy entity label for source 'ent'
    term: Optional[Term] = None
    root: int = -1
    host: Optional[int] = None        # index of the unit this one modifies
    lends_to: Optional[int] = None    # a named modifier stays an actor but lends its country ("Kishida's aide")
    dropped: bool = False

    @property
    def kb_kind(self) -> str:
        return self.entries[0].kind if self.entries else ""

    @property
    def named(self) -> bool:
        """A proper name of a person or organization (which stays an actor when it modifies another)."""
        return self.kb_kind in ("person", "surname", "organization", "group") or \
            (self.source == "ent" and self.label in ("PERSON", "ORG"))


def _trim_entity(doc, start: int, end: int) -> tuple[int, int]:
    """Entity span without a leading 'the' and a trailing possessive "'s"."""
    if end - start > 1 and doc[start].lower_ == "the":
        start += 1
    while end - start > 1 and doc[end - 1].tag_ == "POS":
        end -= 1
    return start, end


def _kb_units(doc, lex: Lexicon) -> list[Unit]:
    matches = sorted(lex.matcher(doc), key=lambda m: (-(m[2] - m[1]), m[1]))
    taken: set[int] = set()
    units = []
    strings = lex.strings if lex.strings is not None else doc.vocab.strings
    for match_id, start, end in matches:
        if any(i in taken for i in range(start, end)):
            continue
        taken.update(range(start, end))
        units.append(Unit(start, end, "kb", entries=lex.entries[strings[match_id]]))
    return units


def _entity_spans(doc, kb: list[Unit]) -> list[tuple[int, int, str]]:
    kb_at = {u.start: u for u in kb}
    spans = []
    for ent in doc.ents:
        if any(t.pos_ in ("VERB", "AUX") for t in ent):
            continue   # a mis-tagged clause ("Valcourt thanked Brancusi"), not a name
        start, end, label = ent.start, ent.end, ent.label_
        if label == "PERSON":
            end = _person_end(doc, start, end, kb_at)
        elif label in MISREAD_LABELS and _reads_as_person(doc, start, end, label):
            label = "PERSON"
        if label in CONTAINER_LABELS:
            start, end = _trim_entity(doc, start, end)
            spans.append((start, end, label))
    return spans


MISREAD_LABELS = {"ORG", "WORK_OF_ART", "GPE", "LOC", "FAC", "PRODUCT", "NORP"}


def _person_end(doc, start: int, end: int, kb_at: dict[int, Unit]) -> int:
    """Where a PERSON entity really ends. A heading glued to the next sentence gives "Moise Shortly"
    (cut at the sentence start and at trailing non-names), and a name list without commas
    "Erdogan Ankara" (a known surname followed by a known capital is two names)."""
    for i in range(start + 1, end):
        if doc[i].is_sent_start:
            end = i
            break
    while end - start > 1 and doc[end - 1].pos_ != "PROPN":
        end -= 1
    first = kb_at.get(start)
    if first is not None and first.kb_kind in ("person", "surname") and first.end < end:
        following = kb_at.get(first.end)
        if following is not None and following.kb_kind in ("state", "capital") and following.end == end:
            end = first.end
    return end


def _reads_as_person(doc, start: int, end: int, label: str) -> bool:
    """A name NER gave another label that the grammar shows is a person's: "X, who heads ...", and
    (for labels other than ORG) a two- to four-word proper name that is the subject of a reporting
    verb ('"...," Vassily Nebenzia told the council' taken for a title of a work)."""
    root = doc[_span_root(doc, start, end)]
    if any(c.dep_ == "relcl" and any(w.lower_ in ("who", "whom") for w in c.children) for c in root.children):
        return _proper_name(doc, start, end)
    if label == "ORG" or not 2 <= end - start <= 4 or root.dep_ != "nsubj":
        return False
    from gestae.speech import lexicon as speech_lexicon   # speech.py reads actors; import at call time
    return root.head.lemma_ in speech_lexicon().verbs and _proper_name(doc, start, end)


def _proper_name(doc, start: int, end: int) -> bool:
    return all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in doc[start:end])


def _inside_longer_entity(unit: Unit, ent_at: dict[int, tuple[int, int]]) -> bool:
    """A KB name inside a longer entity is part of another name ("Bank of Japan", "New Jersey")."""
    if unit.kb_kind == "person" or unit.start not in ent_at:
        return False
    start, end = ent_at[unit.start]
    return start <= unit.start and unit.end <= end and (end - start) > (unit.end - unit.start)


def _tiled_by_kb(span: tuple[int, int], kb_tokens: set[int]) -> bool:
    """An entity made of known country and people names only ("Chinese Uyghurs") is those names, not one
    unknown name (but "Charles Brown" is one person, whatever other people are called Charles or Brown)."""
    return all(i in kb_tokens for i in range(*span))


def _match_term(doc, i: int, lex: Lexicon) -> Optional[Term]:
    """The longest sector term ending at token i (last word by lower case or lemma)."""
    token = doc[i]
    for word in (token.lower_, token.lemma_.lower()):
        for term in lex.terms.get(word, ()):
            n = len(term.words)
            if n > i + 1:
                continue
            if all(doc[i - n + 1 + k].lower_ == term.words[k] for k in range(n - 1)):
                return term
    return None


def _span_root(doc, start: int, end: int) -> int:
    for i in range(start, end):
        head = doc[i].head.i
        if head == i or not (start <= head < end):
            return i
    return end - 1


NOUN_TAGS = ("NOUN", "PROPN")


def _term_candidates(doc, lex: Lexicon, owner: list[Optional[int]]) -> list[tuple[int, int, Term]]:
    """Sector terms not inside a KB name, longest first where they overlap."""
    from spacy.attrs import LEMMA, LOWER
    found = []
    hashes = lex.term_hashes
    screen = doc.to_array([LOWER, LEMMA]).tolist()
    for i, (lower, lemma) in enumerate(screen):
        if (lower not in hashes and lemma not in hashes) or owner[i] is not None:
            continue
        token = doc[i]
        if token.pos_ not in ("NOUN", "PROPN", "ADJ"):
            continue
        term = _match_term(doc, token.i, lex)
        if term is None or (term.kind != "modifier" and token.pos_ not in NOUN_TAGS
                            and token.dep_ not in ("amod", "compound")):
            continue   # "very firm", "witnessed": the word is not used as a noun here
        start = token.i - len(term.words) + 1
        if any(owner[i] is not None for i in range(start, token.i)):
            continue
        found.append((start, token.i + 1, term))
    found.sort(key=lambda c: (c[0] - c[1], c[0]))
    kept, taken = [], set()
    for start, end, term in found:
        if not taken.intersection(range(start, end)):
            kept.append((start, end, term))
            taken.update(range(start, end))
    return kept


def _claim(units: list[Unit], owner: list[Optional[int]], unit: Unit) -> None:
    units.append(unit)
    for i in range(unit.start, unit.end):
        owner[i] = len(units) - 1


def _find_units(doc, lex: Lexicon) -> tuple[list[Unit], list[Optional[int]]]:
    """All units in text order, and a token -> unit index map.

    Precedence: KB names, then ORG entities (a party's name beats the sector word inside it,
    "Democratic Party"), then sector terms (a title beats the entity it was glued to,
    "Secretary of State"), then the other entities, trimmed of the terms they overlap.
    """
    kb = _kb_units(doc, lex)
    ents = _entity_spans(doc, kb)
    units: list[Unit] = []
    owner: list[Optional[int]] = [None] * len(doc)
    ent_at = {i: (start, end) for start, end, _ in ents for i in range(start, end)}
    kb_tokens = {i for u in kb if u.kb_kind in PLACE_KINDS for i in range(u.start, u.end)}
    for u in kb:
        if not _inside_longer_entity(u, ent_at) or _tiled_by_kb(ent_at[u.start], kb_tokens):
            _claim(units, owner, u)
    terms = _term_candidates(doc, lex, owner)
    term_of = {i: (s, e) for s, e, _ in terms for i in range(s, e)}
    for start, end, label in ents:
        if label != "ORG" or any(owner[i] is not None for i in range(start, end)):
            continue
        covering = term_of.get(start)
        if covering and covering[0] <= start and end <= covering[1] and (end - start) < covering[1] - covering[0]:
            continue   # "State" inside "Secretary of State"
        unit = Unit(start, end, "ent", label=label)
        # "the Foreign Ministry" takes the sector of its head word; "... Agreement" is a thing
        last = _match_term(doc, end - 1, lex)
        root = _span_root(doc, start, end)
        covers_root = last is not None and end - len(last.words) <= root   # "U.S. House of Representatives"
        unit.term = last if last and (last.kind == "thing" or covers_root) else _match_term(doc, root, lex)
        _claim(units, owner, unit)
    for start, end, term in terms:
        if all(owner[i] is None for i in range(start, end)):
            _claim(units, owner, Unit(start, end, "term", term=term))
    for start, end, label in ents:
        if label not in ENT_LABELS or label == "ORG":
            continue
        while start < end and owner[start] is not None and units[owner[start]].source == "term":
            start += 1   # "General Smith" tagged as one PERSON
        while end > start and owner[end - 1] is not None and units[owner[end - 1]].source == "term":
            end -= 1
        if start < end and all(owner[i] is None for i in range(start, end)):
            _claim(units, owner, Unit(start, end, "ent", label=label))
    units.sort(key=lambda u: u.start)
    owner = [None] * len(doc)
    for n, u in enumerate(units):
        u.root = _span_root(doc, u.start, u.end)
        for i in range(u.start, u.end):
            owner[i] = n
    return units, owner


# --------------------------------------------------------------------------- attachment

def _is_actor_head(unit: Unit) -> bool:
    """Units that can head an actor phrase (and so take modifiers)."""
    if unit.source == "term":
        return unit.term.kind in ("title", "organization", "group", "source")
    if unit.source == "ent":
        return unit.label in ("PERSON", "ORG") and not (unit.term and unit.term.kind == "thing")
    return unit.kb_kind in ("person", "surname", "organization", "group")


def _attach(doc, units: list[Unit], owner: list[Optional[int]]) -> None:
    """Set each unit's host (the actor unit it modifies) or drop it (it modifies a non-actor)."""
    for n, u in enumerate(units):
        root = doc[u.root]
        head = root.head
        if head.i == root.i:
            continue
        dep = root.dep_
        if dep == "conj":
            # "Hungarian and Romanian officials", "U.S. and NATO troops": a conjunct modifier shares its
            # first conjunct's host
            first = owner[head.i]
            if first is not None and doc[units[first].root].dep_ in MODIFIER_DEPS | {"amod"} \
                    and _country_like(units[first]) and _country_like(u):
                u.host = -first - 2  # resolved below, after the first conjunct's host is known
            continue
        if dep in MODIFIER_DEPS:
            target = owner[head.i]
            if target is None and u.named:
                target = _compound_host(doc, head, units, owner)   # "ECOWAS security chiefs"
            if target is not None and target != n and (u.named or _described_owner(u, dep)) and _is_actor_head(units[target]) \
                    and not (u.kb_kind == "organization" and _country_like(u) and _has_country_conjunct(doc, u, units, owner)):
                u.lends_to = target
            elif target is not None and u.named and units[target].kb_kind in ("state", "capital"):
                continue   # "Trump, Erdogan Ankara": a name list the parser read as one phrase
            elif target is not None and target != n:
                u.host = target
            elif (person := _person_described_by(doc, head, units, owner)) is not None \
                    and (u.kb_kind in PLACE_KINDS or u.source == "term" and u.term.kind != "thing"):
                u.host = person    # "South African politician Mmusi Maimane", "Marcus Detrez, a French national"
            elif head.pos_ in ("NOUN", "PROPN") and u.kb_kind in PLACE_KINDS and dep != "poss":
                u.dropped = True   # a country colouring a non-actor noun: "Japanese cars"
            elif head.pos_ in ("NOUN", "PROPN") and u.source == "term" and dep != "poss":
                u.dropped = True   # "military sexual slavery": a sector word used as an adjective
            elif u.source == "ent" and u.label == "NORP" and head.pos_ in ("NOUN", "PROPN"):
                u.dropped = True
            continue
        if dep == "npadvmod" and head.lower_ in ("led", "based") and u.kb_kind in PLACE_KINDS:
            # "Vietnamese-led forces", "a U.S.-led coalition": the leader's; "a London-based watchdog": of
            # that country, and London is no party
            target = owner[head.head.i]
            if target is not None and target != n and _is_actor_head(units[target]):
                u.host = target
            elif head.lower_ == "based":
                u.dropped = True
            continue
        if dep == "pobj" and head.dep_ == "prep" and head.lower_ in ORIGIN_PREPS \
                and u.kb_kind in PLACE_KINDS:
            target = owner[head.head.i]
            if target is not None and _is_actor_head(units[target]):
                u.host = target    # "the foreign minister of Japan"
        elif dep == "pobj" and head.dep_ == "prep" and head.lower_ in LOCATIVE_PREPS \
                and u.kb_kind in ("state", "capital", "region"):
            target = owner[head.head.i]
            if target is not None and units[target].source == "term" \
                    and units[target].term.kind in ("group", "source", "organization"):
                u.host = target    # "opposition groups in Zimbabwe": where a group is says whose it is
    _coordinated_before_noun(doc, units, owner)
    _name_before_noun(doc, units, owner)
    for u in units:
        if u.host is not None and u.host < -1:
            first = units[-u.host - 2]
            u.host = first.host
            u.dropped = first.dropped
    # follow chains to the top host; a chain ending in a dropped unit drops everything on it
    for u in units:
        if u.lends_to is not None:
            top, seen = u.lends_to, set()
            while units[top].host is not None and top not in seen:
                seen.add(top)
                top = units[top].host
            u.lends_to = top
        seen = set()
        top = u
        while top.host is not None and top.host not in seen:
            seen.add(top.host)
            top = units[top.host]
        if top is not u and top.dropped:
            u.dropped = True


def _name_before_noun(doc, units: list[Unit], owner: list[Optional[int]]) -> None:
    """Repair another mis-parse: a known body right before an actor noun ("ECOWAS security chiefs"
    read as a verb and its object) modifies it."""
    for u in units:
        if u.source != "kb" or u.host is not None or u.lends_to is not None or u.dropped \
                or doc[u.root].dep_ in MODIFIER_DEPS or doc[u.root].pos_ in ("NOUN", "PROPN"):
            continue
        i = u.end
        while i < len(doc) and i < u.end + 2 and owner[i] is None and doc[i].pos_ == "NOUN" and doc[i].dep_ == "compound":
            i += 1
        k = owner[i] if i < len(doc) else None
        if k is None or not _is_actor_head(units[k]) or units[k].start != i:
            continue
        if _country_like(u):
            u.host = k
        elif u.named:
            u.lends_to = k


def _compound_host(doc, noun: Any, units: list[Unit], owner: list[Optional[int]]) -> Optional[int]:
    """The actor noun a name modifies through one plain compound noun ("ECOWAS security chiefs",
    "Hamas media office")."""
    if noun.dep_ == "compound" and noun.pos_ == "NOUN" and noun.head.i != noun.i:
        k = owner[noun.head.i]
        if k is not None and _is_actor_head(units[k]):
            return k
    return None


def _described_owner(unit: Unit, dep: str) -> bool:
    """A body named by a description in the possessive ("the court's president", "the ministry's
    spokesman") is a party of its own (an earlier body, or the story's) that the title belongs to."""
    return dep == "poss" and unit.source == "term" and unit.term.kind == "organization"


def _person_described_by(doc, noun: Any, units: list[Unit], owner: list[Optional[int]]) -> Optional[int]:
    """The person unit a common noun describes, as a title before the name or in apposition to it."""
    nominal = noun.tag_ == "NN" or noun.pos_ == "ADJ" and any(c.dep_ == "det" for c in noun.children)  # "a French national"
    if owner[noun.i] is not None or not nominal:
        return None
    if noun.dep_ in ("compound", "appos"):      # "French writer X", "X, a French national"
        k = owner[noun.head.i]
        if k is not None and _is_personish(units[k]):
            return k
    for child in noun.children:                 # "a French national, X, who ..."
        k = owner[child.i] if child.dep_ == "appos" else None
        if k is not None and _is_personish(units[k]):
            return k
    return None


def _country_like(unit: Unit) -> bool:
    """A country, capital or demonym, or a body of states that coordinates with them ("U.S. and NATO")."""
    return unit.kb_kind in PLACE_KINDS or \
        (unit.kb_kind == "organization" and unit.entries[0].country == "IGO")


def _has_country_conjunct(doc, unit: Unit, units: list[Unit], owner: list[Optional[int]]) -> bool:
    return any(c.dep_ == "conj" and owner[c.i] is not None and _country_like(units[owner[c.i]])
               for c in doc[unit.root].children)


def _coordinated_before_noun(doc, units: list[Unit], owner: list[Optional[int]]) -> None:
    """Repair a common mis-parse: in "by United Nations, U.S., French and Mexican representatives" the
    parser makes the list the head and the noun after it an apposition. A chain of coordinated
    countries (or bodies of states) right before a plural actor noun modifies that noun."""
    for n, u in enumerate(units):
        if not _country_like(u) or doc[u.root].dep_ == "conj" or u.host is not None:
            continue
        chain = [n]
        stack = [doc[u.root]]
        while stack:
            for child in stack.pop().children:
                k = owner[child.i]
                if child.dep_ == "conj" and k is not None and _country_like(units[k]):
                    chain.append(k)
                    stack.append(child)
        if len(chain) < 2:
            following = owner[u.end + 1] if u.end + 1 < len(doc) and doc[u.end].text == "," else None
            if following is not None and _country_like(units[following]) and units[following].host is not None \
                    and units[following].host >= 0 and units[units[following].host].source == "term":
                u.host, u.lends_to = units[following].host, None   # "United Nations, U.S. and Kenyan envoys"
            continue
        last = max(units[k].end for k in chain)
        target = owner[last] if last < len(doc) else None
        if target is None or units[target].source != "term" or not _is_actor_head(units[target]) \
                or doc[units[target].root].tag_ not in ("NNS", "NNPS") or units[target].start != last:
            continue
        for k in chain:
            units[k].host, units[k].lends_to = target, None


def _is_venue(doc, unit: Unit) -> bool:
    """A place that is the object of a locative preposition ("at a hotel in Phnom Penh, Cambodia")."""
    t = doc[unit.root]
    for _ in range(6):
        if t.dep_ in ("appos", "conj", "compound", "flat", "npadvmod") and t.head.i != t.i:
            t = t.head
            continue
        break
    if t.dep_ != "pobj":
        return False
    prep = t.head
    if prep.lower_ in LOCATIVE_PREPS:
        return True
    if prep.lower_ in ("to", "for", "toward", "towards") and prep.head.lemma_ in MOTION_VERBS:
        return True
    return False


# --------------------------------------------------------------------------- phrases

@dataclass(slots=True)
class Phrase:
    """An actor noun phrase: a head unit and the units that modify it."""
    head: Unit
    mods: list[Unit]
    start: int                       # token span of the whole noun phrase
    end: int
    countries: list[tuple[str, int]] = field(default_factory=list)   # (ISO3, token) in text order
    lenders: list[Unit] = field(default_factory=list)                # named modifiers (persons, orgs)


def _phrase_span(doc, head: Unit, mods: list[Unit], own_phrase: frozenset[int] = frozenset()) -> tuple[int, int]:
    root = doc[head.root]
    start = min([head.start] + [m.start for m in mods])
    for child in root.lefts:
        if child.i in own_phrase:
            continue   # a name heading its own phrase is not part of this one ("Erdogan Ankara")
        if child.dep_ in ("det", "amod", "compound", "poss", "nummod", "nmod", "quantmod", "advmod", "predet"):
            start = min(start, child.left_edge.i)
    end = head.end
    while end - start > 1 and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
        end -= 1
    while start < end - 1 and doc[start].is_punct:
        start += 1
    return start, end


def _adjoins(doc, mod: Unit, head: Unit, mods: list[Unit]) -> bool:
    """A modifier before the head with nothing but other modifiers, commas and conjunctions between
    ("U.S., French and Mexican representatives"); not one across another noun ("a French national, X")."""
    if mod.start >= head.start:
        return True
    taken = {i for m in mods for i in range(m.start, m.end)}
    return all(i in taken or doc[i].is_punct or doc[i].dep_ in ("cc", "det", "amod", "compound", "poss", "case")
               for i in range(mod.end, head.start))


STANCE_PREFIXES = {"anti", "pro"}   # "an anti-Syria journalist", "pro-Kremlin media": a stance, not a nationality


def _ethnic(doc, unit: Unit) -> bool:
    """A demonym after "ethnic" names a people, not a state's nationals ("ethnic Albanians in Serbia");
    a country after "anti-"/"pro-" names a stance ("an anti-Syria journalist" is no Syrian)."""
    if unit.start > 0 and doc[unit.start - 1].lower_ == "ethnic":
        return True
    return unit.start > 1 and doc[unit.start - 1].text == "-" and doc[unit.start - 2].lower_ in STANCE_PREFIXES


def _build_phrases(doc, units: list[Unit]) -> list[Phrase]:
    members: dict[int, list[Unit]] = {}
    for n, u in enumerate(units):
        if u.dropped:
            continue
        top, seen = n, set()
        while units[top].host is not None and units[top].host not in seen:
            seen.add(top)
            top = units[top].host
        if top != n:
            members.setdefault(top, []).append(u)
    lenders: dict[int, list[Unit]] = {}
    for u in units:
        if u.lends_to is not None and not u.dropped:
            lenders.setdefault(u.lends_to, []).append(u)
    phrases = []
    heads = frozenset(u.root for u in units if not u.dropped and u.host is None and u.lends_to is None)
    for n, u in enumerate(units):
        if u.dropped or u.host is not None:
            continue
        mods = members.get(n, [])
        phrase = Phrase(u, [], 0, 0)
        for m in mods:
            if m.kb_kind in PLACE_KINDS and _ethnic(doc, m):
                continue   # "ethnic Albanian guerrillas": an ethnicity, not the state of Albania
            if _country_like(m):
                phrase.countries.append((m.entries[0].country, m.root))
            else:
                phrase.mods.append(m)
        phrase.mods.extend(m for m in mods if _country_like(m) and not _ethnic(doc, m))
        phrase.lenders = lenders.get(n, [])
        phrase.start, phrase.end = _phrase_span(doc, u, [m for m in mods if doc[m.root].dep_ != "pobj"
                                                         and _adjoins(doc, m, u, mods)], heads)
        phrases.append(phrase)
    return phrases


# --------------------------------------------------------------------------- resolution

@dataclass
class Context:
    """What annotate knows while it resolves one article."""
    doc: Any
    lex: Lexicon
    date: Optional[str]
    home: str
    actors: dict[str, Actor] = field(default_factory=dict)         # key -> actor
    surnames: dict[str, str] = field(default_factory=dict)         # token text -> person key
    last_by_noun: dict[str, str] = field(default_factory=dict)     # noun lemma -> key of last actor
    role_country: dict[str, str] = field(default_factory=dict)     # role lower -> country of its last holder
    token_keys: dict[int, str] = field(default_factory=dict)       # phrase head token -> actor key
    role_people: dict[str, list[str]] = field(default_factory=dict)  # role lower -> person keys, mention order
    person_words: dict[str, set[str]] = field(default_factory=dict)  # person key -> words of its name
    counter: int = 0
    story: str = ""                                                # the country the story is about ("" if none stands out)
    starts: list[int] = field(default_factory=list)                # first token of each sentence
    settled: set[int] = field(default_factory=set)                 # id() of actors whose country the text settled (NGO: "")
    recent: list[tuple[int, Actor]] = field(default_factory=list)  # (head token, actor) of resolved phrases, text order

    def text(self, start: int, end: int) -> str:
        return self.doc[start:end].text


def _article_date(article: Article) -> Optional[str]:
    published = (article.published or "").strip()
    return published[:10] if len(published) >= 10 and published[4] == "-" else None


def _pick_office(offices: list[Office], date: Optional[str], role: str = "") -> Optional[Office]:
    """The office a person held on `date` (matching `role` when given); else the latest one."""
    if not offices:
        return None
    pool = [o for o in offices if role and o.role.lower() == role.lower()] or offices
    current = [o for o in pool if o.covers(date)]
    if current:
        return max(current, key=lambda o: o.start)
    past = [o for o in pool if date is None or not o.start or o.start <= date]
    return max(past or pool, key=lambda o: o.start)


def _holder(ctx: Context, country: str, role: str) -> Optional[Office]:
    """Whoever held `role` in `country` on the article date."""
    offices = ctx.lex.holders.get((country, role.lower()), [])
    current = [o for o in offices if o.covers(ctx.date)]
    if ctx.date is None and not current:
        current = sorted(offices, key=lambda o: o.start)[-1:]
    return max(current, key=lambda o: o.start) if current else None


def _phrase_title(phrase: Phrase) -> Optional[Term]:
    """The title a phrase gives its person. A commentator's title yields to an office the description
    also names ("Professor X, a presidential foreign policy adviser" acts as the adviser)."""
    title = next((m.term for m in [phrase.head, *phrase.mods] if m.term and m.term.kind == "title"), None)
    if title is not None and "commentator" in title.flags:
        office = next((m.term for m in phrase.mods if m.term and m.term.kind in ("title", "source")
                       and m.term.sector and "commentator" not in m.term.flags), None)
        if office is not None:
            return Term(office.words, office.sector, "title", office.role or office.text.title(), office.generic,
                        office.flags)
    return title


def _modifier_sector(phrase: Phrase) -> str:
    for m in phrase.mods:
        if m.term and m.term.sector and m.term.kind != "title":
            return m.term.sector
    return ""


def _phrase_country(ctx: Context, phrase: Phrase) -> str:
    return _phrase_owner(ctx, phrase)[0]


def _phrase_owner(ctx: Context, phrase: Phrase) -> tuple[str, Optional[Actor]]:
    """The country a phrase's own words give it, and the named party that gave it (if one did).

    Words before the head say whose the party is; words after it may name a portfolio: "the U.N.
    special envoy for Syria" is of the U.N., "Russia's envoy to the U.N." of Russia. So, in order:
    a country before the head, a named party before it ("UNICEF's director"), a country or party
    after it ("the foreign minister of Japan", "a spokesperson for the foreign ministry").
    """
    doc = ctx.doc
    before = [c for c, tok in phrase.countries if doc[tok].dep_ != "pobj"]
    if before:
        return before[0], None
    for lender in phrase.lenders:
        actor = _lender_actor(ctx, lender)
        if actor and actor.country:
            return actor.country, actor
    if phrase.countries:
        return phrase.countries[0][0], None
    root = doc[phrase.head.root]
    for prep in root.rights:
        if prep.dep_ == "prep" and prep.lower_ in ORIGIN_PREPS:
            for obj in prep.children:
                key = ctx.token_keys.get(obj.i)
                if key and ctx.actors[key].country:
                    return ctx.actors[key].country, ctx.actors[key]
    return "", None


def _lender_actor(ctx: Context, lender: Unit) -> Optional[Actor]:
    key = ctx.token_keys.get(lender.root)
    if key:
        return ctx.actors.get(key)
    if lender.kb_kind in ("organization", "group"):
        # a known body named later in the phrase than the person it lends to ("X, the U.N. envoy"):
        # the same actor its own phrase will resolve to
        entry = _choose_entry(ctx, lender.entries)
        return _new_actor(ctx, entry.key, entry.name, lender.kb_kind, entry.country, entry.sector)
    return None


def _context_country(ctx: Context, phrase: Phrase) -> str:
    """Country from a modifier that points at an office ("presidential" -> the president's country)."""
    for m in [*phrase.mods, phrase.head]:
        if m.term and m.term.kind in ("modifier", "organization") and m.term.role:
            found = ctx.role_country.get(m.term.role.lower())
            return found or ctx.story or ctx.home
    return ""


def _new_actor(ctx: Context, key: str, name: str, kind: str, country: str, sector: str, role: str = "") -> Actor:
    if key in ctx.actors:
        return ctx.actors[key]
    actor = Actor(id="", name=name, country=country, sector=sector, role=role, kind=kind, key=key)
    ctx.actors[key] = actor
    return actor


def _note_role(ctx: Context, actor: Actor, term: Optional[Term] = None) -> None:
    if actor.kind == "person":
        for role in {actor.role.lower(), term.role.lower() if term else ""} - {""}:
            people = ctx.role_people.setdefault(role, [])
            if actor.key in people:
                people.remove(actor.key)
            people.append(actor.key)
    if actor.country:
        if actor.role:
            ctx.role_country[actor.role.lower()] = actor.country
        if term and term.role:
            ctx.role_country[term.role.lower()] = actor.country


def _person_from_kb(ctx: Context, entries: list[Entry], title: Optional[Term]) -> Optional[Actor]:
    keys = list(dict.fromkeys(e.key for e in entries))
    if len(keys) > 1:
        role = title.role if title else ""
        dated = [k for k in keys if any(o.covers(ctx.date) and (not role or o.role.lower() == role.lower())
                                        for o in ctx.lex.offices.get(k, []))]
        keys = dated or keys
    key = keys[0]
    office = _pick_office(ctx.lex.offices.get(key, []), ctx.date, title.role if title else "")
    name = office.name if office else entries[0].name
    actor = _new_actor(ctx, key, name, "person", office.country if office else "",
                       office.sector if office else "", office.role if office else "")
    return actor


NAME_PARTICLES = {"al", "el", "bin", "ibn", "abu", "de", "van", "von", "der", "da", "di", "le", "la"}


def _name_words(name: str) -> set[str]:
    return set(name.lower().replace("\u2019", "'").replace("-", " ").split()) - NAME_PARTICLES


def _known_by_part(ctx: Context, name: str) -> Optional[Actor]:
    """A person already in the document whose name contains all words of this one ("al-Sharaa")."""
    words = _name_words(name)
    if not words:
        return None
    for key in reversed(list(ctx.person_words)):
        if words <= ctx.person_words[key]:
            return ctx.actors[key]
    return None


REGNAL_NUMBER = re.compile(r"^[IVX]+$")   # "Juan Carlos I", "Charles III": a number, not a surname


def _name_tail(name: str) -> list[str]:
    """The words of a name without a regnal number at its end."""
    words = name.split()
    while len(words) > 1 and REGNAL_NUMBER.match(words[-1]):
        words.pop()
    return words


def _register_person(ctx: Context, actor: Actor, tokens: list[str]) -> None:
    ctx.person_words[actor.key] = _name_words(actor.name)
    words = [w for w in tokens if w[:1].isupper() and w not in ("-",) and not REGNAL_NUMBER.match(w)]
    if not words:
        return
    for part in _name_tail(actor.name)[-1].split("-"):   # "Brancusi-Ilescu": both parts
        if part[:1].isupper():
            ctx.surnames[part] = actor.key
    ctx.surnames[words[-1]] = actor.key
    ctx.surnames.setdefault(words[0], actor.key)


def _resolve_person(ctx: Context, phrase: Phrase) -> Optional[Actor]:
    head = phrase.head
    title = _phrase_title(phrase)
    doc = ctx.doc
    tokens = [t.text for t in doc[head.start:head.end]]
    actor = None
    shared_country = ""   # an ambiguous surname whose bearers all serve one country ("Bush") still tells it
    if head.kb_kind == "surname" and doc[head.root].ent_type_ in ("DATE", "TIME") and not title:
        return None       # "on Friday", "in May": a date, whatever surnames the KB knows
    if head.kb_kind == "person":
        actor = _person_from_kb(ctx, head.entries, title)
    elif head.kb_kind == "surname" or (head.end - head.start == 1):
        known = ctx.surnames.get(tokens[0])
        if known:
            actor = ctx.actors[known]
        elif head.kb_kind == "surname":
            keys = list(dict.fromkeys(e.key for e in head.entries))
            role = title.role.lower() if title else ""
            dated = [k for k in keys if any(o.covers(ctx.date) and (not role or o.role.lower() == role)
                                            for o in ctx.lex.offices.get(k, []))]
            if len(dated) == 1 or len(keys) == 1:
                actor = _person_from_kb(ctx, [e for e in head.entries if e.key == (dated or keys)[0]], title)
            elif head.label != "PERSON" and doc[head.root].ent_type_ != "PERSON" and not title:
                return None
            countries = {o.country for k in keys for o in ctx.lex.offices.get(k, [])}
            shared_country = countries.pop() if len(countries) == 1 else ""
    if actor is None:
        name = doc[head.start:head.end].text
        actor = _known_by_part(ctx, name) or _new_actor(ctx, _person_key(name), name, "person", "", "", "")
    country, owner = _phrase_owner(ctx, phrase)
    if not actor.country:
        actor.country = country or shared_country
    if title:
        if not actor.role:
            actor.role = title.role
        if not actor.sector:
            actor.sector = title.sector
    sector = _modifier_sector(phrase)
    if sector and (not actor.sector or (title and title.generic)):
        actor.sector = sector
    elif actor.key not in ctx.lex.offices:
        body = owner if owner is not None or country else _first_lender(ctx, phrase)
        actor.sector = _owned_sector(body, title) or actor.sector
    _register_person(ctx, actor, tokens if head.kb_kind != "person" else actor.name.replace("-", " - ").split())
    _note_role(ctx, actor, title)
    return actor


def _resolve_title(ctx: Context, phrase: Phrase, first: str, plural: bool) -> Optional[Actor]:
    """'the Korean president', 'the foreign minister': the office holder on the article date."""
    term = phrase.head.term
    country, owner = _phrase_owner(ctx, phrase)
    if plural:
        return _resolve_group(ctx, phrase, country)
    if first in INDEFINITE:
        return _anonymous(ctx, phrase, country)
    if not country:
        prior = None if term.generic else _current_holder_in_doc(ctx, term.role)
        if prior:
            return prior                 # "the president" after "President X"
        if first not in DEFINITE and not phrase.lenders:
            return None                  # a bare title is a description, not a party ("as leader")
        if not term.generic:
            country = _lent_country(ctx, phrase) or ctx.story or ctx.home
    office = _holder(ctx, country, term.role) if country else None
    earlier = _earlier_holder(ctx, country, term) if country and not office and first not in INDEFINITE else None
    if earlier is not None:
        return earlier                   # "Washington's envoy" after "Robert Wood, U.S. deputy U.N. ambassador"
    if office:
        actor = _new_actor(ctx, office.key, office.name, "person", office.country, office.sector, office.role)
        _register_person(ctx, actor, office.name.replace("-", " - ").split())
    elif country and _phrase_country(ctx, phrase):
        key = f"title:{country}:{term.role.lower()}"
        name = (ctx.lex.country_names.get(country, owner.name if owner else "") + " " + term.role).strip()
        actor = _new_actor(ctx, key, name, "person", country, _sector_for(ctx, phrase), term.role)
    else:
        actor = _anonymous(ctx, phrase, _phrase_country(ctx, phrase))
        actor.role = term.role
        return actor
    _note_role(ctx, actor, term)
    return actor


FAMILY_FLAGS = frozenset({"diplomat"})


def _earlier_holder(ctx: Context, country: str, term: Term) -> Optional[Actor]:
    """The latest person of the story from `country` with this title, or one a person is called by in
    turn (an ambassador is also the envoy)."""
    role = term.role.lower()
    family = term.flags & FAMILY_FLAGS
    for _, actor in reversed(ctx.recent):
        if actor.kind != "person" or actor.country != country or not actor.role:
            continue
        other = actor.role.lower()
        if (other == role and not term.generic) or (family and family & ctx.lex.role_flags.get(other, frozenset())):
            return actor     # a generic title ("the army chief") may be anyone's
    return None


def _current_holder_in_doc(ctx: Context, role: str) -> Optional[Actor]:
    """The person of the document with this role, preferring one in office on the article date."""
    keys = ctx.role_people.get(role.lower(), [])
    for key in reversed(keys):
        offices = ctx.lex.offices.get(key)
        if not offices or any(o.covers(ctx.date) for o in offices):
            return ctx.actors[key]
    return ctx.actors[keys[-1]] if keys else None


def _lent_country(ctx: Context, phrase: Phrase) -> str:
    return next((a.country for a in map(lambda u: _lender_actor(ctx, u), phrase.lenders) if a and a.country), "")


def _head_noun(phrase: Phrase) -> str:
    return phrase.head.term.text if phrase.head.term else ""


def _sector_for(ctx: Context, phrase: Phrase) -> str:
    term = phrase.head.term
    sector = _modifier_sector(phrase)
    if sector and (term.generic or term.kind == "source" or not term.sector):
        return sector
    if not sector:
        # "the Islamic State group's leaders", "a U.N. envoy": a generic or government-style head takes
        # the sector of the named body it belongs to
        country, owner = _phrase_owner(ctx, phrase)
        owned = _owned_sector(owner if owner is not None or country else _first_lender(ctx, phrase), term)
        if owned:
            return owned
    return term.sector or sector


def _first_lender(ctx: Context, phrase: Phrase) -> Optional[Actor]:
    return next((a for a in map(lambda u: _lender_actor(ctx, u), phrase.lenders) if a and a.sector), None)


def _owned_sector(owner: Optional[Actor], title: Optional[Term]) -> str:
    """The sector a title takes from the body it belongs to: any body's for a generic title ("UNICEF's
    director"), a non-government body's for a government-style one ("a U.N. envoy" is IGO)."""
    if owner is None or not owner.sector:
        return ""
    if title is None or title.generic or not title.sector or title.sector == "GOV" or "commentator" in title.flags:
        return owner.sector
    return ""


def _anonymous(ctx: Context, phrase: Phrase, country: str) -> Actor:
    noun = _head_noun(phrase)
    first = ctx.doc[phrase.start].lower_
    complemented = any(c.dep_ == "prep" and c.lower_ in AFFILIATION_PREPS for c in ctx.doc[phrase.head.root].children)
    if first in DEFINITE and not phrase.mods and not country and not complemented:
        prior = ctx.last_by_noun.get("anon:" + noun)   # "the official" again; but "the head of X" is X's
        if prior:
            return ctx.actors[prior]
    country = country or _context_country(ctx, phrase)
    ctx.counter += 1
    name = _strip_det(ctx, phrase)
    actor = _new_actor(ctx, f"anon:{ctx.counter}", name, "anonymous", country, _sector_for(ctx, phrase))
    if "commentator" in phrase.head.term.flags:
        actor.role = phrase.head.term.role or phrase.head.term.text.title()   # "Analysts": what they are
    ctx.last_by_noun["anon:" + noun] = actor.key
    return actor


def _strip_det(ctx: Context, phrase: Phrase) -> str:
    start = phrase.start
    if ctx.doc[start].lower_ in DEFINITE | INDEFINITE and phrase.end - start > 1:
        start += 1
    return ctx.text(start, phrase.end)


def _resolve_group(ctx: Context, phrase: Phrase, country: str, name: str = "") -> Actor:
    term = phrase.head.term
    sector = _sector_for(ctx, phrase)
    if country == "IGO" and sector in ("", "GOV"):
        sector = "IGO"    # "U.N. representatives"; but "NATO troops" stay MIL
    kind = "organization" if term.kind == "organization" else "group"
    first = ctx.doc[phrase.start].lower_
    if not country:
        prior = ctx.last_by_noun.get(f"{kind}:{term.text}")
        if prior and first in DEFINITE and (not _phrase_terms_with_sector(phrase) or ctx.actors[prior].sector == sector):
            return ctx.actors[prior]
        if first in DEFINITE and not phrase.lenders:
            referent = _description_referent(ctx, phrase, sector)
            if referent is not None:
                ctx.last_by_noun[f"{kind}:{term.text}"] = referent.key
                return referent
        country = _context_country(ctx, phrase)
    name = name or _strip_det(ctx, phrase)
    # keyed by name, so "the Democratic Party" and "the Republican Party" stay two parties
    key = f"{kind}:{country}:{sector}:{name.lower()}"
    if _partitive_of(ctx, phrase) is not None:   # "a group of X": a stand-in for X (see _partitives)
        return _new_actor(ctx, f"{key}:{phrase.head.root}", name, kind, country, sector)
    actor = _new_actor(ctx, key, name, kind, country, sector)
    ctx.last_by_noun[f"{kind}:{term.text}"] = actor.key
    _note_role(ctx, actor, term)
    return actor


REFERENT_WINDOW = 6   # sentences a definite description looks back for the party it names
NAMED_REFERENT_WINDOW = 40   # ... and for a named party whose name holds its noun ("the council")
STATE_SECTORS = ("GOV", "IGO", "LEG", "JUD", "COP", "MIL")   # bodies of states, never a bare "the group"


def _description_referent(ctx: Context, phrase: Phrase, sector: str) -> Optional[Actor]:
    """The earlier party a definite description names: "the group", "the insurgent group", "the
    ministry", "the junta", "the bloc", "the militants" after the body was named. A party qualifies when
    its name contains the description's noun ("the ministry" -> the Foreign Ministry), or when it is a
    named body of the description's sector ("the insurgent group" -> the Taliban, "the bloc" -> the EU),
    or, for a bare generic noun ("the group", "the organization"), any named body. The latest named
    party whose name contains the noun wins, within REFERENT_WINDOW sentences, then NAMED_REFERENT_WINDOW
    ("the Security Council ... UNICEF's chief told the council"); else the latest party in the window
    that an earlier description of the noun named or that qualifies otherwise."""
    term = phrase.head.term
    noun = " " + term.text + " "
    modified = bool(_phrase_terms_with_sector(phrase))
    here = phrase.head.root
    earliest = ctx.starts[max(0, bisect_right(ctx.starts, here) - 1 - REFERENT_WINDOW)] if ctx.starts else 0
    sentence = bisect_right(ctx.starts, here) - 1 if ctx.starts else 0
    farthest = ctx.starts[max(0, sentence - NAMED_REFERENT_WINDOW)] if ctx.starts else 0
    window, before = [], []
    for tok, actor in reversed(ctx.recent):
        if tok < farthest:
            break   # bounded: the work per description does not grow with the text
        if tok < here and actor.kind in ("organization", "group"):
            (window if tok >= earliest else before).append(actor)

    def named_as(actor: Actor) -> bool:
        return noun in " " + actor.name.lower().replace("-", " ") + " " and (not modified or actor.sector == sector)

    for actor in [*window, *before]:
        if _is_named(actor) and named_as(actor):
            return actor
    for actor in window:
        if named_as(actor):
            return actor
        if not _is_named(actor):
            continue
        if sector and actor.sector == sector and (term.generic or term.kind == "group"):
            return actor
        if sector == "GOV" and actor.sector == "IGO" and term.generic and term.kind == "organization":
            return actor     # "UNICEF ... the agency": a body of states is a government-like body
        if not sector and term.generic and not _phrase_terms_with_sector(phrase) and actor.sector not in STATE_SECTORS:
            return actor     # "the group" is not the IEA or the ministry named before it
    return None


def _phrase_terms_with_sector(phrase: Phrase) -> list[Term]:
    return [m.term for m in phrase.mods if m.term is not None and m.term.sector]


def _resolve_term(ctx: Context, phrase: Phrase) -> list[Actor]:
    """Phrases headed by a sector word; one actor per country for 'Hungarian and Romanian officials'."""
    term = phrase.head.term
    head_tok = ctx.doc[phrase.head.root]
    plural = head_tok.tag_ in ("NNS", "NNPS")
    first = ctx.doc[phrase.start].lower_
    if first in NEGATIVE:
        return []    # "no group has claimed responsibility": nobody
    countries = [c for c, _ in phrase.countries] or [""]
    if len(countries) > 1 and term.kind != "title":
        words = {m.root: ctx.text(m.start, m.end) for m in phrase.mods}
        return [_resolve_group(ctx, phrase, c, f"{words.get(tok, ctx.doc[tok].text)} {head_tok.text}")
                for c, tok in dict(reversed(phrase.countries)).items()][::-1]
    country = countries[0] or _phrase_country(ctx, phrase)
    if "owned" in term.flags:
        # "the Chinese side" is China, "the European side" the EU; "the other side" is no party by itself
        owner = _first_lender(ctx, phrase) or next(map(lambda u: _lender_actor(ctx, u), phrase.lenders), None)
        if owner is not None:
            return [owner]
        if country and country != "IGO":
            name = ctx.lex.country_names.get(country, country)
            return [_new_actor(ctx, f"state:{country}", name, "state", country, "GOV")]
        return []
    if term.kind == "title":
        return [a for a in [_resolve_title(ctx, phrase, first, plural)] if a]
    if term.kind == "source":
        if plural and country:
            return [_resolve_group(ctx, phrase, country)]
        return [_anonymous(ctx, phrase, country)]
    return [_resolve_group(ctx, phrase, country)]


def _resolve_phrase(ctx: Context, phrase: Phrase) -> list[Actor]:
    head = phrase.head
    doc = ctx.doc
    kind = head.kb_kind
    if kind in ("person", "surname") or head.label == "PERSON":
        actor = _resolve_person(ctx, phrase)
        return [actor] if actor else []
    if kind in ("state", "capital"):
        if _is_venue(doc, head):
            return []
        entry = head.entries[0]
        return [_new_actor(ctx, entry.key, entry.name, "state", entry.country, entry.sector)]
    if kind == "demonym":
        # "the Japanese", "Koreans": a people, only when used as a noun
        if doc[head.root].pos_ in ("NOUN", "PROPN") and doc[head.root].dep_ in SUBJ_OBJ_DEPS:
            entry = head.entries[0]
            name = doc[head.start:head.end].text
            if _ethnic(doc, head):   # its country is where it lives, which later stages may tell
                return [_new_actor(ctx, f"people:ethnic:{name.lower()}", name, "group", "", "CVL")]
            if phrase.countries:     # "Bosnian Serbs", "Chinese Uyghurs": a people of the first one's country
                country = phrase.countries[0][0]
                name = ctx.text(phrase.start, phrase.end) if ctx.doc[phrase.start].lower_ not in DEFINITE \
                    else ctx.text(phrase.start + 1, phrase.end)
                return [_new_actor(ctx, f"people:{country}:{name.lower()}", name, "group", country, "CVL")]
            return [_new_actor(ctx, f"people:{entry.country}", name, "group", entry.country, "CVL")]
        return []
    if kind in ("organization", "group"):
        entry = _choose_entry(ctx, head.entries)
        return [_new_actor(ctx, entry.key, entry.name, kind, entry.country, entry.sector)]
    if head.source == "ent":
        known = _known_by_part(ctx, doc[head.start:head.end].text)
        if known is not None:
            return [known]   # a named person's surname that NER took for an organization or place
        if head.label == "ORG":
            if head.term and head.term.kind == "thing":
                return []
            name = doc[head.start:head.end].text
            earlier = _earlier_body_named(ctx, name)
            if earlier is not None:
                return [earlier]    # "the Commission on X" after "the U.N. Commission on X"
            parent = _parent_body(ctx, head)
            country = _phrase_country(ctx, phrase) or _inner_country(ctx, head) or (parent.country if parent else "")
            sector = head.term.sector if head.term else (_modifier_sector(phrase) or (parent.sector if parent else ""))
            if parent is not None and parent.sector and (head.term is None or head.term.generic):
                sector = parent.sector   # "U.N. Refugee Agency": an agency of an IGO is IGO
            return [_new_actor(ctx, f"org:{name.lower()}", name, "organization", country, sector)]
        if head.label == "NORP" and doc[head.root].dep_ in SUBJ_OBJ_DEPS and doc[head.root].tag_ in ("NNS", "NNPS"):
            name = doc[head.start:head.end].text
            # "Iraqi Kurds": a people of a country
            country = phrase.countries[0][0] if phrase.countries else ""
            return [_new_actor(ctx, f"people:{country}:{name.lower()}", name, "group", country, "CVL" if country else "")]
        return []
    if head.source == "term" and head.term.kind in ("title", "organization", "group", "source"):
        return _resolve_term(ctx, phrase)
    return []


def _choose_entry(ctx: Context, entries: list[Entry]) -> Entry:
    """An ambiguous acronym ("SDF") means the one already in the document or of a country it names."""
    if len(entries) == 1:
        return entries[0]
    dated = [e for e in entries if e.covers(ctx.date)]   # one body over time: the row for the article date
    if dated and len({e.key for e in entries}) == 1:
        return dated[0]
    entries = [e for e in entries if e.covers(ctx.date)] or entries
    for entry in entries:
        if entry.key in ctx.actors:
            return entry
    countries = {a.country for a in ctx.actors.values()}
    return next((e for e in entries if e.country in countries), entries[0])


def _inner_country(ctx: Context, unit: Unit) -> str:
    """A country named inside an unknown organization's name ("Bank of Japan")."""
    for start in range(unit.start, unit.end):
        for end in range(min(unit.end, start + 4), start, -1):
            for entry in ctx.lex.entries.get(ctx.doc[start:end].text, ()):
                if entry.kind in ("state", "demonym"):
                    return entry.country
    return ""


def _earlier_body_named(ctx: Context, name: str) -> Optional[Actor]:
    """An organization already in the story whose name contains this one's words (a shorter mention)."""
    words = _name_words(name)
    if len(words) < 2:
        return None
    for _, actor in reversed(ctx.recent):
        if actor.kind == "organization" and actor.key.startswith("org:") and words < _name_words(actor.name):
            return actor
    return None


def _parent_body(ctx: Context, unit: Unit) -> Optional[Entry]:
    """A known body whose name begins an unknown organization's name: the organization is part of it
    ("Taliban Foreign Ministry", "Hamas Interior Ministry")."""
    for end in range(min(unit.end - 1, unit.start + 4), unit.start, -1):
        found = [e for e in ctx.lex.entries.get(ctx.doc[unit.start:end].text, ()) if e.kind in ("organization", "group")]
        if found:
            return _choose_entry(ctx, found)
    return None


# --------------------------------------------------------------------------- appositions

def _merge_appositions(doc, phrases: list[Phrase], owner: list[Optional[int]], units: list[Unit]) -> list[tuple[Phrase, Phrase]]:
    """Pairs (person phrase, descriptive phrase) in apposition: "Kim, a South Korean diplomat"."""
    by_unit = {id(p.head): p for p in phrases}
    pairs = []
    for p in phrases:
        root = doc[p.head.root]
        if root.dep_ != "appos":
            continue
        other_n = owner[root.head.i]
        if other_n is None:
            continue
        q = by_unit.get(id(units[other_n]))
        if q is None:
            continue
        person, desc = (q, p) if _is_personish(q.head) or _is_personish(p.head) is False and _unknown_org(q.head) else (p, q)
        if desc.head.source == "term" and desc.head.term.kind in ("title", "source"):
            if _unknown_org(person.head) and desc.head.term.kind == "title":
                person.head.label = "PERSON"    # "Artur Romeu, director of ...": NER took the name for an organization
            if _is_personish(person.head):
                pairs.append((person, desc))
    return pairs


def _unknown_org(unit: Unit) -> bool:
    return unit.source == "ent" and unit.label == "ORG" and unit.term is None


def _is_personish(unit: Unit) -> bool:
    return unit.kb_kind in ("person", "surname") or unit.label == "PERSON"


# --------------------------------------------------------------------------- stage

def annotate(article: Article) -> None:
    """Find and resolve the article's actors; fill `article.actors` and `article.tokens`."""
    doc = article.doc
    article.actors = []
    article.tokens = TokenIndex()
    if doc is None or len(doc) == 0:
        return
    lex = _lexicon()
    units, owner = _find_units(doc, lex)
    article.tokens.country = _country_tokens(doc, units)
    _attach(doc, units, owner)
    phrases = _build_phrases(doc, units)
    ctx = Context(doc, lex, _article_date(article), article.home_country or "")
    ctx.story = _story_country(doc, units, lex)
    ctx.starts = _sentence_starts(doc)
    appos = _merge_appositions(doc, phrases, owner, units)
    described = {id(desc): person for person, desc in appos}
    descriptions: dict[int, list[Phrase]] = {}
    for person, desc in appos:   # the description lends country and title to the person
        person.countries = person.countries or desc.countries
        person.mods = person.mods + [desc.head] + desc.mods
        person.lenders = person.lenders + desc.lenders
        descriptions.setdefault(id(person), []).append(desc)
    mentions: list[tuple[int, int, Actor, list[int]]] = []   # token span, actor, extra token indexes
    resolved: list[tuple[Phrase, list[Actor]]] = []
    deferred = []
    for phrase in phrases:
        if id(phrase) in described:
            deferred.append(phrase)
            continue
        found = _resolve_phrase(ctx, phrase)
        resolved.append((phrase, found))
        for actor in found:
            ctx.token_keys[phrase.head.root] = actor.key
            ctx.recent.append((phrase.head.root, actor))
            mentions.append((phrase.start, phrase.end, actor, []))
        if len(found) > 1:
            # per-country split: each demonym token points at its own actor
            for actor, (_, tok) in zip(found, phrase.countries):
                mentions.append((tok, tok + 1, actor, [tok]))
    _late_surnames(ctx, mentions, owner, units)
    for desc in deferred:
        person = described[id(desc)]
        actors = [m[2] for m in mentions if m[0] == person.start and m[1] == person.end]
        if actors:
            mentions.append((desc.start, desc.end, actors[0], []))
    _through_the_story(ctx, resolved, descriptions, mentions)
    _finish(article, mentions)


def _country_tokens(doc, units: list[Unit]) -> dict[int, tuple[str, int, int, bool]]:
    out: dict[int, tuple[str, int, int, bool]] = {}
    for u in units:
        if u.kb_kind in ("state", "capital", "demonym") and u.entries[0].country:
            for i in range(u.start, u.end):
                out[i] = (u.entries[0].country, u.start, u.end, u.kb_kind == "demonym")
    return out


def _late_surnames(ctx: Context, mentions: list[tuple[int, int, Actor, list[int]]],
                   owner: list[Optional[int]], units: list[Unit]) -> None:
    """Surnames of persons already named, where NER saw none or the wrong entity ("Quispe left", "Yoon" as GPE)."""
    if not ctx.surnames:
        return
    import numpy
    from spacy.attrs import ORTH
    doc = ctx.doc
    hashes = [doc.vocab.strings[name] for name in ctx.surnames]
    hits = numpy.flatnonzero(numpy.isin(doc.to_array(ORTH), hashes)).tolist()   # one pass in C, not per token
    if not hits:
        return
    covered = {i for start, end, _, extra in mentions if not extra for i in range(start, end)}
    first_seen: dict[str, int] = {}
    for start, _, actor, _ in mentions:
        first_seen[actor.key] = min(start, first_seen.get(actor.key, start))
    surnames = ctx.surnames
    i = -1
    for start in hits:
        if start <= i:
            continue
        i, token = start, doc[start]
        key = surnames[token.text]
        if i in covered or not (token.pos_ == "PROPN" or (token.pos_ == "NOUN" and token.dep_ in ("nsubj", "nsubjpass"))):
            continue   # a capitalised known surname as a subject is the person even when tagged a noun ("Lunde left")
        end = i + 1
        while end + 1 < len(doc) and doc[end].text == "-" and ctx.surnames.get(doc[end + 1].text) == key:
            end += 2   # a hyphenated surname
        unit = units[owner[i]] if owner[i] is not None else None
        if (unit is None or (unit.source == "ent" and unit.end <= end)) and first_seen.get(key, len(doc)) < i \
                and not covered.intersection(range(i, end)):
            mentions.append((i, end, ctx.actors[key], []))
        i = end - 1


def _finish(article: Article, mentions: list[tuple[int, int, Actor, list[int]]]) -> None:
    doc = article.doc
    mentions.sort(key=lambda m: (m[0], m[1]))
    order: dict[int, Actor] = {}     # by identity: Actor's == compares every field
    token_map: dict[int, Actor] = {}
    token_list: dict[int, list[Actor]] = {}
    for start, end, actor, extra in mentions:
        order.setdefault(id(actor), actor)
        span = (doc[start].idx, doc[end - 1].idx + len(doc[end - 1]))
        if not extra and span not in actor.mentions:   # extra: a token pointer, not a mention
            actor.mentions.append(span)
        for i in range(start, end):
            if extra:
                token_map[i] = actor
            else:
                token_map.setdefault(i, actor)
                listed = token_list.setdefault(i, [])
                if not any(a is actor for a in listed):
                    listed.append(actor)
    for n, actor in enumerate(order.values(), 1):
        actor.id = f"a{n}"
        actor.mentions.sort()
    for i, acts in token_list.items():
        if len(acts) == 1:
            token_list[i] = acts
    article.actors = list(order.values())
    article.tokens.actor = token_map
    article.tokens.actors = token_list


# --------------------------------------------------------------------------- through the story
# What one sentence leaves open, the story settles: a person's affiliation from the description next
# to the name, a title in one sentence and the name in the next as one person, and a country for
# titles and groups that name none, from the previous sentence's subject or the story's own country.

STORY_MIN_MENTIONS = 3       # a story country needs this many mentions of it,
STORY_MIN_SHARE = 0.4        # this share of all country mentions,
STORY_MIN_LEAD = 1.5         # and this many times the mentions of the runner-up
AFFILIATION_PREPS = {"of", "at", "with", "from", "for"}   # "head of X", "a researcher at X", "a spokesman for X"
LEADING_VERBS = {"head", "lead", "run", "chair", "direct", "found", "represent", "manage"}   # "X, who heads Y"
BODY_KINDS = ("organization", "group", "state")
BODY_SECTORS = ("IGO", "NGO", "BUS")   # bodies whose officers bear government-style titles ("secretary general")


def _story_country(doc, units: list[Unit], lex: Lexicon) -> str:
    """The country a story is about: the one its country names, capitals, demonyms, regions and known
    office holders mention most, when it stands out (a story about two or three countries has none)."""
    counts: dict[str, int] = {}
    for u in units:
        country = ""
        if u.kb_kind in PLACE_KINDS and not _ethnic(doc, u) and not u.entries[0].key.startswith("people:"):
            country = u.entries[0].country    # (not "Uyghurs" in a story about Thailand)
        elif u.kb_kind in ("person", "surname"):
            served = {o.country for e in u.entries for o in lex.offices.get(e.key, ())}
            country = served.pop() if len(served) == 1 else ""
        if country and country != "IGO":
            counts[country] = counts.get(country, 0) + 1
    if not counts:
        return ""
    ranked = sorted(counts.values(), reverse=True)
    best = max(counts, key=lambda c: counts[c])
    runner_up = ranked[1] if len(ranked) > 1 else 0
    if counts[best] >= STORY_MIN_MENTIONS and counts[best] >= STORY_MIN_SHARE * sum(ranked) \
            and counts[best] >= STORY_MIN_LEAD * runner_up:
        return best
    return ""


def _actor_at(ctx: Context, i: int) -> Optional[Actor]:
    key = ctx.token_keys.get(i)
    return ctx.actors.get(key) if key else None


def _affiliation(ctx: Context, token: Any, depth: int = 0) -> Optional[Actor]:
    """The body a description says its person belongs to: "UNICEF's director", "head of the X Council",
    "director of the Asia bureau of X", "a researcher at X", "Y, of the X Congress", "Y, who heads X".
    A state after "for" is a portfolio ("the special rapporteur for Afghanistan"), not an affiliation."""
    nested = []
    for child in token.children:
        dep = child.dep_
        if dep in ("poss", "compound", "nmod", "appos"):
            actor = _actor_at(ctx, child.i)
            if actor is not None and actor.kind in BODY_KINDS:
                return actor
            if actor is None and child.pos_ in NOUN_TAGS:
                nested.append(child)      # "the U.N. children's program"
        elif dep == "prep" and child.lower_ in AFFILIATION_PREPS:
            for obj in child.children:
                if obj.dep_ != "pobj":
                    continue
                actor = _actor_at(ctx, obj.i)
                if actor is not None and actor.kind in BODY_KINDS and not (actor.kind == "state" and child.lower_ == "for"):
                    if _is_named(actor) or depth >= 2:
                        return actor
                    deeper = _affiliation(ctx, obj, depth + 1)   # "director of the Asia bureau of X": X
                    return deeper if deeper is not None else actor
                if actor is None and obj.pos_ in NOUN_TAGS:
                    nested.append(obj)
        elif dep == "relcl" and child.lemma_ in LEADING_VERBS:
            for obj in child.children:
                actor = _actor_at(ctx, obj.i) if obj.dep_ == "dobj" else None
                if actor is not None and actor.kind in BODY_KINDS:
                    return actor
    if depth < 2:
        for child in nested:
            found = _affiliation(ctx, child, depth + 1)
            if found is not None:
                return found
    return None


def _is_named(actor: Actor) -> bool:
    """An actor known by a proper name (a KB entry or a named entity), not by a common noun."""
    return actor.key.startswith(("org:", "state:", "person:"))


def _affiliate(ctx: Context, phrase: Phrase, actor: Actor, descriptions: list[Phrase]) -> None:
    """A person (or an unnamed title holder) takes country and sector from the body it belongs to."""
    if actor.kind not in ("person", "anonymous") or actor.key in ctx.lex.offices:
        return
    title = _phrase_title(phrase)
    nouns = [ctx.doc[phrase.head.root], *(ctx.doc[d.head.root] for d in descriptions)]
    nouns += [c for n in nouns[1:] for c in n.children if c.dep_ == "conj"]   # "commander of X and commander for Y"
    bodies = [b for b in map(lambda n: _affiliation(ctx, n), nouns) if b is not None and b is not actor]
    if not bodies:
        return
    # a body that tells a country (or is an NGO, whose people have none) beats one that does not
    body = next((b for b in bodies if b.country or b.sector == "NGO"), bodies[0])
    if actor.country and body.country != actor.country:
        return   # "U.S. deputy U.N. ambassador": the U.N. is the posting, the U.S. the employer
    if not actor.country and (body.country or body.sector == "NGO"):
        actor.country = body.country
        ctx.settled.add(id(actor))      # an NGO's people have no country, and keep none
    owned = _owned_sector(body, title) if body.kind != "state" else ""
    if owned and (not actor.sector or title is None or actor.sector == title.sector):
        actor.sector = owned


def _sentence_starts(doc) -> list[int]:
    return [s.start for s in doc.sents]


def _is_definite(ctx: Context, phrase: Phrase) -> bool:
    """'the envoy', "Russia's envoy": a description that points at one known party."""
    first = ctx.doc[phrase.start]
    return first.lower_ in DEFINITE or any(c.dep_ == "poss" for c in ctx.doc[phrase.head.root].children)


def _unnamed_holder(ctx: Context, phrase: Phrase, actor: Actor) -> bool:
    """An office holder known only by a definite description ('the U.N. special envoy for Syria')."""
    root = ctx.doc[phrase.head.root]
    return actor.key.startswith(("title:", "anon:")) and actor.role != "" \
        and phrase.head.source == "term" and phrase.head.term.kind == "title" \
        and root.tag_ not in ("NNS", "NNPS") and root.dep_ in ("nsubj", "nsubjpass") and _is_definite(ctx, phrase)


def _bare_name(ctx: Context, phrase: Phrase, actor: Actor, descriptions: list[Phrase]) -> bool:
    """A new person named with nothing that says who they are (no country, no affiliation, no
    description of its own other than a title): '"...," Vassily Nebenzia told the council'."""
    if actor.kind != "person" or actor.country or id(actor) in ctx.settled or actor.key in ctx.lex.offices:
        return False
    if any(not (d.head.term and d.head.term.kind == "title") for d in descriptions):
        return False
    root = ctx.doc[phrase.head.root]
    if any(c.dep_ == "relcl" for c in root.children):
        return False     # "X, who represents Y": described by the clause
    return not any(c.dep_ == "appos" for c in root.children) or bool(descriptions)


def _name_descriptions(ctx: Context, resolved: list[tuple[Phrase, list[Actor]]],
                       descriptions: dict[int, list[Phrase]], starts: list[int]) -> dict[int, Actor]:
    """A title in one sentence and a name in the same or the next one are one person: "Russia's envoy
    dismissed the accusations. '…,' Vassily Nebenzia told the council." The named person takes the
    description's country, sector and role; the description's mentions become the person's. Returns
    id(description actor) -> person."""
    merged: dict[int, Actor] = {}
    open_titles: list[tuple[int, Phrase, Actor]] = []    # (sentence, phrase, actor), text order
    first_seen: set[int] = set()
    for phrase, actors in resolved:
        if len(actors) != 1:
            continue
        actor = actors[0]
        sent = bisect_right(starts, phrase.head.root) - 1
        if _unnamed_holder(ctx, phrase, actor) and id(actor) in ctx.settled and id(actor) not in merged:
            open_titles.append((sent, phrase, actor))
            continue
        if id(actor) in first_seen:
            continue
        first_seen.add(id(actor))
        if not _bare_name(ctx, phrase, actor, descriptions.get(id(phrase), [])):
            continue
        title = _phrase_title(phrase)
        for k in range(len(open_titles) - 1, -1, -1):
            t_sent, t_phrase, t_actor = open_titles[k]
            if sent - t_sent > 1:
                break
            if title is not None and title.sector and title.sector != t_actor.sector and not title.generic \
                    and t_actor.sector not in BODY_SECTORS:
                continue    # an army chief is no senator; but a body's officers bear government-style titles
            actor.country = t_actor.country
            if not actor.sector or (title is not None and title.generic) or t_actor.sector in BODY_SECTORS:
                actor.sector = t_actor.sector
            actor.role = actor.role or t_actor.role
            ctx.settled.add(id(actor))
            merged[id(t_actor)] = actor
            del open_titles[k]
            break
    return merged


CLAIM_WINDOW = 3   # sentences after an attack by unnamed militants in which a group's claim names them
CLAIM_VERBS = {"claim": {"responsibility", "credit"}, "take": {"credit", "responsibility"}, "accept": {"responsibility"}}


def _claimed_attacks(ctx: Context, resolved: list[tuple[Phrase, list[Actor]]], starts: list[int]) -> dict[int, Actor]:
    """Unnamed militants are the group that claims their attack: "Militants attacked a train on
    Tuesday. The Baloch Liberation Army claimed responsibility." Only an explicit claim names them, within
    CLAIM_WINDOW sentences; they never take anyone's country otherwise. Returns id(militants) -> group."""
    claims: list[tuple[int, Actor]] = []
    for token in ctx.doc:
        objects = CLAIM_VERBS.get(token.lemma_)
        if objects and any(c.dep_ == "dobj" and c.lemma_ in objects for c in token.children):
            for subj in token.children:
                actor = _actor_at(ctx, subj.i) if subj.dep_ == "nsubj" else None
                if actor is not None and _is_named(actor) and actor.kind in ("organization", "group"):
                    claims.append((bisect_right(starts, token.i) - 1, actor))
    merged: dict[int, Actor] = {}
    if not claims:
        return merged
    for phrase, actors in resolved:
        for actor in actors:
            if actor.kind != "group" or _is_named(actor) or actor.sector != "REB" or actor.country:
                continue
            sent = bisect_right(starts, phrase.head.root) - 1
            claimant = next((c for s, c in claims if 0 <= s - sent <= CLAIM_WINDOW), None)
            if claimant is not None and claimant is not actor:
                merged[id(actor)] = claimant
    return merged


def _partitives(ctx: Context, resolved: list[tuple[Phrase, list[Actor]]]) -> dict[int, Actor]:
    """A word flagged `partitive` names a part or set of the party after "of": "a group of armed
    prisoners" are the prisoners, "members of the BLA" the BLA. Returns id(part) -> party."""
    merged: dict[int, Actor] = {}
    for phrase, actors in resolved:
        obj = _partitive_of(ctx, phrase)
        party = _actor_at(ctx, obj.i) if obj is not None and len(actors) == 1 else None
        if party is not None and party is not actors[0]:
            merged[id(actors[0])] = party
    return merged


def _partitive_of(ctx: Context, phrase: Phrase) -> Optional[Any]:
    """The "of" object of a phrase headed by a partitive word ("a group of armed prisoners"), if any."""
    term = phrase.head.term
    if term is None or "partitive" not in term.flags or phrase.head.source != "term":
        return None
    for prep in ctx.doc[phrase.head.root].children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            return next((o for o in prep.children if o.dep_ == "pobj"), None)
    return None


def _through_the_story(ctx: Context, resolved: list[tuple[Phrase, list[Actor]]],
                       descriptions: dict[int, list[Phrase]], mentions: list[tuple[int, int, Actor, list[int]]]) -> None:
    starts = ctx.starts
    for _, actors in resolved:
        ctx.settled.update(id(a) for a in actors if a.country)
    bodies = [(p, [a for a in actors if a.kind not in ("person", "anonymous")]) for p, actors in resolved]
    people = [(p, [a for a in actors if a.kind in ("person", "anonymous")]) for p, actors in resolved]
    _context_countries(ctx, bodies, starts)          # "the upper house" before "a member of the upper house"
    for phrase, actors in people:
        for actor in actors:
            _affiliate(ctx, phrase, actor, descriptions.get(id(phrase), []))
    merged = _name_descriptions(ctx, resolved, descriptions, starts)
    merged.update(_claimed_attacks(ctx, resolved, starts))
    merged.update(_partitives(ctx, resolved))
    if merged:
        for n, (start, end, actor, extra) in enumerate(mentions):
            if id(actor) in merged:
                mentions[n] = (start, end, merged[id(actor)], extra)
    for actor in ctx.actors.values():
        if actor.sector == "IGO" and not actor.country:
            actor.country = "IGO"    # a body of states (or its official) is of no one country
            ctx.settled.add(id(actor))
    _context_countries(ctx, people, starts)
    for phrase, actors in resolved:     # "Gachagua's lawyers": the possessor may have got its country only now
        for actor in actors:
            if not actor.country and id(actor) not in ctx.settled and phrase.lenders:
                actor.country = _lent_country(ctx, phrase)


def _phrase_terms(phrase: Phrase) -> list[Term]:
    return [u.term for u in [phrase.head, *phrase.mods] if u.term is not None]


def _context_countries(ctx: Context, resolved: list[tuple[Phrase, list[Actor]]], starts: list[int]) -> None:
    """Countries for parties whose own words name none. A diplomat takes the country of the state the
    previous sentence is about ("China expressed concern. '…,' Deputy Ambassador Geng Shuang said."),
    and a body's officer the body ("The head of MSF told the council … said Secretary General X"); a
    title or group marked `local` in sectors.tsv takes the story's country ("opposition lawmakers" in
    a story about Somalia), and so does a person named with no title or description at all (a reader
    takes the people a local story quotes to be local). Commentators and parties called foreign or
    international take neither."""
    for phrase, actors in resolved:
        for actor in actors:
            if actor.country or id(actor) in ctx.settled or actor.key in ctx.lex.offices:
                continue
            terms = _phrase_terms(phrase)
            if not terms and actor.kind == "person" and not actor.role and not actor.sector:
                actor.country = ctx.story    # named with nothing that says otherwise: of the story's country
                ctx.settled.add(id(actor))
                continue
            if not terms and _unknown_org(phrase.head) and actor.kind == "organization" and not _foreign_words(ctx, phrase.head):
                actor.country = ctx.story    # a company or body named with nothing else ("Iberdrola")
                ctx.settled.add(id(actor))
                continue
            if not terms or any(t.flags & {"nonlocal", "commentator"} for t in terms):
                continue
            title = _phrase_title(phrase)
            country = ""
            if title is not None and actor.kind == "person":
                body = _previous_subject(ctx, phrase, starts)
                owned = _owned_sector(body, title) if body is not None and body.kind != "state" else ""
                if body is not None and (owned or body.kind == "state" and "diplomat" in title.flags):
                    country = body.country     # a diplomat speaks for the state; a body's officer for the body
                    actor.sector = owned or actor.sector
                    ctx.settled.add(id(actor))
            head = title or phrase.head.term
            if (not country and id(actor) not in ctx.settled and head is not None and "local" in head.flags
                    and not _foreign_words(ctx, phrase.head)):
                country = ctx.story      # "the electoral commission", but not "the International Wind Council"
            if country:
                actor.country = country
                ctx.settled.add(id(actor))


def _foreign_words(ctx: Context, unit: Unit) -> bool:
    """A name with a word that says it is no one country's ("International ...", "World ...")."""
    for i in range(unit.start, unit.end):
        term = _match_term(ctx.doc, i, ctx.lex)
        if term is not None and "nonlocal" in term.flags:
            return True
    return False


def _previous_subject(ctx: Context, phrase: Phrase, starts: list[int]) -> Optional[Actor]:
    """The state or body the previous sentence is about (its main subject), for a title holder quoted
    after it: "China expressed concern. '…,' Deputy Ambassador Geng Shuang said."; "The head of MSF
    told the council … '…,' said Secretary General X." A person subject is no body."""
    sent = bisect_right(starts, phrase.head.root) - 1
    if sent < 1:
        return None
    root = ctx.doc[starts[sent - 1]].sent.root
    for child in root.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            actor = _actor_at(ctx, child.i)
            if actor is None or actor.kind == "person":
                return None
            if actor.kind == "anonymous":   # "the head of MSF": the body it belongs to
                return _affiliation(ctx, child)
            if actor.kind == "state" or actor.sector == "GOV" and actor.country or actor.sector in BODY_SECTORS:
                return actor
    return None


# --------------------------------------------------------------------------- helpers for later stages

def is_commentator(actor: Actor) -> bool:
    """Whether an actor comments on events rather than takes part in them: a person or unnamed source
    whose role is a title flagged `commentator` in sectors.tsv ("Security analyst X", "a professor at
    Y", "experts say"). The events stage treats what such actors say as commentary, not asserted events.
    Office holders (roles from persons.tsv) and parties are never commentators."""
    if actor.kind not in ("person", "anonymous") or not actor.role:
        return False
    return actor.role.lower() in _lexicon().commentator_roles


def actors_in(article: Article, start: int, end: int) -> list[Actor]:
    """Actors with a mention inside the char range [start, end), in text order."""
    hits = []
    for a in article.actors:
        inside = [s for s, e in a.mentions if start <= s and e <= end]
        if inside:
            hits.append((min(inside), a))
    return [a for _, a in sorted(hits, key=lambda h: h[0])]


def actor_of_token(article: Article, token_i: int) -> Optional[Actor]:
    """The actor whose mention covers token `token_i` of `article.doc`, if any."""
    return article.tokens.actor.get(token_i) if article.doc is not None else None


def _actors_on(article: Article, token_i: int) -> list[Actor]:
    listed = article.tokens.actors.get(token_i)
    if listed:
        return list(listed)
    single = actor_of_token(article, token_i)
    return [single] if single else []


def country_of_token(article: Article, token_i: int) -> Optional[tuple[str, int, int, bool]]:
    """(ISO3, start, end, is_demonym) of the country name, capital or demonym covering a token, actor or not."""
    return article.tokens.country.get(token_i) if article.doc is not None else None


def _char_span(doc, start: int, end: int) -> tuple[int, int]:
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1])


def _add_actor(article: Article, actor: Actor, span: tuple[int, int]) -> Actor:
    """Register an actor created by a later stage (or add the mention to the one already there)."""
    for known in article.actors:
        if known.key == actor.key:
            if span not in known.mentions:
                known.mentions.append(span)
                known.mentions.sort()
            return known
    actor.id = f"a{len(article.actors) + 1}"
    actor.mentions = [span]
    article.actors.append(actor)
    return actor


def state_actor(article: Article, country: str, start: int, end: int) -> Actor:
    """The state `country` as a party, named at tokens [start, end) (a place or a demonym of a thing)."""
    name = _lexicon().country_names.get(country, country)
    return _add_actor(article, Actor("", name, country, "GOV", kind="state", key=f"state:{country}"),
                      _char_span(article.doc, start, end))


def group_actor(article: Article, country: str, sector: str, start: int, end: int, name: str = "") -> Actor:
    """A group of `country` and `sector` named at tokens [start, end) ("Israeli helicopters" -> ISR MIL)."""
    doc = article.doc
    words = [t.text for t in doc[start:end] if t.lower_ not in DEFINITE | INDEFINITE]
    name = name or " ".join(words) or doc[start:end].text
    key = f"group:{country}:{sector}:{name.lower()}"
    return _add_actor(article, Actor("", name, country, sector, kind="group", key=key), _char_span(doc, start, end))


def named_actor(article: Article, name: str, kind: str, country: str, spans: list[tuple[int, int]]) -> Actor:
    """A person or body a later stage found named at token ranges `spans` where this stage saw no actor
    (a source the entity recognizer missed: '"...," Tomas Varga told the council'); registered like
    this stage's own actors, token map included, so that every later stage sees it."""
    doc = article.doc
    key = _person_key(name) if kind == "person" else f"{kind}:{name.lower()}"
    actor = _add_actor(article, Actor("", name, country, "", kind=kind, key=key), _char_span(doc, *spans[0]))
    token_map = article.tokens.actor
    for start, end in spans:
        span = _char_span(doc, start, end)
        if span not in actor.mentions:
            actor.mentions.append(span)
        for i in range(start, end):
            token_map.setdefault(i, actor)
    actor.mentions.sort()
    return actor


def head_actors(article: Article, token: Any) -> list[Actor]:
    """The actors an argument token denotes.

    The actor(s) covering the token and its conjuncts ("Yoon and Kishida"); possessor, compound and
    adjectival modifiers count when the head is no actor or an actor without a country of its own.
    Relative clauses and prepositional phrases of the argument are never searched.
    """
    if article.doc is None:
        return []
    found: list[Actor] = []

    def add(actors: list[Actor]) -> None:
        for a in actors:
            if a not in found:
                found.append(a)

    for t in sorted([token, *token.conjuncts], key=lambda t: t.i):
        own = _actors_on(article, t.i)
        add(own)
        if not own or all(not a.country for a in own):
            for child in t.children:
                if child.dep_ in ("poss", "compound", "amod", "nmod"):
                    named = [a for a in _actors_on(article, child.i) if a not in own]
                    # "the Asia-Pacific Economic Cooperation (APEC) forum": the modifier's bracketed name
                    named = named or [a for g in child.children if g.dep_ == "appos"
                                      for a in _actors_on(article, g.i) if a not in own]
                    add(named)
    return found
