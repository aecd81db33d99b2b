"""The event lexicon: PLOVER types, trigger words and phrases, and helper word classes.

Read once per process from gestae/data/plover_types.tsv, triggers.tsv and event_words.tsv (plus the
reporting verbs of speech_verbs.tsv) and turned into dict indexes keyed by lemma, so that matching a
token costs a couple of dict look-ups. Inflected forms of every trigger lemma are generated here too,
because the tagger's lemmas are sometimes wrong ("staged" -> "stag").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from spacy.strings import hash_string

from gestae.errors import GestaeError
from gestae.knowledge import read_table, split_multi

# Grammatical classes of the tagger's POS tags, as the lexicon's pos column names them.
POS_GROUP = {"VERB": "VERB", "AUX": "VERB", "NOUN": "NOUN", "PROPN": "NOUN", "ADJ": "ADJ"}
CONFLICT_QUADS = {"VERBAL CONFLICT", "MATERIAL CONFLICT"}
VOWELS = set("aeiou")


@dataclass(frozen=True, slots=True)
class TypeInfo:
    """One PLOVER type: quad class, default score and CAMEO root, and its modes' scores."""
    name: str
    quad_class: str
    score: float
    cameo: str
    requires_recipient: bool
    mode_scores: dict[str, Optional[float]] = field(default_factory=dict)

    @property
    def conflict(self) -> bool:
        return self.quad_class in CONFLICT_QUADS

    def score_for(self, mode: str) -> float:
        value = self.mode_scores.get(mode)
        return self.score if value is None else value


@dataclass(frozen=True, slots=True)
class Trigger:
    """One row of triggers.tsv."""
    words: tuple[str, ...]
    head: int                      # index in `words` of the word the token must be
    pos: str                       # VERB | NOUN | ADJ
    type: str                      # a PLOVER type or INTENT
    mode: str
    cameo: str
    context: tuple[str, ...]
    flags: frozenset[str]
    subjects: frozenset[str]       # allowed subject lemmas (flag subj=...)
    preps: frozenset[str]          # required prepositions (flag prep=...)
    objects: frozenset[str]        # allowed object lemmas ('@party' = any party)
    support: frozenset[str]        # NOUN: verb classes that realise it
    confidence: float

    @property
    def others(self) -> tuple[str, ...]:
        return self.words[:self.head] + self.words[self.head + 1:]

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass(slots=True, eq=False)
class Lexicon:
    types: dict[str, TypeInfo]
    triggers: dict[tuple[str, str], list[Trigger]]     # (head lemma, pos) -> rows, longest phrase first
    forms: dict[str, str]                              # inflected form -> lemma, for trigger heads
    classes: dict[str, frozenset[str]]                 # word -> its classes in event_words.tsv
    speech: frozenset[str]                             # reporting verb lemmas
    frames: dict[tuple[str, str], tuple[str, str, str]]  # (outer, inner) -> (type, mode, cameo)
    by_class: dict[str, frozenset[str]] = field(default_factory=dict)  # class -> its words
    heads: frozenset[str] = frozenset()                  # every trigger head lemma, for a quick pre-check
    # String hashes of trigger head lemmas and forms: a whole Doc is pre-filtered in one array pass.
    head_hashes: frozenset[int] = frozenset()
    form_hashes: frozenset[int] = frozenset()

    def words_of(self, cls: str) -> frozenset[str]:
        return self.by_class.get(cls, frozenset())


def _float(cell: str, where: str) -> float:
    try:
        return float(cell)
    except ValueError:
        raise GestaeError(f"{where}: not a number: {cell!r}") from None


def _load_types() -> dict[str, TypeInfo]:
    types: dict[str, TypeInfo] = {}
    for row in read_table("plover_types.tsv"):
        modes: dict[str, Optional[float]] = {}
        for item in split_multi(row.get("modes")):
            name, _, value = item.partition("=")
            modes[name.strip()] = _float(value, "plover_types.tsv") if value.strip() else None
        types[row["type"]] = TypeInfo(row["type"], row["quad_class"], _float(row["score"], "plover_types.tsv"),
                                      row["cameo"], row.get("requires_recipient") == "yes", modes)
    return types


def _parse_trigger(row: dict[str, str]) -> Trigger:
    raw = row["phrase"].split()
    pos = row["pos"].upper()
    marked = [i for i, w in enumerate(raw) if w.startswith("*")]
    # A verb phrase is headed by its verb (first word); an English noun compound by its last word.
    head = marked[0] if marked else (len(raw) - 1 if pos == "NOUN" else 0)
    words = tuple(w.lstrip("*").lower() for w in raw)
    flags, subjects, preps, conf = set(), set(), set(), 0.7 if pos == "NOUN" else 0.8
    for flag in split_multi(row.get("flags")):
        name, _, value = flag.partition("=")
        values = {v.strip() for v in value.split(",") if v.strip()}
        if name == "subj":
            subjects |= values
        elif name == "prep":
            preps |= values
        elif name == "conf":
            conf = _float(value, "triggers.tsv")
        else:
            flags.add(name)
    return Trigger(words, head, pos, row["type"], row.get("mode", ""), row.get("cameo", ""),
                   tuple(split_multi(row.get("context"))), frozenset(flags), frozenset(subjects),
                   frozenset(preps), frozenset(split_multi(row.get("objects"))),
                   frozenset(split_multi(row.get("support")) or ("do", "occur")), conf)


def inflections(lemma: str, pos: str) -> set[str]:
    """Regular inflected forms of a lemma (over-generation is harmless: they are only look-up keys)."""
    forms = {lemma}
    if pos == "NOUN":
        forms |= {lemma + "s", lemma + "es"}
        if lemma.endswith("y") and lemma[-2:-1] not in VOWELS:
            forms.add(lemma[:-1] + "ies")
        return forms
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    forms |= {lemma + "s", lemma + "es", stem + "ed", stem + "ing", lemma + "d"}
    if lemma.endswith("y") and lemma[-2:-1] not in VOWELS:
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if len(lemma) >= 3 and lemma[-1] not in VOWELS | {"w", "x", "y"} and lemma[-2] in VOWELS \
            and lemma[-3] not in VOWELS:
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}  # stop -> stopped
    return forms


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """All event knowledge, indexed; built once per process."""
    types = _load_types()
    frames = {(r["outer"], r["inner"]): (r.get("type", ""), r.get("mode", ""), r.get("cameo", ""))
              for r in read_table("event_frames.tsv")}
    # a trigger's type is a PLOVER type or a frame of event_frames.tsv (INTENT, SCHEDULE ...)
    frame_types = {outer for outer, _ in frames}
    triggers: dict[tuple[str, str], list[Trigger]] = {}
    forms: dict[str, str] = {}
    for row in read_table("triggers.tsv", "triggers"):
        if not row.get("phrase") or not row.get("type"):
            continue
        trig = _parse_trigger(row)
        if trig.type not in types and trig.type not in frame_types:
            raise GestaeError(f"triggers.tsv: unknown PLOVER type {trig.type!r} for {trig.text!r}")
        lemma = trig.words[trig.head]
        triggers.setdefault((lemma, trig.pos), []).append(trig)
        for form in inflections(lemma, trig.pos):
            forms.setdefault(form, lemma)
    for rows in triggers.values():
        rows.sort(key=lambda t: -len(t.words))  # stable: file order among equals
    classes: dict[str, set[str]] = {}
    for row in read_table("event_words.tsv"):
        word = row["word"].lower()
        classes.setdefault(word, set()).add(row["class"])
        first = word.split()[0]
        if row["class"] not in ("party", "future", "hypothetical", "deontic", "force", "menace", "enforcer", "act", "media", "prospective"):
            for form in inflections(first, "VERB"):
                forms.setdefault(form, first)
    speech = {w for w, c in classes.items() if "speech" in c}
    try:
        speech |= {r["lemma"].lower() for r in read_table("speech_verbs.tsv") if r.get("kind") == "verb"}
    except GestaeError:
        pass  # the reporting-verb table belongs to the quotes stage; ours suffices without it
    by_class: dict[str, set[str]] = {}
    for word, cls in classes.items():
        for c in cls:
            by_class.setdefault(c, set()).add(word)
    return Lexicon(types, triggers, forms, {w: frozenset(c) for w, c in classes.items()}, frozenset(speech),
                   frames, {c: frozenset(w) for c, w in by_class.items()},
                   frozenset(lemma for lemma, _ in triggers),
                   frozenset(hash_string(lemma) for lemma, _ in triggers),
                   frozenset(hash_string(form) for form, lemma in forms.items() if any(
                       (lemma, pos) in triggers for pos in ("VERB", "NOUN", "ADJ"))))


@lru_cache(maxsize=1)
def event_nouns() -> frozenset[str]:
    """Lemmas of event nouns ("request", "proposal", "attack", "talk"): other stages can tell that a
    country modifying one ("a U.S. request", "Israeli air raids") names a party to an event."""
    return frozenset(lemma for (lemma, pos) in lexicon().triggers if pos == "NOUN")
