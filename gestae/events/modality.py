"""Modality of a candidate's clause and the type it is coded as.

Negation ("did not agree"), hypotheticals ("could impose", "if ..."), deontic clauses ("must"), and
announced future events: "will meet" is AGREE, "will withdraw" CONCEDE, "will strike" THREATEN, as
PLOVER codes them (event_frames.tsv rows FUTURE, REFUSAL, CONDITIONAL, DEONTIC). Also the reporting
verb above an event ("X said [Y attacked Z]") and "according to X".
"""
from __future__ import annotations

from typing import Any, Optional

from gestae.events.frames import frame_outcome, is_frame
from gestae.events.lexicon import Lexicon
from gestae.events.matching import Candidate, subject_of
from gestae.speech import according_to_source


NEGATING_HEADS = {"fail", "refrain", "stop", "cease"}


def speech_head(tok: Any, lex: Lexicon) -> Optional[Any]:
    """The reporting verb whose clausal complement contains `tok` ("X said [Y attacked Z]")."""
    t = tok
    while t.head.i != t.i:
        if t.dep_ in ("ccomp", "parataxis", "xcomp") and t.head.lemma_.lower() in lex.speech:
            return t.head
        t = t.head
    # "Y attacked Z, X said": the reporting verb may be the dependent
    for child in tok.children:
        if child.dep_ in ("parataxis", "ccomp", "advcl") and child.lemma_.lower() in lex.speech \
                and subject_of(child) is not None and child.i > tok.i:
            return child
    return None


def according_to(sent: Any) -> Optional[Any]:
    """X in "according to X" (a sentence-level source)."""
    if "ccording" not in sent.text:  # cheap test before walking the tokens
        return None
    for t in sent:
        if t.lower_ == "according":
            return according_to_source(t)
    return None


def aux_lemmas(tok: Any) -> set[str]:
    return {c.lemma_.lower() for c in tok.children if c.dep_ in ("aux", "auxpass")} | \
           {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}


def is_negated(c: Candidate) -> bool:
    for t in (c.token, c.anchor):
        if any(ch.dep_ == "neg" or ch.lower_ == "never" for ch in t.children):
            return True
        # "will no longer recognize", "not anymore"
        if any(ch.dep_ == "advmod" and ch.lower_ in ("longer", "anymore") and
               any(g.dep_ == "neg" for g in ch.children) for ch in t.children):
            return True
    if c.token.pos_ == "NOUN" and any(ch.dep_ == "det" and ch.lower_ == "no" for ch in c.token.children):
        return True
    head = c.anchor.head
    return c.anchor.dep_ == "xcomp" and head.lemma_.lower() in NEGATING_HEADS


def _modality(c: Candidate, lex: Lexicon) -> tuple[bool, bool, bool]:
    """(future, hypothetical, deontic) of the trigger's clause."""
    auxes = aux_lemmas(c.anchor)
    future = bool(auxes & lex.words_of("future"))
    hypo = bool(auxes & lex.words_of("hypothetical"))
    deontic = bool(auxes & lex.words_of("deontic"))
    # "have to", "be going to": xcomp under have/go
    if c.anchor.dep_ == "xcomp" and c.anchor.head.lemma_.lower() in ("have", "need") and \
            any(ch.lower_ == "to" for ch in c.anchor.children):
        deontic = True
    if c.anchor.dep_ == "xcomp" and c.anchor.head.lower_ == "going":
        future = True
    # a conditional clause anywhere on the way up ("if X attacked, Y would ...")
    hypo_marks = lex.words_of("hypothetical")
    t = c.anchor
    while True:
        if any(ch.dep_ == "mark" and ch.lower_ in hypo_marks for ch in t.children):
            hypo = True
            break
        if t.head.i == t.i or t.dep_ not in ("advcl", "conj", "xcomp", "ccomp"):
            break
        t = t.head
    return future, hypo, deontic


# Clause links through which a governing clause's modality reaches an embedded event
# ("will likely add to calls to impose sanctions": the sanctions are a prediction too).
EMBEDDING_DEPS = {"xcomp", "ccomp", "advcl", "acl", "relcl", "pobj", "prep", "dobj", "conj", "pcomp", "nsubj"}


def predicted_above(anchor: Any, lex: Lexicon) -> bool:
    """A clause above the event (up to a reporting verb) is a prediction or a possibility: a modal of
    possibility ("could", "may"), "will" hedged by "likely"/"probably", a word of expecting above a "will"
    ("fear that X will ...", "little chance that a summit will take place"), or a wish ("would like to")."""
    possible, hedges = lex.words_of("hypothetical"), lex.words_of("hedge")
    expecting, future = lex.words_of("expectation"), lex.words_of("future")
    announced = bool(aux_lemmas(anchor) & (future | possible))
    t = anchor
    for _ in range(8):
        if t.head.i == t.i or t.dep_ not in EMBEDDING_DEPS:
            return False
        t = t.head
        if announced and t.lemma_.lower() in expecting:
            return True   # "fear Uganda will close the border": what someone expects, not what was done
        if t.lemma_.lower() in lex.words_of("wish") and aux_lemmas(t) & future:
            return True   # "would like to meet": a wish
        announced = announced or bool(aux_lemmas(t) & (future | possible))
        if t.lemma_.lower() in lex.speech:
            return False  # what a speaker says is judged at the speaker's clause
        auxes = aux_lemmas(t)
        if auxes & possible or (auxes & lex.words_of("future") and
                                any(ch.lower_ in hedges for ch in t.children if ch.dep_ == "advmod")):
            return True
    return False


def is_habitual(anchor: Any, lex: Lexicon) -> bool:
    """"The group frequently conducts bombings", "routinely deny": a habit described, not an event."""
    habitual = lex.words_of("habitual")
    return any(ch.dep_ == "advmod" and ch.lower_ in habitual for ch in anchor.children)


def aspect(verb: Any) -> str:
    """The clause's tense and aspect, as news uses them: 'pluperfect' (had done: background), 'perfect'
    (has done), 'progressive' (is doing), 'past', 'present' (does: often a state or a habit), 'other'."""
    auxes = {ch.lower_ for ch in verb.children if ch.dep_ in ("aux", "auxpass")}
    if verb.tag_ == "VBN" and "had" in auxes:
        return "pluperfect"
    if verb.tag_ == "VBN" and auxes & {"has", "have", "'ve", "'s"}:
        return "perfect"
    if verb.tag_ == "VBG" and auxes & {"is", "are", "am", "'s", "'re", "was", "were", "been"}:
        return "progressive"
    if verb.tag_ == "VBD" or auxes & {"did", "was", "were"}:
        return "past"
    if verb.tag_ in ("VBZ", "VBP") or auxes & {"is", "are", "does", "do"}:
        return "present"
    return "other"


class Mood:
    """The modality of one candidate's clause."""
    __slots__ = ("future", "modal", "hypothetical", "deontic", "conditional", "negated", "deontic_speaker",
                 "habitual", "aspect", "above")

    def __init__(self, c: Candidate, lex: Lexicon) -> None:
        self.future, self.hypothetical, self.deontic = _modality(c, lex)
        self.modal = bool(aux_lemmas(c.anchor) & lex.words_of("hypothetical"))
        marks = lex.words_of("hypothetical")
        # a condition attached to the event ("will withdraw unless ...", "may halt ... if ...")
        self.conditional = any(ch.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in marks for g in ch.children)
                               for ch in c.anchor.children)
        self.negated = is_negated(c)
        self.deontic_speaker = False
        # a possibility or condition above the clause: it holds even when the clause's own modality
        # made the announcement the event ("warned that sanctions could follow if ...": a threat, asserted)
        self.above = predicted_above(c.anchor, lex)
        self.hypothetical = self.hypothetical or self.above
        self.habitual = is_habitual(c.anchor, lex)
        self.aspect = aspect(c.anchor)


def code(c: Candidate, lex: Lexicon, mood: "Mood") -> tuple[str, str, str, bool]:
    """(type, mode, cameo, recoded) after frames, intents, refusals, conditions and future announcements.

    `recoded` is true when the announcement itself became the event (AGREE for "will meet").
    """
    row = c.row
    etype, mode, cameo = row.type, row.mode, row.cameo
    if mood.deontic_speaker:
        hit = lex.frames.get(("DEONTIC", etype))
        if hit:
            return hit[0], hit[1], hit[2], True
    if etype == "INTENT":
        hit = frame_outcome(lex, "INTENT", c.absorbed)
        etype, mode, cameo = hit if hit else ("AGREE", "", row.cameo)
        return etype, mode, cameo, True
    if c.absorbed and is_frame(c):
        hit = frame_outcome(lex, etype, c.absorbed)
        if hit:
            etype, mode, cameo = hit[0] or etype, hit[1] or mode, hit[2] or cameo
    announced = mood.future or mood.modal
    # "failed to reach agreement" is a refusal as much as "will not agree"
    failed = c.anchor.dep_ == "xcomp" and c.anchor.head.lemma_.lower() == "fail"
    for outer, when in (("REFUSAL", mood.negated and (announced or failed)), ("CONDITIONAL", mood.conditional and announced),
                        ("FUTURE", mood.future and not mood.negated)):
        hit = lex.frames.get((outer, etype)) if when else None
        if hit:
            return hit[0], hit[1], hit[2], True
    return etype, mode, cameo, False
