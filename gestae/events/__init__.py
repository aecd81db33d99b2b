"""Stage 'events': PLOVER event coding from the dependency parse.

For each sentence of `article.doc`:

1. Candidates: every token is looked up in the trigger lexicon (gestae/data/triggers.tsv) by lemma and
   inflected form; phrase rows ("call for", "open fire", "lift curfew") need their other words among the
   head's dependents, and rows carry constraints (needs an object, a party object, a preposition ...).
   Event nouns ("talks", "protest", "sanctions") count only when a verb realises them ("held talks",
   "staged a protest", "imposed sanctions", "clashes erupted"); an unrealised noun stays latent.
2. Frames: verbs of agreeing, promising, asking, refusing, threatening and accusing take the event in
   their complement as their content ("agreed to cooperate" is one AGREE, "threatened to impose
   sanctions" one THREATEN); the content decides the mode, and for promises/vows the type
   (event_frames.tsv). Events in reported speech ("X said Y attacked Z") are coded with reported_by X;
   "X said Y must ..." is a demand by X on Y.
3. Modality: negation ("did not agree"), hypotheticals ("could impose", "if ...") and announced future
   events ("will meet" is AGREE, "will withdraw" CONCEDE, "will strike" THREATEN, as PLOVER codes them).
4. Roles from the parse, through the actors stage's `head_actors`: subject -> actors, objects and
   role-preposition objects (with, to, against, on ...) -> recipients; passives swap them; conjoined
   subjects and "with" partners of symmetric events (meet, agree, clash) make the event reciprocal.
   Pronoun parties take the clause's speaker ("X said he would ..."), else their antecedent by
   `gestae.speech.pronoun_referent` ("He accused Moscow ...", "troops attacked them"); "their forces"
   take the country of the pronoun's antecedent. Stance participles ("is opposed to") keep their
   subject as the actor.
   Places ("in Phnom Penh") are no parties of meetings and agreements. roles.py adds the parties that
   are no actor tokens: countries on things ("rejected a U.S. offer"), force nouns ("Israeli tanks"),
   the territory of material events ("shelled Rafah"), the country of domestic groups, the subject
   of a threat's condition, and the one country a sentence names for titled persons of unknown country.

Everything is indexed once per process (lexicon.py); the per-sentence work is a walk over its tokens.
"""
from __future__ import annotations

from typing import Any, Optional

from spacy.attrs import DEP, LEMMA, LOWER, SENT_START

from gestae.actors import actor_of_token, head_actors
from gestae.events.lexicon import Lexicon, Trigger, lexicon
from gestae.events.matching import (Candidate, is_party, is_passive, match_token, objects_of,
                                    subject_of)
from gestae.events.roles import (PLACE_TYPES, SELF_TARGET_TYPES, condition_subjects, domestic_target, event_noun_parties, localise, nationalise,
                                 is_visit, noun_parties, place_recipient, unknown_attackers, visit_host)
from gestae.model import Actor, Article, Event
from gestae.speech import according_to_source, pronoun_referent

# Dependency labels and tiny grammatical word sets (not knowledge).
FRAME_DEPS = {"xcomp", "ccomp", "dobj", "prep", "attr", "oprd", "dative", "acl", "advcl", "pcomp", "pobj"}
# Role prepositions: their objects are recipients ("talks with X", "attack on X", "aid to X").
ROLE_PREPS = {"with", "to", "against", "on", "upon", "at", "toward", "towards", "into", "from", "over"}
PROTEST_ADJUNCT_DEPS = {"advcl", "acl", "xcomp", "prep", "pcomp"}
NOUN_ROLE_PREPS = {"by", "from", "against", "on", "with", "to", "toward", "towards"}
BENEFIT_TYPES = {"AID", "SUPPORT"}
SUBJECT_CLIMB_DEPS = {"xcomp", "conj", "advcl", "pcomp", "acomp"}
QUANTITY_HEADS = {"hundred", "thousand", "dozen", "million", "group", "number", "some", "many", "several", "most",
                  "all", "member", "crowd", "score", "ten", "tens"}
NEGATING_HEADS = {"fail", "refrain", "stop", "cease"}
PERSONAL_PRONOUNS = {"he", "she", "they", "it", "we", "i", "him", "her", "them"}
POSSESSIVE_PRONOUNS = {"its", "their", "his", "her"}


def annotate(article: Article) -> None:
    """Append the article's PLOVER events to `article.events` (ids e1, e2, ...)."""
    doc = article.doc
    if doc is None or len(doc) == 0:
        return
    lex = lexicon()

    def actor_of(i: int) -> Optional[Actor]:
        return actor_of_token(article, i)

    by_sentence = _positions_by_sentence(doc, lex)
    for sent in doc.sents:
        positions = by_sentence.get(sent.start)
        if positions is None:
            continue
        for event in _sentence_events(article, sent, positions, lex, actor_of):
            event.id = f"e{len(article.events) + 1}"
            article.events.append(event)


def _positions_by_sentence(doc: Any, lex: Lexicon) -> dict[int, tuple[list[int], list[int]]]:
    """Trigger-word and clausal-complement token positions, grouped by sentence start.

    One pass over the Doc's attribute arrays: most tokens are no trigger, and creating a Token object
    for each of them would cost more than all the rest of the stage.
    """
    rows = doc.to_array([LEMMA, LOWER, DEP, SENT_START]).tolist()
    heads, forms = lex.head_hashes, lex.form_hashes
    ccomp = doc.vocab.strings["ccomp"]
    out: dict[int, tuple[list[int], list[int]]] = {}
    start = 0
    for i, (lemma, lower, dep, sent_start) in enumerate(rows):
        if sent_start == 1:
            start = i
        if lemma in heads or lower in forms:
            out.setdefault(start, ([], []))[0].append(i)
        elif dep == ccomp:
            out.setdefault(start, ([], []))[1].append(i)
    return out


# --------------------------------------------------------------------------- candidates and frames

def _candidates(doc: Any, positions: list[int], lex: Lexicon, actor_of) -> tuple[list[Candidate], list[Candidate]]:
    """Realised candidates and latent (unrealised noun) ones, with phrase overlaps and support verbs settled."""
    found = [c for c in (match_token(doc[i], lex, actor_of) for i in positions) if c is not None]
    # Words inside a multi-word verb phrase belong to it ("called off the strike": no PROTEST).
    in_phrases = {t.i for c in found if not c.latent and c.row.pos == "VERB" for t in c.tokens[1:]}
    found = [c for c in found if c.token.i not in in_phrases]
    phrase_heads = {c.token.i for c in found if not c.latent and len(c.row.words) > 1}
    realised = [c for c in found if not c.latent and (c.support is None or c.support.i not in phrase_heads)]
    latent = [c for c in found if c.latent]
    # A verb that realises an event noun is not an event of its own ("offered condolences", "ordered a probe").
    supports = {c.support.i for c in realised if c.support is not None}
    realised = [c for c in realised if c.token.i not in supports]
    in_phrases = {t.i for c in realised for t in c.tokens[1:]}
    realised = [c for c in realised if c.token.i not in in_phrases]
    return realised, latent


def _is_frame(c: Candidate) -> bool:
    return "frame" in c.row.flags or c.row.type == "INTENT"


def _complement_tokens(c: Candidate) -> set[int]:
    """Token indices inside the complements of a frame trigger (or of the noun and its realising verb)."""
    heads = [c.token] + ([c.support] if c.support is not None else [])
    out: set[int] = set()
    conditions = lexicon().words_of("hypothetical")
    for h in heads:
        for child in h.children:
            if child.dep_ == "advcl" and subject_of(child) is not None and \
                    not any(g.dep_ == "mark" and g.lower_ in conditions for g in child.children):
                continue  # "agreed to talks after clashes killed five": the clashes are an event of their own
            if child.dep_ in FRAME_DEPS:
                out.update(t.i for t in child.subtree)
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


def _absorb(realised: list[Candidate], latent: list[Candidate]) -> list[Candidate]:
    """Attach events inside a frame's complement to the frame; outer frames first."""
    frames = sorted((c for c in realised if _is_frame(c)), key=lambda c: _depth(c.anchor))
    gone: set[int] = set()
    for frame in frames:
        if frame.token.i in gone:
            continue
        inside = _complement_tokens(frame)
        for other in realised + latent:
            if other is not frame and other.token.i in inside and other.token.i not in gone:
                frame.absorbed.append(other)
                gone.add(other.token.i)
    # The purpose of an action is part of it ("staged a protest to demand reforms": one PROTEST); so are
    # a protest's demands and acts ("demonstrated, calling for independence"; "rioted, setting fire ...").
    for c in realised:
        if c.token.i in gone or _is_frame(c):
            continue
        if c.row.type == "PROTEST":
            purpose = {t.i for h in (c.anchor, c.token) for ch in h.children if ch.dep_ in PROTEST_ADJUNCT_DEPS
                       for t in ch.subtree}
        else:
            purpose = {t.i for ch in c.anchor.children if ch.dep_ == "advcl" and
                       any(g.dep_ == "aux" and g.lower_ == "to" for g in ch.children) for t in ch.subtree}
        for other in realised:
            if other is not c and other.token.i in purpose and other.token.i not in gone:
                c.absorbed.append(other)
                gone.add(other.token.i)
    kept = [c for c in realised if c.token.i not in gone]
    return [c for c in kept if "needcomp" not in c.row.flags or c.absorbed]


def _frame_outcome(lex: Lexicon, outer: str, inner: list[Candidate]) -> Optional[tuple[str, str, str]]:
    """(type, mode, cameo) an outer frame gets from the first embedded event that has a rule."""
    for c in inner:
        hit = lex.frames.get((outer, c.row.type))
        if hit is not None:
            return hit
    return None


# --------------------------------------------------------------------------- speech and modality

def _speech_head(tok: Any, lex: Lexicon) -> Optional[Any]:
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


def _according_to(sent: Any) -> Optional[Any]:
    """X in "according to X" (a sentence-level source)."""
    if "ccording" not in sent.text:  # cheap test before walking the tokens
        return None
    for t in sent:
        if t.lower_ == "according":
            return according_to_source(t)
    return None


def _aux_lemmas(tok: Any) -> set[str]:
    return {c.lemma_.lower() for c in tok.children if c.dep_ in ("aux", "auxpass")} | \
           {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}


def _negated(c: Candidate) -> bool:
    for t in (c.token, c.anchor):
        if any(ch.dep_ == "neg" or ch.lower_ == "never" for ch in t.children):
            return True
    if c.token.pos_ == "NOUN" and any(ch.dep_ == "det" and ch.lower_ == "no" for ch in c.token.children):
        return True
    head = c.anchor.head
    return c.anchor.dep_ == "xcomp" and head.lemma_.lower() in NEGATING_HEADS


def _modality(c: Candidate, lex: Lexicon) -> tuple[bool, bool, bool]:
    """(future, hypothetical, deontic) of the trigger's clause."""
    auxes = _aux_lemmas(c.anchor)
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


# --------------------------------------------------------------------------- roles

def _actors_of(article: Article, tok: Any) -> list[Actor]:
    found = head_actors(article, tok)
    if not found and tok.lemma_.lower() in QUANTITY_HEADS:
        for prep in tok.children:  # "hundreds of students"
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for pobj in prep.children:
                    if pobj.dep_ == "pobj":
                        found = head_actors(article, pobj)
    return found


def _subject_token(anchor: Any) -> Optional[Any]:
    """The subject of a clause, climbing through xcomp/conj/advcl chains and relative clauses."""
    t = anchor
    for _ in range(4):
        subj = subject_of(t)
        if subj is not None:
            if subj.tag_ in ("WDT", "WP") and t.dep_ == "relcl":
                return t.head  # "rebels who attacked ..."
            return subj
        if t.dep_ == "relcl" or t.dep_ == "acl":
            return t.head
        if t.dep_ not in SUBJECT_CLIMB_DEPS or t.head.i == t.i:
            return None
        t = t.head
    return None


def _role_tokens(c: Candidate) -> tuple[list[Any], list[Any], bool]:
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
    if passive:
        for ch in anchor.children:
            if ch.dep_ == "agent":
                actors += [g for g in ch.children if g.dep_ == "pobj"]
            elif ch.dep_ == "nsubjpass" and ch.i not in own:
                recipients.append(ch)
    elif not actors:
        subj = _subject_token(anchor)
        if subj is not None:
            actors.append(subj)
            # a mis-parsed coordination can leave two subjects on one verb ("X and Y agreed")
            actors += [ch for ch in subj.head.children if ch.dep_ == "nsubj" and ch.i != subj.i]
    heads = [anchor] + ([c.token] if c.support is not None else [])
    if c.support is not None and c.token.dep_ == "compound" and c.token.head.i != anchor.i:
        heads.append(c.token.head)  # "a mediation mission between X and Y": the light noun's phrases
    for h in heads:
        if h.i == anchor.i and not passive:  # objects, with the "up to N" and "allow X to" mis-parses
            recipients += [o for o in objects_of(h) if o.i not in own]
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
                elif ch.lower_ == "by" and h.i == c.token.i:
                    actors += pobjs
                else:
                    recipients += pobjs
                    with_partner = with_partner or (ch.lower_ == "with" and bool(pobjs))
    if c.support is not None and not actors:
        actors.append(c.token)  # the noun's own modifiers: "Israeli air strikes", "China's warning"
    return actors, recipients, with_partner


def _resolve(article: Article, toks: list[Any], speaker: list[Actor], role: str = "recipient") -> list[Actor]:
    out: list[Actor] = []
    for t in toks:
        found = _actors_of(article, t)
        if not found and t.pos_ == "PRON" and t.lower_ in PERSONAL_PRONOUNS:
            # "X said he would ...": the speaker; else the pronoun's antecedent ("He accused Moscow ...")
            found = speaker
            if not found:
                ref = pronoun_referent(article, t)
                found = [ref] if ref is not None else []
        if not found:
            found = noun_parties(article, t, role)  # "a U.S. offer", "Israeli helicopters"
        for a in found:
            _own_country(article, a, t, speaker)
        for a in found:
            if a not in out:
                out.append(a)
    return out


def _own_country(article: Article, actor: Actor, tok: Any, speaker: list[Actor]) -> None:
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


# --------------------------------------------------------------------------- events

def _span(c: Candidate, sent: Any) -> tuple[int, int]:
    """Character span of the clause that carries the event (the anchor's subtree), within the sentence."""
    left, right = c.anchor.left_edge, c.anchor.right_edge
    return max(left.idx, sent.start_char), min(right.idx + len(right.text), sent.end_char)


def _trigger_text(c: Candidate) -> tuple[str, tuple[int, int]]:
    toks = sorted(c.tokens, key=lambda t: t.i)
    doc = c.token.doc
    if len(toks) > 1 and toks[-1].i - toks[0].i <= 4:
        span = doc[toks[0].i: toks[-1].i + 1]
        return span.text, (span.start_char, span.end_char)
    if len(toks) > 1:
        return " ".join(t.text for t in toks), (toks[0].idx, toks[-1].idx + len(toks[-1].text))
    t = c.token
    return t.text, (t.idx, t.idx + len(t.text))


def _code(c: Candidate, lex: Lexicon, mood: "Mood") -> tuple[str, str, str, bool]:
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
        hit = _frame_outcome(lex, "INTENT", c.absorbed)
        etype, mode, cameo = hit if hit else ("AGREE", "", row.cameo)
        return etype, mode, cameo, True
    if c.absorbed and _is_frame(c):
        hit = _frame_outcome(lex, etype, c.absorbed)
        if hit:
            etype, mode, cameo = hit[0] or etype, hit[1] or mode, hit[2] or cameo
    announced = mood.future or mood.modal
    for outer, when in (("REFUSAL", mood.negated and announced), ("CONDITIONAL", mood.conditional and announced),
                        ("FUTURE", mood.future and not mood.negated)):
        hit = lex.frames.get((outer, etype)) if when else None
        if hit:
            return hit[0], hit[1], hit[2], True
    return etype, mode, cameo, False


class Mood:
    """The modality of one candidate's clause."""
    __slots__ = ("future", "modal", "hypothetical", "deontic", "conditional", "negated", "deontic_speaker")

    def __init__(self, c: Candidate, lex: Lexicon) -> None:
        self.future, self.hypothetical, self.deontic = _modality(c, lex)
        self.modal = bool(_aux_lemmas(c.anchor) & lex.words_of("hypothetical"))
        marks = lex.words_of("hypothetical")
        # a condition attached to the event ("will withdraw unless ...", "may halt ... if ...")
        self.conditional = any(ch.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in marks for g in ch.children)
                               for ch in c.anchor.children)
        self.negated = _negated(c)
        self.deontic_speaker = False


DEONTIC_ROW = Trigger(("must",), 0, "VERB", "REQUEST", "", "100", (), frozenset(), frozenset(), frozenset(),
                      frozenset(), frozenset(), 0.6)


def _deontic_clauses(doc: Any, positions: list[int], lex: Lexicon, taken: set[int]) -> list[Candidate]:
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


def _sentence_events(article: Article, sent: Any, positions: tuple[list[int], list[int]], lex: Lexicon,
                     actor_of) -> list[Event]:
    doc = sent.doc
    triggers, ccomps = positions
    realised, latent = _candidates(doc, triggers, lex, actor_of)
    taken = {c.token.i for c in realised}
    realised += _deontic_clauses(doc, [i for i in triggers + ccomps], lex, taken)
    if not realised:
        return []
    cands = _absorb(realised, latent)
    according = _according_to(sent)
    events: list[Event] = []
    for c in cands:
        event = _make_event(article, sent, c, lex, according)
        if event is not None:
            events.append(event)
    return _merge(events)


def _make_event(article: Article, sent: Any, c: Candidate, lex: Lexicon, according: Optional[Any]) -> Optional[Event]:
    speech = _speech_head(c.anchor, lex)
    speaker_tok = _subject_token(speech) if speech is not None else according
    speaker = _actors_of(article, speaker_tok) if speaker_tok is not None else []
    mood = Mood(c, lex)
    actor_toks, recip_toks, with_partner = _role_tokens(c)
    actors = _resolve(article, actor_toks, speaker, "actor")
    recipients = _resolve(article, recip_toks, speaker)
    for tok in actor_toks + recip_toks:   # "ethnic Albanians in Serbia", "students throughout Indonesia"
        for a in _actors_of(article, tok):
            localise(article, a, tok, c.anchor)
    if not actors and c.row.type == "ASSAULT":
        actors = unknown_attackers(article, c.anchor, actor_toks + [c.token], c.token)
    # "X said Y must withdraw": a demand by X on Y, not Y's withdrawal
    clause_subject = subject_of(c.anchor)
    mood.deontic_speaker = (mood.deontic or c.row is DEONTIC_ROW) and speech is not None \
        and not any(a in actors for a in speaker) \
        and clause_subject is not None and is_party(clause_subject, lex, lambda i: actor_of_token(article, i))
    etype, mode, cameo, recoded = _code(c, lex, mood)
    if mood.deontic_speaker:
        actors, recipients = speaker, actors
    elif c.row is DEONTIC_ROW:
        return None
    if "swap" in c.row.flags:
        actors, recipients = recipients, actors
    # a visit's host is its partner: before the partner test
    # (a meeting word realised by travel needs no host when it has a partner: "flew to Geneva for talks with X")
    if etype == "CONSULT" and not any(r.country for r in recipients) and \
            is_visit(c.row.mode, c.row.flags, c.anchor) and (c.row.mode == "visit" or not recipients):
        recipients += visit_host(article, [c.token, c.anchor], recip_toks, actors)
    if "partner" in c.row.flags and not recipients and len(actors) < 2 and \
            not (actors and any(t.tag_ in ("NNS", "NNPS") for t in actor_toks)):
        return None  # "the cabinet met": a body's own session, not a consultation between parties
    if etype == "PROTEST" and "govaccuse" in c.row.flags and (
            (actors and all(a.kind == "state" or a.sector == "GOV" for a in actors)) or
            any(ch.dep_ == "ccomp" for ch in c.token.children) or c.token.dep_ == "parataxis"):
        etype, mode, cameo = "ACCUSE", "disapprove", "111"  # a diplomatic or verbal protest, not a street one
    if not recipients and _is_frame(c):
        # "demanded that the United States match ...": the one asked is the complement's subject,
        # before any party of the demanded act
        recipients = _complement_subjects(article, c)
    if not recipients and c.absorbed:
        recipients = _inner_recipients(article, c, speaker)
    if not recipients and (etype in ("REQUEST", "ACCUSE", "REJECT", "THREATEN") or _is_frame(c)):
        recipients = _clause_subjects(article, c)
    if not recipients and etype == "THREATEN":
        recipients = condition_subjects(article, [c.anchor, *(i.anchor for i in c.absorbed)])
    if not recipients and c.support is not None:
        recipients = event_noun_parties(article, c.token)
    recipients = [a for a in recipients if a not in actors]
    # attackers are often foreign to the one country a sentence names; their victims seldom
    for a in (recipients if "ASSAULT" in (etype, c.row.type) else actors + recipients):
        nationalise(article, a, sent)
    if c.row.type in PLACE_TYPES and etype != "CONSULT" and not any(r.country for r in recipients):
        recipients += _territory(article, c, recip_toks, actors, actor_toks, etype)
    if etype in ("REQUEST", "AID") and not any(r.country for r in recipients) and \
            any(t.lemma_.lower() in lex.words_of("refuge") for t in recip_toks + [c.token]):
        # "sought refuge in Germany", "fled to Kenya seeking asylum": the host state is asked
        recipients += visit_host(article, [c.anchor, *recip_toks], [], actors)
    if etype in SELF_TARGET_TYPES and not recipients and actors and actor_toks:
        recipients = domestic_target(article, actors, sent, actor_toks[0])
    if etype == "MOBILIZE" and len({a.country for a in actors if a.country}) > 1:
        etype, mode, cameo = "COOPERATE", "", "062"  # joint exercises are military cooperation
    sym = "sym" in c.row.flags
    reciprocal = sym and (len(actors) > 1 or (with_partner and bool(recipients)) or
                          (etype == "CONSULT" and bool(recipients)))
    # an announced event that was not recoded as the announcement (AGREE, THREATEN ...) has not happened yet
    hypothetical = mood.hypothetical or ((mood.future or mood.modal) and not recoded)
    info = lex.types[etype]
    confidence = c.row.confidence + (0.1 if actors else -0.25) + (0.05 if recipients else 0.0)
    if c.token.pos_ != "VERB" and not actors and not recipients:
        if c.token.dep_ == "pobj" and c.token.head.lower_ == "during":
            return None  # "during the trip": a background mention, not a codable event
        confidence -= 0.15  # an event noun with no party at all is often no codable event
    reporter = speaker[0].id if speaker else None
    trigger, trigger_span = _trigger_text(c)
    return Event(
        id="", type=etype, mode=mode, context=list(c.row.context), actors=[a.id for a in actors],
        recipients=[a.id for a in recipients], reciprocal=reciprocal,
        # "will not accept" became a REJECT: the refusal itself is not negated
        negated=mood.negated and not (recoded and etype == "REJECT"),
        hypothetical=hypothetical, cameo=cameo or info.cameo, quad_class=info.quad_class,
        score=info.score_for(mode), trigger=trigger, sentence=sent.text, span=_span(c, sent),
        confidence=round(max(0.05, min(0.99, confidence)), 2), reported_by=reporter,
        trigger_span=trigger_span)


def _territory(article: Article, c: Candidate, recip_toks: list[Any], actors: list[Actor],
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


def _inner_recipients(article: Article, c: Candidate, speaker: list[Actor]) -> list[Actor]:
    """A frame's recipients from the event it contains ("threatened to impose sanctions on X")."""
    for inner in c.absorbed:
        _, toks, _ = _role_tokens(inner)
        found = _resolve(article, toks, speaker)
        if inner.row.type in PLACE_TYPES and not any(a.country for a in found):
            # "threatened to impose a curfew in Algiers": the place the threatened act would hit
            found += place_recipient(article, inner.anchor, toks + ([inner.token] if inner.support is not None else []))
        if found:
            return found
    return []


def _complement_subjects(article: Article, c: Candidate) -> list[Actor]:
    """The named subject of a frame's finite complement clause ("insisted that Israel withdraw")."""
    out: list[Actor] = []
    for ch in c.anchor.children:
        if ch.dep_ != "ccomp" or any(g.dep_ == "aux" and g.lower_ == "to" for g in ch.children):
            continue
        subj = subject_of(ch)
        if subj is not None and subj.pos_ != "PRON":
            out += [a for a in _actors_of(article, subj) if a not in out]
    return out


def _clause_subjects(article: Article, c: Candidate) -> list[Actor]:
    """Who is asked, refused, accused or threatened in a complement clause, event word or not:
    its subject ("demanded that Israel withdraw"), else its objects ("threatened to deliver blows to X")."""
    out: list[Actor] = []
    for ch in c.anchor.children:
        if ch.dep_ not in ("ccomp", "xcomp"):
            continue
        subj = subject_of(ch)
        if subj is not None:
            out += [a for a in _actors_of(article, subj) if a not in out]
            continue
        for g in ch.children:
            toks = [g] if g.dep_ in ("dobj", "dative") else \
                [p for p in g.children if p.dep_ == "pobj"] if g.dep_ == "prep" and g.lower_ in ROLE_PREPS else []
            for t in toks:
                out += [a for a in _actors_of(article, t) if a not in out]
    return out


def _merge(events: list[Event]) -> list[Event]:
    """One event per type and party set in a sentence ("killed and wounded", "met and held talks")."""
    out: list[Event] = []
    for e in events:
        twin = next((o for o in out if o.type == e.type and
                     (set(o.actors) == set(e.actors) or not e.actors or not o.actors)), None)
        if twin is None:
            out.append(e)
            continue
        twin.actors = twin.actors or e.actors
        twin.recipients += [r for r in e.recipients if r not in twin.recipients and r not in twin.actors]
        twin.reciprocal = twin.reciprocal or e.reciprocal
        twin.confidence = max(twin.confidence, e.confidence)
    return out
