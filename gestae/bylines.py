"""Bylines: who wrote an article, from a byline string ("Von A und B, dpa", "By A | Staff Writer").

One set of rules for every source of names (a pasted "By …" line, JSON-LD, meta tags, the line under
a web page's headline): split on joiners, drop the byline word ("By", "Von", "Par", "Auteur"), job
titles, the site itself, publishers ("… GmbH", "… Média"), content-system credits ("Hecho en Bolivia
con Drupal"), placeholders ("No Author", "Anónimo", "Redaktion"), places ("Frankfurt, Germany"),
handles and addresses. What is left is either a person's name (two or more capitalised words) or a
credit (an agency such as "dpa", "Agencia EFE"). The words live in gestae/data/bylines.tsv.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable, Optional

from gestae.knowledge import read_table, split_multi

MAX_NAME_WORDS = 6
# Lower-case words inside a person's name: "Christoph von Eichhorn", "Raúl de la Fuente".
PARTICLES = frozenset("von van der den de del della di da dos das du le la y bin ibn al el ben ter ten zu st".split())


@dataclass(frozen=True)
class Words:
    prefix: re.Pattern
    joiner: re.Pattern
    roles: frozenset[str]
    generic: frozenset[str]
    publisher: frozenset[str]
    cms: re.Pattern


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def words() -> Words:
    kinds: dict[str, list[str]] = {}
    for row in read_table("bylines.tsv"):
        kinds.setdefault(row["kind"], []).extend(w.lower() for w in split_multi(row["words"]))
    return Words(
        prefix=re.compile(rf"^\s*(?:{_alternation(kinds['prefix'])})(?:\s*[:：]|\s+|$)\s*", re.I),
        joiner=re.compile(rf"\s*(?:[,;/&|•·]|\s(?:{_alternation(kinds['joiner'])})\s)\s*", re.I),
        roles=frozenset(kinds.get("role", [])),
        generic=frozenset(kinds.get("generic", [])),
        publisher=frozenset(kinds.get("publisher", [])),
        cms=re.compile(rf"\b(?:{_alternation(kinds['cms'])})\b", re.I))


def squash(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def strip_prefix(text: str) -> tuple[str, bool]:
    """'Von Claudia Riedler' -> ('Claudia Riedler', True); text without a byline word: (text, False)."""
    match = words().prefix.match(text)
    if not match:
        return text, False
    return text[match.end():], True


def is_joiner(text: str) -> bool:
    """',', 'and', 'und', '&' standing alone between two names."""
    stripped = text.strip()
    return not stripped or bool(words().joiner.fullmatch(f" {stripped} ")) or stripped in ",;/&|"


def _lower_tokens(text: str) -> list[str]:
    return re.findall(r"[\w.&'’-]+", text.lower())


def _has_phrase(tokens: list[str], phrases: frozenset[str]) -> bool:
    joined = " " + " ".join(tokens) + " "
    return any(f" {p} " in joined for p in phrases)


def _strip_roles(name: str, sites: set[str]) -> str:
    """'Adam Aaronson PhillyVoice Staff' -> 'Adam Aaronson'; 'Andrew Woodcock Political Editor' too."""
    tokens = name.split()
    while len(tokens) > 1:
        for size in (2, 1, 3, 4):
            tail = tokens[-size:]
            if size >= len(tokens):
                continue
            if " ".join(tail).lower().strip(".,") in words().roles or squash(" ".join(tail)) in sites:
                tokens = tokens[:-size]
                break
        else:
            break
    return " ".join(tokens)


def is_person(name: str) -> bool:
    """Two to six words, each capitalised (or a name particle, or an initial): a person's name."""
    tokens = name.split()
    if not 2 <= len(tokens) <= MAX_NAME_WORDS:
        return False
    capitalised = 0
    for token in tokens:
        letters = token.strip(".,'’()-")
        if not letters:
            return False
        if letters.lower() in PARTICLES:
            continue
        if not letters[0].isupper() or any(ch.isdigit() for ch in letters):
            return False
        capitalised += 1
    return capitalised >= 2


@dataclass
class Names:
    """What one byline source yields, in order: (name, kind) with kind "person", "credit" (an agency
    or desk) or "site" (the site's own name)."""
    items: list[tuple[str, str]] = field(default_factory=list)

    def of(self, *kinds: str) -> list[str]:
        return [name for name, kind in self.items if kind in kinds]


def read_names(values: Iterable[str], sites: set[str] = frozenset(),
               is_place: Optional[Callable[[str], bool]] = None) -> Names:
    """Split and filter byline values; keeps page order and drops duplicates."""
    found = Names()
    seen: set[str] = set()
    for value in values:
        value = unicodedata.normalize("NFC", " ".join((value or "").split())).strip(" '\"")
        if not value or words().cms.search(value) or re.search(r"https?://|www\.", value):
            continue
        value, _ = strip_prefix(value)
        value = re.sub(r"\s+(?:for|für|para|pour|per)\s+.+$", "", value, flags=re.I)
        for part in words().joiner.split(value):
            part, _ = strip_prefix(part.strip(" .,:;-–—'\"()[]"))
            part = re.sub(r"\s*@\w+|\S+@\S+", "", part).strip(" .,:;-–—'\"()[]")
            tokens = _lower_tokens(part)
            if not part or not tokens or " ".join(tokens) in words().generic or is_joiner(part):
                continue
            if len(tokens) <= 3 and tokens[0] in words().generic:  # "Redacción EC", "Redaktion FR"
                continue
            if _has_phrase(tokens, words().publisher) or " ".join(tokens) in words().roles:
                continue
            if any(ch.isdigit() for ch in part) or len(tokens) > MAX_NAME_WORDS:
                continue
            if is_place is not None and is_place(part):
                continue
            name = _strip_roles(part, sites)
            key = squash(name)
            if key in seen:
                continue
            seen.add(key)
            if key in sites or (len(key) >= 4 and any(len(s) >= 4 and (s in key or key in s) for s in sites)):
                found.items.append((name, "site"))
                continue
            found.items.append((name, "person" if is_person(name) else "credit"))
    return found
