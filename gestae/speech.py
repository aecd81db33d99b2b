"""Who speaks: reporting verbs, their speakers, and where an article quotes someone.

Shared by the `events` stage (an event's `reported_by`) and the `quotes` stage (a quotation's speaker).

- `SPEECH_VERBS` / `is_speech_verb`: reporting expressions from data/speech_verbs.tsv ("say", "tell",
  "warn", ..., "according to").
- `speaker_of(article, verb_token)`: the actor speaking through a reporting verb: its subject ("X said",
  "said X", "X told reporters"), the agent of a passive ("it was announced by X"), the object of
  "according to X", the noun a participle or relative clause hangs on ("officials speaking on condition
  of anonymity", "the minister, who said"). A pronoun subject ("he said") goes, sentence by sentence
  back from its own, to the first compatible actor in subject position, else the latest one mentioned
  there (words inside quotation marks never count; pronoun subjects pass their antecedent on; a 'she'
  never takes the person an earlier 'he' named), then to the last compatible *main* speaker (one whose
  verb is not itself reported and not inside a quotation). A bare definite description ("the official
  said") goes to the last compatible main speaker. Titles the actors stage could not name ("Peru's
  envoy") are the named person of that country and a kindred role (role_kin.tsv); an unnamed source
  a definite description introduces ("the port official said") is the source named just before; a
  one-word misspelling of a family name is that person. Repairs for parser slips: a subject-less finite
  verb takes the nearest noun before it outside quotes ('Speaking on condition of anonymity, a senior
  official ... told'), a verb right after a closing quote reads its subject to the right ('"...," added
  X'), a reporting participle takes the subject of the reporting verb before it ('X said, adding that'),
  and a bare family name the actors stage left unlinked goes to the one actor of that name.
- `annotate(article)`, the stage 'speakers' (after 'actors', before 'events'): builds the table once;
  a proper name speaking through a reporting verb that no actor covers ('"...," Tomas Varga told
  the council', NER often misreads names next to quotation marks) becomes an actor then, so that the
  events stage sees it too.
- `quote_regions(article)`: character spans of the text between quotation marks (straight and curly),
  across sentences and across paragraphs when the next paragraph reopens the quote; an opening mark
  met while a quote is open ends that one (it was never closed).

Everything per article is computed once (after the `actors` stage) and kept in
`article.derived`; reporting verbs are found from one array of token attributes, not per Token.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator, Optional

from spacy.attrs import LEMMA, LOWER, POS
from spacy.strings import get_string_id
from spacy.symbols import AUX, VERB

from gestae.actors import FAMILY_FLAGS, actor_of_token, country_of_token, head_actors, named_actor, state_actor
from gestae.knowledge import read_table, split_multi
from gestae.model import Actor, Article, Span

# Tiny grammatical word sets (not knowledge): pronouns a speaker can be, and their agreement.
SINGULAR_PERSON_PRONOUNS = frozenset({"he", "she"})
PLURAL_PRONOUNS = frozenset({"they"})
NEUTER_PRONOUNS = frozenset({"it"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
DEFINITE_DETERMINERS = frozenset({"the", "this", "that", "these", "those"})
GROUP_KINDS = frozenset({"state", "organization", "group"})

# Dependency labels through which a subject-less reporting verb inherits the subject of its head.
_INHERIT_SUBJECT = frozenset({"xcomp", "advcl", "conj", "pcomp", "prep"})
_NOUN_ATTACHED = frozenset({"acl", "relcl"})
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP"})
# Arguments of a reporting verb that name who speaks or is spoken to, not what is reported.
_SPEAKER_SIDE = frozenset({"nsubj", "nsubjpass", "agent", "dobj", "iobj", "dative", "punct"})

# How far back a pronoun looks for an earlier main speaker (sentences), and for any actor mention.
SPEAKER_LOOKBACK_SENTENCES = 6
MENTION_LOOKBACK_SENTENCES = 2
# How far back a pronoun subject looks for a salient antecedent before falling back to speakers.
PRONOUN_LOOKBACK_SENTENCES = 3
# How many words after a verb an inverted subject may start ('"...," said international relations expert X').
INVERTED_SUBJECT_REACH = 6
# How far ahead a title without a name ("Peru's envoy") looks for the person it introduces.
TITLE_LOOKAHEAD_SENTENCES = 2
# How far back a fresh definite description ('the port official said') looks for the speaker it names.
DESCRIBED_SPEAKER_SENTENCES = 2
# How far back a document source ('the statement said') looks for the same document and its author.
DOCUMENT_LOOKBACK_SENTENCES = 4
# Shortest one-word name taken for a misspelling of a longer family name.
MIN_SPELLED_ALIKE = 5
# Actors-stage key of a title it could give no holder ("title:RUS:envoy").
TITLE_KEY_PREFIX = "title:"



@dataclass(frozen=True, slots=True)
class SpeechLexicon:
    verbs: frozenset[str]          # lemmas of reporting verbs
    clause_verbs: frozenset[str]   # those whose complement clause is reported speech
    phrases: frozenset[tuple[str, ...]]  # multi-word expressions ("according", "to")
    verb_ids: frozenset[int]       # spaCy string ids of `verbs`, for fast token checks
    phrase_first_ids: frozenset[int]


@lru_cache(maxsize=1)
def lexicon() -> SpeechLexicon:
    verbs, clause_verbs, phrases = set(), set(), set()
    for row in read_table("speech_verbs.tsv"):
        lemma = row.get("lemma", "").lower()
        if not lemma:
            continue
        if row.get("kind") == "phrase":
            phrases.add(tuple(lemma.split()))
            continue
        verbs.add(lemma)
        if row.get("takes_clause", "").lower() == "yes":
            clause_verbs.add(lemma)
    verb_ids = [get_string_id(v) for v in verbs]
    first_ids = [get_string_id(p[0]) for p in phrases]
    return SpeechLexicon(frozenset(verbs), frozenset(clause_verbs), frozenset(phrases),
                         frozenset(verb_ids), frozenset(first_ids))


def __getattr__(name: str) -> Any:
    # SPEECH_VERBS is read lazily so that user knowledge files registered at start-up are honoured.
    if name == "SPEECH_VERBS":
        return lexicon().verbs
    raise AttributeError(name)


# ---------------------------------------------------------------- recognising reporting expressions

def _is_phrase_start(token: Any) -> bool:
    """'according' in 'according to X' (any phrase from the table)."""
    for phrase in lexicon().phrases:
        if token.lower_ != phrase[0]:
            continue
        doc = token.doc
        if all(token.i + k < len(doc) and doc[token.i + k].lower_ == w for k, w in enumerate(phrase)):
            return True
    return False


def is_speech_verb(token: Any) -> bool:
    """True for a reporting verb ('said', 'told', 'warned') or the first word of 'according to'."""
    lex = lexicon()
    if (token.pos == VERB or token.pos == AUX) and token.lemma in lex.verb_ids:
        return True
    return token.lower in lex.phrase_first_ids and _is_phrase_start(token)


def takes_reported_clause(token: Any) -> bool:
    """Whether the verb's complement clause is reported speech ('said that ...')."""
    return token.lemma_.lower() in lexicon().clause_verbs


def reported_clause(token: Any) -> Optional[Any]:
    """The complement clause (its head token) a reporting verb introduces, if any."""
    if not takes_reported_clause(token):
        return None
    for child in token.children:
        if child.dep_ == "ccomp":
            return child
    return None


# ---------------------------------------------------------------- quotation regions in the text

@dataclass(frozen=True, slots=True)
class QuoteRegion:
    """Text between quotation marks. `pieces` are the quoted stretches (several when the quote goes on
    in a new paragraph); `span` runs from the first quoted character to the last."""
    span: Span
    pieces: tuple[Span, ...]


_OPENING = "“«„"
_CLOSING = "”»"
_STRAIGHT = '"'
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_HAS_MARK = re.compile('["“”«»„]')


def paragraph_spans(article: Article) -> list[Span]:
    """Paragraph spans: the cleaner's, else blank-line separated blocks of the text."""
    if article.paragraphs:
        return list(article.paragraphs)
    spans, start = [], 0
    for m in _PARAGRAPH_BREAK.finditer(article.text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(article.text)))
    return spans


def _opens_straight(text: str, i: int) -> bool:
    """A straight quote opens when it follows a space, a bracket, a dash or the paragraph start."""
    return i == 0 or text[i - 1].isspace() or text[i - 1] in "([{—–-/"


def _looks_opening(text: str, i: int) -> bool:
    """A mark that can only open a quotation: a curly opening mark, or a straight one after a space and
    before a word ('said. "Both'). Met while a quotation is open, it shows that one was never closed."""
    ch = text[i]
    if ch in _OPENING:
        return True
    return ch == _STRAIGHT and _opens_straight(text, i) and i + 1 < len(text) and text[i + 1].isalnum()


def _quoted_pieces(text: str, start: int, end: int) -> tuple[list[Span], Optional[int]]:
    """Quoted stretches of one paragraph; also where a quote still open at its end began. Each opening
    mark starts a new quotation: one left unclosed before it ends there."""
    pieces: list[Span] = []
    open_at: Optional[int] = None
    for mark in _HAS_MARK.finditer(text, start, end):
        i = mark.start()
        ch = text[i]
        if open_at is not None and _looks_opening(text, i):
            if i > open_at:
                pieces.append((open_at, i))   # an unclosed quotation ends where the next one opens
            open_at = i + 1
        elif ch in _OPENING or (ch == _STRAIGHT and open_at is None and _opens_straight(text, i)):
            if open_at is None:
                open_at = i + 1
        elif ch in _CLOSING or ch == _STRAIGHT:
            if open_at is not None:
                if i > open_at:
                    pieces.append((open_at, i))
                open_at = None
    return pieces, open_at


def _strip_span(text: str, s: int, e: int) -> Span:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def find_quote_regions(text: str, paragraphs: list[Span]) -> list[QuoteRegion]:
    """Quotation regions of a text. A quote left open at a paragraph's end continues when the next
    paragraph opens with a quote mark (the newspaper convention); otherwise it ends with its paragraph."""
    regions: list[QuoteRegion] = []
    carried: list[Span] = []  # pieces of a quote running on from earlier paragraphs

    def close_carried() -> None:
        if carried:
            regions.append(QuoteRegion((carried[0][0], carried[-1][1]), tuple(carried)))
            carried.clear()

    for p_start, p_end in paragraphs:
        if not _HAS_MARK.search(text, p_start, p_end):
            close_carried()
            continue
        pieces, open_at = _quoted_pieces(text, p_start, p_end)
        first, _ = _strip_span(text, p_start, p_end)
        if carried:
            if pieces and pieces[0][0] == first + 1:      # reopened here and closed
                carried.append(_strip_span(text, *pieces.pop(0)))
                close_carried()
            elif not pieces and open_at == first + 1:      # reopened here and still open
                carried.append(_strip_span(text, open_at, p_end))
                continue
            else:
                close_carried()
        for s, e in pieces:
            s, e = _strip_span(text, s, e)
            if e > s:
                regions.append(QuoteRegion((s, e), ((s, e),)))
        if open_at is not None:
            s, e = _strip_span(text, open_at, p_end)
            if e > s:
                carried.append((s, e))
    close_carried()
    return regions


def quote_regions(article: Article) -> list[QuoteRegion]:
    """The article's quotation regions (found once per article)."""
    if article.derived.quote_regions is None:
        article.derived.quote_regions = find_quote_regions(article.text, paragraph_spans(article))
    return article.derived.quote_regions


def _inside_quote(regions: list[QuoteRegion], starts: list[int], char: int) -> bool:
    k = bisect_left(starts, char + 1) - 1
    if k < 0:
        return False
    return any(s <= char < e for s, e in regions[k].pieces)


# ---------------------------------------------------------------- speakers

def _is_plural(article: Article, actor: Actor) -> bool:
    """Number of an actor as its first mention shows it ('officials', 'diplomats' are plural)."""
    if actor.kind in GROUP_KINDS:
        return True
    if actor.kind == "person" or not actor.mentions or article.doc is None:
        return False
    s, e = actor.mentions[0]
    span = article.doc.char_span(s, e, alignment_mode="expand")
    return span is not None and len(span) > 0 and span.root.tag_ in ("NNS", "NNPS")


def _compatible(article: Article, actor: Actor, pronoun: str) -> bool:
    if pronoun in SINGULAR_PERSON_PRONOUNS:
        return actor.kind == "person" or (actor.kind == "anonymous" and not _is_plural(article, actor))
    if pronoun in PLURAL_PRONOUNS:
        return actor.kind in GROUP_KINDS or (actor.kind == "anonymous" and _is_plural(article, actor))
    if pronoun in NEUTER_PRONOUNS:
        return actor.kind in GROUP_KINDS
    return False


@dataclass(slots=True)
class _SpeechTable:
    """Per-article facts: every reporting verb's speaker, and the main speakers in text order."""
    speakers: dict[int, Optional[Actor]]
    main: list[tuple[int, int, Actor]]           # (token index, sentence index, actor)
    mentions: list[tuple[int, Actor]]            # (start char, actor), sorted
    mention_ends: dict[tuple[int, int], int]     # (start char, id(actor)) -> end char of that mention
    sentence_of: list[int]                       # token index -> sentence index
    sentence_starts: list[int]                   # sentence index -> its first token
    verbs: frozenset[int]                        # token indices of reporting expressions
    surnames: dict[str, Actor]                   # family name (lower case) -> the one person so named
    last_words: dict[str, Actor]                 # last word of a name -> the actor with the longest such name
    regions: list[QuoteRegion]                   # quotation regions, and their start characters
    region_starts: list[int]
    pronouns: dict[int, Optional[Actor]]         # pronoun token index -> its antecedent (memo)
    gender: dict[int, str]                       # id(actor) -> 'he' / 'she' once a pronoun named it


def _quoted(table: _SpeechTable, token: Any) -> bool:
    return _inside_quote(table.regions, table.region_starts, token.idx)


def _sentence_index(token: Any, table: _SpeechTable) -> int:
    return table.sentence_of[token.i]


def _pronoun_kind(token: Any) -> Optional[str]:
    """'he'/'they'/'it' for a pronoun subject, or the same for a bare definite description
    ('the official' -> 'he', 'the officials' -> 'they', 'the ministry' -> 'it' as a group). A noun that
    names no party ('the law says', 'the report said') is no reference to an earlier speaker."""
    word = token.lower_
    if word in SINGULAR_PERSON_PRONOUNS or word in PLURAL_PRONOUNS or word in NEUTER_PRONOUNS:
        return word
    if token.pos_ == "NOUN" and token.lemma_.lower() in _sector_words().parties \
            and any(c.dep_ == "det" and c.lower_ in DEFINITE_DETERMINERS for c in token.children):
        if any(c.dep_ in ("compound", "poss", "amod") and c.pos_ == "PROPN" for c in token.children):
            return None  # a named description the actors stage should have resolved
        return "they" if token.tag_ == "NNS" else "he"
    return None


def _speakers_before(token: Any, table: _SpeechTable, sentences: int) -> Iterator[Actor]:
    """Main speakers before `token`, latest first, at most `sentences` sentences back."""
    sent_i = _sentence_index(token, table)
    for tok_i, s_i, actor in reversed(table.main):
        if tok_i >= token.i:
            continue
        if sent_i - s_i > sentences:
            return
        yield actor


def _resolve_reference(article: Article, token: Any, kind: str, table: _SpeechTable) -> Optional[Actor]:
    """The actor a pronoun or definite description subject stands for."""
    sent_i = _sentence_index(token, table)
    for actor in _speakers_before(token, table, SPEAKER_LOOKBACK_SENTENCES):
        if _compatible(article, actor, kind):
            return actor
    k = bisect_left(table.mentions, token.idx, key=lambda m: m[0])
    earliest = table.sentence_starts[max(0, sent_i - MENTION_LOOKBACK_SENTENCES)]
    earliest_char = token.doc[earliest].idx
    for start, actor in reversed(table.mentions[:k]):
        if start < earliest_char:
            break
        if _compatible(article, actor, kind):
            return actor
    # A definite description may name the person again ('the minister'): also try "he"-compatible
    # speakers further back than the look-back window.
    for tok_i, _s_i, actor in reversed(table.main):
        if tok_i < token.i and _compatible(article, actor, kind):
            return actor
    return None


def _actor_of_noun_phrase(article: Article, token: Any, table: _SpeechTable) -> Optional[Actor]:
    """The actor a subject (or agent / 'according to' object) noun phrase denotes; a title the actors
    stage could give no name ("Peru's envoy") is the named person it stands for, when the story has one."""
    actor = _noun_phrase_actor(article, token, table)
    if actor is not None and actor.key.startswith(TITLE_KEY_PREFIX):
        return _title_holder(article, actor, token, table) or actor
    return actor


def _noun_phrase_actor(article: Article, token: Any, table: _SpeechTable) -> Optional[Actor]:
    if token.lower_ in RELATIVE_PRONOUNS and token.head.dep_ == "relcl":
        token = token.head.head  # 'the minister, who said' -> 'minister'
    found = head_actors(article, token)
    if found:
        return _earlier_speaker_described(article, token, found[0], table) or _spelled_alike(article, found[0])
    kind = _pronoun_kind(token)
    if kind is None and token.pos_ == "PROPN":
        # A surname the actors stage did not link ('Badrakhan told VOA'): the person of that name.
        person = table.surnames.get(token.lower_)
        if person is not None:
            return person
    if kind is None and token.text[:1].isupper() and not token.is_sent_start \
            and not any(c.dep_ in ("compound", "amod", "poss") for c in token.children):
        # A bare last word of a body's name (NER often takes a person for one), also when the tagger
        # took it for a common noun ('Veld said'): the actor whose name ends with it. (Not a word with
        # modifiers of its own: 'the Andean Policy Institute' is no other institute.)
        named = table.last_words.get(token.text)
        if named is not None:
            return named
    if kind is None:
        # A subject the parser glued to a heading before it ('Border talks Peru's Defense
        # Minister X said'): the actor in apposition to it.
        for child in token.children:
            if child.dep_ == "appos":
                found = head_actors(article, child)
                if found:
                    return found[0]
        # Named modifiers inside the phrase ('South Korea's foreign ministry'): the first actor there
        # (modifiers only: a heading the parser glued in front names nobody).
        for t in sorted(_modifiers(token), key=lambda t: t.i):
            actor = actor_of_token(article, t.i)
            if actor is not None:
                return actor
        # A part of a body ('the standing committee of the National Assembly'): the body.
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ in ("of", "for"):
                for obj in prep.children:
                    found = head_actors(article, obj) if obj.dep_ == "pobj" else []
                    if found:
                        return found[0]
        return _document_author(article, token, table)
    if token.lower_ == kind:
        return _resolve_pronoun(article, token, kind, table)
    return _resolve_reference(article, token, kind, table)


_MODIFIER_DEPS = frozenset({"compound", "amod", "poss", "nmod", "flat", "case", "det"})


def _modifiers(token: Any) -> list[Any]:
    """The words that modify a noun inside its own phrase, at any depth ('South Korea's foreign')."""
    found, todo = [], [token]
    while todo:
        for child in todo.pop().children:
            if child.dep_ in _MODIFIER_DEPS and child.i < token.i:
                found.append(child)
                todo.append(child)
    return found


@lru_cache(maxsize=1)
def _document_nouns() -> frozenset[str]:
    return frozenset(row["lemma"].lower() for row in read_table("document_nouns.tsv") if row.get("lemma"))


def _document_author(article: Article, token: Any, table: _SpeechTable) -> Optional[Actor]:
    """Who speaks through a document ('the statement said', 'read a Peruvian government statement'):
    the state a nationality among its modifiers names, else the author of the same document named
    earlier in the story ('The ministry said in a statement ... The statement also said ...': whoever
    issued it, or the actor it belonged to)."""
    lemma = token.lemma_.lower()
    if token.pos_ != "NOUN" or lemma not in _document_nouns():
        return None
    for t in token.lefts:
        found = country_of_token(article, t.i)
        if found:
            return state_actor(article, found[0], found[1], found[2])
    doc = token.doc
    earliest = table.sentence_starts[max(0, _sentence_index(token, table) - DOCUMENT_LOOKBACK_SENTENCES)]
    for i in range(token.i - 1, earliest - 1, -1):
        earlier = doc[i]
        if earlier.pos_ not in ("NOUN", "PROPN") or earlier.lemma_.lower() != lemma:
            continue
        owners = head_actors(article, earlier)
        if owners:
            return owners[0]
        verb = earlier.head
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        subject = _speaker_token(verb, lambda t: _quoted(table, t)) if verb.pos_ in ("VERB", "AUX") else None
        if subject is None or subject.i == earlier.i or subject.i >= token.i:
            continue   # the document speaking again ('The law says ...'): look further back
        return _noun_phrase_actor(article, subject, table)
    return None


def _earlier_speaker_described(article: Article, token: Any, actor: Actor, table: _SpeechTable) -> Optional[Actor]:
    """'"...," Omar Khalid, the port chief, told VOA. "...," the port official said.': an unnamed
    source that a definite description introduces stands for someone already named ('the' presents it
    as known; a new source comes with 'a': 'a port official said'): the latest named person whose
    mentions share a word of the description's modifiers ('the Finance chief' after 'Finance
    Minister Daniel Ortiz'), else a speaker named just before."""
    if actor.kind != "anonymous" or not actor.mentions:
        return None
    first = token.left_edge
    if first.lower_ not in DEFINITE_DETERMINERS or actor.mentions[0][0] != first.idx:
        return None
    kind = "they" if token.tag_ == "NNS" else "he"
    words = {t.lower_ for t in token.lefts if t.dep_ in ("compound", "amod") and t.is_alpha} - _sector_words().titles
    if words and kind == "he":
        k = bisect_left(table.mentions, first.idx, key=lambda m: m[0])
        for start, person in reversed(table.mentions[:k]):
            if person.kind == "person" and not person.key.startswith(TITLE_KEY_PREFIX):
                end = table.mention_ends.get((start, id(person)), start)
                if words & set(article.text[start:end].lower().split()):
                    return person
    for speaker in _speakers_before(token, table, DESCRIBED_SPEAKER_SENTENCES):
        if speaker is not actor and speaker.kind in ("person", "anonymous") and _compatible(article, speaker, kind):
            return speaker
    return None


def _spelled_alike(article: Article, actor: Actor) -> Actor:
    """A one-word name that is the last word of a fuller name, or a misspelling of it ('Hartman' after
    'Lena Hartmann': one letter differs), is that person (the actors stage links family names of the
    persons it knows, not of names NER took for bodies: 'Rogier Veld' ... 'Veld')."""
    word = actor.name.lower()
    if actor.kind not in _NAMED_KINDS or " " in word:
        return actor
    fuller = []
    for other in article.actors:
        words = other.name.lower().split()
        if other is actor or other.kind not in _NAMED_KINDS or len(words) < 2:
            continue
        if words[-1] == word or (actor.kind == other.kind == "person" and len(word) >= MIN_SPELLED_ALIKE
                                 and _one_letter_apart(word, words[-1])):
            fuller.append(other)
    return fuller[0] if len(fuller) == 1 else actor   # two fuller names ('Ana Lai', 'Ben Lai'): no guess


_NAMED_KINDS = frozenset({"person", "organization"})


def _one_letter_apart(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1 or a[0] != b[0]:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


# ---------------------------------------------------------------- pronouns

def _sentence_bounds(table: _SpeechTable, sent_i: int, doc_len: int) -> tuple[int, int]:
    starts = table.sentence_starts
    return starts[sent_i], (starts[sent_i + 1] if sent_i + 1 < len(starts) else doc_len)


def _gender_fits(table: _SpeechTable, actor: Actor, kind: str) -> bool:
    """'she' never takes an actor an earlier 'he' was resolved to (and the reverse)."""
    known = table.gender.get(id(actor))
    return known is None or kind not in SINGULAR_PERSON_PRONOUNS or known == kind


# Parts of speech of words that never name anyone, whatever NER made of them ('In the past').
_FUNCTION_POS = frozenset({"ADP", "DET", "CCONJ", "SCONJ", "PART", "AUX", "PUNCT"})


def _sentence_candidates(article: Article, token: Any, kind: str, sent_i: int,
                         table: _SpeechTable) -> tuple[list[tuple[int, Actor]], list[tuple[int, Actor]]]:
    """Compatible antecedents in one sentence before `token`, outside quotation marks, as
    (token index, actor): those in subject position (a subject mention, a reporting verb's speaker,
    an earlier pronoun subject resolved in turn) and the other mentions."""
    doc = article.doc
    start, end = _sentence_bounds(table, sent_i, len(doc))
    end = min(end, token.i)
    subjects: list[tuple[int, Actor]] = []
    others: list[tuple[int, Actor]] = []
    if end <= start:
        return subjects, others
    first_char, end_char = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
    k = bisect_left(table.mentions, first_char, key=lambda m: m[0])
    for char, actor in table.mentions[k:]:
        if char >= end_char:
            break
        if _inside_quote(table.regions, table.region_starts, char) or not _compatible(article, actor, kind) \
                or not _gender_fits(table, actor, kind):
            continue
        mention = doc.char_span(char, table.mention_ends.get((char, id(actor)), char + 1), alignment_mode="expand")
        if mention is None or not len(mention) or mention.root.pos_ in _FUNCTION_POS:
            continue   # a function word NER took for a name ('In the past' as a surname) is no antecedent
        actor = _earlier_speaker_described(article, mention.root, actor, table) or actor
        (subjects if mention.root.dep_ in _SUBJECT_DEPS else others).append((mention[0].i, actor))
    for tok_i, s_i, actor in table.main:
        if s_i == sent_i and tok_i < end and _compatible(article, actor, kind) and _gender_fits(table, actor, kind):
            subjects.append((tok_i, actor))
    for t in doc[start:end]:
        word = t.lower_
        if t.dep_ in _SUBJECT_DEPS and word == kind and not _quoted(table, t):
            earlier = _resolve_pronoun(article, t, word, table)
            if earlier is not None and _gender_fits(table, earlier, kind):
                subjects.append((t.i, earlier))
    subjects.sort(key=lambda c: c[0])
    others.sort(key=lambda c: c[0])
    return subjects, others


def _resolve_pronoun(article: Article, token: Any, kind: str, table: _SpeechTable) -> Optional[Actor]:
    """The antecedent of a pronoun subject ('he said'): going back sentence by sentence from its own,
    the first compatible actor in subject position, else the latest compatible one mentioned there
    (outside quotation marks, so the quoted words' own people do not count); past the look-back,
    the speaker rules of `_resolve_reference`. A resolved 'he'/'she' fixes that actor's gender."""
    if token.i in table.pronouns:
        return table.pronouns[token.i]
    table.pronouns[token.i] = None   # a pronoun is never its own antecedent
    sent_i = _sentence_index(token, table)
    found = None
    for s_i in range(sent_i, max(-1, sent_i - PRONOUN_LOOKBACK_SENTENCES - 1), -1):
        subjects, others = _sentence_candidates(article, token, kind, s_i, table)
        if subjects or others:
            found = subjects[0][1] if subjects else others[-1][1]
            break
    if found is None:
        found = _resolve_reference(article, token, kind, table)
    table.pronouns[token.i] = found
    if found is not None and kind in SINGULAR_PERSON_PRONOUNS:
        table.gender.setdefault(id(found), kind)
    return found


# ---------------------------------------------------------------- titles without a name

@lru_cache(maxsize=1)
def _role_kin() -> dict[str, frozenset[str]]:
    """Role -> the roles a person it names may be introduced with: those sharing a family flag in
    sectors.tsv (an ambassador is also the envoy, as the actors stage reads them), and those in
    role_kin.tsv (the heads a title like 'the Chilean leader' may name)."""
    kin: dict[str, set[str]] = {}
    families: dict[str, set[str]] = {}
    for row in read_table("sectors.tsv"):
        role = (row.get("role") or row.get("term", "")).lower()
        for flag in set(split_multi(row.get("flags"))) & FAMILY_FLAGS:
            if row.get("kind") == "title":
                families.setdefault(flag, set()).add(role)
    for members in families.values():
        for role in members:
            kin.setdefault(role, {role}).update(members)
    for row in read_table("role_kin.tsv"):
        role = row.get("role", "").lower()
        if role:
            kin.setdefault(role, {role}).update(r.lower() for r in split_multi(row.get("names")))
    return {role: frozenset(roles) for role, roles in kin.items()}


def _title_holder(article: Article, title: Actor, token: Any, table: _SpeechTable) -> Optional[Actor]:
    """The named person a title without a name stands for ("Lima's envoy" after "Lena Hart,
    Peru's deputy U.N. ambassador"): the latest person named before it with the title's country and a
    kindred role (`_role_kin`); else one named in the next sentences whose country and role the story
    has not given ("Chile's envoy defended ... Ambassador Ana Reyes said")."""
    role = title.role.lower()
    kin = _role_kin().get(role, frozenset({role}))

    def fits(person: Actor, ahead: bool) -> bool:
        if person is title or person.kind != "person" or person.key.startswith(TITLE_KEY_PREFIX):
            return False
        if person.country != title.country and not (ahead and not person.country):
            return False
        return person.role.lower() in kin or (ahead and not person.role)

    k = bisect_left(table.mentions, token.idx, key=lambda m: m[0])
    for _start, person in reversed(table.mentions[:k]):
        if fits(person, False):
            return person
    doc = token.doc
    last = min(_sentence_index(token, table) + TITLE_LOOKAHEAD_SENTENCES, len(table.sentence_starts) - 1)
    limit = doc[_sentence_bounds(table, last, len(doc))[1] - 1].idx
    for start, person in table.mentions[k:]:
        if start > limit:
            break
        if fits(person, True):
            return person
    return None


def according_to_source(according: Any) -> Optional[Any]:
    """X in "according to X": the object of "to", whether the parse hangs "to" on "according" or
    leaves it next to it."""
    for child in according.children:
        if child.lower_ == "to":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    return obj
    nxt = according.doc[according.i + 1] if according.i + 1 < len(according.doc) else None
    if nxt is not None and nxt.lower_ == "to":
        for obj in nxt.children:
            if obj.dep_ == "pobj":
                return obj
    return None


def _never(_token: Any) -> bool:
    return False


def _after_closing_quote(verb: Any) -> bool:
    """Whether the verb comes right after a closing quotation mark ('"...," said X', '"...," added X')."""
    i = verb.i - 1
    while i >= 0 and verb.doc[i].is_space:
        i -= 1
    return i >= 0 and verb.doc[i].tag_ == "''"


def _noun_right_of(verb: Any) -> Optional[Any]:
    """The noun phrase right after a verb ('said regional security expert Ana Reyes' -> 'Reyes'),
    whatever the parser made of it (an inverted subject is often read as an object, or cut off as a
    sentence of its own)."""
    doc = verb.doc
    for i in range(verb.i + 1, min(len(doc), verb.i + 1 + INVERTED_SUBJECT_REACH)):
        t = doc[i]
        if t.pos_ in ("DET", "ADJ", "NUM") or t.is_space:
            continue
        if t.pos_ not in ("NOUN", "PROPN"):
            return None
        while t.dep_ in ("compound", "amod", "flat", "nmod") and verb.i < t.head.i <= verb.i + 2 * INVERTED_SUBJECT_REACH:
            t = t.head
        return t
    return None


def _speaker_token(verb: Any, quoted: Any = _never) -> Optional[Any]:
    """The token naming who speaks through `verb`, following the grammar of reporting. `quoted(token)`
    tells whether a token is inside quotation marks: a quoted word never names the speaker."""
    if verb.lower_ == "according":
        return according_to_source(verb)
    current = verb
    for _ in range(4):
        passive = False
        for child in current.children:
            if child.dep_ == "agent":
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        return obj
            if child.dep_ in ("nsubjpass", "auxpass"):
                passive = True
        if passive:
            return None  # 'the deal was announced' names what was said, not who said it
        for child in current.children:
            if child.dep_ == "nsubj" and not quoted(child):
                return child
        if current is verb and _after_closing_quote(verb):
            inverted = _noun_right_of(verb)   # '"...," said X' / '"...," added X'
            if inverted is not None:
                return inverted
        if current is verb and verb.tag_ == "VBG":
            earlier = _subject_of_reporting_verb_before(verb, quoted)   # 'X said, adding that ...'
            if earlier is not None:
                return earlier
        if current.dep_ in _NOUN_ATTACHED and current.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return current.head  # 'officials speaking on condition of anonymity'
        if current.dep_ in _INHERIT_SUBJECT and current.head.i != current.i:
            sibling = _earlier_reporting_subject(current)
            if sibling is not None:
                return sibling
            current = current.head
            continue
        if current.tag_ in _FINITE_TAGS or current.tag_ == "VBG":
            return _subject_left_of(current, quoted)
        return None
    return None


def _subject_of_reporting_verb_before(verb: Any, quoted: Any) -> Optional[Any]:
    """'"...," Lopez said, adding that ...': a participle of reporting takes the subject of the nearest
    reporting verb before it in its sentence, outside quotation marks, whatever the parser attached it to."""
    lemmas = lexicon().verbs
    doc = verb.doc
    for i in range(verb.i - 1, verb.sent.start - 1, -1):
        t = doc[i]
        if t.pos_ == "VERB" and t.lemma_.lower() in lemmas and not quoted(t):
            for child in t.children:
                if child.dep_ == "nsubj" and not quoted(child):
                    return child
            return None
    return None


def _earlier_reporting_subject(verb: Any) -> Optional[Any]:
    """'"...," Rubio said, adding that ...': the parser often hangs 'adding' on the quote rather than
    on 'said'; the subject of an earlier reporting verb under the same head is its speaker."""
    lemmas = lexicon().verbs
    for sibling in verb.head.children:
        if sibling.i >= verb.i:
            break
        if sibling.pos_ == "VERB" and sibling.lemma_.lower() in lemmas:
            for child in sibling.children:
                if child.dep_ == "nsubj":
                    return child
    return None


def _subject_left_of(verb: Any, quoted: Any = _never) -> Optional[Any]:
    """For a finite verb the parser left without a subject (an introductory phrase before the
    subject often makes it attach elsewhere: 'Speaking on condition of anonymity, a senior official
    told ...'): the nearest noun before it in its sentence that is not inside a relative clause."""
    sent_start = verb.sent.start
    for i in range(verb.i - 1, sent_start - 1, -1):
        t = verb.doc[i]
        if t.pos_ not in ("NOUN", "PROPN", "PRON") or t.dep_ in ("pobj", "dobj", "poss", "compound") \
                or quoted(t):
            continue
        if any(a.dep_ in _NOUN_ATTACHED for a in t.ancestors if a.i > sent_start and a.i < verb.i):
            continue
        return t
    return None


def _governed_by(token: Any, verbs: frozenset[int]) -> bool:
    """Whether a reporting verb above `token` in its sentence reports it."""
    current = token
    while current.head.i != current.i:
        current = current.head
        if current.i in verbs:
            return True
    return False


def _reporting_token_indices(doc: Any) -> frozenset[int]:
    """Indices of reporting expressions, from one array of POS and lemma ids (no Token objects)."""
    if len(doc) == 0:
        return frozenset()
    lex = lexicon()
    array = doc.to_array([POS, LEMMA, LOWER]).tolist()
    verb_pos, verb_ids, first_ids = (VERB, AUX), lex.verb_ids, lex.phrase_first_ids
    hits = [i for i, (pos, lemma, _) in enumerate(array) if lemma in verb_ids and pos in verb_pos]
    phrase_starts = [i for i, (_, _, lower) in enumerate(array) if lower in first_ids]
    hits.extend(i for i in phrase_starts if _is_phrase_start(doc[i]))
    return frozenset(hits)


def _surnames(article: Article) -> dict[str, Actor]:
    """Family names shared by exactly one person actor (first or last word of the name, since
    East Asian names put the family name first: 'Yoon Suk-yeol')."""
    seen: dict[str, list[Actor]] = {}
    for actor in article.actors:
        words = actor.name.split() if actor.kind == "person" else []
        for word in {words[0], words[-1]} if words else ():
            seen.setdefault(word.lower(), []).append(actor)
    return {name: people[0] for name, people in seen.items() if len(people) == 1}


# Entity labels of words that are no speaker's name whatever the parse says.
_NOT_A_NAME = frozenset({"GPE", "LOC", "NORP", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT",
                         "QUANTITY", "LANGUAGE", "EVENT", "LAW", "PRODUCT"})


@dataclass(frozen=True, slots=True)
class _SectorWords:
    titles: frozenset[str]    # words of titles ('ambassador', 'minister'): no part of a name
    parties: frozenset[str]   # last words of terms naming people or bodies ('official', 'ministry')


@lru_cache(maxsize=1)
def _sector_words() -> _SectorWords:
    titles, parties = set(), set()
    for row in read_table("sectors.tsv"):
        words = row.get("term", "").lower().split()
        if not words:
            continue
        if row.get("kind") == "title":
            titles.update(words)
        if row.get("kind") in ("title", "source", "organization", "group"):
            head = words[:words.index("of")] if "of" in words[1:] else words   # 'head of state' -> 'head'
            parties.add(head[-1])
    return _SectorWords(frozenset(titles), frozenset(parties))


def _is_unlinked_name(article: Article, token: Any, quoted: Any) -> bool:
    # A place label on a name with an article is NER's slip ('The Daily said'): places that speak
    # are capitals and countries, which the actors stage knows.
    takes_article = any(c.dep_ == "det" for c in token.children)
    return (token.pos_ == "PROPN" and token.text[:1].isupper() and not any(c.isdigit() for c in token.text)
            and (token.ent_type_ not in _NOT_A_NAME or (takes_article and token.ent_type_ in ("GPE", "LOC")))
            and actor_of_token(article, token.i) is None
            and country_of_token(article, token.i) is None and not quoted(token)
            and token.lower_ not in _sector_words().titles)


def _name_run(article: Article, token: Any) -> tuple[int, int]:
    """Token range of the proper name ending at `token` ('Tomas Varga'), without a title in front."""
    doc = token.doc
    start = token.i
    while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].dep_ in ("compound", "flat") \
            and doc[start - 1].head.i <= token.i and actor_of_token(article, start - 1) is None:
        start -= 1
    while start < token.i and doc[start].lower_ in _sector_words().titles:
        start += 1
    return start, token.i + 1


def _appositive_country(article: Article, token: Any) -> str:
    """Country a name's apposition gives ('The Daily, an Indian publication' -> IND)."""
    for child in token.children:
        if child.dep_ == "appos":
            for t in child.lefts:
                found = country_of_token(article, t.i)
                if found:
                    return found[0]
    return ""


def _add_unlinked_speakers(article: Article, verbs: frozenset[int], quoted: Any) -> None:
    """A proper name speaking through a reporting verb that the actors stage left without an actor
    (NER often misreads a name right after a quotation as a title of a work: '"...," Tomas Varga
    told the council') is a source: a person, or a body when it takes an article ('The Daily said').
    Its name is the longest run of the name in the story, and every bare use of its last word is a
    mention ('Varga dismissed ...')."""
    doc = article.doc
    known, last_words = _surnames(article), _last_words(article)
    for i in sorted(verbs):
        if quoted(doc[i]):
            continue
        who = _speaker_token(doc[i], quoted)
        if who is None or who.lower_ in known or who.text in last_words \
                or not _is_unlinked_name(article, who, quoted):
            continue
        same = [t for t in doc if t.text == who.text and _is_unlinked_name(article, t, _never)]
        runs = [_name_run(article, t) for t in same]
        longest = max(runs, key=lambda r: (r[1] - r[0], -r[0]))
        name = doc[longest[0]:longest[1]].text
        kind = "organization" if who.ent_type_ == "ORG" or any(
            c.dep_ == "det" for c in doc[longest[1] - 1].children) else "person"
        country = next((c for c in (_appositive_country(article, t) for t in same) if c), "")
        named_actor(article, name, kind, country, runs)


def _last_words(article: Article) -> dict[str, Actor]:
    """Last word of each person's or body's name -> the actor with the longest name ending in it."""
    found: dict[str, Actor] = {}
    for actor in article.actors:
        words = actor.name.split()
        if actor.kind in ("person", "organization") and words:
            known = found.get(words[-1])
            if known is None or len(actor.name) > len(known.name):
                found[words[-1]] = actor
    return found


def _build_table(article: Article) -> _SpeechTable:
    doc = article.doc
    regions = quote_regions(article)
    starts = [r.span[0] for r in regions]
    verbs = _reporting_token_indices(doc)

    def quoted(token: Any) -> bool:
        return _inside_quote(regions, starts, token.idx)

    _add_unlinked_speakers(article, verbs, quoted)
    mentions = sorted(((s, a) for a in article.actors for s, _e in a.mentions), key=lambda m: m[0])
    mention_ends = {(s, id(a)): e for a in article.actors for s, e in a.mentions}
    sentence_of = [0] * len(doc)
    sentence_starts = []
    for k, sent in enumerate(doc.sents):
        sentence_starts.append(sent.start)
        sentence_of[sent.start:sent.end] = [k] * (sent.end - sent.start)
    table = _SpeechTable({}, [], mentions, mention_ends, sentence_of, sentence_starts, verbs,
                         _surnames(article), _last_words(article), regions, starts, {}, {})
    for i in sorted(verbs):
        token = doc[i]
        who = _speaker_token(token, quoted)
        actor = _actor_of_noun_phrase(article, who, table) if who is not None else None
        table.speakers[token.i] = actor
        if actor is not None and not quoted(token) and not _governed_by(token, verbs):
            table.main.append((token.i, _sentence_index(token, table), actor))
    return table


def annotate(article: Article) -> None:
    """Stage 'speakers' (after 'actors'): every reporting verb's speaker, once per article; sources the
    actors stage missed become actors here, before the events stage reads the parties."""
    if article.doc is not None and len(article.doc) > 0:
        speech_table(article)


def speech_table(article: Article) -> _SpeechTable:
    if article.derived.speech_table is None:
        article.derived.speech_table = _build_table(article)
    return article.derived.speech_table


def phrase_speaker(article: Article, token: Any) -> Optional[Actor]:
    """The speaker a noun phrase headed by `token` names, by the rules reporting verbs' subjects follow
    (pronouns, titles without a name, fresh definite descriptions, misspelled surnames)."""
    if article.doc is None or token.doc is not article.doc:
        return None
    return _actor_of_noun_phrase(article, token, speech_table(article))


def speaker_of(article: Article, verb_token: Any) -> Optional[Actor]:
    """The actor who speaks through `verb_token` ('X said', 'according to X', 'he told' -> X), or None."""
    if article.doc is None or verb_token.doc is not article.doc:
        return None  # e.g. a caption's Doc: its token indices mean nothing in the article's table
    table = speech_table(article)
    if verb_token.i in table.speakers:
        return table.speakers[verb_token.i]
    who = _speaker_token(verb_token, lambda t: _quoted(table, t))
    return _actor_of_noun_phrase(article, who, table) if who is not None else None


def reporting_verb_above(token: Any) -> Optional[Any]:
    """The outermost reporting verb that governs `token` within its sentence (None if none does):
    in 'X told reporters that Y said Z "agreed"', 'told' — the journalist's source."""
    found = None
    current = token
    while current.head.i != current.i:
        current = current.head
        if is_speech_verb(current):
            found = current
    return found


def reporting_speaker(article: Article, token: Any) -> Optional[Actor]:
    """Who reports what `token` says happened: the speaker of the nearest reporting verb above it that
    has one ('the official said Yoon claimed Japan erred': 'erred' -> Yoon; 'claimed' -> the official).
    None when no reporting verb governs the token (see quotes.quote_speaker_at for quoted sentences)."""
    if article.doc is None or token.doc is not article.doc:
        return None
    table = speech_table(article)
    current = token
    while True:
        for child in current.children:  # '..., according to X' hangs on what X reports
            if child.i in table.verbs and child.lower_ == "according" and table.speakers.get(child.i):
                return table.speakers[child.i]
        if current.head.i == current.i:
            return None
        side = current.dep_
        current = current.head
        if current.i in table.verbs and side not in _SPEAKER_SIDE:
            actor = table.speakers.get(current.i)
            if actor is not None:
                return actor


_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_OBJECT_FORMS = {"him": "he", "her": "she", "them": "they", "his": "he", "its": "it", "their": "they"}
_NAME_PART_DEPS = frozenset({"compound", "amod", "flat", "poss", "nmod", "det", "case"})


def _mention_is_subject(doc: Any, char: int) -> bool:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    tok = span[0]
    for _ in range(4):   # "Ukrainian President Zelensky": from the first word up to the phrase's head
        if tok.dep_ not in _NAME_PART_DEPS or tok.head.i == tok.i:
            break
        tok = tok.head
    return tok.dep_ in _SUBJECT_DEPS


def pronoun_referent(article: Article, token: Any) -> Optional[Actor]:
    """The actor a personal pronoun subject, object or possessor ('he', 'she', 'they', 'it', 'him',
    'her', 'them', 'his', 'its', 'their') stands for: the latest compatible actor in the same role (subject or not) within the
    mention look-back window ("Zelensky rejected the plan. He accused ..."), else the speaker look-back rules of `_resolve_reference`.
    None for other words."""
    kind = _OBJECT_FORMS.get(token.lower_, token.lower_)
    if kind not in SINGULAR_PERSON_PRONOUNS and kind not in PLURAL_PRONOUNS and kind not in NEUTER_PRONOUNS:
        return None
    doc = article.doc
    if doc is None or token.doc is not doc:
        return None
    table = speech_table(article)
    sent_i = _sentence_index(token, table)
    earliest_char = doc[table.sentence_starts[max(0, sent_i - MENTION_LOOKBACK_SENTENCES)]].idx
    k = bisect_left(table.mentions, token.idx, key=lambda m: m[0])
    # parallel roles: a subject pronoun takes an earlier subject, an object or passive subject pronoun an
    # earlier non-subject ("Police detained two leaders. They were accused ..." -> the leaders)
    as_subject = token.dep_ == "nsubj"
    own_subject = _own_clause_subject(token)   # "troops attacked them": not the troops
    candidates = [(start, actor) for start, actor in reversed(table.mentions[:k])
                  if start >= earliest_char and _compatible(article, actor, kind)
                  and not (own_subject[0] <= start < own_subject[1])]
    for start, actor in candidates:
        if _mention_is_subject(doc, start) == as_subject:
            return actor
    if candidates:
        return candidates[0][1]
    found = _resolve_reference(article, token, kind, table)
    if found is not None and any(own_subject[0] <= s < own_subject[1] for s, _e in found.mentions):
        return None
    return found


def _own_clause_subject(token: Any) -> tuple[int, int]:
    """Character range of the subject of the clause a non-subject pronoun belongs to (else empty)."""
    if token.dep_ in _SUBJECT_DEPS:
        return (0, 0)
    verb = token.head.head if token.dep_ == "pobj" else token.head
    for child in verb.children:
        if child.dep_ in _SUBJECT_DEPS:
            left, right = child.left_edge, child.right_edge
            return (left.idx, right.idx + len(right.text))
    return (0, 0)
