"""Story-level role rules: parties that only the rest of the story names.

A sentence often leaves the target of an act to the story: "Beijing denied the accusations" answers
whoever accused Beijing earlier; "the opposition denounced the extension" is aimed at whoever extended
the mandate a sentence before. These rules run once per article, after every sentence has been coded
and before events become records (gestae/events/records.py), in the order they are defined; each
amends one event and its name is added to the event's `coder`.
"""
from __future__ import annotations

from typing import Callable

from gestae.events.lexicon import lexicon
from gestae.events.rules import Draft
from gestae.model import Article, Event

Coded = list[tuple[Event, Draft]]
StoryRule = Callable[[Article, Coded, int], bool]
STORY_RULES: list[tuple[str, StoryRule]] = []

# How far back a generic anaphor ("the move", "the decision") looks for the act it names, in events.
GENERIC_REACH = 4
# A nominalisation shares this many first letters with its verb ("extension"/"extend", "deportation"/"deport").
STEM = 5


def story_rule(fn: StoryRule) -> StoryRule:
    STORY_RULES.append((fn.__name__, fn))
    return fn


def apply_story_rules(article: Article, coded: Coded) -> None:
    for k in range(len(coded)):
        for name, fn in STORY_RULES:
            if fn(article, coded, k):
                coded[k][0].coder.append(name)


def _countries(article: Article, ids: list[str]) -> set[str]:
    return {a.country for i in ids if (a := article.actor(i)) is not None and a.country}


def _has_country_recipient(article: Article, event: Event) -> bool:
    return bool(_countries(article, event.recipients))


def _take_actors(article: Article, event: Event, source: Event) -> bool:
    """`source`'s actors of another country become `event`'s recipients."""
    own = _countries(article, event.actors)
    found = [i for i in source.actors if (a := article.actor(i)) is not None and a.country and a.country not in own]
    if not found:
        return False
    event.recipients = [r for r in event.recipients if _countries(article, [r])] + found
    return True


@story_rule
def denial_answers_accusation(article: Article, coded: Coded, k: int) -> bool:
    """A denial with no named target answers the accusation against the denier: the nearest earlier
    ACCUSE aimed at the denier's country, else the nearest later one ("X accused Y ... Y denied it")."""
    event, d = coded[k]
    if event.type != "REJECT" or _has_country_recipient(article, event):
        return False
    lex = lexicon()
    words = {t.lemma_.lower() for t in d.recip_toks} | {d.c.token.lemma_.lower()}
    if not words & lex.words_of("accusation"):
        return False
    denier = _countries(article, event.actors)
    if not denier:
        return False
    order = list(range(k - 1, -1, -1)) + list(range(k + 1, len(coded)))
    for j in order:
        other = coded[j][0]
        if other.type == "ACCUSE" and _countries(article, other.recipients) & denier \
                and not _countries(article, other.actors) & denier:
            return _take_actors(article, event, other)
    return False


# What a refusal can answer: a proposal, a request or a demand of another party.
ANSWERED_BY_REFUSAL = {"AGREE", "REQUEST"}


@story_rule
def refusal_answers_proposal(article: Article, coded: Coded, k: int) -> bool:
    """A refusal with no named target answers the latest proposal or request of another country in
    the same or the previous sentence ("the Chinese side proposed a minimum price, but the European
    side refused"); the proposal is then aimed at the refuser when it had no target of its own."""
    event, d = coded[k]
    if event.type != "REJECT" or _has_country_recipient(article, event) or d.c.token.lemma_.lower() in \
            lexicon().words_of("accusation"):
        return False
    own = _countries(article, event.actors)
    here = d.sent.start
    for j in range(k - 1, -1, -1):
        other, other_draft = coded[j]
        if other_draft.sent.start < here and other_draft.sent.end != here:
            break  # only the same sentence or the one just before
        others = _countries(article, other.actors)
        if other.type in ANSWERED_BY_REFUSAL and others and own and not others & own:
            taken = _take_actors(article, event, other)
            if taken and not _has_country_recipient(article, other):
                other.recipients = other.recipients + [i for i in event.actors if i not in other.actors]
                other.coder.append("refused_proposal")
            return taken
    return False


def _nominalises(noun: str, verb: str) -> bool:
    return len(noun) >= STEM and len(verb) >= STEM and noun[:STEM] == verb[:STEM]


@story_rule
def anaphoric_object(article: Article, coded: Coded, k: int) -> bool:
    """"Denounced the extension", "welcomed the move": a definite noun naming an earlier act points at
    that act, and the act's actor is the target. The noun names the act by its own word (a
    nominalisation of the act's trigger, any distance back) or by a generic word ("the move", "the
    decision", within a few events)."""
    event, d = coded[k]
    if _has_country_recipient(article, event) or event.type not in ("ACCUSE", "SUPPORT", "REJECT", "REQUEST"):
        return False
    generic = lexicon().words_of("anaphor")
    own = _countries(article, event.actors)
    for tok in d.recip_toks:
        if tok.pos_ != "NOUN" or not any(ch.dep_ in ("det", "poss") for ch in tok.children):
            continue
        noun = tok.lemma_.lower()
        for j in range(k - 1, -1, -1):
            other, other_draft = coded[j]
            trigger = other_draft.c.token.lemma_.lower()
            named = _nominalises(noun, trigger) or (noun in generic and k - j <= GENERIC_REACH)
            if named and _countries(article, other.actors) and _countries(article, other.actors) != own:
                return _take_actors(article, event, other)
    return False
