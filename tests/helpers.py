"""Builders for hand-made articles, shared by the stage tests (no pipeline run needed), and the
actors-then-events run the event tests share."""
from __future__ import annotations

import re
from typing import Iterable, Optional

from gestae import actors, events, nlp
from gestae.model import Actor, Article, Caption, Event, Removed, Source


def parsed_article(text: str, *, published: Optional[str] = None, captions: Iterable[str] = (),
                   removed: Iterable[str] = (), actors: Iterable[Actor] = (), timezone: str = "") -> Article:
    """An article over `text` with its spaCy parse (and parsed captions); no stage has run."""
    model = nlp.load_model()
    captions = list(captions)
    article = Article(id="t", source=Source("<test>", "text"), text=text, published=published,
                      captions=[Caption(c) for c in captions], removed=[Removed(r, "dateline") for r in removed],
                      actors=list(actors), timezone=timezone)
    article.doc = model(text)
    article.caption_docs = [model(c) for c in captions]
    return article


def add_trigger_events(article: Article, triggers: Iterable[str], type_: str = "CONSULT") -> None:
    """One event per trigger word (its first occurrence), as the events stage would leave it."""
    for n, word in enumerate(triggers):
        start = article.text.index(word)
        article.events.append(Event(id=f"e{n}", type=type_, trigger=word, trigger_span=(start, start + len(word))))


def article_with_actors(text: str, specs: list[tuple[str, str, str]]) -> Article:
    """An article whose actors are given as (phrase, kind, name); every occurrence is a mention."""
    article = parsed_article(text)
    token_map = {}
    for n, (phrase, kind, name) in enumerate(specs, start=1):
        actor = Actor(id=f"a{n}", name=name, kind=kind)
        for m in re.finditer(r"\b" + re.escape(phrase) + r"\b", text):
            actor.mentions.append((m.start(), m.end()))
            for token in article.doc.char_span(m.start(), m.end(), alignment_mode="expand"):
                token_map.setdefault(token.i, actor)
        article.actors.append(actor)
    article.tokens.actor = token_map
    return article


def coded(text: str) -> Article:
    """`text` parsed, its actors resolved and its events coded (published 2023-05-10)."""
    article = Article(id="t", source=Source("<test>", "text"), text=text, published="2023-05-10T10:00:00+00:00")
    article.doc = nlp.load_model()(text)
    actors.annotate(article)
    events.annotate(article)
    return article


def countries(article: Article, ids: list[str]) -> set[str]:
    """The countries of the actors with these ids."""
    return {a.country for i in ids if (a := article.actor(i)) is not None}
