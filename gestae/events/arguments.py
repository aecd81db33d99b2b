"""Arguments of an event from the parse: which tokens name its actors and recipients, and their actors.

Subject -> actors; objects and role-preposition objects (with, to, against, on ...) -> recipients;
passives swap them; conjoined subjects and "with" partners of symmetric events make the event
reciprocal. Pronoun parties take the clause's speaker ("X said he would ..."), else their antecedent
(`gestae.speech.pronoun_referent`); "their forces" take the country of the pronoun's antecedent.
Stance participles ("is opposed to") keep their subject as the actor. The role rules
(gestae/events/rules.py) decide which of these fall-backs apply to an event.
"""
from __future__ import annotations

from typing import Any, Optional

from gestae.actors import head_actors
from gestae.events.lexicon import event_nouns, lexicon
from gestae.events.matching import Candidate, is_passive, objects_of, subject_of
from gestae.events.roles import PLACE_TYPES, noun_parties, place_recipient
from gestae.model import Actor, Article
from gestae.speech import pronoun_referent

# Dependency labels and tiny grammatical word sets (not knowledge).

ROLE_PREPS = {"with", "to", "against", "on", "upon", "at", "toward", "towards", "into", "from", "over"}


NOUN_ROLE_PREPS = {"by", "from", "against", "on", "with", "to", "toward", "towards"}


BENEFIT_TYPES = {"AID", "SUPPORT"}


SUBJECT_CLIMB_DEPS = {"xcomp", "conj", "advcl", "pcomp", "acomp"}


QUANTITY_HEADS = {"hundred", "thousand", "dozen", "million", "group", "number", "some", "many", "several", "most",
                  "all", "member", "crowd", "score", "ten", "tens"}


PERSONAL_PRONOUNS = {"he", "she", "they", "it", "we", "i", "him", "her", "them"}


POSSESSIVE_PRONOUNS = {"its", "their", "his", "her"}


def actors_of(article: Article, tok: Any) -> list[Actor]:
    """The actors an argument token names: its own, a quantity's ("hundreds of students"), or a
    misparsed participle's subject."""
    found = head_actors(article, tok)
    if not found and tok.lemma_.lower() in QUANTITY_HEADS:
        for prep in tok.children:  # "hundreds of students"
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for pobj in prep.children:
                    if pobj.dep_ == "pobj":
                        found = head_actors(article, pobj)
    if not found and tok.pos_ == "VERB" and tok.dep_ in ("nsubj", "csubj"):
        # "The Red Cross operating in Iraq said": a participle the parser took for the subject
        found = [a for ch in tok.children if ch.dep_ == "nsubj" for a in head_actors(article, ch)]
    return found


def _verb_of_event_noun(noun: Any) -> Optional[Any]:
    """The verb an event noun hangs from ("gathered [for a rally]", "held [talks]"), when the noun is
    an event and not a party."""
    if noun.lemma_.lower() not in event_nouns():
        return None
    t = noun
    while t.dep_ in ("pobj", "prep", "dobj") and t.head.i != t.i:
        t = t.head
    return t if t.pos_ in ("VERB", "AUX") and t.i != noun.i else None


def subject_token(anchor: Any) -> Optional[Any]:
    """The subject of a clause, climbing through xcomp/conj/advcl chains and relative clauses."""
    t = anchor
    for _ in range(4):
        subj = subject_of(t)
        if subj is not None:
            if subj.tag_ in ("WDT", "WP") and t.dep_ == "relcl":
                return t.head  # "rebels who attacked ..."
            return subj
        if t.dep_ == "relcl" or t.dep_ == "acl":
            verb = _verb_of_event_noun(t.head)
            if verb is None:
                return t.head
            t = verb  # "converged for a rally to protest ...": the rally's people protest
            continue
        # "resorted to throwing stones": through a preposition to the verb it hangs on
        prep_of_verb = t.dep_ == "prep" and t.head.pos_ in ("VERB", "AUX") and t.i > t.head.i
        if (t.dep_ not in SUBJECT_CLIMB_DEPS and not prep_of_verb) or t.head.i == t.i:
            return None
        t = t.head
    return None


def role_tokens(c: Candidate) -> tuple[list[Any], list[Any], bool]:
    """Tokens naming actors and recipients, and whether a 'with' partner was found."""
    anchor = c.anchor
    own = {t.i for t in c.tokens}
    actors: list[Any] = []
    recipients: list[Any] = []
    with_partner = False
    passive = is_passive(anchor)
    if passive and anchor.lemma_.lower() in lexicon().words_of("stative") and \
            not any(ch.dep_ == "agent" for ch in anchor.children):
        # "X is opposed to Y", "X is committed to ...": a stance of X, not an act done to X
        passive = False
        actors += [ch for ch in anchor.children if ch.dep_ == "nsubjpass" and ch.i not in own]
    # a beneficiary: "aid for refugees", "support for the plan's authors"
    benefit = {"for"} if c.row.type in BENEFIT_TYPES else set()
    role_preps, noun_preps = ROLE_PREPS | benefit, NOUN_ROLE_PREPS | benefit
    # "a meeting requested by X", "sanctions imposed by the EU": a participle with an agent is passive,
    # and the noun it modifies is what the act is done to
    reduced = anchor.dep_ == "acl" and anchor.tag_ == "VBN" and any(ch.dep_ == "agent" for ch in anchor.children)
    if passive or reduced:
        for ch in anchor.children:
            if ch.dep_ == "agent":
                actors += [g for g in ch.children if g.dep_ == "pobj"]
            elif ch.dep_ == "nsubjpass" and ch.i not in own:
                recipients.append(ch)
        if reduced:
            recipients.append(anchor.head)
        passive = True
    elif not actors:
        subj = subject_token(anchor)
        if subj is not None:
            actors.append(subj)
            # a mis-parsed coordination can leave two subjects on one verb ("X and Y agreed")
            actors += [ch for ch in subj.head.children if ch.dep_ == "nsubj" and ch.i != subj.i]
    heads = [anchor] + ([c.token] if c.support is not None else [])
    if c.support is not None and c.token.dep_ == "compound" and c.token.head.i != anchor.i:
        heads.append(c.token.head)  # "a mediation mission between X and Y": the light noun's phrases
    for h in heads:
        if h.i == anchor.i and not passive:  # objects, with the "up to N" and "allow X to" mis-parses
            recipients += [o for o in objects_of(h) if o.i not in own and o not in actors]
        for ch in h.children:
            if ch.i in own and not (ch.dep_ == "prep" and ch.lower_ in ROLE_PREPS):
                if ch.dep_ == "dobj" and not passive:
                    # "expelled two Russian diplomats", "broke off relations with X": the phrase's object
                    # may name the party, or carry it in a prepositional phrase
                    recipients.append(ch)
                    recipients += [g for p in ch.children if p.dep_ == "prep" and p.lower_ in noun_preps
                                   for g in p.children if g.dep_ == "pobj"]
                continue  # a phrase's own words are no party, but "call on X": X is
            if ch.dep_ in ("dative", "iobj") and not passive:
                # "gave X aid", or a preposition the parser took for a dative ("aid for X")
                recipients += [g for g in ch.children if g.dep_ == "pobj"] if ch.pos_ == "ADP" else [ch]
            elif ch.dep_ == "dobj" and not passive:
                if h.i != anchor.i:
                    recipients.append(ch)
                # "rejected calls by X", "an offer from X", "action against X": the noun's parties
                recipients += [g for p in ch.children if p.dep_ == "prep" and p.lower_ in noun_preps
                               for g in p.children if g.dep_ == "pobj"]
            elif ch.dep_ == "prep" and ch.lower_ in role_preps | {"between", "by"}:
                pobjs = [g for g in ch.children if g.dep_ == "pobj"]
                if ch.lower_ == "between" and "mediator" in c.row.flags and subject_of(anchor) is not None:
                    recipients += pobjs   # "mediated between X and Y": X and Y are whom the mediator acts on
                elif ch.lower_ == "between":
                    actors += pobjs
                    with_partner = True
                elif ch.lower_ == "by" and h.i == c.token.i and c.token.pos_ == "NOUN":
                    actors += pobjs
                else:
                    recipients += pobjs
                    with_partner = with_partner or (ch.lower_ == "with" and bool(pobjs))
    if (c.support is not None or c.token.pos_ == "NOUN") and not actors:
        actors.append(c.token)  # the noun's own modifiers: "Israeli air strikes", "China's warning"
    return actors, recipients, with_partner


def resolve(article: Article, toks: list[Any], speaker: list[Actor], role: str = "recipient") -> list[Actor]:
    out: list[Actor] = []
    for t in toks:
        found = actors_of(article, t)
        if not found and t.pos_ == "PRON" and t.lower_ in PERSONAL_PRONOUNS:
            # "X said he would ...": the speaker; else the pronoun's antecedent ("He accused Moscow ...")
            found = speaker
            if not found:
                ref = pronoun_referent(article, t)
                found = [ref] if ref is not None else []
        if not found:
            found = noun_parties(article, t, role)  # "a U.S. offer", "Israeli helicopters"
        for a in found:
            own_country(article, a, t, speaker)
        for a in found:
            if a not in out:
                out.append(a)
    return out


def own_country(article: Article, actor: Actor, tok: Any, speaker: list[Actor]) -> None:
    """A group of no country owned by a pronoun ("their forces", "its troops") is of the pronoun's
    antecedent: the clause's speaker, else the actor the pronoun refers to."""
    if actor.country or actor.kind not in ("group", "organization", "anonymous"):
        return
    for ch in tok.children:
        if ch.dep_ == "poss" and ch.lower_ in POSSESSIVE_PRONOUNS:
            owner = speaker[0] if speaker else pronoun_referent(article, ch)
            if owner is not None and owner is not actor and owner.country:
                actor.country = owner.country
            return


def territory(article: Article, c: Candidate, recip_toks: list[Any], actors: list[Actor],
               actor_toks: list[Any], etype: str) -> list[Actor]:
    """The state a material event hits when no recipient has a country: the place attacked, closed
    or left ("shelled Rafah", "lifted the curfew in Montenegro"); a protest or a crackdown with no
    place is aimed at the government of its actors' own country."""
    objects = recip_toks + ([c.token] if c.support is not None else [])
    found = [a for a in place_recipient(article, c.anchor, objects) if a not in actors]
    if found or etype not in ("PROTEST", "COERCE") or not actor_toks:
        return found
    own = next((a.country for a in actors if a.country and a.country != "IGO"), "")
    if not own or (etype == "COERCE" and any(a.kind == "state" for a in actors)):
        return []
    tok = actor_toks[0]
    from gestae.actors import state_actor
    return [state_actor(article, own, tok.left_edge.i, tok.i + 1)]


def inner_actors(article: Article, c: Candidate, speaker: list[Actor]) -> list[Actor]:
    """Who did the act a frame judges ("welcomed the announcement that Ukraine had agreed",
    "praised the withdrawal of U.S. troops"): the first absorbed event's actors, else the subject of
    the object's own clause."""
    for inner in c.absorbed:
        toks, _, _ = role_tokens(inner)
        found = resolve(article, toks, speaker, "actor")
        if found:
            return found
    # the act told in the object's own clause: "welcomed the announcement that Ukraine had agreed"
    for obj in (ch for ch in c.anchor.children if ch.dep_ == "dobj"):
        for clause in (g for g in obj.children if g.dep_ in ("acl", "ccomp") and g.pos_ in ("VERB", "AUX")):
            subj = subject_of(clause)
            found = actors_of(article, subj) if subj is not None else []
            if found:
                return found
    return []


def inner_recipients(article: Article, c: Candidate, speaker: list[Actor]) -> list[Actor]:
    """A frame's recipients from the event it contains ("threatened to impose sanctions on X")."""
    for inner in c.absorbed:
        _, toks, _ = role_tokens(inner)
        found = resolve(article, toks, speaker)
        if inner.row.type in PLACE_TYPES and not any(a.country for a in found):
            # "threatened to impose a curfew in Algiers": the place the threatened act would hit
            found += place_recipient(article, inner.anchor, toks + ([inner.token] if inner.support is not None else []))
        if found:
            return found
    return []


def complement_subjects(article: Article, c: Candidate) -> list[Actor]:
    """The named subject of a frame's finite complement clause ("insisted that Israel withdraw")."""
    out: list[Actor] = []
    for ch in c.anchor.children:
        if ch.dep_ != "ccomp" or any(g.dep_ == "aux" and g.lower_ == "to" for g in ch.children):
            continue
        subj = subject_of(ch)
        if subj is not None and subj.pos_ != "PRON":
            out += [a for a in actors_of(article, subj) if a not in out]
    return out


# Links inside a noun phrase that name the parties of what it describes ("cooperation between X and
# Y", "X's expansion", "the deployment by X").
PARTY_LINK_PREPS = {"between", "of", "by", "from", "with"}


def parties_within(article: Article, phrase: Any) -> list[Actor]:
    """The parties a phrase that is no actor names: its possessors and the objects of its party
    prepositions, with their conjuncts, anywhere in its subtree ("expanding cooperation between Russia
    and North Korea" -> Russia, North Korea)."""
    out: list[Actor] = []
    for t in phrase.subtree:
        linked = t.dep_ == "poss" or (t.dep_ == "pobj" and t.head.lower_ in PARTY_LINK_PREPS) or \
            (t.dep_ == "conj" and (t.head.dep_ == "poss" or (t.head.dep_ == "pobj" and t.head.head.lower_ in PARTY_LINK_PREPS)))
        if linked:
            out += [a for a in head_actors(article, t) if a not in out]
    return out


def clause_subjects(article: Article, c: Candidate) -> list[Actor]:
    """Who is asked, refused, accused or threatened in a complement clause, event word or not:
    its subject ("demanded that Israel withdraw"), else its objects ("threatened to deliver blows to X")."""
    out: list[Actor] = []
    for ch in c.anchor.children:
        if ch.dep_ not in ("ccomp", "xcomp"):
            continue
        subj = subject_of(ch)
        if subj is not None:
            # "warned that [cooperation between X and Y] is dangerous": the parties the subject names
            out += [a for a in actors_of(article, subj) or parties_within(article, subj) if a not in out]
            continue
        for g in ch.children:
            toks = [g] if g.dep_ in ("dobj", "dative") else \
                [p for p in g.children if p.dep_ == "pobj"] if g.dep_ == "prep" and g.lower_ in ROLE_PREPS else []
            for t in toks:
                out += [a for a in actors_of(article, t) if a not in out]
    return out
