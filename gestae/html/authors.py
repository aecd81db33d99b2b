"""The authors of a page: the first source that names a person, read with the byline rules.

Sources, most trusted first: the article's JSON-LD `author` (persons, not organisations); the byline
under the headline ("By" / "Von" / "Por" and the names after it); the author meta tags
(gestae/data/page_meta.tsv); trafilatura's guess; a person's name set just before the date under the
headline. Agency credits next to a person are kept ("…, NDR"); the site itself only when no source
names anyone else ("telebasel").
"""
from __future__ import annotations

from typing import Callable, Iterator, Optional

from gestae.bylines import is_joiner, read_names, strip_prefix
from gestae.html.dates import meta_keys, text_chunks
from gestae.html.page import Page, jsonld_names, types_of
from gestae.pubdate import find_printed

BYLINE_CHUNKS = 12      # text nodes after the headline searched for a byline
NAME_CHUNKS = 5         # text nodes after a bare byline word that may hold the names
ORGANIZATION_TYPES = frozenset({"organization", "newsmediaorganization", "corporation", "website"})


def _jsonld_people(page: Page) -> list[str]:
    names: list[str] = []
    for obj in page.articles:
        value = obj.get("author")
        for item in value if isinstance(value, list) else [value]:
            item = page.resolve(item)
            if isinstance(item, dict) and types_of(item) & ORGANIZATION_TYPES:
                continue
            names += jsonld_names(item)
    return names


def _byline_under_headline(chunks: list[str]) -> list[str]:
    """The names of the first byline among the text nodes after the headline: the text after the
    byline word, or the node after a bare one, and more names only across joiners ("By" / "David
    Brand" / "and" / "Ramsey Khalifeh"; "Rob Picheta" / ", CNN")."""
    for index, chunk in enumerate(chunks[:BYLINE_CHUNKS]):
        rest, had_prefix = strip_prefix(chunk)
        if not had_prefix:
            continue
        following = chunks[index + 1:index + 1 + NAME_CHUNKS]
        if not rest.strip():
            if not following or find_printed(following[0]):
                return []
            rest, following = following[0], following[1:]
        names = [rest]
        position = 0
        while position < len(following):
            piece = following[position]
            if is_joiner(piece) and position + 1 < len(following) and not find_printed(following[position + 1]):
                names.append(following[position + 1])
                position += 2
            elif piece.startswith((",", ";", "|")) and piece.strip(",;| "):
                names.append(piece.strip(",;| "))
                position += 1
            else:
                break
        return names
    return []


def _name_before_date(chunks: list[str]) -> list[str]:
    """'Emmanuelle Ducros' directly above '15 Mai 2019 à 06h00'."""
    for chunk, following in zip(chunks[:BYLINE_CHUNKS], chunks[1:BYLINE_CHUNKS + 1]):
        if find_printed(following) and not find_printed(chunk) and len(chunk.split()) <= 5:
            return [chunk]
    return []


def sources(page: Page, headline_element, trafilatura_author: Callable[[], str]
            ) -> Iterator[tuple[list[str], bool]]:
    """(values, credits_count): each source's raw values, and whether a credit alone is believed.
    Generated lazily: later sources are only read when the earlier ones name nobody."""
    chunks = text_chunks(page.root, headline_element)[0] if headline_element is not None else []
    yield _byline_under_headline(chunks), True
    yield _jsonld_people(page), True
    yield [v for key in meta_keys().get(("author", 1), []) for v in page.meta.get(key, [])], True
    guess = trafilatura_author()
    yield ([guess] if guess else []), True
    yield _name_before_date(chunks), False


def choose_authors(page: Page, sites: set[str], headline_element=None,
                   trafilatura_author: Callable[[], str] = lambda: "",
                   is_place: Optional[Callable[[str], bool]] = None,
                   is_outlet: Optional[Callable[[str], bool]] = None) -> list[str]:
    """Persons (with the agency credits beside them) from the first source naming one; else the
    credits of the first source that has any (the site's own name included); else nothing."""
    fallback: list[str] = []
    for values, credits_count in sources(page, headline_element, trafilatura_author):
        if not values:
            continue
        names = read_names(values, sites, is_place)
        if names.of("person"):
            return names.of("person", "credit")
        credits = names.of("credit", "site")
        if not credits_count:  # a bare word above a date is a credit only when it is a known outlet
            credits = [c for c in credits if is_outlet is not None and is_outlet(c)]
        fallback = fallback or credits
    return fallback
