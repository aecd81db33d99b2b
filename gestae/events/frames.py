"""Candidates and frames: trigger words of one sentence, and events embedded in others.

A verb of agreeing, promising, asking, refusing, threatening or accusing takes the event in its
complement as its content ("agreed to cooperate" is one AGREE, "threatened to impose sanctions" one
THREATEN); the purpose of an action is part of it ("staged a protest to demand reforms" is one PROTEST).
"X said Y must ..." with no event word inside is a demand by X on Y (`DEONTIC_ROW`). An unrealised
request or threat noun still frames its content ("calls to impose sanctions" asserts no sanctions).
Rows typed with a frame of event_frames.tsv instead of a PLOVER type take their type from their
content (`resolve_frame`: "is due to meet" is AGREE, "claimed responsibility for a bombing" the bombing).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Optional

from gestae.events.lexicon import Lexicon, Trigger, lexicon
from gestae.events.matching import Candidate, match_token, subject_of

# Dependency labels (grammar, not knowledge).

FRAME_DEPS = {"xcomp", "ccomp", "dobj", "prep", "attr", "oprd", "dative", "acl", "advcl", "pcomp", "pobj"}
# Role prepositions: their objects are recipients ("talks with X", "attack on X", "aid to X").


PROTEST_ADJUNCT_DEPS = {"advcl", "acl", "xcomp", "prep", "pcomp"}
# Frames whose content has not happened (asked for, threatened, proposed, refused), and where an event
# noun's content is: "calls to impose sanctions", "the threat of sanctions", "demands for a withdrawal".
IRREALIS_TYPES = {"REQUEST", "THREATEN", "AGREE", "REJECT", "INTENT"}
LATENT_FRAME_DEPS = {"acl", "ccomp", "xcomp"}
TIME_PREPS = {"after", "since", "following", "amid", "despite"}
LATENT_FRAME_PREPS = {"for", "of", "to"}


def candidates(doc: Any, positions: list[int], lex: Lexicon, actor_of) -> tuple[list[Candidate], list[Candidate]]:
    """Realised candidates and latent (unrealised noun) ones, with phrase overlaps and support verbs settled."""
    found = [c for c in (match_token(doc[i], lex, actor_of) for i in positions) if c is not None]
    # Words inside a multi-word verb phrase belong to it ("called off the strike": no PROTEST).
    in_phrases = {t.i for c in found if not c.latent and c.row.pos == "VERB" for t in c.tokens[1:]}
    found = [c for c in found if c.token.i not in in_phrases]
    phrase_heads = {c.token.i for c in found if not c.latent and len(c.row.words) > 1}
    realised = [c for c in found if not c.latent and (c.support is None or c.support.i not in phrase_heads)]
    latent = [c for c in found if c.latent]
    # A verb that realises an event noun is not an event of its own ("offered condolences", "ordered a probe").
    supports = {c.support.i for c in realised if c.support is not None and not c.occasion}
    realised = [c for c in realised if c.token.i not in supports]
    in_phrases = {t.i for c in realised for t in c.tokens[1:]}
    realised = [c for c in realised if c.token.i not in in_phrases]
    return realised, latent


def is_frame(c: Candidate) -> bool:
    return "frame" in c.row.flags or c.row.type == "INTENT"


def complement_tokens(c: Candidate) -> set[int]:
    """Token indices inside the complements of a frame trigger (or of the noun and its realising verb)."""
    heads = [c.token] + ([c.support] if c.support is not None else [])
    out: set[int] = set()
    conditions = lexicon().words_of("hypothetical")
    for h in heads:
        for child in h.children:
            if child.dep_ == "advcl" and subject_of(child) is not None and \
                    not any(g.dep_ == "mark" and (g.lower_ in conditions or g.lower_ == "for") for g in child.children):
                continue  # "agreed to talks after clashes killed five": the clashes are an event of their own
            if child.dep_ in FRAME_DEPS:
                out.update(t.i for t in child.subtree)
    # "is expected to visit India [after meeting Biden]": a time adjunct inside the content is no content
    for i in list(out):
        t = c.token.doc[i]
        if t.dep_ == "prep" and t.lower_ in TIME_PREPS:
            out.difference_update(g.i for g in t.subtree)
    out.difference_update(t.i for t in c.tokens)  # "call for [talks]": the phrase's own words are no content
    if c.support is not None:
        out.update(t.i for t in c.token.subtree)
        out.discard(c.token.i)
    return out


def _depth(tok: Any) -> int:
    d = 0
    while tok.head.i != tok.i:  # Token objects are views: compare indices, not identity
        tok, d = tok.head, d + 1
    return d


def _other_actors_clauses(anchor: Any, tokens: set[int]) -> set[int]:
    """Tokens of finite clauses with a subject of their own inside a purpose ("sent troops to curb the
    flow while Canada stepped up patrols"): another party's act, not part of this one."""
    doc = anchor.doc
    out: set[int] = set()
    for i in tokens:
        t = doc[i]
        if t.dep_ in ("advcl", "ccomp", "conj") and subject_of(t) is not None and i != anchor.i:
            out.update(g.i for g in t.subtree)
    return out


def absorb(realised: list[Candidate], latent: list[Candidate]) -> list[Candidate]:
    """Attach events inside a frame's complement to the frame; outer frames first."""
    frames = sorted((c for c in realised if is_frame(c)), key=lambda c: _depth(c.anchor))
    gone: set[int] = set()
    for frame in frames:
        if frame.token.i in gone:
            continue
        inside = complement_tokens(frame)
        for other in realised + latent:
            if other.occasion and other.support is not None and other.support.i == frame.anchor.i:
                continue  # "agreed at a summit": the summit is where, not what, they agreed
            if is_frame(other) and other.anchor.head.i == frame.anchor.i and (
                    other.anchor.dep_ == "conj" or (other.anchor.dep_ == "advcl" and other.anchor.tag_ == "VBG")):
                continue  # "Threatening to kill hostages, X demanded ...": two speech acts, side by side
            if other is not frame and other.token.i in inside and other.token.i not in gone:
                frame.absorbed.append(other)
                gone.add(other.token.i)
    # The purpose of an action is part of it ("staged a protest to demand reforms": one PROTEST); so are
    # a protest's demands and acts ("demonstrated, calling for independence"; "rioted, setting fire ...").
    for c in realised:
        if c.token.i in gone or is_frame(c):
            continue
        if c.row.type == "PROTEST":
            purpose = {t.i for h in (c.anchor, c.token) for ch in h.children if ch.dep_ in PROTEST_ADJUNCT_DEPS
                       for t in ch.subtree}
        else:
            purpose = {t.i for ch in c.anchor.children if ch.dep_ == "advcl" and
                       any(g.dep_ == "aux" and g.lower_ == "to" for g in ch.children) for t in ch.subtree}
        purpose -= _other_actors_clauses(c.anchor, purpose)
        for other in realised:
            if other is not c and other.token.i in purpose and other.token.i not in gone:
                c.absorbed.append(other)
                gone.add(other.token.i)
    # An unrealised request, threat or proposal still frames its content: "calls in Congress to impose
    # sanctions" asserts no sanctions.
    for noun in latent:
        if noun.token.i in gone or not is_frame(noun) or noun.row.type not in IRREALIS_TYPES:
            continue
        inside = {t.i for ch in noun.token.children if ch.dep_ in LATENT_FRAME_DEPS or
                  (ch.dep_ == "prep" and ch.lower_ in LATENT_FRAME_PREPS) for t in ch.subtree}
        gone |= {c.token.i for c in realised if c.token.i in inside}
    kept = [c for c in realised if c.token.i not in gone and ("needcomp" not in c.row.flags or c.absorbed)]
    return [c for c in (resolve_frame(c) for c in kept) if c is not None]


def _definite(noun: Any) -> bool:
    """A noun that refers back ("the attack", "Tuesday's bombing", "this assault")."""
    return noun.pos_ in ("NOUN", "PROPN") and any(
        (c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those")) or c.dep_ == "poss"
        for c in noun.children)


def resolve_frame(c: Candidate) -> Optional[Candidate]:
    """A trigger typed with a frame of event_frames.tsv rather than a PLOVER type takes the type its
    content gives it (SCHEDULE: "is due to meet" is a planned meeting, AGREE; CLAIM: "claimed
    responsibility for the bombing" is the bombing); with no rule for the content it is no event
    ("is expected to attack" is a forecast)."""
    lex = lexicon()
    if c.row.type in lex.types or c.row.type == "INTENT":
        return c
    inner = next((i for i in c.absorbed if (c.row.type, i.row.type) in lex.frames), None)
    hit = lex.frames.get((c.row.type, inner.row.type)) if inner is not None else None
    if hit is None or not hit[0]:
        return None
    if hit[0] == inner.row.type and _definite(inner.token):
        return None  # "claimed responsibility for the attack": the attack is reported already; not a second one
    # CLAIM: "claimed responsibility for the bombing" is the bombing itself, with its mode and code
    same = hit[0] == inner.row.type
    c.row = replace(c.row, type=hit[0], mode=hit[1] or (inner.row.mode if same else ""),
                    cameo=hit[2] or (inner.row.cameo if same else c.row.cameo), context=inner.row.context if same else c.row.context)
    return c


def frame_outcome(lex: Lexicon, outer: str, inner: list[Candidate]) -> Optional[tuple[str, str, str]]:
    """(type, mode, cameo) an outer frame gets from the first embedded event that has a rule."""
    for c in inner:
        hit = lex.frames.get((outer, c.row.type))
        if hit is not None:
            return hit
    return None


DEONTIC_ROW = Trigger(("must",), 0, "VERB", "REQUEST", "", "100", (), frozenset(), frozenset(), frozenset(),
                      frozenset(), frozenset(), 0.6)


def deontic_clauses(doc: Any, positions: list[int], lex: Lexicon, taken: set[int]) -> list[Candidate]:
    """'X said (that) Y must/should VERB' with no event word inside: a demand by X on Y."""
    deontic = lex.words_of("deontic")
    out = []
    for i in positions:
        t = doc[i]
        if t.dep_ != "ccomp" or t.head.lemma_.lower() not in lex.speech or t.i in taken:
            continue
        aux = [ch for ch in t.children if ch.dep_ == "aux" and ch.lower_ in deontic]
        subj = subject_of(t)
        if aux and subj is not None and subj.pos_ != "PRON":
            out.append(Candidate(t, DEONTIC_ROW, [aux[0], t]))
    return out
