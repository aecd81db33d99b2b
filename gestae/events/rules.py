"""Role rules: an ordered registry of small named rules that turn one candidate into an event's parties.

Each candidate becomes a `Draft`: the parse's first reading of its actors and recipients
(gestae/events/arguments.py), its modality and its coded type. The rules in `RULES` then run in
order; each reads and amends the draft, and returns True when it changed something. The names of the
rules that fired are kept on the event (`Event.coder`), so an error can be traced to the rule that
made it, and a learned component can take the place of any rule with the same interface.

A rule may also reject the draft (`draft.drop = "reason"`): "the cabinet met" is a body's own session,
not a consultation. Rejected drafts and events with no actor are kept as `Article.candidates` for
`--debug`, never as events.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from gestae.actors import actor_of_token, is_commentator
from gestae.events.arguments import (actors_of, clause_subjects, complement_subjects, inner_actors,
                                     inner_recipients, resolve, role_tokens, subject_token, territory)
from gestae.events.frames import DEONTIC_ROW, is_frame
from gestae.events.lexicon import Lexicon, event_nouns
from gestae.events.matching import Candidate, is_party, subject_of
from gestae.events.modality import Mood, code, speech_head
from gestae.events.roles import (PLACE_TYPES, SELF_TARGET_TYPES, condition_subjects, domestic_target,
                                 event_noun_parties, is_visit, localise, nationalise, unknown_attackers,
                                 visit_host)
from gestae.metadata import find_outlet
from gestae.model import Actor, Article
from gestae.speech import quote_regions


@dataclass(slots=True)
class Draft:
    """One candidate on its way to an event: what the parse says, then what the rules made of it."""
    article: Article
    sent: Any
    c: Candidate
    lex: Lexicon
    speech: Optional[Any]          # the reporting verb above the event, if any
    speaker: list[Actor]           # who reports it ("X said ..." or "according to X")
    mood: Mood
    actor_toks: list[Any]
    recip_toks: list[Any]
    with_partner: bool
    actors: list[Actor]
    recipients: list[Actor]
    etype: str = ""
    mode: str = ""
    cameo: str = ""
    recoded: bool = False          # the announcement itself became the event ("will meet" -> AGREE)
    drop: str = ""                 # why a rule rejected the draft
    coder: list[str] = field(default_factory=list)

    def retype(self, etype: str, mode: str, cameo: str) -> None:
        self.etype, self.mode, self.cameo = etype, mode, cameo


Rule = Callable[[Draft], bool]

# The first few sentences of a story (its lede) tell its news; later ones add context.
LEDE_CHARS = 400
RULES: list[tuple[str, Rule]] = []


def rule(fn: Rule) -> Rule:
    """Register a role rule; rules run in the order they are defined in this module."""
    RULES.append((fn.__name__, fn))
    return fn


def draft(article: Article, sent: Any, c: Candidate, lex: Lexicon, according: Optional[Any]) -> Draft:
    """The parse's reading of a candidate, before any rule."""
    speech = speech_head(c.anchor, lex)
    speaker_tok = subject_token(speech) if speech is not None else according
    speaker = actors_of(article, speaker_tok) if speaker_tok is not None else []
    actor_toks, recip_toks, with_partner = role_tokens(c)
    return Draft(article, sent, c, lex, speech, speaker, Mood(c, lex), actor_toks, recip_toks, with_partner,
                 resolve(article, actor_toks, speaker, "actor"), resolve(article, recip_toks, speaker))


def apply_rules(d: Draft) -> Draft:
    for name, fn in RULES:
        if fn(d):
            d.coder.append(name)
        if d.drop:
            break
    return d


# --------------------------------------------------------------------------- the rules, in order

@rule
def localised_groups(d: Draft) -> bool:
    """A domestic group with no country takes the country it is in ("students throughout Indonesia")."""
    changed = False
    for tok in d.actor_toks + d.recip_toks:
        for a in actors_of(d.article, tok):
            before = a.country
            localise(d.article, a, tok, d.c.anchor)
            changed = changed or a.country != before
    return changed


@rule
def unnamed_attackers(d: Draft) -> bool:
    """An attack with no named attacker ("a roadside bomb near Samarra killed ...") is by unidentified
    attackers (see roles.unknown_attackers)."""
    if d.actors or d.c.row.type != "ASSAULT":
        return False
    d.actors = unknown_attackers(d.article, d.c.anchor, d.actor_toks + [d.c.token], d.c.token)
    return bool(d.actors)


@rule
def type_from_frames(d: Draft) -> bool:
    """The type after frames, intents, refusals, conditions and future announcements; "X said Y must
    withdraw" is a demand by X on Y, not Y's withdrawal."""
    c, article = d.c, d.article
    clause_subject = subject_of(c.anchor)
    # "... must withdraw" of a party, or "talks with China must continue" of an event: the speaker demands it
    d.mood.deontic_speaker = (d.mood.deontic or c.row is DEONTIC_ROW) and d.speech is not None \
        and not any(a in d.actors for a in d.speaker) and clause_subject is not None \
        and (is_party(clause_subject, d.lex, lambda i: actor_of_token(article, i))
             or clause_subject.lemma_.lower() in event_nouns())
    d.etype, d.mode, d.cameo, d.recoded = code(c, d.lex, d.mood)
    if d.mood.deontic_speaker:
        d.actors, d.recipients = d.speaker, d.actors
    elif c.row is DEONTIC_ROW:
        d.drop = "a deontic clause with no speaker"
    return d.recoded or d.etype != c.row.type


@rule
def swapped_roles(d: Draft) -> bool:
    """Rows flagged 'swap' name their actor as object ("hosted X": X visits)."""
    if "swap" not in d.c.row.flags:
        return False
    d.actors, d.recipients = d.recipients, d.actors
    return True


@rule
def visit_host_partner(d: Draft) -> bool:
    """A visit's host is its partner (before the partner test). A meeting word realised by travel
    needs no host when it has a partner ("flew to Geneva for talks with X")."""
    c = d.c
    if d.etype != "CONSULT" or any(r.country for r in d.recipients) or \
            not is_visit(c.row.mode, c.row.flags, c.anchor) or not (c.row.mode == "visit" or not d.recipients):
        return False
    found = visit_host(d.article, [c.token, c.anchor], d.recip_toks, d.actors)
    d.recipients += found
    return bool(found)


@rule
def partner_required(d: Draft) -> bool:
    """"The cabinet met": a body's own session, not a consultation between parties."""
    if "partner" in d.c.row.flags and not d.recipients and len(d.actors) < 2 and \
            not (d.actors and any(t.tag_ in ("NNS", "NNPS") for t in d.actor_toks)):
        d.drop = "a meeting with no partner"
        return True
    return False


@rule
def verbal_protest(d: Draft) -> bool:
    """A protest by a government, or one with a clause of what is protested, is a diplomatic or
    verbal protest (ACCUSE disapprove), not a street one."""
    c = d.c
    if d.etype == "PROTEST" and "govaccuse" in c.row.flags and (
            (d.actors and all(a.kind == "state" or a.sector == "GOV" for a in d.actors)) or
            any(ch.dep_ == "ccomp" for ch in c.token.children) or c.token.dep_ == "parataxis"):
        d.retype("ACCUSE", "disapprove", "111")
        return True
    return False


def _recipients_from(d: Draft, found: list[Actor]) -> bool:
    d.recipients = found
    return bool(found)


@rule
def complement_subject_recipient(d: Draft) -> bool:
    """"Demanded that the United States match ...": the one asked is the complement's subject, before
    any party of the demanded act."""
    return not d.recipients and is_frame(d.c) and _recipients_from(d, complement_subjects(d.article, d.c))


@rule
def inner_event_recipient(d: Draft) -> bool:
    """A frame's recipients from the event it contains ("threatened to impose sanctions on X")."""
    return not d.recipients and bool(d.c.absorbed) and _recipients_from(d, inner_recipients(d.article, d.c, d.speaker))


# Types that judge another party's act: their target is who did it.
JUDGING_TYPES = {"SUPPORT", "ACCUSE", "REJECT"}


@rule
def judged_actor_recipient(d: Draft) -> bool:
    """Praise, criticism or rejection of an act is aimed at whoever did it: "welcomed the announcement
    that Ukraine had agreed to a ceasefire" -> Ukraine; "praised the withdrawal of U.S. troops" -> USA."""
    if any(r.country for r in d.recipients) or d.etype not in JUDGING_TYPES:
        return False
    found = [a for a in inner_actors(d.article, d.c, d.speaker) if a not in d.actors]
    if not found:
        return False
    d.recipients = [r for r in d.recipients if r.country] + found
    return True


@rule
def clause_recipient(d: Draft) -> bool:
    """Who is asked, refused, accused or threatened in a complement clause: its subject, else its objects."""
    return not d.recipients and (d.etype in ("REQUEST", "ACCUSE", "REJECT", "THREATEN") or is_frame(d.c)) \
        and _recipients_from(d, clause_subjects(d.article, d.c))


@rule
def condition_recipient(d: Draft) -> bool:
    """A threat is aimed at the subject of its condition ("... unless Baghdad accepts")."""
    return not d.recipients and d.etype == "THREATEN" and _recipients_from(
        d, condition_subjects(d.article, [d.c.anchor, *(i.anchor for i in d.c.absorbed)]))


@rule
def event_noun_recipient(d: Draft) -> bool:
    """An event noun's "of" phrase names its party ("the invasion of Kuwait")."""
    return not d.recipients and d.c.support is not None and _recipients_from(d, event_noun_parties(d.article, d.c.token))


@rule
def no_self_recipient(d: Draft) -> bool:
    """An actor is not also its own recipient."""
    kept = [a for a in d.recipients if a not in d.actors]
    changed = len(kept) != len(d.recipients)
    d.recipients = kept
    return changed


@rule
def sentence_nationality(d: Draft) -> bool:
    """A titled person or domestic group of unknown country takes the one country the sentence names.
    Attackers are often foreign to that country, their victims seldom: for attacks, recipients only."""
    parties = d.recipients if "ASSAULT" in (d.etype, d.c.row.type) else d.actors + d.recipients
    changed = False
    for a in parties:
        before = a.country
        nationalise(d.article, a, d.sent)
        changed = changed or a.country != before
    return changed


@rule
def territory_recipient(d: Draft) -> bool:
    """The state a material event hits when no recipient has a country (see arguments.territory)."""
    if d.c.row.type not in PLACE_TYPES or d.etype == "CONSULT" or any(r.country for r in d.recipients):
        return False
    found = territory(d.article, d.c, d.recip_toks, d.actors, d.actor_toks, d.etype)
    d.recipients += found
    return bool(found)


@rule
def refuge_host(d: Draft) -> bool:
    """"Sought refuge in Germany", "fled to Kenya seeking asylum": the host state is asked."""
    if d.etype not in ("REQUEST", "AID") or any(r.country for r in d.recipients) or \
            not any(t.lemma_.lower() in d.lex.words_of("refuge") for t in d.recip_toks + [d.c.token]):
        return False
    found = visit_host(d.article, [d.c.anchor, *d.recip_toks], [], d.actors)
    d.recipients += found
    return bool(found)


@rule
def own_state_target(d: Draft) -> bool:
    """A sub-state actor's act with no named target is aimed at its own state (roles.domestic_target)."""
    if d.etype not in SELF_TARGET_TYPES or d.recipients or not d.actors or not d.actor_toks:
        return False
    return _recipients_from(d, domestic_target(d.article, d.actors, d.sent, d.actor_toks[0]))


@rule
def no_own_state_recipient(d: Draft) -> bool:
    """A government's own state is no target beside a foreign one: "levied tariffs on exports to the
    U.S. from 35 countries, including the EU" is aimed at the EU; the U.S. is the market. (With no
    other target, a government's domestic measure is aimed at its own state: "imposed a curfew".)"""
    governments = {a.country for a in d.actors if a.country and (a.kind == "state" or a.sector == "GOV")}
    own = [r for r in d.recipients if r.kind == "state" and r.country in governments]
    if not own or not any(r.country and r.country not in governments for r in d.recipients):
        return False
    d.recipients = [r for r in d.recipients if r not in own]
    return True


@rule
def joint_exercise(d: Draft) -> bool:
    """Military moves by several countries together ("held joint drills", "exercised with") are
    military cooperation; two countries' separate moves in one sentence are not."""
    joint = "sym" in d.c.row.flags or d.with_partner or any(
        t.lower_ in d.lex.words_of("jointly") for t in d.c.anchor.subtree)
    if d.etype == "MOBILIZE" and joint and len({a.country for a in d.actors if a.country}) > 1:
        d.retype("COOPERATE", "", "062")
        return True
    return False


@rule
def commentary(d: Draft) -> bool:
    """What analysts, experts and scholars do or say is commentary on events, not an event: "Security
    analyst X welcomed the move", "analysts say Japan wants to strengthen ties"."""
    if any(is_commentator(a) for a in d.actors + d.speaker):
        d.drop = "commentary"
        return True
    return False


def _inside_quotation(article: Article, char: int) -> bool:
    return any(s <= char < e for region in quote_regions(article) for s, e in region.pieces)


@rule
def quoted_deed(d: Draft) -> bool:
    """A material act told inside a quotation ("'They attacked the hotel at dawn,' he said") is a
    speaker's account of it: the event is coded from the report of it, and the speaker's own act is
    the statement. What a speaker says, asks or threatens inside quotes stays an event."""
    # The clause's verb decides: 'conducted a "crucial test"' is narrated, its noun only quoted.
    if d.lex.types[d.etype].quad_class.startswith("MATERIAL") and _inside_quotation(d.article, d.c.anchor.idx):
        d.drop = "a deed told inside a quotation"
        return True
    return False


def _person_speaking(d: Draft) -> bool:
    """A named person's present-tense statement is news told in the present ("the ambassador accuses
    Kenya of ..."); a body's or a state's present is its standing position."""
    return d.lex.types[d.etype].quad_class.startswith("VERBAL") and any(a.kind == "person" for a in d.actors)


@rule
def standing_position(d: Draft) -> bool:
    """"The group opposes Chinese investment", "Both countries reject the claims": past the lede, the
    narrator's present simple tells a standing position, not an act of the story's time. (A speaker's present,
    "we condemn", "China calls on ...", and plans, "is expected to visit" (AGREE), are acts.)"""
    if d.mood.aspect != "present" or d.speaker or d.recoded or d.etype == "AGREE" \
            or _inside_quotation(d.article, d.c.token.idx) or _person_speaking(d) \
            or d.sent.start_char < LEDE_CHARS:  # a lede's present is the news ("Iran rejects ...")
        return False
    d.drop = "a standing position, not an event"
    return True


@rule
def ongoing_state(d: Draft) -> bool:
    """"The paramilitary forces have been fighting the army": past the lede, a material act in progress
    describes the situation; the events of the story are its dated episodes."""
    if d.mood.aspect != "progressive" or not d.lex.types[d.etype].quad_class.startswith("MATERIAL") or \
            d.speaker or _inside_quotation(d.article, d.c.token.idx) or d.sent.start_char < LEDE_CHARS:
        return False
    d.drop = "an ongoing situation, not an event"
    return True


@rule
def habitual_description(d: Draft) -> bool:
    """"The group frequently conducts bombings": past the lede, a description of what a party usually
    does. (A lede's "soldiers routinely beat detainees" is the news: a pattern reported.)"""
    if d.mood.habitual and d.sent.start_char >= LEDE_CHARS:
        d.drop = "a habit, not an event"
        return True
    return False


# Dependencies through which a trigger reaches what is asked for or refused (not its parties).
_FORMULA_PATH_DEPS = {"dobj", "xcomp", "prep", "pobj", "acl"}


@rule
def newsroom_formula(d: Draft) -> bool:
    """"did not reply to an email requesting comment", "declined to comment", "who requested
    anonymity": a reporter's request and a source's silence are how the story was made, not events
    between its parties. What is asked for (object, complement, a "for" phrase; two steps down) is a
    `formula` word of event_words.tsv."""
    formula = d.lex.words_of("formula")
    frontier = [d.c.token]
    for _ in range(3):
        frontier = [t for f in frontier for t in f.children if t.dep_ in _FORMULA_PATH_DEPS]
        if any(t.lemma_.lower() in formula for t in frontier):
            d.drop = "a newsroom formula, not an event"
            return True
    return False


@rule
def shared_opinion(d: Draft) -> bool:
    """"He agreed with Biden's recent remark", "some agree with the removal": agreeing with a view or
    an act is an opinion, not an agreement between parties ("Kenya agreed with Uganda to ..." is one)."""
    if d.c.token.lemma_.lower() not in d.lex.words_of("concord") or d.c.support is not None:
        return False
    with_objects = [g for ch in d.c.token.children if ch.dep_ == "prep" and ch.lower_ == "with"
                    for g in ch.children if g.dep_ == "pobj"]
    if with_objects and not any(is_party(g, d.lex, lambda i: actor_of_token(d.article, i)) for g in with_objects) \
            and not any(ch.dep_ in ("xcomp", "ccomp") for ch in d.c.token.children):
        d.drop = "an opinion shared, not an agreement"
        return True
    return False


# What a newsroom does to get its story: speak with people, ask them.
_REPORTING_TYPES = {"CONSULT", "REQUEST"}


@rule
def newsroom_reporting(d: Draft) -> bool:
    """"VOA spoke with Armitage", "Reuters asked the ministry": a news outlet interviewing or asking
    is how the story was made; an outlet is an actor of outlets.tsv or a party of sector MED."""
    if d.etype in _REPORTING_TYPES and d.actors and \
            all(a.sector == "MED" or find_outlet(a.name) is not None for a in d.actors):
        d.drop = "the newsroom's own reporting, not an event"
        return True
    return False


# Words that open a question: an embedded one ("asked whether/if ...") or a wh-question.
_QUESTION_MARKS = {"if", "whether"}
_WH_TAGS = {"WDT", "WP", "WP$", "WRB"}


def _is_question(clause: Any) -> bool:
    first = next(iter(clause.subtree))
    return first.lower_ in _QUESTION_MARKS or first.tag_ in _WH_TAGS or \
        any(t.text == "?" for t in clause.subtree)


@rule
def question_asked(d: Draft) -> bool:
    """"Asked whether the U.S. would act, Rubio said ...", "'Who is dead?' she asked": asking a
    question is no request (asking someone to act or for something is)."""
    if d.c.token.lemma_.lower() not in d.lex.words_of("question"):
        return False
    if any(child.dep_ in ("ccomp", "advcl", "parataxis") and _is_question(child) for child in d.c.token.children):
        d.drop = "a question, not a request"
        return True
    return False


@rule
def biography(d: Draft) -> bool:
    """"X, a former official who had negotiated with North Korea, said ...": a relative clause in the
    pluperfect, or on a "former" holder of a role, tells who a party is, not an event of the story."""
    anchor = d.c.anchor
    if anchor.dep_ != "relcl":
        return False
    holder = anchor.head   # with its appositions: "former EU official Michel Barnier, who led ..."
    described = [holder, *(t for t in holder.children if t.dep_ == "appos"), *(
        [holder.head] if holder.dep_ == "appos" else [])]
    if d.mood.aspect == "pluperfect" or any(m.dep_ in ("amod", "compound") and m.lower_ == "former"
                                            for t in described for m in t.subtree if m.i < anchor.i):
        d.drop = "a biography, not an event"
        return True
    return False


@rule
def background_noun(d: Draft) -> bool:
    """"During the trip": an event noun with no party, in a time adjunct, is background, not an event."""
    c = d.c
    if c.token.pos_ != "VERB" and not d.actors and not d.recipients and \
            c.token.dep_ == "pobj" and c.token.head.lower_ == "during":
        d.drop = "a background event noun"
        return True
    return False
