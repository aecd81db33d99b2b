"""Validation of the hand-made knowledge tables persons.tsv and outlets.tsv.

These tables are facts typed in by people, so the checks look for the mistakes people make:
missing cells, malformed codes or dates, terms that end before they start, two holders of a
single-holder office at once, time zones that do not exist, and a few known office holders.
"""
from __future__ import annotations

import re
import zoneinfo
from collections import defaultdict
from datetime import date
from functools import lru_cache

import pytest

from gestae.knowledge import read_table, split_multi

PERSON_COLUMNS = ("name", "aliases", "country", "sector", "role", "start", "end")
OUTLET_COLUMNS = ("name", "aliases", "domains", "timezone", "country")
SECTORS = {"GOV", "IGO", "MIL", "REB"}
ISO3 = re.compile(r"^[A-Z]{3}$")
# Monarchs share one office whatever the title of the holder.
MONARCH_TITLES = {"King", "Queen", "Emperor", "Sultan", "Emir"}
# Handovers are sometimes dated by swearing-in on one side and by resignation on the other.
OVERLAP_TOLERANCE_DAYS = 3


@lru_cache(maxsize=1)
def persons() -> list[dict[str, str]]:
    return read_table("persons.tsv")


@lru_cache(maxsize=1)
def outlets() -> list[dict[str, str]]:
    return read_table("outlets.tsv")


def term(row: dict[str, str]) -> tuple[date, date]:
    """(start, end) of a row's term; an open term runs to date.max."""
    return date.fromisoformat(row["start"]), date.fromisoformat(row["end"]) if row["end"] else date.max


def office(row: dict[str, str]) -> tuple[str, str]:
    role = "monarch" if row["role"] in MONARCH_TITLES else row["role"]
    return row["country"], role


def holders(country: str, role: str, on: date) -> list[str]:
    """Names of the people holding ROLE in COUNTRY on a day."""
    return [row["name"] for row in persons()
            if row["country"] == country and row["role"] == role
            and term(row)[0] <= on < term(row)[1]]


# --- persons.tsv -----------------------------------------------------------------------------

def test_persons_table_is_large_and_has_the_columns():
    rows = persons()
    assert len(rows) >= 800
    for row in rows:
        assert tuple(row) == PERSON_COLUMNS, row
        assert row["name"] and row["country"] and row["sector"] and row["role"] and row["start"], row


def test_person_codes_are_well_formed():
    for row in persons():
        assert row["country"] == "IGO" or ISO3.match(row["country"]), row
        assert row["sector"] in SECTORS, row
        assert row["name"] not in split_multi(row["aliases"]), row
        assert all(alias.strip() for alias in split_multi(row["aliases"])), row


def test_person_dates_parse_and_terms_are_ordered():
    for row in persons():
        start, end = term(row)
        assert date(1940, 1, 1) <= start <= date(2026, 12, 31), row
        assert start <= end, row


def test_no_single_holder_office_has_two_holders_at_once():
    by_office: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in persons():
        by_office[office(row)].append(row)
    clashes = []
    for key, rows in by_office.items():
        rows.sort(key=lambda r: term(r)[0])
        for before, after in zip(rows, rows[1:]):
            overlap = (term(before)[1] - term(after)[0]).days
            if overlap > OVERLAP_TOLERANCE_DAYS:
                clashes.append(f"{key}: {before['name']} {before['start']}..{before['end']} "
                               f"vs {after['name']} {after['start']}..{after['end']}")
    assert not clashes, "\n".join(clashes)


def test_each_person_office_term_is_listed_once():
    seen = set()
    for row in persons():
        key = (row["name"], row["country"], row["role"], row["start"])
        assert key not in seen, row
        seen.add(key)


def test_every_required_country_is_covered():
    countries = {row["country"] for row in persons()}
    required = ("ARG AUS BRA CAN CHN FRA DEU IND IDN ITA JPN KOR MEX RUS SAU ZAF TUR GBR USA "
                "PRK MNG TWN BRN KHM LAO MYS MMR PHL SGP THA TLS VNM "
                "UKR ISR PSE IRN IRQ SYR AFG PAK EGY YEM LBN JOR QAT ARE NGA ETH KEN SDN SSD "
                "VEN COL CUB NIC POL HUN BLR GEO ARM AZE SRB KAZ BGD LKA NPL NZL IGO").split()
    assert not [code for code in required if code not in countries]


@pytest.mark.parametrize("country, role, on, expected", [
    ("KOR", "President", "2022-11-13", "Yoon Suk Yeol"),
    ("JPN", "Prime Minister", "2022-11-13", "Fumio Kishida"),
    ("USA", "President", "2021-06-01", "Joe Biden"),
    ("USA", "President", "2019-06-01", "Donald Trump"),
    ("USA", "Secretary of State", "2022-11-13", "Antony Blinken"),
    ("CHN", "President", "2022-11-13", "Xi Jinping"),
    ("CHN", "Premier", "2020-05-01", "Li Keqiang"),
    ("GBR", "Prime Minister", "2022-10-01", "Liz Truss"),
    ("DEU", "Chancellor", "2015-01-01", "Angela Merkel"),
    ("FRA", "President", "2022-11-13", "Emmanuel Macron"),
    ("RUS", "President", "2010-01-01", "Dmitry Medvedev"),
    ("RUS", "Foreign Minister", "2022-11-13", "Sergey Lavrov"),
    ("UKR", "President", "2022-11-13", "Volodymyr Zelensky"),
    ("IND", "Prime Minister", "2022-11-13", "Narendra Modi"),
    ("PRK", "Supreme Leader", "2022-11-13", "Kim Jong Un"),
    ("IGO", "UN Secretary-General", "2022-11-13", "António Guterres"),
    ("IGO", "NATO Secretary-General", "2020-01-01", "Jens Stoltenberg"),
    ("KOR", "Defense Minister", "2022-11-13", "Lee Jong-sup"),
    ("JPN", "Foreign Minister", "2022-11-13", "Yoshimasa Hayashi"),
    # 1990s leaders of countries covered from 2000 onwards at first.
    ("USA", "President", "1990-06-01", "George H. W. Bush"),
    ("FRA", "President", "1993-01-01", "François Mitterrand"),
    ("GBR", "Prime Minister", "1995-01-01", "John Major"),
    ("DEU", "Chancellor", "1995-01-01", "Helmut Kohl"),
    ("RUS", "Prime Minister", "1995-01-01", "Viktor Chernomyrdin"),
    ("JPN", "Prime Minister", "1995-01-01", "Tomiichi Murayama"),
    ("CHN", "Premier", "1995-01-01", "Li Peng"),
    ("KOR", "President", "1995-01-01", "Kim Young-sam"),
    ("IND", "Prime Minister", "1993-01-01", "P. V. Narasimha Rao"),
    ("PAK", "Prime Minister", "1995-01-01", "Benazir Bhutto"),
    ("ISR", "Prime Minister", "1994-01-01", "Yitzhak Rabin"),
    ("PSE", "President", "2000-01-01", "Yasser Arafat"),
    ("EGY", "President", "2005-01-01", "Hosni Mubarak"),
    # Countries added in the worldwide extension.
    ("AGO", "President", "2010-01-01", "José Eduardo dos Santos"),
    ("LBY", "Leader", "2005-01-01", "Muammar Gaddafi"),
    ("ESP", "Prime Minister", "2010-01-01", "José Luis Rodríguez Zapatero"),
    ("IRL", "Taoiseach", "2000-01-01", "Bertie Ahern"),
    ("CHL", "President", "2020-01-01", "Sebastián Piñera"),
    ("VAT", "Pope", "2020-01-01", "Pope Francis"),
    ("KWT", "Emir", "2010-01-01", "Sabah Al-Ahmad Al-Jaber Al-Sabah"),
    ("NLD", "Prime Minister", "2015-01-01", "Mark Rutte"),
])
def test_known_office_holders(country, role, on, expected):
    assert holders(country, role, date.fromisoformat(on)) == [expected]


def test_nobody_is_listed_during_a_vacancy_and_a_term_end_is_exclusive():
    # Park Geun-hye was removed on 2017-03-10 and Moon Jae-in took office on 2017-05-10.
    assert holders("KOR", "President", date(2017, 4, 1)) == []
    assert holders("KOR", "President", date(2017, 5, 10)) == ["Moon Jae-in"]


def test_every_un_member_state_has_a_leader_listed():
    # All UN members except San Marino (two Captains Regent every six months), plus Kosovo.
    countries = {row["country"] for row in persons()}
    required = ("AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN "
                "BOL BIH BWA BRA BRN BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG COD "
                "CRI CIV HRV CUB CYP CZE DNK DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI FIN "
                "FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB GUY HTI HND HUN ISL IND IDN IRN IRQ "
                "IRL ISR ITA JAM JPN JOR KAZ KEN KIR PRK KOR KWT KGZ LAO LVA LBN LSO LBR LBY LIE "
                "LTU LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM MDA MCO MNG MNE MAR MOZ MMR "
                "NAM NRU NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT "
                "QAT ROU RUS RWA KNA LCA VCT WSM STP SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM ZAF "
                "SSD ESP LKA SDN SUR SWE CHE SYR TJK TZA THA TLS TGO TON TTO TUN TUR TKM TUV UGA "
                "UKR ARE GBR USA URY UZB VUT VEN VNM YEM ZMB ZWE TWN XKX PSE VAT").split()
    assert not [code for code in required if code not in countries]


def test_aliases_include_variant_spellings():
    aliases = {row["name"]: set(split_multi(row["aliases"])) for row in persons()}
    assert {"Yoon Suk-yeol", "Yoon Seok-youl"} <= aliases["Yoon Suk Yeol"]
    assert {"Zelenskyy", "Volodymyr Zelenskiy"} <= aliases["Volodymyr Zelensky"]
    assert "Kishida Fumio" in aliases["Fumio Kishida"]
    assert "Xi" in aliases["Xi Jinping"]
    assert "Yasir Arafat" in aliases["Yasser Arafat"]
    assert {"Jose Eduardo dos Santos", "Dos Santos"} <= aliases["José Eduardo dos Santos"]


# --- outlets.tsv -----------------------------------------------------------------------------

def test_outlets_table_has_columns_and_enough_rows():
    rows = outlets()
    assert len(rows) >= 60
    for row in rows:
        assert tuple(row) == OUTLET_COLUMNS, row
        assert row["name"] and row["domains"] and row["timezone"], row
        assert ISO3.match(row["country"]), row


def test_outlet_time_zones_load():
    for row in outlets():
        zoneinfo.ZoneInfo(row["timezone"])


def test_outlet_names_and_domains_are_unique():
    names = [row["name"].lower() for row in outlets()]
    assert len(names) == len(set(names))
    labels = names + [alias.lower() for row in outlets() for alias in split_multi(row["aliases"])]
    assert len(labels) == len(set(labels)), sorted({x for x in labels if labels.count(x) > 1})
    domains = [d for row in outlets() for d in split_multi(row["domains"])]
    assert len(domains) == len(set(domains))
    assert all(re.match(r"^[a-z0-9.-]+\.[a-z]{2,}$", d) for d in domains), domains


@pytest.mark.parametrize("name, timezone, country, domain", [
    ("The Korea Herald", "Asia/Seoul", "KOR", "koreaherald.com"),
    ("Voice of America", "America/New_York", "USA", "voanews.com"),
    ("Reuters", "Europe/London", "GBR", "reuters.com"),
    ("Agence France-Presse", "Europe/Paris", "FRA", "afp.com"),
])
def test_known_outlets(name, timezone, country, domain):
    row = next(r for r in outlets() if r["name"] == name)
    assert (row["timezone"], row["country"]) == (timezone, country)
    assert domain in split_multi(row["domains"])
