"""The REST API under /api/: thin handlers over `gestae.queries` (and the pipeline for /api/extract).

Every list takes `limit` (default 50, at most `queries.MAX_LIMIT`) and `offset`, and answers
`{"total", "limit", "offset", "next_offset", "items"}`; `next_offset` is null on the last page.
Unknown query parameters are refused (400) so that a misspelt filter never silently selects everything.
"""
from __future__ import annotations

import io
import json
import threading
from typing import Any, Optional

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from gestae import queries
from gestae.ingest import detect_format
from gestae.model import Article, IngestError, RawRecord, Source
from gestae.queries import EventFilter, QueryError
from gestae.web.db import Database, StoreConflict

router = APIRouter(prefix="/api")

LIMIT = Query(None, description=f"page size (1-{queries.MAX_LIMIT}, default {queries.DEFAULT_LIMIT})")
OFFSET = Query(None, description="rows to skip")
DATE_FROM = Query(None, description="first date, YYYY-MM-DD")
DATE_TO = Query(None, description="last date, YYYY-MM-DD")
PAGING = {"limit", "offset"}


def database(request: Request) -> Database:
    return request.app.state.db


def _only(request: Request, allowed: set[str]) -> None:
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise QueryError(f"unknown parameter {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})")


def _json(payload: Any, status: int = 200, headers: Optional[dict[str, str]] = None) -> Response:
    body = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    return Response(body, status_code=status, media_type="application/json", headers=headers)


@router.get("/health", summary="Liveness (no database work)")
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/summary", summary="What the database holds")
def summary(request: Request) -> dict[str, Any]:
    _only(request, set())
    return database(request).cached("summary", queries.summary)


@router.get("/articles", summary="Articles, newest first")
def list_articles(request: Request,
                  q: Optional[str] = Query(None, description="words to find in the title or text"),
                  outlet: Optional[str] = Query(None, description="outlet name (exact, any case)"),
                  date_from: Optional[str] = DATE_FROM, date_to: Optional[str] = DATE_TO,
                  limit: Optional[int] = LIMIT, offset: Optional[int] = OFFSET) -> dict[str, Any]:
    _only(request, {"q", "outlet", "date_from", "date_to"} | PAGING)
    limit, offset = queries.check_page(limit, offset)
    with database(request).reader() as con:
        return queries.articles(con, q=q, outlet=outlet, date_from=date_from, date_to=date_to,
                                limit=limit, offset=offset).to_dict()


@router.get("/articles/{article_id}", summary="One article's JSON, exactly as `gestae extract` prints it")
def get_article(request: Request, article_id: str = Path(..., description="article id or a unique prefix")) -> Response:
    _only(request, set())
    with database(request).reader() as con:
        found = queries.article(con, article_id)
    if found is None:
        raise HTTPException(404, f"no article with id '{article_id}'")
    return _json(found)


EVENT_PARAMS = {name: Query(None, description=text) for name, text in {
    "type": "PLOVER type(s), comma-separated (e.g. ASSAULT,COERCE)",
    "quad_class": "verbal_cooperation | material_cooperation | verbal_conflict | material_conflict",
    "actor_country": "ISO3 of an actor (or IGO)",
    "recipient_country": "ISO3 of a recipient (or IGO)",
    "dyad": "two ISO3 codes, either direction: KOR,JPN",
    "date_from": "first event date, YYYY-MM-DD",
    "date_to": "last event date, YYYY-MM-DD",
    "min_confidence": "0-1",
    "min_sources": "distinct outlets reporting the event (its cluster), at least",
    "issue": "an issue of the article (gestae/data/issues.tsv names)",
    "article_id": "events of one article",
}.items()}


@router.get("/events", summary="Events matching the filters (JSON page, or a CSV/JSON export)")
def list_events(request: Request,
                type: Optional[str] = EVENT_PARAMS["type"], quad_class: Optional[str] = EVENT_PARAMS["quad_class"],
                actor_country: Optional[str] = EVENT_PARAMS["actor_country"],
                recipient_country: Optional[str] = EVENT_PARAMS["recipient_country"],
                dyad: Optional[str] = EVENT_PARAMS["dyad"], date_from: Optional[str] = EVENT_PARAMS["date_from"],
                date_to: Optional[str] = EVENT_PARAMS["date_to"],
                min_confidence: Optional[str] = EVENT_PARAMS["min_confidence"],
                min_sources: Optional[str] = EVENT_PARAMS["min_sources"], issue: Optional[str] = EVENT_PARAMS["issue"],
                article_id: Optional[str] = EVENT_PARAMS["article_id"],
                order: Optional[str] = Query(None, description=f"{' | '.join(queries.ORDERS)} (default date_desc)"),
                format: Optional[str] = Query(None, description="json (default, a page) | csv | jsonl (exports, "
                                                                f"up to {queries.MAX_EXPORT} rows)"),
                limit: Optional[int] = LIMIT, offset: Optional[int] = OFFSET) -> Response:
    _only(request, set(queries.FILTER_FIELDS) | PAGING | {"order", "format"})
    chosen = EventFilter.parse({k: v for k, v in request.query_params.items() if k in queries.FILTER_FIELDS})
    fmt = (format or "json").lower()
    if fmt not in ("json", "csv", "jsonl"):
        raise QueryError(f"format: '{format}' must be json, csv or jsonl")
    export = fmt != "json"
    limit, offset = queries.check_page(queries.MAX_EXPORT if export and limit is None else limit, offset,
                                       maximum=queries.MAX_EXPORT if export else queries.MAX_LIMIT)
    with database(request).reader() as con:
        page = queries.events(con, chosen, limit=limit, offset=offset, order=queries.check_order(order))
    if fmt == "json":
        return JSONResponse(page.to_dict())
    disposition = {"content-disposition": f'attachment; filename="gestae-events.{fmt}"',
                   "x-total-count": str(page.total)}
    if fmt == "jsonl":
        body = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in page.items)
        return Response(body, media_type="application/x-ndjson", headers=disposition)
    return Response(events_csv(page.items), media_type="text/csv; charset=utf-8", headers=disposition)


def events_csv(items: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    queries.write_events_csv(items, out)
    return out.getvalue()


@router.get("/dyads", summary="Country pairs with the most events between them")
def list_dyads(request: Request, limit: Optional[int] = LIMIT, offset: Optional[int] = OFFSET) -> dict[str, Any]:
    _only(request, PAGING)
    limit, offset = queries.check_page(limit, offset)
    return database(request).cached(("top_dyads", limit, offset),
                                    lambda con: queries.top_dyads(con, limit, offset).to_dict())


@router.get("/dyads/{a}/{b}", summary="Time series of the relation between two countries")
def dyad(request: Request, a: str = Path(..., description="ISO3"), b: str = Path(..., description="ISO3"),
         interval: Optional[str] = Query(None, description="day | week (default) | month"),
         date_from: Optional[str] = DATE_FROM, date_to: Optional[str] = DATE_TO) -> dict[str, Any]:
    _only(request, {"interval", "date_from", "date_to"})
    with database(request).reader() as con:
        return queries.dyad_series(con, a, b, interval=interval, date_from=date_from, date_to=date_to)


# ---------------------------------------------------------------------------------------------
# Extraction

_PIPELINE = threading.Lock()  # one article at a time through spaCy (the model is shared)
_EXTRACT_BODY = {
    "requestBody": {"required": True, "content": {
        "application/json": {"schema": {"type": "object", "required": ["text"], "properties": {
            "text": {"type": "string"}, "title": {"type": "string"}, "published": {"type": "string"},
            "outlet": {"type": "string"}, "url": {"type": "string"}}}},
        "text/plain": {"schema": {"type": "string"}},
        "text/html": {"schema": {"type": "string"}},
    }},
}


def record_from_body(body: bytes, content_type: str) -> RawRecord:
    """The request body as one input record; HTTPException(422) when it is not one."""
    kind = content_type.split(";")[0].strip().lower()
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise HTTPException(422, "request body is not UTF-8") from None
    if kind == "application/json":
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise HTTPException(422, f"malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            raise HTTPException(422, 'JSON body must be an object with a "text" string')
        extra = {k: obj.get(k) for k in ("title", "published", "outlet", "url")}
        bad = [k for k, v in extra.items() if v is not None and not isinstance(v, str)]
        if bad:
            raise HTTPException(422, f"JSON fields must be strings: {', '.join(bad)}")
        return new_record(obj["text"], title=extra["title"], published=extra["published"],
                          outlet=extra["outlet"], url=extra["url"])
    return new_record(text, is_html=(kind == "text/html" or detect_format(body[:8192]) == "html"))


def new_record(text: str, *, is_html: bool = False, title: Optional[str] = None, published: Optional[str] = None,
               outlet: Optional[str] = None, url: Optional[str] = None) -> RawRecord:
    if not text.strip():
        raise HTTPException(422, "no article text")
    fmt = "html" if is_html else "text"
    return RawRecord(Source(path="<web>", format=fmt, url=url or None), text, is_html=is_html,
                     title=title or None, published=published or None, outlet=outlet or None)


def run_pipeline(record: RawRecord) -> Article:
    from gestae.pipeline import process

    with _PIPELINE:
        result = next(process([record]))
    if isinstance(result, IngestError):
        raise HTTPException(422, result.message)
    return result


def store_article(db: Database, article: Article) -> bool:
    """Store one article (True when new); a conflict is 409."""
    from gestae import dedup

    def work(store) -> bool:
        new = store.add_articles([article])[0]
        if new:
            dedup.refresh(store)
        return new

    try:
        return db.write(work)
    except StoreConflict as exc:
        raise HTTPException(409, str(exc)) from None


@router.post("/extract", summary="Code one article (text, HTML, or JSON); stored only with ?store=true",
             openapi_extra=_EXTRACT_BODY)
async def extract(request: Request, store: bool = Query(False, description="also store it in the database")) -> Response:
    _only(request, {"store"})
    record = record_from_body(await request.body(), request.headers.get("content-type", "text/plain"))
    from starlette.concurrency import run_in_threadpool

    article = await run_in_threadpool(run_pipeline, record)
    headers = {}
    status = 200
    if store:
        new = await run_in_threadpool(store_article, database(request), article)
        status = 201 if new else 200
        headers = {"location": f"/api/articles/{article.id}", "x-gestae-stored": "new" if new else "already"}
    return _json(article.to_dict(), status=status, headers=headers)
