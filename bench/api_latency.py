#!/usr/bin/env python3
"""Latency of the REST API (`gestae serve`) on a large database: p50/p95 per filtered `/api/events` query.

    .venv/bin/python bench/api_latency.py CORPUS.jsonl --articles 10000 [--base 1000] [--db PATH]
    .venv/bin/python bench/api_latency.py --db PATH            (an existing database)

Building the database. `--base N` articles are made from the corpus exactly as `bench/throughput.py
--scale N` makes them (replicas with light perturbation) and go through the full pipeline
(`gestae ingest --workers 2`). The database is then grown to `--articles` by copying every stored row
of those articles (articles, actors, events, quotes, places) under new ids, each copy shifted by a
whole number of weeks and credited to another outlet, and the duplicate/cluster tables are rebuilt by
`gestae dedup`. Why copies and not 10,000 runs of the pipeline: a query's cost depends on how many
rows it scans and on their distribution, not on how the NLP produced them, and the full pipeline
needs 20+ minutes per 10,000 articles on the 2-core machines here. The copies keep the real mix of
types, countries and confidences; the week shifts spread the dyad time series over months; the outlet
changes make `num_sources` vary, so `min_sources` filters have something to select.

Measuring. A real server (`gestae serve`, uvicorn, one process) is started on 127.0.0.1; after a
warm-up, `--repeat` rounds each send every query once over HTTP (interleaved, so that drift in the
machine's load hits all queries alike). The baseline in the same run is the server's cheapest endpoint
(`/api/health`, no database work). "CPU ms" is the server process's CPU time per request, read from
/proc around each request: what a request costs, whatever else the machine is doing.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import build_corpus  # noqa: E402  (same replication as --scale)

QUERIES = [
    ("health (baseline)", "/api/health"),
    ("events, no filter", "/api/events?limit=50"),
    ("type", "/api/events?type=ASSAULT&limit=50"),
    ("quad class + date range", "/api/events?quad_class=material_conflict&date_from=2025-04-01&date_to=2025-06-30"),
    ("actor country", "/api/events?actor_country=USA&limit=50"),
    ("dyad either direction", "/api/events?dyad=USA,IRN&limit=50"),
    ("recipient + min confidence", "/api/events?recipient_country=UKR&min_confidence=0.6"),
    ("min sources", "/api/events?min_sources=2&limit=50"),
    ("issue", "/api/events?issue=sanctions&limit=50"),
    ("all filters", "/api/events?type=CONSULT&actor_country=USA&date_from=2025-01-01&min_confidence=0.3"
                    "&min_sources=1&limit=20"),
    ("deep page", "/api/events?offset=5000&limit=100"),
    ("dyad series by week", "/api/dyads/USA/IRN?interval=week"),
    ("summary", "/api/summary"),
]

TABLES = ("articles", "actors", "events", "quotes", "places")


def ingest_base(corpus: Path, size: int, db: Path) -> None:
    records = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"corpus-{size}.jsonl"
        build_corpus(records, size, path)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "gestae", "ingest", str(path), "--db", str(db), "--quiet",
                        "--workers", "2"], check=True)
        print(f"ingested {size} articles through the pipeline in {time.perf_counter() - started:.0f}s")


def replicate(db: Path, target: int) -> None:
    """Copy every row of the ingested articles under new ids until the database holds `target` articles."""
    import duckdb

    con = duckdb.connect(str(db))
    base = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    copies = -(-target // base) - 1
    columns = {t: [r[0] for r in con.execute(f"DESCRIBE {t}").fetchall()] for t in TABLES}
    # Per table, the expressions that change in a copy (the rest is copied as is).
    changed = {
        "articles": {"id": "id || '-c' || k", "outlet": "coalesce(outlet, '') || ' copy ' || (k % 7)",
                     "published_at": "published_at + to_weeks(k::INTEGER)",
                     "published": "strftime(published_at + to_weeks(k::INTEGER), '%Y-%m-%dT%H:%M:%S+00:00')",
                     "json": "json"},
        "actors": {"article_id": "article_id || '-c' || k"},
        "events": {"article_id": "article_id || '-c' || k", "date": "date + to_weeks(k::INTEGER)",
                   "planned_date": "planned_date + to_weeks(k::INTEGER)"},
        "quotes": {"article_id": "article_id || '-c' || k"},
        "places": {"article_id": "article_id || '-c' || k"},
    }
    con.execute("BEGIN TRANSACTION")
    for table in TABLES:
        cols = columns[table]
        select = ", ".join(changed[table].get(c, c) for c in cols)
        source = "(SELECT * FROM articles WHERE id NOT LIKE '%-c%')" if table == "articles" else \
            f"(SELECT * FROM {table} WHERE article_id NOT LIKE '%-c%')"
        con.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {select} FROM {source}, "
                    f"range(1, {copies + 1}) AS r(k)")
    # Keep exactly `target` articles: drop the surplus copies (and their rows).
    con.execute(f"CREATE TEMP TABLE surplus AS SELECT id FROM articles ORDER BY (id NOT LIKE '%-c%') DESC, "
                f"id OFFSET {target}")
    con.execute("DELETE FROM articles WHERE id IN (SELECT id FROM surplus)")
    for table in TABLES[1:]:
        con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT id FROM surplus)")
    con.execute("COMMIT")
    # The stored article JSON keeps the original's id; give each copy its own.
    con.execute("UPDATE articles SET json = json_merge_patch(json, json_object('id', id)) WHERE id LIKE '%-c%'")
    con.close()
    subprocess.run([sys.executable, "-m", "gestae", "dedup", "--db", str(db)], check=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"bench: server did not start at {url}")


def timed(url: str) -> tuple[float, int]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        body = response.read()
    return (time.perf_counter() - started) * 1000, len(body)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (and its threads) so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(db: Path, repeat: int) -> None:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "gestae", "serve", "--db", str(db), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    root = f"http://127.0.0.1:{port}"
    try:
        wait_up(root + "/api/health")
        summary = json.loads(urllib.request.urlopen(root + "/api/summary").read())
        counts = summary["counts"]
        print(f"database: {db} ({counts['articles']} articles, {counts['events']} events, "
              f"{counts['actors']} actors)")
        print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
        print("server CPU = CPU time the server process spent per request (independent of other load)")
        print(f"{'query':32s}{'rows':>7s}{'total':>8s}{'p50 ms':>9s}{'p95 ms':>9s}{'max ms':>9s}"
              f"{'CPU ms':>8s}{'KiB':>7s}")
        # Rounds over all queries (not all repeats of one query, then the next): drift in the machine's
        # load then hits every query alike. CPU per query is read around each of its requests.
        urls = [root + path for _, path in QUERIES]
        firsts = [json.loads(urllib.request.urlopen(url).read()) for url in urls]
        for url in urls * 3:
            timed(url)
        runs: list[list[tuple[float, int]]] = [[] for _ in urls]
        cpu = [0.0] * len(urls)
        for _ in range(repeat):
            for n, url in enumerate(urls):
                before = cpu_seconds(server.pid)
                runs[n].append(timed(url))
                cpu[n] += cpu_seconds(server.pid) - before
        for (name, _), first, times, spent in zip(QUERIES, firsts, runs, cpu):
            ms = sorted(r[0] for r in times)
            p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
            rows = len(first.get("items", first.get("series", []))) if isinstance(first, dict) else 0
            total = first.get("total", "") if isinstance(first, dict) else ""
            print(f"{name:32s}{rows:7d}{str(total):>8s}{statistics.median(ms):9.1f}{p95:9.1f}{ms[-1]:9.1f}"
                  f"{spent * 1000 / repeat:8.1f}{times[0][1] / 1024:7.0f}")
        print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, nargs="?", help="JSONL corpus (to build the database)")
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "gestae-bench-api.duckdb")
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--base", type=int, default=1000, help="articles run through the full pipeline")
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--rebuild", action="store_true", help="build the database even if it exists")
    args = parser.parse_args()
    if args.rebuild or not args.db.exists():
        if args.corpus is None or not args.corpus.is_file():
            sys.exit("bench: give a corpus (JSONL) to build the database")
        for suffix in ("", ".wal"):
            Path(str(args.db) + suffix).unlink(missing_ok=True)
        ingest_base(args.corpus, min(args.base, args.articles), args.db)
        if args.articles > args.base:
            replicate(args.db, args.articles)
    os.environ.setdefault("GESTAE_LOG", "warning")
    measure(args.db, args.repeat)


if __name__ == "__main__":
    main()
