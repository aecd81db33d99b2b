"""Parties that are not actor tokens: countries on things, force nouns, places of material events.

The actors stage only makes actors of noun phrases that denote a party. Events need more:

- a recipient inside a non-actor object: its country modifiers and its "of/from/by X" phrase
  ("rejected a U.S. offer" -> USA; "shelled positions of the Palestinian forces" -> PSE);
- an actor that is a force or an event noun with a country ("Israeli helicopters shelled" -> ISR
  MIL; "Russian air raids killed" -> RUS), but not a country of make ("U.S.-made jets");
- the place of a material event (an attack, a curfew, a withdrawal, a protest) as the state that
  suffers it ("shelled Rafah" -> PSE). Never for meetings and agreements, where a place is a venue;
- the country of a domestic group from where it is ("students throughout Indonesia");
- the host of a visit: the state of its destination when it is not the visitor's ("arrived in Amman
  on a visit" -> JOR), and of refuge sought ("sought refuge in Germany" -> DEU); a meeting's venue
  stays no party;
- the own state as the target of a sub-state actor's act with no named target, when the sentence
  names that one country only ("the teachers' union called off its strike" -> NGA).

Countries come from the actors stage's country-token map (KB names, capitals, demonyms) and, for
other place names, from the offline gazetteer of the where stage; actors created here are
registered on the article through `gestae.actors.state_actor` / `group_actor`.
"""
from __future__ import annotations

from typing import Any, Optional

from gestae.actors import MOTION_VERBS, STANCE_PREFIXES, country_of_token, group_actor, head_actors, state_actor
from gestae.events.lexicon import event_nouns, lexicon
from gestae.events.matching import is_passive
from gestae.model import Actor, Article

# Grammar, not knowledge.
MODIFIER_DEPS = {"amod", "compound", "poss", "nmod"}
# in order of preference: "withdrawal of X from Y" -> X; "from 35 countries, including the EU" -> the EU
PARTY_PREPS = ("by", "of", "from", "including")
PLACE_PREPS = {"in", "into", "at", "near", "on", "onto", "across", "throughout", "inside", "around", "within",
               "outside", "from", "against", "toward", "towards", "to"}
WHERE_PREPS = {"in", "at", "throughout", "across", "inside", "within", "around", "near"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
# "U.S.-made jets", "Iranian-built drones": a country of make is no party.
MAKE_PARTICIPLES = {"made", "built", "manufactured", "produced", "designed", "supplied", "owned"}
# Event types whose place is the party that suffers them (material acts on a territory).
PLACE_TYPES = {"ASSAULT", "COERCE", "RETREAT", "PROTEST", "CONCEDE", "SANCTION"}
# Sectors that are of the country they are in (not troops or diplomats abroad).
DOMESTIC_SECTORS = {"CVL", "OPP", "REB", "COP", "LAB", "EDU", "PTY", "JUD", "LEG", "MED", "BUS", "GOV", "REL",
                    "HLH", "AGR", "ELI", "CRM", "SPY", ""}


def force_nouns() -> frozenset[str]:
    """Nouns of military equipment that act for their owner ("helicopters", "tanks", "warplanes")."""
    return lexicon().words_of("force")


def _made_in(doc: Any, end: int) -> bool:
    return end + 1 < len(doc) and doc[end].text == "-" and doc[end + 1].lower_ in MAKE_PARTICIPLES


def noun_countries(article: Article, tok: Any) -> list[tuple[str, int, int]]:
    """Countries naming a noun's owner or author: "a U.S. request", "Israeli changes", "Iraq's plan"."""
    doc = tok.doc
    out: list[tuple[str, int, int]] = []
    # direct modifiers, and those of a compound modifier ("Ukrainian drone strikes")
    mods = [c for c in tok.children if c.dep_ in MODIFIER_DEPS and c.i < tok.i]
    mods += [g for c in mods if c.dep_ == "compound" for g in c.children if g.dep_ in MODIFIER_DEPS and g.i < c.i]
    mods += [g for c in mods for g in c.conjuncts if g.i < tok.i]   # "Canadian and Mexican exports"
    # "the U.S.-led war": the leader's
    mods += [g for c in tok.children if c.dep_ == "amod" and c.lower_ == "led" for g in c.children
             if g.dep_ == "npadvmod"]
    for child in mods:
        hit = country_of_token(article, child.i)
        if hit is None or _made_in(doc, hit[2]) or any(h[0] == hit[0] for h in out):
            continue
        if hit[1] > 0 and doc[hit[1] - 1].lower_ == "ethnic" or _stance(doc, hit[1]):
            continue  # "ethnic Albanian villages", "an anti-Iran blogger": not a state's
        out.append(hit[:3])
    return out


NESTED_PREPS = ("of", "with", "against", "to", "on", "by", "from")


def event_noun_parties(article: Article, noun: Any) -> list[Actor]:
    """The party an event noun's "of" phrase names, directly or through its object ("the invasion
    of Kuwait", "a suspension of air links with Serbia", "the blockade of Iraqi ports")."""
    out: list[Actor] = []
    for prep in noun.children:
        if prep.dep_ != "prep" or prep.lower_ != "of":
            continue
        for pobj in prep.children:
            if pobj.dep_ != "pobj":
                continue
            found = head_actors(article, pobj)
            if not found:
                hit = token_place(article, pobj)
                found = [state_actor(article, *hit)] if hit else noun_parties(article, pobj, "recipient", 1)
            if not found:
                for inner in pobj.children:
                    if inner.dep_ == "prep" and inner.lower_ in NESTED_PREPS:
                        for g in inner.children:
                            if g.dep_ == "pobj":
                                found += head_actors(article, g)
            out += [a for a in found if a not in out]
    return out


def noun_parties(article: Article, tok: Any, role: str, depth: int = 0) -> list[Actor]:
    """Parties named inside a noun that is no actor itself (see module doc). `role`: actor | recipient."""
    if tok.pos_ not in ("NOUN", "PROPN"):
        return []
    lemma = tok.lemma_.lower()
    force = lemma in force_nouns() or tok.lower_ in force_nouns()
    if role == "actor" and not force and lemma not in event_nouns():
        return []
    out: list[Actor] = []
    for country, start, end in noun_countries(article, tok):
        if force:
            out.append(group_actor(article, country, "MIL", min(start, tok.i), tok.i + 1))
        else:
            out.append(state_actor(article, country, start, end))
    if out or force:
        return out
    for prep_word in PARTY_PREPS:
        for prep in tok.children:
            if prep.dep_ not in ("prep", "agent") or prep.lower_ != prep_word:
                continue
            for pobj in prep.children:
                if pobj.dep_ != "pobj":
                    continue
                found = head_actors(article, pobj)
                if not found and prep_word == "from":
                    hit = country_of_token(article, pobj.i)
                    found = [state_actor(article, *hit[:3])] if hit and not hit[3] else []
                if not found and depth == 0:
                    found = noun_parties(article, pobj, role, 1)
                out += [a for a in found if a not in out]
        if out:
            return out
    return out


# --------------------------------------------------------------------------- places

def _entity_bounds(tok: Any) -> tuple[int, int]:
    doc = tok.doc
    start = tok.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = tok.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return start, end


def token_place(article: Article, tok: Any) -> Optional[tuple[str, int, int]]:
    """(ISO3, start, end) when the token names a country, capital or known place."""
    hit = country_of_token(article, tok.i)
    if hit is not None:
        return None if hit[3] else hit[:3]   # a demonym names people, not a place
    # NER sometimes takes a town for a people ("near Samarra" as NORP) or misses it
    loose = tok.ent_type_ not in PLACE_LABELS
    if loose and not (tok.ent_type_ in ("NORP", "") and tok.pos_ == "PROPN"):
        return None
    from gestae.where.gazetteer import SCAN_MIN_POPULATION, load  # the where stage's index, built once
    start, end = _entity_bounds(tok) if tok.ent_type_ else (tok.i, tok.i + 1)
    doc = tok.doc
    if doc[start].lower_ == "the":
        start += 1
    gazetteer = load()
    candidates = []
    # "Montenegro province", "West Darfur State": the name without its generic head or qualifier
    for s, e in ((start, end), (start, end - 1), (start + 1, end), (start + 1, end - 1)):
        if s < e:
            candidates = gazetteer.lookup(doc[s:e].text)
            if candidates:
                break
    if loose:   # as the where stage does for unlabelled names: known names or big cities only
        candidates = [c for c in candidates if c.primary or c.entry.population >= SCAN_MIN_POPULATION]
    if not candidates:
        return None
    best = max(candidates, key=lambda c: c.prior())
    return (best.entry.country, start, end) if best.entry.country else None


def place_of(article: Article, toks: list[Any], preps: set[str] = PLACE_PREPS, depth: int = 2) -> Optional[tuple[str, int, int]]:
    """The first place named by the tokens or their place phrases ("targets in southern Lebanon",
    "the town of Rafah", "a gunbattle in southeastern Serbia")."""
    frontier = list(toks)
    for level in range(depth + 1):
        nxt = []
        for t in frontier:
            if t.pos_ in ("NOUN", "PROPN"):
                # "in Montenegro province": the name may be the head's compound
                for cand in [t, *(g for g in t.children if g.dep_ == "compound")]:
                    hit = token_place(article, cand)
                    if hit is not None:
                        return hit
            for prep in t.children:
                if prep.dep_ == "prep" and (prep.lower_ in preps or (t.pos_ == "NOUN" and prep.lower_ == "of")):
                    nxt += [g for g in prep.children if g.dep_ == "pobj"]
                    # "outside of the city", "north of Kabul": a complex preposition
                    nxt += [g for p in prep.children if p.dep_ == "prep" and p.lower_ == "of"
                            for g in p.children if g.dep_ == "pobj"]
        frontier = nxt
    return None


def place_recipient(article: Article, anchor: Any, objects: list[Any]) -> list[Actor]:
    """The state whose territory a material event hits: the object's place, else the clause's."""
    hit = place_of(article, objects) or place_of(article, [anchor], depth=1)
    return [state_actor(article, *hit)] if hit else []


# "a visit to Kenya", "arrived in Amman", "landed at an airport in Hanoi": where a visitor goes.
VISIT_PREPS = {"to", "in", "at"}


def is_visit(row_mode: str, flags: frozenset[str], anchor: Any) -> bool:
    """A visit, not a meeting at a venue: a visit word ("visited", "a trip") or a meeting word realised
    by a verb of travel ("travelled to Moscow for talks"). The host is the grammatical object of
    "host"/"receive" (swap rows), so those are no visits here."""
    if "swap" in flags:
        return False
    return row_mode == "visit" or anchor.lemma_.lower() in MOTION_VERBS


def visit_host(article: Article, heads: list[Any], objects: list[Any], actors: list[Actor]) -> list[Actor]:
    """The host of a visit: the state of its destination when that is not the visitor's own country
    ("arrived in Amman on a visit" -> JOR; "paid a visit to Kenya" -> KEN; "visited a clinic in Kyiv").
    Only for visits: a meeting "at a hotel in Phnom Penh" or "on the sidelines of a summit" has a
    venue, not a host."""
    own = {a.country for a in actors if a.country}
    places = [p for h in heads for prep in h.children if prep.dep_ == "prep" and prep.lower_ in VISIT_PREPS
              for p in prep.children if p.dep_ == "pobj"]
    for tok in objects + places:
        hit = place_of(article, [tok], WHERE_PREPS, depth=1)
        if hit is not None and hit[0] not in own and hit[0] != "IGO":
            return [state_actor(article, *hit)]
    return []


def sentence_country(article: Article, sent: Any) -> str:
    """The one country a sentence names (by name, capital, demonym or place), else ""."""
    cache = article.derived.sentence_country
    if sent.start in cache:
        return cache[sent.start]
    found: set[str] = set()
    i = sent.start
    while i < sent.end:
        tok = sent.doc[i]
        hit = country_of_token(article, i)
        if hit is not None:
            if not _destination(sent.doc[hit[2] - 1]) and not _stance(sent.doc, hit[1]):
                found.add(hit[0])
            i = hit[2]
            continue
        if tok.ent_type_ in PLACE_LABELS and tok.ent_iob_ == "B":
            place = token_place(article, tok)
            if place is not None and not _destination(sent.doc[place[2] - 1]):
                found.add(place[0])
        i += 1
    found.discard("IGO")
    cache[sent.start] = found.pop() if len(found) == 1 else ""
    return cache[sent.start]


def _stance(doc: Any, start: int) -> bool:
    """"an anti-Syria journalist", "pro-Moscow rebels": a country named as a cause, not a place."""
    return start > 1 and doc[start - 1].text == "-" and doc[start - 2].lower_ in STANCE_PREFIXES


def _destination(tok: Any) -> bool:
    """A place someone travels to ("arrived in Geneva", "flew to Tokyo") says nothing of who they are."""
    for _ in range(3):
        if tok.dep_ in ("compound", "appos", "conj") and tok.head.i != tok.i:
            tok = tok.head
    prep = tok.head
    verb = prep.head.lemma_.lower()
    # "returning to Kyrgyzstan" is going home: that place does tell
    return tok.dep_ == "pobj" and prep.lower_ in VISIT_PREPS and verb in MOTION_VERBS and verb != "return"


def _domestic(actor: Actor) -> bool:
    if actor.kind == "person":
        return bool(actor.role)
    return actor.kind in ("group", "organization", "anonymous") and actor.sector in DOMESTIC_SECTORS


def nationalise(article: Article, actor: Actor, sent: Any) -> None:
    """A titled person or domestic group of unknown country, in a sentence that names one country
    only, is of that country ("President X extended the curfew in Abidjan")."""
    if not actor.country and _domestic(actor):
        actor.country = sentence_country(article, sent)


# Acts whose unnamed target is the actor's own country when nothing foreign is in sight: a resignation
# refused, a strike called off, martial law threatened, a ban lifted.
SELF_TARGET_TYPES = {"CONCEDE", "REJECT", "THREATEN", "COERCE"}


def domestic_target(article: Article, actors: list[Actor], sent: Any, tok: Any) -> list[Actor]:
    """The own state as recipient of a sub-state actor's act with no named recipient, when the sentence
    names that one country only ("Kenya's vice-president declined to resign" -> KEN; "the Nigerian
    teachers' union called off its strike" -> NGA). Not for states ("Russia rejected the claims"): their
    acts with no named target are often aimed abroad."""
    countries = {a.country for a in actors}
    if len(countries) != 1 or any(a.kind == "state" for a in actors):
        return []
    own = countries.pop()
    if not own or own == "IGO" or sentence_country(article, sent) != own:
        return []
    return [state_actor(article, own, tok.left_edge.i, tok.i + 1)]


def localise(article: Article, actor: Actor, tok: Any, anchor: Any) -> None:
    """A domestic group with no country takes the country it is in ("students throughout Indonesia",
    "rebels who demonstrated in Serbia"): first a place in its own phrase, then in its clause."""
    if actor.country or actor.kind == "person" or not _domestic(actor):
        return
    hit = place_of(article, [tok], WHERE_PREPS | {"of"}, depth=1)
    if hit is None and anchor.lemma_.lower() not in MOTION_VERBS:  # "arrived in Geneva": a destination
        hit = place_of(article, [anchor], WHERE_PREPS, depth=2)
    if hit is not None:
        actor.country = hit[0]


def _names_an_attack(tok: Any) -> bool:
    """A weapon or an attack noun: "an improvised explosive device", "a suicide car bombing"."""
    lemma = tok.lemma_.lower()
    return lemma in force_nouns() or lemma in lexicon().words_of("weapon") or any(r.type == "ASSAULT" for r in lexicon().triggers.get((lemma, "NOUN"), ()))


def unknown_attackers(article: Article, anchor: Any, toks: list[Any], trigger: Any) -> list[Actor]:
    """An attack whose agent is its weapon or the attack itself ("a roadside bomb killed four
    soldiers", "were killed by an explosive device", "were killed in a car bombing") is by unidentified
    attackers. Their country is unknown: the place of an attack is its victims' country, never by
    default its attackers'. A passive that names no attack ("were kidnapped") names no actor at all,
    and is no record."""
    if is_passive(anchor):
        named = [g for p in anchor.children if p.dep_ in ("agent", "prep") and p.lower_ in ("by", "in")
                 for g in p.children if g.dep_ == "pobj" and _names_an_attack(g)]
        if not named and not (trigger.i != anchor.i and _names_an_attack(trigger)):
            return []
    else:
        subject = next((ch for ch in anchor.children if ch.dep_ == "nsubj"), None)
        if subject is None:
            return []
        # "U.S. border patrol agents abused ...": a subject no actor, with a country on it, is of that country
        owned = [c for c in noun_countries(article, subject) if c[0] != "IGO"]
        if owned and subject.pos_ == "NOUN" and not _names_an_attack(subject):
            country, start, _ = owned[0]
            return [group_actor(article, country, "", min(start, subject.i), subject.i + 1)]
    return [group_actor(article, "", "", trigger.i, trigger.i + 1, name="unidentified attackers")]


CONDITION_MARKS = {"if", "unless", "until"}
CHAIN_DEPS = {"xcomp", "ccomp", "advcl", "conj", "dobj", "acl", "relcl"}


def condition_subjects(article: Article, heads: list[Any]) -> list[Actor]:
    """Who a threat is aimed at: the subject of its condition ("... unless Baghdad accepts",
    "... if the United States goes ahead")."""
    if not heads:
        return []
    doc = heads[0].doc
    # the condition may hang on the threatened act's own verbs ("threatened to stop talks to cut
    # arms if X goes ahead"): walk down complement, clause and object chains a few steps
    seen = {h.i for h in heads}
    frontier = list(heads)
    for _ in range(3):
        frontier = [g for h in frontier for g in h.children if g.i not in seen and g.dep_ in CHAIN_DEPS]
        seen.update(g.i for g in frontier)
    out: list[Actor] = []
    for i in sorted(seen):
        clause = doc[i]
        if clause.dep_ != "advcl" or not any(g.dep_ == "mark" and g.lower_ in CONDITION_MARKS
                                             for g in clause.children):
            continue
        for subj in clause.children:
            if subj.dep_ in ("nsubj", "nsubjpass"):
                out += [a for a in head_actors(article, subj) if a not in out]
    return out
