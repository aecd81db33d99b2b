"""Article metadata in pasted text: outlets (with home time zone and country), date lines, bylines.

Publication times are read by gestae.pubdate, languages by gestae.language, names by gestae.bylines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional
from urllib.parse import urlparse

from gestae.knowledge import read_table, split_multi


@dataclass(frozen=True, slots=True)
class Outlet:
    name: str
    timezone: str
    country: str


def _norm(name: str) -> str:
    return re.sub(r"[^\w]+", " ", name.lower()).strip()


@lru_cache(maxsize=1)
def _outlet_index() -> tuple[dict[str, Outlet], dict[str, Outlet]]:
    by_name: dict[str, Outlet] = {}
    by_domain: dict[str, Outlet] = {}
    for row in read_table("outlets.tsv", "outlets"):
        outlet = Outlet(row["name"], row.get("timezone", ""), row.get("country", ""))
        for name in [row["name"], *split_multi(row.get("aliases"))]:
            key = _norm(name)
            by_name.setdefault(key, outlet)
            if key.startswith("the "):
                by_name.setdefault(key[4:], outlet)
        for domain in split_multi(row.get("domains")):
            by_domain[domain.lower().removeprefix("www.")] = outlet
    return by_name, by_domain


def find_outlet(name: Optional[str] = None, url: Optional[str] = None) -> Optional[Outlet]:
    """The outlet named exactly `name` (any alias, with or without 'The'), or owning `url`'s domain."""
    by_name, by_domain = _outlet_index()
    if name:
        key = _norm(name)
        found = by_name.get(key) or by_name.get(key.removeprefix("the "))
        if found:
            return found
    if url:
        host = (urlparse(url).hostname or "").lower().removeprefix("www.")
        while host:
            if host in by_domain:
                return by_domain[host]
            host = host.partition(".")[2]
    return None


BYLINE_MAX_CHARS = 160


def parse_byline(line: str) -> Optional[list[str]]:
    """'By Shin Ji-hye' -> ['Shin Ji-hye']; 'Von A und B, dpa' -> ['A', 'B', 'dpa']; None if the
    line is not a byline (no byline word, or mostly words that are not names)."""
    from gestae.bylines import read_names, strip_prefix

    rest, had_prefix = strip_prefix(line.strip())
    if not had_prefix or not rest.strip() or len(line) > BYLINE_MAX_CHARS:
        return None
    names = read_names([rest])
    people = names.of("person")
    # one part may be an agency or the outlet ("By A and B, Reuters"); more non-names: not a byline
    if not people or len(people) < len(names.items) - 1:
        return None
    return people
