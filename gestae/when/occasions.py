"""Named occasions: "the Peru-Norway summit", "the talks", "their first meeting".

An article often dates and places an occasion once ("the summit held at a hotel in Lima on Sunday",
perhaps only in a photo caption) and later says only that something happened "at the summit". We
collect every noun phrase headed by an occasion noun (gestae/data/occasion_nouns.tsv) in the text and
the captions, with the words that tell occasions apart (proper names, capitalised adjectives and
ordinals: "Nordic-Andean", "G20", "first"), so a bare mention can borrow the date and place of the
occasion it refers to.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Optional

from spacy.tokens import Doc

from gestae.knowledge import read_table
from gestae.when.syntax import attaches_to, clause_verb

TEXT = -1  # `Occasion.source` for the article text; otherwise a caption index

# Ordinal-like words that distinguish one meeting from another ("their first meeting").
# Prepositions through which an occasion is where and when its clause happens ("at the summit").
_OCCASION_PREPS = {"at", "during", "on", "in"}
_SIDELINES = {"sideline", "sidelines", "margin", "margins"}
_DISTINGUISHING = {"first", "second", "third", "last", "next", "previous", "final", "latest", "new"}


@lru_cache(maxsize=1)
def occasion_nouns() -> frozenset[str]:
    return frozenset(row["noun"].lower() for row in read_table("occasion_nouns.tsv") if row.get("noun"))


@dataclass(slots=True)
class Occasion:
    source: int
    token: Any            # the head noun (spaCy Token)
    lemma: str
    modifiers: frozenset[str]
    date: Any = None      # when.resolve.Resolved, set by the 'when' stage
    date_text: str = ""
    place: Any = None     # model.Place, set by the 'where' stage
    extras: dict = field(default_factory=dict)


def is_occasion_noun(token: Any) -> bool:
    return token.pos_ in ("NOUN", "PROPN") and (token.lemma_.lower() in occasion_nouns()
                                                 or token.lower_ in occasion_nouns())


def _modifiers(noun: Any) -> frozenset[str]:
    mods = set()
    for t in noun.subtree:
        if t.i >= noun.i:
            break
        if t.pos_ == "PROPN" or (t.pos_ in ("ADJ", "NUM", "NOUN") and t.text[:1].isupper()) \
                or t.lower_ in _DISTINGUISHING:
            mods.add(t.lower_)
    return frozenset(mods)


@lru_cache(maxsize=1)
def _occasion_ids() -> frozenset[int]:
    from spacy.strings import get_string_id
    return frozenset(get_string_id(n) for n in occasion_nouns())


def find_occasions(doc: Any, source: int) -> list[Occasion]:
    """Every occasion noun phrase in `doc`, in text order."""
    from spacy.attrs import LEMMA, LOWER, POS
    from spacy.symbols import NOUN, PROPN
    ids = _occasion_ids()
    # Read lemmas as one array: building a Token per word costs more than the whole test.
    rows = doc.to_array([LEMMA, LOWER, POS])
    found = []
    for i, (lemma, lower, pos) in enumerate(rows.tolist()):
        if pos in (NOUN, PROPN) and (lemma in ids or lower in ids):
            t = doc[i]
            found.append(Occasion(source, t, t.lemma_.lower(), _modifiers(t)))
    return found


def same_occasion(mention: Occasion, other: Occasion) -> bool:
    """`other` can be the occasion `mention` refers to: same head noun, and the mention's
    distinguishing words are all found in the other's ("the summit" ~ "the Nordic-Andean summit")."""
    if other is mention or other.lemma != mention.lemma:
        return False
    return mention.modifiers <= other.modifiers


def referent(mention: Occasion, occasions: list[Occasion], attribute: str) -> Optional[Occasion]:
    """The occasion elsewhere that `mention` refers to and that has `attribute` (date or place) set.

    The mention's own value wins; an unqualified mention ("the summit") borrows only when every
    candidate agrees, so two different summits in one story are never confused.
    """
    if getattr(mention, attribute) is not None:
        return mention
    candidates = [o for o in occasions if getattr(o, attribute) is not None and same_occasion(mention, o)]
    if not candidates:
        return None
    values = {_key(getattr(o, attribute)) for o in candidates}
    if len(values) > 1:
        exact = [o for o in candidates if o.modifiers == mention.modifiers and mention.modifiers]
        return exact[0] if exact else None
    return candidates[0]


def _key(value: Any) -> Any:
    if hasattr(value, "date") and hasattr(value, "precision"):
        return (value.date, value.precision)
    if hasattr(value, "lat"):
        return (value.name, value.country)
    return value


def article_occasions(article: Any) -> list[Occasion]:
    """Occasions of the text and every caption, computed once per article and shared by stages."""
    doc = article.doc
    if article.derived.occasions is not None:
        return article.derived.occasions
    found = find_occasions(doc, TEXT) if doc is not None else []
    for index, caption_doc in enumerate(article.caption_docs or []):
        if caption_doc is not None:
            found.extend(find_occasions(caption_doc, index))
    if doc is not None:
        article.derived.occasions = found
    return found


def locus_verb(noun: Any) -> Optional[Any]:
    """The verb whose event takes place at/during occasion `noun` ("met at the summit", "met on the
    sidelines of the summit"), if the noun is such a locus."""
    if noun.dep_ != "pobj":
        return None
    prep = noun.head
    if prep.lower_ == "of" and prep.head.lower_ in _SIDELINES and prep.head.dep_ == "pobj":
        prep = prep.head.head
    if prep.lower_ not in _OCCASION_PREPS:
        return None
    verb = clause_verb(prep)
    return verb if verb is not None and attaches_to(prep, verb) else None


def is_locus_of(occasion: Occasion, trigger: Any) -> bool:
    """The event is the occasion itself ("the meeting") or happens at it ("agreed at the summit")."""
    if occasion.token.i == trigger.i:
        return True
    verb = locus_verb(occasion.token)
    return verb is not None and verb.i == trigger.i


def occasions_near(node: Any, occasions: list[Occasion]) -> list[Occasion]:
    """The text's occasions whose noun is `node` or a child of it, or whose locus verb is `node`, in
    list order: every occasion `is_locus_of(o, node)` or a test on node's children can be true for.

    Indexed once per occasion list, so an article's events cost a lookup each, not a scan of every
    occasion (which made a long text quadratic)."""
    cache = node.doc._.occasions_near
    if cache is None:
        cache = node.doc._.occasions_near = {}
    index = cache.get(id(occasions))
    if index is None or index[0] is not occasions:
        near: dict[int, list[Occasion]] = {}
        for occasion in occasions:
            if occasion.source != TEXT:
                continue
            verb = locus_verb(occasion.token)
            for i in {occasion.token.i, occasion.token.head.i, verb.i if verb is not None else occasion.token.i}:
                near.setdefault(i, []).append(occasion)
        index = cache[id(occasions)] = (occasions, near)
    return index[1].get(node.i, [])


if not Doc.has_extension("occasions_near"):
    Doc.set_extension("occasions_near", default=None)  # occasions_near's index, per occasion list


def describing_verb(noun: Any) -> Optional[Any]:
    """A verb whose clause says when or where occasion `noun` happened: one it is the subject or
    object of ("the conference opened in Oslo on Monday", "held talks in Doha on Friday") or one
    that happens at it ("met at the summit on Sunday")."""
    if noun.dep_ in ("nsubj", "nsubjpass", "dobj") and noun.head.pos_ in ("VERB", "AUX"):
        return noun.head
    return locus_verb(noun)
