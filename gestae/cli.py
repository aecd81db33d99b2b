"""The command line: a thin layer over the pipeline and the store.

    gestae extract FILE...            article JSON on stdout (json | jsonl | table)
    gestae ingest PATH... --db DB     store articles in DuckDB (idempotent)
    gestae show ID --db DB            a stored article's JSON
    gestae export --format F --db DB  jsonl | csv | parquet
    gestae summary --db DB            counts and the latest events
    gestae events --db DB [filters]   events by type, countries, dyad, dates (table | json | jsonl | csv)
    gestae serve --db DB              web pages and the REST API on http://127.0.0.1:8000/
    gestae evaluate GOLD.jsonl        precision/recall on PLOVER-style gold records

Problems with the input are one line on stderr each; the exit status is non-zero only when nothing
could be processed. No traceback reaches the user.
"""
from __future__ import annotations

import json
import re
import signal
import sys
import time
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from gestae.errors import GestaeError
from gestae.knowledge import USER_FILES
from gestae.model import FORMATS, Article, IngestError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="gestae: who did what to whom, when, where, about what, and who said so.")
stderr = Console(stderr=True, highlight=False, soft_wrap=True)

DEFAULT_DB = "gestae.duckdb"
ERROR_BATCH = 500  # input errors buffered before they are written (each write is a commit)


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
INTERRUPTED = 130  # exit status after Ctrl-C (128 + SIGINT), as shells report it


class Interrupted(GestaeError):
    """Ctrl-C: the run stopped cleanly, keeping what was done."""


class OutputFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    table = "table"


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


class Engine(str, Enum):
    local = "local"
    ray = "ray"


InputFormat = Enum("InputFormat", {f: f for f in FORMATS}, type=str)

INPUT_FORMAT_OPTION = typer.Option(None, "--input-format", "-f", help="Override format detection.")
KB_OPTION = typer.Option(None, "--kb", help="Extra actors file (TSV, columns as gestae/data/persons.tsv).")
ISSUES_OPTION = typer.Option(None, "--issues", help="Extra issues file (TSV, columns as gestae/data/issues.tsv).")
MIN_CONFIDENCE_OPTION = typer.Option(0.0, "--min-confidence", min=0.0, max=1.0,
                                     help="Keep only events at least this confident (see README, Accuracy).")


def shown(value: object) -> Text:
    """A value as a table cell: control characters (a title's escape sequences) become spaces and
    brackets stay literal (text from articles is never terminal codes or rich markup)."""
    return Text(_CONTROL_CHARACTERS.sub(" ", "" if value is None else str(value)))


def report(error: IngestError) -> None:
    """One line on stderr (a control character in a file name or message cannot break it)."""
    stderr.print(f"gestae: {_CONTROL_CHARACTERS.sub(' ', error.line())}", markup=False)


def report_warnings(article: Article) -> list[IngestError]:
    """Stage failures on an article that was still processed: reported like input errors."""
    problems = [IngestError(article.source, warning) for warning in article.warnings]
    for problem in problems:
        report(problem)
    return problems


def _register_knowledge(kb: Optional[List[Path]], issues: Optional[List[Path]]) -> None:
    for path in kb or []:
        USER_FILES.add("persons", path)
    for path in issues or []:
        USER_FILES.add("issues", path)


def _records(paths: List[str], input_format: Optional[InputFormat]):
    from gestae.ingest import read_paths
    return read_paths(paths, input_format.value if input_format else None)


def events_table(article: Article) -> Table:
    names = {a.id: f"{a.name} ({a.country or '?'}/{a.sector or '?'})" for a in article.actors}
    table = Table(title=shown(f"{article.title or article.source.path} — {article.outlet} {article.published or ''}"))
    for column in ("type", "mode", "actors", "recipients", "date", "location", "trigger"):
        table.add_column(column)
    for e in article.events:
        flags = (" (negated)" if e.negated else "") + (" (hypothetical)" if e.hypothetical else "")
        table.add_row(*map(shown, (e.type + flags, e.mode, ", ".join(names.get(i, i) for i in e.actors),
                                   ", ".join(names.get(i, i) for i in e.recipients), e.date or "",
                                   e.location.name if e.location else "", e.trigger)))
    return table


@app.command()
def extract(paths: List[str] = typer.Argument(..., help="Files, directories, or - for stdin."),
            format: OutputFormat = typer.Option(OutputFormat.json, "--format", help="json | jsonl | table"),
            input_format: Optional[InputFormat] = INPUT_FORMAT_OPTION,
            kb: Optional[List[Path]] = KB_OPTION, issues: Optional[List[Path]] = ISSUES_OPTION,
            min_confidence: float = MIN_CONFIDENCE_OPTION,
            debug: bool = typer.Option(False, "--debug", help="Also print event candidates that are no records "
                                                             "(no explicit actor, below --min-confidence).")) -> None:
    """Print the article JSON for each input article."""
    from gestae.pipeline import keep_confident, process

    _register_knowledge(kb, issues)
    out = Console(highlight=False, soft_wrap=True)
    ok = failed = 0
    collected: list[dict] = []
    for item in process(_records(paths, input_format)):
        if isinstance(item, IngestError):
            failed += 1
            report(item)
            if format is OutputFormat.jsonl:
                sys.stdout.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
            continue
        ok += 1
        report_warnings(item)
        keep_confident(item, min_confidence)
        if format is OutputFormat.jsonl:
            sys.stdout.write(json.dumps(item.to_dict(debug=debug), ensure_ascii=False) + "\n")
        elif format is OutputFormat.table:
            out.print(events_table(item))
        else:
            collected.append(item.to_dict(debug=debug))
    if format is OutputFormat.json and collected:
        payload = collected[0] if len(collected) == 1 else collected
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()
    if ok == 0:
        raise GestaeError(f"nothing could be processed ({failed} error{'s' if failed != 1 else ''})")


class CtrlC:
    """Ctrl-C during ingest, noted as well as raised. A KeyboardInterrupt raised while DuckDB runs a
    statement can be swallowed inside it (the statement then completes), so the loop also asks
    `check()` after each write: a Ctrl-C is never lost, it only takes effect one batch later."""

    def __init__(self) -> None:
        self.seen = False
        self.previous = None

    def _handle(self, signum, frame) -> None:
        self.seen = True
        raise KeyboardInterrupt

    def __enter__(self) -> "CtrlC":
        try:
            self.previous = signal.signal(signal.SIGINT, self._handle)
        except ValueError:  # not the main thread: Ctrl-C is not ours to handle
            self.previous = None
        return self

    def __exit__(self, *exc) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)

    def check(self) -> None:
        if self.seen:
            raise KeyboardInterrupt


@app.command()
def ingest(paths: List[str] = typer.Argument(..., help="Files, directories, or - for stdin."),
           db: Path = typer.Option(DEFAULT_DB, "--db", help="DuckDB database file."),
           input_format: Optional[InputFormat] = INPUT_FORMAT_OPTION,
           batch_size: int = typer.Option(16, "--batch-size", min=1, help="Articles per spaCy batch."),
           workers: int = typer.Option(1, "--workers", "-w", min=1, help="Worker processes."),
           engine: Engine = typer.Option(Engine.local, "--engine", help="local | ray"),
           address: Optional[str] = typer.Option(None, "--address",
                                                 help="Ray cluster address (default: start Ray here)."),
           kb: Optional[List[Path]] = KB_OPTION, issues: Optional[List[Path]] = ISSUES_OPTION,
           min_confidence: float = MIN_CONFIDENCE_OPTION,
           quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar.")) -> None:
    """Store articles in the database; an article already stored is skipped."""
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from gestae.engine import run_local, run_ray
    from gestae.pipeline import AlreadyStored, keep_confident
    from gestae.store import Store

    _register_knowledge(kb, issues)
    stored = skipped = failed = 0
    started = time.perf_counter()
    with CtrlC() as ctrl_c, Store(db) as store, \
            Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                     console=stderr, disable=quiet, transient=True) as progress:
        task = progress.add_task("ingesting", total=None)
        known = store.all_ids()
        records = _records(paths, input_format)
        if engine is Engine.ray:
            items = run_ray(records, address=address, workers=workers, batch_size=batch_size, known_ids=known)
        else:
            items = run_local(records, workers=workers, batch_size=batch_size, known_ids=known)
        pending: list[Article] = []
        problems: list[IngestError] = []

        def write_pending() -> None:
            """One transaction per batch of articles, with their warnings and the errors met meanwhile:
            per-article commits dominate ingest time, and a kill never keeps an article without them."""
            nonlocal stored, skipped, failed
            outcomes = store.add_batch(pending, problems)
            batch = pending[:]
            pending.clear()
            problems.clear()
            for article, outcome in zip(batch, outcomes):
                if outcome is True:
                    stored += 1
                    report_warnings(article)
                elif outcome is False:
                    skipped += 1
                    report_warnings(article)  # a copy's warnings are about its own record
                else:
                    failed += 1
                    report(outcome)

        try:
            for item in items:
                if isinstance(item, IngestError):
                    failed += 1
                    report(item)
                    problems.append(item)
                elif isinstance(item, AlreadyStored):
                    skipped += 1
                    for warning in item.warnings:
                        report(IngestError(item.source, warning))
                        problems.append(IngestError(item.source, warning))
                else:
                    pending.append(keep_confident(item, min_confidence))
                if len(pending) >= batch_size or len(problems) >= ERROR_BATCH:
                    write_pending()
                    ctrl_c.check()
                done = stored + skipped + failed + len(pending)
                rate = done / max(time.perf_counter() - started, 1e-9)
                progress.update(task, advance=1, description=f"{stored} stored, {skipped} already there, "
                                                             f"{failed} errors ({rate:.1f} articles/s)")
            write_pending()
            ctrl_c.check()
            # Every run refreshes (incrementally): a refresh a kill cut short is done by the next run.
            # It starts on a fresh connection: what the inserts left in DuckDB's memory would count
            # against the cap (a 30,000-article ingest's refresh ran out of it, a separate one did not).
            store.reconnect()
            _refresh_duplicates(store)
        except KeyboardInterrupt:
            previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the last write
            try:
                progress.stop()
                write_pending()  # articles already processed are kept
            finally:
                signal.signal(signal.SIGINT, previous)
            raise Interrupted(f"interrupted: {stored} articles stored, rerun to resume") from None
    elapsed = time.perf_counter() - started
    stderr.print(f"gestae: {stored} stored, {skipped} already in {db}, {failed} errors "
                 f"in {elapsed:.1f}s", markup=False)
    if stored + skipped == 0:
        raise GestaeError("nothing could be processed")


def _refresh_duplicates(store, threshold: Optional[float] = None, full: bool = False) -> None:
    """Regroup duplicate stories and re-cluster events reported by several articles."""
    from gestae import dedup

    options = {"full": full} if threshold is None else {"threshold": threshold, "full": full}
    stats = dedup.refresh(store, **options)
    stories, events = stats["stories"], stats["events"]
    stderr.print(f"gestae: {stories['articles']} articles tell {stories['groups']} distinct stories; "
                 f"{events['events']} coded events are {events['clusters']} distinct events", markup=False)


@app.command()
def dedup(db: Path = typer.Option(DEFAULT_DB, "--db"),
          threshold: Optional[float] = typer.Option(None, "--threshold", min=0.1, max=1.0,
                                                    help="Jaccard similarity for duplicate stories (0.8)."),
          full: bool = typer.Option(False, "--full", help="Compare every article again and rebuild every event cluster.")) -> None:
    """Group duplicate stories and merge events reported by several articles (ingest does this too)."""
    from gestae.store import Store

    if not db.exists():
        raise GestaeError(f"{db}: no such database (run 'gestae ingest' first)")
    with Store(db) as store:
        _refresh_duplicates(store, threshold, full)


@app.command()
def show(article_id: str = typer.Argument(..., help="Article id (or a unique prefix)."),
         db: Path = typer.Option(DEFAULT_DB, "--db")) -> None:
    """Print a stored article's JSON."""
    from gestae.store import Store

    with Store(db, read_only=True) as store:
        found = store.article_json(article_id)
    if found is None:
        raise GestaeError(f"{db}: no article with id '{article_id}'")
    sys.stdout.write(json.dumps(found, ensure_ascii=False, indent=2) + "\n")


@app.command()
def export(format: ExportFormat = typer.Option(ExportFormat.jsonl, "--format", help="jsonl | csv | parquet"),
           out: Optional[Path] = typer.Option(None, "--out", help="Output file (default: stdout for jsonl)."),
           table: str = typer.Option("event_view", "--table",
                                     help="For csv/parquet: articles, actors, events, quotes, places, "
                                          "ingest_errors or event_view (events with their actors)."),
           db: Path = typer.Option(DEFAULT_DB, "--db")) -> None:
    """Export the database: full article JSON lines, or one table as CSV/Parquet."""
    from gestae.store import Store

    with Store(db, read_only=True) as store:
        if format is ExportFormat.jsonl:
            handle = open(out, "w", encoding="utf-8") if out else sys.stdout
            try:
                for line in store.iter_article_json():
                    handle.write(line + "\n")
            finally:
                if out:
                    handle.close()
            return
        if out is None:
            raise GestaeError(f"--out is required for --format {format.value}")
        store.export_table(table, str(out), format.value)
    stderr.print(f"gestae: wrote {out}", markup=False)


@app.command()
def summary(db: Path = typer.Option(DEFAULT_DB, "--db"),
            limit: int = typer.Option(20, "--limit", help="How many articles and events to list.")) -> None:
    """Counts of what the database holds, its articles and their events."""
    from gestae import queries
    from gestae.store import open_for_reading

    out = Console(highlight=False)
    with open_for_reading(db) as store:
        counts = queries.summary(store.con)["counts"]
        articles = [(a["id"], (a["published"] or "")[:16], a["outlet"], a["title"], a["num_events"])
                    for a in queries.latest_articles(store.con, limit)]
        events = [_event_cells(e) for e in queries.events(store.con, limit=limit).items]
    totals = Table(title=f"{db}")
    for name in counts:
        totals.add_column(name, justify="right")
    totals.add_row(*(str(v) for v in counts.values()))
    out.print(totals)
    out.print(_listing("articles", ("id", "published", "outlet", "title", "events"), articles,
                       widths={"id": 10, "title": 48}, keep={"events", "published"}))
    out.print(_listing("events", ("date", "type", "actors", "recipients", "where", "trigger"), events,
                       widths={"actors": 30, "recipients": 30, "where": 16}, keep={"date", "type"}))


def _event_cells(e: dict) -> tuple:
    """An event item as summary/table cells: parties as 'name ISO3'."""
    def parties(items: list[dict]) -> str:
        return ", ".join(f"{p['name']} {p['country'] or '?'}" for p in items)

    return (e["date"], e["type"] + (" (not)" if e["negated"] else ""), parties(e["actors"]),
            parties(e["recipients"]), (e["location"] or {}).get("name"), e["trigger"])


class EventsFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


@app.command()
def events(db: Path = typer.Option(DEFAULT_DB, "--db"),
           type: Optional[str] = typer.Option(None, "--type", help="PLOVER type(s), comma-separated."),
           quad_class: Optional[str] = typer.Option(None, "--quad-class",
                                                    help="verbal_cooperation, material_conflict, ..."),
           actor_country: Optional[str] = typer.Option(None, "--actor-country", help="ISO3 (or IGO)."),
           recipient_country: Optional[str] = typer.Option(None, "--recipient-country", help="ISO3 (or IGO)."),
           dyad: Optional[str] = typer.Option(None, "--dyad", help="Two ISO3 codes, either direction: KOR,JPN."),
           date_from: Optional[str] = typer.Option(None, "--from", help="First event date (YYYY-MM-DD)."),
           date_to: Optional[str] = typer.Option(None, "--to", help="Last event date (YYYY-MM-DD)."),
           min_confidence: Optional[float] = typer.Option(None, "--min-confidence"),
           min_sources: Optional[int] = typer.Option(None, "--min-sources",
                                                     help="Outlets reporting the event, at least."),
           issue: Optional[str] = typer.Option(None, "--issue", help="An issue of the article."),
           article: Optional[str] = typer.Option(None, "--article", help="Events of one article id."),
           order: str = typer.Option("date_desc", "--order", help="date_desc | date_asc | confidence | sources"),
           limit: int = typer.Option(50, "--limit"), offset: int = typer.Option(0, "--offset"),
           format: EventsFormat = typer.Option(EventsFormat.table, "--format", help="table | json | jsonl | csv")) -> None:
    """Events matching filters (the same filters as the web page and /api/events)."""
    from gestae import queries
    from gestae.store import open_for_reading

    chosen = queries.EventFilter.parse({
        "type": type, "quad_class": quad_class, "actor_country": actor_country,
        "recipient_country": recipient_country, "dyad": dyad, "date_from": date_from, "date_to": date_to,
        "min_confidence": min_confidence, "min_sources": min_sources, "issue": issue, "article_id": article})
    limit, offset = queries.check_page(limit, offset, maximum=queries.MAX_EXPORT)
    with open_for_reading(db) as store:
        page = queries.events(store.con, chosen, limit=limit, offset=offset, order=queries.check_order(order))
    if format is EventsFormat.json:
        sys.stdout.write(json.dumps(page.to_dict(), ensure_ascii=False, indent=2) + "\n")
    elif format is EventsFormat.jsonl:
        for item in page.items:
            sys.stdout.write(json.dumps(item, ensure_ascii=False) + "\n")
    elif format is EventsFormat.csv:
        queries.write_events_csv(page.items, sys.stdout)
    else:
        out = Console(highlight=False)
        title = f"{page.total} event{'' if page.total == 1 else 's'}" + (f" (from {offset + 1})" if offset else "")
        out.print(_listing(title,
                           ("date", "type", "actors", "recipients", "where", "trigger"),
                           [_event_cells(e) for e in page.items],
                           widths={"actors": 30, "recipients": 30, "where": 16}, keep={"date", "type"}))
    sys.stdout.flush()


@app.command()
def serve(db: Path = typer.Option(DEFAULT_DB, "--db"),
          host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (default: this machine only)."),
          port: int = typer.Option(8000, "--port", min=1, max=65535),
          log_level: str = typer.Option("warning", "--log-level", help="uvicorn log level")) -> None:
    """Web pages and the REST API over a database (read-only; /docs lists the API)."""
    import os
    import socket

    import uvicorn

    from gestae.web.app import create_app

    app = create_app(db)  # opens the database now: a problem is one line, before the server starts
    try:  # likewise the address (uvicorn would log it after our "serving" line)
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        raise GestaeError(f"cannot serve on {host}:{port} ({reason}); choose another --port") from None
    stderr.print(f"gestae: serving {db} at http://{host}:{port}/ (API docs at /docs); Ctrl-C stops",
                 markup=False)
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False)


def _listing(title: str, columns: tuple[str, ...], rows: list, widths: dict[str, int],
             keep: frozenset[str] | set[str] = frozenset()) -> Table:
    """A table of rows; long cells end in an ellipsis, columns in `keep` are never shortened."""
    table = Table(title=title)
    for column in columns:
        table.add_column(column, max_width=widths.get(column), no_wrap=True, overflow="ellipsis",
                         min_width=12 if column in keep else None)
    for row in rows:
        table.add_row(*(shown(value) for value in row))
    return table


@app.command()
def evaluate(gold: Path = typer.Argument(..., help="Gold records (JSONL): PLOVER-style sentences, or story-level "
                                                   "events with evidence."),
             stories: Optional[Path] = typer.Option(None, "--stories", help="Story-level gold: the stories "
                                                    "(article JSONL with id, text, published)."),
             quotes: Optional[Path] = typer.Option(None, "--quotes", help="Story-level gold: quotations."),
             errors: int = typer.Option(0, "--errors", help="Print this many misses (and unmatched events)."),
             as_json: bool = typer.Option(False, "--json", help="Story-level: the metrics as one JSON object.")) -> None:
    """Score extraction against gold: type and country P/R/F1 on sentences, anchored P/R on whole stories."""
    from gestae import evaluate as evaluation

    if not gold.is_file():
        raise GestaeError(f"{gold}: no such file")
    try:
        open(gold, "rb").close()
    except OSError as exc:
        raise GestaeError(f"{gold}: cannot read gold file ({exc.strerror})") from None
    if evaluation.is_story_gold(str(gold)):
        if stories is None:
            raise GestaeError(f"{gold}: story-level gold needs --stories FILE (the story texts)")
        rep = evaluation.evaluate_stories(str(gold), str(stories), str(quotes) if quotes else None, errors)
        evaluation.print_story_report(rep, as_json)
        return
    status = evaluation.main(str(gold), errors=errors)
    if status:
        raise typer.Exit(status)


def main() -> None:
    """Entry point: run the app, turning every failure into one line on stderr and an exit status."""
    try:
        status = app(standalone_mode=False)  # a command's typer.Exit comes back as its status
        if status == INTERRUPTED:  # typer turns Ctrl-C outside our handlers into a silent 130
            stderr.print("gestae: interrupted", markup=False)
        sys.exit(status if isinstance(status, int) else 0)
    except Interrupted as exc:
        stderr.print(f"gestae: {exc}", markup=False)
        sys.exit(INTERRUPTED)
    except GestaeError as exc:
        stderr.print(f"gestae: {exc}", markup=False)
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        stderr.print("gestae: interrupted", markup=False)
        sys.exit(INTERRUPTED)
    except Exception as exc:
        import click
        if isinstance(exc, click.exceptions.UsageError):
            stderr.print(f"gestae: {exc.format_message()}", markup=False)
            sys.exit(2)
        if isinstance(exc, click.exceptions.ClickException):
            stderr.print(f"gestae: {exc.format_message()}", markup=False)
            sys.exit(exc.exit_code)
        from gestae.transaction import WRITE_FAILED, write_failure
        problem = write_failure(exc)
        if problem is not None:  # the database could not be written (a full disk, mid-refresh)
            stderr.print("gestae: " + WRITE_FAILED.format(problem=problem), markup=False)
            sys.exit(1)
        stderr.print(f"gestae: internal error: {exc.__class__.__name__}: {exc}", markup=False)
        sys.exit(2)


if __name__ == "__main__":
    main()
