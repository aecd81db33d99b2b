"""The query layer: typed questions over the DuckDB store, answered with parameterised SQL.

The CLI (`gestae summary`, `gestae events`) and the web layer (`gestae serve`) are thin over these
functions; neither writes SQL of its own. Every value a user gives goes into the SQL as a `?`
parameter, never into its text: the only SQL text built here is chosen from fixed fragments (one per
filter), so a filter value can never change a query's shape.

Filters are checked before any SQL runs (`EventFilter.parse`, `check_page`, ...) and a bad value raises
`QueryError`, one line naming the parameter: the API answers it with 400, the CLI prints it.

Design notes:
- Country and dyad filters read the parties' countries stored on each event row
  (`events.actor_countries`, `recipient_countries`), so a filtered query is one scan of `events`;
  names are joined for the returned page only, after the top-N over keys.
- A dyad "in either direction" matches A acting on B, B acting on A, and a reciprocal event ("A and B
  met") whose parties include both.
- `num_sources` is that of the event's cluster (the same event reported by several outlets, see
  `gestae.dedup`); an event not clustered yet counts one source. The cluster tables are joined only
  when the filter or the order needs them.
- Dates are event dates (`events.date`); undated events are left out of date filters and time series.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import IO, Any, Iterable, Mapping, Optional

import duckdb

from gestae.errors import GestaeError
from gestae.knowledge import read_table

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000          # hard maximum of one page of any list
MAX_EXPORT = 10000        # hard maximum of one CSV/JSON export of the events filter
DEEP_OFFSET = 1000        # from this offset on, a page is sorted on its keys first
INTERVALS = ("day", "week", "month")
_COUNTRY = re.compile(r"^(?:[A-Z]{3}|IGO)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class QueryError(GestaeError):
    """A bad query parameter (the API answers 400 with this message)."""


@lru_cache(maxsize=1)
def plover_types() -> dict[str, str]:
    """PLOVER type -> quad class, from gestae/data/plover_types.tsv."""
    return {row["type"]: row["quad_class"] for row in read_table("plover_types.tsv")}


def quad_classes() -> list[str]:
    return sorted(set(plover_types().values()))


# ---------------------------------------------------------------------------------------------
# Checking parameters


def _text(name: str, value: Any) -> Optional[str]:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _date(name: str, value: Any) -> Optional[str]:
    text = _text(name, value)
    if text is None:
        return None
    try:
        if not _DATE.match(text):
            raise ValueError
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise QueryError(f"{name}: '{text}' is not a date (YYYY-MM-DD)") from None


def _number(name: str, value: Any, kind: type, low: float, high: Optional[float] = None):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise QueryError(f"{name}: '{value}' is not {'an integer' if kind is int else 'a number'}") from None
    if number < low or (high is not None and number > high):
        bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise QueryError(f"{name}: must be {bounds} (got {value})")
    return number


def _country(name: str, value: Any) -> Optional[str]:
    text = _text(name, value)
    if text is None:
        return None
    code = text.upper()
    if not _COUNTRY.match(code):
        raise QueryError(f"{name}: '{text}' is not an ISO 3166-1 alpha-3 country code (or IGO)")
    return code


def _types(value: Any) -> tuple[str, ...]:
    text = _text("type", value)
    if text is None:
        return ()
    known = plover_types()
    chosen = tuple(dict.fromkeys(part.strip().upper() for part in text.split(",") if part.strip()))
    for name in chosen:
        if name not in known:
            raise QueryError(f"type: '{name}' is not a PLOVER type (choose from {', '.join(known)})")
    return chosen


def _quad_class(value: Any) -> Optional[str]:
    text = _text("quad_class", value)
    if text is None:
        return None
    name = re.sub(r"[_\-\s]+", " ", text).upper()
    if name not in quad_classes():
        choices = ", ".join(q.lower().replace(" ", "_") for q in quad_classes())
        raise QueryError(f"quad_class: '{text}' is not a quad class (choose from {choices})")
    return name


def _dyad(value: Any) -> Optional[tuple[str, str]]:
    text = _text("dyad", value)
    if text is None:
        return None
    parts = [p for p in re.split(r"[,\-/ ]+", text) if p]
    if len(parts) != 2:
        raise QueryError(f"dyad: '{text}' must be two country codes, e.g. KOR,JPN")
    a, b = (_country("dyad", p) for p in parts)
    return a, b


def check_page(limit: Any = None, offset: Any = None, maximum: int = MAX_LIMIT) -> tuple[int, int]:
    """(limit, offset) checked against the hard maximum."""
    limit = _number("limit", limit, int, 1, maximum)
    offset = _number("offset", offset, int, 0)
    return (DEFAULT_LIMIT if limit is None else limit), (offset or 0)


def check_interval(value: Any) -> str:
    text = (_text("interval", value) or "week").lower()
    if text not in INTERVALS:
        raise QueryError(f"interval: '{text}' must be one of {', '.join(INTERVALS)}")
    return text


def _check_range(date_from: Optional[str], date_to: Optional[str]) -> None:
    if date_from and date_to and date_from > date_to:
        raise QueryError(f"date_from ({date_from}) is after date_to ({date_to})")


@dataclass(frozen=True)
class EventFilter:
    """What `events` selects. Empty fields select everything."""
    type: tuple[str, ...] = ()
    quad_class: Optional[str] = None
    actor_country: Optional[str] = None
    recipient_country: Optional[str] = None
    dyad: Optional[tuple[str, str]] = None
    date_from: Optional[str] = None
    date_to: Optional[str] = None
    min_confidence: Optional[float] = None
    min_sources: Optional[int] = None
    issue: Optional[str] = None
    article_id: Optional[str] = None

    @classmethod
    def parse(cls, params: Mapping[str, Any]) -> "EventFilter":
        """A filter from user parameters (query string, CLI flags); raises QueryError on a bad value."""
        unknown = set(k for k, v in params.items() if v not in (None, "")) - FILTER_FIELDS
        if unknown:
            raise QueryError(f"unknown filter {', '.join(sorted(unknown))} (filters: {', '.join(sorted(FILTER_FIELDS))})")
        chosen = cls(
            type=_types(params.get("type")),
            quad_class=_quad_class(params.get("quad_class")),
            actor_country=_country("actor_country", params.get("actor_country")),
            recipient_country=_country("recipient_country", params.get("recipient_country")),
            dyad=_dyad(params.get("dyad")),
            date_from=_date("date_from", params.get("date_from")),
            date_to=_date("date_to", params.get("date_to")),
            min_confidence=_number("min_confidence", params.get("min_confidence"), float, 0.0, 1.0),
            min_sources=_number("min_sources", params.get("min_sources"), int, 1),
            issue=_text("issue", params.get("issue")),
            article_id=_text("article_id", params.get("article_id")),
        )
        _check_range(chosen.date_from, chosen.date_to)
        return chosen

    def as_params(self) -> dict[str, str]:
        """The filter as query-string parameters (for links and exports)."""
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value in (None, (), ""):
                continue
            out[f.name] = ",".join(value) if isinstance(value, tuple) else str(value)
        if self.quad_class:
            out["quad_class"] = self.quad_class.lower().replace(" ", "_")
        return out


FILTER_FIELDS = frozenset(f.name for f in fields(EventFilter))


# ---------------------------------------------------------------------------------------------
# SQL fragments (fixed text; values only as parameters)
#
# Country conditions read `events.actor_countries` / `recipient_countries` (the country of each
# party, stored with the event by gestae.store): one scan of `events`, no join per query.

_ACTOR = "list_contains(e.actor_countries, ?)"
_RECIPIENT = "list_contains(e.recipient_countries, ?)"
_PARTY = "list_contains(list_concat(e.actor_countries, e.recipient_countries), ?)"
# A on B, B on A, or a reciprocal event ("A and B met") with both among its parties; the first test
# (B is a party at all) is cheap and lets DuckDB skip the others for most rows.
_DYAD = (f"(({_ACTOR} OR {_RECIPIENT}) AND "
         f"(({_ACTOR} AND {_RECIPIENT}) OR ({_ACTOR} AND {_RECIPIENT}) OR (e.reciprocal AND {_PARTY} AND {_PARTY})))")


def _party_tests(f: EventFilter) -> tuple[list[str], list[Any]]:
    tests: list[str] = []
    params: list[Any] = []
    if f.actor_country:
        tests.append(_ACTOR)
        params.append(f.actor_country)
    if f.recipient_country:
        tests.append(_RECIPIENT)
        params.append(f.recipient_country)
    if f.dyad:
        a, b = f.dyad
        tests.append(_DYAD)
        params += [b, b, a, b, b, a, a, b]
    return tests, params


def _conditions(f: EventFilter) -> tuple[str, list[Any]]:
    """The WHERE clause (over `events e`) that selects the events of `f`, and its parameters."""
    where, params = _party_tests(f)
    if f.type:
        where.append("list_contains(?::VARCHAR[], e.type)")  # a filter in the scan, not a semi-join
        params.append(list(f.type))
    if f.quad_class:
        where.append("e.quad_class = ?")
        params.append(f.quad_class)
    if f.date_from:
        where.append("e.date >= ?::DATE")
        params.append(f.date_from)
    if f.date_to:
        where.append("e.date <= ?::DATE")
        params.append(f.date_to)
    if f.min_confidence is not None:
        where.append("e.confidence >= ?")
        params.append(f.min_confidence)
    if f.issue:
        where.append("e.article_id IN (SELECT id FROM articles "
                     "WHERE list_contains(list_transform(issues, lambda x: lower(x)), lower(?)))")
        params.append(f.issue)
    if f.article_id:
        where.append("e.article_id = ?")
        params.append(f.article_id)
    if (f.min_sources or 0) > 1:  # every event has one source: min_sources 1 selects all
        # The few clusters with that many sources, then their members: a small semi-join.
        where.append("(e.article_id, e.event_id) IN (SELECT m.article_id, m.event_id FROM event_cluster_members m "
                     "WHERE m.cluster_id IN (SELECT cluster_id FROM event_clusters WHERE num_sources >= ?))")
        params.append(f.min_sources)
    return ("WHERE " + " AND ".join(where)) if where else "", params


_SOURCES_JOIN = """LEFT JOIN event_cluster_members ecm ON ecm.article_id = e.article_id AND ecm.event_id = e.event_id
    LEFT JOIN event_clusters ec ON ec.cluster_id = ecm.cluster_id"""

_EVENT_COLUMNS = """e.article_id, e.event_id, e.date, e.date_precision, e.type, e.mode, e.quad_class, e.score,
    e.cameo, e.confidence, e.negated, e.hypothetical, e.reciprocal, e.context, e.actors, e.recipients,
    e.actor_names, e.recipient_names, e.actor_countries, e.recipient_countries,
    e.location_name, e.location_country, e.lat, e.lon, e.trigger, e.sentence, e.span_start, e.span_end,
    e.date_text, e.planned_date, e.reported_by"""

ORDERS = {
    "date_desc": "date DESC NULLS LAST, article_id, event_id",
    "date_asc": "date ASC NULLS LAST, article_id, event_id",
    "confidence": "confidence DESC, date DESC NULLS LAST, article_id, event_id",
    "sources": "num_sources DESC, date DESC NULLS LAST, article_id, event_id",
}


def check_order(value: Any) -> str:
    text = _text("order", value) or "date_desc"
    if text not in ORDERS:
        raise QueryError(f"order: '{text}' must be one of {', '.join(ORDERS)}")
    return text


# ---------------------------------------------------------------------------------------------
# Results


@dataclass
class Page:
    """One page of a list: `items`, the `total` the filter selects, and where the next page starts."""
    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int
    next_offset: Optional[int] = field(default=None)

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "limit": self.limit, "offset": self.offset,
                "next_offset": self.next_offset, "items": self.items}


def _page(items: list[dict[str, Any]], total: int, limit: int, offset: int) -> Page:
    following = offset + len(items)
    return Page(items, total, limit, offset, following if following < total else None)


def _iso(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _records(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [{n: _iso(v) for n, v in zip(names, row)} for row in cursor.fetchall()]


def events(con: duckdb.DuckDBPyConnection, f: EventFilter = EventFilter(), limit: int = DEFAULT_LIMIT,
           offset: int = 0, order: str = "date_desc") -> Page:
    """A page of events with their parties (ids, names, countries), article and source count.

    A top-N scan of `events` (which carries the parties' names and countries) picks the page; only the
    page's rows are then looked up in `articles` and the cluster tables; the total is a count over the
    same filter (its own statement: sharing the page's, DuckDB would materialise every matching row)."""
    where, params = _conditions(f)
    by_sources = order == "sources"
    sources = ", coalesce(ec.num_sources, 1) AS num_sources" if by_sources else ""
    joins = _SOURCES_JOIN if by_sources else ""
    if offset < DEEP_OFFSET:
        page = (f"SELECT {_EVENT_COLUMNS}{sources} FROM events e {joins} {where} "
                f"ORDER BY {ORDERS[order]} LIMIT ? OFFSET ?")
    else:  # a deep page: sort the keys only, then read the page's rows (sorting wide rows costs 4x)
        page = f"""
            WITH keys AS (SELECT e.article_id, e.event_id, e.date, e.confidence{sources} FROM events e {joins}
                          {where} ORDER BY {ORDERS[order]} LIMIT ? OFFSET ?)
            SELECT {_EVENT_COLUMNS}{', keys.num_sources' if by_sources else ''} FROM events e
            JOIN keys ON keys.article_id = e.article_id AND keys.event_id = e.event_id
            WHERE e.article_id IN (SELECT article_id FROM keys)
            ORDER BY {ORDERS[order]}"""
    con.execute(page, params + [limit, offset])
    rows = _records(con)
    total = _count(con, f) if rows or offset else 0
    # The page's articles and clusters, by small key lists: separate statements plan faster than one
    # with three joins (planning is a good part of a request's cost at this size).
    by_article = {r["id"]: r for r in _records(con.execute(
        "SELECT id, outlet, title, published, url FROM articles WHERE list_contains(?::VARCHAR[], id)",
        [sorted({r["article_id"] for r in rows})]))} if rows else {}
    members = con.execute(
        "SELECT article_id, event_id, cluster_id FROM event_cluster_members "
        "WHERE list_contains(?::VARCHAR[], article_id)", [sorted(by_article)]).fetchall() if rows else []
    wanted = {(r["article_id"], r["event_id"]) for r in rows}
    cluster_of = {(a, e): c for a, e, c in members if (a, e) in wanted}
    num_sources = dict(con.execute(
        "SELECT cluster_id, num_sources FROM event_clusters WHERE list_contains(?::VARCHAR[], cluster_id)",
        [sorted(set(cluster_of.values()))]).fetchall()) if cluster_of else {}
    for r in rows:
        r.update({k: by_article.get(r["article_id"], {}).get(k) for k in ("outlet", "title", "published", "url")})
        r["cluster_id"] = cluster_of.get((r["article_id"], r["event_id"]))
        if not by_sources:
            r["num_sources"] = num_sources.get(r["cluster_id"], 1)
    items = [_event_item(r, _parties(r["actors"], r["actor_names"], r["actor_countries"]),
                         _parties(r["recipients"], r["recipient_names"], r["recipient_countries"]))
             for r in rows]
    return _page(items, total, limit, offset)


def _parties(ids: list[str], names: Optional[list[str]], countries: Optional[list[str]]) -> list[dict[str, str]]:
    names, countries = names or [], countries or []
    return [{"id": i, "name": names[n] if n < len(names) else i, "country": countries[n] if n < len(countries) else ""}
            for n, i in enumerate(ids)]


def _count(con: duckdb.DuckDBPyConnection, f: EventFilter) -> int:
    where, params = _conditions(f)
    return con.execute(f"SELECT count(*) FROM events e {where}", params).fetchone()[0]


def _event_item(row: dict[str, Any], actors: list[dict], recipients: list[dict]) -> dict[str, Any]:
    return {
        "article_id": row["article_id"], "event_id": row["event_id"], "date": row["date"],
        "date_precision": row["date_precision"], "date_text": row["date_text"], "planned_date": row["planned_date"],
        "type": row["type"], "mode": row["mode"], "quad_class": row["quad_class"], "score": row["score"],
        "cameo": row["cameo"], "confidence": row["confidence"], "negated": row["negated"],
        "hypothetical": row["hypothetical"], "reciprocal": row["reciprocal"], "context": row["context"],
        "actors": actors, "recipients": recipients,
        "location": ({"name": row["location_name"], "country": row["location_country"], "lat": row["lat"],
                      "lon": row["lon"]} if row["location_name"] else None),
        "trigger": row["trigger"], "sentence": row["sentence"], "span": [row["span_start"], row["span_end"]],
        "reported_by": row["reported_by"], "num_sources": row["num_sources"], "cluster_id": row["cluster_id"],
        "outlet": row["outlet"], "title": row["title"], "published": row["published"], "url": row["url"],
    }


FLAT_EVENT_COLUMNS = ("article_id", "event_id", "date", "type", "mode", "quad_class", "score", "actors",
                      "actor_countries", "recipients", "recipient_countries", "negated", "hypothetical",
                      "confidence", "num_sources", "location", "trigger", "sentence", "outlet", "title")


def flat_event(item: dict[str, Any]) -> dict[str, Any]:
    """An event item as one flat row (CSV, tables): parties as 'name (ISO3)' joined by '; '."""
    def names(parties: list[dict]) -> str:
        return "; ".join(f"{p['name']} ({p['country'] or '?'})" for p in parties)

    def countries(parties: list[dict]) -> str:
        return ";".join(p["country"] or "" for p in parties)

    location = item["location"] or {}
    return {
        "article_id": item["article_id"], "event_id": item["event_id"], "date": item["date"],
        "type": item["type"], "mode": item["mode"], "quad_class": item["quad_class"], "score": item["score"],
        "actors": names(item["actors"]), "actor_countries": countries(item["actors"]),
        "recipients": names(item["recipients"]), "recipient_countries": countries(item["recipients"]),
        "negated": item["negated"], "hypothetical": item["hypothetical"], "confidence": item["confidence"],
        "num_sources": item["num_sources"], "location": location.get("name"), "trigger": item["trigger"],
        "sentence": item["sentence"], "outlet": item["outlet"], "title": item["title"],
    }


def articles(con: duckdb.DuckDBPyConnection, q: Optional[str] = None, outlet: Optional[str] = None,
             date_from: Optional[str] = None, date_to: Optional[str] = None, limit: int = DEFAULT_LIMIT,
             offset: int = 0) -> Page:
    """A page of articles, newest first: search `q` in title and text, `outlet`, publication date range."""
    date_from, date_to = _date("date_from", date_from), _date("date_to", date_to)
    _check_range(date_from, date_to)
    where, params = [], []
    if _text("q", q):
        where.append("contains(lower(coalesce(title, '') || ' ' || text), lower(?))")
        params.append(q.strip())
    if _text("outlet", outlet):
        where.append("lower(outlet) = lower(?)")
        params.append(outlet.strip())
    if date_from:
        where.append("published_at >= ?::DATE")
        params.append(date_from)
    if date_to:
        where.append("published_at < ?::DATE + INTERVAL 1 DAY")
        params.append(date_to)
    con.execute(f"""
        SELECT id, outlet, title, published, url, issues, num_events, num_actors, num_quotes,
               left(text, 240) AS snippet, count(*) OVER () AS _total
        FROM articles {'WHERE ' + ' AND '.join(where) if where else ''}
        ORDER BY published_at DESC NULLS LAST, id LIMIT ? OFFSET ?""", params + [limit, offset])
    rows = _records(con)
    total = rows[0].pop("_total") if rows else 0
    for row in rows[1:]:
        row.pop("_total")
    if not rows and offset:
        total = con.execute(f"SELECT count(*) FROM articles {'WHERE ' + ' AND '.join(where) if where else ''}",
                            params).fetchone()[0]
    return _page(rows, total, limit, offset)


def article(con: duckdb.DuckDBPyConnection, article_id: str) -> Optional[dict[str, Any]]:
    """The stored article JSON (exactly what `extract` printed); an exact id or a unique prefix."""
    key = (article_id or "").strip()
    if not key:
        return None
    rows = con.execute("SELECT json FROM articles WHERE id = ?", [key]).fetchall()
    if not rows:
        rows = con.execute("SELECT json FROM articles WHERE starts_with(id, ?) LIMIT 2", [key]).fetchall()
    if len(rows) != 1:
        return None
    return json.loads(rows[0][0])


def event_clusters_of(con: duckdb.DuckDBPyConnection, article_id: str) -> dict[str, dict[str, Any]]:
    """event id -> {cluster_id, num_sources, num_articles} for one article's events."""
    rows = con.execute(
        "SELECT m.event_id, c.cluster_id, c.num_sources, c.num_articles FROM event_cluster_members m "
        "JOIN event_clusters c USING (cluster_id) WHERE m.article_id = ?", [article_id]).fetchall()
    return {r[0]: {"cluster_id": r[1], "num_sources": r[2], "num_articles": r[3]} for r in rows}


def dyad_series(con: duckdb.DuckDBPyConnection, a: str, b: str, interval: str = "week",
                date_from: Optional[str] = None, date_to: Optional[str] = None) -> dict[str, Any]:
    """Events between countries a and b (either direction) per period and quad class: counts, mean
    PLOVER score, distinct sources; and per period over all classes."""
    a, b = _country("a", a), _country("b", b)
    if not a or not b:
        raise QueryError("a dyad needs two country codes")
    interval = check_interval(interval)
    f = EventFilter(dyad=(a, b), date_from=_date("date_from", date_from), date_to=_date("date_to", date_to))
    _check_range(f.date_from, f.date_to)
    where, params = _conditions(f)
    con.execute(f"""
        SELECT date_trunc(?, e.date)::DATE AS period, e.quad_class, count(*) AS events,
               round(avg(e.score), 2) AS mean_score,
               count(DISTINCT coalesce(nullif(trim(ar.outlet), ''), e.article_id)) AS sources,
               grouping(e.quad_class) AS all_classes
        FROM events e JOIN articles ar ON ar.id = e.article_id
        {where} {'AND' if where else 'WHERE'} e.date IS NOT NULL
        GROUP BY GROUPING SETS ((period, e.quad_class), (period))
        ORDER BY period, all_classes, e.quad_class""", [interval] + params)
    series, periods = [], []
    for row in _records(con):
        all_classes = row.pop("all_classes")
        if all_classes:
            row.pop("quad_class")
            periods.append(row)
        else:
            series.append(row)
    undated = _count(con, EventFilter(dyad=(a, b))) - sum(p["events"] for p in periods) \
        if not (f.date_from or f.date_to) else None
    return {"a": a, "b": b, "interval": interval, "series": series, "periods": periods,
            "undated_events": undated}


def top_dyads(con: duckdb.DuckDBPyConnection, limit: int = 10, offset: int = 0) -> Page:
    """Country pairs (unordered, two different countries) with the most events between them."""
    con.execute("""
        WITH sides AS (
            SELECT article_id, event_id, score, date, reciprocal,
                   list_filter(list_distinct(actor_countries), lambda c: c NOT IN ('', 'IGO')) AS xs,
                   list_filter(list_distinct(recipient_countries), lambda c: c NOT IN ('', 'IGO')) AS ys
            FROM events
        ), pairs AS (
            -- actor on recipient; for a reciprocal event ("A and B met"), any two of its parties
            SELECT DISTINCT article_id, event_id, score, date, least(x, y) AS a, greatest(x, y) AS b
            FROM (SELECT *, unnest(others) AS y
                  FROM (SELECT article_id, event_id, score, date,
                               unnest(CASE WHEN reciprocal THEN list_concat(xs, ys) ELSE xs END) AS x,
                               CASE WHEN reciprocal THEN list_concat(xs, ys) ELSE ys END AS others
                        FROM sides))
            WHERE x <> y
        )
        SELECT a, b, count(*) AS events, round(avg(score), 2) AS mean_score,
               min(date) AS first_date, max(date) AS last_date, count(*) OVER () AS _total
        FROM pairs GROUP BY a, b ORDER BY events DESC, a, b LIMIT ? OFFSET ?""", [limit, offset])
    rows = _records(con)
    total = rows[0]["_total"] if rows else 0
    for row in rows:
        del row["_total"]
    return _page(rows, total, limit, offset)


def latest_articles(con: duckdb.DuckDBPyConnection, limit: int = 10) -> list[dict[str, Any]]:
    return articles(con, limit=limit).items


def summary(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """What the database holds: row counts, date ranges, events per quad class and type, outlets."""
    counts = {table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
              for table in ("articles", "actors", "events", "quotes", "places", "ingest_errors")}
    first, last, dated = con.execute(
        "SELECT min(date), max(date), count(date) FROM events").fetchone()
    published = con.execute("SELECT min(published_at)::DATE, max(published_at)::DATE FROM articles").fetchone()
    by_class = dict(con.execute(
        "SELECT quad_class, count(*) FROM events GROUP BY ALL ORDER BY 2 DESC, 1").fetchall())
    by_type = dict(con.execute("SELECT type, count(*) FROM events GROUP BY ALL ORDER BY 2 DESC, 1").fetchall())
    outlets = con.execute(
        "SELECT outlet, count(*) FROM articles WHERE coalesce(outlet, '') <> '' GROUP BY ALL "
        "ORDER BY 2 DESC, 1 LIMIT 20").fetchall()
    stories = con.execute("SELECT count(DISTINCT group_id) FROM story_groups").fetchone()[0]
    clusters = con.execute("SELECT count(*) FROM event_clusters").fetchone()[0]
    return {
        "counts": counts,
        "event_dates": {"first": _iso(first), "last": _iso(last), "dated": dated},
        "published": {"first": _iso(published[0]), "last": _iso(published[1])},
        "events_by_quad_class": by_class, "events_by_type": by_type,
        "outlets": [{"outlet": o, "articles": n} for o, n in outlets],
        "story_groups": stories, "event_clusters": clusters,
    }


def outlets(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT DISTINCT outlet FROM articles WHERE coalesce(outlet, '') <> '' ORDER BY 1").fetchall()]


def issues(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT DISTINCT unnest(issues) AS i FROM articles ORDER BY 1").fetchall()]


def countries(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT DISTINCT country FROM actors WHERE coalesce(country, '') <> '' ORDER BY 1").fetchall()]


def write_events_csv(items: Iterable[dict[str, Any]], handle: IO[str]) -> None:
    """Event items as CSV (one flat row each, FLAT_EVENT_COLUMNS), for the CLI and the API exports."""
    import csv

    writer = csv.DictWriter(handle, fieldnames=FLAT_EVENT_COLUMNS)
    writer.writeheader()
    writer.writerows(flat_event(i) for i in items)
