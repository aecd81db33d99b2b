"""The web pages: server-rendered Jinja2 templates over `gestae.queries`, a little JavaScript.

    /                      what the database holds, latest articles, top dyads, a search box
    /articles?q=...        articles (search, outlet, dates)
    /articles/{id}         the article's text with highlighted spans, a legend, its event table
    /events?...            the events filter as a form, a table, CSV/JSON export of the filter
    /dyads, /dyads/{a}/{b} the relation between two countries over time (plotly chart)
    /paste                 code a pasted article; stored only when asked

Templates autoescape everything; article text reaches them only as `highlight.render` output (itself
escaped piece by piece). Data for scripts goes in `<script type="application/json">` through Jinja's
`tojson` (which escapes `<`, `>`, `&`), never into script code.
"""
from __future__ import annotations

from typing import Any, Optional
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gestae import queries
from gestae.ingest import detect_format
from gestae.queries import EventFilter
from gestae.web import highlight
from gestae.web.api import database, new_record, run_pipeline, store_article

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    templates = request.app.state.templates
    return templates.TemplateResponse(request, name, {"qs": qs, **context}, status_code=status)


def qs(params: dict[str, Any], **changes: Any) -> str:
    """A query string from `params` with `changes` (None removes a key)."""
    merged = {**params, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "")})


def _page_links(params: dict[str, Any], page: queries.Page) -> dict[str, Optional[str]]:
    previous = max(page.offset - page.limit, 0) if page.offset else None
    return {"previous": qs(params, offset=previous or None) if page.offset else None,
            "next": qs(params, offset=page.next_offset) if page.next_offset is not None else None}


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    db = database(request)
    summary = db.cached("summary", queries.summary)
    dyads = db.cached(("top_dyads", 30), lambda con: queries.top_dyads(con, 30).items)[:10]
    latest = db.cached(("latest", 10), lambda con: queries.latest_articles(con, 10))
    return render(request, "home.html", summary=summary, latest=latest, dyads=dyads)


@router.get("/articles", response_class=HTMLResponse)
def articles(request: Request) -> HTMLResponse:
    params = {k: request.query_params.get(k) for k in ("q", "outlet", "date_from", "date_to", "offset")}
    limit, offset = queries.check_page(PAGE_SIZE, params.pop("offset"))
    db = database(request)
    with db.reader() as con:
        page = queries.articles(con, q=params["q"], outlet=params["outlet"], date_from=params["date_from"],
                                date_to=params["date_to"], limit=limit, offset=offset)
    outlets = db.cached("outlets", queries.outlets)
    return render(request, "articles.html", page=page, params=params, outlets=outlets,
                  links=_page_links(params, page))


def event_rows(article: dict[str, Any], clusters: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The article's events for its table: parties by name, and what selecting one highlights."""
    actors = {a["id"]: a for a in article.get("actors", [])}

    def party(actor_id: str) -> dict[str, str]:
        a = actors.get(actor_id, {"id": actor_id, "name": actor_id, "country": ""})
        return {"id": actor_id, "name": a["name"], "country": a.get("country") or ""}

    rows = []
    for e in article.get("events", []):
        rows.append({**e, "actor_parties": [party(i) for i in e.get("actors", [])],
                     "recipient_parties": [party(i) for i in e.get("recipients", [])],
                     "parties": " ".join(dict.fromkeys([*e.get("actors", []), *e.get("recipients", [])])),
                     "reporter": party(e["reported_by"]) if e.get("reported_by") else None,
                     "cluster": clusters.get(e["id"])})
    return rows


def article_page(request: Request, article: dict[str, Any], stored: bool,
                 clusters: Optional[dict[str, dict[str, Any]]] = None, status: int = 200,
                 notice: str = "") -> HTMLResponse:
    captions = [{"html": highlight.caption_html(article, i), "credit": c.get("credit", "")}
                for i, c in enumerate(article.get("captions", []))]
    speakers = {a["id"]: a["name"] for a in article.get("actors", [])}
    return render(request, "article.html", status=status, article=article, stored=stored, notice=notice,
                  text_html=highlight.article_html(article), legend=highlight.LEGEND, captions=captions,
                  events=event_rows(article, clusters or {}), speakers=speakers)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article(request: Request, article_id: str) -> HTMLResponse:
    with database(request).reader() as con:
        found = queries.article(con, article_id)
        clusters = queries.event_clusters_of(con, found["id"]) if found else {}
    if found is None:
        raise HTTPException(404, f"no article with id '{article_id}'")
    return article_page(request, found, stored=True, clusters=clusters)


EVENT_FORM = ("type", "quad_class", "actor_country", "recipient_country", "dyad", "date_from", "date_to",
              "min_confidence", "min_sources", "issue")


@router.get("/events", response_class=HTMLResponse)
def events(request: Request) -> HTMLResponse:
    params = {k: request.query_params.get(k, "").strip() for k in EVENT_FORM}
    chosen = EventFilter.parse(params)
    limit, offset = queries.check_page(PAGE_SIZE, request.query_params.get("offset"))
    db = database(request)
    with db.reader() as con:
        page = queries.events(con, chosen, limit=limit, offset=offset)
    countries = db.cached("countries", queries.countries)
    issues = db.cached("issues", queries.issues)
    filters = chosen.as_params()
    return render(request, "events.html", page=page, params=params, filters=filters,
                  links=_page_links(filters, page), types=list(queries.plover_types()),
                  quad_classes=[(q.lower().replace(" ", "_"), q.title()) for q in queries.quad_classes()],
                  countries=countries, issues=issues)


@router.get("/dyads", response_class=HTMLResponse)
def dyads(request: Request) -> Response:
    a, b = request.query_params.get("a", "").strip(), request.query_params.get("b", "").strip()
    if a and b:
        return RedirectResponse(f"/dyads/{a.upper()}/{b.upper()}", status_code=303)
    db = database(request)
    top = db.cached(("top_dyads", 30), lambda con: queries.top_dyads(con, 30).items)
    countries = db.cached("countries", queries.countries)
    return render(request, "dyads.html", dyads=top, countries=countries)


@router.get("/dyads/{a}/{b}", response_class=HTMLResponse)
def dyad(request: Request, a: str, b: str) -> HTMLResponse:
    interval = queries.check_interval(request.query_params.get("interval"))
    with database(request).reader() as con:
        data = queries.dyad_series(con, a, b, interval=interval)
    return render(request, "dyad.html", data=data, interval=interval, intervals=queries.INTERVALS)


@router.get("/paste", response_class=HTMLResponse)
def paste_form(request: Request) -> HTMLResponse:
    return render(request, "paste.html", form={})


@router.post("/paste", response_class=HTMLResponse)
async def paste(request: Request) -> Response:
    from starlette.concurrency import run_in_threadpool

    body = await request.body()
    try:
        fields = {k: v[0] for k, v in parse_qs(body.decode("utf-8"), keep_blank_values=True).items()}
    except UnicodeDecodeError:
        raise HTTPException(422, "form data is not UTF-8") from None
    text = fields.get("text", "")
    if not text.strip():
        return render(request, "paste.html", status=422, form=fields, error="Paste an article's text first.")
    kind = fields.get("format", "auto")
    is_html = kind == "html" or (kind == "auto" and detect_format(text.encode("utf-8")[:8192]) == "html")
    record = new_record(text, is_html=is_html, title=fields.get("title"),
                        published=fields.get("published"), outlet=fields.get("outlet"))
    try:
        article = await run_in_threadpool(run_pipeline, record)
    except HTTPException as exc:
        return render(request, "paste.html", status=exc.status_code, form=fields, error=exc.detail)
    if fields.get("store"):
        await run_in_threadpool(store_article, database(request), article)
        return RedirectResponse(f"/articles/{article.id}", status_code=303)
    return article_page(request, article.to_dict(), stored=False,
                        notice="Not stored: this page shows the coding of the pasted text only.")
