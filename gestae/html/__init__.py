"""An HTML page -> body text and metadata (headline, authors, publication time, language tag, outlet).

The body comes from trafilatura in its precision mode (cleaner text); when that keeps too little of
the page, from its recall mode, and when the page's JSON-LD `articleBody` is much longer still, from
that. Metadata comes from the page's own signals (gestae.html.page), each field chosen by its module:
title (gestae.html.title), publication time (gestae.html.dates), authors (gestae.html.authors). The
outlet, its time zone and date order come from gestae/data/outlets.tsv, else from the page's domain
and language tag (gestae.locales).
"""
from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field
from typing import Optional

from gestae.errors import GestaeError
from gestae.html.authors import choose_authors
from gestae.html.dates import choose_published
from gestae.html.page import Page, host_of, read_page, site_names
from gestae.html.title import choose_title
from gestae.locales import Locale, country_locale, page_locale
from gestae.metadata import Outlet, find_outlet

# Precision mode sometimes keeps one caption of a long story: below this, try the recall mode.
MIN_PRECISE_CHARS = 600
# Another reading replaces the first only when it is this much longer.
LONGER_FACTOR = 2.0
NEAR_TIE = 0.8
_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</p>|<br\s*/?>|</h\d>|</li>", re.I)


@dataclass
class HtmlDocument:
    text: str
    title: str = ""
    authors: list[str] = field(default_factory=list)
    published: Optional[str] = None
    url: str = ""
    site_name: str = ""
    language_tag: str = ""
    outlet: Optional[Outlet] = None
    locale: Optional[Locale] = None


def _extract(html: str, url: Optional[str], **mode):
    import trafilatura

    try:
        # Metadata is read by gestae.html itself: trafilatura's would run htmldate and dateparser
        # over every page, which costs more than the extraction.
        return trafilatura.bare_extraction(html, url=url, with_metadata=False, include_comments=False,
                                           include_tables=False, **mode)
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        raise GestaeError(f"cannot parse HTML ({exc.__class__.__name__})") from None


def article_body(page: Page) -> str:
    """The JSON-LD articleBody as paragraphs (some sites put escaped HTML in it)."""
    bodies = [obj["articleBody"] for obj in page.articles if isinstance(obj.get("articleBody"), str)]
    if not bodies:
        return ""
    body = max(bodies, key=len)
    for _ in range(2):  # "&lt;p&gt;" is HTML escaped once more
        if "&lt;" in body or "&amp;" in body or "&quot;" in body or "&#" in body:
            body = html_lib.unescape(body)
    body = _BLOCK_END.sub("\n\n", body)
    body = html_lib.unescape(_TAG.sub("", body))
    return "\n\n".join(" ".join(p.split()) for p in re.split(r"\n\s*\n", body) if p.strip())


def body_text(html: str, page: Page, url: Optional[str]) -> str:
    """The body text: precise; when that is short, the longer of the recall reading and the page's
    JSON-LD articleBody (the publisher's own text, paragraphs kept, wins a near tie); a much longer
    articleBody also replaces a precise reading that kept only a teaser."""
    document = _extract(html, url, favor_precision=True)
    text = (document.text or "").strip() if document is not None else ""
    body = article_body(page)
    if len(text) < MIN_PRECISE_CHARS:
        recall = _extract(html, url, favor_recall=True)
        recall_text = (recall.text or "").strip() if recall is not None else ""
        if len(recall_text) >= LONGER_FACTOR * max(len(text), 1) and len(body) < NEAR_TIE * len(recall_text):
            return recall_text
    if len(body) >= LONGER_FACTOR * max(len(text), 1) and len(body) >= MIN_PRECISE_CHARS // 2:
        return body
    return text


def _is_place(name: str) -> bool:
    from gestae.where import gazetteer

    return bool(gazetteer.load().lookup(name))


def _trafilatura_author(html: str) -> str:
    """trafilatura's byline heuristics (only asked when the page's own signals name nobody)."""
    from trafilatura.utils import load_html
    from trafilatura.metadata import extract_author

    try:
        tree = load_html(html)
        return (extract_author(tree) or "") if tree is not None else ""
    except Exception:  # a heuristic that fails on odd markup is simply not a source
        return ""


def _is_outlet(name: str) -> bool:
    return find_outlet(name) is not None


def read_document(html: str, url: Optional[str] = None, outlet_name: Optional[str] = None) -> HtmlDocument:
    """Body and metadata of one page; raises GestaeError when the page has no article text."""
    page = read_page(html)
    if page is None:
        raise GestaeError("cannot parse HTML (not a readable document)")
    text = body_text(html, page, url)
    if not text:
        raise GestaeError("no article text found in HTML")
    url = url or page.url
    page.url = page.url or url  # the site's own names include its host
    site_name = page.first_meta("og:site_name", "application-name")
    outlet = find_outlet(outlet_name or site_name, url)
    locale = country_locale(outlet.country) if outlet and outlet.country else None
    locale = locale or page_locale(host_of(url), page.lang)
    timezone = outlet.timezone if outlet and outlet.timezone else (locale.timezone if locale else "")
    headline = choose_title(page, outlet.name if outlet else "")
    element = headline.element if headline else None
    published = choose_published(page, html, element, timezone, locale.date_order if locale else "",
                                 outlet_zone=bool(outlet and outlet.timezone))
    authors = choose_authors(page, site_names(page, outlet.name if outlet else ""), element,
                             lambda: _trafilatura_author(html), _is_place, _is_outlet)
    return HtmlDocument(text=text, title=headline.text if headline else "", authors=authors,
                        published=published, url=url, site_name=site_name, language_tag=page.lang,
                        outlet=outlet, locale=locale)
