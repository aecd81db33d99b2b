"""The headline of a page: the visible <h1> when the page's own title metadata agrees with it.

A page names its article several times: JSON-LD `headline`, `og:title`, `twitter:title`, `<title>`
(usually with the site's name), and the visible `<h1>`. Metadata titles are often rewritten for
search and social sites, and a page has stray <h1>s (the logo, "Sections", a teaser), so the
visible headline is taken when it shares most of its words with some metadata title; otherwise the
metadata title most of the others agree with. Kickers set in their own element inside the <h1>
("Interne Unterlagen im Netz" above "Daten von Rheinmetall gehackt") and the site's name around a
title ("… | EL PAÍS") are not part of the headline. The first line of the body is never a title here.
"""
from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from typing import Any, Optional

from gestae.html.page import Page, jsonld_names, site_names, squash, text_of

# Between a title and the site's name or a section: "A | Site", "A - Site", "A – Site", "A :: Site".
TITLE_SEPARATOR = re.compile(r"\s+(?:[|–—»·]|-{1,2}|::)\s+")
KICKER_MAX_WORDS = 8
AGREEMENT = 0.6          # share of the shorter title's words found in the other ...
COVERAGE = 0.3           # ... and of the longer one's (a site name inside "Headline l SITE" is no headline)
TRUNCATED = re.compile(r"(?:\.\.\.|…)\s*$")
WORD = re.compile(r"\w+")


def _clean(text: str) -> str:
    return " ".join(html_lib.unescape(text or "").split()).strip()


def _words(text: str) -> set[str]:
    return {w.casefold() for w in WORD.findall(text)}


def agree(a: str, b: str) -> float:
    """Share of the shorter title's words that the other has; 0 when they share too little."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    shared = len(wa & wb)
    if shared < min(2, len(wa), len(wb)) or shared < COVERAGE * max(len(wa), len(wb)):
        return 0.0
    return shared / min(len(wa), len(wb))


def without_site_name(title: str, sites: set[str]) -> str:
    """'Title | Section | Site' -> 'Title' when a segment is the site's name; unchanged otherwise."""
    segments = TITLE_SEPARATOR.split(title)
    if len(segments) < 2:
        return title
    is_site = [bool(s) and any(s == n or (len(n) >= 4 and (n in s or s in n)) for n in sites)
               for s in (squash(seg) for seg in segments)]
    if not any(is_site) or all(is_site):
        return title
    rest = [seg for seg, site in zip(segments, is_site) if not site]
    # What is left besides the title are sections ("Ciencia", "Politik"): the title is the longest part.
    return max(rest, key=len) if len(rest) > 1 else rest[0]


def h1_headline(element) -> str:
    """An <h1>'s headline: when all its text sits in several child elements, the long one is the
    headline and the short ones before it are kickers or section labels."""
    full = text_of(element)
    loose = (element.text or "") + "".join(child.tail or "" for child in element)
    parts = [text_of(child) for child in element if text_of(child)]
    if len(parts) < 2 or re.search(r"\w", loose):
        return full
    longest = max(parts, key=len)
    others = [p for p in parts if p is not longest]
    if len(longest) * 2 >= len(full) and all(len(p.split()) <= KICKER_MAX_WORDS for p in others):
        return longest.strip(" |–—-:")
    return full


def metadata_titles(page: Page, sites: set[str]) -> list[str]:
    """Title metadata in order of trust, site names removed, truncated ones last."""
    found = [*(h for obj in page.articles for h in jsonld_names(obj.get("headline"))[:1]),
             *page.meta.get("og:title", []), *page.meta.get("twitter:title", []), page.title_tag]
    titles: list[str] = []
    for raw in found:
        title = without_site_name(_clean(raw), sites)
        if title and title not in titles:
            titles.append(title)
    return sorted(titles, key=lambda t: bool(TRUNCATED.search(t)))


@dataclass(frozen=True)
class Headline:
    text: str
    element: Any = None   # the visible <h1>, when the headline is one (dates and bylines sit near it)


def choose_title(page: Page, outlet: str = "") -> Optional[Headline]:
    """The page's headline, or None when it declares none."""
    sites = site_names(page, outlet)
    meta = metadata_titles(page, sites)
    best, best_score = None, 0.0
    for element in page.root.iter("h1"):
        text = _clean(h1_headline(element))
        if not text or squash(text) in sites:
            continue
        score = max((agree(text, m) for m in meta), default=0.0)
        if score >= AGREEMENT and score > best_score:
            best, best_score = Headline(text, element), score
    if best:
        return best
    if not meta:  # a page without title metadata: its article's own <h1>, else its first one
        inside = page.root.xpath("//article//h1|//main//h1") or list(page.root.iter("h1"))
        for element in inside:
            text = _clean(h1_headline(element))
            if text and squash(text) not in sites:
                return Headline(text, element)
        return None
    # The metadata title most others agree with; ties go to the more trusted one.
    support = [sum(agree(t, other) >= AGREEMENT for other in meta if other is not t) for t in meta]
    choice = meta[max(range(len(meta)), key=lambda i: (support[i], -i))]
    # A title cut short in one field ("… Biden de") is complete in another that starts with it.
    longer = [t for t in meta if len(t) > len(choice) and t.startswith(TRUNCATED.sub("", choice))]
    return Headline(longer[0] if longer else choice)
