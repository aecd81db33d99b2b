"""What an HTML page says about itself, read once: meta tags, JSON-LD, headings, language, URL.

Every metadata choice (title, date, authors, language, outlet) is made from these signals by its own
module; reading the page once keeps the cost of an HTML article to one extra lxml parse. Only the
page's own declarations are collected here, no guessing.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Optional

# schema.org types whose object describes the article itself (not the site, a breadcrumb or a video).
ARTICLE_TYPES = frozenset(
    "article newsarticle reportagenewsarticle analysisnewsarticle opinionnewsarticle reviewnewsarticle "
    "backgroundnewsarticle askpublicnewsarticle blogposting liveblogposting socialmediaposting report "
    "scholarlyarticle techarticle medicalwebpage".split())


@dataclass
class Page:
    """Signals of one page. `meta` maps a lower-case property/name/itemprop to its values in page order."""
    root: Any                      # lxml root (scripts and styles still in place)
    lang: str = ""                 # <html lang>, else Content-Language, else og:locale ("de-AT", "en")
    url: str = ""                  # canonical link, else og:url
    meta: dict[str, list[str]] = field(default_factory=dict)
    articles: list[dict] = field(default_factory=list)  # JSON-LD objects of an article type
    jsonld: list[dict] = field(default_factory=list)    # every JSON-LD object (flattened)
    title_tag: str = ""

    def resolve(self, value: Any) -> Any:
        """A JSON-LD reference {"@id": …} replaced by the object it names elsewhere on the page."""
        if isinstance(value, dict) and "@id" in value and "name" not in value:
            for obj in self.jsonld:
                if obj is not value and obj.get("@id") == value["@id"]:
                    return obj
        return value

    def first_meta(self, *keys: str) -> str:
        for key in keys:
            for value in self.meta.get(key, []):
                if value.strip():
                    return value.strip()
        return ""


XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def text_of(element) -> str:
    """An element's visible text, whitespace collapsed ('' for comments and processing instructions)."""
    if not isinstance(element.tag, str):
        return ""
    return " ".join(element.text_content().split())


def _jsonld_objects(raw: str) -> list[dict]:
    """The objects in one ld+json script; tolerant of the usual breakage (control characters,
    trailing commas, several objects in one script)."""
    raw = raw.strip().removeprefix("<!--").removesuffix("-->").strip()
    raw = raw.removeprefix("//<![CDATA[").removesuffix("//]]>").strip()
    data = None
    for attempt in (raw, re.sub(r",\s*([}\]])", r"\1", raw)):
        try:
            data = json.loads(attempt, strict=False)
            break
        except (ValueError, RecursionError):
            continue
    if data is None:
        return []
    found: list[dict] = []

    def walk(node: Any, depth: int = 0) -> None:
        if depth > 4:
            return
        if isinstance(node, list):
            for item in node:
                walk(item, depth + 1)
        elif isinstance(node, dict):
            found.append(node)
            for key in ("@graph", "mainEntity", "mainEntityOfPage", "hasPart"):
                if isinstance(node.get(key), (list, dict)):
                    walk(node[key], depth + 1)

    walk(data)
    return found


def types_of(obj: dict) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds if k}


def read_page(html: str, root=None) -> Optional[Page]:
    """Signals of a page; None when lxml cannot read it at all."""
    import lxml.html

    if root is None:
        try:
            # lxml refuses a str that still declares its encoding; the text is decoded already.
            root = lxml.html.document_fromstring(XML_DECLARATION.sub("", html, count=1))
        except Exception:  # lxml raises several kinds on hopeless markup
            return None
    page = Page(root=root)
    for element in root.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop")
               or element.get("http-equiv") or "").strip().lower()
        value = element.get("content")
        if key and value is not None:
            page.meta.setdefault(key, []).append(" ".join(value.split()))
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() == "application/ld+json" and script.text:
            for obj in _jsonld_objects(script.text):
                page.jsonld.append(obj)
                if types_of(obj) & ARTICLE_TYPES:
                    page.articles.append(obj)
    html_element = root if root.tag == "html" else next(root.iter("html"), None)
    page.lang = ((html_element.get("lang") or html_element.get("xml:lang") or "") if html_element is not None
                 else "").strip()
    page.lang = page.lang or page.first_meta("content-language", "og:locale", "language")
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and (link.get("href") or "").startswith("http"):
            page.url = link.get("href").strip()
            break
    page.url = page.url or next((u for u in page.meta.get("og:url", []) if u.startswith("http")), "")
    title = next(root.iter("title"), None)
    page.title_tag = text_of(title) if title is not None else ""
    return page


def squash(text: str) -> str:
    """Letters and digits only, lower-cased: 'EL PAÍS' -> 'elpaís', 'tagesschau.de' -> 'tagesschaude'."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def host_of(url: str) -> str:
    from urllib.parse import urlparse

    try:
        return (urlparse(url).hostname or "").lower().removeprefix("www.")
    except ValueError:
        return ""


def jsonld_names(value: Any) -> list[str]:
    """Names in a JSON-LD person/organization value: a string, an object with "name", or a list."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        name = value.get("name")
        return jsonld_names(name) if isinstance(name, (str, list)) else []
    if isinstance(value, list):
        return [n for item in value for n in jsonld_names(item)]
    return []


def site_names(page: Page, outlet: str = "") -> set[str]:
    """The site's own names, squashed: og:site_name, application-name, the JSON-LD publisher and
    WebSite names, the twitter handle, the host with and without its suffix, and the known outlet."""
    names = [outlet, *page.meta.get("og:site_name", []), *page.meta.get("application-name", []),
             *[h.lstrip("@") for h in page.meta.get("twitter:site", [])]]
    for obj in page.articles:
        names += jsonld_names(obj.get("publisher"))
    for obj in page.jsonld:
        kinds = types_of(obj)
        if kinds & {"website", "organization", "newsmediaorganization"}:
            names += jsonld_names(obj)
    host = host_of(page.url)
    if host:
        labels = host.split(".")
        names += [host, ".".join(labels[-2:]), labels[-2] if len(labels) >= 2 else host]
        if len(labels) >= 3 and len(labels[-2]) <= 3:  # co.uk, com.ar: the name is the label before
            names += [labels[-3], ".".join(labels[-3:])]
    return {s for s in (squash(n) for n in names) if len(s) >= 2}
