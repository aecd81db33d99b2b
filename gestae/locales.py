"""Where a page is from and how it writes dates: countries, languages and month names as tables.

A publication time printed without a zone, or given in UTC, is read in the clock of the newsroom; an
all-number date ("10/05/2022") is read in the order its country writes dates. When the outlets table
does not know the site, the country comes from the page itself: its country-code domain (.at, .com.ar),
else the region of its language tag (es-AR, pt-BR), else the one country its language points to (de).
Facts live in gestae/data/locales.tsv, languages.tsv and months.tsv.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from gestae.knowledge import read_table, split_multi


@dataclass(frozen=True, slots=True)
class Locale:
    country: str      # ISO3
    timezone: str     # IANA zone of the country's main newsrooms
    date_order: str   # DMY, MDY or YMD


@lru_cache(maxsize=1)
def _countries() -> tuple[dict[str, Locale], dict[str, str], dict[str, str]]:
    by_iso3: dict[str, Locale] = {}
    iso2_to_iso3: dict[str, str] = {}
    tld_to_iso3: dict[str, str] = {}
    for row in read_table("locales.tsv"):
        iso3 = row["iso3"]
        by_iso3[iso3] = Locale(iso3, row.get("timezone", ""), row.get("date_order") or "DMY")
        iso2_to_iso3.setdefault(row["iso2"].lower(), iso3)
        if row.get("tld"):
            tld_to_iso3.setdefault(row["tld"].lower(), iso3)
    return by_iso3, iso2_to_iso3, tld_to_iso3


@lru_cache(maxsize=1)
def _languages() -> dict[str, tuple[str, str]]:
    return {row["code"]: (row["name"], row.get("country", "")) for row in read_table("languages.tsv")}


def country_locale(iso3: str) -> Optional[Locale]:
    return _countries()[0].get(iso3 or "")


def language_name(code: str) -> str:
    """'de' -> 'German'; the code itself when the table does not know it."""
    return _languages().get(base_language(code), (code, ""))[0]


def base_language(tag: str) -> str:
    """'de-AT' -> 'de', 'en_US' -> 'en', 'English' -> 'en' (a few sites write the name)."""
    tag = (tag or "").strip().lower().replace("_", "-")
    code = tag.split("-")[0]
    if len(code) > 3:
        names = {name.lower(): c for c, (name, _) in _languages().items()}
        return names.get(code, "")
    return code


def country_of_host(host: str) -> str:
    """ISO3 of a host's country-code domain ('nachrichten.at' -> 'AUT'); '' for .com and the like."""
    tld = host.lower().rstrip(".").rpartition(".")[2]
    return _countries()[2].get(tld, "")


def country_of_language_tag(tag: str) -> str:
    """ISO3 of a language tag's region ('es-AR' -> 'ARG'), else of the language's home country."""
    parts = re.split(r"[-_]", (tag or "").strip().lower())
    if len(parts) >= 2 and len(parts[1]) == 2:
        found = _countries()[1].get(parts[1], "")
        if found:
            return found
    return _languages().get(base_language(tag), ("", ""))[1]


def page_locale(host: str = "", language_tag: str = "") -> Optional[Locale]:
    """The locale a page keeps, from its domain, else its language tag; None when neither tells."""
    country = country_of_host(host) or country_of_language_tag(language_tag)
    return country_locale(country)


@lru_cache(maxsize=1)
def month_numbers() -> dict[str, int]:
    """Every month name and abbreviation in months.tsv -> month number (1-12)."""
    months: dict[str, int] = {}
    for row in read_table("months.tsv"):
        for name in split_multi(row["names"]):
            months.setdefault(name.lower(), int(row["month"]))
    return months
