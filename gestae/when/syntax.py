"""Clause geometry shared by the 'when' and 'where' stages.

A time or place phrase belongs to the event whose trigger it reaches by walking up the dependency
tree without crossing another clause: "met Berg on Sunday" (Sunday -> on -> met) belongs to "met",
but in "they agreed ..., the ministry said Wednesday" Wednesday stops at "said" and never reaches
"agreed". Nominal triggers and occasions ("the summit held in Lima on Sunday") are reached the same
way, except that a participle or relative clause modifying the noun is walked through.
"""
from __future__ import annotations

from typing import Any, Optional

from spacy.tokens import Doc

Token = Any  # spacy.tokens.Token

# Dependency labels of verbs that are not clause heads of their own.
_AUX_DEPS = {"aux", "auxpass"}
# Clauses that modify a noun: walking up through them reaches the noun they describe.
_NOUN_CLAUSE_DEPS = {"acl", "relcl"}
# Verbs that look forward: an infinitive under them is future ("plans to visit Lima next week").
_PROSPECTIVE = {"plan", "schedule", "expect", "set", "due", "intend", "hope", "aim", "prepare",
                "propose", "want", "seek", "agree", "promise", "vow", "pledge", "threaten"}
_FUTURE_AUX = {"will", "shall", "'ll", "wo"}
# Prepositions whose object is another, earlier or later, happening: what describes it ("after
# their first meeting in New York in September") does not describe the clause it hangs from.
ANCHOR_PREPS = {"after", "before", "since", "until", "following", "ahead", "prior", "preceding"}
_MAX_WALK = 40


if not Doc.has_extension("entities"):
    Doc.set_extension("entities", default=None)   # `doc.ents` built once (spaCy rebuilds it on every access)


def entities(doc: Doc) -> tuple:
    """`doc.ents`, built once per Doc (spaCy rebuilds the tuple on every access)."""
    if doc._.entities is None:
        doc._.entities = tuple(doc.ents)
    return doc._.entities


def is_clause_head(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") and token.dep_ not in _AUX_DEPS


def token_at(doc: Doc, span: tuple[int, int]) -> Optional[Token]:
    """The syntactic head of the tokens covering [start, end) of the doc's text."""
    start, end = span
    if end <= start:
        return None
    chosen = doc.char_span(start, end, alignment_mode="expand")
    return chosen.root if chosen is not None and len(chosen) else None


def attaches_to(token: Token, target: Token, complements: bool = True) -> bool:
    """True when `token` hangs off `target` without crossing into another clause.

    A clause reached on the way may still be the target's own infinitive complement
    ("agreed to meet on Sunday" dates "agreed"'s complement clause, part of the same event), unless
    `complements` is False.
    """
    current = token
    for _ in range(_MAX_WALK):
        if current.i == target.i:
            return True
        if current is not token and is_clause_head(current):
            return complements and _in_xcomp_chain(current, target)
        if current is not token and _is_anchor_object(current):
            return False
        if current.head.i == current.i:
            return False
        current = current.head
    return False


def _is_anchor_object(token: Token) -> bool:
    head = token.head
    if token.dep_ != "pobj":
        return False
    if head.lower_ == "of" and head.head.lower_ in ("ahead", "prior"):
        return True
    return head.lower_ in ANCHOR_PREPS


def in_main_line(token: Token) -> bool:
    """False inside a relative/participial clause or an 'after X' phrase: such a place or time
    belongs to a participant or another happening, not to the sentence's main events."""
    current = token
    for _ in range(_MAX_WALK):
        if current is not token and (current.dep_ in _NOUN_CLAUSE_DEPS or _is_anchor_object(current)):
            return False
        if current.head.i == current.i:
            return True
        current = current.head
    return True


def _in_xcomp_chain(verb: Token, target: Token) -> bool:
    current = verb
    for _ in range(_MAX_WALK):
        if current.dep_ != "xcomp":
            return False
        current = current.head
        if current.i == target.i:
            return True
    return False


def nominal_owner(token: Token, nouns: set[int]) -> Optional[Token]:
    """The first noun (token index in `nouns`) above `token` in the same clause or reached through a
    participle/relative clause modifying it ("the summit held at a hotel in Lima")."""
    current = token
    for _ in range(_MAX_WALK):
        if current.i in nouns and current is not token:
            return current
        if current is not token and is_clause_head(current) and current.dep_ not in _NOUN_CLAUSE_DEPS:
            return None
        if current.head.i == current.i:
            return None
        current = current.head
    return None


def clause_verb(token: Token) -> Optional[Token]:
    """The verb heading the clause `token` is in (itself if it is one)."""
    current = token
    for _ in range(_MAX_WALK):
        if is_clause_head(current):
            return current
        if current.head.i == current.i:
            return None
        current = current.head
    return None


def is_prospective(verb: Token) -> bool:
    # By the word's forms as well as its lemma: the small model lemmatizes "hopes" as "hop".
    return verb.lemma_ in _PROSPECTIVE or not _PROSPECTIVE.isdisjoint(_stems(verb.lower_))


def _stems(word: str) -> set[str]:
    """Possible base forms of a regular verb form (hopes, planned, scheduling -> hope, plan, schedule)."""
    stems = {word}
    for suffix in ("s", "es", "d", "ed", "ing"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            base = word[:-len(suffix)]
            stems.update({base, base + "e"})
            if len(base) > 2 and base[-1] == base[-2]:
                stems.add(base[:-1])  # planned -> plan
    return stems


def tense(token: Token) -> str:
    """'past' | 'future' | 'present' for the clause of `token` (news default: past)."""
    verb = clause_verb(token)
    for _ in range(6):
        if verb is None:
            return "past"
        auxes = [c for c in verb.children if c.dep_ in _AUX_DEPS]
        aux_words = {a.lower_ for a in auxes}
        if aux_words & _FUTURE_AUX:
            return "future"
        if verb.tag_ == "VBG" and any(a.lemma_ == "be" and a.tag_ in ("VBZ", "VBP") for a in auxes):
            return "future"  # "is meeting Berg on Friday"
        if verb.tag_ == "VB" and "to" in aux_words and verb.dep_ in ("xcomp", "advcl", "ccomp"):
            head = verb.head
            if is_prospective(head) and head.tag_ not in ("VBD",):
                return "future"
            verb = head
            continue
        if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
            return "past"
        if is_prospective(verb) and verb.tag_ in ("VBZ", "VBP", "VBN"):
            return "future" if verb.tag_ != "VBN" or any(a.tag_ in ("VBZ", "VBP") for a in auxes) else "past"
        if verb.tag_ == "VBN":
            return "past"
        return "present"
    return "past"
