"""countries.tsv, igos.tsv, institutions.tsv and sectors.tsv: well-formed, complete where it matters."""
from __future__ import annotations

import re

import pytest

from gestae.knowledge import read_table, split_multi

G20 = ["ARG", "AUS", "BRA", "CAN", "CHN", "FRA", "DEU", "IND", "IDN", "ITA", "JPN", "KOR", "MEX", "RUS",
       "SAU", "ZAF", "TUR", "GBR", "USA"]
EAST_SOUTHEAST_ASIA = ["CHN", "JPN", "KOR", "PRK", "MNG", "TWN", "HKG", "MAC", "BRN", "KHM", "IDN", "LAO",
                       "MYS", "MMR", "PHL", "SGP", "THA", "TLS", "VNM"]


@pytest.fixture(scope="module")
def countries():
    return read_table("countries.tsv")


def test_codes_are_unique_three_uppercase_letters(countries):
    codes = [row["iso3"] for row in countries]
    assert all(re.fullmatch(r"[A-Z]{3}", c) for c in codes)
    assert len(codes) == len(set(codes))
    assert len(codes) >= 240


@pytest.mark.parametrize("iso", G20 + EAST_SOUTHEAST_ASIA)
def test_key_countries_present_with_demonym_and_capital(countries, iso):
    row = next((r for r in countries if r["iso3"] == iso), None)
    assert row is not None and row["name"]
    if iso not in ("HKG", "MAC", "SGP"):  # city-states: the name is the capital
        assert split_multi(row["capitals"]), iso
    assert split_multi(row["demonyms"]), iso


def test_names_demonyms_and_capitals_are_unambiguous(countries):
    """No name may point at two countries, or the resolver would have to guess."""
    seen: dict[str, str] = {}
    for row in countries:
        names = [row["name"], *split_multi(row["aliases"]), *split_multi(row["demonyms"]),
                 *split_multi(row["capitals"]), *split_multi(row["former"])]
        for name in set(names):
            assert seen.setdefault(name, row["iso3"]) == row["iso3"], (name, seen[name], row["iso3"])


def test_common_names_resolve(countries):
    index = {}
    for row in countries:
        for name in [row["name"], *split_multi(row["aliases"]), *split_multi(row["demonyms"]),
                     *split_multi(row["capitals"]), *split_multi(row["former"])]:
            index[name] = row["iso3"]
    expected = {"South Korean": "KOR", "Korean": "KOR", "North Korean": "PRK", "Japanese": "JPN",
                "U.S.": "USA", "American": "USA", "Burma": "MMR", "Tokyo": "JPN", "Seoul": "KOR",
                "Pyongyang": "PRK", "Kyiv": "UKR", "Filipino": "PHL", "Vietnamese": "VNM",
                "British": "GBR", "Emirati": "ARE", "Ivory Coast": "CIV", "Soviet Union": "RUS"}
    for name, iso in expected.items():
        assert index.get(name) == iso, name


def test_igos_and_ngos():
    rows = read_table("igos.tsv")
    names = {n: r for r in rows for n in [r["name"], *split_multi(r["aliases"])]}
    for acronym in ["UN", "UNHCR", "WHO", "IAEA", "UNSC", "ASEAN", "NATO", "EU", "AU", "OPEC", "IMF", "WTO",
                    "G7", "G20", "APEC", "GCC", "OSCE", "ICC", "ICJ", "World Bank", "Arab League",
                    "European Commission", "UN General Assembly"]:
        assert names[acronym]["country"] == "IGO" and names[acronym]["sector"] == "IGO", acronym
    assert names["Red Cross"]["sector"] == "NGO" and names["Red Cross"]["country"] == ""


def test_sector_rows_are_valid():
    kinds = {"title", "organization", "group", "source", "modifier", "thing"}
    rows = read_table("sectors.tsv")
    assert {r["kind"] for r in rows} <= kinds
    by_term = {r["term"]: r for r in rows}
    for term, sector in [("president", "GOV"), ("troops", "MIL"), ("police", "COP"), ("rebels", "REB"),
                         ("opposition", "OPP"), ("party", "PTY"), ("protesters", "CVL"), ("court", "JUD"),
                         ("lawmakers", "LEG"), ("company", "BUS"), ("journalists", "MED"), ("refugees", "REF")]:
        assert by_term[term]["sector"] == sector, term
    for row in rows:
        flag_only = row["kind"] == "modifier" and row["flags"]   # "international": says only whose a party is not
        if row["kind"] not in ("thing", "source", "title") and row["generic"] != "yes" and not flag_only:
            assert re.fullmatch(r"[A-Z]{3}", row["sector"]), row
        assert set(split_multi(row["flags"])) <= {"local", "nonlocal", "owned", "commentator", "diplomat", "partitive"}, row
    for row in read_table("institutions.tsv"):
        assert row["kind"] in ("organization", "group") and re.fullmatch(r"[A-Z]{3}", row["sector"])


def test_peoples_rows_are_valid_and_do_not_shadow_countries():
    countries = read_table("countries.tsv")
    iso = {r["iso3"] for r in countries}
    state_words = {w for r in countries for w in [r["name"], *split_multi(r["aliases"]), *split_multi(r["demonyms"])]}
    for row in read_table("peoples.tsv"):
        assert row["country"] == "" or row["country"] in iso, row
        forms = split_multi(row["forms"])
        assert forms and not set(forms) & state_words, row


def test_institution_periods_are_dates_in_order_and_do_not_overlap():
    periods: dict[str, list[tuple[str, str]]] = {}
    for row in read_table("institutions.tsv"):
        for cell in (row["start"], row["end"]):
            assert cell == "" or re.fullmatch(r"\d{4}-\d{2}-\d{2}", cell), row
        assert not (row["start"] and row["end"]) or row["start"] <= row["end"], row
        periods.setdefault(row["name"], []).append((row["start"] or "0000", row["end"] or "9999"))
    for name, spans in periods.items():
        spans.sort()
        assert all(a[1] < b[0] for a, b in zip(spans, spans[1:])), name
