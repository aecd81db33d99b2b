"""Stage 'events': PLOVER event coding from the dependency parse.

For each sentence of `article.doc`:

1. Candidates (matching.py, frames.py): every token is looked up in the trigger lexicon
   (gestae/data/triggers.tsv) by lemma and inflected form; phrase rows ("call for", "open fire") need
   their other words among the head's dependents, and rows carry constraints (needs an object, a party
   object, a preposition ...). Event nouns ("talks", "sanctions") count only when a verb realises them
   ("held talks", "imposed sanctions"); an unrealised noun stays latent.
2. Frames (frames.py): verbs of agreeing, promising, asking, refusing, threatening and accusing take
   the event in their complement as their content; events in reported speech ("X said Y attacked Z")
   are coded with reported_by X; "X said Y must ..." is a demand by X on Y.
3. Modality (modality.py): negation, hypotheticals and announced future events ("will meet" is AGREE).
4. Arguments (arguments.py): the parse's actors and recipients, through the actors stage.
5. Role rules (rules.py): an ordered registry of small named rules that amend the parties (visit
   hosts, places of attacks, the one country a sentence names, ...); the rules that fired are kept on
   the event as `coder`.
6. Story rules (discourse.py): parties only the rest of the story names (the accuser a denial
   answers, the act "the move" refers to).
7. Records (records.py): an explicit actor, and one source and one target country per record.

Everything is indexed once per process (lexicon.py); the per-sentence work is a walk over its tokens.
"""
from __future__ import annotations

from typing import Any, Optional

from spacy.attrs import DEP, LEMMA, LOWER, SENT_START

from gestae.actors import actor_of_token
from gestae.events.frames import absorb, candidates, deontic_clauses
from gestae.events.lexicon import Lexicon, lexicon
from gestae.events.matching import Candidate
from gestae.events.modality import according_to
from gestae.events.discourse import apply_story_rules
from gestae.events.records import finish
from gestae.events.rules import LEDE_CHARS, Draft, apply_rules, draft
from gestae.model import Actor, Article, Event


def annotate(article: Article) -> None:
    """Append the article's PLOVER event records to `article.events` (ids e1, e2, ...)."""
    doc = article.doc
    if doc is None or len(doc) == 0:
        return
    lex = lexicon()

    def actor_of(i: int) -> Optional[Actor]:
        return actor_of_token(article, i)

    by_sentence = _positions_by_sentence(doc, lex)
    coded: list[tuple[Event, Draft]] = []
    for sent in doc.sents:
        positions = by_sentence.get(sent.start)
        if positions is not None:
            coded += _sentence_events(article, sent, positions, lex, actor_of)
    apply_story_rules(article, coded)
    finish(article, [event for event, _ in coded])


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


def _sentence_events(article: Article, sent: Any, positions: tuple[list[int], list[int]], lex: Lexicon,
                     actor_of) -> list[tuple[Event, Draft]]:
    doc = sent.doc
    triggers, ccomps = positions
    realised, latent = candidates(doc, triggers, lex, actor_of)
    taken = {c.token.i for c in realised}
    realised += deontic_clauses(doc, [i for i in triggers + ccomps], lex, taken)
    if not realised:
        return []
    cands = absorb(realised, latent)
    latent = [c for c in latent if not any(c is a for f in cands for a in f.absorbed)]
    according = according_to(sent)
    events: list[tuple[Event, Draft]] = []
    for c in cands:
        d = apply_rules(draft(article, sent, c, lex, according))
        if not d.drop:
            events.append((_event(d), d))
            events += _judged_acts(article, sent, d, lex, according, latent)
        elif d.etype in lex.types:  # kept for --debug, with the reason
            dropped = _event(d)
            dropped.coder.append(f"dropped: {d.drop}")
            dropped.id = f"c{len(article.candidates) + 1}"
            article.candidates.append(dropped)
    return _merge(events)


# Frames that judge an act presuppose it: "praised the withdrawal of U.S. troops" tells of a withdrawal.
FACTIVE_TYPES = {"SUPPORT", "ACCUSE"}


def _judged_acts(article: Article, sent: Any, judge: Draft, lex: Lexicon, according: Any,
                 latent: list[Candidate]) -> list[tuple[Event, Draft]]:
    """The acts a praise or a criticism is about, when another party did them, as events of their own
    ("welcomed the announcement that Ukraine had agreed to a ceasefire": Ukraine agreed; "praised the
    withdrawal of U.S. troops": the U.S. withdrew)."""
    if judge.etype not in FACTIVE_TYPES:
        return []
    objects = {t.i for o in judge.c.anchor.children if o.dep_ == "dobj" for t in o.subtree}
    # an event noun counts when a phrase names who did it ("the withdrawal of U.S. troops"); with a
    # nationality alone ("the Russian strikes") the judged act is mostly background or unsure
    def agent_named(c: Candidate) -> bool:
        return not c.latent or any(p.dep_ == "prep" and p.lower_ in ("of", "by") for p in c.token.children)

    judged = [c for c in judge.c.absorbed if agent_named(c)] + \
        [c for c in latent if c.token.i in objects and c not in judge.c.absorbed and agent_named(c)]
    out = []
    for inner in judged:
        d = apply_rules(draft(article, sent, inner, lex, according))
        if d.drop or not d.actors or {a.id for a in d.actors} & {a.id for a in judge.actors} or d.etype in FACTIVE_TYPES:
            continue
        if d.with_partner and not d.recipients or "sym" in d.c.row.flags and len(d.actors) > 1:
            continue  # "cooperation between X and Y": a relation judged, not an act someone did
        d.mood.hypothetical = d.mood.hypothetical or judge.mood.hypothetical
        event = _event(d)
        event.coder.append("judged_act")
        out.append((event, d))
    return out


def _event(d: Draft) -> Event:
    """The event a draft has become: modality, confidence and the words that support it."""
    c, lex, mood = d.c, d.lex, d.mood
    sym = "sym" in c.row.flags
    reciprocal = sym and (len(d.actors) > 1 or (d.with_partner and bool(d.recipients)) or
                          (d.etype == "CONSULT" and bool(d.recipients)))
    # an announced event that was not recoded as the announcement (AGREE, THREATEN ...) has not happened yet
    hypothetical = mood.above if d.recoded else mood.hypothetical or mood.future or mood.modal
    info = lex.types[d.etype]
    confidence = c.row.confidence + (0.1 if d.actors else -0.25) + (0.05 if d.recipients else 0.0)
    if c.token.pos_ != "VERB" and not d.actors and not d.recipients:
        confidence -= 0.15  # an event noun with no party at all is often no codable event
    trigger, trigger_span = _trigger_text(c)
    cues = [f"aspect={mood.aspect}", "position=lede" if d.sent.start_char < LEDE_CHARS else "position=body"]
    return Event(
        id="", type=d.etype, mode=d.mode, context=list(c.row.context), actors=[a.id for a in d.actors],
        recipients=[a.id for a in d.recipients], reciprocal=reciprocal,
        # "will not accept" became a REJECT: the refusal itself is not negated
        negated=mood.negated and not (d.recoded and d.etype == "REJECT"),
        hypothetical=hypothetical, cameo=d.cameo or info.cameo, quad_class=info.quad_class,
        score=info.score_for(d.mode), trigger=trigger, sentence=d.sent.text, span=_span(c, d.sent),
        confidence=round(max(0.05, min(0.99, confidence)), 2), reported_by=d.speaker[0].id if d.speaker else None,
        trigger_span=trigger_span, coder=list(d.coder), cues=cues)


def _merge(events: list[tuple[Event, Draft]]) -> list[tuple[Event, Draft]]:
    """One event per type and party set in a sentence ("killed and wounded", "met and held talks")."""
    out: list[tuple[Event, Draft]] = []
    for e, d in events:
        twin = next((o for o, _ in out if o.type == e.type and
                     (set(o.actors) == set(e.actors) or not e.actors or not o.actors)), None)
        if twin is None:
            out.append((e, d))
            continue
        twin.actors = twin.actors or e.actors
        twin.recipients += [r for r in e.recipients if r not in twin.recipients and r not in twin.actors]
        twin.reciprocal = twin.reciprocal or e.reciprocal
        twin.confidence = max(twin.confidence, e.confidence)
    return out
